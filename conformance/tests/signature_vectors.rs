//! The upstream signature scenarios (containers-image/cases/signature_eval.json): each case's
//! requirement, image and signatures, evaluated by vouch, must give the expected accept/reject.

use std::collections::BTreeMap;
use std::path::Path;

use base64ct::{Base64, Encoding as _};
use serde_json::Value;
use vouch::{CompileOptions, Evaluator, Evidence, Files, Image, Policy, Signature};
use vouch_conformance::{shared_dir, vector_json};

/// Scenarios where the newer upstream (container-libs) differs from containers/image 5.34 with
/// gpgme, which vouch follows: there, gpgme reports a signing subkey's own fingerprint, which
/// is not a trusted identity, so the signature is refused (checked against oracle-534).
const GPGME_534: &[(&str, &str)] = &[("signedBy / subkey", "untrusted_key")];

/// 2026-09-21: after every fixture was made (the newest, expired.signature, is from 2025).
const NOW: i64 = 1_790_000_000;

struct Outcome {
    allowed: bool,
    reasons: Vec<String>,
}

fn run_case(base: &Path, case: &Value) -> Outcome {
    let read = |relative: &str| {
        std::fs::read(base.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    };
    let mut requirement = case["requirement"].clone();
    let mut files = Files::new();
    fill(&mut requirement, base, &read, &mut files);
    let policy = format!("{{\"default\":[{requirement}]}}");
    let policy = match Policy::parse(policy.as_bytes()) {
        Ok(policy) => policy,
        // An invalid requirement: containers/image rejects every signature; vouch refuses the
        // whole policy, which is stronger.
        Err(e) => {
            return Outcome {
                allowed: false,
                reasons: vec![format!("policy: {e}")],
            };
        }
    };
    let evaluator = Evaluator::compile(&policy, &files, &CompileOptions::default());
    let reference = case["image_docker_reference"]
        .as_str()
        .unwrap_or("example.com/no/image:latest");
    let image = Image::parse(vouch::Transport::Docker, reference).expect("image reference");
    let (manifest, mut signatures) = match case["image_dir"].as_str() {
        Some(dir) => {
            let manifest = std::fs::read(base.join(dir).join("manifest.json")).unwrap_or_default();
            let mut signatures = Vec::new();
            for n in 1.. {
                match std::fs::read(base.join(dir).join(format!("signature-{n}"))) {
                    Ok(blob) => signatures.push(blob),
                    Err(_) => break,
                }
            }
            (manifest, signatures)
        }
        None => (Vec::new(), Vec::new()),
    };
    if let Some(list) = case["signatures"].as_array() {
        signatures = list
            .iter()
            .map(|p| read(p.as_str().expect("path")))
            .collect();
    }
    let mut signatures: Vec<Signature> = signatures
        .iter()
        .map(|blob| {
            if case["raw"] == true {
                // The mechanism cases hand the blob straight to the OpenPGP verification.
                return Signature::Simple { blob: blob.clone() };
            }
            Signature::from_stored(blob).expect("stored signature")
        })
        .collect();
    if let Some(mutation) = case["signature_mutation"].as_str() {
        for signature in &mut signatures {
            mutate(signature, mutation, base);
        }
    }
    let evidence =
        Evidence::new(&manifest, &signatures).at(vouch::UnixTime::from_unix_seconds(NOW));
    let decision = evaluator.evaluate(&image, &evidence);
    let reasons = decision
        .requirements()
        .iter()
        .flat_map(|r| {
            r.signatures
                .iter()
                .map(|s| s.reason.code().to_string())
                .chain(r.reason.as_ref().map(|r| r.code().to_string()))
        })
        .collect();
    Outcome {
        allowed: decision.allowed,
        reasons,
    }
}

/// Replaces placeholders with file contents and collects the files the requirement names.
fn fill(value: &mut Value, base: &Path, read: &dyn Fn(&str) -> Vec<u8>, files: &mut Files) {
    match value {
        Value::String(text) if text.starts_with('<') => {
            let file = match text.as_str() {
                "<cosign.pub bytes>" => "signature-fixtures/cosign.pub",
                "<base64 of public-key.gpg>" => "signature-fixtures/public-key.gpg",
                // The chain annotation of the Fulcio image's signature.
                _ => {
                    let blob =
                        read("signature-fixtures/dir-img-cosign-fulcio-rekor-valid/signature-1");
                    let Ok(Signature::Sigstore { annotations, .. }) = Signature::from_stored(&blob)
                    else {
                        panic!("fulcio signature")
                    };
                    *text =
                        Base64::encode_string(annotations["dev.sigstore.cosign/chain"].as_bytes());
                    return;
                }
            };
            *text = Base64::encode_string(&read(file));
        }
        Value::String(text) if base.join(text.as_str()).is_file() => {
            files.insert(text.clone(), read(text));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, base, read, files)),
        Value::Object(members) => members
            .values_mut()
            .for_each(|v| fill(v, base, read, files)),
        _ => {}
    }
}

fn mutate(signature: &mut Signature, mutation: &str, base: &Path) {
    let Signature::Sigstore { annotations, .. } = signature else {
        panic!("mutation of a simple signature")
    };
    let words: Vec<&str> = mutation.split(' ').collect();
    match words.as_slice() {
        ["delete", "annotation", key] => {
            annotations.remove(*key);
        }
        ["set", key, "to", "base64", "of", ..] => {
            let text = mutation.split('"').nth(1).expect("quoted text");
            annotations.insert(key.to_string(), Base64::encode_string(text.as_bytes()));
        }
        ["set", key, "to", "the", "bundle", "annotation", "of", path] => {
            let blob = std::fs::read(base.join("signature-fixtures").join(path)).expect("path");
            let Ok(Signature::Sigstore {
                annotations: other, ..
            }) = Signature::from_stored(&blob)
            else {
                panic!("{path}")
            };
            annotations.insert(key.to_string(), other[*key].clone());
        }
        ["set", key, "to", ..] => {
            let text = mutation.split('"').nth(1).expect("quoted text");
            annotations.insert(key.to_string(), text.to_string());
        }
        _ => panic!("unknown mutation {mutation}"),
    }
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn upstream_signature_scenarios() {
    let (base, cases) = fixtures();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for group in ["sigstoreSigned", "signedBy"] {
        for case in case_list(&cases, group) {
            let expected = case["expect"] == "accept";
            let outcome = run_case(&base, case);
            *counts.entry(group).or_default() += 1;
            let name = format!("{group} / {}", case["name"].as_str().unwrap_or("?"));
            if let Some((_, reason)) = GPGME_534.iter().find(|(n, _)| *n == name) {
                assert!(
                    !outcome.allowed && outcome.reasons.iter().any(|r| r == reason),
                    "{name}: containers/image 5.34 refuses it with {reason}; vouch: {:?}",
                    outcome.reasons
                );
                continue;
            }
            if outcome.allowed == expected {
                continue;
            }
            failures.push(format!(
                "{name}: expected {}, got {} ({:?}); {}",
                case["expect"],
                if outcome.allowed { "accept" } else { "reject" },
                outcome.reasons,
                case["why"]
            ));
        }
    }
    eprintln!(
        "signature_eval.json: {counts:?}; {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The containers-image vector folder and its signature scenarios.
fn fixtures() -> (std::path::PathBuf, Value) {
    let cases = vector_json("containers-image/cases/signature_eval.json");
    (shared_dir().join("vectors/containers-image"), cases)
}

fn case_list<'v>(cases: &'v Value, group: &str) -> &'v [Value] {
    cases[group].as_array().map_or(&[], Vec::as_slice)
}

/// The raw mechanism cases: each signature against its keyring must get past the OpenPGP
/// verification ("verify") or stop in it ("fail"). A `signedBy` requirement with
/// `matchRepository` over a manifest nothing signed shows which: a signature that verified is
/// refused later (payload, digest, identity), one that did not is refused by the OpenPGP checks.
#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn upstream_gpg_mechanism_cases() {
    let (base, cases) = fixtures();
    let openpgp_stops = [
        "malformed_signature",
        "signature_invalid",
        "untrusted_key",
        "key_unusable",
        "signature_expired",
    ];
    let mut checked = 0;
    for case in case_list(&cases, "gpg_mechanism") {
        let keyring = case["keyring"].as_str().expect("keyring");
        for signature in [&case["signature"], &case["v3_variant"]] {
            let Some(signature) = signature.as_str() else {
                continue;
            };
            let requirement = serde_json::json!({"type": "signedBy", "keyType": "GPGKeys",
                "keyPath": keyring, "signedIdentity": {"type": "matchRepository"}});
            let probe = serde_json::json!({"requirement": requirement, "signatures": [signature],
                "image_dir": null, "image_docker_reference": null, "raw": true});
            let outcome = run_case(&base, &probe);
            let stopped = outcome
                .reasons
                .iter()
                .any(|r| openpgp_stops.contains(&r.as_str()));
            // The subkey signature verifies in gpgme but its fingerprint is not trusted (5.34).
            let subkey = signature.contains("subkey.signature");
            let expected_stop = case["expect"] == "fail" || subkey;
            assert!(!outcome.allowed, "{signature}");
            assert_eq!(
                stopped, expected_stop,
                "{signature} with {keyring}: {:?}",
                outcome.reasons
            );
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} mechanism cases");
}
