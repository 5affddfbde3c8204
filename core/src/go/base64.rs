//! Go's `encoding/base64` decoding, with its exact errors and leniencies.

use alloc::vec::Vec;

/// Go's `base64.StdEncoding.DecodeString`. The error is the offset of the first bad byte.
pub(crate) fn base64_std(text: &str) -> Result<Vec<u8>, usize> {
    base64_decode(text, false)
}

/// Go's `base64.StdEncoding.EncodeToString`.
pub(crate) fn base64_std_encode(bytes: &[u8]) -> alloc::string::String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = alloc::string::String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.RawStdEncoding.DecodeString`: the standard alphabet without padding (`=` is
/// refused, a last group of one character too), `\r` and `\n` skipped.
pub(crate) fn base64_raw_std(text: &str) -> Result<Vec<u8>, usize> {
    if let Some(at) = text.find('=') {
        return Err(at);
    }
    let count = text.bytes().filter(|b| *b != b'\r' && *b != b'\n').count();
    let mut padded = alloc::string::String::from(text);
    match count % 4 {
        1 => return Err(text.len()),
        2 => padded.push_str("=="),
        3 => padded.push('='),
        _ => {}
    }
    base64_decode(&padded, false).map_err(|at| at.min(text.len()))
}

/// Go's `base64.URLEncoding.DecodeString` (padded URL-safe alphabet).
pub(crate) fn base64_url(text: &str) -> Result<Vec<u8>, usize> {
    base64_decode(text, true)
}

/// Go's `base64.StdEncoding.Decode` (or `URLEncoding` when `url`): padding required, `\r` and `\n` skipped, non-zero
/// trailing bits tolerated. The error is the offset of the first bad byte.
fn base64_decode(text: &str, url: bool) -> Result<Vec<u8>, usize> {
    let table = if url { &URL_VALUES } else { &STD_VALUES };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut start = 0;
    loop {
        // Fast path: whole quanta of four alphabet characters. It stops at the first quantum
        // with anything else (a line break, padding, a bad byte); one quantum is then read the
        // general way, and the fast path goes on after it.
        while let Some(&[a, b, c, d]) = bytes.get(start..start + 4) {
            let values = [a, b, c, d].map(|x| table[usize::from(x)]);
            if values.contains(&INVALID) {
                break;
            }
            let acc = values
                .iter()
                .fold(0u32, |acc, &v| (acc << 6) | u32::from(v));
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            start += 4;
        }
        // The next four characters, line breaks skipped, each with its offset.
        let mut chars = bytes[start..]
            .iter()
            .enumerate()
            .map(|(at, &b)| (start + at, b))
            .filter(|&(_, b)| b != b'\r' && b != b'\n');
        let mut quantum = [(0, 0); 4];
        let mut len = 0;
        while len < 4 {
            let Some(c) = chars.next() else { break };
            quantum[len] = c;
            len += 1;
        }
        match len {
            0 => return Ok(out),
            1..=3 => return Err((quantum[len - 1].0 + 1).min(text.len())),
            _ => {}
        }
        let mut acc = 0u32;
        let mut used = 0;
        for (k, &(at, b)) in quantum.iter().enumerate() {
            let v = table[usize::from(b)];
            match v {
                _ if v != INVALID && used == k => {
                    acc = (acc << 6) | u32::from(v);
                    used += 1;
                }
                // Padding: only in the last quantum, from its third character on, and
                // "x===" is not allowed.
                _ if b == b'=' && k >= 2 && chars.clone().next().is_none() => {
                    if quantum[k..].iter().any(|&(_, c)| c != b'=') {
                        return Err(at);
                    }
                    break;
                }
                _ => return Err(at),
            }
        }
        acc <<= 6 * (4 - used);
        let decoded = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&decoded[..used - 1]);
        if used < 4 {
            return Ok(out);
        }
        start = quantum[3].0 + 1;
    }
}

/// Marks a byte outside the alphabet in the tables below.
const INVALID: u8 = 0xff;

/// The value of each byte in the standard alphabet.
const STD_VALUES: [u8; 256] = values(b"+/");
/// The value of each byte in the URL-safe alphabet.
const URL_VALUES: [u8; 256] = values(b"-_");

const fn values(last_two: &[u8; 2]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = i as u8;
        table[b'a' as usize + i] = 26 + i as u8;
        if i < 10 {
            table[b'0' as usize + i] = 52 + i as u8;
        }
        i += 1;
    }
    table[last_two[0] as usize] = 62;
    table[last_two[1] as usize] = 63;
    table
}

#[cfg(test)]
mod tests {
    use super::base64_decode;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// The decoder as first written: every character collected with its offset, then read in
    /// quanta of four. The streaming decoder must answer exactly as it does.
    fn collected_decode(text: &str, url: bool) -> Result<Vec<u8>, usize> {
        let value = |b: u8| -> Option<u32> {
            let alphabet: &[u8] = if url {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            } else {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            };
            alphabet.iter().position(|&c| c == b).map(|v| v as u32)
        };
        let chars: Vec<(usize, u8)> = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b != b'\r' && b != b'\n')
            .collect();
        let mut out = Vec::new();
        let count = chars.chunks(4).len();
        for (n, quantum) in chars.chunks(4).enumerate() {
            if quantum.len() < 4 {
                return Err((quantum[quantum.len() - 1].0 + 1).min(text.len()));
            }
            let mut acc = 0u32;
            let mut used = 0;
            for (k, &(at, b)) in quantum.iter().enumerate() {
                match value(b) {
                    Some(v) => {
                        acc = (acc << 6) | v;
                        used += 1;
                    }
                    None if b == b'=' && n + 1 == count && k >= 2 => {
                        if quantum[k..].iter().any(|&(_, c)| c != b'=') {
                            return Err(at);
                        }
                        break;
                    }
                    None => return Err(at),
                }
            }
            acc <<= 6 * (4 - used);
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8][..used - 1]);
        }
        Ok(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn base64_streams_as_collected(
            text in "[A-Za-z0-9+/_=\r\n-]{0,24}",
            url in any::<bool>(),
        ) {
            prop_assert_eq!(base64_decode(&text, url), collected_decode(&text, url));
        }

        #[test]
        fn base64_of_bytes_damaged_somewhere_reads_as_collected(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            at in any::<proptest::sample::Index>(),
            with in prop_oneof![Just(b'\n'), Just(b'='), Just(b'*'), Just(b'A'), Just(b'-')],
            damage in any::<bool>(),
        ) {
            let mut text = super::base64_std_encode(&bytes).into_bytes();
            if damage && !text.is_empty() {
                let at = at.index(text.len());
                text[at] = with;
            }
            let text = alloc::string::String::from_utf8(text).expect("ASCII");
            prop_assert_eq!(base64_decode(&text, false), collected_decode(&text, false));
            if !damage {
                prop_assert_eq!(base64_decode(&text, false), Ok(bytes));
            }
        }
    }

    #[test]
    fn raw_base64_is_unpadded() {
        use super::base64_raw_std;
        assert_eq!(base64_raw_std("aGk"), Ok(b"hi".to_vec()));
        assert_eq!(base64_raw_std("aG\nk"), Ok(b"hi".to_vec()));
        assert_eq!(base64_raw_std("dXNlcjpwYXNz"), Ok(b"user:pass".to_vec()));
        assert!(base64_raw_std("aGk=").is_err());
        assert!(base64_raw_std("a").is_err());
        assert!(base64_raw_std("aG!k").is_err());
    }

    #[test]
    fn base64_decodes_padded_text_and_refuses_the_rest() {
        assert_eq!(base64_decode("aGk=", false), Ok(b"hi".to_vec()));
        assert_eq!(base64_decode("aG\r\nk=", false), Ok(b"hi".to_vec()));
        assert_eq!(base64_decode("aGk", false), Err(3));
        assert_eq!(base64_decode("aGk=aGk=", false), Err(3));
        assert_eq!(base64_decode("a===", false), Err(1));
        assert_eq!(base64_decode("-_-_", false), Err(0));
        assert_eq!(base64_decode("-_-_", true), Ok(vec![0xfb, 0xff, 0xbf]));
    }
}
