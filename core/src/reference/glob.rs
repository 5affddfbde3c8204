//! Go's `path.Match`, which `FamiliarMatch` applies to familiar reference strings.
//!
//! `*` matches any run of characters other than `/`, `?` one such character, `[…]` a class
//! (`^` negates, `a-z` ranges, `\` escapes) and `\x` the character `x`. A malformed pattern is an
//! error even when an earlier part already failed to match, as in Go 1.16 and later.

use core::fmt;

use crate::go::decode_rune;

/// The pattern is malformed (Go's `path.ErrBadPattern`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatternError;

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl core::error::Error for PatternError {}

/// Whether all of `name` matches the shell pattern `pattern`.
///
/// Like Go, this works on bytes: a star may stop inside a multi-byte character, and an invalid
/// byte reads as U+FFFD.
pub(crate) fn path_match(pattern: &str, name: &str) -> Result<bool, PatternError> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest unless it holds a `/`.
            return Ok(!name.contains(&b'/'));
        }
        let (rest_name, ok, error) = match_chunk(chunk, name);
        if ok && (rest_name.is_empty() || !pattern.is_empty()) {
            name = rest_name;
            continue;
        }
        error?;
        if star {
            // Let the star eat bytes (never a `/`) until the chunk matches.
            for i in 0..name.len() {
                if name[i] == b'/' {
                    break;
                }
                let (rest_name, ok, error) = match_chunk(chunk, &name[i + 1..]);
                if ok {
                    if pattern.is_empty() && !rest_name.is_empty() {
                        continue;
                    }
                    name = rest_name;
                    continue 'chunks;
                }
                error?;
            }
        }
        // No match: the rest of the pattern must still be well-formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"").2?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off leading stars and the next chunk (up to the next unbracketed, unescaped `*`).
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let start = pattern
        .iter()
        .position(|&b| b != b'*')
        .unwrap_or(pattern.len());
    let (star, trimmed) = (start > 0, &pattern[start..]);
    let mut in_class = false;
    let mut i = 0;
    while i < trimmed.len() {
        match trimmed[i] {
            // An escape skips the next byte, if there is one.
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => return (star, &trimmed[..i], &trimmed[i..]),
            _ => {}
        }
        i += 1;
    }
    (star, trimmed, b"")
}

/// Matches `chunk` (no stars) at the start of `s`: what is left of `s`, whether it matched, and
/// a pattern error. The whole chunk is read even after a mismatch, to find errors, as Go does.
fn match_chunk<'s>(chunk: &[u8], s: &'s [u8]) -> (&'s [u8], bool, Result<(), PatternError>) {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while let Some(&first) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match first {
            b'[' => {
                let mut r = char::REPLACEMENT_CHARACTER;
                if !failed {
                    let (c, n) = decode_rune(s);
                    r = c;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if ranges > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = match class_char(chunk) {
                        Ok(found) => found,
                        Err(error) => return (b"", false, Err(error)),
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        match class_char(&chunk[1..]) {
                            Ok((h, rest)) => {
                                hi = h;
                                chunk = rest;
                            }
                            Err(error) => return (b"", false, Err(error)),
                        }
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s.first() == Some(&b'/') {
                        failed = true;
                    }
                    s = &s[decode_rune(s).1..];
                }
                chunk = &chunk[1..];
            }
            b'\\' => {
                chunk = &chunk[1..];
                if chunk.is_empty() {
                    return (b"", false, Err(PatternError));
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
            literal => {
                if !failed {
                    if literal != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        (b"", false, Ok(()))
    } else {
        (s, true, Ok(()))
    }
}

/// One character of a class, possibly escaped; `-` and `]` may not stand unescaped here, and
/// the class must go on after it.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), PatternError> {
    let chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(PatternError),
        Some(b'\\') => &chunk[1..],
        Some(_) => chunk,
    };
    if chunk.is_empty() {
        return Err(PatternError);
    }
    let (c, n) = decode_rune(chunk);
    let rest = &chunk[n..];
    if (c == char::REPLACEMENT_CHARACTER && n == 1) || rest.is_empty() {
        return Err(PatternError);
    }
    Ok((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_path_match_table() {
        let cases: &[(&str, &str, Result<bool, PatternError>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(PatternError)),
            ("[-]", "-", Err(PatternError)),
            ("[x-]", "x", Err(PatternError)),
            ("[x-]", "-", Err(PatternError)),
            ("[x-]", "z", Err(PatternError)),
            ("[-x]", "x", Err(PatternError)),
            ("[-x]", "-", Err(PatternError)),
            ("[-x]", "a", Err(PatternError)),
            ("\\", "a", Err(PatternError)),
            ("[a-b-c]", "a", Err(PatternError)),
            ("[", "a", Err(PatternError)),
            ("[^", "a", Err(PatternError)),
            ("[^bc", "a", Err(PatternError)),
            ("a[", "a", Err(PatternError)),
            ("a[", "ab", Err(PatternError)),
            ("a[", "x", Err(PatternError)),
            ("a/b[", "x", Err(PatternError)),
            ("*x", "xxx", Ok(true)),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(path_match(pattern, name), *expected, "{pattern} vs {name}");
        }
    }
}
