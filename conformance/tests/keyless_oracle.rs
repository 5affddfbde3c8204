//! Differential test of keyless `sigstoreSigned` against containers/image 5.34.2: Fulcio with
//! Rekor and PKI, over certificate authorities, intermediates and leaves made for the run,
//! varied in every field containers/image checks. `allowed` and the reason class must agree
//! on every case.

use vouch_conformance::generate::Rng;
use vouch_conformance::keyless_cases::{authorities, cases};
use vouch_conformance::oracle;
use vouch_conformance::sigstore_cases::compare;

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
    let comparison = compare(&oracle, &cases);
    let fulcio_allowed = cases
        .iter()
        .zip(&comparison.allowed)
        .filter(|(case, allowed)| **allowed && case.label.starts_with("fulcio"))
        .count();
    eprintln!("keyless differential: {fulcio_allowed} Fulcio cases allowed by c/image");
    assert!(fulcio_allowed > CASES / 20, "too few accepted Fulcio cases");
    comparison.report_and_assert("keyless differential", CASES / 10);
}
