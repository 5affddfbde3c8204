//! The signed payload, parsed only after its signature verified, as strictly as containers/image
//! parses it (simple signing's `untrustedSignature` and cosign's `UntrustedSigstorePayload`):
//! exact members in `critical`, the exact `type` string of the format, a valid digest, an
//! `optional` object whose `creator` must be a string and `timestamp` an integer.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;

use crate::gojson::{self, Member, Node, Value};
use crate::reference::Digest;

/// The payload's two formats, told apart by `critical.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// containers-signature(5) simple signing, under OpenPGP.
    #[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
    SimpleSigning,
    /// A cosign signature payload.
    Cosign,
}

impl Format {
    /// The `critical.type` this format requires, byte for byte.
    pub(crate) const fn type_string(self) -> &'static str {
        match self {
            Self::SimpleSigning => "atomic container signature",
            Self::Cosign => "cosign container image signature",
        }
    }
}

/// What a verified payload claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Payload {
    /// `critical.image.docker-manifest-digest`.
    pub(crate) manifest_digest: Digest,
    /// `critical.identity.docker-reference`, not yet parsed (the identity rule does that).
    pub(crate) docker_reference: String,
}

/// Why a payload is refused: a message in containers/image's terms.
pub(crate) type PayloadError = String;

/// Parses `bytes` as a payload of `format`.
pub(crate) fn parse(bytes: &[u8], format: Format) -> Result<Payload, PayloadError> {
    let root = gojson::parse(bytes).map_err(|e| e.message)?;
    let mut critical = None;
    let mut optional = None;
    exact_object(&root, &mut |key, value| {
        match key {
            "critical" => critical = Some(value),
            "optional" => optional = Some(value),
            _ => return false,
        }
        true
    })?;
    let (Some(critical), Some(optional)) = (critical, optional) else {
        return Err("missing member".into());
    };
    // cosign writes "optional": null when there are no annotations; simple signing requires
    // an object.
    if !(format == Format::Cosign && optional.value == Value::Null) {
        optional_members(optional)?;
    }
    let (mut kind, mut image, mut identity) = (None, None, None);
    exact_object(critical, &mut |key, value| {
        match key {
            "type" => kind = Some(value),
            "image" => image = Some(value),
            "identity" => identity = Some(value),
            _ => return false,
        }
        true
    })?;
    let (Some(kind), Some(image), Some(identity)) = (kind, image, identity) else {
        return Err("missing member".into());
    };
    let kind = go_str(kind)?;
    if kind != format.type_string() {
        return Err(format!("Unrecognized signature type {kind}"));
    }
    let mut digest = None;
    exact_object(image, &mut |key, value| {
        (key == "docker-manifest-digest")
            .then(|| digest = Some(value))
            .is_some()
    })?;
    let digest = go_str(digest.ok_or("missing member")?)?;
    let manifest_digest = Digest::parse(digest).map_err(|e| format!("{e}"))?;
    let mut reference = None;
    exact_object(identity, &mut |key, value| {
        (key == "docker-reference")
            .then(|| reference = Some(value))
            .is_some()
    })?;
    let docker_reference = go_string(reference.ok_or("missing member")?)?;
    Ok(Payload {
        manifest_digest,
        docker_reference,
    })
}

/// The paranoid object reader with an exact set of fields: each member once, only known keys
/// (`field` says whether it knows one), and every known key present (checked by the caller).
fn exact_object<'n>(
    node: &'n Node,
    field: &mut dyn FnMut(&str, &'n Node) -> bool,
) -> Result<(), PayloadError> {
    let Value::Object(members) = &node.value else {
        return Err(format!(
            "JSON object expected, got {}",
            node.value.go_kind()
        ));
    };
    // Duplicates: a linear look back for the usual handful of members (no allocation), a set
    // for large objects.
    let mut seen = BTreeSet::new();
    for (i, Member { key, value, .. }) in members.iter().enumerate() {
        let repeated = if members.len() <= 16 {
            members[..i].iter().any(|m| m.key == *key)
        } else {
            !seen.insert(key.as_str())
        };
        if repeated {
            return Err(format!("Duplicate key {key:?}"));
        }
        if !field(key, value) {
            return Err(format!("Unknown key {key:?}"));
        }
        // Values whose fields are read later are checked then; others here.
    }
    Ok(())
}

/// `optional`: any members, each once; `creator` a string, `timestamp` an integral number.
fn optional_members(node: &Node) -> Result<(), PayloadError> {
    let mut bad = None;
    exact_object(node, &mut |key, value| {
        let checked = match key {
            "creator" => go_str(value).map(drop),
            "timestamp" => timestamp(value),
            _ => go_any(value),
        };
        if let Err(e) = checked {
            bad.get_or_insert(e);
        }
        true
    })?;
    bad.map_or(Ok(()), Err)
}

/// Go decoding into a `string`: a string, or `null` (which leaves it empty).
fn go_string(node: &Node) -> Result<String, PayloadError> {
    go_str(node).map(String::from)
}

/// [`go_string`] without the copy.
fn go_str(node: &Node) -> Result<&str, PayloadError> {
    match &node.value {
        Value::String(s) => Ok(s),
        Value::Null => Ok(""),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type string",
            other.go_kind()
        )),
    }
}

/// Go decoding into a `float64`, then the integer check (`int64(x) == x`).
fn timestamp(node: &Node) -> Result<(), PayloadError> {
    let value = match &node.value {
        Value::Null => 0.0,
        Value::Number(text) => go_float(text)?,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type float64",
                other.go_kind()
            ));
        }
    };
    // Within int64's range (Go's out-of-range conversion never compares equal) and integral.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if !(-TWO_63..TWO_63).contains(&value) || value != (value as i64) as f64 {
        return Err("Field optional.timestamp is not is not an integer".into());
    }
    Ok(())
}

/// Go decoding into `any`: every number must fit a float64.
fn go_any(node: &Node) -> Result<(), PayloadError> {
    match &node.value {
        Value::Number(text) => go_float(text).map(drop),
        Value::Array(items) => items.iter().try_for_each(go_any),
        Value::Object(members) => members.iter().try_for_each(|m| go_any(&m.value)),
        _ => Ok(()),
    }
}

fn go_float(text: &str) -> Result<f64, PayloadError> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!(
            "json: cannot unmarshal number {text} into Go value of type float64"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn doc(kind: &str, optional: &str) -> String {
        format!(
            r#"{{"critical":{{"identity":{{"docker-reference":"r"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"{kind}"}},"optional":{optional}}}"#
        )
    }

    #[test]
    fn timestamps() {
        let t = Format::SimpleSigning.type_string();
        for (optional, ok) in [
            (r#"{"timestamp":1e3}"#, true),
            (r#"{"timestamp":-0}"#, true),
            (r#"{"timestamp":null}"#, true),
            (r#"{"timestamp":-9223372036854775808}"#, true),
            (r#"{"timestamp":9223372036854775807}"#, false),
            (r#"{"timestamp":0.5}"#, false),
            (r#"{"timestamp":1e400}"#, false),
            (r#"{"x":[1e400]}"#, false),
            (r#"{"x":[1e-400]}"#, true),
            (r#"{"creator":null}"#, true),
            (r#"{"creator":1}"#, false),
            (r#"{"x":1,"x":2}"#, false),
            ("null", false),
        ] {
            assert_eq!(
                parse(doc(t, optional).as_bytes(), Format::SimpleSigning).is_ok(),
                ok,
                "{optional}"
            );
        }
    }

    #[test]
    fn optional_null_only_for_cosign() {
        let t = Format::Cosign.type_string();
        let payload = parse(doc(t, "null").as_bytes(), Format::Cosign).unwrap();
        assert_eq!(payload.docker_reference, "r");
        assert_eq!(format!("{}", payload.manifest_digest), DIGEST);
        assert!(parse(doc(t, "null").as_bytes(), Format::SimpleSigning).is_err());
        assert!(parse(doc(t, "{}").as_bytes(), Format::SimpleSigning).is_err());
    }
}
