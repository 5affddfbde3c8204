//! Benchmarks live in `benches/benches/`; this library only holds shared inputs.

/// Typical references, as they appear in pod specs and policies.
pub const TYPICAL_REFERENCES: &[&str] = &[
    "busybox",
    "quay.io/podman/stable:latest",
    "registry.k8s.io/kube-apiserver:v1.33.0",
    "ghcr.io/org/team/app@sha256:8e9b5b7c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e",
];
