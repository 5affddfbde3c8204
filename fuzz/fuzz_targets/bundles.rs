//! Fuzzes sigstore bundles and what they are verified with: bundle reading, trusted roots,
//! identity regular expressions, and a whole verification (log entries, checkpoints, inclusion
//! proofs, RFC 3161 time stamps, SCTs, certificates, DSSE) against a trusted root from the
//! same input. Invariant: never panics, never hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch::fuzzing::bundles(data);
});
