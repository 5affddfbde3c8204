//! What the CLI tests share: running the built `vouch` binary.
#![allow(dead_code)] // Each test file uses its own part of this module.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `vouch` with `args` from the repository root, feeding `stdin`; returns the exit status,
/// standard output and standard error.
pub(crate) fn vouch(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    vouch_in(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")),
        &[],
        args,
        stdin,
    )
}

/// Runs `vouch` in the working directory `cwd` with the environment variables `env` added
/// (an empty value removes the variable).
pub(crate) fn vouch_in(
    cwd: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: &[u8],
) -> (i32, Vec<u8>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vouch"));
    command
        .args(args)
        .current_dir(cwd)
        // The working directory as the shell would announce it (Go's os.Getwd reads it).
        .env("PWD", cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        if value.is_empty() {
            command.env_remove(name);
        } else {
            command.env(name, value);
        }
    }
    let mut child = command.spawn().expect("run vouch");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().expect("vouch output");
    // A command that exits before reading its input closes the pipe; that is not a failure.
    let _ = writer.join().expect("writer");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A fresh directory for one test, removed when dropped.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("vouch-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Resolved, so that tests can compare with the paths vouch resolves.
        Self(std::fs::canonicalize(&dir).expect("canonical temp dir"))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// The path of `relative` inside, as text.
    pub(crate) fn join(&self, relative: &str) -> String {
        self.0.join(relative).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
