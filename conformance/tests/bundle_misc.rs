//! ../shared/vectors/sigstore-misc: the verification cases sigstore-go's and sigstore-python's
//! own tests assert, decided by vouch's `verify_bundle`, each as upstream expects or as a
//! divergence listed here with its reason (docs/bundles.md, "sigstore-misc"). Cases that are
//! not bundle verifications (certificate classification, signing configs, a bare time-stamp
//! response) are listed with why vouch has nothing to decide for them.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::Digest as _;
use vouch::{
    Artifact, Bundle, BundleIdentity, Expected, NameMatch, Regexp, TrustedRoot, verify_bundle,
};

fn dir() -> PathBuf {
    vouch_conformance::shared_dir().join("vectors/sigstore-misc")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// What vouch decides for a case, or `None` when the case is not a bundle verification.
enum Outcome {
    Verified,
    Refused(String),
    /// Not something vouch verifies (why).
    NotApplicable(&'static str),
}

/// Anything: the "no identity policy" of upstream's offline tests.
fn any_identity() -> Vec<BundleIdentity> {
    let any = || NameMatch::Regexp(Regexp::new("").expect("the empty pattern"));
    vec![BundleIdentity::new(any(), any())]
}

fn decide(case: &Value) -> Outcome {
    let d = dir();
    let Some(bundle_path) = case["bundle"].as_str() else {
        return if case.get("timestamp_response").is_some() {
            Outcome::NotApplicable(
                "a bare RFC 3161 response outside a bundle: vouch verifies time stamps only inside bundles",
            )
        } else {
            Outcome::NotApplicable(
                "not a verification: sigstore-python's certificate classification or a parse of a signing config or CA fragment (the trusted-root reading differential reads every trusted root here against sigstore-go)",
            )
        };
    };
    let mut bundle_bytes = read(&d.join(bundle_path));
    if let Some(mutation) = case["mutation"].as_str() {
        assert!(
            mutation.contains("messageDigest.digest to empty"),
            "{mutation}"
        );
        let mut doc: Value = serde_json::from_slice(&bundle_bytes).expect("json");
        doc["messageSignature"]["messageDigest"]["digest"] = Value::String(String::new());
        bundle_bytes = doc.to_string().into_bytes();
    }
    let bundle = match Bundle::from_json(&bundle_bytes) {
        Ok(bundle) => bundle,
        Err(e) => return Outcome::Refused(format!("read: {e}")),
    };
    let root_path = case["trusted_root"].as_str().map_or_else(
        || d.join("sigstore-python/_store/production-trusted_root.json"),
        |p| d.join(p),
    );
    let mut root_doc: Value = serde_json::from_slice(&read(&root_path)).expect("root json");
    if let Some(tsa) = case["tsa_override"].as_str() {
        // sigstore-python's TSA tests: the staging root with its time-stamp authorities
        // replaced by the test CA.
        let authority: Value = serde_json::from_slice(&read(&d.join(tsa))).expect("tsa json");
        root_doc["timestampAuthorities"] = Value::Array(vec![authority]);
    }
    let root = match TrustedRoot::from_json(root_doc.to_string().as_bytes()) {
        Ok(root) => root,
        Err(e) => return Outcome::Refused(format!("trusted root: {e}")),
    };
    // The artifact: its bytes, its digest, or (for DSSE cases upstream checks without one)
    // the statement's first subject.
    // sigstore-python's `verify_dsse` checks no artifact: the statement's subject stands in.
    let dsse_only = case["expected"]
        .as_str()
        .is_some_and(|e| e.contains("verify_dsse"));
    // The year-2000 case is bundle.txt's bundle, verified for its own artifact.
    let artifact_path = case["artifact"].as_str().or_else(|| {
        case["name"]
            .as_str()
            .filter(|n| n.contains("year 2000"))
            .map(|_| "sigstore-python/bundle.txt")
    });
    let artifact_bytes = artifact_path
        .filter(|_| !dsse_only)
        .map(|p| read(&d.join(p)))
        .or_else(|| {
            case["artifact_text"]
                .as_str()
                .map(|t| t.as_bytes().to_vec())
        });
    let mut digest = None;
    if let Some(map) = case["artifact_digest"].as_object() {
        let (algorithm, hex) = map.iter().next().expect("one digest");
        digest = Some((algorithm.clone(), unhex(hex.as_str().expect("hex"))));
    }
    if artifact_bytes.is_none() && digest.is_none() {
        let doc: Value = serde_json::from_slice(&bundle_bytes).expect("json");
        let payload = <base64ct::Base64 as base64ct::Encoding>::decode_vec(
            doc["dsseEnvelope"]["payload"].as_str().unwrap_or(""),
        )
        .unwrap_or_default();
        let statement: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
        if let Some(map) = statement["subject"][0]["digest"].as_object() {
            let (algorithm, hex) = map.iter().next().expect("one digest");
            digest = Some((algorithm.clone(), unhex(hex.as_str().expect("hex"))));
        } else {
            // A message signature over nothing known: its own digest.
            let message = sha2::Sha256::digest(b"").to_vec();
            digest = Some(("sha256".into(), message));
        }
    }
    let artifact = match (&artifact_bytes, &digest) {
        (Some(bytes), _) => Artifact::Bytes(bytes),
        (None, Some((algorithm, digest))) => Artifact::Digest { algorithm, digest },
        (None, None) => unreachable!(),
    };
    let key = case["key"].as_str().map(|p| read(&d.join(p)));
    let identity = &case["identity"];
    let rules = if identity.is_null() {
        any_identity()
    } else {
        let issuer = NameMatch::Exact(identity["issuer"].as_str().expect("issuer").into());
        let subject = match (identity["san"].as_str(), identity["san_regex"].as_str()) {
            (Some(san), _) => NameMatch::Exact(san.into()),
            (None, Some(re)) => NameMatch::Regexp(Regexp::new(re).expect("the pattern")),
            _ => panic!("no SAN in {identity}"),
        };
        vec![BundleIdentity::new(issuer, subject)]
    };
    let expected = match &key {
        Some(pem) => Expected::Key(pem),
        None => Expected::Identities(&rules),
    };
    match verify_bundle(&bundle, artifact, &root, expected) {
        Ok(_) => Outcome::Verified,
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// Cases where vouch's outcome differs from upstream's assertion, and why (docs/bundles.md).
const DIVERGENCES: &[(&str, &str)] = &[
    (
        "sigstore-go: managed public key, key validity window vs signed timestamp",
        "upstream gives the key a validity window of [unix 0, unix 1] in the test's code; a managed key given to vouch has no window (the operator names the key), so the bundle verifies",
    ),
    (
        "sigstore-python: bundle.txt certificate chain at year 2000",
        "upstream builds the chain at a time the test chooses (2000-01-01); vouch, like sigstore-go, checks the chain only at the times the bundle's log and time stamps observed, so the bundle verifies",
    ),
];

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn sigstore_misc_as_upstream_asserts() {
    let index: Value =
        serde_json::from_slice(&read(&dir().join("cases.json"))).expect("cases.json");
    let (mut agree, mut documented, mut not_applicable, mut unasserted) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for case in index["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let expected = case["expected"].as_str().map(|e| {
            if e.starts_with("pass") {
                Some(true)
            } else if e.starts_with("fail") {
                Some(false)
            } else {
                None
            }
        });
        let outcome = decide(case);
        let (verified, why) = match &outcome {
            Outcome::Verified => (true, String::new()),
            Outcome::Refused(why) => (false, why.clone()),
            Outcome::NotApplicable(why) => {
                eprintln!("  not applicable: {name}: {why}");
                not_applicable += 1;
                continue;
            }
        };
        let Some(Some(expected)) = expected else {
            eprintln!("  not asserted upstream: {name}: vouch verified={verified} {why}");
            unasserted += 1;
            continue;
        };
        if verified == expected {
            agree += 1;
        } else if let Some((_, reason)) = DIVERGENCES.iter().find(|(n, _)| *n == name) {
            eprintln!("  documented divergence: {name}: {reason}");
            documented += 1;
        } else {
            wrong.push(format!(
                "{name}: expected {expected}, vouch {verified}: {why}"
            ));
        }
    }
    eprintln!(
        "sigstore-misc: {agree} as upstream asserts, {documented} documented divergences, {unasserted} not asserted, {not_applicable} not bundle verifications"
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(
        documented,
        DIVERGENCES.len(),
        "a listed divergence no longer occurs"
    );
    assert!(agree >= 15, "too few cases decided");
}
