//! "Parse a docker reference": requests and answers.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::{Deserialize, Serialize};

use crate::reference::{Dialect, Reference, ReferenceError};

/// The longest reference text vouch reads, in bytes. A valid containers/image reference is at
/// most a few hundred bytes; this bound keeps hostile input cheap.
pub const MAX_REFERENCE_INPUT: usize = 64 * 1024;

/// A request to parse one reference: `{"reference": "busybox", "dialect": "distribution"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReferenceRequest {
    /// The reference text.
    pub reference: String,
    /// `"containers-image"` (the default) or `"distribution"`.
    #[serde(
        default,
        with = "dialect_name",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = "\"containers-image\" | \"distribution\"")
    )]
    pub dialect: Option<Dialect>,
}

/// The answer to a [`ReferenceRequest`]: what `ParseNormalizedNamed` gives in the dialect.
///
/// On success `error_kind` and `error` are empty; on failure `ok` is false and every value
/// field is `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReferenceAnswer {
    /// The reference text as given.
    pub input: String,
    /// Whether it parsed.
    pub ok: bool,
    /// The stable class of the failure; empty on success.
    pub error_kind: String,
    /// The reference implementation's message; empty on success.
    pub error: String,
    /// `domain/path`.
    pub name: Option<String>,
    /// The registry host and port; empty when the name has none.
    pub domain: Option<String>,
    /// The repository path.
    pub path: Option<String>,
    /// The tag, or `null`.
    pub tag: Option<String>,
    /// The digest (`algorithm:hex`), or `null`.
    pub digest: Option<String>,
    /// The whole canonical reference.
    pub string: Option<String>,
    /// The reference as people write it (`FamiliarString`).
    pub familiar: Option<String>,
}

impl ReferenceAnswer {
    /// The answer for `input` given the parser's result.
    pub fn new(input: &str, result: Result<Reference, ReferenceError>) -> Self {
        match result {
            Ok(reference) => Self {
                input: input.into(),
                ok: true,
                error_kind: String::new(),
                error: String::new(),
                name: Some(reference.name().into()),
                domain: Some(reference.domain().into()),
                path: Some(reference.path().into()),
                tag: reference.tag().map(Into::into),
                digest: reference.digest().map(ToString::to_string),
                string: Some(reference.as_str().into()),
                familiar: Some(reference.familiar_string().into()),
            },
            Err(error) => Self::failure(input, error.kind(), error.to_string()),
        }
    }

    fn failure(input: &str, kind: &str, error: String) -> Self {
        Self {
            input: input.into(),
            ok: false,
            error_kind: kind.into(),
            error,
            name: None,
            domain: None,
            path: None,
            tag: None,
            digest: None,
            string: None,
            familiar: None,
        }
    }

    /// The answer as one line of JSON (no trailing newline).
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain strings, booleans and options cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Parses `input` as `ParseNormalizedNamed` does in `dialect`.
pub fn reference_answer(input: &[u8], dialect: Dialect) -> ReferenceAnswer {
    let shown = String::from_utf8_lossy(input);
    if input.len() > MAX_REFERENCE_INPUT {
        return ReferenceAnswer::failure(
            "",
            "input_too_large",
            alloc::format!(
                "reference of {} bytes is longer than the limit of {MAX_REFERENCE_INPUT}",
                input.len()
            ),
        );
    }
    ReferenceAnswer::new(&shown, Reference::parse_normalized_bytes(input, dialect))
}

/// Answers a JSON [`ReferenceRequest`]; `default_dialect` applies when it names none.
///
/// A request that is not valid JSON, or has unknown or duplicate fields, is answered with
/// `error_kind` `"invalid_request"`.
pub fn reference_request(request: &[u8], default_dialect: Dialect) -> ReferenceAnswer {
    match serde_json::from_slice::<ReferenceRequest>(request) {
        Ok(request) => reference_answer(
            request.reference.as_bytes(),
            request.dialect.unwrap_or(default_dialect),
        ),
        Err(error) => ReferenceAnswer::failure(
            &String::from_utf8_lossy(request),
            "invalid_request",
            alloc::format!("invalid request: {error}"),
        ),
    }
}

/// Answers one input line of `vouch ref`: a JSON request when its first non-blank byte is `{`,
/// else the bare reference text (a trailing `\r` is dropped).
pub fn reference_line(line: &[u8], default_dialect: Dialect) -> ReferenceAnswer {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        reference_request(line, default_dialect)
    } else {
        reference_answer(line, default_dialect)
    }
}

mod dialect_name {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    use crate::reference::Dialect;

    pub(super) fn serialize<S: Serializer>(
        dialect: &Option<Dialect>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match dialect {
            Some(dialect) => serializer.serialize_str(dialect.name()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Dialect>, D::Error> {
        let name = <&str>::deserialize(deserializer)?;
        Dialect::from_name(name).map(Some).ok_or_else(|| {
            D::Error::custom(alloc::format!(
                "unknown dialect `{name}`, expected `containers-image` or `distribution`"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> String {
        String::from_utf8(reference_line(s.as_bytes(), Dialect::ContainersImage).to_json()).unwrap()
    }

    #[test]
    fn bare_and_json_lines_give_the_same_answer() {
        let expected = r#"{"input":"busybox","ok":true,"error_kind":"","error":"","name":"docker.io/library/busybox","domain":"docker.io","path":"library/busybox","tag":null,"digest":null,"string":"docker.io/library/busybox","familiar":"busybox"}"#;
        assert_eq!(line("busybox"), expected);
        assert_eq!(line("busybox\r"), expected);
        assert_eq!(line(r#"{"reference":"busybox"}"#), expected);
        assert_eq!(
            line(r#"  {"reference":"busybox","dialect":"containers-image"}"#),
            expected
        );
    }

    #[test]
    fn the_request_dialect_wins() {
        let answer = reference_line(
            br#"{"reference":"Foo/bar","dialect":"distribution"}"#,
            Dialect::ContainersImage,
        );
        assert!(answer.ok);
        assert_eq!(answer.domain.as_deref(), Some("Foo"));
    }

    #[test]
    fn malformed_requests_are_answered_not_dropped() {
        for bad in [
            r#"{"reference":"busybox","extra":1}"#,
            r#"{"reference":"a","reference":"b"}"#,
            r#"{"reference":"busybox","dialect":"docker"}"#,
            r#"{"reference":1}"#,
            r#"{"#,
        ] {
            let answer = reference_line(bad.as_bytes(), Dialect::ContainersImage);
            assert!(!answer.ok, "{bad}");
            assert_eq!(answer.error_kind, "invalid_request", "{bad}");
        }
    }

    #[test]
    fn failures_carry_kind_and_message() {
        let answer = reference_line(b"Foo/bar", Dialect::ContainersImage);
        assert_eq!(answer.error_kind, "name_contains_uppercase");
        assert_eq!(
            answer.error,
            "invalid reference format: repository name must be lowercase"
        );
        assert_eq!(answer.name, None);
        let huge = alloc::vec![b'a'; MAX_REFERENCE_INPUT + 1];
        assert_eq!(
            reference_line(&huge, Dialect::ContainersImage).error_kind,
            "input_too_large"
        );
    }
}
