//! Fuzzes certificate reading: PEM files as containers/image loads Fulcio and PKI roots
//! (`AppendCertsFromPEM`) and PKI intermediates (`UnmarshalCertificatesFromPEM`), and DER
//! certificates as Go's `x509.ParseCertificate` accepts them.
//!
//! Invariant beyond "never panics": a certificate that parses encodes back to exactly its
//! bytes (vouch accepts DER, never BER).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch::fuzzing::certificates(data);
});
