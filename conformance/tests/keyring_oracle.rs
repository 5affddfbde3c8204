//! Differential test of `signedBy` keyring import against containers/image 5.34.2 with gpgme:
//! keyrings of many shapes put together from packets gpg made (revocations anywhere, merged
//! states of a key, keyblocks without user IDs or self-signatures, several keys, foreign and
//! broken revocations, designated revokers, subkeys, armour variants, secret and future keys;
//! see `keyring_cases`). `allowed` and the class of the reason must agree on every case, and
//! every case is decided with and without the verification cache.

use std::collections::BTreeMap;
use std::time::Instant;

use base64ct::Encoding as _;
use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::evaluations::b64;
use vouch_conformance::gpg_cases::Gpg;
use vouch_conformance::keyring_cases::{
    cases, keyrings, oracle_class, oracle_detail, pool, vouch_class, vouch_detail,
};
use vouch_conformance::oracle;

const KEYRINGS: usize = 720;

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn keyring_import_agrees_with_containers_image_gpgme() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let started = Instant::now();
    let gpg = Gpg::scratch("keyring");
    let pool = pool(&gpg);
    drop(gpg);
    let made = started.elapsed();
    let now = vouch_conformance::now_rfc3339();
    // VOUCH_KEYRING_SEED explores other draws; CI uses the fixed one.
    let seed = vouch_conformance::seed("VOUCH_KEYRING_SEED", 0x6b65_7972);
    let rings = keyrings(&pool, seed, KEYRINGS);
    let cases = cases(&pool, &rings, &now);
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask_parallel(&oracle, &requests, 2);
    let asked = started.elapsed();

    let mut disagreements = Vec::new();
    let mut finer = Vec::new();
    let mut by_family: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
    let mut accepted = 0;
    for (case, theirs) in cases.iter().zip(&answers) {
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        assert!(
            theirs["reference_error"].as_str().unwrap_or("").is_empty()
                && theirs["policy_error"].as_str().unwrap_or("").is_empty(),
            "{theirs}"
        );
        let ours: Value = serde_json::from_str(&decide(&case.vouch.to_string())).expect("answer");
        let (our_class, their_class) = (vouch_class(&ours), oracle_class(theirs));
        let entry = by_family.entry(case.family).or_default();
        entry.0 += 1;
        *by_class.entry(their_class.clone()).or_default() += 1;
        if theirs["allowed"] == true {
            accepted += 1;
            entry.1 += 1;
        }
        let files: Vec<String> = case
            .files
            .iter()
            .map(|f| f.as_deref().map_or_else(|| "(missing)".into(), b64))
            .collect();
        if ours["allowed"] != theirs["allowed"] || our_class != their_class {
            if let Some(dir) = std::env::var_os("VOUCH_KEYRING_DUMP") {
                dump(std::path::Path::new(&dir), disagreements.len(), case);
            }
            disagreements.push(format!(
                "{}\n  vouch: allowed={} class={our_class} {}\n  c/image: allowed={} class={their_class} {}\n  files (base64): {files:?}",
                case.label,
                ours["allowed"],
                ours["requirements"][0]["signatures"],
                theirs["allowed"],
                theirs["error"],
            ));
        } else if vouch_detail(&ours) != oracle_detail(theirs) {
            finer.push(format!(
                "{}: vouch {} / c/image {}",
                case.label,
                vouch_detail(&ours),
                oracle_detail(theirs)
            ));
        }
    }
    eprintln!(
        "keyring differential: {} keyrings, {} cases, {accepted} accepted by c/image, {} disagreements; \
         (cases, accepted) per family: {by_family:?}; c/image's classes: {by_class:?}; \
         pool made in {:.1?}, oracle answered after {:.1?}, total {:.1?}",
        rings.len(),
        cases.len(),
        disagreements.len(),
        made,
        asked,
        started.elapsed()
    );
    for line in &finer {
        eprintln!("same class, different detail: {line}");
    }
    for line in &disagreements {
        eprintln!("DISAGREEMENT {line}");
    }
    assert!(rings.len() >= 500, "too few keyrings");
    assert!(
        accepted * 100 > cases.len() * 15,
        "too few accepted cases to mean anything ({accepted} of {})",
        cases.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with containers/image; the first:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(8)].join("\n")
    );
}

/// Writes a disagreeing case's key files (in keyPaths order) and signature under `dir/<n>/`,
/// to replay with gpg (`VOUCH_KEYRING_DUMP=dir`).
fn dump(dir: &std::path::Path, n: usize, case: &vouch_conformance::keyring_cases::Case) {
    let at = dir.join(n.to_string());
    std::fs::create_dir_all(&at).expect("dump dir");
    for (i, file) in case.files.iter().enumerate() {
        if let Some(bytes) = file {
            std::fs::write(at.join(format!("key-{i}.gpg")), bytes).expect("dump key");
        }
    }
    let blob = case.vouch["signatures"][0]["blob"].as_str().unwrap_or("");
    let blob = base64ct::Base64::decode_vec(blob).unwrap_or_default();
    std::fs::write(at.join("sig.gpg"), blob).expect("dump signature");
    std::fs::write(at.join("label.txt"), &case.label).expect("dump label");
}
