//! Scope lookup and identity matching against the upstream tables
//! (policy_scopes.json `requirements_for_image_ref`, reference_match.json).

use serde_json::Value;
use vouch::{CompileOptions, Evaluator, Files, Image, Policy, Reference, Remapped, SignedIdentity};
use vouch_conformance::vector_json;

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn requirements_for_image_ref() {
    let all = vector_json("containers-image/cases/policy_scopes.json");
    let table = &all["requirements_for_image_ref"];
    // Each scope gets its own list; which one is chosen is read back from the evaluator.
    let mut transports = serde_json::Map::new();
    for scope in table["configured_scopes"].as_array().expect("scopes") {
        let transport = scope["transport"].as_str().expect("transport");
        let name = scope["scope"].as_str().expect("scope");
        transports
            .entry(transport)
            .or_insert_with(|| Value::Object(Default::default()))
            .as_object_mut()
            .expect("object")
            .insert(name.into(), serde_json::json!([{"type": "reject"}]));
    }
    let document = serde_json::json!({"default": [{"type": "reject"}], "transports": transports});
    let policy = Policy::parse(document.to_string().as_bytes()).expect("policy");
    let evaluator = Evaluator::compile(&policy, &Files::new(), &CompileOptions::default());
    let mut checked = 0;
    let mut unregistered = 0;
    for case in table["cases"].as_array().expect("cases") {
        let transport = case["input_transport"].as_str().expect("transport");
        let input = case["input"].as_str().expect("input");
        // The upstream test hands the policy code an in-memory reference; through the real
        // transports a `dir:` image is a resolved absolute path.
        let input = match transport {
            "dir" => format!("/{input}"),
            _ => input.to_string(),
        };
        let image = match transport.parse().and_then(|t| Image::parse(t, &input)) {
            Ok(image) => image,
            Err(_) if transport == "atomic" => {
                // Debian's containers/image does not register `atomic`; its scopes can never
                // apply, which is what the row expects (the global default).
                assert_eq!(case["matched_transport"], "");
                unregistered += 1;
                continue;
            }
            Err(e) => panic!("{transport}:{input}: {e}"),
        };
        let scope = evaluator.scope_for(&image);
        let expected_transport = case["matched_transport"].as_str().expect("matched");
        assert_eq!(
            scope.transport.unwrap_or(""),
            expected_transport,
            "{transport}:{input}"
        );
        assert_eq!(scope.scope, case["matched_scope"], "{transport}:{input}");
        checked += 1;
    }
    eprintln!("requirements_for_image_ref: {checked} rows checked, {unregistered} atomic rows");
    assert!(checked >= 10);
}

fn parse(s: &str) -> Option<Reference> {
    Reference::parse_normalized(s).ok()
}

/// The image-relative matchers need a parseable image; upstream skips rows without one.
fn image_matches(identity: &SignedIdentity, image: &str, signature: &str) -> Option<bool> {
    let image = parse(image)?;
    Some(identity.matches(Some(&image), signature))
}

fn rows<'a>(tables: &'a Value, name: &str) -> &'a Vec<Value> {
    tables[name]["rows"].as_array().expect("rows")
}

fn s<'a>(row: &'a Value, key: &str) -> &'a str {
    row[key].as_str().expect(key)
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn identity_matchers() {
    let all = vector_json("containers-image/cases/reference_match.json");
    let tables = &all["tables"];
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |what: String, got: Option<bool>, expected: bool| {
        if let Some(got) = got {
            checked += 1;
            if got != expected {
                failures.push(format!("{what}: expected {expected}, got {got}"));
            }
        }
    };
    let noop_remaps = [
        SignedIdentity::RemapIdentity {
            prefix: "does-not-match.com".into(),
            signed_prefix: "does-not-match.rewritten".into(),
        },
        SignedIdentity::RemapIdentity {
            prefix: "docker.io".into(),
            signed_prefix: "docker.io".into(),
        },
    ];
    for row in rows(tables, "prmExactMatchTestTable") {
        let expected = row["result"].as_bool().expect("result");
        for (a, b) in [
            (s(row, "refA"), s(row, "refB")),
            (s(row, "refB"), s(row, "refA")),
        ] {
            check(
                format!("matchExact {a} / {b}"),
                image_matches(&SignedIdentity::MatchExact, a, b),
                expected,
            );
            let exact = parse(a).map(SignedIdentity::ExactReference);
            check(
                format!("exactReference {a} / {b}"),
                Some(exact.is_some_and(|m| m.matches(None, b))),
                expected,
            );
            if expected {
                check(
                    format!("matchRepoDigestOrExact {a} / {b}"),
                    image_matches(&SignedIdentity::MatchRepoDigestOrExact, a, b),
                    true,
                );
                for remap in &noop_remaps {
                    check(
                        format!("{remap:?} {a} / {b}"),
                        image_matches(remap, a, b),
                        true,
                    );
                }
            }
        }
    }
    for row in rows(tables, "prmRepositoryMatchTestTable") {
        let expected = row["result"].as_bool().expect("result");
        for (a, b) in [
            (s(row, "refA"), s(row, "refB")),
            (s(row, "refB"), s(row, "refA")),
        ] {
            check(
                format!("matchRepository {a} / {b}"),
                image_matches(&SignedIdentity::MatchRepository, a, b),
                expected,
            );
            let repository = parse(a).map(SignedIdentity::ExactRepository);
            check(
                format!("exactRepository {a} / {b}"),
                Some(repository.is_some_and(|m| m.matches(None, b))),
                expected,
            );
            if !expected {
                check(
                    format!("matchRepoDigestOrExact {a} / {b}"),
                    image_matches(&SignedIdentity::MatchRepoDigestOrExact, a, b),
                    false,
                );
                for remap in &noop_remaps {
                    check(
                        format!("{remap:?} {a} / {b}"),
                        image_matches(remap, a, b),
                        false,
                    );
                }
            }
        }
    }
    for row in rows(tables, "matchRepoDigestOrExactTestTable") {
        let expected = row["result"].as_bool().expect("result");
        let (image, signature) = (s(row, "imageRef"), s(row, "sigRef"));
        check(
            format!("matchRepoDigestOrExact {image} / {signature}"),
            image_matches(&SignedIdentity::MatchRepoDigestOrExact, image, signature),
            expected,
        );
        for remap in &noop_remaps {
            check(
                format!("{remap:?} {image} / {signature}"),
                image_matches(remap, image, signature),
                expected,
            );
        }
    }
    for row in rows(tables, "remapIdentity_refMatchesPrefix") {
        let remap = SignedIdentity::RemapIdentity {
            prefix: s(row, "prefix").into(),
            signed_prefix: "docker.io/library/signed-prefix".into(),
        };
        let image = parse(s(row, "ref")).expect("ref parses");
        let matched = remap.remap(&image) != Some(Remapped::Unchanged);
        check(
            format!("refMatchesPrefix {} / {}", s(row, "ref"), s(row, "prefix")),
            Some(matched),
            row["expected"].as_bool().expect("expected"),
        );
    }
    for row in rows(tables, "remapIdentity_remapReferencePrefix") {
        let remap = SignedIdentity::RemapIdentity {
            prefix: s(row, "prefix").into(),
            signed_prefix: s(row, "signedPrefix").into(),
        };
        let image = parse(s(row, "ref")).expect("ref parses");
        let got = match remap.remap(&image).expect("remap") {
            Remapped::Unchanged => image.as_str().to_string(),
            Remapped::To(reference) => reference.as_str().to_string(),
            Remapped::Invalid => String::new(),
        };
        let expected = s(row, "expected");
        let expected = parse(expected).map_or(String::new(), |r| r.as_str().to_string());
        check(
            format!("remapReferencePrefix {row}: got {got:?}"),
            Some(got == expected),
            true,
        );
    }
    for row in rows(tables, "remapIdentity_matchesDockerReference") {
        let remap = SignedIdentity::RemapIdentity {
            prefix: s(row, "prefix").into(),
            signed_prefix: s(row, "signedPrefix").into(),
        };
        check(
            format!("remapIdentity {row}"),
            image_matches(&remap, s(row, "imageRef"), s(row, "sigRef")),
            row["result"].as_bool().expect("result"),
        );
    }
    // An image without a docker reference never matches the image-relative rules.
    for identity in [
        SignedIdentity::MatchExact,
        SignedIdentity::MatchRepoDigestOrExact,
        SignedIdentity::MatchRepository,
        noop_remaps[0].clone(),
    ] {
        check(
            format!("{identity:?} without image"),
            Some(identity.matches(None, "busybox:latest")),
            false,
        );
    }
    eprintln!(
        "reference_match.json: {checked} checks, {} failures",
        failures.len()
    );
    assert!(checked >= 250, "only {checked} checks ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
