//! Differential test of `sigstoreSigned` with public keys and Rekor keys against
//! containers/image 5.34.2: real cosign signatures and Rekor SETs signed by test logs, spoiled
//! in the annotation, the signed payload, the entry body, the signature and the policy.
//! `allowed` and the reason class must agree on every case.

use vouch_conformance::generate::Rng;
use vouch_conformance::oracle;
use vouch_conformance::rekor_cases::{plan, set_signers};
use vouch_conformance::sigstore_cases::{compare, keys, oracle_keys, sign_all};

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
    let _ = std::fs::remove_dir_all(&scratch);
    compare(&oracle, &cases)
        .report_and_assert("sigstoreSigned with Rekor differential", CASES / 10);
}
