//! Test support for vouch's conformance suites: where the shared vectors and the Go oracle are,
//! a driver for the oracle, and deterministic case generators.
//!
//! Missing vectors or a missing oracle are a test failure when `CI=true` and a loud skip
//! otherwise, so a developer without the oracle can still run the rest of the suite.

pub mod cached;
pub mod evaluations;
pub mod generate;
pub mod gpg_cases;
pub mod oracle;
pub mod policies;
pub mod sigstore_cases;

use std::path::PathBuf;

/// Whether the tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The `shared/` folder that sits beside the repository (or `$VOUCH_SHARED`).
///
/// # Panics
/// When it is missing and [`in_ci`] is true.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VOUCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    if dir.join("vectors").is_dir() {
        return Some(dir);
    }
    missing(&format!(
        "the shared folder ({}) with vectors/",
        dir.display()
    ));
    None
}

/// A file under `shared/vectors/`, read as JSON.
pub fn vector_json(relative: &str) -> Option<serde_json::Value> {
    let path = shared_dir()?.join("vectors").join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Reports something a test needs that is not there: fails in CI, warns elsewhere.
pub fn missing(what: &str) {
    if in_ci() {
        panic!("CI=true and {what} is missing: conformance tests may not be skipped in CI");
    }
    eprintln!("SKIPPED: {what} is missing (this would fail with CI=true)");
}
