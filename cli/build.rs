//! For the tests only: whether the shared vectors (containers/image's signature fixtures, used
//! by tests/check.rs) are there. Absent, the tests that read them are visibly ignored
//! (`cfg(vouch_no_shared)`), except with `CI=true`, where that is a build failure; the same
//! rule as the conformance crate's.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(vouch_no_shared)");
    println!("cargo::rerun-if-env-changed=VOUCH_SHARED");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let shared = std::env::var_os("VOUCH_SHARED")
        .map_or_else(|| manifest.join("../../shared"), PathBuf::from);
    let vectors = shared.join("vectors");
    println!("cargo::rerun-if-changed={}", vectors.display());
    if vectors.is_dir() {
        return;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "CI=true and the shared vectors ({}) are missing: the CLI's tests may not be skipped in CI",
        vectors.display()
    );
    println!("cargo::rustc-cfg=vouch_no_shared");
}
