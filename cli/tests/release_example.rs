//! The worked example of docs/kubernetes-release.md: every `sh` block that runs `vouch` is run
//! from the repository root on the committed material (docs/examples/k8s-release), and its
//! standard output must be the `text` block after it, byte for byte; allowed images exit 0,
//! refused ones 3.

mod common;

use common::vouch;

/// The (command, output) pairs of the document, in order.
fn examples() -> Vec<(String, String)> {
    let document = include_str!("../../docs/kubernetes-release.md");
    let mut blocks = Vec::new();
    let mut lines = document.lines();
    while let Some(line) = lines.next() {
        if let Some(kind) = line.strip_prefix("```") {
            let kind = kind.to_string();
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push((kind, body.join("\n") + "\n"));
        }
    }
    let mut out = Vec::new();
    for pair in blocks.windows(2) {
        if let [(first, command), (second, output)] = pair
            && first == "sh"
            && second == "text"
            && command.starts_with("vouch ")
        {
            out.push((command.trim().to_string(), output.clone()));
        }
    }
    out
}

#[test]
fn the_documented_decisions_are_what_vouch_answers() {
    let examples = examples();
    assert_eq!(examples.len(), 6, "the document's examples");
    for (command, expected) in examples {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let (status, stdout, stderr) = vouch(&args, b"");
        let stdout = String::from_utf8(stdout).expect("UTF-8");
        assert_eq!(stdout, expected, "{command}\n{stderr}");
        let want = if expected.starts_with("REJECTED") {
            3
        } else {
            0
        };
        assert_eq!(status, want, "{command}\n{stderr}");
    }
}
