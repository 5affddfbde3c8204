//! A JSON reader with Go's `encoding/json` syntax rules, keeping where each value starts.
//!
//! containers/image first checks that the whole document is valid JSON (`json.Unmarshal`),
//! then reads every object with its "paranoid" token reader. This module is the first step:
//! it accepts exactly the documents Go's scanner accepts (no BOM, no trailing data, no control
//! characters in strings, Go's number grammar), decodes strings as Go does (invalid UTF-8 and
//! lone surrogates become U+FFFD), keeps object members in order with their duplicates (the
//! policy decoder reports those), and bounds nesting.

use alloc::string::String;
use alloc::vec::Vec;

/// Deeper nesting is refused. No valid policy comes near it (its deepest value is at depth 6),
/// and any document that goes deeper would be refused by containers/image's decoder as well,
/// because no policy field takes a nested value there.
pub(crate) const MAX_DEPTH: usize = 64;

/// A JSON value and the byte offset where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) start: usize,
    /// The offset just past the value's last byte.
    pub(crate) end: usize,
}

/// A JSON value. Numbers keep their text: no policy field is numeric.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One `"key": value` of an object, in document order (duplicates kept).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub(crate) key: String,
    pub(crate) key_start: usize,
    pub(crate) value: Node,
}

impl Value {
    /// How Go names this kind of value in type errors.
    pub(crate) fn go_kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "bool",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::Array(_) => "array",
            Self::Object(_) => "object",
        }
    }
}

/// A value as Go's decoder stores it in an `interface{}` with `UseNumber`: objects become maps
/// (a repeated key keeps its last value), numbers keep their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Any {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Any>),
    /// Keys in Go's map order when marshalled again: sorted by bytes.
    Object(alloc::collections::BTreeMap<String, Any>),
}

impl Any {
    /// The value of `node`, decoded into an `interface{}`.
    pub(crate) fn from_node(node: &Node) -> Self {
        match &node.value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(text) => Self::Number(text.clone()),
            Value::String(text) => Self::String(text.clone()),
            Value::Array(items) => Self::Array(items.iter().map(Self::from_node).collect()),
            Value::Object(members) => Self::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), Self::from_node(&m.value)))
                    .collect(),
            ),
        }
    }
}

/// Go's `encoding/json` matches struct fields case-insensitively (Unicode simple folding, in
/// which `ſ` is an `s` and `K` a `k`). `field` is lower-case ASCII.
pub(crate) fn go_field_matches(key: &str, field: &str) -> bool {
    let mut wanted = field.bytes();
    for c in key.chars() {
        let folded = match c {
            '\u{17f}' => b's',
            '\u{212a}' => b'k',
            c if c.is_ascii() => (c as u8).to_ascii_lowercase(),
            _ => return false,
        };
        if wanted.next() != Some(folded) {
            return false;
        }
    }
    wanted.next().is_none()
}

/// The value Go's decoder leaves in a struct field: the last member whose key folds to it.
pub(crate) fn go_field<'n>(members: &'n [Member], field: &str) -> Option<&'n Node> {
    members
        .iter()
        .rev()
        .find(|m| go_field_matches(&m.key, field))
        .map(|m| &m.value)
}

/// A syntax error: what was wrong and at which byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) message: String,
    pub(crate) offset: usize,
}

/// How deep `input`'s arrays and objects nest (a top-level object is 1), counted over the
/// bytes without parsing them: brackets inside strings do not count. Not a validation; used to
/// refuse a document over a depth budget before reading it.
pub(crate) fn nesting(input: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in input {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Appends `bytes` as Go's `encoding/json` writes a string (HTML escaping on, as
/// `json.Marshal` and `json.Encoder` default to): quoted; `"` and `\\` escaped; `\b`, `\f`,
/// `\n`, `\r`, `\t` short; other control characters and `<`, `>`, `&` as `\u00xx`; U+2028 and
/// U+2029 as `\u2028`, `\u2029`; each byte of invalid UTF-8 as `\ufffd`; everything else,
/// DEL and `/` included, as it is.
pub(crate) fn write_string(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0..0x20 | b'<' | b'>' | b'&' => {
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 15)]));
                }
                _ => out.push(char::from(b)),
            }
            i += 1;
            continue;
        }
        let (c, size) = super::decode_rune(&bytes[i..]);
        if c == char::REPLACEMENT_CHARACTER && size == 1 {
            out.push_str("\\ufffd");
        } else if c == '\u{2028}' || c == '\u{2029}' {
            out.push_str(if c == '\u{2028}' {
                "\\u2028"
            } else {
                "\\u2029"
            });
        } else {
            out.push(c);
        }
        i += size;
    }
    out.push('"');
}

/// Parses a whole document.
pub(crate) fn parse(input: &[u8]) -> Result<Node, SyntaxError> {
    parse_bounded(input, MAX_DEPTH)
}

/// Parses a whole document, refusing nesting deeper than `max_depth`.
pub(crate) fn parse_bounded(input: &[u8], max_depth: usize) -> Result<Node, SyntaxError> {
    read(input, max_depth, false)
}

/// Parses a whole document as protobuf's JSON reader (`protojson`) does: Go's syntax, except
/// that strings must be valid UTF-8 and `\u` escapes may not leave a surrogate alone (both
/// are errors there, where `encoding/json` writes U+FFFD).
pub(crate) fn parse_strict_unicode(input: &[u8], max_depth: usize) -> Result<Node, SyntaxError> {
    read(input, max_depth, true)
}

/// Reads the first value of `input` as Go's `json.Decoder.Decode` does, which leaves whatever
/// follows it unread.
pub(crate) fn parse_first(input: &[u8], max_depth: usize) -> Result<Node, SyntaxError> {
    let mut reader = Reader {
        input,
        pos: 0,
        max_depth,
        strict_unicode: false,
    };
    reader.skip_whitespace();
    reader.value(0)
}

fn read(input: &[u8], max_depth: usize, strict_unicode: bool) -> Result<Node, SyntaxError> {
    let mut reader = Reader {
        input,
        pos: 0,
        max_depth,
        strict_unicode,
    };
    reader.skip_whitespace();
    let node = reader.value(0)?;
    reader.skip_whitespace();
    if reader.pos < input.len() {
        return Err(reader.error("invalid character after top-level value"));
    }
    Ok(node)
}

struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    max_depth: usize,
    strict_unicode: bool,
}

impl Reader<'_> {
    fn error(&self, what: &str) -> SyntaxError {
        let message = match self.input.get(self.pos) {
            Some(&b) if what.is_empty() => alloc::format!("invalid character {}", quote_byte(b)),
            Some(&b) => alloc::format!("{what}: found {}", quote_byte(b)),
            None => alloc::format!(
                "unexpected end of JSON input{}",
                if what.is_empty() {
                    ""
                } else {
                    " while reading a value"
                }
            ),
        };
        SyntaxError {
            message,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &[u8]) -> Result<(), SyntaxError> {
        for &expected in literal {
            if self.peek() != Some(expected) {
                return Err(self.error("invalid literal"));
            }
            self.pos += 1;
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => {
                self.expect_literal(b"true")?;
                Value::Bool(true)
            }
            Some(b'f') => {
                self.expect_literal(b"false")?;
                Value::Bool(false)
            }
            Some(b'n') => {
                self.expect_literal(b"null")?;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            _ => return Err(self.error("looking for beginning of value")),
        };
        Ok(Node {
            value,
            start,
            end: self.pos,
        })
    }

    fn enter(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > self.max_depth {
            return Err(SyntaxError {
                message: alloc::format!("exceeded max depth of {}", self.max_depth),
                offset: self.pos,
            });
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("looking for beginning of object key string"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("after object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_start,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.error("after object key:value pair")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("after array element")),
            }
        }
    }

    fn number(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(String::from_utf8_lossy(&self.input[start..self.pos]).into_owned())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string literal, decoded as Go's `unquote` does.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            // A run of plain ASCII (most strings are one run) is copied at once.
            let run = self.input[self.pos..]
                .iter()
                .position(|&b| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\')
                .unwrap_or(self.input.len() - self.pos);
            if run > 0 {
                let plain = &self.input[self.pos..self.pos + run];
                // ASCII is UTF-8: this never fails.
                if let Ok(text) = core::str::from_utf8(plain) {
                    out.push_str(text);
                }
                self.pos += run;
            }
            let Some(b) = self.peek() else {
                return Err(self.error("in string literal"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(escape) = self.peek() else {
                        return Err(self.error("in string escape code"));
                    };
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            out.push(self.utf16(unit)?);
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("in string escape code"));
                        }
                    }
                }
                0..=0x1f => return Err(self.error("in string literal")),
                0x20..=0x7f => {
                    out.push(char::from(b));
                    self.pos += 1;
                }
                _ => {
                    let (c, width) = crate::go::decode_rune(&self.input[self.pos..]);
                    if self.strict_unicode && c == char::REPLACEMENT_CHARACTER && width == 1 {
                        return Err(self.error("invalid UTF-8 in string"));
                    }
                    out.push(c);
                    self.pos += width;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error("in \\u hexadecimal character escape"));
            };
            unit = unit * 16 + digit;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Completes a `\u` escape: a surrogate pair when the next escape is its low half, else
    /// U+FFFD for a lone surrogate, as Go does.
    fn utf16(&mut self, unit: u32) -> Result<char, SyntaxError> {
        if (0xd800..0xdc00).contains(&unit) {
            let rest = &self.input[self.pos..];
            if rest.len() >= 6 && rest[0] == b'\\' && rest[1] == b'u' {
                let saved = self.pos;
                self.pos += 2;
                let low = self.hex4()?;
                if (0xdc00..0xe000).contains(&low) {
                    let combined = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                    return Ok(char::from_u32(combined).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                // Not a low surrogate: the second escape is read again on its own.
                self.pos = saved;
            }
            if self.strict_unicode {
                return Err(self.error("invalid escape code: a lone surrogate"));
            }
            return Ok(char::REPLACEMENT_CHARACTER);
        }
        match char::from_u32(unit) {
            Some(c) => Ok(c),
            None if self.strict_unicode => Err(self.error("invalid escape code: a lone surrogate")),
            None => Ok(char::REPLACEMENT_CHARACTER),
        }
    }
}

fn quote_byte(b: u8) -> String {
    match b {
        b'\'' => String::from("'\\''"),
        b'"' => String::from("'\"'"),
        0x20..=0x7e => alloc::format!("'{}'", char::from(b)),
        _ => alloc::format!("byte 0x{b:02x}"),
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_go_writes_them() {
        let written = |bytes: &[u8]| {
            let mut out = String::new();
            write_string(&mut out, bytes);
            out
        };
        assert_eq!(written(b"plain /\x7f"), "\"plain /\x7f\"");
        assert_eq!(written(b"\"\\"), r#""\"\\""#);
        assert_eq!(
            written(b"\x08\x0c\n\r\t\x01\x1f"),
            r#""\b\f\n\r\t\u0001\u001f""#
        );
        assert_eq!(written(b"<a>&"), r#""\u003ca\u003e\u0026""#);
        assert_eq!(
            written("\u{2028}\u{2029}\u{fffd}é".as_bytes()),
            "\"\\u2028\\u2029\u{fffd}é\""
        );
        // Invalid UTF-8: one replacement per byte, as Go writes it.
        assert_eq!(
            written(b"a\xff\xc3b\xed\xa0\x80"),
            r#""a\ufffd\ufffdb\ufffd\ufffd\ufffd""#
        );
    }

    fn ok(s: &str) -> Value {
        parse(s.as_bytes())
            .unwrap_or_else(|e| panic!("{s}: {e:?}"))
            .value
    }

    fn err(s: &[u8]) -> SyntaxError {
        parse(s).expect_err(&String::from_utf8_lossy(s))
    }

    #[test]
    fn accepts_what_go_accepts() {
        let Value::Object(members) = ok(" {\"a\" : [1, -0.5e+3, true, null, \"x\"]}\n") else {
            panic!()
        };
        assert!(matches!(&members[0].value.value, Value::Array(items) if items.len() == 5));
        assert_eq!(ok(r#""\u0064efault""#), Value::String("default".into()));
        assert_eq!(ok(r#""\ud83d\ude00""#), Value::String("\u{1f600}".into()));
        assert_eq!(ok(r#""\ud800x""#), Value::String("\u{fffd}x".into()));
        assert_eq!(ok(r#""\ud800\u0041""#), Value::String("\u{fffd}A".into()));
        assert_eq!(
            parse(b"\"a\xffb\"").unwrap().value,
            Value::String("a\u{fffd}b".into())
        );
        let Value::Object(members) = ok(r#"{"a":1,"a":2}"#) else {
            panic!()
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn refuses_what_go_refuses() {
        for bad in [
            &b"\xef\xbb\xbf{}"[..],
            b"",
            b" ",
            b"{} {}",
            b"{,}",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"[1,]",
            b"01",
            b"1.",
            b"1e",
            b"-",
            b"+1",
            b"NaN",
            b"tru",
            b"\"a\x01\"",
            b"\"\\x\"",
            b"\"\\u12\"",
            b"'a'",
            b"{a:1}",
            b"\"unterminated",
        ] {
            err(bad);
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(err(deep.as_bytes()).message.contains("max depth"));
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        ok(&fine);
    }

    #[test]
    fn positions() {
        let input = b"{\n  \"a\": [\n    tru\n  ]\n}";
        let e = err(input);
        assert_eq!(line_column(input, e.offset), (3, 8));
    }
}
