//! Side-by-side: the same no-crypto decisions timed in vouch and, in the same run, in
//! containers/image 5.34.2 (the oracle's `bench` op). Prints a Markdown table.
//!
//! Run: `taskset -c 1 cargo run --release -p vouch-benches --bin oracle-compare`
//! (the oracle from `$VOUCH_ORACLE_534` or `~/.cache/vouch/oracle/bin/oracle-534`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use vouch::{CompileOptions, Evaluator, Evidence, Files, Image, Policy};
use vouch_benches::{BENCH_IMAGE, policy_with_scopes};

struct Case {
    name: &'static str,
    policy: String,
    reference: &'static str,
}

/// Median over rounds of the mean time per call, in nanoseconds.
fn time_ns(mut f: impl FnMut() -> bool, per_round: u32) -> f64 {
    for _ in 0..per_round {
        std::hint::black_box(f());
    }
    let mut rounds: Vec<f64> = (0..11)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_round {
                std::hint::black_box(f());
            }
            start.elapsed().as_nanos() as f64 / f64::from(per_round)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn main() {
    let oracle = std::env::var_os("VOUCH_ORACLE_534")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/vouch/oracle/bin/oracle-534")
        });
    let signed = r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/ns":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/none.gpg"}]}}}"#;
    let cases = [
        Case {
            name: "insecureAcceptAnything, 1 scope",
            policy: policy_with_scopes(1),
            reference: BENCH_IMAGE,
        },
        Case {
            name: "insecureAcceptAnything, 10k scopes",
            policy: policy_with_scopes(10_000),
            reference: BENCH_IMAGE,
        },
        Case {
            name: "default reject",
            policy: policy_with_scopes(100),
            reference: "docker.io/library/busybox:latest",
        },
        Case {
            name: "signedBy, no signature",
            policy: signed.to_string(),
            reference: BENCH_IMAGE,
        },
    ];
    let mut child = Command::new(&oracle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", oracle.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    println!(
        "| case | vouch evaluate (ns) | vouch from text (ns) | c/image eval (ns) | c/image full (ns) | speed-up (eval) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for case in &cases {
        let policy = Policy::parse(case.policy.as_bytes()).expect("policy");
        let evaluator = Evaluator::compile(&policy, &Files::new(), &CompileOptions::default());
        let image = Image::parse(vouch::Transport::Docker, case.reference).expect("image");
        let evidence = Evidence::default();
        let ours = time_ns(|| evaluator.evaluate(&image, &evidence).allowed, 200_000);
        let from_text = time_ns(
            || {
                let image = Image::parse(vouch::Transport::Docker, case.reference).expect("image");
                evaluator.evaluate(&image, &evidence).allowed
            },
            200_000,
        );
        let n = if case.policy.len() > 100_000 {
            200
        } else {
            20_000
        };
        let request = serde_json::json!({"op": "bench", "n": n, "case": {
            "policy_raw": case.policy, "transport": "docker", "reference": case.reference,
            "manifest": "e30=", "signatures": []}});
        writeln!(stdin, "{request}").expect("write oracle");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read oracle");
        let answer: serde_json::Value = serde_json::from_str(&line).expect("oracle JSON");
        let theirs = answer["ns_per_op_eval"].as_f64().unwrap_or(f64::NAN);
        let full = answer["ns_per_op_full"].as_f64().unwrap_or(f64::NAN);
        println!(
            "| {} | {ours:.0} | {from_text:.0} | {theirs:.0} | {full:.0} | {:.0}× |",
            case.name,
            theirs / ours
        );
    }
    drop(stdin);
    let _ = child.wait();
}
