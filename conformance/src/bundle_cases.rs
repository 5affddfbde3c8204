//! Bundle verification requests (interchange.md, "Verify a sigstore bundle") from the suites in
//! `shared/vectors`: sigstore-conformance's `bundle-verify` cases, each once with the artifact
//! and once with its digest, as upstream runs them.

use std::path::Path;

use serde_json::{Map, Value, json};

/// One verification and what the suite expects of it.
#[derive(Clone, Debug)]
pub struct BundleCase {
    /// The case's name, with ` (digest)` for the run with the artifact's digest.
    pub name: String,
    /// Whether the suite expects the bundle to verify.
    pub expected: bool,
    /// The request.
    pub request: Value,
}

fn b64(bytes: &[u8]) -> String {
    <base64ct::Base64 as base64ct::Encoding>::encode_string(bytes)
}

/// The public-good trusted root the suite's cases without their own root use.
fn public_good(vectors: &Path) -> Value {
    read_json(&vectors.join("trusted-root/public-good-trusted_root.json"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The 140 verifications of sigstore-conformance's `bundle-verify` cases.
///
/// # Panics
/// When the vectors are missing or malformed.
#[must_use]
pub fn conformance_cases() -> Vec<BundleCase> {
    let vectors = crate::shared_dir().join("vectors");
    let suite = vectors.join("sigstore-conformance");
    let index = read_json(&suite.join("cases.json"));
    let public_good = public_good(&vectors);
    let mut out = Vec::new();
    for case in index["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let bundle_bytes = std::fs::read(suite.join(case["bundle"].as_str().expect("bundle")))
            .expect("the bundle");
        let artifact = std::fs::read(suite.join(case["artifact"].as_str().expect("artifact")))
            .expect("the artifact");
        let root = match case["trusted_root"].as_str().expect("trusted_root") {
            r if r.starts_with("PUBLIC_GOOD") => public_good.clone(),
            r => read_json(&suite.join(r)),
        };
        let mut request = Map::new();
        // The bundle as its bytes: some cases are not JSON at all.
        request.insert("bundle_base64".into(), json!(b64(&bundle_bytes)));
        request.insert("trusted_root".into(), root);
        let with = &case["verify_with"];
        if let Some(key) = with["key"].as_str() {
            let pem = std::fs::read_to_string(suite.join(key)).expect("the key");
            request.insert("key".into(), json!(pem));
        } else {
            request.insert(
                "identity".into(),
                json!({
                    "subject": with["certificate_identity"],
                    "issuer": with["certificate_oidc_issuer"],
                }),
            );
        }
        let expected = case["expected"] == "pass";
        let mut by_artifact = request.clone();
        by_artifact.insert("artifact".into(), json!(b64(&artifact)));
        out.push(BundleCase {
            name: name.to_string(),
            expected,
            request: Value::Object(by_artifact),
        });
        let mut by_digest = request;
        by_digest.insert("artifact_digest".into(), case["artifact_sha256"].clone());
        out.push(BundleCase {
            name: format!("{name} (digest)"),
            expected,
            request: Value::Object(by_digest),
        });
    }
    out
}

/// vouch's decision on a request, through the JSON contract (`vouch::json::bundle_answer`, as
/// `vouch bundle` answers it): whether the bundle verified, and why not.
#[must_use]
pub fn decide(request: &Value) -> (bool, String) {
    let answer = vouch::json::bundle_answer(request.to_string().as_bytes());
    (
        answer.verified,
        format!("{}: {}", answer.error_kind, answer.error),
    )
}

/// Every file under `shared/vectors` whose path `select` accepts, as text, labelled by its path
/// there; sorted.
///
/// # Panics
/// When the vectors are missing.
#[must_use]
pub fn vector_texts(select: impl Fn(&Path) -> bool) -> Vec<(String, String)> {
    let vectors = crate::shared_dir().join("vectors");
    let mut out = Vec::new();
    let mut stack = vec![vectors.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if select(&path)
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                let label = path
                    .strip_prefix(&vectors)
                    .expect("under vectors")
                    .display()
                    .to_string();
                out.push((label, text));
            }
        }
    }
    out.sort();
    out
}

/// Sends each document to the sigstore-go oracle with `op` (`bundle` or `trusted_root`, the
/// document as `field`) and compares its acceptance with `ours`; prints the summary as `what`
/// and fails on any disagreement or when fewer than `min_accepted` were accepted.
///
/// # Panics
/// As said, and when the oracle fails.
pub fn compare_acceptance(
    cases: &[(String, String)],
    op: &str,
    field: &str,
    what: &str,
    min_accepted: usize,
    ours: impl Fn(&[u8]) -> Result<(), String>,
) {
    let oracle = crate::oracle::sigstore_go();
    let requests: Vec<Value> = cases
        .iter()
        .map(|(_, text)| json!({"op": op, field: text}))
        .collect();
    let answers = crate::oracle::ask(&oracle, &requests);
    let mut disagreements = Vec::new();
    let mut accepted = 0;
    for ((label, text), answer) in cases.iter().zip(&answers) {
        assert!(answer.get("oracle_error").is_none(), "{label}: {answer}");
        let theirs = answer["verified"] == true;
        let result = ours(text.as_bytes());
        accepted += usize::from(theirs);
        if result.is_ok() != theirs {
            disagreements.push(format!(
                "{label}: sigstore-go {}, vouch {}",
                answer["error"],
                result.err().unwrap_or_else(|| "accepted".into())
            ));
        }
    }
    eprintln!(
        "{what}: {} documents, {accepted} accepted by sigstore-go, {} disagreements",
        cases.len(),
        disagreements.len()
    );
    assert!(
        accepted >= min_accepted,
        "too few accepted {what} to mean anything"
    );
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(40)].join("\n")
    );
}

const ROOT_PATH: &str = "/etc/vouch/trusted_root.json";
const KEY_PATH: &str = "/etc/vouch/bundle-key.pub";

fn unb64(text: &str) -> Vec<u8> {
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(text).expect("base64")
}

/// Go's `regexp.QuoteMeta`.
#[must_use]
pub fn quote_meta(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The DSSE statement's predicate type, when the bundle is JSON with an in-toto envelope.
fn predicate_type(bundle: &[u8]) -> Option<String> {
    let doc: Value = serde_json::from_slice(bundle).ok()?;
    let payload = unb64(doc["dsseEnvelope"]["payload"].as_str()?);
    let statement: Value = serde_json::from_slice(&payload).ok()?;
    statement["predicateType"].as_str().map(String::from)
}

/// A conformance bundle as the evidence of an image whose manifest is the case's artifact.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The case's name.
    pub name: String,
    /// Whether `vouch bundle` verifies the bundle for the artifact.
    pub verified: bool,
    /// The DSSE statement's predicate type.
    pub predicate: Option<String>,
    /// Whether the case names an identity (else a managed key).
    pub keyless: bool,
    /// The evaluate request without its policy.
    pub request: Value,
    /// The `vouchSigstoreBundle` requirement the case's own verification options make.
    pub requirement: Value,
}

impl Evaluation {
    /// The request with a policy whose scope for the image holds `requirement`, in `dialect`.
    #[must_use]
    pub fn with_requirement(&self, requirement: &Value, dialect: Option<&str>) -> Value {
        let mut request = self.request.clone();
        request["policy"] = json!({
            "default": [{"type": "reject"}],
            "transports": {"docker": {"registry.example/team": [requirement]}},
        });
        if let Some(d) = dialect {
            request["policy_dialect"] = json!(d);
        }
        request
    }
}

/// Every sigstore-conformance case, by artifact, as image evidence.
///
/// # Panics
/// When the vectors are missing or malformed.
#[must_use]
pub fn evidence_evaluations() -> Vec<Evaluation> {
    conformance_cases()
        .into_iter()
        .filter(|case| case.request.get("artifact").is_some())
        .map(|case| {
            let r = &case.request;
            let bundle = unb64(r["bundle_base64"].as_str().expect("bundle"));
            let root = r["trusted_root"].to_string();
            let mut files = serde_json::Map::new();
            files.insert(ROOT_PATH.into(), json!(b64(root.as_bytes())));
            let mut requirement =
                json!({"type": "vouchSigstoreBundle", "trustedRootPath": ROOT_PATH});
            let keyless = r.get("key").is_none();
            if let Some(key) = r["key"].as_str() {
                files.insert(KEY_PATH.into(), json!(b64(key.as_bytes())));
                requirement["keyPath"] = json!(KEY_PATH);
            } else {
                requirement["identities"] = json!([{
                    "issuer": r["identity"]["issuer"],
                    "subject": r["identity"]["subject"],
                }]);
            }
            let predicate = predicate_type(&bundle);
            if let Some(p) = &predicate {
                requirement["predicateTypes"] = json!([p]);
            }
            let request = json!({
                "files": Value::Object(files),
                "transport": "docker",
                "reference": "registry.example/team/app:v1",
                "manifest": r["artifact"],
                "signatures": [
                    {"kind": "simple", "blob": b64(b"not a signature")},
                    {"kind": "bundle", "bundle_base64": b64(&bundle)},
                ],
                "now": "2026-11-22T12:00:00Z",
            });
            Evaluation {
                name: case.name,
                verified: decide(&case.request).0,
                predicate,
                keyless,
                request,
                requirement,
            }
        })
        .collect()
}
