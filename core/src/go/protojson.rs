//! Reading protobuf messages from JSON as Go's `protojson.Unmarshal` does with its default
//! options (google.golang.org/protobuf 1.36), which is how sigstore-go reads bundles, trusted
//! roots and Rekor v2 entries:
//! - strict JSON: Go's syntax, strings valid UTF-8, no lone surrogate;
//! - a field is named by its JSON name or by its proto name; an unknown name is an error, and
//!   so is a field given twice (under either name), or a second member of a oneof;
//! - `null` leaves a field unset;
//! - integers are JSON numbers or strings holding one; enums are names or numbers;
//! - bytes are base64, URL-safe when the text has `-` or `_`, unpadded when its length is not
//!   a multiple of four.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::json::{self as gojson, Node, Value};

/// How deep a message may nest. sigstore's messages nest at most six deep; protojson's own
/// limit (10,000) is far above anything real.
pub(crate) const MAX_DEPTH: usize = 32;

/// Why a message does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtoJsonError {
    /// Not JSON, or not strict JSON.
    Syntax(String),
    /// A field name the message does not have.
    UnknownField(String),
    /// A field given twice.
    DuplicateField(String),
    /// Two members of one oneof.
    OneofAlreadySet(String),
    /// A value of the wrong JSON type or out of range for its field.
    InvalidValue {
        /// The field.
        field: String,
        /// What was wrong.
        why: &'static str,
    },
}

impl fmt::Display for ProtoJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(why) => write!(f, "syntax error: {why}"),
            Self::UnknownField(name) => write!(f, "unknown field {name:?}"),
            Self::DuplicateField(name) => write!(f, "duplicate field {name:?}"),
            Self::OneofAlreadySet(name) => {
                write!(f, "error parsing {name:?}: its oneof is already set")
            }
            Self::InvalidValue { field, why } => write!(f, "invalid value for {field:?}: {why}"),
        }
    }
}

impl core::error::Error for ProtoJsonError {}

/// Reads a whole document: one JSON object, nothing after it.
pub(crate) fn document(input: &[u8]) -> Result<Node, ProtoJsonError> {
    document_nested(input, MAX_DEPTH)
}

/// [`document`], nested at most `max_depth` levels.
pub(crate) fn document_nested(input: &[u8], max_depth: usize) -> Result<Node, ProtoJsonError> {
    let node = gojson::parse_strict_unicode(input, max_depth)
        .map_err(|e| ProtoJsonError::Syntax(e.message))?;
    if !matches!(node.value, Value::Object(_)) {
        return Err(ProtoJsonError::Syntax(
            "the document is not an object".into(),
        ));
    }
    Ok(node)
}

/// A field of a message: its JSON name, its proto name, and the oneof it belongs to, if any.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    pub(crate) json: &'static str,
    pub(crate) proto: &'static str,
    pub(crate) oneof: Option<u8>,
}

impl Field {
    /// A field outside any oneof.
    pub(crate) const fn new(json: &'static str, proto: &'static str) -> Self {
        Self {
            json,
            proto,
            oneof: None,
        }
    }

    /// A member of oneof `group`.
    pub(crate) const fn of(json: &'static str, proto: &'static str, group: u8) -> Self {
        Self {
            json,
            proto,
            oneof: Some(group),
        }
    }
}

/// The set fields of the message `node`, one slot per field of `fields` (`None`: absent or
/// `null`).
pub(crate) fn message<'n, const N: usize>(
    node: &'n Node,
    fields: &[Field; N],
    name: &str,
) -> Result<[Option<&'n Node>; N], ProtoJsonError> {
    let Value::Object(members) = &node.value else {
        return Err(invalid(name, "not an object"));
    };
    let mut seen = [false; N];
    let mut out = [None; N];
    for member in members {
        let Some(i) = fields
            .iter()
            .position(|f| f.json == member.key)
            .or_else(|| fields.iter().position(|f| f.proto == member.key))
        else {
            return Err(ProtoJsonError::UnknownField(member.key.clone()));
        };
        if seen[i] {
            return Err(ProtoJsonError::DuplicateField(member.key.clone()));
        }
        seen[i] = true;
        if member.value.value == Value::Null {
            continue;
        }
        if let Some(group) = fields[i].oneof
            && (0..N).any(|j| j != i && fields[j].oneof == Some(group) && out[j].is_some())
        {
            return Err(ProtoJsonError::OneofAlreadySet(member.key.clone()));
        }
        out[i] = Some(&member.value);
    }
    Ok(out)
}

fn invalid(field: &str, why: &'static str) -> ProtoJsonError {
    ProtoJsonError::InvalidValue {
        field: field.to_string(),
        why,
    }
}

/// A `string` field.
pub(crate) fn string(node: Option<&Node>, field: &str) -> Result<String, ProtoJsonError> {
    match node.map(|n| &n.value) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(invalid(field, "not a string")),
    }
}

/// A `bytes` field (empty when absent: proto3 does not tell the two apart).
pub(crate) fn bytes(node: Option<&Node>, field: &str) -> Result<Vec<u8>, ProtoJsonError> {
    match node.map(|n| &n.value) {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => base64(s).ok_or_else(|| invalid(field, "not base64")),
        Some(_) => Err(invalid(field, "not a string")),
    }
}

/// protojson's base64: the URL-safe alphabet when the text has `-` or `_`, padding required
/// when its length is a multiple of four and refused otherwise; line breaks skipped (Go's
/// decoder skips them, and they count in the length).
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    let url = text.contains(['-', '_']);
    if text.len().is_multiple_of(4) {
        return if url {
            super::base64::base64_url(text).ok()
        } else {
            super::base64::base64_std(text).ok()
        };
    }
    // Unpadded: no `=` at all, and never a single character left over.
    if text.contains('=') {
        return None;
    }
    let significant = text.bytes().filter(|&b| b != b'\r' && b != b'\n').count();
    if significant % 4 == 1 {
        return None;
    }
    let mut padded = String::from(text);
    padded.extend(core::iter::repeat_n('=', (4 - significant % 4) % 4));
    if url {
        super::base64::base64_url(&padded).ok()
    } else {
        super::base64::base64_std(&padded).ok()
    }
}

/// An `int64` field: a JSON number, or a string holding one (0 when absent).
pub(crate) fn int64(node: Option<&Node>, field: &str) -> Result<i64, ProtoJsonError> {
    let text = match node.map(|n| &n.value) {
        None => return Ok(0),
        Some(Value::Number(text)) => text.as_str(),
        Some(Value::String(text)) => {
            let trimmed = text.trim_matches(|c: char| c.is_whitespace());
            if trimmed.len() != text.len() {
                return Err(invalid(field, "not an integer"));
            }
            // protojson reads the first JSON token of the string: a number, then anything
            // that ends a token (as `12}`), is read as the number.
            let end = text
                .find(|c: char| !matches!(c, '0'..='9' | '-' | '+' | '.' | 'e' | 'E'))
                .unwrap_or(text.len());
            let rest = &text[end..];
            if !rest.is_empty() && !rest.starts_with([' ', '\t', '\r', '\n', ',', '}', ']', ':']) {
                return Err(invalid(field, "not an integer"));
            }
            &text[..end]
        }
        Some(_) => return Err(invalid(field, "not an integer")),
    };
    integer(text).ok_or_else(|| invalid(field, "not an integer"))
}

/// A JSON number that is an integer in range once its fraction and exponent are applied
/// (`1e3` and `10E-1` are integers to protojson, `1.5` is not).
fn integer(text: &str) -> Option<i64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], unsigned[i + 1..].parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || (whole.len() > 1 && whole.starts_with('0'))
        || (mantissa.contains('.') && fraction.is_empty())
    {
        return None;
    }
    // The digits and where the decimal point falls among them.
    let digits: String = [whole, fraction].concat();
    let point = i64::try_from(whole.len()).ok()? + i64::from(exponent);
    let digits = digits.trim_start_matches('0');
    let leading = i64::try_from(whole.len() + fraction.len() - digits.len()).ok()?;
    let point = point - leading;
    let significant = digits.trim_end_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if point < i64::try_from(significant.len()).ok()? || point > 20 {
        return None;
    }
    let mut value: i128 = 0;
    for (i, b) in digits.bytes().chain(core::iter::repeat(b'0')).enumerate() {
        if i64::try_from(i).ok()? >= point {
            break;
        }
        value = value * 10 + i128::from(b - b'0');
    }
    let value = if negative { -value } else { value };
    i64::try_from(value).ok()
}

/// An enum field: a name of `names` (indexed by number), or a number (0 when absent).
pub(crate) fn enumeration(
    node: Option<&Node>,
    names: &[&str],
    field: &str,
) -> Result<i32, ProtoJsonError> {
    match node.map(|n| &n.value) {
        None => Ok(0),
        Some(Value::String(name)) => names
            .iter()
            .position(|n| !n.is_empty() && n == name)
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| invalid(field, "not a name of the enum")),
        Some(Value::Number(text)) => integer(text)
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(|| invalid(field, "not an enum number")),
        Some(_) => Err(invalid(field, "not an enum")),
    }
}

/// A repeated field's elements (none when absent); a `null` element is an error.
pub(crate) fn list<'n>(node: Option<&'n Node>, field: &str) -> Result<&'n [Node], ProtoJsonError> {
    match node.map(|n| &n.value) {
        None => Ok(&[]),
        Some(Value::Array(items)) => {
            if items.iter().any(|n| n.value == Value::Null) {
                return Err(invalid(field, "a null element"));
            }
            Ok(items)
        }
        Some(_) => Err(invalid(field, "not an array")),
    }
}

/// A `google.protobuf.Timestamp`: RFC 3339 with `Z` or an offset, at most nine fractional
/// digits, from year 1 to 9999; seconds since the Unix epoch and nanoseconds.
pub(crate) fn timestamp(node: &Node, field: &str) -> Result<(i64, u32), ProtoJsonError> {
    let Value::String(text) = &node.value else {
        return Err(invalid(field, "not a timestamp string"));
    };
    rfc3339(text.as_bytes()).ok_or_else(|| invalid(field, "not an RFC 3339 time"))
}

/// Go's `time.Parse(time.RFC3339Nano, text)` as protojson checks it: seconds since the Unix
/// epoch and nanoseconds. The fraction is written with `.` or `,`, one to nine digits.
fn rfc3339(b: &[u8]) -> Option<(i64, u32)> {
    let digits = |range: core::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0, |acc, &d| acc * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut at = 19;
    let mut nanos = 0u32;
    if matches!(b[at], b'.' | b',') {
        let n = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 || n > 9 {
            return None;
        }
        let fraction = digits(at + 1..at + 1 + n)?;
        nanos = u32::try_from(fraction * 10i64.pow(9 - n as u32)).ok()?;
        at += 1 + n;
    }
    let offset = match &b[at..] {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
            if h > 24 || m > 60 {
                return None;
            }
            let offset = h * 3600 + m * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    let days = super::x509_time::days_in(year, month);
    if day < 1 || day > days || year < 1 {
        return None;
    }
    let seconds = super::x509_time::days_from_civil(year, month, day) * 86_400
        + hour * 3600
        + minute * 60
        + second
        - offset;
    // protojson: from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    if !(-62_135_596_800..=253_402_300_799).contains(&seconds) {
        return None;
    }
    Some((seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        document(text.as_bytes()).expect("json")
    }

    const FIELDS: [Field; 4] = [
        Field::new("mediaType", "media_type"),
        Field::new("tlogEntries", "tlog_entries"),
        Field::of("messageSignature", "message_signature", 0),
        Field::of("dsseEnvelope", "dsse_envelope", 0),
    ];

    #[test]
    fn fields_by_either_name_once_each() {
        let n = node(r#"{"media_type":"a","tlogEntries":[]}"#);
        let [media, tlog, _, _] = message(&n, &FIELDS, "Bundle").expect("message");
        assert_eq!(string(media, "m").as_deref(), Ok("a"));
        assert!(tlog.is_some());
        let n = node(r#"{"mediaType":"a","media_type":"b"}"#);
        assert_eq!(
            message(&n, &FIELDS, "Bundle").err(),
            Some(ProtoJsonError::DuplicateField("media_type".into()))
        );
        let n = node(r#"{"mediaType":null,"mediaType":"b"}"#);
        assert!(matches!(
            message(&n, &FIELDS, "Bundle"),
            Err(ProtoJsonError::DuplicateField(_))
        ));
        let n = node(r#"{"MediaType":"a"}"#);
        assert!(matches!(
            message(&n, &FIELDS, "Bundle"),
            Err(ProtoJsonError::UnknownField(_))
        ));
        let n = node(r#"{"messageSignature":{},"dsseEnvelope":{}}"#);
        assert!(matches!(
            message(&n, &FIELDS, "Bundle"),
            Err(ProtoJsonError::OneofAlreadySet(_))
        ));
        let n = node(r#"{"messageSignature":null,"dsseEnvelope":{}}"#);
        assert!(message(&n, &FIELDS, "Bundle").is_ok());
    }

    #[test]
    fn strict_json() {
        assert!(document(b"[]").is_err());
        assert!(document(b"{} x").is_err());
        assert!(document(b"{\"a\":\"\xff\"}").is_err());
        assert!(document(br#"{"a":"\ud800"}"#).is_err());
        assert!(document(br#"{"a":"\udc00"}"#).is_err());
        assert!(document(br#"{"a":"\ud83d\ude00"}"#).is_ok());
    }

    #[test]
    fn bytes_as_protojson_reads_them() {
        assert_eq!(base64("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64("YQ="), None);
        assert_eq!(base64("Y"), None);
        assert_eq!(base64("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64("+_8"), None);
        assert_eq!(base64("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn timestamps_as_protojson_reads_them() {
        assert_eq!(rfc3339(b"2021-01-12T11:53:27Z"), Some((1_610_452_407, 0)));
        assert_eq!(
            rfc3339(b"2021-01-12T11:53:27.5Z"),
            Some((1_610_452_407, 500_000_000))
        );
        assert_eq!(
            rfc3339(b"2021-01-12T12:53:27+01:00"),
            Some((1_610_452_407, 0))
        );
        assert_eq!(rfc3339(b"2021-01-12T11:53:27.1234567891Z"), None);
        assert_eq!(rfc3339(b"2021-01-12t11:53:27Z"), None);
        assert_eq!(rfc3339(b"2021-02-29T11:53:27Z"), None);
        assert_eq!(rfc3339(b"0000-12-31T23:59:59Z"), None);
        assert_eq!(rfc3339(b"0001-01-01T00:00:00Z"), Some((-62_135_596_800, 0)));
    }

    #[test]
    fn integers_as_protojson_reads_them() {
        let int = |text: &str| {
            int64(
                Some(&node(&alloc::format!("{{\"a\":{text}}}")).value_of("a")),
                "a",
            )
        };
        assert_eq!(int("12"), Ok(12));
        assert_eq!(int("\"12\""), Ok(12));
        assert_eq!(int("\"12 34\""), Ok(12));
        assert_eq!(int("1e3"), Ok(1000));
        assert_eq!(int("10E-1"), Ok(1));
        assert_eq!(int("1.0"), Ok(1));
        assert_eq!(int("-0"), Ok(0));
        assert!(int("1.5").is_err());
        assert!(int("\" 12\"").is_err());
        assert!(int("\"12a\"").is_err());
        assert!(int("9223372036854775808").is_err());
        assert_eq!(int("-9223372036854775808"), Ok(i64::MIN));
        assert!(int("true").is_err());
    }

    impl Node {
        fn value_of(&self, key: &str) -> Node {
            let Value::Object(members) = &self.value else {
                panic!("object")
            };
            members
                .iter()
                .find(|m| m.key == key)
                .expect("member")
                .value
                .clone()
        }
    }
}
