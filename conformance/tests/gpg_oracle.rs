//! Differential test of `signedBy` (OpenPGP simple signing) against containers/image 5.34.2
//! with gpgme: keys and signatures made by gpg, every key source and `signedIdentity` kind,
//! expired, revoked, subkey and future keys, cleartext, armoured and detached messages, two
//! signers, tampering, wrong digests and identities, bad and garbage keyrings. `allowed`
//! must agree on every case, and every case is decided with and without the verification
//! cache.

use std::collections::BTreeMap;

use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::generate::Rng;
use vouch_conformance::gpg_cases::{Gpg, cases, damaged_framing, framing_refusal, keys};
use vouch_conformance::oracle;

const IMAGES: usize = 540;
const POLICIES_PER_IMAGE: usize = 3;

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn signed_by_agrees_with_containers_image_gpgme() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let gpg = Gpg::scratch("gpg");
    let keys = keys(&gpg);
    let now = vouch_conformance::now_rfc3339();
    // VOUCH_GPG_SEED explores other draws; CI uses the fixed one.
    let seed = vouch_conformance::seed("VOUCH_GPG_SEED", 0x6e75_7067);
    let mut rng = Rng::new(seed);
    let cases = cases(&mut rng, &gpg, &keys, IMAGES, POLICIES_PER_IMAGE, &now);
    drop(gpg);
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask_parallel(&oracle, &requests, 2);
    let mut disagreements = Vec::new();
    let mut documented = 0;
    let mut allowed = 0;
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    let mut classes = oracle::ClassReport::default();
    for (case, theirs) in cases.iter().zip(&answers) {
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        let ours: Value = serde_json::from_str(&decide(&case.vouch.to_string())).expect("answer");
        *by_reason
            .entry(ours["reason"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
        if theirs["allowed"] == true {
            allowed += 1;
        }
        // vouch refusing documented framing damage where gpg read on (and refused later).
        classes.record_with(&case.label, &ours, theirs, &|s| {
            framing_refusal(&case.label, s)
        });
        if oracle::differs(&ours, theirs) {
            if damaged_framing(&case.label, &ours) && ours["allowed"] == false {
                documented += 1;
                continue;
            }
            disagreements.push(oracle::disagreement(&case.label, &ours, theirs));
        }
    }
    eprintln!(
        "signedBy differential: {} cases, {allowed} allowed by c/image, {documented} documented differences, {} disagreements; vouch's reasons: {by_reason:?}",
        cases.len(),
        disagreements.len()
    );
    classes.print("signedBy differential", cases.len());
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(12)].join("\n")
    );
    assert!(
        allowed > cases.len() / 10,
        "too few accepted cases to mean anything"
    );
    // Some signatures are spoiled by a flipped byte whose place depends on the run (gpg signs
    // anew each time, and one spoiled message serves several cases), so a rare framing shape
    // no earlier run met can turn up; it is printed above for follow-up. A handful at most.
    classes.assert_at_most(6);
}
