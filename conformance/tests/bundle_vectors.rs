//! sigstore-conformance's offline bundle-verify suite decided by vouch: every case with the
//! artifact and with its digest (140 verifications), each as the suite expects.

use vouch_conformance::bundle_cases::{conformance_cases, decide};

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn the_conformance_suite() {
    let cases = conformance_cases();
    let mut wrong_accept = Vec::new();
    let mut refused = Vec::new();
    let mut right = 0;
    for case in &cases {
        let (verified, why) = decide(&case.request);
        match (verified, case.expected) {
            (true, false) => wrong_accept.push(case.name.clone()),
            (false, true) => refused.push(format!("{}: {why}", case.name)),
            _ => right += 1,
        }
    }
    eprintln!(
        "conformance: {} verifications, {right} as expected",
        cases.len()
    );
    for r in &refused {
        eprintln!("  refused, expected to verify: {r}");
    }
    assert!(
        wrong_accept.is_empty(),
        "verified, expected to fail: {wrong_accept:?}"
    );
}
