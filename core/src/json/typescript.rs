//! The TypeScript declarations of the JSON contract: the requests generated from the one
//! request schema (`schema`), the answers from their serde types by ts-rs.

use alloc::string::String;

use super::schema::{Field, Half, REQUEST, SIGNATURE_KINDS};

/// One declaration, `type NAME = { fields }`, each field with its documentation.
fn object_type(name: &str, lead: &[(&str, &str)], fields: &[&Field]) -> String {
    let mut text = alloc::format!("type {name} = {{ ");
    for (field, value) in lead {
        text.push_str(&alloc::format!("\n{field}: {value}, "));
    }
    for field in fields {
        text.push_str(&alloc::format!(
            "\n/**\n * {}\n */\n{}{}: {}, ",
            field.doc,
            field.name,
            if field.required { "" } else { "?" },
            field.ty.typescript()
        ));
    }
    text.push('}');
    text
}

/// The request types: the whole request, its two halves, and its signatures.
fn request_declarations() -> [String; 4] {
    let all: alloc::vec::Vec<&Field> = REQUEST.iter().collect();
    let half =
        |h: Half| -> alloc::vec::Vec<&Field> { REQUEST.iter().filter(|f| f.half == h).collect() };
    let signatures: alloc::vec::Vec<String> = SIGNATURE_KINDS
        .iter()
        .map(|kind| {
            let fields: alloc::vec::Vec<&Field> = kind.fields.iter().collect();
            let kind_value = alloc::format!("\"{}\"", kind.kind);
            let body = object_type("X", &[("kind", &kind_value)], &fields);
            alloc::format!(
                "/* {} */ {}",
                kind.doc,
                body.trim_start_matches("type X = ")
            )
        })
        .collect();
    [
        object_type("EvaluateRequest", &[], &all),
        object_type("PolicyHalf", &[], &half(Half::Policy)),
        object_type("ImageHalf", &[], &half(Half::Image)),
        alloc::format!("type RequestSignature = {};", signatures.join(" | ")),
    ]
}

/// The TypeScript declarations of the contract, as `wasm/types/vouch.d.ts` holds them.
#[must_use]
pub fn typescript_declarations() -> String {
    use ts_rs::{Config, TS};
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// The JSON contract of vouch (docs/interchange.md) as TypeScript types.\n\
         // Generated: the requests from the request schema (core/src/json/schema.rs), the\n\
         // answers from the Rust serde types by ts-rs; do not edit. Regenerate with\n\
         // cargo run -q -p vouch-wasm --features ts --bin ts-types > wasm/types/vouch.d.ts\n",
    );
    let [whole, policy, image, signature] = request_declarations();
    for decl in [
        whole + ";",
        policy + ";",
        image + ";",
        signature,
        super::DecisionAnswer::decl(&cfg),
        super::ScopeAnswer::decl(&cfg),
        super::ImageAnswer::decl(&cfg),
        super::RequirementAnswer::decl(&cfg),
        super::SignatureAnswer::decl(&cfg),
        super::PolicyErrorLocation::decl(&cfg),
        super::CompileReport::decl(&cfg),
        super::CompileProblemAnswer::decl(&cfg),
        super::ReferenceRequest::decl(&cfg),
        super::ReferenceAnswer::decl(&cfg),
        super::BundleAnswer::decl(&cfg),
        super::SignerIdentity::decl(&cfg),
        super::ObservedTime::decl(&cfg),
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
    use crate::json::{IMAGE_FIELDS, POLICY_FIELDS, evaluate_request};

    #[test]
    fn documented_requests_are_read() {
        let lines = include_str!("../../../docs/examples/policy/requests.jsonl");
        for line in lines.lines() {
            let request =
                evaluate_request(line.as_bytes()).unwrap_or_else(|e| panic!("{e:?}: {line}"));
            assert!(!request.transport.is_empty());
        }
    }

    #[test]
    fn declarations_name_every_field_of_each_half() {
        let [whole, policy, image, signature] = request_declarations();
        let names = |decl: &str| -> alloc::vec::Vec<String> {
            decl.lines()
                .filter_map(|line| line.split_once(": "))
                .filter(|(name, _)| !name.starts_with(' ') && !name.starts_with('/'))
                .map(|(name, _)| name.trim_end_matches('?').into())
                .collect()
        };
        let sorted = |mut v: alloc::vec::Vec<String>| {
            v.sort();
            v
        };
        let want = |fields: &[&str]| sorted(fields.iter().map(|f| String::from(*f)).collect());
        let mut both = POLICY_FIELDS.to_vec();
        both.extend(IMAGE_FIELDS);
        assert_eq!(sorted(names(&whole)), want(&both));
        assert_eq!(sorted(names(&policy)), want(POLICY_FIELDS));
        assert_eq!(sorted(names(&image)), want(IMAGE_FIELDS));
        assert!(image.contains("transport: string"), "{image}");
        assert!(signature.contains("kind: \"sigstore\""), "{signature}");
        assert!(signature.contains("blob: string"), "{signature}");
    }
}
