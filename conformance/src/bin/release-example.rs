//! Writes the worked example of docs/kubernetes-release.md into the directory given (relative
//! to the repository root, where `vouch check` runs in the document):
//!
//! ```sh
//! cargo run -p vouch-conformance --bin release-example -- docs/examples/k8s-release
//! ```

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: release-example DIR");
        std::process::exit(2);
    };
    vouch_conformance::release_example::write_release_example(std::path::Path::new(&dir));
}
