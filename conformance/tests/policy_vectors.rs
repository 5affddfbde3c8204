//! The upstream policy.json parse cases and the real shipped policies.

use vouch::Policy;
use vouch_conformance::{shared_dir, vector_json};

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn upstream_parse_cases() {
    let cases = vector_json("containers-image/cases/policy_parse.json");
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
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn real_policies_parse() {
    let shared = shared_dir();
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

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn upstream_docker_scopes() {
    let scopes = vector_json("containers-image/cases/policy_scopes.json");
    let mut checked = 0;
    for case in scopes["docker_reference_identity_and_namespaces"]["cases"]
        .as_array()
        .expect("cases")
    {
        let input = case["input"].as_str().expect("input");
        let image = vouch::DockerImage::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            image.policy_identity(),
            case["identity"].as_str().expect("identity"),
            "{input}"
        );
        let namespaces: Vec<String> = image.namespaces().map(|n| n.to_string()).collect();
        let expected: Vec<String> =
            serde_json::from_value(case["namespaces"].clone()).expect("namespaces");
        assert_eq!(namespaces, expected, "{input}");
        checked += 1;
    }
    for case in scopes["docker_transport_parse_reference"]["cases"]
        .as_array()
        .expect("cases")
    {
        let input = case["input"].as_str().expect("input");
        if case["unknown_digest"] == serde_json::json!(true)
            || input.ends_with("@@unknown-digest@@")
        {
            // "@@unknown-digest@@" marks a copy destination whose digest is not known yet; it is
            // not an image that can be evaluated, and vouch refuses it.
            assert!(vouch::DockerImage::parse(input).is_err(), "{input}");
            continue;
        }
        // vouch also accepts the reference without the leading "//" (the interchange contract
        // makes it optional), so the missing-prefix row is checked with the prefix added.
        let result = vouch::DockerImage::parse(input);
        match case["expected"].as_str() {
            Some(expected) => {
                assert_eq!(
                    result
                        .map(|i| i.policy_identity().to_owned())
                        .ok()
                        .as_deref(),
                    Some(expected),
                    "{input}"
                )
            }
            None if !input.starts_with("//") => {
                let with_prefix = vouch::DockerImage::parse(&format!("//{input}"));
                assert_eq!(
                    result, with_prefix,
                    "{input}: the // prefix must not change the outcome"
                );
                assert!(result.is_ok(), "{input}");
            }
            None => assert!(result.is_err(), "{input}"),
        }
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}
