//! The upstream policy.json parse cases and the real shipped policies.

use vouch::Policy;
use vouch_conformance::{shared_dir, vector_json};

#[test]
fn upstream_parse_cases() {
    let Some(cases) = vector_json("containers-image/cases/policy_parse.json") else {
        return;
    };
    let cases = cases["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let document = case["policy"].as_str().expect("policy text");
        let valid = case["valid"].as_bool().expect("valid");
        let result = Policy::parse(document.as_bytes());
        if result.is_ok() != valid {
            failures.push(format!(
                "{} / {}: expected {}, got {:?}\n  {document}",
                case["group"],
                case["description"],
                if valid { "valid" } else { "invalid" },
                result.err()
            ));
        }
    }
    eprintln!(
        "policy_parse.json: {} cases, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(cases.len() >= 291);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn real_policies_parse() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let mut count = 0;
    let mut stack = vec![shared.join("vectors/policies")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("policies dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let bytes = std::fs::read(&path).expect("read policy");
                if let Err(e) = Policy::parse(&bytes) {
                    panic!("{}: {e}", path.display());
                }
                count += 1;
            }
        }
    }
    assert!(count >= 7, "only {count} policies found");
}
