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
    // Read four characters at a time (line breaks skipped), remembering where each stood.
    let mut chars = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b != b'\r' && b != b'\n');
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    loop {
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
            match value(b) {
                Some(v) if used == k => {
                    acc = (acc << 6) | v;
                    used += 1;
                }
                // Padding: only in the last quantum, from its third character on, and
                // "x===" is not allowed.
                None if b == b'=' && k >= 2 && chars.clone().next().is_none() => {
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
        if used < 4 {
            return Ok(out);
        }
    }
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
