//! The signed payload, parsed only after its signature verified, as strictly as containers/image
//! parses it (simple signing's `untrustedSignature` and cosign's `UntrustedSigstorePayload`):
//! exact members in `critical`, the exact `type` string of the format, a valid digest, an
//! `optional` object whose `creator` must be a string and `timestamp` an integer.

use alloc::collections::BTreeSet;
use alloc::string::String;

use super::problem::PayloadError;
use crate::go::json::{self as gojson, Member, Node, Value};
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

/// Parses `bytes` as a payload of `format`.
///
/// Payloads as signers write them are read by [`plain`] without building a tree. Whenever that
/// reader is unsure (an escape, a deep value, any error at all) the document is parsed again by
/// [`parse_tree`], which decides and words the error exactly as containers/image does. `plain`
/// only ever answers with a payload `parse_tree` would have returned (property-tested below).
pub(crate) fn parse(bytes: &[u8], format: Format) -> Result<Payload, PayloadError> {
    match plain(bytes, format) {
        Some(payload) => Ok(payload),
        None => parse_tree(bytes, format),
    }
}

/// The reference reading: the whole document as a Go-syntax JSON tree, then each object read
/// with containers/image's paranoid field rules, in its order, so that the first error reported
/// is the one containers/image reports.
fn parse_tree(bytes: &[u8], format: Format) -> Result<Payload, PayloadError> {
    let root = gojson::parse(bytes).map_err(|e| PayloadError::Syntax {
        message: e.message,
        offset: e.offset,
    })?;
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
        return Err(PayloadError::MissingMember);
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
        return Err(PayloadError::MissingMember);
    };
    let kind = go_str(kind)?;
    if kind != format.type_string() {
        return Err(PayloadError::UnrecognizedType(kind.into()));
    }
    let mut digest = None;
    exact_object(image, &mut |key, value| {
        (key == "docker-manifest-digest")
            .then(|| digest = Some(value))
            .is_some()
    })?;
    let digest = go_str(digest.ok_or(PayloadError::MissingMember)?)?;
    let manifest_digest = Digest::parse(digest).map_err(PayloadError::InvalidDigest)?;
    let mut reference = None;
    exact_object(identity, &mut |key, value| {
        (key == "docker-reference")
            .then(|| reference = Some(value))
            .is_some()
    })?;
    let docker_reference = go_string(reference.ok_or(PayloadError::MissingMember)?)?;
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
        return Err(PayloadError::ObjectExpected(node.value.go_kind()));
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
            return Err(PayloadError::DuplicateKey(key.clone()));
        }
        if !field(key, value) {
            return Err(PayloadError::UnknownKey(key.clone()));
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
        other => Err(PayloadError::NotAString(other.go_kind())),
    }
}

/// Go decoding into a `float64`, then the integer check (`int64(x) == x`).
fn timestamp(node: &Node) -> Result<(), PayloadError> {
    let value = match &node.value {
        Value::Null => 0.0,
        Value::Number(text) => go_float(text)?,
        other => {
            return Err(PayloadError::NotANumber(other.go_kind()));
        }
    };
    if !integral(value) {
        return Err(PayloadError::TimestampNotInteger);
    }
    Ok(())
}

/// containers/image's `int64(x) == x`: within int64's range (Go's out-of-range conversion
/// never compares equal) and without a fraction.
fn integral(value: f64) -> bool {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    (-TWO_63..TWO_63).contains(&value) && value == (value as i64) as f64
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
        _ => Err(PayloadError::NumberOutOfRange(text.into())),
    }
}

/// The members of `optional` the plain reader keeps track of for its duplicate check; an
/// object with more goes to the tree reading.
const PLAIN_OPTIONAL_MEMBERS: usize = 8;

/// Nesting the plain reader follows inside `optional` before it leaves the document to the tree
/// reading (well inside [`gojson::MAX_DEPTH`], so no syntax limit is ever decided here).
const PLAIN_DEPTH: usize = 16;

/// The payload read in one pass without a tree, when the document is plainly acceptable:
/// valid JSON throughout (Go's grammar, nothing after the value), every string free of escapes
/// and of invalid UTF-8, and every check of [`parse_tree`] passed. `None` means "not plainly
/// acceptable", never "refused": the caller then asks [`parse_tree`].
fn plain(bytes: &[u8], format: Format) -> Option<Payload> {
    let mut reader = Plain {
        input: bytes,
        pos: 0,
    };
    let (mut critical, mut optional) = (None, false);
    reader.object(|reader, key| match key {
        "critical" if critical.is_none() => {
            critical = Some(reader.critical(format)?);
            Some(())
        }
        "optional" if !optional => {
            optional = true;
            if format == Format::Cosign && reader.literal("null") {
                return Some(());
            }
            reader.optional()
        }
        _ => None,
    })?;
    reader.whitespace();
    (reader.pos == bytes.len() && optional).then_some(())?;
    critical
}

/// The plain reader's position in the document.
struct Plain<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Plain<'a> {
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Whitespace, then `byte`.
    fn byte(&mut self, byte: u8) -> Option<()> {
        self.whitespace();
        (self.input.get(self.pos) == Some(&byte)).then(|| self.pos += 1)
    }

    /// Whitespace, then `word` (`null`, `true`, `false`) if it is next.
    fn literal(&mut self, word: &str) -> bool {
        self.whitespace();
        let found = self.input[self.pos..].starts_with(word.as_bytes());
        if found {
            self.pos += word.len();
        }
        found
    }

    /// An object, each member's key handed to `member`, which reads the value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.byte(b'{')?;
        if self.byte(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.byte(b':')?;
            member(self, key)?;
            if self.byte(b',').is_none() {
                return self.byte(b'}');
            }
        }
    }

    /// A string without escapes, control characters or invalid UTF-8, which is then its own
    /// decoding.
    fn string(&mut self) -> Option<&'a str> {
        self.byte(b'"')?;
        let rest = &self.input[self.pos..];
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        (rest[len] == b'"').then_some(())?;
        let text = core::str::from_utf8(&rest[..len]).ok()?;
        self.pos += len + 1;
        Some(text)
    }

    /// Go's decoding into a `string`: a string, or `null` for the empty string.
    fn go_str(&mut self) -> Option<&'a str> {
        if self.literal("null") {
            return Some("");
        }
        self.string()
    }

    /// A number in Go's grammar, as the float64 Go decodes it to (finite).
    fn number(&mut self) -> Option<f64> {
        self.whitespace();
        let start = self.pos;
        let digits = |reader: &mut Self| {
            let count = reader.input[reader.pos..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            reader.pos += count;
            count
        };
        if self.input.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.input.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => drop(digits(self)),
            _ => return None,
        }
        if self.input.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            (digits(self) > 0).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.input.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.input.get(self.pos) {
                self.pos += 1;
            }
            (digits(self) > 0).then_some(())?;
        }
        let text = core::str::from_utf8(&self.input[start..self.pos]).ok()?;
        text.parse::<f64>().ok().filter(|value| value.is_finite())
    }

    /// Any value Go decodes into `any` (every number a finite float64), `depth` levels down.
    fn any(&mut self, depth: usize) -> Option<()> {
        self.whitespace();
        match self.input.get(self.pos)? {
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            b'{' if depth < PLAIN_DEPTH => self.object(|reader, _| reader.any(depth + 1)),
            b'[' if depth < PLAIN_DEPTH => {
                self.byte(b'[')?;
                if self.byte(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.any(depth + 1)?;
                    if self.byte(b',').is_none() {
                        return self.byte(b']');
                    }
                }
            }
            _ => ["null", "true", "false"]
                .into_iter()
                .any(|word| self.literal(word))
                .then_some(()),
        }
    }

    /// `optional`: an object of distinct keys, `creator` a string, `timestamp` an integer.
    fn optional(&mut self) -> Option<()> {
        let mut seen = [""; PLAIN_OPTIONAL_MEMBERS];
        let mut count = 0;
        self.object(|reader, key| {
            (count < seen.len() && !seen[..count].contains(&key)).then_some(())?;
            seen[count] = key;
            count += 1;
            match key {
                "creator" => reader.go_str().map(drop),
                "timestamp" if reader.literal("null") => Some(()),
                "timestamp" => reader.number().filter(|&t| integral(t)).map(drop),
                _ => reader.any(3),
            }
        })
    }

    /// `critical`: exactly `type` (this format's), `image` and `identity`.
    fn critical(&mut self, format: Format) -> Option<Payload> {
        let (mut kind, mut digest, mut reference) = (false, None, None);
        self.object(|reader, key| match key {
            "type" if !kind => {
                kind = true;
                (reader.go_str()? == format.type_string()).then_some(())
            }
            "image" if digest.is_none() => {
                digest = Some(reader.only_member("docker-manifest-digest")?);
                Some(())
            }
            "identity" if reference.is_none() => {
                reference = Some(reader.only_member("docker-reference")?);
                Some(())
            }
            _ => None,
        })?;
        kind.then_some(())?;
        Some(Payload {
            manifest_digest: Digest::parse(digest?).ok()?,
            docker_reference: reference?.into(),
        })
    }

    /// An object with exactly one member, `name`, decoded as a Go `string`.
    fn only_member(&mut self, name: &str) -> Option<&'a str> {
        let mut value = None;
        self.object(|reader, key| {
            (key == name && value.is_none()).then_some(())?;
            value = Some(reader.go_str()?);
            Some(())
        })?;
        value
    }
}

/// Whether the plain reader kept its promise on `bytes`: it either stood aside or returned
/// exactly what the tree reading returns (for the property tests and the fuzz target).
#[cfg(any(test, fuzzing))]
pub(crate) fn plain_agrees(bytes: &[u8], format: Format) -> bool {
    plain(bytes, format).is_none_or(|payload| parse_tree(bytes, format) == Ok(payload))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

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

    /// Payloads as cosign and containers/image write them.
    fn as_signers_write(format: Format) -> Vec<String> {
        let t = format.type_string();
        let critical = format!(
            r#"{{"identity":{{"docker-reference":"quay.io/x/y:v1"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"{t}"}}"#
        );
        let mut out = Vec::from([
            format!(
                r#"{{"critical":{critical},"optional":{{"creator":"atomic 2.0.0","timestamp":1458239713}}}}"#
            ),
            format!(r#"{{"critical":{critical},"optional":{{}}}}"#),
            format!(
                "{{\n  \"optional\": {{\"a\": [1, 2.5e3, true, null, {{\"b\": \"é\"}}]}},\n  \"critical\": {critical}\n}}\n"
            ),
        ]);
        if format == Format::Cosign {
            out.push(format!(r#"{{"critical":{critical},"optional":null}}"#));
        }
        out
    }

    #[test]
    fn signers_payloads_take_the_plain_path() {
        for format in [Format::SimpleSigning, Format::Cosign] {
            for doc in as_signers_write(format) {
                let fast = plain(doc.as_bytes(), format);
                assert!(fast.is_some(), "{doc}");
                assert_eq!(fast.map(Ok), Some(parse_tree(doc.as_bytes(), format)));
            }
        }
    }

    #[test]
    fn plain_stands_aside_when_unsure() {
        let t = Format::Cosign.type_string();
        for optional in [
            r#"{"creator":"a\"b"}"#,
            r#"{"timestamp":0.5}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}"#,
            "{\"x\":\"\u{1}\"}",
        ] {
            let doc = doc(t, optional);
            assert!(plain(doc.as_bytes(), Format::Cosign).is_none(), "{doc}");
            assert!(plain_agrees(doc.as_bytes(), Format::Cosign));
        }
        let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
        let doc = doc(t, &format!(r#"{{"x":{deep}}}"#));
        assert!(plain(doc.as_bytes(), Format::Cosign).is_none());
        assert!(parse_tree(doc.as_bytes(), Format::Cosign).is_ok());
    }

    /// Pieces a payload is put together from: good ones and the ones the checks refuse.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(" ".into()),
            Just("\n\t".into()),
            Just("null".into()),
            Just("{}".into()),
            Just("[]".into()),
            Just(r#""\u0041""#.into()),
            Just(r#""é""#.into()),
            Just("\"\u{7f}\"".into()),
            Just("-0.0e+1".into()),
            Just("1e400".into()),
            Just("01".into()),
            Just(r#""creator""#.into()),
            Just(r#""timestamp""#.into()),
            Just(r#""type""#.into()),
            Just(r#""cosign container image signature""#.into()),
            Just(r#""atomic container signature""#.into()),
            Just(r#""docker-reference""#.into()),
            Just(format!(r#""{DIGEST}""#)),
            Just(",".into()),
            Just(":".into()),
            Just("\\".into()),
            any::<u8>().prop_map(|b| char::from(b).to_string()),
        ]
    }

    /// One edit of a document: a piece inserted, a span removed, a byte replaced.
    #[derive(Clone, Debug)]
    enum Edit {
        Insert(usize, String),
        Remove(usize, usize),
        Replace(usize, u8),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), piece()).prop_map(|(at, p)| Edit::Insert(at, p)),
            (any::<usize>(), 1..12usize).prop_map(|(at, n)| Edit::Remove(at, n)),
            (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        ]
    }

    fn apply(doc: &mut Vec<u8>, edit: &Edit) {
        let at = |i: usize, len: usize| i % (len + 1);
        match edit {
            Edit::Insert(i, piece) => {
                let i = at(*i, doc.len());
                doc.splice(i..i, piece.bytes());
            }
            Edit::Remove(i, n) => {
                let i = at(*i, doc.len());
                doc.drain(i..(i + n).min(doc.len()));
            }
            Edit::Replace(i, b) => {
                if !doc.is_empty() {
                    let i = *i % doc.len();
                    doc[i] = *b;
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Whatever the edits, the plain reader never answers differently from the tree reading.
        #[test]
        fn plain_reading_agrees_with_the_tree(
            cosign in any::<bool>(),
            which in 0..4usize,
            edits in proptest::collection::vec(edit(), 0..4),
        ) {
            let format = if cosign { Format::Cosign } else { Format::SimpleSigning };
            let docs = as_signers_write(format);
            let mut doc = docs[which % docs.len()].clone().into_bytes();
            for edit in &edits {
                apply(&mut doc, edit);
            }
            for format in [Format::Cosign, Format::SimpleSigning] {
                prop_assert!(plain_agrees(&doc, format), "{}", String::from_utf8_lossy(&doc));
            }
        }
    }
}
