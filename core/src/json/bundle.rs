//! "Verify a sigstore bundle" (interchange.md): requests and answers.
//!
//! A request is one JSON object, read strictly (unknown or repeated fields are an error):
//! - `bundle` (the bundle's JSON, its bytes exactly as they stand in the request), or
//!   `bundle_text` (a string holding it) or `bundle_base64` (its bytes);
//! - `artifact` (base64) or `artifact_digest` (`"sha256:<hex>"`);
//! - `trusted_root` (its JSON, as it stands), or `trusted_root_text`;
//! - `identity` (`{"subject": ..., "issuer": ...}`) or `key` (a PEM public key);
//! - optionally `id`, echoed, and `now` (RFC 3339; bundles are verified at the times the logs
//!   and time-stamping authorities observed, so it changes nothing today).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::Serialize;

use crate::bundle::{Artifact, Bundle, Expected, TrustedRoot, VerifyError, verify_bundle};
use crate::go::json::{self as gojson, Member, Node, Value};

/// The largest bundle request vouch reads, in bytes.
pub const MAX_BUNDLE_REQUEST: usize = 16 * 1024 * 1024;

/// A time the signature was observed at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObservedTime {
    /// Who observed it: a transparency log's URL or a time-stamping authority's URI.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub time: String,
}

/// The identity a keyless bundle's certificate names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignerIdentity {
    /// The subject alternative name.
    pub subject: String,
    /// The OIDC issuer.
    pub issuer: String,
}

/// The answer to a bundle request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleAnswer {
    /// The request's `id`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// Whether the bundle verified.
    pub verified: bool,
    /// The stable class of the failure; empty when verified.
    pub error_kind: String,
    /// One line for a person; empty when verified.
    pub error: String,
    /// The certificate's identity, for a keyless bundle that verified.
    pub identity: Option<SignerIdentity>,
    /// The times the signature was observed at, for a bundle that verified.
    pub observed: Vec<ObservedTime>,
}

impl BundleAnswer {
    fn failure(id: Option<String>, kind: &str, error: String) -> Self {
        Self {
            id,
            verified: false,
            error_kind: kind.into(),
            error,
            identity: None,
            observed: Vec::new(),
        }
    }

    /// The answer as one line of JSON (without the newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            String::from(r#"{"verified":false,"error_kind":"internal","error":"the answer could not be written"}"#)
        })
    }
}

/// The stable class of a verification failure.
fn kind(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::NoTimestampSource
        | VerifyError::IntegratedTimestamps
        | VerifyError::NoObserverTimestamps => "no_observed_time",
        VerifyError::Key(_) => "key_invalid",
        VerifyError::Material(_) => "bundle_invalid",
        VerifyError::Tlog(_) => "tlog",
        VerifyError::Timestamp(_) => "timestamp",
        VerifyError::SignerKind(_) => "signer_kind",
        VerifyError::Identity(_) => "identity",
        VerifyError::Chain => "certificate",
        VerifyError::Sct(_) => "sct",
        VerifyError::Signature(_) => "signature",
        VerifyError::Statement(_) => "statement",
    }
}

/// Reads a request and verifies its bundle.
pub fn bundle_answer(input: &[u8]) -> BundleAnswer {
    if input.len() > MAX_BUNDLE_REQUEST {
        return BundleAnswer::failure(
            None,
            "invalid_request",
            alloc::format!(
                "the request is {} bytes; at most {MAX_BUNDLE_REQUEST} are read",
                input.len()
            ),
        );
    }
    let root = match gojson::parse_bounded(input, crate::go::json::MAX_DEPTH) {
        Ok(root) => root,
        Err(e) => {
            return BundleAnswer::failure(
                None,
                "invalid_request",
                alloc::format!(
                    "the request is not valid JSON: {} (byte {})",
                    e.message,
                    e.offset
                ),
            );
        }
    };
    let Value::Object(members) = &root.value else {
        return BundleAnswer::failure(
            None,
            "invalid_request",
            "the request must be a JSON object".into(),
        );
    };
    let id = members
        .iter()
        .find(|m| m.key == "id")
        .and_then(|m| match &m.value.value {
            Value::String(s) => Some(s.clone()),
            _ => None,
        });
    match decide(input, members) {
        Ok(answer) => BundleAnswer { id, ..answer },
        Err((kind, error)) => BundleAnswer::failure(id, kind, error),
    }
}

/// Reads a request line and writes the answer as one line of JSON.
pub fn bundle_line(input: &[u8]) -> String {
    bundle_answer(input).to_json()
}

type Failure = (&'static str, String);

fn invalid(why: String) -> Failure {
    ("invalid_request", why)
}

fn text<'n>(node: &'n Node, field: &str) -> Result<&'n str, Failure> {
    match &node.value {
        Value::String(s) => Ok(s),
        other => Err(invalid(alloc::format!(
            "{field} must be a string, not {}",
            other.go_kind()
        ))),
    }
}

/// The one of `names` the request gives, if any (more than one is an error).
fn one_of<'n>(
    members: &'n [Member],
    names: &[&'static str],
) -> Result<Option<(&'static str, &'n Node)>, Failure> {
    let given: Vec<(&'static str, &'n Node)> = names
        .iter()
        .filter_map(|n| members.iter().find(|m| m.key == *n).map(|m| (*n, &m.value)))
        .collect();
    match given.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(invalid(alloc::format!(
            "give only one of {}",
            names.join(", ")
        ))),
    }
}

const FIELDS: &[&str] = &[
    "id",
    "bundle",
    "bundle_text",
    "bundle_base64",
    "artifact",
    "artifact_digest",
    "trusted_root",
    "trusted_root_text",
    "identity",
    "key",
    "now",
];

fn decide(input: &[u8], members: &[Member]) -> Result<BundleAnswer, Failure> {
    let mut seen = alloc::collections::BTreeSet::new();
    for member in members {
        if !FIELDS.contains(&member.key.as_str()) {
            return Err(invalid(alloc::format!(
                "unknown request field {:?}",
                member.key
            )));
        }
        if !seen.insert(member.key.as_str()) {
            return Err(invalid(alloc::format!(
                "request: field {:?} appears twice",
                member.key
            )));
        }
    }
    let get = |name: &str| members.iter().find(|m| m.key == name).map(|m| &m.value);
    let one_of = |names: &[&'static str]| one_of(members, names);
    if let Some(id) = get("id") {
        text(id, "id")?;
    }
    if let Some(now) = get("now")
        && crate::time::parse_rfc3339(text(now, "now")?).is_none()
    {
        return Err(invalid("now is not an RFC 3339 time".into()));
    }
    let bundle_bytes: Vec<u8> = match one_of(&["bundle", "bundle_text", "bundle_base64"])? {
        Some(("bundle", node)) => input[node.start..node.end].to_vec(),
        Some(("bundle_text", node)) => text(node, "bundle_text")?.as_bytes().to_vec(),
        Some((_, node)) => crate::go::base64_std(text(node, "bundle_base64")?).map_err(|at| {
            invalid(alloc::format!(
                "bundle_base64 is not valid base64 (at character {at})"
            ))
        })?,
        None => return Err(invalid("bundle is required".into())),
    };
    let root_bytes: Vec<u8> = match one_of(&["trusted_root", "trusted_root_text"])? {
        Some(("trusted_root", node)) => input[node.start..node.end].to_vec(),
        Some((_, node)) => text(node, "trusted_root_text")?.as_bytes().to_vec(),
        None => return Err(invalid("trusted_root is required".into())),
    };
    let artifact_bytes;
    let digest;
    let algorithm: String;
    let artifact = match one_of(&["artifact", "artifact_digest"])? {
        Some(("artifact", node)) => {
            artifact_bytes = crate::go::base64_std(text(node, "artifact")?).map_err(|at| {
                invalid(alloc::format!(
                    "artifact is not valid base64 (at character {at})"
                ))
            })?;
            Artifact::Bytes(&artifact_bytes)
        }
        Some((_, node)) => {
            let value = text(node, "artifact_digest")?;
            let (alg, hex) = value
                .split_once(':')
                .ok_or_else(|| invalid("artifact_digest must be \"<algorithm>:<hex>\"".into()))?;
            digest = crate::go::hex_decode(hex)
                .ok_or_else(|| invalid("artifact_digest's digest is not hex".into()))?;
            algorithm = alg.to_string();
            Artifact::Digest {
                algorithm: &algorithm,
                digest: &digest,
            }
        }
        None => return Err(invalid("artifact or artifact_digest is required".into())),
    };
    let subject;
    let issuer;
    let key_pem;
    let expected = match one_of(&["identity", "key"])? {
        Some(("identity", node)) => {
            let Value::Object(fields) = &node.value else {
                return Err(invalid("identity must be an object".into()));
            };
            let mut s = None;
            let mut i = None;
            for field in fields {
                match field.key.as_str() {
                    "subject" if s.is_none() => s = Some(text(&field.value, "identity.subject")?),
                    "issuer" if i.is_none() => i = Some(text(&field.value, "identity.issuer")?),
                    other => {
                        return Err(invalid(alloc::format!(
                            "identity: unknown or repeated field {other:?}"
                        )));
                    }
                }
            }
            subject = s.unwrap_or("").to_string();
            issuer = i.unwrap_or("").to_string();
            Expected::Identity {
                subject: &subject,
                issuer: &issuer,
            }
        }
        Some((_, node)) => {
            key_pem = text(node, "key")?.as_bytes().to_vec();
            Expected::Key(&key_pem)
        }
        None => return Err(invalid("identity or key is required".into())),
    };
    let bundle = Bundle::from_json(&bundle_bytes).map_err(|e| {
        let kind = match e {
            crate::bundle::BundleError::OverBudget(_) => "over_budget",
            _ => "bundle_invalid",
        };
        (kind, e.to_string())
    })?;
    let root =
        TrustedRoot::from_json(&root_bytes).map_err(|e| ("trusted_root_invalid", e.to_string()))?;
    let verified =
        verify_bundle(&bundle, artifact, &root, expected).map_err(|e| (kind(&e), e.to_string()))?;
    Ok(BundleAnswer {
        id: None,
        verified: true,
        error_kind: String::new(),
        error: String::new(),
        identity: verified
            .identity
            .map(|(subject, issuer)| SignerIdentity { subject, issuer }),
        observed: verified
            .timestamps
            .into_iter()
            .map(|(by, seconds)| ObservedTime {
                by,
                time: crate::time::format_rfc3339(seconds),
            })
            .collect(),
    })
}
