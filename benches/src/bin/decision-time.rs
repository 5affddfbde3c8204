//! Native decision time, to compare with the wasm module (`benches/wasm/decision-time.mjs`
//! runs the same requests through the plain module under Node): for each request of a JSON
//! Lines file, the median time of one decision, one-shot (`vouch::json::evaluate_line`: read,
//! compile, decide) and with a compiled policy (`CompiledPolicy::evaluate_line` on the image
//! half, with its verification cache on as embedders use it, so a repeat is a cache hit).
//!
//! `decision-time REQUESTS.jsonl [ROUNDS]` prints one JSON line per request:
//! `{"id", "one_shot_ns", "compiled_ns"}`. Build it without `--features aws-lc` for the
//! pure-Rust figures that the wasm module is compared with.

use std::hint::black_box;
use std::time::Instant;

use serde_json::{Map, Value};
use vouch::json::{CompiledPolicy, POLICY_FIELDS, evaluate_line};

fn median(mut samples: Vec<u128>) -> u128 {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// The median of `rounds` timings, each the mean of enough calls to last about 20 ms.
fn time(rounds: usize, mut f: impl FnMut()) -> u128 {
    let start = Instant::now();
    f();
    let once = start.elapsed().as_nanos().max(1);
    let calls = (20_000_000 / once).clamp(1, 100_000) as usize;
    let samples = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() / calls as u128
        })
        .collect();
    median(samples)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: decision-time REQUESTS.jsonl [ROUNDS]");
    let rounds: usize = args.next().map_or(11, |r| r.parse().expect("rounds"));
    let text = std::fs::read_to_string(&path).expect("read requests");
    for line in text.lines() {
        let request: Value = serde_json::from_str(line).expect("request JSON");
        let Value::Object(members) = &request else {
            panic!("a request must be an object")
        };
        let (mut policy, mut image) = (Map::new(), Map::new());
        for (key, value) in members {
            if POLICY_FIELDS.contains(&key.as_str()) {
                policy.insert(key.clone(), value.clone());
            } else {
                image.insert(key.clone(), value.clone());
            }
        }
        let image = Value::Object(image).to_string();
        let compiled = CompiledPolicy::compile(Value::Object(policy).to_string().as_bytes());
        assert_eq!(
            compiled.evaluate_line(image.as_bytes()),
            evaluate_line(line.as_bytes())
        );
        let one_shot = time(rounds, || {
            black_box(evaluate_line(black_box(line.as_bytes())));
        });
        let with_compiled = time(rounds, || {
            black_box(compiled.evaluate_line(black_box(image.as_bytes())));
        });
        println!(
            "{}",
            serde_json::json!({"id": request["id"], "one_shot_ns": one_shot, "compiled_ns": with_compiled})
        );
    }
}
