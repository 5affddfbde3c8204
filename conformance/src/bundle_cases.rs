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
