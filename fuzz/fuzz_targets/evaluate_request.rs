//! Fuzzes the evaluate contract: request reading, policy, transports, evidence, decision JSON.
//!
//! Invariants beyond "never panics": the answer is JSON; `allowed` implies no error; a refusal
//! always has an `error_kind`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let answer = vouch::json::evaluate_answer(data);
    if answer.allowed {
        assert!(answer.error.is_empty() && answer.policy_error.is_empty());
    } else {
        assert!(!answer.error_kind.is_empty());
    }
    let line = vouch::json::decision_json(&answer);
    assert!(serde_json::from_str::<serde_json::Value>(&line).is_ok());
    if let Ok(text) = core::str::from_utf8(data) {
        if let Some((transport, reference)) = text.split_once(' ') {
            if let Ok(image) = vouch::Image::parse(transport, reference) {
                let _ = image.namespaces().count();
                let _ = image.docker_reference();
            }
        }
    }
});
