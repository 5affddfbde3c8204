//! Bundles as image evidence: every sigstore-conformance case (its artifact standing for the
//! image's manifest) evaluated through the JSON contract with a `vouchSigstoreBundle`
//! requirement, and decided exactly as `vouch bundle` verifies the same bundle; the identity
//! as exact names, as anchored regular expressions (the same decisions) and as a pattern that
//! does not match (no keyless bundle allowed); the predicate-type rule; and the
//! containers/image dialect, which refuses the policy.

use serde_json::{Value, json};
use vouch_conformance::bundle_cases::{Evaluation, evidence_evaluations, quote_meta};

fn evaluate(e: &Evaluation, requirement: &Value, dialect: Option<&str>) -> Value {
    let request = e.with_requirement(requirement, dialect);
    let answer = vouch::json::evaluate_answer(request.to_string().as_bytes());
    serde_json::from_str(&vouch::json::decision_json(&answer)).expect("a decision")
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn bundles_decide_as_verification() {
    let evaluations = evidence_evaluations();
    assert_eq!(evaluations.len(), 70, "one per conformance case");
    let (mut allowed, mut disagreements) = (0, Vec::new());
    for e in &evaluations {
        let decision = evaluate(e, &e.requirement, None);
        let got = decision["allowed"].as_bool().expect("allowed");
        if got {
            allowed += 1;
        }
        if got != e.verified {
            disagreements.push(format!("{}: {}", e.name, decision["error"]));
        }
        if !got {
            assert!(
                !decision["error"].as_str().unwrap_or_default().is_empty(),
                "{}: a denial explains itself",
                e.name
            );
        }
        // The same identity as anchored regular expressions decides the same.
        if e.keyless {
            let mut by_regexp = e.requirement.clone();
            let id = &e.requirement["identities"][0];
            by_regexp["identities"] = json!([{
                "issuerRegExp": format!("^{}$", quote_meta(id["issuer"].as_str().unwrap_or(""))),
                "subjectRegExp": format!("^{}$", quote_meta(id["subject"].as_str().unwrap_or(""))),
            }]);
            let decision = evaluate(e, &by_regexp, None);
            assert_eq!(
                decision["allowed"],
                json!(got),
                "{}: regexp identity",
                e.name
            );
            // A second rule that does not match changes nothing; alone, it refuses.
            let wrong = json!({"issuer": id["issuer"], "subjectRegExp": "^https://example\\.com/"});
            let mut either = e.requirement.clone();
            either["identities"] = json!([wrong, id]);
            assert_eq!(
                evaluate(e, &either, None)["allowed"],
                json!(got),
                "{}",
                e.name
            );
            let mut only_wrong = e.requirement.clone();
            only_wrong["identities"] = json!([wrong]);
            assert_eq!(
                evaluate(e, &only_wrong, None)["allowed"],
                json!(false),
                "{}",
                e.name
            );
        }
        // Without predicateTypes only cosign's signature statement is accepted.
        if let Some(p) = &e.predicate {
            let mut default_kind = e.requirement.clone();
            default_kind
                .as_object_mut()
                .expect("object")
                .remove("predicateTypes");
            let decision = evaluate(e, &default_kind, None);
            let cosign = p == vouch::COSIGN_SIGN_PREDICATE;
            assert_eq!(decision["allowed"], json!(got && cosign), "{}", e.name);
        } else {
            // A message signature is no attestation.
            let mut attestation = e.requirement.clone();
            attestation["predicateTypes"] = json!(["https://slsa.dev/provenance/v1"]);
            assert_eq!(
                evaluate(e, &attestation, None)["allowed"],
                json!(false),
                "{}",
                e.name
            );
        }
        // By digest: the manifest must be the one the reference names.
        if got {
            let manifest = <base64ct::Base64 as base64ct::Encoding>::decode_vec(
                e.request["manifest"].as_str().expect("manifest"),
            )
            .expect("base64");
            let right = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&manifest));
            for (digest, allowed) in [(right, true), ("0".repeat(64), false)] {
                let mut by_digest = e.clone();
                by_digest.request["reference"] =
                    json!(format!("registry.example/team/app@sha256:{digest}"));
                let decision = evaluate(&by_digest, &e.requirement, None);
                assert_eq!(
                    decision["allowed"],
                    json!(allowed),
                    "{}: {decision}",
                    e.name
                );
                if !allowed {
                    assert_eq!(decision["reason"], json!("manifest_not_referenced"));
                }
            }
        }
        // containers/image's dialect refuses the policy itself.
        let strict = evaluate(e, &e.requirement, Some("containers-image"));
        assert_eq!(strict["allowed"], json!(false));
        assert!(
            strict["policy_error"].as_str().is_some_and(
                |m| m.ends_with(r#"Unknown policy requirement type "vouchSigstoreBundle""#)
            ),
            "{}: {}",
            e.name,
            strict["policy_error"]
        );
    }
    eprintln!(
        "bundle evidence: {} conformance bundles, {allowed} allowed, {} disagreements with vouch bundle",
        evaluations.len(),
        disagreements.len()
    );
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(allowed >= 20, "the suite's happy paths are allowed");
}
