//! Differential test of `sigstoreSigned` with public keys and Rekor keys against
//! containers/image 5.34.2: real cosign signatures and Rekor SETs signed by test logs, spoiled
//! in the annotation, the signed payload, the entry body, the signature and the policy.
//! `allowed` and the reason class must agree on every case.

use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::generate::Rng;
use vouch_conformance::oracle;
use vouch_conformance::rekor_cases::{plan, set_signers};
use vouch_conformance::sigstore_cases::{keys, oracle_keys, sign_all};

const CASES: usize = 1_500;

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn sigstore_signed_with_rekor_agrees_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let scratch = std::env::temp_dir().join(format!("vouch-rekor-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let keys = keys(&oracle, &scratch);
    // Two trusted test logs (P-256 and P-384) and one no policy trusts.
    let logs = oracle_keys(
        &oracle,
        &[
            ("log-a", "P-256"),
            ("log-b", "P-384"),
            ("log-untrusted", "P-256"),
        ],
    );
    let mut rng = Rng::new(0x4e_6b04);
    let plan = plan(&mut rng, &keys, &logs, CASES);
    let signed = sign_all(&oracle, &keys, &plan.to_sign, &scratch);
    let entries = plan.entries(&keys, &signed);
    let sets = sign_all(&oracle, &logs, &set_signers(&plan, &entries), &scratch);
    let cases = plan.finish(&signed, &entries, &sets);
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut disagreements = Vec::new();
    let mut classes = oracle::ClassReport::default();
    let mut allowed = 0;
    for (case, theirs) in cases.iter().zip(&answers) {
        let line = serde_json::to_string(&case.vouch).expect("request");
        let ours: Value = serde_json::from_str(&decide(&line)).expect("answer");
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        if theirs["allowed"] == true {
            allowed += 1;
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
        "sigstoreSigned with Rekor differential: {} cases, {allowed} allowed by c/image, {} disagreements",
        cases.len(),
        disagreements.len()
    );
    classes.print("sigstoreSigned with Rekor differential", cases.len());
    assert!(
        allowed > CASES / 10,
        "too few accepted cases to mean anything"
    );
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(10)].join("\n")
    );
    classes.assert_agree();
}
