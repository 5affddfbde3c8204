//! Drives the containers/image oracle (`shared/oracle/cimage`): JSON Lines in, JSON Lines out.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Why the differential tests are ignored in the quick tier (`cargo test`).
pub const IGNORED: &str = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh, or cargo test -- --include-ignored with the oracle built)";

/// The oracle binary built from containers/image 5.34.2: `$VOUCH_ORACLE_534`, else
/// `~/.cache/vouch/oracle/bin/oracle-534` (where `scripts/test.sh` builds it). Always `Some`:
/// a differential test that runs without its oracle fails.
///
/// # Panics
/// When it is missing.
pub fn oracle_534() -> Option<PathBuf> {
    let path = match std::env::var_os("VOUCH_ORACLE_534") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/vouch/oracle/bin/oracle-534"),
    };
    assert!(
        path.is_file(),
        "the containers/image 5.34 oracle ({}) is missing: build it with scripts/test.sh or set VOUCH_ORACLE_534",
        path.display()
    );
    Some(path)
}

/// Sends every request to the oracle in one process and returns its answers in order.
///
/// # Panics
/// When the oracle cannot be run or answers out of step.
pub fn ask(oracle: &PathBuf, requests: &[Value]) -> Vec<Value> {
    let mut child = Command::new(oracle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // The library logs some evaluation outcomes (signedBaseLayer) to stderr.
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", oracle.display()));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input: Vec<u8> = requests
        .iter()
        .flat_map(|r| {
            let mut line = serde_json::to_vec(r).expect("requests serialise");
            line.push(b'\n');
            line
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let answers: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(&line.expect("oracle output")).expect("oracle JSON"))
        .collect();
    writer
        .join()
        .expect("writer thread")
        .expect("write to oracle");
    let status = child.wait().expect("oracle exit");
    assert!(status.success(), "oracle exited with {status}");
    assert_eq!(
        answers.len(),
        requests.len(),
        "oracle answered a different number of lines"
    );
    answers
}

/// [`ask`] split over `processes` oracle processes running at once (gpgme is slow: it builds a
/// GPG home for every signature). The answers come back in the order of `requests`.
///
/// # Panics
/// As [`ask`].
pub fn ask_parallel(oracle: &PathBuf, requests: &[Value], processes: usize) -> Vec<Value> {
    let chunk = requests.len().div_ceil(processes.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = requests
            .chunks(chunk)
            .map(|part| scope.spawn(move || ask(oracle, part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("oracle thread"))
            .collect()
    })
}

/// Whether vouch's decision `ours` and the oracle's `theirs` differ in what the differential
/// suites compare: `allowed`, and whether the policy was refused.
pub fn differs(ours: &Value, theirs: &Value) -> bool {
    let refused = |answer: &Value| !answer["policy_error"].as_str().unwrap_or("").is_empty();
    ours["allowed"] != theirs["allowed"] || refused(ours) != refused(theirs)
}

/// A disagreement as the differential suites report it.
pub fn disagreement(label: &str, ours: &Value, theirs: &Value) -> String {
    format!(
        "{label}\n  vouch: allowed={} {} {}\n  c/image: allowed={} {}",
        ours["allowed"], ours["reason"], ours["requirements"], theirs["allowed"], theirs["error"],
    )
}
