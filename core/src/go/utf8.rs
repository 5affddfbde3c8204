//! Go's `unicode/utf8` decoding of one character, invalid sequences included.

/// Go's `utf8.DecodeRune`: the first character of `bytes` and its width in bytes. An invalid
/// or truncated sequence (and an empty input) reads as U+FFFD of width 1 (0 when empty).
pub(crate) fn decode_rune(bytes: &[u8]) -> (char, usize) {
    let width = match bytes.first() {
        None => return (char::REPLACEMENT_CHARACTER, 0),
        Some(&b) if b < 0x80 => 1,
        Some(&b) if b >> 5 == 0b110 => 2,
        Some(&b) if b >> 4 == 0b1110 => 3,
        Some(&b) if b >> 3 == 0b11110 => 4,
        Some(_) => return (char::REPLACEMENT_CHARACTER, 1),
    };
    match bytes
        .get(..width)
        .and_then(|b| core::str::from_utf8(b).ok())
    {
        Some(text) => (
            text.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER),
            width,
        ),
        None => (char::REPLACEMENT_CHARACTER, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_rune;

    #[test]
    fn decodes_like_go() {
        assert_eq!(decode_rune(b"a"), ('a', 1));
        assert_eq!(decode_rune("☺x".as_bytes()), ('☺', 3));
        assert_eq!(decode_rune(b"\xff"), ('\u{fffd}', 1));
        assert_eq!(decode_rune(b"\xe2\x98"), ('\u{fffd}', 1));
        assert_eq!(decode_rune(b"\xed\xa0\x80"), ('\u{fffd}', 1));
        assert_eq!(decode_rune(b""), ('\u{fffd}', 0));
    }
}
