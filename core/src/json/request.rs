//! The evaluation request ("Evaluate an image against a policy", interchange.md), read with
//! the same Go-compatible JSON reader as policies, strictly: unknown or repeated fields are an
//! error. The `policy` value's bytes, exactly as they stand in the request, are the policy
//! document, so the policy's own strictness errors are reported as policy errors.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::go::json::{self as gojson, Member, Node, Value};
use crate::policy::Files;
use crate::signature::evidence::{SIGSTORE_SIGNATURE_MIME, Signature};

/// The largest request vouch reads, in bytes: a policy of up to
/// [`MAX_POLICY_BYTES`](crate::MAX_POLICY_BYTES) with room for its files and signatures.
pub const MAX_EVALUATE_REQUEST: usize = 96 * 1024 * 1024;

/// Requests nest no deeper than a policy inside them.
const MAX_REQUEST_DEPTH: usize = crate::go::json::MAX_DEPTH + 2;

/// At most this many signatures are read from one request.
pub const MAX_SIGNATURES: usize = 1024;

/// A parsed evaluation request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvaluateRequest {
    /// The caller's correlation id, echoed in the decision.
    pub id: Option<String>,
    /// The policy document's bytes.
    pub policy: Vec<u8>,
    /// Files the policy names.
    pub files: Files,
    /// The transport name.
    pub transport: String,
    /// The reference within the transport.
    pub reference: String,
    /// The manifest bytes.
    pub manifest: Vec<u8>,
    /// The signatures, in order.
    pub signatures: Vec<Signature>,
    /// The time of the decision (seconds since the Unix epoch).
    pub now: Option<crate::UnixTime>,
}

/// Reads a request. The error is one line for a person; the id is recovered when possible.
pub fn evaluate_request(input: &[u8]) -> Result<EvaluateRequest, (Option<String>, String)> {
    read_part(input, Part::Whole)
}

/// Which fields a document may hold: a whole request, or one of its two halves (the policy
/// with its files, compiled once; the image with its evidence, decided many times).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Part {
    Whole,
    Policy,
    Image,
}

impl Part {
    /// Whether `field` belongs to this part; fields of neither half are unknown.
    fn holds(self, field: &str) -> bool {
        let policy_half = matches!(field, "policy" | "policy_text" | "policy_base64" | "files");
        match self {
            Self::Whole => true,
            Self::Policy => policy_half,
            Self::Image => !policy_half,
        }
    }
}

/// The fields of the policy half of a request (see [`CompiledPolicy`]).
pub const POLICY_FIELDS: &[&str] = &["policy", "policy_text", "policy_base64", "files"];
/// The fields of the image half of a request (see [`CompiledPolicy`]).
pub const IMAGE_FIELDS: &[&str] = &[
    "id",
    "transport",
    "reference",
    "manifest",
    "signatures",
    "now",
];

pub(super) fn read_part(
    input: &[u8],
    part: Part,
) -> Result<EvaluateRequest, (Option<String>, String)> {
    if input.len() > MAX_EVALUATE_REQUEST {
        return Err((
            None,
            alloc::format!(
                "the request is {} bytes; at most {MAX_EVALUATE_REQUEST} are read",
                input.len()
            ),
        ));
    }
    let root = gojson::parse_bounded(input, MAX_REQUEST_DEPTH).map_err(|e| {
        (
            None,
            alloc::format!(
                "the request is not valid JSON: {} (byte {})",
                e.message,
                e.offset
            ),
        )
    })?;
    let Value::Object(members) = &root.value else {
        return Err((None, String::from("the request must be a JSON object")));
    };
    let id = members
        .iter()
        .find(|m| m.key == "id")
        .and_then(|m| match &m.value.value {
            Value::String(s) => Some(s.clone()),
            _ => None,
        });
    read_request(input, members, part).map_err(|e| (id, e))
}

fn string(node: &Node, field: &str) -> Result<String, String> {
    match &node.value {
        Value::String(s) => Ok(s.clone()),
        other => Err(alloc::format!(
            "{field} must be a string, not {}",
            other.go_kind()
        )),
    }
}

fn base64(node: &Node, field: &str) -> Result<Vec<u8>, String> {
    let text = string(node, field)?;
    crate::go::base64_std(&text)
        .map_err(|at| alloc::format!("{field} is not valid base64 (at character {at})"))
}

fn object<'n>(node: &'n Node, field: &str) -> Result<&'n [Member], String> {
    match &node.value {
        Value::Object(members) => Ok(members),
        other => Err(alloc::format!(
            "{field} must be an object, not {}",
            other.go_kind()
        )),
    }
}

/// Refuses repeated keys: a second value must never silently replace the first.
fn no_duplicates(members: &[Member], what: &str) -> Result<(), String> {
    let mut seen = alloc::collections::BTreeSet::new();
    for member in members {
        if !seen.insert(member.key.as_str()) {
            return Err(alloc::format!(
                "{what}: field {:?} appears twice",
                member.key
            ));
        }
    }
    Ok(())
}

fn read_request(input: &[u8], members: &[Member], part: Part) -> Result<EvaluateRequest, String> {
    no_duplicates(members, "request")?;
    if let Some(misplaced) = members.iter().find(|m| {
        (POLICY_FIELDS.contains(&m.key.as_str()) || IMAGE_FIELDS.contains(&m.key.as_str()))
            && !part.holds(&m.key)
    }) {
        return Err(match part {
            Part::Image => alloc::format!(
                "field {:?} belongs to the compiled policy, not to a request evaluated with it",
                misplaced.key
            ),
            _ => alloc::format!(
                "field {:?} belongs to a request, not to the policy being compiled",
                misplaced.key
            ),
        });
    }
    let mut request = EvaluateRequest {
        id: None,
        policy: Vec::new(),
        files: BTreeMap::new(),
        transport: String::new(),
        reference: String::new(),
        manifest: Vec::new(),
        signatures: Vec::new(),
        now: None,
    };
    let mut policies = 0;
    let (mut transport, mut reference) = (false, false);
    for member in members {
        let node = &member.value;
        match member.key.as_str() {
            "id" => request.id = Some(string(node, "id")?),
            "policy" => {
                policies += 1;
                request.policy = input
                    .get(node.start..node.end)
                    .ok_or("policy: internal offset error")?
                    .to_vec();
            }
            "policy_text" => {
                policies += 1;
                request.policy = string(node, "policy_text")?.into_bytes();
            }
            "policy_base64" => {
                policies += 1;
                request.policy = base64(node, "policy_base64")?;
            }
            "files" => {
                let files = object(node, "files")?;
                no_duplicates(files, "files")?;
                for file in files {
                    let bytes = base64(&file.value, &alloc::format!("files[{:?}]", file.key))?;
                    request.files.insert(file.key.clone(), bytes);
                }
            }
            "transport" => {
                transport = true;
                request.transport = string(node, "transport")?;
            }
            "reference" => {
                reference = true;
                request.reference = string(node, "reference")?;
            }
            "manifest" => request.manifest = base64(node, "manifest")?,
            "signatures" => {
                let Value::Array(items) = &node.value else {
                    return Err(String::from("signatures must be an array"));
                };
                if items.len() > MAX_SIGNATURES {
                    return Err(alloc::format!(
                        "{} signatures; at most {MAX_SIGNATURES} are read",
                        items.len()
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    request.signatures.push(read_signature(item, i)?);
                }
            }
            "now" => {
                let text = string(node, "now")?;
                request.now = Some(
                    crate::UnixTime::parse_rfc3339(&text)
                        .ok_or_else(|| alloc::format!("now: {text:?} is not an RFC 3339 time"))?,
                );
            }
            other => return Err(alloc::format!("unknown request field {other:?}")),
        }
    }
    match policies {
        0 if part == Part::Image => {}
        0 => {
            return Err(String::from(
                "one of policy, policy_text, policy_base64 is required",
            ));
        }
        1 => {}
        _ => {
            return Err(String::from(
                "give only one of policy, policy_text, policy_base64",
            ));
        }
    }
    if part != Part::Policy {
        if !transport {
            return Err(String::from("transport is required"));
        }
        if !reference {
            return Err(String::from("reference is required"));
        }
    }
    Ok(request)
}

fn read_signature(node: &Node, index: usize) -> Result<Signature, String> {
    let what = alloc::format!("signatures[{index}]");
    let members = object(node, &what)?;
    no_duplicates(members, &what)?;
    let field = |name: &str| members.iter().find(|m| m.key == name).map(|m| &m.value);
    let kind = field("kind").ok_or_else(|| alloc::format!("{what}.kind is required"))?;
    let kind = string(kind, &alloc::format!("{what}.kind"))?;
    let allowed: &[&str] = match kind.as_str() {
        "simple" => &["kind", "blob"],
        "sigstore" => &["kind", "mime", "payload", "annotations"],
        other => {
            return Err(alloc::format!(
                "{what}.kind {other:?} is not simple or sigstore"
            ));
        }
    };
    if let Some(unknown) = members.iter().find(|m| !allowed.contains(&m.key.as_str())) {
        return Err(alloc::format!(
            "{what}: unknown field {:?} for kind {kind}",
            unknown.key
        ));
    }
    if kind == "simple" {
        let blob = field("blob").ok_or_else(|| alloc::format!("{what}.blob is required"))?;
        return Ok(Signature::Simple {
            blob: base64(blob, &alloc::format!("{what}.blob"))?,
        });
    }
    let payload = field("payload").ok_or_else(|| alloc::format!("{what}.payload is required"))?;
    let mime = match field("mime") {
        Some(node) => string(node, &alloc::format!("{what}.mime"))?,
        None => String::from(SIGSTORE_SIGNATURE_MIME),
    };
    let mut annotations = BTreeMap::new();
    if let Some(node) = field("annotations") {
        let entries = object(node, &alloc::format!("{what}.annotations"))?;
        no_duplicates(entries, &alloc::format!("{what}.annotations"))?;
        for entry in entries {
            let value = string(
                &entry.value,
                &alloc::format!("{what}.annotations[{:?}]", entry.key),
            )?;
            annotations.insert(entry.key.clone(), value);
        }
    }
    Ok(Signature::Sigstore {
        mime,
        payload: base64(payload, &alloc::format!("{what}.payload"))?,
        annotations,
    })
}
