//! Side-by-side: sigstore bundle verifications timed in vouch and, in the same run, in
//! sigstore-go 1.3.0 (the oracle's `bench` op), on the same bundles from sigstore-conformance.
//! Prints a Markdown table.
//!
//! Run (pinned to one core, as docs/performance.md records it):
//!
//! ```sh
//! VOUCH_SHARED=../shared taskset -c 1 cargo run --release -p vouch-benches --bin bundle-compare -- /tmp/bundle-bench.jsonl
//! taskset -c 1 node benches/wasm/bundle-time.mjs wasm/dist/vouch.wasm /tmp/bundle-bench.jsonl
//! ```
//!
//! The oracle reads the bundle and the trusted root and builds its verifier once, then times
//! `Verifier.Verify` alone; vouch's matching column times `verify_bundle` on a bundle and root
//! read once. A second column times vouch's whole JSON request (`vouch::json::bundle_answer`:
//! reading the request, the bundle and the root, then verifying). Each round times vouch and
//! then the oracle, and the ratio is the median of the per-round ratios.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};
use vouch::{Artifact, Bundle, Expected, TrustedRoot, verify_bundle};
use vouch_conformance::bundle_cases::conformance_cases;

const CASES: &[(&str, &str)] = &[
    (
        "happy-path-v0.3",
        "v0.3, message signature, Rekor v1 (promise and proof), keyless",
    ),
    (
        "happy-path-intoto-in-dsse-v3",
        "v0.3, DSSE in-toto, Rekor v1, keyless",
    ),
    (
        "rekor2-happy-path",
        "v0.3, Rekor v2 with an RFC 3161 time stamp, keyless",
    ),
    (
        "managed-key-happy-path",
        "v0.3, message signature, managed key",
    ),
];

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn time_per_call(per_round: u32, f: &mut dyn FnMut() -> bool) -> f64 {
    let start = Instant::now();
    for _ in 0..per_round {
        assert!(std::hint::black_box(f()), "a timed verification failed");
    }
    start.elapsed().as_nanos() as f64 / f64::from(per_round)
}

fn unb64(text: &str) -> Vec<u8> {
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(text).expect("base64")
}

struct Oracle {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Oracle {
    fn start() -> Self {
        let path = vouch_conformance::oracle::sigstore_go();
        let mut child = Command::new(&path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        let input = child.stdin.take().expect("stdin");
        let output = BufReader::new(child.stdout.take().expect("stdout"));
        Self {
            child,
            input,
            output,
        }
    }

    /// sigstore-go's nanoseconds per verification of `request`, over `n` verifications.
    fn bench(&mut self, request: &Value, n: u32) -> f64 {
        let mut line = request.clone();
        line["op"] = json!("bench");
        line["n"] = json!(n);
        writeln!(self.input, "{line}").expect("the oracle reads");
        self.input.flush().expect("the oracle reads");
        let mut answer = String::new();
        self.output
            .read_line(&mut answer)
            .expect("the oracle answers");
        let answer: Value = serde_json::from_str(&answer).expect("a JSON answer");
        assert_eq!(answer["verified"], true, "sigstore-go refused: {answer}");
        answer["ns_per_op"].as_f64().expect("a timing")
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let all = conformance_cases();
    // With an argument, the same requests are written there as JSON Lines for the wasm bench
    // (benches/wasm/bundle-time.mjs), each with its "name".
    if let Some(out) = std::env::args().nth(1) {
        let mut lines = String::new();
        for (name, _) in CASES {
            let case = all.iter().find(|c| c.name == *name).expect("the case");
            let mut request = case.request.clone();
            request["name"] = json!(name);
            lines.push_str(&request.to_string());
            lines.push('\n');
        }
        std::fs::write(&out, lines).expect("write the requests");
    }
    let mut oracle = Oracle::start();
    let (per_round, rounds) = (20, 15);
    println!(
        "| bundle | vouch `verify_bundle` | vouch whole JSON request | sigstore-go `Verify` | sigstore-go ÷ vouch |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, what) in CASES {
        let case = all
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("no case {name}"));
        let request = &case.request;
        let bundle = Bundle::from_json(&unb64(request["bundle_base64"].as_str().expect("bundle")))
            .expect("the bundle reads");
        let root = TrustedRoot::from_json(request["trusted_root"].to_string().as_bytes())
            .expect("the root reads");
        let artifact = unb64(request["artifact"].as_str().expect("artifact"));
        let key = request["key"].as_str().map(str::as_bytes);
        let (subject, issuer) = (
            request["identity"]["subject"].as_str().unwrap_or(""),
            request["identity"]["issuer"].as_str().unwrap_or(""),
        );
        let expected = match key {
            Some(pem) => Expected::Key(pem),
            None => Expected::Identity { subject, issuer },
        };
        let mut verify =
            || verify_bundle(&bundle, Artifact::Bytes(&artifact), &root, expected).is_ok();
        let text = request.to_string();
        let mut whole = || vouch::json::bundle_answer(text.as_bytes()).verified;
        // Warm-up, both sides.
        time_per_call(per_round, &mut verify);
        time_per_call(per_round, &mut whole);
        oracle.bench(request, per_round);
        let (mut ours, mut ours_whole, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            ours.push(time_per_call(per_round, &mut verify));
            ours_whole.push(time_per_call(per_round, &mut whole));
            theirs.push(oracle.bench(request, per_round));
        }
        let ratio = median(theirs.iter().zip(&ours).map(|(t, o)| t / o).collect());
        println!(
            "| {what} (`{name}`) | {:.1} µs | {:.1} µs | {:.1} µs | {ratio:.2}× |",
            median(ours) / 1e3,
            median(ours_whole) / 1e3,
            median(theirs) / 1e3,
        );
    }
}
