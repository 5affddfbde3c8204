//! The KEP-127 differential: generated pods (conformance/src/node_cases.rs, `userns_api_case`)
//! judged by vouch (`vouch node`, op `userns_validate`) and by the API server's own code of
//! Kubernetes 1.34, 1.35 and 1.36 (`oracles/kubelet`, op `userns_validate`: the pod created as
//! the API server creates one, and Pod Security Admission's evaluator). Every answer must agree:
//! - validation: the API server's errors about user namespaces (`hostNetwork`, `HostPID`,
//!   `HostIPC` and `volumeDevices` with `hostUsers: false`, `procMount: Unmasked` without it,
//!   `hostUsers` on a Windows pod), message for message and in order, against vouch's errors;
//!   errors the API server gives for other rules are left out (vouch checks only these);
//! - Pod Security Standards: the refusals of the checks user namespaces relax (`procMount`,
//!   `runAsNonRoot != true`, `runAsUser=0`), reason and detail, in order; and which of them the
//!   pod escapes only because it has its own user namespace (`relaxed`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use vouch_conformance::node_cases;
use vouch_conformance::oracle::{ask, kubelet, report_differential};

/// Pods per release (the default seed; `VOUCH_KEP127_SEED` explores others).
const CASES: usize = 1500;

/// The details of the API server's errors that concern user namespaces.
fn userns_error(e: &Value) -> bool {
    let detail = e["detail"].as_str().unwrap_or_default();
    let field = e["field"].as_str().unwrap_or_default();
    matches!(
        detail,
        "when `hostUsers` is false"
            | "when `pod.Spec.HostUsers` is false"
            | "`hostUsers` must be false to use `Unmasked`"
    ) || (detail == "cannot be set for a windows pod" && field.ends_with(".hostUsers"))
}

/// The Pod Security Admission reasons of the checks user namespaces relax.
const RELAXABLE: &[&str] = &["procMount", "runAsNonRoot != true", "runAsUser=0"];

/// A verdict's refusals by the relaxable checks, as (reason, detail).
fn refusals(verdict: &Value) -> Vec<(String, String)> {
    let list = |k: &str| -> Vec<String> {
        verdict[k]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|s| s.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    list("reasons")
        .into_iter()
        .zip(list("details"))
        .filter(|(reason, _)| RELAXABLE.contains(&reason.as_str()))
        .collect()
}

fn reason_of(check: &str) -> &'static str {
    match check {
        "procMount" | "procMount_restricted" => "procMount",
        "runAsNonRoot" => "runAsNonRoot != true",
        "runAsUser" => "runAsUser=0",
        other => panic!("unknown check {other}"),
    }
}

/// Why vouch and the API server disagree on one pod, or `None`.
fn disagreement(ours: &Value, theirs: &Value) -> Option<String> {
    let problem = |what: &str| Some(format!("{what}: ours {ours}, API server {theirs}"));
    if ours["error_kind"] != "" || theirs.get("error").is_some() {
        return problem("the request");
    }
    let their_errors: Vec<&Value> = theirs["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| userns_error(e))
        .collect();
    let our_errors = ours["errors"].as_array().expect("errors");
    let messages = |l: &mut dyn Iterator<Item = &Value>| -> Vec<String> {
        l.map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    if messages(&mut our_errors.iter()) != messages(&mut their_errors.iter().copied()) {
        return problem("validation errors");
    }
    let (Some(our_checks), Some(verdict)) = (
        ours["pod_security"].as_array(),
        theirs.get("pod_security").filter(|v| !v.is_null()),
    ) else {
        return (ours["pod_security"].is_null() != theirs["pod_security"].is_null())
            .then(|| problem("pod security presence"))
            .flatten();
    };
    let our_refusals: Vec<(String, String)> = our_checks
        .iter()
        .filter(|c| c["allowed"] == false)
        .map(|c| {
            (
                c["reason"].as_str().unwrap_or_default().to_string(),
                c["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if our_refusals != refusals(verdict) {
        return problem("pod security refusals");
    }
    let our_relaxed: BTreeSet<&str> = our_checks
        .iter()
        .filter(|c| c["relaxed"] == true)
        .map(|c| reason_of(c["check"].as_str().unwrap_or_default()))
        .collect();
    let with: BTreeSet<String> = refusals(verdict).into_iter().map(|(r, _)| r).collect();
    let their_relaxed: BTreeSet<String> = refusals(&theirs["pod_security_without_userns"])
        .into_iter()
        .map(|(r, _)| r)
        .filter(|r| !with.contains(r))
        .collect();
    if our_relaxed
        .iter()
        .map(|r| r.to_string())
        .collect::<BTreeSet<_>>()
        != their_relaxed
    {
        return problem("relaxed by user namespaces");
    }
    None
}

fn differential(version: &str, seed_default: u64) {
    let seed = vouch_conformance::seed("VOUCH_KEP127_SEED", seed_default);
    let requests = node_cases::userns_api_cases(seed, version, CASES);
    let answers = ask(&kubelet(version), &requests);
    let mut failures = Vec::new();
    let mut outcomes = BTreeMap::<String, usize>::new();
    for ((request, theirs), i) in requests.iter().zip(&answers).zip(0..) {
        let ours: Value =
            serde_json::from_str(&vouch::json::node_line(request.to_string().as_bytes()))
                .expect("json");
        for e in ours["errors"].as_array().into_iter().flatten() {
            let field = e["field"].as_str().unwrap_or_default();
            let last = field.rsplit('.').next().unwrap_or_default();
            *outcomes
                .entry(format!(
                    "error {last}: {}",
                    e["detail"].as_str().unwrap_or_default()
                ))
                .or_default() += 1;
        }
        for c in ours["pod_security"].as_array().into_iter().flatten() {
            let state = if c["relaxed"] == true {
                "relaxed"
            } else if c["allowed"] == true {
                "allowed"
            } else {
                "refused"
            };
            *outcomes
                .entry(format!(
                    "pss {} {state}",
                    c["check"].as_str().unwrap_or_default()
                ))
                .or_default() += 1;
        }
        if ours["ok"] == true {
            *outcomes.entry("valid".into()).or_default() += 1;
        }
        if let Some(why) = disagreement(&ours, theirs) {
            failures.push(format!("case {i}: {why}\n  request {request}"));
        }
    }
    println!("API server {version}, seed {seed}: {} pods", requests.len());
    report_differential(&outcomes, &failures, &format!("the API server {version}"));
    // The draw must reach every rule.
    let mut needed = vec![
        "valid",
        "error hostNetwork: when `hostUsers` is false",
        "error HostPID: when `hostUsers` is false",
        "error HostIPC: when `hostUsers` is false",
        "error volumeDevices: when `hostUsers` is false",
        "error procMount: `hostUsers` must be false to use `Unmasked`",
        "error hostUsers: cannot be set for a windows pod",
        "pss procMount refused",
        "pss procMount relaxed",
        "pss runAsNonRoot refused",
        "pss runAsNonRoot relaxed",
        "pss runAsUser refused",
        "pss runAsUser relaxed",
    ];
    if version != "1.34" {
        needed.push("pss procMount_restricted refused");
    }
    for needed in needed {
        assert!(outcomes.contains_key(needed), "no pod reached {needed:?}");
    }
}

#[test]
#[ignore = "differential against the API server's code (the kubelet oracle): the full tier runs it"]
fn userns_134() {
    differential("1.34", 127_034);
}

#[test]
#[ignore = "differential against the API server's code (the kubelet oracle): the full tier runs it"]
fn userns_135() {
    differential("1.35", 127_035);
}

#[test]
#[ignore = "differential against the API server's code (the kubelet oracle): the full tier runs it"]
fn userns_136() {
    differential("1.36", 127_036);
}
