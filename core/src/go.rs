//! Small pieces of Go's standard library whose exact behaviour the parsers must share.

use alloc::vec::Vec;

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

/// Go's `base64.StdEncoding.DecodeString`. The error is the offset of the first bad byte.
pub(crate) fn base64_std(text: &str) -> Result<Vec<u8>, usize> {
    base64_decode(text, false)
}

/// Go's `base64.URLEncoding.DecodeString` (padded URL-safe alphabet).
pub(crate) fn base64_url(text: &str) -> Result<Vec<u8>, usize> {
    base64_decode(text, true)
}

/// Go's `base64.StdEncoding.Decode` (or `URLEncoding` when `url`): padding required, `\r` and `\n` skipped, non-zero
/// trailing bits tolerated. The error is the offset of the first bad byte.
fn base64_decode(text: &str, url: bool) -> Result<Vec<u8>, usize> {
    let value = |b: u8| -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' if !url => Some(62),
            b'/' if !url => Some(63),
            b'-' if url => Some(62),
            b'_' if url => Some(63),
            _ => None,
        }
    };
    let chars: Vec<(usize, u8)> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b != b'\r' && b != b'\n')
        .collect();
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quanta = chars.chunks(4);
    let count = quanta.len();
    for (n, quantum) in quanta.enumerate() {
        if quantum.len() < 4 {
            return Err(quantum
                .last()
                .map_or(text.len(), |&(i, _)| i + 1)
                .min(text.len()));
        }
        let last = n + 1 == count;
        let mut acc = 0u32;
        let mut used = 0;
        for (k, &(at, b)) in quantum.iter().enumerate() {
            match value(b) {
                Some(v) if used == k => {
                    acc = (acc << 6) | v;
                    used += 1;
                }
                None if b == b'=' && last && k >= 2 => {
                    // Padding: only at the end, and "x===" is not allowed.
                    if quantum[k..].iter().any(|&(_, c)| c != b'=') {
                        return Err(at);
                    }
                    break;
                }
                _ => return Err(at),
            }
        }
        acc <<= 6 * (4 - used);
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..used - 1]);
    }
    Ok(out)
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
