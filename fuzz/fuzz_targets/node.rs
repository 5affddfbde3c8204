//! Fuzzes Kubernetes node and admission input: kubelet record and intent files of every
//! release, trust records, docker configs, userns files, `vouch node` requests and admission
//! lines. Invariant: never panics, never hangs; records round-trip; every admission line gets an
//! AdmissionReview.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch::fuzzing::node(data);
});
