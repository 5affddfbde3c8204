//! Differential test of keyless `sigstoreSigned` against containers/image 5.34.2: Fulcio with
//! Rekor and PKI, over certificate authorities, intermediates and leaves made for the run,
//! varied in every field containers/image checks. `allowed` and the reason class must agree
//! on every case.

use vouch_conformance::generate::Rng;
use vouch_conformance::keyless_cases::{authorities, cases};
use vouch_conformance::oracle;
use vouch_conformance::release_example::release_example_cases;
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
    // Every key type is met, and accepted somewhere: RSA, P-384 and Ed25519 leaves (P-384
    // signatures over SHA-384 are refused by sigstore's verifier: met, never accepted), an
    // RSA intermediate under an RSA root, P-256 everywhere else.
    for (part, must_accept) in [
        ("rsa-leaf", true),
        ("inter-c-rsa", true),
        ("ed25519-leaf", true),
        ("p384-leaf", false),
        ("serial-zero", true),
        ("serial-negative", true),
        ("uri-san-malformed", false),
        ("uri-san", true),
        ("since-1960", true),
        ("until-2100", true),
        ("validity-minutes", true),
        ("validity-offset", true),
        ("validity-fraction", false),
        ("validity-generalized", true),
        ("validity-plus-zero", false),
        ("validity-trailing", true),
    ] {
        let (met, accepted) = cases.iter().zip(&comparison.allowed).fold(
            (0, 0),
            |(met, accepted), (case, allowed)| {
                let has = case.label.split(' ').any(|l| l == part);
                (
                    met + usize::from(has),
                    accepted + usize::from(has && *allowed),
                )
            },
        );
        eprintln!("keyless differential: {part}: {met} cases, {accepted} allowed by c/image");
        assert!(met >= 10, "too few {part} cases");
        if must_accept {
            assert!(accepted > 0, "no accepted {part} case");
        }
    }
    comparison.report_and_assert("keyless differential", CASES / 10);
}

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn the_kubernetes_release_example_decides_as_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cases = release_example_cases(&root, "docs/examples/k8s-release");
    let comparison = compare(&oracle, &cases);
    assert_eq!(
        comparison.allowed,
        [true, false, false, false, false],
        "containers/image allows the release only"
    );
    comparison.report_and_assert("release example", 1);
}
