//! Benchmarks live in `benches/benches/`; this library only holds shared inputs.

/// Typical references, as they appear in pod specs and policies.
pub const TYPICAL_REFERENCES: &[&str] = &[
    "busybox",
    "quay.io/podman/stable:latest",
    "registry.k8s.io/kube-apiserver:v1.33.0",
    "ghcr.io/org/team/app@sha256:8e9b5b7c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e",
];

/// The image the policy benchmarks decide.
pub const BENCH_IMAGE: &str = "quay.io/ns/app:1.0";

/// A policy with `scopes` docker scopes (at least 1): `quay.io/ns` accepts anything, the others
/// (`registry-<i>.example.com/team<j>/app<k>`) require a signature, and the default rejects.
/// The image [`BENCH_IMAGE`] is decided by `quay.io/ns`, after missing on its identity and
/// repository, whatever the number of scopes.
pub fn policy_with_scopes(scopes: usize) -> String {
    let mut document = String::with_capacity(64 + scopes * 120);
    document.push_str(
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/ns":[{"type":"insecureAcceptAnything"}]"#,
    );
    for i in 1..scopes {
        document.push_str(&format!(
            r#","registry-{}.example.com/team{}/app{}":[{{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/k{}.gpg"}}]"#,
            i % 997,
            i / 997,
            i,
            i % 7
        ));
    }
    document.push_str("}}}");
    document
}
