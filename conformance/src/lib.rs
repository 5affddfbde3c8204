//! Test support for vouch's conformance suites: where the shared vectors and the Go oracle are,
//! a driver for the oracle, and deterministic case generators.
//!
//! Two tiers: the quick one (`cargo test`) runs the vector suites (visibly ignored, with the
//! reason, when ../shared is missing; a build failure with `CI=true`); the full one
//! (`scripts/test.sh`, `cargo test -- --include-ignored`) adds the differential tests against
//! the Go oracle, which are `#[ignore]`d in the quick tier and fail when the oracle is missing.

pub mod admit_cases;
pub mod bundle_cases;
pub mod bundle_gen;
pub mod cached;
pub mod evaluations;
pub mod generate;
pub mod gpg_cases;
pub mod keyless_cases;
pub mod keyring_cases;
pub mod node_cases;
pub mod oracle;
pub mod policies;
pub mod rekor_cases;
pub mod release_example;
pub mod sigstore_cases;

use std::path::PathBuf;

/// Whether the tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The `shared/` folder that sits beside the repository (or `$VOUCH_SHARED`).
///
/// Tests that read it are marked `#[cfg_attr(vouch_no_shared, ignore = ...)]`: the build
/// script ignores them, visibly, when it is missing (and fails the build with `CI=true`).
///
/// # Panics
/// When it is missing.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("VOUCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    assert!(
        dir.join("vectors").is_dir(),
        "the shared folder ({}) with vectors/ is missing: set VOUCH_SHARED",
        dir.display()
    );
    dir
}

/// A file under `shared/vectors/`, read as JSON.
///
/// # Panics
/// When it is missing or not JSON.
pub fn vector_json(relative: &str) -> serde_json::Value {
    let path = shared_dir().join("vectors").join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The current time as RFC 3339 (UTC), from `date`: the differential tests decide at the time
/// the oracle's gpgme sees, the real clock.
///
/// # Panics
/// When `date` cannot be run.
pub fn now_rfc3339() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .expect("date");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// A generator seed: `$var` when set (to explore other draws), else `default` (what CI uses).
pub fn seed(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
