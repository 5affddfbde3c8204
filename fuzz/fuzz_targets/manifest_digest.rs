//! Fuzzes manifest digests (media-type sniffing and schema 1 signature stripping).
//!
//! Invariant beyond "never panics": bytes that are not a signed schema 1 manifest hash to
//! their own sha256, and a computed digest always matches itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::manifest::{manifest_digest, manifest_matches_digest};

fuzz_target!(|data: &[u8]| {
    if let Ok(digest) = manifest_digest(data) {
        assert_eq!(manifest_matches_digest(data, &digest), Ok(true));
    }
});
