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
