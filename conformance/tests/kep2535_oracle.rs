//! The KEP-2535 differential: generated cases (conformance/src/node_cases.rs) decided by vouch
//! (`vouch::json::node_line`) and by the kubelet's own code (`oracles/kubelet`: its
//! `pullmanager` package with the filesystem record store, its keyring and its policies) at
//! Kubernetes 1.34, 1.35 and 1.36. Every answer must agree:
//! - `kubelet_pull`: whether the pod must pull, the check's metric label (1.35 on), and the
//!   record the check writes back (its `lastUpdatedTime` aside: the kubelet stamps the real
//!   clock), or that the configuration is refused;
//! - `pull_record`: whether the file reads, and the bytes the kubelet writes back for it;
//! - `record_pulled`: the record a successful pull leaves (time aside);
//! - `pod_credentials`: which pull-secret credentials the keyring picks, in order, with their
//!   hashes, or that the secrets do not read.

use base64ct::{Base64, Encoding as _};
use serde_json::{Value, json};
use vouch_conformance::node_cases;
use vouch_conformance::oracle::{ask, kubelet, report_differential};

const IGNORED: &str = "differential against the kubelet oracle: the full tier runs it (scripts/test.sh, or cargo test -- --include-ignored with the oracles built)";

/// Cases per release (the default seed; `VOUCH_KEP2535_SEED` explores others).
const CASES: usize = 1200;

fn unb64(v: &Value) -> Option<Vec<u8>> {
    v.as_str().map(|s| Base64::decode_vec(s).expect("base64"))
}

/// A record's bytes with `lastUpdatedTime` masked.
fn masked(v: &Value) -> Option<String> {
    let text = String::from_utf8(unb64(v)?).expect("utf-8");
    let Some(at) = text.find(r#""lastUpdatedTime":""#) else {
        return Some(text);
    };
    let start = at + r#""lastUpdatedTime":""#.len();
    let end = start + text[start..].find('"').expect("closing quote");
    Some(format!("{}T{}", &text[..start], &text[end..]))
}

/// The oracle's request for one of vouch's, or `None` when the oracle has no such op.
fn oracle_request(request: &Value) -> Value {
    match request["op"].as_str().expect("op") {
        "pull_record" => {
            let bytes = unb64(&request["record"]).expect("record");
            let parsed: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let kind = request["kind"].as_str().expect("kind");
            let key = if kind == "intent" {
                parsed["image"].as_str().unwrap_or("nginx")
            } else {
                parsed["imageRef"].as_str().unwrap_or("sha256:aaaa")
            };
            json!({"op": "record_codec", "kind": kind, "bytes": request["record"], "key": key})
        }
        "record_pulled" => {
            let mut out = request.clone();
            out["credential"] = request["pulled_with"].clone();
            out
        }
        "pod_credentials" => {
            let secrets: Vec<Value> = request["pull_secrets"]
                .as_array()
                .expect("secrets")
                .iter()
                .map(|s| {
                    json!({"uid": s["metadata"]["uid"], "namespace": s["metadata"]["namespace"],
                           "name": s["metadata"]["name"], "type": s["type"], "data": s["data"]})
                })
                .collect();
            json!({"op": "keyring", "image": request["image"], "secrets": secrets})
        }
        _ => request.clone(),
    }
}

/// Why vouch and the kubelet disagree on one case, or `None`.
fn disagreement(version: &str, request: &Value, ours: &Value, theirs: &Value) -> Option<String> {
    let problem = |what: &str| Some(format!("{what}: ours {ours}, kubelet {theirs}"));
    match request["op"].as_str().expect("op") {
        "kubelet_pull" => {
            let refused = ours["error_kind"] == "invalid_config";
            let oracle_refused = theirs["policy_error"]
                .as_str()
                .is_some_and(|e| !e.is_empty());
            if refused || oracle_refused {
                return (refused != oracle_refused)
                    .then(|| problem("configuration"))
                    .flatten();
            }
            if ours["must_pull"] != theirs["must_pull"] {
                return problem("must_pull");
            }
            if version != "1.34" && ours["result"] != theirs["result"] {
                return problem("result");
            }
            if masked(&ours["record"]) != masked(&theirs["record"]) {
                return problem("record written by the check");
            }
            None
        }
        "pull_record" => {
            let ok = ours["error_kind"] == "";
            let oracle_ok = theirs["error"].as_str().is_some_and(str::is_empty);
            if ok != oracle_ok {
                return problem("whether the file reads");
            }
            if ok && theirs["exists"] == true && ours["record"] != theirs["reencoded"] {
                return problem("the file written back");
            }
            None
        }
        "record_pulled" => {
            // The oracle reads the file back after the pull: the same bytes mean unchanged.
            let theirs_record = if theirs["record"] == request["pulled_record"] {
                Value::Null
            } else {
                theirs["record"].clone()
            };
            if masked(&ours["record"]) != masked(&theirs_record) {
                return problem("record after the pull");
            }
            None
        }
        "pod_credentials" => {
            let failed = ours["error_kind"] != "";
            let oracle_failed = theirs["error"].as_str().is_some_and(|e| !e.is_empty());
            if failed != oracle_failed {
                return problem("whether the secrets read");
            }
            let pick = |list: &Value| -> Vec<(String, String, String, String)> {
                list.as_array()
                    .map(|l| {
                        l.iter()
                            .map(|c| {
                                let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                                (s("uid"), s("namespace"), s("name"), s("credential_hash"))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if !failed && pick(&ours["credentials"]) != pick(&theirs["credentials"]) {
                return problem("credentials");
            }
            None
        }
        other => Some(format!("no comparison for op {other}")),
    }
}

fn differential(version: &str, seed_default: u64) {
    let seed = vouch_conformance::seed("VOUCH_KEP2535_SEED", seed_default);
    let requests = node_cases::cases(seed, version, CASES);
    let oracle_requests: Vec<Value> = requests.iter().map(oracle_request).collect();
    let answers = ask(&kubelet(version), &oracle_requests);
    let mut failures = Vec::new();
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for ((request, theirs), i) in requests.iter().zip(&answers).zip(0..) {
        let ours: Value =
            serde_json::from_str(&vouch::json::node_line(request.to_string().as_bytes()))
                .expect("json");
        let op = request["op"].as_str().expect("op");
        let outcome = match op {
            "kubelet_pull" => format!(
                "kubelet_pull {} {}{}",
                ours["result"].as_str().unwrap_or_default(),
                ours["error_kind"].as_str().unwrap_or_default(),
                if ours["record"].is_null() {
                    ""
                } else {
                    " +record"
                }
            ),
            _ => format!("{op} {}", ours["error_kind"].as_str().unwrap_or_default()),
        };
        *outcomes.entry(outcome).or_default() += 1;
        if let Some(why) = disagreement(version, request, &ours, theirs) {
            failures.push(format!("case {i}: {why}\n  request {request}"));
        }
    }
    println!("kubelet {version}, seed {seed}: {} cases", requests.len());
    report_differential(&outcomes, &failures, &format!("the kubelet {version}"));
    // The draw must reach every kind of outcome that matters.
    for needed in [
        "kubelet_pull credentialPolicyAllowed ",
        "kubelet_pull credentialRecordFound ",
        "kubelet_pull credentialRecordFound  +record",
        "kubelet_pull mustAuthenticate ",
        "kubelet_pull error ",
        "kubelet_pull  invalid_config",
        "pull_record ",
        "pull_record record_invalid",
        "pod_credentials ",
        "pod_credentials credentials",
        "record_pulled ",
    ] {
        assert!(outcomes.contains_key(needed), "no case reached {needed:?}");
    }
}

#[test]
#[ignore = "differential against the kubelet oracle: the full tier runs it"]
fn kubelet_134() {
    let _ = IGNORED;
    differential("1.34", 1034);
}

#[test]
#[ignore = "differential against the kubelet oracle: the full tier runs it"]
fn kubelet_135() {
    differential("1.35", 1035);
}

#[test]
#[ignore = "differential against the kubelet oracle: the full tier runs it"]
fn kubelet_136() {
    differential("1.36", 1036);
}
