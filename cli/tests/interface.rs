//! The command line itself: help on every command, the version with the build's capabilities,
//! completions for every shell, and usage errors exiting 2.

mod common;

use common::vouch;

const COMMANDS: &[&str] = &["ref", "eval", "check", "lint", "version", "completions"];

#[test]
fn every_command_has_help() {
    for help in ["--help", "-h"] {
        let (status, out, err) = vouch(&[help], b"");
        let out = String::from_utf8(out).unwrap();
        assert_eq!(status, 0, "{err}");
        assert!(out.contains("Usage: vouch <COMMAND>"), "{out}");
        for command in COMMANDS {
            assert!(out.contains(&format!("  {command} ")), "{command}: {out}");
        }
        for command in COMMANDS {
            let (status, out, err) = vouch(&[command, help], b"");
            let out = String::from_utf8(out).unwrap();
            assert_eq!(status, 0, "{command} {help}: {err}");
            assert!(
                out.contains(&format!("Usage: vouch {command}")),
                "{command} {help}: {out}"
            );
        }
    }
    let (status, out, _) = vouch(&["help", "check"], b"");
    assert_eq!(status, 0);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("TRANSPORT:REFERENCE")
    );
    let (status, out, _) = vouch(&["check", "--help"], b"");
    assert_eq!(status, 0);
    let out = String::from_utf8(out).unwrap();
    for spelling in [
        "docker://",
        "dir:",
        "oci:",
        "containers-storage:",
        "--output",
    ] {
        assert!(out.contains(spelling), "{spelling}: {out}");
    }
}

#[test]
fn version_reports_the_build() {
    let build = vouch::BUILD;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let expected = format!(
        "vouch {} (crypto: {}; signedBy/OpenPGP: {}; verification cache: {})\n",
        build.version,
        build.crypto.name(),
        yes_no(build.openpgp),
        yes_no(build.verification_cache)
    );
    for args in [&["--version"][..], &["-V"], &["version"]] {
        let (status, out, err) = vouch(args, b"");
        assert_eq!(status, 0, "{args:?}: {err}");
        assert_eq!(String::from_utf8(out).unwrap(), expected, "{args:?}");
    }
    let (status, out, _) = vouch(&["version", "--json"], b"");
    assert_eq!(status, 0);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\n", build.to_json())
    );
    let (status, _, _) = vouch(&["version", "--yaml"], b"");
    assert_eq!(status, 2);
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef vouch"),
        ("fish", "complete -c vouch"),
        ("elvish", "edit:completion:arg-completer[vouch]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (status, out, err) = vouch(&["completions", shell], b"");
        let out = String::from_utf8(out).unwrap();
        assert_eq!(status, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        for word in ["check", "policy", "output", "dialect", "containers-image"] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    let (status, _, _) = vouch(&["completions", "tcsh"], b"");
    assert_eq!(status, 2);
    let (status, _, _) = vouch(&["completions"], b"");
    assert_eq!(status, 2);
}

#[test]
fn usage_errors_exit_two_with_usage_on_standard_error() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["ref", "--bogus"],
        &["ref", "--dialect", "kubelet"],
        &["ref", "--dialect"],
        &["eval", "--request"],
        &["eval", "extra"],
        &["lint"],
        &["version", "extra"],
    ] {
        let (status, out, err) = vouch(args, b"");
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(
            err.starts_with("error: ") || err.contains("Usage: vouch <COMMAND>"),
            "{args:?}: {err}"
        );
    }
    // A suggestion for a near miss, as users of clap-based tools expect.
    let (_, _, err) = vouch(&["chek"], b"");
    assert!(err.contains("check"), "{err}");
}

#[test]
fn inputs_that_cannot_be_read_exit_one() {
    let (status, _, err) = vouch(&["eval", "--request", "no/such/file.jsonl"], b"");
    assert_eq!(status, 1);
    assert!(err.starts_with("vouch: no/such/file.jsonl: "), "{err}");
    let (status, _, err) = vouch(&["lint", "no/such/policy.json"], b"");
    assert_eq!(status, 1);
    assert!(err.starts_with("vouch: no/such/policy.json: "), "{err}");
    // `-` is standard input.
    let (status, out, _) = vouch(&["eval", "--request", "-"], b"not json\n");
    assert_eq!(status, 0);
    assert!(String::from_utf8(out).unwrap().contains("invalid_request"));
}
