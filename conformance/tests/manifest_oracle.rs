//! Differential test of manifest digests against containers/image 5.34.2's `manifest.Digest`
//! (reported by the oracle's `sign-sigstore` op): media-type sniffing and signed schema 1
//! stripping, on generated manifests.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};
use vouch::manifest::manifest_digest;
use vouch_conformance::generate::Rng;
use vouch_conformance::oracle;

/// The P-256 generator point, a valid JWK for libtrust.
const JWK: &str = r#"{"crv":"P-256","kid":"LTJF:F6YM:5CJS:INX2:7DGN:CBAJ:QG4J:5ZFN:NOP6:TYVC:W7TR:VLFS","kty":"EC","x":"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY","y":"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU"}"#;

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

fn schema1(rng: &mut Rng) -> String {
    let body = format!(
        "{{\n   \"schemaVersion\": 1,\n   \"name\": \"ns/app\",\n   \"tag\": \"{}\",\n   \"architecture\": \"amd64\",\n   \"fsLayers\": []",
        rng.below(100)
    );
    let tail = "\n}";
    let length = body.len();
    let mut entries = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let entry_length: String = match rng.below(14) {
            0 => "0".into(),
            1 => format!("{}", length + 1 + rng.below(3)),
            2 => format!("{length}.7"),
            3 => format!("\"{length}\""),
            4 => format!("{}", length.saturating_sub(1 + rng.below(5))),
            5 => "1e1".into(),
            _ => format!("{length}"),
        };
        let entry_tail = match rng.below(12) {
            0 => "null".to_string(),
            1 => format!("\"{}\"", url(b"\n]")),
            2 => "\"!!\"".into(),
            3 => format!("\"{}=\"", url(tail.as_bytes())),
            _ => format!("\"{}\"", url(tail.as_bytes())),
        };
        let protected = format!(
            r#"{{"formatLength":{entry_length},"formatTail":{entry_tail},"time":"2016-01-01T00:00:00Z"}}"#
        );
        let protected = match rng.below(15) {
            0 => "not base64!".to_string(),
            1 => url(b"[1,2]"),
            2 => {
                let mut p = url(protected.as_bytes());
                p.insert(3, '\n');
                p
            }
            _ => url(protected.as_bytes()),
        };
        let header = match rng.below(14) {
            0 => r#"{"alg":"ES256"}"#.to_string(),
            1 => r#"{"alg":"ES256","jwk":null}"#.to_string(),
            2 => r#"{"alg":5,"jwk":{}}"#.to_string(),
            3 => format!(r#"{{"alg":"ES256","jwk":{JWK},"x5c":"nope"}}"#),
            4 => format!(r#"{{"alg":"ES256","jwk":{}}}"#, JWK.replace("LTJF", "AAAA")),
            5 => format!(
                r#"{{"alg":"ES256","jwk":{}}}"#,
                JWK.replace("axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY", "AQ")
            ),
            6 => r#"{"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}}"#.to_string(),
            _ => format!(r#"{{"alg":"ES256","jwk":{JWK}}}"#),
        };
        let key = if rng.chance(5) {
            "Protected"
        } else {
            "protected"
        };
        entries.push(format!(
            r#"{{"header":{header},"signature":"c2ln","{key}":"{protected}"}}"#
        ));
    }
    let signatures_key = match rng.below(20) {
        0 => "Signatures",
        1 => "SIGNATURES",
        _ => "signatures",
    };
    let signatures = match rng.below(25) {
        0 => "null".to_string(),
        1 => "{}".to_string(),
        _ => format!("[{}]", entries.join(",")),
    };
    let mut manifest = format!("{body},\n   \"{signatures_key}\": {signatures}{tail}");
    if rng.chance(5) {
        // A duplicate "signatures" member: Go keeps the last one.
        manifest = manifest.replacen(
            "\"schemaVersion\"",
            "\"signatures\": null,\n   \"schemaVersion\"",
            1,
        );
    }
    manifest
}

fn other(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}"#.into(),
        1 => r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","signatures":[]}"#.into(),
        2 => r#"{"schemaVersion":1,"mediaType":"application/vnd.oci.image.index.v1+json","signatures":[1]}"#.into(),
        3 => r#"{"schemaVersion":"1","signatures":[]}"#.into(),
        4 => r#"{"schemaVersion":1.0,"signatures":[]}"#.into(),
        5 => r#"{"SchemaVersion":1,"mediaType":5,"signatures":[]}"#.into(),
        6 => "not json".into(),
        _ => format!(r#"{{"schemaVersion":1,"name":"x{}","fsLayers":[]}}"#, rng.below(1000)),
    }
}

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn manifest_digests_agree_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let mut rng = Rng::new(0x5eed_0005);
    let manifests: Vec<String> = (0..1500)
        .map(|i| {
            if i % 4 == 0 {
                other(&mut rng)
            } else {
                schema1(&mut rng)
            }
        })
        .collect();
    let requests: Vec<Value> = manifests
        .iter()
        .map(|m| json!({"op": "sign-sigstore", "manifest": Base64::encode_string(m.as_bytes()), "private_key_pem": ""}))
        .collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut failures = Vec::new();
    let (mut digested, mut refused, mut stripped, mut empty_list) = (0, 0, 0, 0);
    for (manifest, answer) in manifests.iter().zip(&answers) {
        let theirs = answer["manifest_digest"].as_str();
        let ours = manifest_digest(manifest.as_bytes());
        match (&ours, theirs) {
            (Ok(d), Some(t)) if d.to_string() == t => {
                digested += 1;
                // A stripped digest differs from the digest of the whole bytes.
                stripped += usize::from(d.to_string() != sha256_hex(manifest.as_bytes()));
            }
            (Err(_), None) => refused += 1,
            // Deliberate: upstream digests the empty payload of `"signatures": []`.
            (
                Err(_),
                Some("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ) => {
                empty_list += 1;
            }
            _ => failures.push(format!(
                "{manifest}\n  vouch: {ours:?}\n  c/image: {theirs:?}"
            )),
        }
    }
    eprintln!(
        "manifest differential: {} manifests, {digested} same digest ({stripped} of them stripped schema 1), {refused} refused by both, {empty_list} empty signature lists (vouch refuses)",
        manifests.len()
    );
    for failure in failures.iter().take(10) {
        eprintln!("{failure}");
    }
    assert!(failures.is_empty(), "{} disagreements", failures.len());
    assert!(
        stripped >= 100 && refused >= 100,
        "too few interesting cases"
    );
}
