//! The request shapes of the JSON contract, for the TypeScript declarations only.
//!
//! Requests are read by the Go-compatible reader in `evaluate` (duplicate keys, policy bytes
//! kept exactly), not by serde; these serde types describe the same fields so that ts-rs can
//! declare them, and the tests below hold them to the reader: every documented request must
//! deserialize into them strictly, and their field names must be the reader's.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::Deserialize;

/// A whole evaluation request (`docs/interchange.md`).
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "EvaluateRequest")]
pub struct EvaluateRequestShape {
    /// Echoed in the decision.
    #[ts(optional)]
    pub id: Option<String>,
    /// The policy document (give one of `policy`, `policy_text`, `policy_base64`).
    #[ts(optional, type = "Record<string, unknown>")]
    pub policy: Option<serde_json::Value>,
    /// The policy document as text: keeps its bytes exactly (error positions, duplicate keys).
    #[ts(optional)]
    pub policy_text: Option<String>,
    /// The policy document's bytes, base64.
    #[ts(optional)]
    pub policy_base64: Option<String>,
    /// The files the policy names, by path as written in the policy, base64.
    #[ts(optional)]
    pub files: Option<BTreeMap<String, String>>,
    /// The transport (`docker`, `oci`, ...).
    pub transport: String,
    /// The reference within the transport.
    pub reference: String,
    /// The manifest bytes, base64.
    #[ts(optional)]
    pub manifest: Option<String>,
    /// The signatures, in the order the registry returned them.
    #[ts(optional)]
    pub signatures: Option<Vec<SignatureShape>>,
    /// The time of the decision, RFC 3339.
    #[ts(optional)]
    pub now: Option<String>,
}

/// The policy half of a request: what a compiled evaluator is made from.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "PolicyHalf")]
pub struct PolicyHalfShape {
    /// The policy document (give one of `policy`, `policy_text`, `policy_base64`).
    #[ts(optional, type = "Record<string, unknown>")]
    pub policy: Option<serde_json::Value>,
    /// The policy document as text: keeps its bytes exactly (error positions, duplicate keys).
    #[ts(optional)]
    pub policy_text: Option<String>,
    /// The policy document's bytes, base64.
    #[ts(optional)]
    pub policy_base64: Option<String>,
    /// The files the policy names, by path as written in the policy, base64.
    #[ts(optional)]
    pub files: Option<BTreeMap<String, String>>,
}

/// The image half of a request: what a compiled evaluator decides.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "ImageHalf")]
pub struct ImageHalfShape {
    /// Echoed in the decision.
    #[ts(optional)]
    pub id: Option<String>,
    /// The transport (`docker`, `oci`, ...).
    pub transport: String,
    /// The reference within the transport.
    pub reference: String,
    /// The manifest bytes, base64.
    #[ts(optional)]
    pub manifest: Option<String>,
    /// The signatures, in the order the registry returned them.
    #[ts(optional)]
    pub signatures: Option<Vec<SignatureShape>>,
    /// The time of the decision, RFC 3339.
    #[ts(optional)]
    pub now: Option<String>,
}

/// One signature of a request.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
#[ts(rename = "RequestSignature")]
pub enum SignatureShape {
    /// containers-signature(5) simple signing: an OpenPGP message.
    Simple {
        /// The message, base64.
        blob: String,
    },
    /// A cosign signature: payload and annotations.
    Sigstore {
        /// The attachment's MIME type (default: cosign's simple-signing type).
        #[ts(optional)]
        mime: Option<String>,
        /// The payload, base64.
        payload: String,
        /// The annotations (`dev.cosignproject.cosign/signature`, certificates, bundle).
        #[ts(optional)]
        annotations: Option<BTreeMap<String, String>>,
    },
}

/// The TypeScript declarations of the contract, as `wasm/types/vouch.d.ts` holds them.
#[must_use]
pub fn typescript_declarations() -> String {
    use ts_rs::{Config, TS};
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// The JSON contract of vouch (docs/interchange.md) as TypeScript types.\n\
         // Generated from the Rust serde types by ts-rs; do not edit. Regenerate with\n\
         // cargo run -q -p vouch-wasm --features ts --bin ts-types > wasm/types/vouch.d.ts\n",
    );
    for decl in [
        EvaluateRequestShape::decl(&cfg),
        PolicyHalfShape::decl(&cfg),
        ImageHalfShape::decl(&cfg),
        SignatureShape::decl(&cfg),
        super::DecisionAnswer::decl(&cfg),
        super::ScopeAnswer::decl(&cfg),
        super::ImageAnswer::decl(&cfg),
        super::RequirementAnswer::decl(&cfg),
        super::SignatureAnswer::decl(&cfg),
        super::PolicyErrorLocation::decl(&cfg),
        super::CompileReport::decl(&cfg),
        super::ReferenceRequest::decl(&cfg),
        super::ReferenceAnswer::decl(&cfg),
    ] {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{IMAGE_FIELDS, POLICY_FIELDS};

    #[test]
    fn documented_requests_fit_the_shapes() {
        let lines = include_str!("../../../docs/examples/policy/requests.jsonl");
        for line in lines.lines() {
            let request: EvaluateRequestShape =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert!(!request.transport.is_empty());
        }
    }

    #[test]
    fn shapes_name_the_readers_fields() {
        let declared = |decl: String| -> Vec<String> {
            let mut text = String::new();
            let mut rest = decl.as_str();
            while let Some(start) = rest.find("/**") {
                text.push_str(&rest[..start]);
                rest = &rest[start + rest[start..].find("*/").unwrap() + 2..];
            }
            text.push_str(rest);
            let body = &text[text.find('{').unwrap() + 1..text.rfind('}').unwrap()];
            body.lines()
                .filter_map(|line| line.trim().split_once(':'))
                .map(|(name, _)| name.trim_end_matches('?').into())
                .collect()
        };
        let cfg = ts_rs::Config::new();
        use ts_rs::TS;
        let mut whole = declared(EvaluateRequestShape::decl(&cfg));
        let mut expected: Vec<String> = POLICY_FIELDS
            .iter()
            .chain(IMAGE_FIELDS)
            .map(|f| String::from(*f))
            .collect();
        whole.sort();
        expected.sort();
        assert_eq!(whole, expected);
        let mut policy = declared(PolicyHalfShape::decl(&cfg));
        policy.sort();
        let mut want: Vec<String> = POLICY_FIELDS.iter().map(|f| String::from(*f)).collect();
        want.sort();
        assert_eq!(policy, want);
        let mut image = declared(ImageHalfShape::decl(&cfg));
        image.sort();
        let mut want: Vec<String> = IMAGE_FIELDS.iter().map(|f| String::from(*f)).collect();
        want.sort();
        assert_eq!(image, want);
    }
}
