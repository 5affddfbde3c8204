//! Writes the keyless requests the pure-Rust and wasm figures are timed on (docs/performance.md:
//! vouch-wasm's `decision-time`, benches/wasm/keyless-time.mjs),
//! one evaluate request per line with an `id`: `keyless-fulcio`, the case `signature-compare`
//! times against containers/image (a P-256 leaf under a P-256 intermediate, Rekor SET), made
//! around the current time; and `k8s-release`, the allowed image of docs/kubernetes-release.md
//! (a P-256 leaf under a P-384 intermediate), from the committed material.
//!
//! `cargo run -q --release -p vouch-benches --bin keyless-requests > /tmp/keyless.jsonl`

fn main() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let ca = vouch_conformance::keyless_cases::authorities(i64::try_from(now).expect("time"));
    let mut fulcio = vouch_conformance::keyless_cases::accepted_fulcio(&ca).vouch;
    fulcio["id"] = "keyless-fulcio".into();
    println!("{fulcio}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cases = vouch_conformance::release_example::release_example_cases(
        &root,
        "docs/examples/k8s-release",
    );
    let mut release = cases[0].vouch.clone();
    release["id"] = "k8s-release".into();
    println!("{release}");
}
