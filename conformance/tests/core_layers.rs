//! The core's module graph reads top-down: a module imports only modules on lower layers
//! (docs/architecture.md draws the graph). This test reads every source file of `core/src`,
//! finds each `crate::<module>` it names, and fails when a module names one on its own layer
//! or above it, or when a module is not on any layer (a new module must be placed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may import modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // Go's standard-library behaviour.
    &["go"],
    // The clock-free time type (written as Go writes times), the build's capabilities.
    &["time", "build"],
    // Docker references and digests.
    &["reference"],
    // Images named through transports and the scope index; manifests and their digests; the
    // one crypto interface and public keys as Go reads them.
    &["image", "manifest", "crypto"],
    // The policy document; signature envelopes and their verification; trust material
    // (certificates, and next CA pools, log keys and chains).
    &["policy", "signature", "trust"],
    // Sigstore bundles, verified against a trusted root given as data.
    &["bundle"],
    // Compiling a policy and deciding images.
    &["eval"],
    // Kubernetes node decisions (pure functions over the kubelet's files and pod specs).
    &["node"],
    // The JSON contract every surface speaks.
    &["json"],
    // Pod admission: AdmissionReviews decided with the JSON contract and the node decisions.
    &["admit"],
    // Prometheus metrics over the answers of every surface.
    &["metrics"],
    // The crate error that wraps every module's error, and the crate root.
    &["error", "lib"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("core/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`lib` for `lib.rs`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under core/src");
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// Every `crate::<name>` in the code of `text` (comments left out).
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::{a, b}` groups are not used in the core; a name starting upper-case is
            // a re-export of the crate root.
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                found.push((number + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn core_modules_import_only_lower_layers() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    assert!(files.len() > 40, "core/src was not found");
    let mut violations = Vec::new();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(own) = layer_of(&module) else {
            violations.push(format!(
                "{}: module `{module}` is on no layer of this test (place it in LAYERS and in docs/architecture.md)",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for (line, target) in crate_paths(&text) {
            if target == module {
                continue;
            }
            match layer_of(&target) {
                // Macros and items of the crate root (`crate::format`, say) are not modules.
                None if !src.join(format!("{target}.rs")).exists()
                    && !src.join(&target).is_dir() => {}
                Some(layer) if layer < own => {
                    *edges.entry((module.clone(), target)).or_default() += 1;
                }
                _ => violations.push(format!(
                    "{}:{line}: `{module}` imports `{target}`, which is not on a lower layer",
                    file.display()
                )),
            }
        }
    }
    eprintln!(
        "core layers: {} files; imports between modules: {}",
        files.len(),
        edges
            .iter()
            .map(|((from, to), n)| format!("{from}->{to} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_import() {
    let text = "use crate::eval::Evaluator; // crate::json in a comment\nfn f() { crate::go::base64_std(\"\"); }";
    assert_eq!(
        crate_paths(text),
        vec![(1, "eval".to_string()), (2, "go".to_string())]
    );
    // From `policy` (layer 3), `eval` (layer 4) is above: the main test would report it.
    assert!(layer_of("eval") > layer_of("policy"));
    assert!(layer_of("policy") == layer_of("signature"));
}
