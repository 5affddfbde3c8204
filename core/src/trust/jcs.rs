//! JSON canonicalization (RFC 8785) exactly as containers/image performs it before checking a
//! Rekor SET: cyberphone's `jsoncanonicalizer.Transform`, with its own reader and its quirks.
//! The top level is an object or an array; outside strings only ASCII is allowed; inside
//! strings any byte at or above a space is kept as it is (invalid UTF-8 included); numbers are
//! whatever Go's `strconv.ParseFloat` reads, written back in ECMAScript's shortest form;
//! members are sorted by their UTF-16 code units and a repeated name is an error.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

/// How deeply canonicalized documents may nest (the reader recurses once per level).
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a document cannot be canonicalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JcsError(pub(crate) &'static str);

type Result<T> = core::result::Result<T, JcsError>;

/// The canonical form of `input`.
pub(crate) fn transform(input: &[u8]) -> Result<Vec<u8>> {
    let mut reader = Reader { input, index: 0 };
    let mut out = Vec::with_capacity(input.len());
    if reader.peek_non_space()? == b'[' {
        reader.scan()?;
        reader.array(&mut out, 0)?;
    } else {
        reader.scan_for(b'{')?;
        reader.object(&mut out, 0)?;
    }
    if reader.input[reader.index..].iter().any(|&b| !is_space(b)) {
        return Err(JcsError("Improperly terminated JSON object"));
    }
    Ok(out)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

struct Reader<'a> {
    input: &'a [u8],
    index: usize,
}

impl Reader<'_> {
    fn next_char(&mut self) -> Result<u8> {
        let c = *self
            .input
            .get(self.index)
            .ok_or(JcsError("Unexpected EOF reached"))?;
        if c > 0x7f {
            return Err(JcsError("Unexpected non-ASCII character"));
        }
        self.index += 1;
        Ok(c)
    }

    fn scan(&mut self) -> Result<u8> {
        loop {
            let c = self.next_char()?;
            if !is_space(c) {
                return Ok(c);
            }
        }
    }

    fn scan_for(&mut self, expected: u8) -> Result<()> {
        if self.scan()? != expected {
            return Err(JcsError("Expected another character"));
        }
        Ok(())
    }

    fn peek_non_space(&mut self) -> Result<u8> {
        let save = self.index;
        let c = self.scan();
        self.index = save;
        c
    }

    fn element(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        match self.scan()? {
            b'{' => self.object(out, depth + 1),
            b'"' => {
                let raw = self.quoted_string()?;
                decorate(out, &raw);
                Ok(())
            }
            b'[' => self.array(out, depth + 1),
            _ => self.simple_type(out),
        }
    }

    fn u_escape(&mut self) -> Result<u32> {
        let mut value = 0;
        for _ in 0..4 {
            let c = self.next_char()?;
            let digit = char::from(c)
                .to_digit(16)
                .ok_or(JcsError("invalid \\u escape"))?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// The string's bytes, its escapes decoded (the opening quote is read).
    fn quoted_string(&mut self) -> Result<Vec<u8>> {
        let mut raw = Vec::new();
        loop {
            let Some(&c) = self.input.get(self.index) else {
                return Err(JcsError("Unexpected EOF reached"));
            };
            self.index += 1;
            match c {
                b'"' => return Ok(raw),
                0..=0x1f => return Err(JcsError("Unterminated string literal")),
                b'\\' => match self.next_char()? {
                    b'u' => {
                        let first = self.u_escape()?;
                        let rune = if (0xd800..0xe000).contains(&first) {
                            if self.next_char()? != b'\\' || self.next_char()? != b'u' {
                                return Err(JcsError("Missing surrogate"));
                            }
                            let second = self.u_escape()?;
                            // Go's utf16.DecodeRune: U+FFFD unless a high then a low half.
                            if (0xd800..0xdc00).contains(&first)
                                && (0xdc00..0xe000).contains(&second)
                            {
                                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                            } else {
                                0xfffd
                            }
                        } else {
                            first
                        };
                        let rune = char::from_u32(rune).unwrap_or(char::REPLACEMENT_CHARACTER);
                        let mut buf = [0; 4];
                        raw.extend_from_slice(rune.encode_utf8(&mut buf).as_bytes());
                    }
                    b'/' => raw.push(b'/'),
                    b'\\' => raw.push(b'\\'),
                    b'"' => raw.push(b'"'),
                    b'b' => raw.push(0x08),
                    b'f' => raw.push(0x0c),
                    b'n' => raw.push(b'\n'),
                    b'r' => raw.push(b'\r'),
                    b't' => raw.push(b'\t'),
                    _ => return Err(JcsError("Unexpected escape")),
                },
                _ => raw.push(c),
            }
        }
    }

    /// A literal or a number; the first character was just read by `scan`.
    fn simple_type(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.index -= 1;
        let start = self.index;
        let end = loop {
            if matches!(self.peek_non_space()?, b',' | b']' | b'}') {
                break self.index;
            }
            if is_space(self.next_char()?) {
                break self.index - 1;
            }
        };
        let token = &self.input[start..end];
        if token.is_empty() {
            return Err(JcsError("Missing argument"));
        }
        if matches!(token, b"true" | b"false" | b"null") {
            out.extend_from_slice(token);
            return Ok(());
        }
        // The token is ASCII: `next_char` refused anything else.
        let text = core::str::from_utf8(token).map_err(|_| JcsError("non-ASCII number"))?;
        let value = go_parse_float(text)?;
        es6_number(out, value)
    }

    fn array(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(JcsError("nested too deeply"));
        }
        out.push(b'[');
        let mut next = false;
        while self.peek_non_space()? != b']' {
            if next {
                self.scan_for(b',')?;
                out.push(b',');
            } else {
                next = true;
            }
            self.element(out, depth)?;
        }
        self.scan()?;
        out.push(b']');
        Ok(())
    }

    fn object(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(JcsError("nested too deeply"));
        }
        // (sort key, name, canonical value)
        let mut members: Vec<(Vec<u16>, Vec<u8>, Vec<u8>)> = Vec::new();
        let mut next = false;
        while self.peek_non_space()? != b'}' {
            if next {
                self.scan_for(b',')?;
            }
            next = true;
            self.scan_for(b'"')?;
            let name = self.quoted_string()?;
            let key = sort_key(&name);
            self.scan_for(b':')?;
            let mut value = Vec::new();
            self.element(&mut value, depth)?;
            let at = match members.binary_search_by(|(k, _, _)| k.cmp(&key)) {
                Ok(_) => return Err(JcsError("Duplicate key")),
                Err(at) => at,
            };
            members.insert(at, (key, name, value));
        }
        self.scan()?;
        out.push(b'{');
        for (i, (_, name, value)) in members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            decorate(out, name);
            out.push(b':');
            out.extend_from_slice(value);
        }
        out.push(b'}');
        Ok(())
    }
}

/// Go's `utf16.Encode([]rune(name))`: each invalid UTF-8 byte is one U+FFFD.
fn sort_key(name: &[u8]) -> Vec<u16> {
    let mut key = Vec::with_capacity(name.len());
    let mut rest = name;
    while !rest.is_empty() {
        let (rune, size) = crate::go::decode_rune(rest);
        let mut buf = [0; 2];
        key.extend_from_slice(rune.encode_utf16(&mut buf));
        rest = &rest[size..];
    }
    key
}

/// A string as the canonicalizer writes it: byte by byte, `\\ \" \b \f \n \r \t` escaped,
/// other bytes below a space as `\u00xx`, everything else as it is.
fn decorate(out: &mut Vec<u8>, raw: &[u8]) {
    out.push(b'"');
    for &c in raw {
        let escaped = match c {
            b'\\' => b'\\',
            b'"' => b'"',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => {
                let mut text = String::new();
                let _ = write!(text, "\\u{c:04x}");
                out.extend_from_slice(text.as_bytes());
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push(b'\\');
        out.push(escaped);
    }
    out.push(b'"');
}

/// Go's `strconv.ParseFloat(text, 64)` for decimal forms (optional sign, digits, point,
/// exponent, underscores between digits as Go's literals allow them), refusing what it
/// refuses and values beyond float64's range; `inf`, `infinity` and `nan` are refused, as the
/// canonicalizer refuses them after parsing. Go's hexadecimal floats (`0x1p-2`) are refused
/// here: a fail-closed difference that no log writes.
fn go_parse_float(text: &str) -> Result<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let decimal = !unsigned.is_empty()
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'));
    if !decimal || unsigned.starts_with("0x") || unsigned.starts_with("0X") {
        return Err(JcsError("invalid number"));
    }
    let value: f64 = if text.contains('_') {
        if !underscores_ok(unsigned) {
            return Err(JcsError("invalid number"));
        }
        let plain: String = text.chars().filter(|&c| c != '_').collect();
        plain.parse()
    } else {
        text.parse()
    }
    .map_err(|_| JcsError("invalid number"))?;
    if value.is_infinite() {
        return Err(JcsError("number out of range"));
    }
    Ok(value)
}

/// Go's `underscoreOK` for a decimal literal without its sign: each underscore stands between
/// two digits.
fn underscores_ok(digits: &str) -> bool {
    let mut saw = b'^';
    for b in digits.bytes() {
        if b.is_ascii_digit() {
            saw = b'0';
        } else if b == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else if saw == b'_' {
            return false;
        } else {
            saw = b'!';
        }
    }
    saw != b'_'
}

/// cyberphone's `NumberToJSON`: ECMAScript's `Number.prototype.toString` for finite numbers.
fn es6_number(out: &mut Vec<u8>, value: f64) -> Result<()> {
    if !value.is_finite() {
        return Err(JcsError("Invalid JSON number"));
    }
    let mut text = String::new();
    if value == 0.0 {
        out.push(b'0');
        return Ok(());
    }
    let magnitude = value.abs();
    if value < 0.0 {
        text.push('-');
    }
    if (1e-6..1e21).contains(&magnitude) {
        let _ = write!(text, "{magnitude}");
    } else {
        let mut scientific = String::new();
        let _ = write!(scientific, "{magnitude:e}");
        match scientific.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                let _ = write!(text, "{mantissa}e+{exponent}");
            }
            _ => text.push_str(&scientific),
        }
    }
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> core::result::Result<String, JcsError> {
        transform(text.as_bytes()).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Inputs and what cyberphone's Go canonicalizer gives for them (run with Go 1.24).
    #[test]
    fn canonical_forms_are_gos() {
        for (input, want) in [
            (
                "[1, 2.50, -0, 1e21, 1e-7, 0.000001, 123456789012345678901234]",
                "[1,2.5,0,1e+21,1e-7,0.000001,1.2345678901234569e+23]",
            ),
            (
                "[5e-324, 1.7976931348623157e308, 1e-6, 9.999999999999999e20, 0.1, 100, 1e2, 12345.6789e-3, -1.5e-10]",
                "[5e-324,1.7976931348623157e+308,0.000001,999999999999999900000,0.1,100,100,12.3456789,-1.5e-10]",
            ),
            ("[+1, .5, 5., true ,null]", "[1,0.5,5,true,null]"),
            ("[1e-400]", "[0]"),
            ("[-0.0]", "[0]"),
            ("[00012]", "[12]"),
            ("[1_0]", "[10]"),
            ("[ 1 ]", "[1]"),
            (
                r#"{"\u00e9":1, "e\u0301":2, "\ud83d\ude00":3, "\ufffd":4}"#,
                "{\"e\u{301}\":2,\"\u{e9}\":1,\"\u{1f600}\":3,\"\u{fffd}\":4}",
            ),
            (
                r#"{"a":"\u00e9\n\/\u001f"}"#,
                "{\"a\":\"\u{e9}\\n/\\u001f\"}",
            ),
            (r#"["\udc00\u0041"]"#, "[\"\u{fffd}\"]"),
            ("{ }", "{}"),
            ("[ ]", "[]"),
            (r#"{"a" : [ 1 , 2 ] , "b" : { } }"#, r#"{"a":[1,2],"b":{}}"#),
            ("{\"b\":1} ", "{\"b\":1}"),
            ("  [1]", "[1]"),
            (r#"["\u0000"]"#, r#"["\u0000"]"#),
            ("[4.35]", "[4.35]"),
            ("[0.30000000000000004]", "[0.30000000000000004]"),
            ("[2e-7]", "[2e-7]"),
            ("[123e-20]", "[1.23e-18]"),
            ("[1E+2]", "[100]"),
        ] {
            assert_eq!(canon(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn what_it_refuses() {
        for bad in [
            "",
            "1",
            "\"a\"",
            "{\"a\":1,\"a\":2}",
            "[1,]",
            "[1 2]",
            "{\"a\":1}x",
            "[NaN]",
            "[Infinity]",
            "[1e400]",
            "[0x10]",
            "[tru]",
            "{\"a\":\"\x01\"}",
            "{a:1}",
            "[\"\\x\"]",
            "[\"\\ud800\"]",
            "[é]",
            "{\"a\":1",
            "[inf]",
            "[\"\\ud800x\"]",
            "[1__0]",
            "[_1]",
            "[1_]",
            "{\"b\":1} x",
        ] {
            assert!(canon(bad).is_err(), "{bad:?}");
        }
        // Raw non-ASCII and invalid UTF-8 inside strings are kept.
        assert_eq!(
            transform(b"[\"\xff\xc3\xa9\"]").unwrap(),
            b"[\"\xff\xc3\xa9\"]"
        );
    }
}
