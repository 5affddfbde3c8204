//! Deciding requests: a whole request at once, or its image half with a compiled policy.

use alloc::string::{String, ToString};
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use super::answer::{DecisionAnswer, decision_json};
use super::request::{EvaluateRequest, evaluate_request};

use crate::eval::{CompileOptions, Evaluator};

/// Decides a parsed request.
pub fn evaluate_parsed(request: &EvaluateRequest) -> DecisionAnswer {
    let id = request.id.clone();
    let policy = match request.parse_policy() {
        Ok(policy) => policy,
        Err(error) => return DecisionAnswer::policy_rejected(id, &error),
    };
    let evaluator = Evaluator::compile(&policy, &request.files, &CompileOptions::default());
    evaluate_with(&evaluator, request)
}

/// Decides a parsed request with an already compiled policy (the request's own policy and
/// files must be the ones it was compiled from).
pub fn evaluate_with(evaluator: &Evaluator, request: &EvaluateRequest) -> DecisionAnswer {
    let id = request.id.clone();
    let image = match request.image() {
        Ok(image) => image,
        Err(error) => return DecisionAnswer::failure(id, error.kind(), error.to_string()),
    };
    let decision = evaluator.evaluate(&image, &request.evidence());
    DecisionAnswer::from_decision(id, &image, &decision, &request.signatures)
}

/// Reads a request and decides it.
pub fn evaluate_answer(input: &[u8]) -> DecisionAnswer {
    match evaluate_request(input) {
        Ok(request) => evaluate_parsed(&request),
        Err((id, error)) => DecisionAnswer::invalid_request(id, error),
    }
}

/// Reads a request and writes the decision as one line of JSON (without the newline).
pub fn evaluate_line(input: &[u8]) -> String {
    decision_json(&evaluate_answer(input))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{CompiledPolicy, POLICY_FIELDS};

    /// Splits a whole request (a JSON object) into its policy and image halves.
    fn halves(line: &str) -> (String, String) {
        let value: serde_json::Value = serde_json::from_str(line).expect("request JSON");
        let serde_json::Value::Object(members) = value else {
            panic!("not an object")
        };
        let (mut policy, mut image) = (serde_json::Map::new(), serde_json::Map::new());
        for (key, value) in members {
            if POLICY_FIELDS.contains(&key.as_str()) {
                policy.insert(key, value);
            } else {
                image.insert(key, value);
            }
        }
        (
            serde_json::Value::Object(policy).to_string(),
            serde_json::Value::Object(image).to_string(),
        )
    }

    #[test]
    fn compiled_policy_decides_as_the_whole_request() {
        let lines = include_str!("../../../docs/examples/policy/requests.jsonl");
        let mut seen = 0;
        for line in lines.lines() {
            let (policy, image) = halves(line);
            let compiled = CompiledPolicy::compile(policy.as_bytes());
            // serde_json reorders nothing inside the policy text, so the decision must match
            // the one-shot decision of the line itself.
            assert_eq!(
                compiled.evaluate_line(image.as_bytes()),
                evaluate_line(line.as_bytes())
            );
            seen += 1;
        }
        assert!(seen >= 8);
    }

    #[test]
    fn rejected_and_unreadable_policies_deny_every_request() {
        let image = br#"{"id":"a","transport":"docker","reference":"busybox"}"#;
        let rejected = CompiledPolicy::compile(br#"{"policy":{"default":[{"type":"nope"}]}}"#);
        assert!(!rejected.report().accepted);
        assert!(!rejected.report().policy_error.is_empty());
        let whole = br#"{"policy":{"default":[{"type":"nope"}]},"id":"a","transport":"docker","reference":"busybox"}"#;
        assert_eq!(rejected.evaluate_line(image), evaluate_line(whole));

        let unreadable = CompiledPolicy::compile(br#"{"policy":{"default":[]},"transport":"x"}"#);
        let report = unreadable.report();
        assert!(!report.accepted);
        assert_eq!(report.error_kind, "invalid_request");
        assert!(
            report.error.contains("belongs to a request"),
            "{}",
            report.error
        );
        let answer = unreadable.evaluate_answer(image);
        assert!(!answer.allowed);
        assert_eq!(answer.id.as_deref(), Some("a"));
        assert_eq!(answer.error, report.error);

        let missing = CompiledPolicy::compile(br#"{"files":{}}"#);
        assert!(missing.report().error.contains("one of policy"));
    }

    #[test]
    fn image_half_may_not_carry_the_policy() {
        let compiled = CompiledPolicy::compile(
            br#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]}}"#,
        );
        assert!(compiled.report().accepted);
        assert!(compiled.report().files_needed.is_empty());
        let ok = compiled.evaluate_answer(br#"{"transport":"docker","reference":"busybox"}"#);
        assert!(ok.allowed);
        for smuggled in [
            &br#"{"transport":"docker","reference":"busybox","policy":{"default":[]}}"#[..],
            br#"{"transport":"docker","reference":"busybox","files":{}}"#,
        ] {
            let answer = compiled.evaluate_answer(smuggled);
            assert!(!answer.allowed);
            assert_eq!(answer.error_kind, "invalid_request");
            assert!(answer.error.contains("belongs to the compiled policy"));
        }
        let answer = compiled.evaluate_answer(br#"{"reference":"busybox"}"#);
        assert_eq!(answer.error, "transport is required");
    }

    #[test]
    fn report_lists_needed_and_missing_files() {
        let compiled = CompiledPolicy::compile(
            br#"{"policy":{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":["/b","/a"]}]},"files":{"/a":""}}"#,
        );
        let report = compiled.report();
        assert!(report.accepted);
        assert_eq!(report.files_needed, ["/a", "/b"]);
        assert_eq!(report.files_missing, ["/b"]);
        let json: serde_json::Value = serde_json::from_str(&compiled.report_json()).unwrap();
        assert_eq!(json["files_missing"][0], "/b");
        assert_eq!(json["problems"][0]["reason"], "key_file_missing");
    }

    /// An unreadable file is told apart from a missing one and from a malformed one, in the
    /// compile report and in every decision, and is never also given as readable.
    #[test]
    fn unreadable_missing_and_malformed_files_are_reported_apart() {
        let policy = r#"{"default":[{"type":"reject"}],"transports":{"docker":{
            "a.io":[{"type":"sigstoreSigned","keyPath":"/bad.pub"}],
            "d.io":[{"type":"sigstoreSigned","keyPaths":["/bad.pub","/gone.pub"]}],
            "e.io":[{"type":"sigstoreSigned","keyPath":"/bad.pub","rekorPublicKeyPath":"/gone.pub"}],
            "f.io":[{"type":"sigstoreSigned","rekorPublicKeyData":"bm90IGEga2V5",
                     "fulcio":{"caPath":"/bad.pub","oidcIssuer":"https://o","subjectEmail":"a@b"}}],
            "b.io":[{"type":"sigstoreSigned","keyPath":"/locked.pub"}],
            "c.io":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/gone.pub"}]}}}"#;
        let half = alloc::format!(
            r#"{{"policy":{policy},"files":{{"/bad.pub":"bm90IGEga2V5"}},"files_unreadable":{{"/locked.pub":"permission denied"}}}}"#
        );
        let compiled = CompiledPolicy::compile(half.as_bytes());
        let report = compiled.report();
        assert!(report.accepted, "{report:?}");
        assert_eq!(report.files_missing, ["/gone.pub"]);
        assert_eq!(report.files_unreadable, ["/locked.pub"]);
        let reasons: alloc::vec::Vec<(&str, &str)> = report
            .problems
            .iter()
            .map(|p| (p.scope.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("a.io", "invalid_key"),
                ("b.io", "key_file_unreadable"),
                ("c.io", "key_file_missing"),
                // Every key file is read before any key is parsed.
                ("d.io", "key_file_missing"),
                // Keys are parsed before the Rekor keys are read.
                ("e.io", "invalid_key"),
                // The Fulcio CA file holds no certificate.
                ("f.io", "invalid_key"),
            ]
        );
        let signed = r#""signatures":[{"kind":"sigstore","payload":"e30=","annotations":{"dev.cosignproject.cosign/signature":"AA=="}}]"#;
        let answer = compiled.evaluate_answer(
            alloc::format!(r#"{{"transport":"docker","reference":"b.io/x",{signed}}}"#).as_bytes(),
        );
        assert!(!answer.allowed);
        assert_eq!(answer.reason, "key_file_unreadable");
        assert!(
            answer.error.contains("cannot be read: permission denied"),
            "{}",
            answer.error
        );
        let twice = CompiledPolicy::compile(
            br#"{"policy":{"default":[]},"files":{"/k":""},"files_unreadable":{"/k":"x"}}"#,
        );
        assert!(!twice.report().accepted);
        assert!(twice.report().error.contains("also in files"));
    }

    #[test]
    fn compiled_policy_is_shareable() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<CompiledPolicy>();
    }
}
