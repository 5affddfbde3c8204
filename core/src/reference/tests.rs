//! Unit tests of the reference parsers on the worked examples of the grammar.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::*;

const HEX64: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

fn normalized(s: &str) -> Result<Reference, ReferenceError> {
    Reference::parse_normalized(s)
}

#[test]
fn normalises_familiar_names() {
    let cases = [
        ("busybox", "docker.io/library/busybox", "busybox"),
        (
            "busybox:1.36",
            "docker.io/library/busybox:1.36",
            "busybox:1.36",
        ),
        (
            "index.docker.io/library/busybox",
            "docker.io/library/busybox",
            "busybox",
        ),
        (
            "index.docker.io/busybox",
            "docker.io/library/busybox",
            "busybox",
        ),
        ("docker.io/busybox", "docker.io/library/busybox", "busybox"),
        ("library/busybox", "docker.io/library/busybox", "busybox"),
        ("quay.io/busybox", "quay.io/busybox", "quay.io/busybox"),
        (
            "localhost:5000/a/b:t",
            "localhost:5000/a/b:t",
            "localhost:5000/a/b:t",
        ),
        ("localhost/foo", "localhost/foo", "localhost/foo"),
        ("localhost", "docker.io/library/localhost", "localhost"),
        (
            "localhost:5000",
            "docker.io/library/localhost:5000",
            "localhost:5000",
        ),
        ("Quay.io/foo", "Quay.io/foo", "Quay.io/foo"),
        ("a/b/c", "docker.io/a/b/c", "a/b/c"),
        (
            "docker.io/library/a/b",
            "docker.io/library/a/b",
            "library/a/b",
        ),
        (
            "busybox:LATEST",
            "docker.io/library/busybox:LATEST",
            "busybox:LATEST",
        ),
    ];
    for (input, canonical, familiar) in cases {
        let r = normalized(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(r.as_str(), canonical, "{input}");
        assert_eq!(r.familiar_string(), familiar, "{input}");
    }
}

#[test]
fn dotted_first_component_that_is_not_a_domain_has_no_domain() {
    // splitDockerDomain takes `a.b_c` for a registry, but the grammar cannot read it as a
    // domain, so raw Parse makes the whole name a path.
    let r = normalized("a.b_c/foo").unwrap();
    assert_eq!(
        (r.domain(), r.path(), r.name()),
        ("", "a.b_c/foo", "a.b_c/foo")
    );
    assert_eq!(r.familiar_name(), "a.b_c/foo");
}

#[test]
fn error_classes() {
    let long = "a".repeat(238);
    let cases: Vec<(alloc::string::String, &str)> = [
        ("", "invalid_format"),
        ("LOCALHOST/foo", "name_contains_uppercase"),
        ("Foo/bar", "name_contains_uppercase"),
        ("quay.io/Foo", "name_contains_uppercase"),
        ("[::1]:5000/foo", "invalid_format"),
        ("a:", "invalid_format"),
        (":t", "invalid_format"),
        ("a//b", "invalid_format"),
        ("-a", "invalid_format"),
        ("a..b", "invalid_format"),
        ("a___b", "invalid_format"),
        (
            "a@md5:0123456789abcdef0123456789abcdef",
            "digest_unsupported_algorithm",
        ),
        ("quay.io/a:\u{212a}", "name_contains_uppercase"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b))
    .chain([
        (HEX64.to_string(), "name_is_image_id"),
        (
            alloc::format!("a@sha256:{}", HEX64.to_uppercase()),
            "digest_invalid_format",
        ),
        (
            alloc::format!("a@sha256:{}", &HEX64[1..]),
            "digest_invalid_length",
        ),
        (long, "name_too_long"),
    ])
    .collect();
    for (input, kind) in cases {
        let e = normalized(&input).expect_err(&input);
        assert_eq!(e.kind(), kind, "{input}: {e}");
    }
    assert!(normalized(&"a".repeat(237)).is_ok());
}

#[test]
fn dialects_differ_where_documented() {
    let d = Dialect::Distribution;
    let r = Reference::parse_normalized_in("Foo/bar", d).unwrap();
    assert_eq!((r.domain(), r.path()), ("Foo", "bar"));
    let r = Reference::parse_normalized_in("[::1]:5000/foo", d).unwrap();
    assert_eq!(r.domain(), "[::1]:5000");
    let long = alloc::format!("example.com/{}:tag", "a".repeat(255));
    assert!(Reference::parse_normalized_in(&long, d).is_ok());
    assert_eq!(normalized(&long).unwrap_err(), ReferenceError::NameTooLong);
    let e = Reference::parse_normalized_in("Foo", d).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid reference format: repository name (library/Foo) must be lowercase"
    );
    assert_eq!(
        normalized("Foo").unwrap_err().to_string(),
        "invalid reference format: repository name must be lowercase"
    );
}

#[test]
fn tag_and_digest_together() {
    let input = alloc::format!("busybox:latest@sha256:{HEX64}");
    let r = normalized(&input).unwrap();
    assert_eq!(r.tag(), Some("latest"));
    assert_eq!(
        r.digest().unwrap().to_string(),
        alloc::format!("sha256:{HEX64}")
    );
    assert_eq!(r.familiar_string(), input);
    let docker = Reference::parse_docker_ref(&input, Dialect::ContainersImage).unwrap();
    assert_eq!(
        docker.as_str(),
        alloc::format!("docker.io/library/busybox@sha256:{HEX64}")
    );
    assert_eq!(docker.tag(), None);
    let retagged = docker.with_tag("v1").unwrap();
    assert_eq!(
        retagged.as_str(),
        alloc::format!("docker.io/library/busybox:v1@sha256:{HEX64}")
    );
    assert_eq!(retagged.tag(), Some("v1"));
    assert_eq!(retagged.trim().as_str(), "docker.io/library/busybox");
}

#[test]
fn parse_any_and_named() {
    assert_eq!(
        AnyReference::parse(HEX64, Dialect::ContainersImage).unwrap(),
        AnyReference::Digest(Digest::parse(&alloc::format!("sha256:{HEX64}")).unwrap())
    );
    assert!(matches!(
        AnyReference::parse(&HEX64[1..], Dialect::ContainersImage),
        Ok(AnyReference::Named(_))
    ));
    let ci = Dialect::ContainersImage;
    assert_eq!(
        Reference::parse_named("docker.io/foo", ci).unwrap_err(),
        ReferenceError::NameNotCanonical
    );
    assert!(Reference::parse_named("docker.io/library/foo:t", ci).is_ok());
}

#[test]
fn invalid_utf8_is_classified_as_go_does() {
    let ci = Dialect::ContainersImage;
    assert_eq!(
        Reference::parse_normalized_bytes(b"foo\xff", ci)
            .unwrap_err()
            .kind(),
        "name_contains_uppercase"
    );
    assert_eq!(
        Reference::parse_normalized_bytes(b"foo:\xff", ci)
            .unwrap_err()
            .kind(),
        "invalid_format"
    );
    assert_eq!(
        Reference::parse_normalized_bytes(b"qu\xffay.io/foo", ci)
            .unwrap_err()
            .kind(),
        "invalid_format"
    );
    assert_eq!(
        Reference::parse_normalized_bytes(b"quay.io/foo", ci)
            .unwrap()
            .as_str(),
        "quay.io/foo"
    );
}

#[test]
fn normalised_text_is_one_allocation() {
    let r = normalized("busybox").unwrap();
    assert_eq!(r.text.capacity(), r.text.len());
}
