//! The wasm module's code run natively: decision time with the RustCrypto backend (vouch-wasm
//! builds vouch without aws-lc-rs), for the pure-Rust figures beside the native aws-lc-rs ones
//! of `signature-compare` and the module's under Node (docs/performance.md):
//!
//! ```sh
//! cargo run -q --release -p vouch-benches --bin keyless-requests > /tmp/keyless.jsonl
//! taskset -c 1 cargo run -q --release -p vouch-wasm --features bench --bin decision-time -- /tmp/keyless.jsonl
//! ```
//!
//! For each request of a JSON Lines file of evaluate requests: the decision with the
//! verification cache off, and a cached repeat; each the median of 21 rounds of interleaved
//! calls. The requests must be allowed.

use std::hint::black_box;
use std::time::Instant;

use vouch::json::evaluate_request;
use vouch::{CompileOptions, Evaluator, Policy};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: decision-time REQUESTS.jsonl");
    let text = std::fs::read_to_string(&path).expect("read the requests");
    println!("backend: {}\n", vouch::BUILD.crypto.name());
    println!("| request | decision, cache off | cached repeat |");
    println!("| --- | ---: | ---: |");
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let request = evaluate_request(line.as_bytes()).expect("an evaluate request");
        let policy = Policy::parse(&request.policy).expect("policy");
        let image = request.image().expect("image");
        let evidence = request.evidence();
        let compile = |cache| {
            Evaluator::compile(
                &policy,
                &request.files,
                &CompileOptions::default().with_verification_cache(cache),
            )
        };
        let (uncached, cached) = (compile(0), compile(1024));
        let decide = |evaluator: &Evaluator| evaluator.evaluate(&image, &evidence).allowed;
        let id = format!("{} ({})", n + 1, request.reference);
        assert!(decide(&uncached) && decide(&cached), "{id}: not allowed");
        // Enough calls per round to last about 20 ms.
        let per_round = |evaluator: &Evaluator| {
            let start = Instant::now();
            black_box(evaluator.evaluate(&image, &evidence));
            (20e6 / start.elapsed().as_nanos().max(1) as f64).clamp(1.0, 1e5) as u32
        };
        let (n_uncached, n_cached) = (per_round(&uncached), per_round(&cached));
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..21 {
            for (evaluator, n, out) in
                [(&uncached, n_uncached, &mut a), (&cached, n_cached, &mut b)]
            {
                let start = Instant::now();
                for _ in 0..n {
                    black_box(evaluator.evaluate(black_box(&image), black_box(&evidence)));
                }
                out.push(start.elapsed().as_nanos() as f64 / f64::from(n));
            }
        }
        println!(
            "| {id} | {:.1} µs | {:.2} µs |",
            median(a) / 1e3,
            median(b) / 1e3
        );
    }
}
