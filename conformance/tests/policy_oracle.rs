//! Differential test: policy documents are rejected by vouch exactly when containers/image
//! 5.34's `NewPolicyFromBytes` rejects them.

use base64ct::{Base64, Encoding};
use serde_json::{Value, json};
use vouch::Policy;
use vouch_conformance::generate::Rng;
use vouch_conformance::{oracle, policies};

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn policy_documents_are_rejected_exactly_when_containers_image_rejects_them() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let mut rng = Rng::new(0x5eed_0002);
    let mut documents: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    while documents.len() < 3000 {
        let document = policies::policy_document(&mut rng);
        if seen.insert(document.clone()) {
            documents.push(document);
        }
    }
    let manifest = Base64::encode_string(b"{}");
    let requests: Vec<Value> = documents
        .iter()
        .map(|d| {
            json!({"op": "evaluate", "policy_raw": d, "transport": "docker",
                   "reference": "quay.io/ns/img:tag", "manifest": manifest, "signatures": []})
        })
        .collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut failures = Vec::new();
    let mut accepted = 0;
    for (document, answer) in documents.iter().zip(&answers) {
        let theirs = answer["policy_error"].as_str().unwrap_or_default();
        let ours = Policy::parse(document.as_bytes());
        accepted += usize::from(ours.is_ok());
        // `vouch lint` finds errors exactly in the documents the parser refuses, and its first
        // error is at the same place... or earlier, since it reports all of them.
        let lint = vouch::lint_policy(document.as_bytes(), &vouch::Files::new());
        let lint_errors: Vec<_> = lint
            .iter()
            .filter(|p| p.severity == vouch::Severity::Error)
            .collect();
        if lint_errors.is_empty() != ours.is_ok() {
            failures.push(format!(
                "{document}\n  lint: {lint_errors:?}\n  parse: {:?}",
                ours.as_ref().err()
            ));
        }
        if ours.is_ok() != theirs.is_empty() {
            failures.push(format!(
                "{document}\n  vouch: {:?}\n  c/image: {theirs:?}",
                ours.err().map(|e| e.to_string())
            ));
        }
    }
    eprintln!(
        "policy differential: {} documents, {accepted} valid",
        documents.len()
    );
    for failure in failures.iter().take(25) {
        eprintln!("{failure}");
    }
    assert!(
        accepted > 300,
        "too few valid documents to mean anything: {accepted}"
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with containers/image",
        failures.len()
    );
}
