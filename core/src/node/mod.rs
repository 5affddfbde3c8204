//! Kubernetes node decisions, as the kubelet makes them (docs/node.md, issue 18): so far the
//! credential hash the kubelet records for KEP-2535 (`credential`).

mod credential;

pub use credential::credential_hash;
