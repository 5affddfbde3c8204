//! Node and admission decisions, timed: a KEP-2535 `kubelet_pull` check in vouch and, in the same
//! run, in the kubelet's own `pullmanager` (the kubelet oracle's `bench` op, at 1.34, 1.35 and
//! 1.36); and an AdmissionReview with ten containers, ten keyless-signed images, decided with the
//! verification cache warm. Prints Markdown tables.
//!
//! Run (pinned to one core, as docs/performance.md records it):
//!
//! ```sh
//! taskset -c 1 cargo run --release -p vouch-benches --bin node-compare
//! ```
//!
//! The check: a `v1beta1` record with three secrets, the pod's secret matching by hash (the
//! common path: `credentialRecordFound`). vouch's columns time `vouch::node::kubelet_pull` (the
//! record read from its bytes each time, as the kubelet reads the file) and the whole JSON line
//! (`vouch::json::node_line`). The oracle times `MustAttemptImagePull` with the record in a file
//! in a temporary directory (the kubelet's file store, without its memory cache). Each round
//! times vouch and then the oracle; the ratio is the median of the per-round ratios.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::Instant;

use base64ct::{Base64, Encoding as _};
use serde_json::{Value, json};
use vouch::node::{
    CredentialPolicy, KubernetesVersion, PodCredentials, PullCheck, PullPolicy, PullSecret,
    VerificationPolicy, kubelet_pull,
};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn time_per_call(per_round: u32, f: &mut dyn FnMut() -> bool) -> f64 {
    let start = Instant::now();
    for _ in 0..per_round {
        assert!(std::hint::black_box(f()), "a timed call went wrong");
    }
    start.elapsed().as_nanos() as f64 / f64::from(per_round)
}

const HASH: &str = "cb54b00fb550d4a17c448149caa29f38f4d5a44fb87c752e43db8160af3a032a";

fn record(version: &str) -> String {
    let api = if version >= "1.35" {
        "v1beta1"
    } else {
        "v1alpha1"
    };
    // Normalised (1.33-1.35) and as written (1.36), this image keys alike.
    let key = "registry.example/team/app";
    format!(
        r#"{{"kind":"ImagePulledRecord","apiVersion":"kubelet.config.k8s.io/{api}","lastUpdatedTime":"2026-12-01T00:00:00Z","imageRef":"sha256:aaaa","credentialMapping":{{"{key}":{{"kubernetesSecrets":[{{"uid":"u0","namespace":"team","name":"a","credentialHash":"0000"}},{{"uid":"u1","namespace":"team","name":"b","credentialHash":"1111"}},{{"uid":"u2","namespace":"team","name":"regcred","credentialHash":"{HASH}"}}]}}}}}}
"#
    )
}

fn kubelet_rows() {
    println!(
        "| kubelet_pull (record with three secrets, match by hash) | vouch `kubelet_pull` | vouch JSON line | kubelet `MustAttemptImagePull` | kubelet ÷ vouch |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for version in ["1.34", "1.35", "1.36"] {
        let kv = KubernetesVersion::from_name(version).expect("version");
        let policy = VerificationPolicy::new(
            CredentialPolicy::NeverVerifyPreloadedImages,
            &[] as &[&str],
            kv,
        )
        .expect("policy");
        let record = record(version);
        let secrets = [PullSecret {
            uid: "u2".into(),
            namespace: "team".into(),
            name: "regcred".into(),
            credential_hash: HASH.into(),
        }];
        let check = PullCheck {
            version: kv,
            policy: &policy,
            image: "registry.example/team/app:v3",
            image_ref: "sha256:aaaa",
            pull_policy: PullPolicy::IfNotPresent,
            pulled_record: Some(record.as_bytes()),
            pull_intent: None,
            intent_exists: false,
            credentials: PodCredentials::Resolved(&secrets),
            service_account: None,
            now: None,
        };
        let decision = kubelet_pull(&check);
        assert!(!decision.must_pull, "{decision:?}");
        let request = json!({"op": "kubelet_pull", "kubernetes_version": version,
            "policy": "NeverVerifyPreloadedImages", "image": "registry.example/team/app:v3",
            "image_ref": "sha256:aaaa", "pulled_record": Base64::encode_string(record.as_bytes()),
            "pod_secrets": [{"uid": "u2", "namespace": "team", "name": "regcred", "credential_hash": HASH}]});
        let line = request.to_string();
        let oracle_path =
            std::env::var_os(format!("VOUCH_KUBELET_ORACLE_{}", version.replace('.', "")))
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                        .join(format!(".cache/vouch/oracle/bin/kubelet-{version}"))
                });
        let mut oracle = oracle_path.is_file().then(|| {
            Command::new(&oracle_path)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("oracle")
        });
        let (mut direct, mut json_line, mut go, mut ratios) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..21 {
            let d = time_per_call(2000, &mut || !kubelet_pull(&check).must_pull);
            let j = time_per_call(2000, &mut || {
                vouch::json::node_line(line.as_bytes()).contains("\"must_pull\":false")
            });
            direct.push(d);
            json_line.push(j);
            if let Some(child) = oracle.as_mut() {
                let stdin = child.stdin.as_mut().expect("stdin");
                writeln!(
                    stdin,
                    "{}",
                    json!({"op": "bench", "request": request, "rounds": 2000})
                )
                .expect("write");
                stdin.flush().expect("flush");
                let mut answer = String::new();
                BufReader::new(child.stdout.as_mut().expect("stdout"))
                    .read_line(&mut answer)
                    .expect("read");
                let answer: Value = serde_json::from_str(&answer).expect("oracle json");
                assert_eq!(answer["must_pull"], false, "{answer}");
                let ns = answer["ns_per_op"].as_f64().expect("ns_per_op");
                go.push(ns);
                ratios.push(ns / d);
            }
        }
        let fmt = |ns: f64| {
            if ns >= 1000.0 {
                format!("{:.2} µs", ns / 1000.0)
            } else {
                format!("{ns:.0} ns")
            }
        };
        let (oracle_cell, ratio_cell) = if go.is_empty() {
            ("(oracle not built)".to_string(), "".to_string())
        } else {
            (fmt(median(go)), format!("{:.1}×", median(ratios)))
        };
        println!(
            "| {version} | {} | {} | {oracle_cell} | {ratio_cell} |",
            fmt(median(direct)),
            fmt(median(json_line))
        );
        if let Some(mut child) = oracle {
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

fn admission_rows() {
    use vouch_conformance::keyless_cases::{accepted_fulcio_for, authorities};
    let ca = authorities(1_795_348_800);
    let mut evidence = serde_json::Map::new();
    let mut containers = Vec::new();
    let mut policy = Value::Null;
    for i in 0..10 {
        let image = format!("quay.io/ns/app{i}:1.{i}");
        let case = accepted_fulcio_for(&ca, &image, 100 + i);
        policy = json!({"policy_text": case.vouch["policy_text"], "files": case.vouch["files"]});
        evidence.insert(
            image.clone(),
            json!({"manifest": case.vouch["manifest"], "signatures": case.vouch["signatures"]}),
        );
        containers
            .push(json!({"name": format!("c{i}"), "image": image, "imagePullPolicy": "Always"}));
    }
    let line = json!({"review": {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": "u", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"}, "operation": "CREATE",
                    "object": {"spec": {"template": {"spec": {"containers": containers}}}}}},
        "config": {"policy": policy, "pin_digests": true, "require_always_pull": true}, "evidence": evidence})
    .to_string();
    let first = vouch::admit::admit_line(line.as_bytes());
    assert!(first.contains("\"allowed\":true"), "{first}");
    let mut admitter = vouch::admit::Admitter::new();
    let mut warm = Vec::new();
    let mut cold = Vec::new();
    for _ in 0..11 {
        warm.push(time_per_call(50, &mut || {
            admitter
                .admit_line(line.as_bytes())
                .contains("\"allowed\":true")
        }));
        cold.push(time_per_call(5, &mut || {
            vouch::admit::admit_line(line.as_bytes()).contains("\"allowed\":true")
        }));
    }
    let ms = |ns: f64| format!("{:.3} ms", ns / 1e6);
    println!();
    println!(
        "| AdmissionReview, Deployment with ten containers of ten keyless-signed images, pinned | time |"
    );
    println!("| --- | --- |");
    println!(
        "| `Admitter::admit_line`, policy compiled once, verification cache warm | {} |",
        ms(median(warm))
    );
    println!(
        "| `admit_line`, policy compiled and every signature verified for the review | {} |",
        ms(median(cold))
    );
    println!("| (line size) | {} KiB |", line.len() / 1024);
}

fn main() {
    kubelet_rows();
    admission_rows();
}
