//! Fuzzes reference parsing in both dialects, through the bytes entry and the JSON contract.
//!
//! Invariants checked beyond "never panics": an accepted reference's canonical text parses as
//! canonical (ParseNamed) to the same parts; every failure has a contract `error_kind`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::{Dialect, Reference};

fuzz_target!(|data: &[u8]| {
    for dialect in [Dialect::ContainersImage, Dialect::Distribution] {
        match Reference::parse_normalized_bytes(data, dialect) {
            Ok(reference) => {
                let again = Reference::parse_named(reference.as_str(), dialect)
                    .expect("canonical text must parse as canonical");
                assert_eq!(again.domain(), reference.domain());
                assert_eq!(again.path(), reference.path());
                assert_eq!(again.tag(), reference.tag());
                assert_eq!(again.digest(), reference.digest());
                assert!(reference.as_str().ends_with(reference.familiar_string()));
            }
            Err(error) => assert!(!error.kind().is_empty()),
        }
        let answer = vouch::json::reference_line(data, dialect);
        assert_eq!(answer.ok, answer.error_kind.is_empty());
        if let Ok(text) = core::str::from_utf8(data) {
            let _ = vouch::AnyReference::parse(text, dialect);
            let _ = Reference::parse_docker_ref(text, dialect);
            if let Ok(any) = vouch::AnyReference::parse("busybox", dialect) {
                let _ = any.familiar_match(text);
            }
        }
    }
});
