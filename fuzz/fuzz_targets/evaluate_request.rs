//! Fuzzes the evaluate contract: request reading, policy, transports, evidence, decision JSON.
//!
//! Invariants beyond "never panics": the answer is JSON; `allowed` implies no error; a refusal
//! always has an `error_kind`. The input is also compiled as a policy half and decided as an
//! image half (the C and wasm evaluator handles), with the same invariants, and when it is a
//! whole request whose two halves split cleanly, the compiled decision equals the one-shot.
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

    let compiled = vouch::json::CompiledPolicy::compile(data);
    let report: serde_json::Value =
        serde_json::from_str(&compiled.report_json()).expect("report JSON");
    assert_eq!(report["accepted"] == true, report["error"] == "");
    let decided = compiled.evaluate_answer(data);
    assert!(!decided.allowed || decided.error.is_empty());
    assert!(decided.allowed || !decided.error_kind.is_empty());
    if let Ok(serde_json::Value::Object(members)) =
        serde_json::from_slice::<serde_json::Value>(data)
    {
        let (mut policy, mut image) = (serde_json::Map::new(), serde_json::Map::new());
        for (key, value) in members {
            if vouch::json::POLICY_FIELDS.contains(&key.as_str()) {
                policy.insert(key, value);
            } else {
                image.insert(key, value);
            }
        }
        let policy = serde_json::Value::Object(policy).to_string();
        let image = serde_json::Value::Object(image).to_string();
        let whole = format!("{}{}", &policy[..policy.len() - 1], {
            let rest = &image[1..];
            if policy.len() > 2 && rest.len() > 1 {
                format!(",{rest}")
            } else {
                rest.to_string()
            }
        });
        let one_shot = vouch::json::evaluate_line(whole.as_bytes());
        let split =
            vouch::json::CompiledPolicy::compile(policy.as_bytes()).evaluate_line(image.as_bytes());
        let both_readable = vouch::json::evaluate_request(whole.as_bytes()).is_ok();
        if both_readable {
            assert_eq!(split, one_shot, "{whole}");
        }
    }
    if let Ok(text) = core::str::from_utf8(data) {
        if let Some((transport, reference)) = text.split_once(' ') {
            if let Ok(image) = transport
                .parse()
                .and_then(|t| vouch::Image::parse(t, reference))
            {
                let _ = image.namespaces().count();
                let _ = image.docker_reference();
            }
        }
    }
});
