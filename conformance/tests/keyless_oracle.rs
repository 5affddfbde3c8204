//! Differential test of keyless `sigstoreSigned` against containers/image 5.34.2: Fulcio with
//! Rekor and PKI, over certificate authorities, intermediates and leaves made for the run,
//! varied in every field containers/image checks. `allowed` and the reason class must agree
//! on every case.

use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::generate::Rng;
use vouch_conformance::keyless_cases::{authorities, cases};
use vouch_conformance::oracle;

const CASES: usize = 2_000;

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn keyless_sigstore_signed_agrees_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    // PKI is decided at the oracle's clock: the certificates are made around it.
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
    .expect("a time");
    let ca = authorities(now);
    let mut rng = Rng::new(0x6b65_796c);
    let cases = cases(&mut rng, &ca, CASES);
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut disagreements = Vec::new();
    let mut classes = oracle::ClassReport::default();
    let (mut allowed, mut fulcio_allowed) = (0, 0);
    for (case, theirs) in cases.iter().zip(&answers) {
        let line = serde_json::to_string(&case.vouch).expect("request");
        let ours: Value = serde_json::from_str(&decide(&line)).expect("answer");
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        if theirs["allowed"] == true {
            allowed += 1;
            if case.label.starts_with("fulcio") {
                fulcio_allowed += 1;
            }
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
    eprintln!(
        "keyless differential: {} cases, {allowed} allowed by c/image ({fulcio_allowed} Fulcio), {} disagreements",
        cases.len(),
        disagreements.len()
    );
    classes.print("keyless differential", cases.len());
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
