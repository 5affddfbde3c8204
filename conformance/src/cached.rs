//! Deciding a request with and without the evaluator's verification cache, to prove the
//! cache decision-neutral: every differential case goes through [`decide`].

use vouch::json::{decision_json, evaluate_line, evaluate_request, evaluate_with};
use vouch::{CompileOptions, Evaluator, Policy};

/// Times at which a request is decided first to fill the cache, before its own time: none,
/// long ago (2001), and far ahead (2096).
const OTHER_TIMES: [Option<vouch::UnixTime>; 3] = [
    None,
    Some(vouch::UnixTime::from_unix_seconds(1_000_000_000)),
    Some(vouch::UnixTime::from_unix_seconds(4_000_000_000)),
];

/// Decides the interchange request `line` and returns the decision JSON, after checking that
/// the same decision comes out: without a cache; with a cold cache; with the cache warmed by
/// the same request; and with a cache warmed by the request at another time.
///
/// # Panics
/// When any of those decisions differs from the one-shot [`evaluate_line`].
pub fn decide(line: &str) -> String {
    let expected = evaluate_line(line.as_bytes());
    let Ok(request) = evaluate_request(line.as_bytes()) else {
        return expected;
    };
    let Ok(policy) = Policy::parse(&request.policy) else {
        return expected;
    };
    let compile = |entries| {
        Evaluator::compile(
            &policy,
            &request.files,
            &CompileOptions::default().with_verification_cache(entries),
        )
    };
    let decide_with = |evaluator: &Evaluator| decision_json(&evaluate_with(evaluator, &request));
    let uncached = compile(0);
    let answer = decide_with(&uncached);
    assert_eq!(answer, expected, "no cache vs one-shot: {line}");
    let cached = compile(64);
    assert_eq!(decide_with(&cached), expected, "cold cache: {line}");
    assert_eq!(decide_with(&cached), expected, "warm cache: {line}");
    // A cache filled at another time (picked by the request's length, so every kind of
    // time is used across a suite) must not change the decision now.
    let elsewhen = compile(64);
    let mut other = request.clone();
    other.now = OTHER_TIMES[line.len() % OTHER_TIMES.len()];
    let _ = evaluate_with(&elsewhen, &other);
    assert_eq!(
        decide_with(&elsewhen),
        expected,
        "cache warmed at {:?}: {line}",
        other.now
    );
    expected
}
