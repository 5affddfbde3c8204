// Whether the shared vectors are there decides how the tests that read them are built:
// present, they run in every tier; absent, they are visibly ignored (`cfg(vouch_no_shared)`)
// and say why, except with `CI=true`, where a missing ../shared is a build failure, never a
// silent pass. The CLI's build script includes this file: one rule for both crates.

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
        "CI=true and the shared vectors ({}) are missing: their tests may not be skipped in CI",
        vectors.display()
    );
    println!(
        "cargo::warning=the shared vectors ({}) are missing: their tests are ignored",
        vectors.display()
    );
    println!("cargo::rustc-cfg=vouch_no_shared");
}
