//! Differential test of `sigstoreSigned` with public keys against containers/image 5.34.2:
//! real signatures, every key source and `signedIdentity` kind, tampering, wrong digests and
//! identities, several signatures, bad keys. `allowed` must agree on every case.

use std::collections::BTreeMap;

use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::generate::Rng;
use vouch_conformance::oracle;
use vouch_conformance::sigstore_cases::{keys, plan, sign_all};

const CASES: usize = 1_600;

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn sigstore_signed_with_keys_agrees_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let scratch = std::env::temp_dir().join(format!("vouch-sigstore-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let keys = keys(&oracle, &scratch);
    let mut rng = Rng::new(0x5157_0e5e);
    let plan = plan(&mut rng, &keys, CASES);
    let signed = sign_all(&oracle, &keys, &plan.to_sign, &scratch);
    let cases = plan.finish(&signed);
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut disagreements = Vec::new();
    let mut classes = oracle::ClassReport::default();
    let mut allowed = 0;
    let mut by_identity: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (case, theirs) in cases.iter().zip(&answers) {
        let line = serde_json::to_string(&case.vouch).expect("request");
        let ours: Value = serde_json::from_str(&decide(&line)).expect("answer");
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        let kind = case.label.split(' ').next().unwrap_or("").to_string();
        let entry = by_identity.entry(kind).or_default();
        entry.0 += 1;
        if theirs["allowed"] == true {
            allowed += 1;
            entry.1 += 1;
        }
        classes.record(&case.label, &ours, theirs);
        if oracle::differs(&ours, theirs) {
            disagreements.push(format!(
                "{}\n  request: {}",
                oracle::disagreement(&case.label, &ours, theirs),
                case.vouch
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!(
        "sigstoreSigned differential: {} cases, {allowed} allowed by c/image, {} disagreements; per identity kind (cases, allowed): {by_identity:?}",
        cases.len(),
        disagreements.len()
    );
    classes.print("sigstoreSigned differential", cases.len());
    // About a fifth are accepted; far fewer would mean the generator broke.
    assert!(
        allowed > CASES / 8,
        "too few accepted cases to mean anything"
    );
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(10)].join("\n")
    );
    // The reason classes agree on every case: held to that.
    classes.assert_agree();
}
