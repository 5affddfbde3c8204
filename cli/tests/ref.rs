//! `vouch ref` answers byte for byte what `vouch::json` answers (which the conformance
//! differential ties to containers/image), for bare lines and JSON requests alike.

mod common;

use common::vouch;

use vouch::Dialect;
use vouch::json::reference_line;

#[test]
fn cli_answers_equal_the_library_on_generated_references() {
    let inputs = vouch_conformance::generate::reference_strings(0x5eed_0001, 4000);
    for dialect in [Dialect::ContainersImage, Dialect::Distribution] {
        let mut stdin = Vec::new();
        let mut expected = Vec::new();
        for input in &inputs {
            // Every string as a JSON request; the ones that fit on a line also bare.
            let request = serde_json::to_vec(&serde_json::json!({"reference": input})).unwrap();
            let mut lines = vec![request];
            let bare = input.as_bytes();
            let json_like = bare.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            if !bare.contains(&b'\n') && !bare.ends_with(b"\r") && !json_like {
                lines.push(bare.to_vec());
            }
            for line in lines {
                stdin.extend_from_slice(&line);
                stdin.push(b'\n');
                expected.extend_from_slice(&reference_line(&line, dialect).to_json());
                expected.push(b'\n');
            }
        }
        let (code, stdout, stderr) = vouch(&["ref", "--dialect", dialect.name()], &stdin);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout == expected,
            "vouch ref output differs from vouch::json ({dialect})"
        );
    }
}

#[test]
fn arguments_and_exit_statuses() {
    let (code, stdout, _) = vouch(&["ref", "busybox", "Foo/bar"], b"");
    assert_eq!(code, 0);
    let text = String::from_utf8(stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains(r#""string":"docker.io/library/busybox""#));
    assert!(lines[1].contains(r#""error_kind":"name_contains_uppercase""#));
    let (code, _, stderr) = vouch(&["ref", "--dialect", "kubelet"], b"");
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = vouch(&["ref", "--bogus"], b"");
    assert_eq!(code, 2);
    let (code, _, _) = vouch(&["frobnicate"], b"");
    assert_eq!(code, 2);
    let (code, _, _) = vouch(&[], b"");
    assert_eq!(code, 2);
    // An overlong line is answered, not buffered without bound.
    let mut long = vec![b'a'; 300_000];
    long.push(b'\n');
    let (code, stdout, _) = vouch(&["ref"], &long);
    assert_eq!(code, 0);
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("input_too_large")
    );
}
