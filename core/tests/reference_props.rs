//! Property tests of the reference parsers.

use proptest::prelude::*;
use vouch::{AnyReference, Dialect, Reference};

const DIALECTS: [Dialect; 2] = [Dialect::ContainersImage, Dialect::Distribution];

/// Strings built mostly from the characters references are made of, so that a good share parse.
fn reference_like() -> impl Strategy<Value = String> {
    let domain = prop_oneof![
        Just(String::new()),
        Just("docker.io/".to_string()),
        Just("docker.io/a.b/".to_string()),
        Just("index.docker.io/".to_string()),
        Just("localhost/".to_string()),
        Just("localhost:5000/".to_string()),
        Just("[::1]:5000/".to_string()),
        "[a-zA-Z0-9-]{1,8}(\\.[a-zA-Z0-9-]{1,6}){0,2}(:[0-9]{1,5})?/",
    ];
    let path =
        "[a-z0-9]{1,6}([._-][a-z0-9]{1,6}){0,2}(/[a-z0-9]{1,6}([._-]{1,2}[a-z0-9]{1,4}){0,2}){0,3}";
    let tag = prop_oneof![Just(String::new()), ":[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,20}"];
    let digest = prop_oneof![
        Just(String::new()),
        "@sha256:[a-f0-9]{64}",
        "@sha512:[a-f0-9]{128}",
        "@sha384:[a-f0-9]{96}",
        "@[a-z0-9]{1,6}:[a-fA-F0-9]{32,70}",
    ];
    let noise = "[a-zA-Z0-9._:/@\\[\\]-]{0,4}";
    (domain, path, tag, digest, noise, 0..10u8).prop_map(|(d, p, t, g, n, k)| {
        let mut s = format!("{d}{p}{t}{g}");
        if k == 0 {
            s.push_str(&n);
        } else if k == 1 {
            s.insert_str(0, &n);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The canonical text of a parsed reference is accepted by ParseNamed and gives itself back,
    /// with the same parts.
    #[test]
    fn canonical_text_round_trips(s in reference_like()) {
        for dialect in DIALECTS {
            if let Ok(r) = Reference::parse_normalized_in(&s, dialect) {
                let again = Reference::parse_named(r.as_str(), dialect).unwrap();
                prop_assert_eq!(again.as_str(), r.as_str());
                prop_assert_eq!(again.domain(), r.domain());
                prop_assert_eq!(again.path(), r.path());
                prop_assert_eq!(again.tag(), r.tag());
                prop_assert_eq!(again.digest(), r.digest());
                prop_assert_eq!(Reference::parse_normalized_in(r.as_str(), dialect).unwrap(), r.clone());
            }
        }
    }

    /// The familiar form normalises back to the same reference, except where upstream's
    /// familiar form is itself ambiguous: a Docker Hub path whose first component looks like a
    /// registry (`docker.io/a.b/c` becomes `a.b/c`, which names registry `a.b`).
    #[test]
    fn familiar_form_normalises_back(s in reference_like()) {
        for dialect in DIALECTS {
            if let Ok(r) = Reference::parse_normalized_in(&s, dialect) {
                let first = r.path().split('/').next().unwrap_or_default();
                let ambiguous = r.domain() == "docker.io"
                    && r.path().contains('/')
                    && (first.contains(['.', ':']) || first == "localhost");
                let back = Reference::parse_normalized_in(r.familiar_string(), dialect);
                if ambiguous {
                    prop_assert!(back.as_ref().ok() != Some(&r));
                } else {
                    prop_assert_eq!(back.unwrap(), r.clone());
                    let name = Reference::parse_normalized_in(r.familiar_name(), dialect).unwrap();
                    prop_assert_eq!(name.as_str(), r.name());
                }
            }
        }
    }

    /// No input makes any parser panic, and failures always carry a contract error_kind.
    #[test]
    fn parsing_never_panics(s in any::<String>(), bytes in any::<Vec<u8>>()) {
        for dialect in DIALECTS {
            for input in [s.as_str(), &format!("docker.io/{s}"), &format!("a/b:{s}")] {
                for result in [
                    Reference::parse_normalized_in(input, dialect),
                    Reference::parse_named(input, dialect),
                    Reference::parse_docker_ref(input, dialect),
                    Reference::parse_unnormalized(input, dialect),
                    Reference::with_name(input, dialect),
                ] {
                    if let Err(e) = result {
                        prop_assert!(!e.kind().is_empty());
                        prop_assert!(!e.to_string().is_empty());
                    }
                }
                let _ = AnyReference::parse(input, dialect);
                let _ = vouch::json::reference_line(input.as_bytes(), dialect);
            }
            let _ = Reference::parse_normalized_bytes(&bytes, dialect);
            let _ = vouch::json::reference_line(&bytes, dialect);
        }
    }

    /// Valid input and its Go-style classification agree between the &str and the bytes entry.
    #[test]
    fn bytes_and_str_entries_agree(s in reference_like()) {
        for dialect in DIALECTS {
            prop_assert_eq!(
                Reference::parse_normalized_bytes(s.as_bytes(), dialect),
                Reference::parse_normalized_in(&s, dialect)
            );
        }
    }
}
