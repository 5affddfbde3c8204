//! The evaluation request ("Evaluate an image against a policy", interchange.md), read with
//! the same Go-compatible JSON reader as policies, strictly: unknown or repeated fields are an
//! error. Which fields exist, which half each belongs to and which are required come from the
//! one schema (`schema`). The `policy` value's bytes, exactly as they stand in the request, are the policy
//! document, so the policy's own strictness errors are reported as policy errors.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::schema::{FieldType, Half, POLICY_DOCUMENT, REQUEST, SIGNATURE_KINDS, request_field};
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
    /// The requirement types the policy may use (`policy_dialect`; vouch's by default).
    pub policy_dialect: crate::policy::PolicyDialect,
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

impl EvaluateRequest {
    /// The image the request names: its transport and reference, read as containers/image
    /// reads them.
    ///
    /// ```
    /// let request = vouch::json::evaluate_request(
    ///     br#"{"policy":{"default":[{"type":"reject"}]},"transport":"docker","reference":"busybox"}"#,
    /// )
    /// .unwrap();
    /// assert_eq!(request.image().unwrap().policy_identity(), "docker.io/library/busybox:latest");
    /// ```
    pub fn image(&self) -> Result<crate::image::Image, crate::image::ImageError> {
        self.transport
            .parse()
            .and_then(|t| crate::image::Image::parse(t, &self.reference))
    }

    /// The request's policy, parsed in its dialect.
    pub fn parse_policy(&self) -> Result<crate::policy::Policy, crate::policy::PolicyError> {
        crate::policy::Policy::parse_with(&self.policy, self.policy_dialect)
    }

    /// The request's evidence: its manifest, signatures and time.
    pub fn evidence(&self) -> crate::eval::Evidence<'_> {
        crate::eval::Evidence {
            manifest: &self.manifest,
            signatures: &self.signatures,
            now: self.now,
        }
    }
}

/// Reads a request. The error is one line for a person; the id is recovered when possible.
pub fn evaluate_request(input: &[u8]) -> Result<EvaluateRequest, (Option<String>, String)> {
    read_part(input, Part::Whole)
}

/// Which fields a document may hold: a whole request, or one of its two halves (the policy
/// with its files, compiled once; the image with its evidence, decided many times).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Part {
    Whole,
    Policy,
    Image,
}

impl Part {
    /// Whether a field of `half` belongs to this part.
    fn holds(self, half: Half) -> bool {
        match self {
            Self::Whole => true,
            Self::Policy => half == Half::Policy,
            Self::Image => half == Half::Image,
        }
    }
}

pub(crate) fn read_part(
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
    if let Some(unknown) = members.iter().find(|m| request_field(&m.key).is_none()) {
        return Err(alloc::format!("unknown request field {:?}", unknown.key));
    }
    if let Some(misplaced) = members
        .iter()
        .find(|m| request_field(&m.key).is_some_and(|f| !part.holds(f.half)))
    {
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
        policy_dialect: crate::policy::PolicyDialect::default(),
        files: Files::new(),
        transport: String::new(),
        reference: String::new(),
        manifest: Vec::new(),
        signatures: Vec::new(),
        now: None,
    };
    let mut policies = 0;
    for member in members {
        let Some(spec) = request_field(&member.key) else {
            return Err(alloc::format!("unknown request field {:?}", member.key));
        };
        let value = read_value(input, &member.value, spec.ty, spec.name)?;
        match (spec.name, value) {
            ("id", Read::Text(id)) => request.id = Some(id),
            ("policy" | "policy_base64", Read::Bytes(document)) => {
                policies += 1;
                request.policy = document;
            }
            ("policy_text", Read::Text(document)) => {
                policies += 1;
                request.policy = document.into_bytes();
            }
            ("policy_dialect", Read::Text(name)) => {
                request.policy_dialect = crate::policy::PolicyDialect::from_name(&name)
                    .ok_or_else(|| {
                        alloc::format!(
                            "policy_dialect {name:?} is not \"vouch\" or \"containers-image\""
                        )
                    })?;
            }
            ("files", Read::Files(files)) => request.files.extend(files),
            ("files_unreadable", Read::Strings(files)) => {
                for (path, why) in files {
                    if request.files.contains(&path) {
                        return Err(alloc::format!(
                            "files_unreadable[{path:?}]: the file is also in files"
                        ));
                    }
                    request.files.insert_unreadable(path, why);
                }
            }
            ("transport", Read::Text(transport)) => request.transport = transport,
            ("reference", Read::Text(reference)) => request.reference = reference,
            ("manifest", Read::Bytes(manifest)) => request.manifest = manifest,
            ("signatures", Read::Signatures(signatures)) => request.signatures = signatures,
            ("now", Read::Time(now)) => request.now = Some(now),
            (name, _) => {
                return Err(alloc::format!(
                    "{name}: internal error: the schema and the reader disagree"
                ));
            }
        }
    }
    let documents = POLICY_DOCUMENT.join(", ");
    match policies {
        0 if part == Part::Image => {}
        0 => return Err(alloc::format!("one of {documents} is required")),
        1 => {}
        _ => return Err(alloc::format!("give only one of {documents}")),
    }
    if let Some(absent) = REQUEST
        .iter()
        .find(|f| f.required && part.holds(f.half) && !members.iter().any(|m| m.key == f.name))
    {
        return Err(alloc::format!("{} is required", absent.name));
    }
    Ok(request)
}

/// A field's value, read as its schema type says.
enum Read {
    Text(String),
    Bytes(Vec<u8>),
    Time(crate::UnixTime),
    Files(Vec<(String, Vec<u8>)>),
    Strings(Vec<(String, String)>),
    Signatures(Vec<Signature>),
}

fn read_value(input: &[u8], node: &Node, ty: FieldType, name: &str) -> Result<Read, String> {
    Ok(match ty {
        FieldType::String => Read::Text(string(node, name)?),
        FieldType::Base64 => Read::Bytes(base64(node, name)?),
        FieldType::Time => {
            let text = string(node, name)?;
            Read::Time(
                crate::UnixTime::parse_rfc3339(&text)
                    .ok_or_else(|| alloc::format!("{name}: {text:?} is not an RFC 3339 time"))?,
            )
        }
        // The document's bytes exactly as they stand in the request.
        FieldType::Document => Read::Bytes(
            input
                .get(node.start..node.end)
                .ok_or_else(|| alloc::format!("{name}: internal offset error"))?
                .to_vec(),
        ),
        FieldType::Base64Map => Read::Files(map_of(node, name, base64)?),
        FieldType::StringMap => Read::Strings(map_of(node, name, string)?),
        FieldType::Signatures => {
            let Value::Array(items) = &node.value else {
                return Err(alloc::format!("{name} must be an array"));
            };
            if items.len() > MAX_SIGNATURES {
                return Err(alloc::format!(
                    "{} signatures; at most {MAX_SIGNATURES} are read",
                    items.len()
                ));
            }
            Read::Signatures(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| read_signature(input, item, i))
                    .collect::<Result<_, String>>()?,
            )
        }
    })
}

/// An object of values of one kind, each key once, each value read by `read`.
fn map_of<T>(
    node: &Node,
    name: &str,
    read: fn(&Node, &str) -> Result<T, String>,
) -> Result<Vec<(String, T)>, String> {
    entries(node, name)?
        .iter()
        .map(|m| {
            Ok((
                m.key.clone(),
                read(&m.value, &alloc::format!("{name}[{:?}]", m.key))?,
            ))
        })
        .collect()
}

/// An object's members, each key once.
fn entries<'n>(node: &'n Node, name: &str) -> Result<&'n [Member], String> {
    let members = object(node, name)?;
    no_duplicates(members, name)?;
    Ok(members)
}

fn read_signature(input: &[u8], node: &Node, index: usize) -> Result<Signature, String> {
    let what = alloc::format!("signatures[{index}]");
    let members = object(node, &what)?;
    no_duplicates(members, &what)?;
    let field = |name: &str| members.iter().find(|m| m.key == name).map(|m| &m.value);
    let kind = field("kind").ok_or_else(|| alloc::format!("{what}.kind is required"))?;
    let kind = string(kind, &alloc::format!("{what}.kind"))?;
    let Some(spec) = SIGNATURE_KINDS.iter().find(|k| k.kind == kind) else {
        let kinds: Vec<&str> = SIGNATURE_KINDS.iter().map(|k| k.kind).collect();
        return Err(alloc::format!(
            "{what}.kind {kind:?} is not {}",
            kinds.join(" or ")
        ));
    };
    if let Some(unknown) = members
        .iter()
        .find(|m| m.key != "kind" && !spec.fields.iter().any(|f| f.name == m.key))
    {
        return Err(alloc::format!(
            "{what}: unknown field {:?} for kind {kind}",
            unknown.key
        ));
    }
    if let Some(absent) = spec
        .fields
        .iter()
        .find(|f| f.required && field(f.name).is_none())
    {
        return Err(alloc::format!("{what}.{} is required", absent.name));
    }
    // Each field read as the schema types it (a bundle object keeps its bytes).
    let mut values = Vec::with_capacity(spec.fields.len());
    for f in spec.fields {
        if let Some(node) = field(f.name) {
            values.push((
                f.name,
                read_value(input, node, f.ty, &alloc::format!("{what}.{}", f.name))?,
            ));
        }
    }
    let mut take = |name: &str| {
        values
            .iter()
            .position(|(n, _)| *n == name)
            .map(|at| values.swap_remove(at).1)
    };
    let internal = || alloc::format!("{what}: internal error: the schema and the reader disagree");
    match spec.kind {
        "simple" => match take("blob") {
            Some(Read::Bytes(blob)) => Ok(Signature::Simple { blob }),
            _ => Err(internal()),
        },
        "sigstore" => {
            let mime = match take("mime") {
                Some(Read::Text(mime)) => mime,
                None => String::from(SIGSTORE_SIGNATURE_MIME),
                Some(_) => return Err(internal()),
            };
            let annotations = match take("annotations") {
                Some(Read::Strings(entries)) => entries.into_iter().collect(),
                None => BTreeMap::new(),
                Some(_) => return Err(internal()),
            };
            match take("payload") {
                Some(Read::Bytes(payload)) => Ok(Signature::Sigstore {
                    mime,
                    payload,
                    annotations,
                }),
                _ => Err(internal()),
            }
        }
        "bundle" => {
            let given = [take("bundle"), take("bundle_text"), take("bundle_base64")];
            let mut given = given.into_iter().flatten();
            match (given.next(), given.next()) {
                (Some(Read::Bytes(bundle)), None) => Ok(Signature::Bundle { bundle }),
                (Some(Read::Text(text)), None) => Ok(Signature::Bundle {
                    bundle: text.into_bytes(),
                }),
                (None, _) => Err(alloc::format!(
                    "{what}: one of bundle, bundle_text and bundle_base64 is required"
                )),
                (Some(_), Some(_)) => Err(alloc::format!(
                    "{what}: give only one of bundle, bundle_text and bundle_base64"
                )),
                _ => Err(internal()),
            }
        }
        _ => Err(internal()),
    }
}
