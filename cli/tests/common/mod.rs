//! What the CLI tests share: running the built `vouch` binary.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `vouch` with `args` from the repository root, feeding `stdin`; returns the exit status,
/// standard output and standard error.
pub(crate) fn vouch(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run vouch");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().expect("vouch output");
    writer.join().expect("writer").expect("write stdin");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}
