//! `vouch eval` answers byte for byte what `vouch::json` answers; `vouch check` and `vouch lint`
//! explain and exit as documented.

mod common;

use common::vouch;

use vouch::json::evaluate_line;
use vouch_conformance::evaluations::{Tree, decision_case, scope_case};
use vouch_conformance::generate::Rng;

#[test]
fn eval_answers_equal_the_library() {
    let base = std::env::temp_dir().join(format!("vouch-cli-eval-{}", std::process::id()));
    std::fs::create_dir_all(&base).expect("temp dir");
    let tree = Tree::create(&base);
    let mut rng = Rng::new(0x5eed_0004);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for i in 0..600 {
        let case = if i % 2 == 0 {
            scope_case(&mut rng, &tree)
        } else {
            decision_case(&mut rng, &tree)
        };
        let line = case.vouch.to_string().into_bytes();
        // Repeat some requests so that the CLI's compiled-policy cache is exercised.
        if i % 5 == 0 {
            lines.push(line.clone());
        }
        lines.push(line);
    }
    lines.push(br#"{"policy": {"default": [{"type": "reject"}], "default": []}, "transport": "docker", "reference": "busybox"}"#.to_vec());
    lines.push(
        br#"{"policy_text": "{}", "transport": "docker", "reference": "busybox", "typo": 1}"#
            .to_vec(),
    );
    lines.push(b"not json".to_vec());
    lines.push(b"".to_vec());
    let mut stdin = Vec::new();
    let mut expected = Vec::new();
    for line in &lines {
        stdin.extend_from_slice(line);
        stdin.push(b'\n');
        expected.extend_from_slice(evaluate_line(line).as_bytes());
        expected.push(b'\n');
    }
    let (status, stdout, stderr) = vouch(&["eval"], &stdin);
    std::fs::remove_dir_all(&base).ok();
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.len(), expected.len());
    assert!(
        stdout == expected,
        "vouch eval differs from vouch::json::evaluate_line"
    );
    let text = String::from_utf8(stdout).expect("utf-8");
    assert!(text.contains(r#""error_kind":"policy_duplicate_key""#));
    assert!(text.contains(r#"unknown request field \"typo\""#));
}

#[test]
fn check_explains_and_exits_zero_or_three() {
    let policy = "docs/examples/policy/policy.json";
    let (status, out, err) = vouch(
        &[
            "check",
            "--policy",
            policy,
            "--transport",
            "docker",
            "--image",
            "registry.example.com/public/tools:1.2",
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&out);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.starts_with("ALLOWED: docker:registry.example.com/public/tools:1.2"),
        "{out}"
    );
    let (status, out, err) = vouch(
        &[
            "check",
            "--policy",
            policy,
            "--transport",
            "docker",
            "--image",
            "registry.example.com/signed/app:2",
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&out);
    assert_eq!(status, 3, "{out}{err}");
    assert!(
        out.contains("a signature is required, but the image has none"),
        "{out}"
    );
    assert!(
        out.contains(r#"transports.docker["registry.example.com/signed"]"#),
        "{out}"
    );
    let (status, _, err) = vouch(&["check", "--policy", policy], b"");
    assert_eq!(status, 2, "{err}");
}

/// A scratch directory for one test's files, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("vouch-cli-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    /// Writes `text` to `name` in the directory; its path.
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    }

    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// `vouch ARGS` with no input: status and standard output, standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    let (status, out, err) = vouch(args, b"");
    (status, String::from_utf8_lossy(&out).into_owned(), err)
}

#[test]
fn lint_reports_every_problem_with_line_and_column() {
    let scratch = Scratch::new("lint");
    let bad = scratch.write(
        "bad.json",
        "{\n  \"default\": [{\"type\": \"reject\"}],\n  \"transports\": {\n    \"docker\": {\"quay.io\": []},\n    \"dir\": {\"relative\": [{\"type\": \"reject\"}]},\n    \"atomic\": {}\n  }\n}\n",
    );
    let (status, out, err) = run(&["lint", &bad]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(
        out.contains(&format!(
            "{bad}:4:27: error: List of verification policy requirements must not be empty"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("{bad}:5:13: error: Unknown key \"relative\"")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{bad}:6:5: warning: transport \"atomic\"")),
        "{out}"
    );
    assert!(out.contains("2 errors, 1 warnings"), "{out}");
    let (status, out, _) = vouch(&["lint", "docs/examples/policy/policy.json"], b"");
    let out = String::from_utf8_lossy(&out);
    assert_eq!(status, 0, "{out}");
}

#[test]
fn lint_reports_keyless_material_that_cannot_be_used() {
    let scratch = Scratch::new("lint-keyless");
    let rsa_key = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB\n-----END PUBLIC KEY-----\n";
    scratch.write("rekor.pub", &rsa_key.replace("\\n", "\n"));
    scratch.write("fulcio.pem", "not a certificate");
    let policy = scratch.write(
        "keyless.json",
        &format!(
            r#"{{"default": [{{"type": "sigstoreSigned", "rekorPublicKeyPath": "{d}/rekor.pub",
                "fulcio": {{"caPath": "{d}/fulcio.pem", "oidcIssuer": "github", "subjectEmail": "a@b"}}}}]}}"#,
            d = scratch.path()
        ),
    );
    let (status, out, err) = run(&["lint", &policy]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains("fulcio.oidcIssuer \"github\" is not a URL"),
        "{out}"
    );
    assert!(
        out.contains("default requirement 1 (sigstoreSigned): every signature is rejected")
            && out.contains("no certificate could be loaded [invalid_key]"),
        "{out}"
    );
    assert!(out.contains("0 errors, 2 warnings"), "{out}");
}

#[test]
fn the_bundle_extension_and_strict_mode() {
    let scratch = Scratch::new("bundle-policy");
    let policy = scratch.write(
        "policy.json",
        &format!(
            r#"{{"default": [{{"type": "vouchSigstoreBundle", "trustedRootPath": "{d}/missing_root.json",
                "identities": [{{"issuer": "https://token.actions.githubusercontent.com",
                                 "subjectRegExp": "^https://github\\.com/org/"}}]}}]}}"#,
            d = scratch.path()
        ),
    );
    // vouch's dialect: a warning that containers/image refuses the policy, and the missing root.
    let (status, out, err) = run(&["lint", &policy]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains("warning: vouchSigstoreBundle is vouch's extension"),
        "{out}"
    );
    assert!(out.contains("missing_root.json"), "{out}");
    // containers/image's dialect: its own error.
    let (status, out, err) = run(&["lint", "--strict", &policy]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(
        out.contains(r#"error: Unknown policy requirement type "vouchSigstoreBundle""#),
        "{out}"
    );
    let image = "docker://registry.example/app:1";
    // `check`: refused for want of a bundle, or for the policy itself under --strict.
    let (status, out, _) = run(&["check", "--policy", &policy, image, "-o", "json"]);
    assert_eq!(status, 3, "{out}");
    assert!(
        out.contains(r#""policy_error":"""#) && out.contains("no_signature"),
        "{out}"
    );
    let (status, out, _) = run(&[
        "check", "--strict", "--policy", &policy, image, "-o", "json",
    ]);
    assert_eq!(status, 3, "{out}");
    assert!(out.contains("Unknown policy requirement type"), "{out}");
    // A bundle is read, and refused with the requirement's reason: its trusted root is missing.
    let bundle = scratch.write("image.sigstore.json", "{}");
    let (status, out, _) = run(&[
        "check", "--policy", &policy, image, "--bundle", &bundle, "-o", "json",
    ]);
    assert_eq!(status, 3, "{out}");
    assert!(
        out.contains(r#""kind":"bundle""#) && out.contains("key_file_missing"),
        "{out}"
    );
}
