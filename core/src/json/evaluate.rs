//! "Evaluate an image against a policy": requests and decisions.
//!
//! The request is read with the same Go-compatible JSON reader as policies, strictly: unknown
//! or repeated fields are an error. The `policy` value's bytes, exactly as they stand in the
//! request, are the policy document, so the policy's own strictness errors are reported as
//! policy errors.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::Serialize;

use crate::gojson::{self, Member, Node, Value};
use crate::policy::{
    CompileOptions, Decision, Evaluator, Evidence, Files, Image, Policy, PolicyError, Reason,
    Signature,
};

/// The largest request vouch reads, in bytes: a policy of up to
/// [`MAX_POLICY_BYTES`](crate::MAX_POLICY_BYTES) with room for its files and signatures.
pub const MAX_EVALUATE_REQUEST: usize = 96 * 1024 * 1024;

/// Requests nest no deeper than a policy inside them.
const MAX_REQUEST_DEPTH: usize = crate::gojson::MAX_DEPTH + 2;

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
    pub now: Option<i64>,
}

/// Where a rejected policy went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyErrorLocation {
    /// The JSON path of the offending value.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The scope that decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopeAnswer {
    /// The transport (`null` for the global default).
    pub transport: Option<String>,
    /// The scope (`""` for a transport's default entry).
    pub scope: String,
}

/// The image as the transport named it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImageAnswer {
    /// The transport.
    pub transport: String,
    /// The most specific policy scope (`PolicyConfigurationIdentity`).
    pub policy_identity: String,
    /// The image's docker reference, if it has one.
    pub docker_reference: Option<String>,
}

/// One signature's outcome under one requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureAnswer {
    /// 0-based position in the request's `signatures`.
    pub index: usize,
    /// `simple` or `sigstore`.
    #[cfg_attr(feature = "ts", ts(type = "\"simple\" | \"sigstore\""))]
    pub kind: String,
    /// `accepted`, `rejected` or `skipped`.
    #[cfg_attr(feature = "ts", ts(type = "\"accepted\" | \"rejected\" | \"skipped\""))]
    pub verdict: String,
    /// The stable reason code.
    pub reason: String,
    /// The reason for a person.
    pub message: String,
}

/// One requirement's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequirementAnswer {
    /// 0-based position in the scope's list.
    pub index: usize,
    /// The requirement's `type`.
    #[serde(rename = "type")]
    pub requirement_type: String,
    /// `allowed`, `denied` or `not_evaluated`.
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"allowed\" | \"denied\" | \"not_evaluated\"")
    )]
    pub verdict: String,
    /// The stable reason code (empty unless denied).
    pub reason: String,
    /// The reason for a person (empty unless denied).
    pub message: String,
    /// What happened to each signature it looked at.
    pub signatures: Vec<SignatureAnswer>,
}

/// The decision, as every surface writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionAnswer {
    /// The request's `id`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// The verdict.
    pub allowed: bool,
    /// Why the policy document was rejected; empty when it was accepted.
    pub policy_error: String,
    /// The stable class of the failure; empty when allowed.
    pub error_kind: String,
    /// One line for a person; empty when allowed.
    pub error: String,
    /// The headline's reason code when a requirement denied; empty otherwise.
    pub reason: String,
    /// Which policy entry decided; `null` when none did (bad request, policy or reference).
    pub scope: Option<ScopeAnswer>,
    /// The image, when its reference was accepted.
    pub image: Option<ImageAnswer>,
    /// Per requirement of the deciding scope, in order.
    pub requirements: Vec<RequirementAnswer>,
    /// Where the policy went wrong, when it was rejected.
    pub policy_error_location: Option<PolicyErrorLocation>,
}

impl DecisionAnswer {
    fn failure(id: Option<String>, kind: &str, error: String) -> Self {
        Self {
            id,
            allowed: false,
            policy_error: String::new(),
            error_kind: kind.into(),
            error,
            reason: String::new(),
            scope: None,
            image: None,
            requirements: Vec::new(),
            policy_error_location: None,
        }
    }

    /// The answer for a rejected policy document.
    pub fn policy_rejected(id: Option<String>, error: &PolicyError) -> Self {
        Self {
            policy_error: error.to_string(),
            policy_error_location: Some(PolicyErrorLocation {
                path: error.path().into(),
                line: error.line(),
                column: error.column(),
            }),
            ..Self::failure(id, error.kind().name(), error.to_string())
        }
    }

    /// The answer for a request that could not be read.
    pub fn invalid_request(id: Option<String>, error: String) -> Self {
        Self::failure(id, "invalid_request", error)
    }

    /// The answer for a decision.
    pub fn from_decision(
        id: Option<String>,
        image: &Image,
        decision: &Decision<'_>,
        signatures: &[Signature],
    ) -> Self {
        let headline = decision.headline();
        let requirements = decision
            .requirements()
            .iter()
            .enumerate()
            .map(|(index, outcome)| RequirementAnswer {
                index,
                requirement_type: outcome.requirement.into(),
                verdict: outcome.verdict.name().into(),
                reason: outcome.reason.as_ref().map_or("", Reason::code).into(),
                message: outcome
                    .reason
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                signatures: outcome
                    .signatures
                    .iter()
                    .map(|s| SignatureAnswer {
                        index: s.index,
                        kind: signatures.get(s.index).map_or("", Signature::kind).into(),
                        verdict: s.verdict.name().into(),
                        reason: s.reason.code().into(),
                        message: s.reason.to_string(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            id,
            allowed: decision.allowed,
            policy_error: String::new(),
            error_kind: if decision.allowed {
                String::new()
            } else {
                String::from("requirement")
            },
            error: decision.message(),
            reason: headline.map_or("", |h| h.reason.code()).into(),
            scope: Some(ScopeAnswer {
                transport: decision.scope.transport.map(Into::into),
                scope: decision.scope.scope.into(),
            }),
            image: Some(image_answer(image)),
            requirements,
            policy_error_location: None,
        }
    }
}

fn image_answer(image: &Image) -> ImageAnswer {
    ImageAnswer {
        transport: image.transport().name().into(),
        policy_identity: image.policy_identity().into(),
        docker_reference: image.docker_reference().map(|r| r.as_str().into()),
    }
}

/// Reads a request. The error is one line for a person; the id is recovered when possible.
pub fn evaluate_request(input: &[u8]) -> Result<EvaluateRequest, (Option<String>, String)> {
    read_part(input, Part::Whole)
}

/// Which fields a document may hold: a whole request, or one of its two halves (the policy
/// with its files, compiled once; the image with its evidence, decided many times).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
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

fn read_part(input: &[u8], part: Part) -> Result<EvaluateRequest, (Option<String>, String)> {
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
                    crate::time::parse_rfc3339(&text)
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
        None => String::from(crate::policy::SIGSTORE_SIGNATURE_MIME),
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

/// Decides a parsed request.
pub fn evaluate_parsed(request: &EvaluateRequest) -> DecisionAnswer {
    let id = request.id.clone();
    let policy = match Policy::parse(&request.policy) {
        Ok(policy) => policy,
        Err(error) => return DecisionAnswer::policy_rejected(id, &error),
    };
    let evaluator = Evaluator::compile(&policy, &request.files, &CompileOptions::default());
    evaluate_with(&evaluator, request)
}

/// Decides a parsed request with an already compiled policy (the request's own policy and
/// files must be the ones it was compiled from).
pub fn evaluate_with(evaluator: &Evaluator, request: &EvaluateRequest) -> DecisionAnswer {
    let id = request.id.clone();
    let image = match Image::parse(&request.transport, &request.reference) {
        Ok(image) => image,
        Err(error) => return DecisionAnswer::failure(id, error.kind(), error.to_string()),
    };
    let evidence = Evidence {
        manifest: &request.manifest,
        signatures: &request.signatures,
        now: request.now,
    };
    let decision = evaluator.evaluate(&image, &evidence);
    DecisionAnswer::from_decision(id, &image, &decision, &request.signatures)
}

/// Reads a request and decides it.
pub fn evaluate_answer(input: &[u8]) -> DecisionAnswer {
    match evaluate_request(input) {
        Ok(request) => evaluate_parsed(&request),
        Err((id, error)) => DecisionAnswer::invalid_request(id, error),
    }
}

/// Reads a request and writes the decision as one line of JSON (without the newline).
pub fn evaluate_line(input: &[u8]) -> String {
    decision_json(&evaluate_answer(input))
}

/// A decision as one line of JSON.
pub fn decision_json(answer: &DecisionAnswer) -> String {
    serde_json::to_string(answer).unwrap_or_else(|_| {
        // Serialising these plain structs cannot fail; if it ever did, deny loudly.
        String::from(
            r#"{"allowed":false,"policy_error":"","error_kind":"internal","error":"internal error: the decision could not be written","reason":"","scope":null,"image":null,"requirements":[],"policy_error_location":null}"#,
        )
    })
}

/// What compiling a policy found, as the C library and the wasm package report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CompileReport {
    /// Whether the policy document was accepted; when false every decision is a denial
    /// carrying the same error.
    pub accepted: bool,
    /// The stable class of the failure; empty when accepted.
    pub error_kind: String,
    /// One line for a person; empty when accepted.
    pub error: String,
    /// Why the policy document was rejected; empty when it was accepted or could not be read.
    pub policy_error: String,
    /// Where the policy went wrong, when it was rejected.
    pub policy_error_location: Option<PolicyErrorLocation>,
    /// Every file the policy names, sorted.
    pub files_needed: Vec<String>,
    /// The named files that were not given (each behaves as a file that does not exist).
    pub files_missing: Vec<String>,
}

/// A policy and its files, read and compiled once, then used for many requests: the form the
/// C library's evaluator handle and the wasm package's `Evaluator` class take.
///
/// The policy half of a request (`policy`, `policy_text` or `policy_base64`, and `files`) is
/// given to [`CompiledPolicy::compile`]; each request then carries only the image half (`id`,
/// `transport`, `reference`, `manifest`, `signatures`, `now`). The decision is byte-identical
/// to the one-shot decision of the two halves merged into one request. A policy that is
/// rejected, or a policy half that cannot be read, still compiles: every decision is then the
/// denial explaining why, and [`CompiledPolicy::report`] says so up front.
///
/// Immutable and `Send + Sync`: share it between threads freely.
#[derive(Debug)]
pub struct CompiledPolicy {
    state: Compiled,
    report: CompileReport,
}

#[derive(Debug)]
enum Compiled {
    Ready(alloc::boxed::Box<Evaluator>),
    Rejected(PolicyError),
    Unreadable(String),
}

impl CompiledPolicy {
    /// Reads the policy half of a request and compiles it.
    pub fn compile(input: &[u8]) -> Self {
        let half = match read_part(input, Part::Policy) {
            Ok(half) => half,
            Err((_, error)) => {
                let report = CompileReport {
                    accepted: false,
                    error_kind: String::from("invalid_request"),
                    error: error.clone(),
                    policy_error: String::new(),
                    policy_error_location: None,
                    files_needed: Vec::new(),
                    files_missing: Vec::new(),
                };
                return Self {
                    state: Compiled::Unreadable(error),
                    report,
                };
            }
        };
        match Policy::parse(&half.policy) {
            Ok(policy) => {
                let needed: Vec<String> = policy
                    .files_needed()
                    .into_iter()
                    .map(String::from)
                    .collect();
                let files_missing = needed
                    .iter()
                    .filter(|path| !half.files.contains_key(path.as_str()))
                    .cloned()
                    .collect();
                let evaluator =
                    Evaluator::compile(&policy, &half.files, &CompileOptions::default());
                Self {
                    state: Compiled::Ready(alloc::boxed::Box::new(evaluator)),
                    report: CompileReport {
                        accepted: true,
                        error_kind: String::new(),
                        error: String::new(),
                        policy_error: String::new(),
                        policy_error_location: None,
                        files_needed: needed,
                        files_missing,
                    },
                }
            }
            Err(error) => {
                let answer = DecisionAnswer::policy_rejected(None, &error);
                Self {
                    report: CompileReport {
                        accepted: false,
                        error_kind: answer.error_kind,
                        error: answer.error,
                        policy_error: answer.policy_error,
                        policy_error_location: answer.policy_error_location,
                        files_needed: Vec::new(),
                        files_missing: Vec::new(),
                    },
                    state: Compiled::Rejected(error),
                }
            }
        }
    }

    /// What compiling found.
    pub fn report(&self) -> &CompileReport {
        &self.report
    }

    /// The report as one line of JSON.
    pub fn report_json(&self) -> String {
        serde_json::to_string(&self.report).unwrap_or_else(|_| {
            String::from(
                r#"{"accepted":false,"error_kind":"internal","error":"internal error: the report could not be written","policy_error":"","policy_error_location":null,"files_needed":[],"files_missing":[]}"#,
            )
        })
    }

    /// Reads the image half of a request and decides it.
    pub fn evaluate_answer(&self, input: &[u8]) -> DecisionAnswer {
        let request = match read_part(input, Part::Image) {
            Ok(request) => request,
            Err((id, error)) => return DecisionAnswer::invalid_request(id, error),
        };
        match &self.state {
            Compiled::Ready(evaluator) => evaluate_with(evaluator, &request),
            Compiled::Rejected(error) => DecisionAnswer::policy_rejected(request.id, error),
            Compiled::Unreadable(error) => {
                DecisionAnswer::invalid_request(request.id, error.clone())
            }
        }
    }

    /// Reads the image half of a request and writes the decision as one line of JSON.
    pub fn evaluate_line(&self, input: &[u8]) -> String {
        decision_json(&self.evaluate_answer(input))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a whole request (a JSON object) into its policy and image halves.
    fn halves(line: &str) -> (String, String) {
        let value: serde_json::Value = serde_json::from_str(line).expect("request JSON");
        let serde_json::Value::Object(members) = value else {
            panic!("not an object")
        };
        let (mut policy, mut image) = (serde_json::Map::new(), serde_json::Map::new());
        for (key, value) in members {
            if POLICY_FIELDS.contains(&key.as_str()) {
                policy.insert(key, value);
            } else {
                image.insert(key, value);
            }
        }
        (
            serde_json::Value::Object(policy).to_string(),
            serde_json::Value::Object(image).to_string(),
        )
    }

    #[test]
    fn compiled_policy_decides_as_the_whole_request() {
        let lines = include_str!("../../../docs/examples/policy/requests.jsonl");
        let mut seen = 0;
        for line in lines.lines() {
            let (policy, image) = halves(line);
            let compiled = CompiledPolicy::compile(policy.as_bytes());
            // serde_json reorders nothing inside the policy text, so the decision must match
            // the one-shot decision of the line itself.
            assert_eq!(
                compiled.evaluate_line(image.as_bytes()),
                evaluate_line(line.as_bytes())
            );
            seen += 1;
        }
        assert!(seen >= 8);
    }

    #[test]
    fn rejected_and_unreadable_policies_deny_every_request() {
        let image = br#"{"id":"a","transport":"docker","reference":"busybox"}"#;
        let rejected = CompiledPolicy::compile(br#"{"policy":{"default":[{"type":"nope"}]}}"#);
        assert!(!rejected.report().accepted);
        assert!(!rejected.report().policy_error.is_empty());
        let whole = br#"{"policy":{"default":[{"type":"nope"}]},"id":"a","transport":"docker","reference":"busybox"}"#;
        assert_eq!(rejected.evaluate_line(image), evaluate_line(whole));

        let unreadable = CompiledPolicy::compile(br#"{"policy":{"default":[]},"transport":"x"}"#);
        let report = unreadable.report();
        assert!(!report.accepted);
        assert_eq!(report.error_kind, "invalid_request");
        assert!(
            report.error.contains("belongs to a request"),
            "{}",
            report.error
        );
        let answer = unreadable.evaluate_answer(image);
        assert!(!answer.allowed);
        assert_eq!(answer.id.as_deref(), Some("a"));
        assert_eq!(answer.error, report.error);

        let missing = CompiledPolicy::compile(br#"{"files":{}}"#);
        assert!(missing.report().error.contains("one of policy"));
    }

    #[test]
    fn image_half_may_not_carry_the_policy() {
        let compiled = CompiledPolicy::compile(
            br#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]}}"#,
        );
        assert!(compiled.report().accepted);
        assert!(compiled.report().files_needed.is_empty());
        let ok = compiled.evaluate_answer(br#"{"transport":"docker","reference":"busybox"}"#);
        assert!(ok.allowed);
        for smuggled in [
            &br#"{"transport":"docker","reference":"busybox","policy":{"default":[]}}"#[..],
            br#"{"transport":"docker","reference":"busybox","files":{}}"#,
        ] {
            let answer = compiled.evaluate_answer(smuggled);
            assert!(!answer.allowed);
            assert_eq!(answer.error_kind, "invalid_request");
            assert!(answer.error.contains("belongs to the compiled policy"));
        }
        let answer = compiled.evaluate_answer(br#"{"reference":"busybox"}"#);
        assert_eq!(answer.error, "transport is required");
    }

    #[test]
    fn report_lists_needed_and_missing_files() {
        let compiled = CompiledPolicy::compile(
            br#"{"policy":{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":["/b","/a"]}]},"files":{"/a":""}}"#,
        );
        let report = compiled.report();
        assert!(report.accepted);
        assert_eq!(report.files_needed, ["/a", "/b"]);
        assert_eq!(report.files_missing, ["/b"]);
        let json: serde_json::Value = serde_json::from_str(&compiled.report_json()).unwrap();
        assert_eq!(json["files_missing"][0], "/b");
    }

    #[test]
    fn compiled_policy_is_shareable() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<CompiledPolicy>();
    }
}
