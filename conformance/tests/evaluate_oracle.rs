//! Differential test of evaluation against containers/image 5.34.2: the same requests through
//! vouch's JSON contract and through the oracle must agree on whether the policy is rejected,
//! whether the reference is refused, on `allowed`, and (for scope cases) on which scope
//! decided.

use serde_json::Value;
use vouch_conformance::cached::decide;
use vouch_conformance::evaluations::{Case, Tree, decision_case, scope_case};
use vouch_conformance::generate::Rng;
use vouch_conformance::oracle;

/// The scope the oracle's error names: `open /vouch-scope/<n>: ...`.
fn oracle_marker(answer: &Value) -> Option<usize> {
    let error = answer["error"].as_str()?;
    let at = error.find("/vouch-scope/")? + "/vouch-scope/".len();
    let digits: String = error[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn compare(case: &Case, ours: &Value, theirs: &Value) -> Option<String> {
    if let Some(error) = theirs.get("oracle_error") {
        return Some(format!("oracle could not run the case: {error}"));
    }
    let our_policy = !ours["policy_error"].as_str().unwrap_or_default().is_empty();
    let their_policy = !theirs["policy_error"]
        .as_str()
        .unwrap_or_default()
        .is_empty();
    if our_policy != their_policy {
        return Some(format!(
            "policy rejected: vouch {our_policy}, c/image {their_policy}"
        ));
    }
    // vouch reports a refused reference with error_kind other than "requirement" and no scope.
    let our_reference = !our_policy && ours["scope"].is_null();
    let their_reference = theirs.get("reference_error").is_some();
    if our_reference != their_reference {
        return Some(format!(
            "reference refused: vouch {our_reference} ({}), c/image {their_reference} ({})",
            ours["error"], theirs["reference_error"]
        ));
    }
    if let Some(reference) = theirs.get("ref") {
        // The image's own lookup sequence and docker reference, beyond what decided.
        let transport = case.vouch["transport"].as_str().unwrap_or_default();
        let text = case.vouch["reference"].as_str().unwrap_or_default();
        if let Ok(image) = transport.parse().and_then(|t| vouch::Image::parse(t, text)) {
            let namespaces: Vec<String> = image.namespaces().map(|n| n.to_string()).collect();
            let theirs_ns: Vec<String> = reference["namespaces"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let docker = image.docker_reference().map(|r| r.as_str().to_string());
            if image.policy_identity() != reference["policy_identity"]
                || namespaces != theirs_ns
                || docker.as_deref() != reference["docker_reference"].as_str()
            {
                return Some(format!(
                    "image: vouch {:?} {namespaces:?} {docker:?}, c/image {reference}",
                    image.policy_identity()
                ));
            }
        }
    }
    if ours["allowed"] != theirs["allowed"] {
        return Some(format!(
            "allowed: vouch {}, c/image {}",
            ours["allowed"], theirs["allowed"]
        ));
    }
    if case.family == "scope" && !our_reference && !our_policy {
        let scope = &ours["scope"];
        let ours_n = case.markers.iter().position(|(transport, name)| {
            transport.as_deref() == scope["transport"].as_str() && scope["scope"] == name.as_str()
        });
        let theirs_n = oracle_marker(theirs);
        if ours_n != theirs_n {
            return Some(format!(
                "scope: vouch {:?} (#{ours_n:?}), c/image #{theirs_n:?} ({})",
                scope, theirs["error"]
            ));
        }
    }
    None
}

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn evaluations_agree_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let base = std::env::temp_dir().join(format!("vouch-evaluate-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&base).expect("temp dir");
    let tree = Tree::create(&base);
    let mut rng = Rng::new(0x5eed_0003);
    let mut cases = Vec::new();
    for i in 0..3200 {
        cases.push(if i % 2 == 0 {
            scope_case(&mut rng, &tree)
        } else {
            decision_case(&mut rng, &tree)
        });
    }
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = oracle::ask(&oracle, &requests);
    std::fs::remove_dir_all(&base).ok();
    let mut failures = Vec::new();
    let mut tally = std::collections::BTreeMap::<String, [usize; 5]>::new();
    let mut classes = oracle::ClassReport::default();
    for (n, (case, theirs)) in cases.iter().zip(&answers).enumerate() {
        let line = decide(&case.vouch.to_string());
        let ours: Value = serde_json::from_str(&line).expect("decision JSON");
        let transport = case.vouch["transport"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let entry = tally
            .entry(format!("{} {transport}", case.family))
            .or_default();
        entry[0] += 1;
        entry[1] += usize::from(ours["allowed"] == true);
        entry[2] += usize::from(theirs.get("reference_error").is_some());
        entry[3] += usize::from(
            ours["scope"]["scope"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
        );
        if theirs.get("oracle_error").is_none() {
            let label = format!(
                "#{n} {} {transport}:{} request={}",
                case.family, case.vouch["reference"], case.vouch
            );
            classes.record(&label, &ours, theirs);
        }
        if let Some(why) = compare(case, &ours, theirs) {
            failures.push(format!(
                "{why}\n  request: {}\n  vouch: {line}\n  c/image: {theirs}",
                case.vouch
            ));
        }
    }
    eprintln!(
        "family transport: cases, allowed, reference refused, decided by a non-default scope, policy rejected"
    );
    for (key, [n, allowed, refused, scoped, rejected]) in &tally {
        eprintln!("  {key}: {n}, {allowed}, {refused}, {scoped}, {rejected}");
    }
    classes.print("evaluation differential", cases.len());
    for failure in failures.iter().take(20) {
        eprintln!("{failure}\n");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree",
        failures.len(),
        cases.len()
    );
    // Every transport and both families must be exercised, with both verdicts.
    for transport in [
        "docker",
        "docker-daemon",
        "docker-archive",
        "tarball",
        "dir",
        "oci",
        "oci-archive",
        "sif",
        "containers-storage",
    ] {
        for family in ["scope", "decision"] {
            let key = format!("{family} {transport}");
            assert!(
                tally.get(&key).is_some_and(|t| t[0] >= 40),
                "too few {key} cases"
            );
        }
    }
    let allowed: usize = tally.values().map(|t| t[1]).sum();
    assert!(allowed >= 300, "only {allowed} allowed decisions");
    classes.assert_agree();
}
