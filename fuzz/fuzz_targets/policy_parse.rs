//! Fuzzes the policy parser and linter, then evaluates with what parses.
//!
//! Invariants beyond "never panics": the linter reports errors exactly when the parser refuses
//! the document; a compiled policy decides a fixed set of images without panicking, and a
//! denial always comes with a headline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::{CompileOptions, Evaluator, Evidence, Files, Image, Policy, Severity, lint_policy};

fuzz_target!(|data: &[u8]| {
    let parsed = Policy::parse(data);
    let lint = lint_policy(data, &Files::new());
    let lint_errors = lint.iter().any(|p| p.severity == Severity::Error);
    assert_eq!(parsed.is_err(), lint_errors, "lint and parse disagree");
    let Ok(policy) = parsed else { return };
    let _ = policy.files_needed();
    let evaluator = Evaluator::compile(&policy, &Files::new(), &CompileOptions::default());
    for (transport, reference) in [
        ("docker", "quay.io/ns/app:1"),
        (
            "docker",
            "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
        ("docker-daemon", "localhost:5000/x:1"),
        (
            "containers-storage",
            "[overlay@/var/lib/containers/storage]busybox",
        ),
        ("oci", "/var/lib/images/layout:img"),
        ("dir", "/a/b/c"),
        ("tarball", "/a.tar"),
    ] {
        let image = Image::parse(transport.parse().expect("a transport"), reference)
            .expect("fixed images parse");
        let decision = evaluator.evaluate(&image, &Evidence::default());
        assert!(decision.allowed || !decision.message().is_empty());
    }
});
