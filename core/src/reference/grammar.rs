//! The docker reference grammar as byte-level matchers.
//!
//! The upstream implementations express the grammar as RE2 regular expressions and take the
//! capture groups of the leftmost-first match. This module decides the same language and
//! yields the same captures without a regex engine and without allocating:
//!
//! * a digest never contains `@`, and nothing before it may, so the first `@` starts the digest;
//! * a colon inside a name can only be a registry port, which is always followed by a `/`, so
//!   the last `:` that comes after the last `/` starts the tag;
//! * the optional domain group is tried first (RE2 prefers the greedy branch), so the text
//!   before the first `/` is the domain whenever it is a valid domain and the rest a valid path.

use super::Dialect;

/// Where the parts of a matched reference lie in the input, as byte offsets.
///
/// `name` is `[0, name_end)`; the domain (if any) is `[0, path_start - 1)`; the tag is
/// `tag` and the digest text (without the `@`) is `digest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Captures {
    pub(crate) path_start: usize,
    pub(crate) name_end: usize,
    pub(crate) tag: Option<(usize, usize)>,
    pub(crate) digest: Option<(usize, usize)>,
}

/// Matches the anchored `ReferenceRegexp` of the dialect: `name(:tag)?(@digest)?`.
pub(crate) fn match_reference(s: &[u8], dialect: Dialect) -> Option<Captures> {
    let (before_digest, digest) = match position(s, b'@') {
        Some(at) => {
            let digest_start = at.checked_add(1)?;
            let text = s.get(digest_start..)?;
            if !digest_syntax(text) {
                return None;
            }
            (s.get(..at)?, Some((digest_start, s.len())))
        }
        None => (s, None),
    };
    let last_slash = rposition(before_digest, b'/');
    let (name_end, tag) = match rposition(before_digest, b':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            let tag_start = colon.checked_add(1)?;
            if !tag_syntax(before_digest.get(tag_start..)?) {
                return None;
            }
            (colon, Some((tag_start, before_digest.len())))
        }
        _ => (before_digest.len(), None),
    };
    let name = before_digest.get(..name_end)?;
    let path_start = match_name(name, dialect)?;
    Some(Captures {
        path_start,
        name_end,
        tag,
        digest,
    })
}

/// Matches the anchored name regexp `(?:(domain)/)?(path)`; returns where the path starts
/// (0 when the name has no domain).
pub(crate) fn match_name(name: &[u8], dialect: Dialect) -> Option<usize> {
    if let Some(slash) = position(name, b'/') {
        let after = slash.checked_add(1)?;
        if domain_syntax(name.get(..slash)?, dialect) && path_syntax(name.get(after..)?) {
            return Some(after);
        }
    }
    path_syntax(name).then_some(0)
}

/// `path-component (/ path-component)*`.
pub(crate) fn path_syntax(path: &[u8]) -> bool {
    !path.is_empty() && path.split(|&b| b == b'/').all(path_component)
}

/// `[a-z0-9]+ (separator [a-z0-9]+)*` where a separator is `.`, `_`, `__` or a run of `-`.
fn path_component(component: &[u8]) -> bool {
    let (Some(first), Some(last)) = (component.first(), component.last()) else {
        return false;
    };
    if !lower_alnum(*first) || !lower_alnum(*last) {
        return false;
    }
    // Every run of non-alphanumeric bytes must be one separator.
    component
        .split(|&b| lower_alnum(b))
        .all(|run| matches!(run, b"" | b"." | b"_" | b"__") || run.iter().all(|&b| b == b'-'))
}

/// The domain with an optional port: `component(.component)*(:[0-9]+)?`, plus the bracketed
/// IPv6 host of distribution/reference.
pub(crate) fn domain_syntax(domain: &[u8], dialect: Dialect) -> bool {
    let after_host = match (dialect, domain.first()) {
        (Dialect::Distribution, Some(b'[')) => {
            let Some(close) = position(domain, b']') else {
                return false;
            };
            let inside = domain.get(1..close).unwrap_or_default();
            if inside.is_empty() || !inside.iter().all(|&b| b.is_ascii_hexdigit() || b == b':') {
                return false;
            }
            domain.get(close.saturating_add(1)..).unwrap_or_default()
        }
        _ => {
            let host_end = position(domain, b':').unwrap_or(domain.len());
            let host = domain.get(..host_end).unwrap_or_default();
            if !host.split(|&b| b == b'.').all(domain_component) {
                return false;
            }
            domain.get(host_end..).unwrap_or_default()
        }
    };
    match after_host.split_first() {
        None => true,
        Some((b':', port)) => !port.is_empty() && port.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn domain_component(component: &[u8]) -> bool {
    match (component.first(), component.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && component
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        }
        _ => false,
    }
}

/// `[\w][\w.-]{0,127}`: one to 128 characters.
pub(crate) fn tag_syntax(tag: &[u8]) -> bool {
    match tag.split_first() {
        Some((first, rest)) => {
            word(*first)
                && rest.len() <= 127
                && rest.iter().all(|&b| word(b) || b == b'.' || b == b'-')
        }
        None => false,
    }
}

/// The reference grammar's digest:
/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`.
pub(crate) fn digest_syntax(digest: &[u8]) -> bool {
    let Some(colon) = position(digest, b':') else {
        return false;
    };
    let algorithm = digest.get(..colon).unwrap_or_default();
    let hex = digest.get(colon.saturating_add(1)..).unwrap_or_default();
    let algorithm_ok = !algorithm.is_empty()
        && algorithm
            .split(|&b| matches!(b, b'-' | b'_' | b'+' | b'.'))
            .all(|part| {
                part.first().is_some_and(u8::is_ascii_alphabetic)
                    && part.iter().all(u8::is_ascii_alphanumeric)
            });
    algorithm_ok && hex.len() >= 32 && hex.iter().all(u8::is_ascii_hexdigit)
}

/// `^[a-f0-9]{64}$`: an image ID, which a name may not be.
pub(crate) fn is_identifier(s: &[u8]) -> bool {
    s.len() == 64 && s.iter().all(|&b| lower_hex(b))
}

pub(crate) fn lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(crate) fn position(s: &[u8], needle: u8) -> Option<usize> {
    s.iter().position(|&b| b == needle)
}

fn rposition(s: &[u8], needle: u8) -> Option<usize> {
    s.iter().rposition(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_components() {
        for ok in [
            "a",
            "a0",
            "a.b",
            "a_b",
            "a__b",
            "a-b",
            "a---b",
            "a.b_c-d__e",
        ] {
            assert!(path_component(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "", "-a", "a-", "a..b", "a___b", "a.-b", "a-.b", "A", "a/b", "_a", "a_",
        ] {
            assert!(!path_component(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn domains() {
        let ci = Dialect::ContainersImage;
        let dist = Dialect::Distribution;
        for ok in ["a", "A.b-c.d", "localhost:5000", "1.2.3.4:1", "x:00000000"] {
            assert!(domain_syntax(ok.as_bytes(), ci), "{ok}");
        }
        for bad in [
            "", "-a", "a-", "a..b", "a:", "a:b", "a:1:2", "[::1]", "a_b", ".a",
        ] {
            assert!(!domain_syntax(bad.as_bytes(), ci), "{bad}");
        }
        for ok in ["[::1]", "[::1]:5000", "[2001:DB8::1]"] {
            assert!(domain_syntax(ok.as_bytes(), dist), "{ok}");
        }
        for bad in ["[]", "[::1", "[::1]x", "[fe80::1%eth0]", "[::1]:"] {
            assert!(!domain_syntax(bad.as_bytes(), dist), "{bad}");
        }
    }

    #[test]
    fn captures_follow_leftmost_first() {
        let ci = Dialect::ContainersImage;
        let m = match_reference(b"test.com:5000", ci).unwrap();
        assert_eq!((m.path_start, m.name_end, m.tag), (0, 8, Some((9, 13))));
        let m = match_reference(b"test:5000/repo", ci).unwrap();
        assert_eq!((m.path_start, m.name_end, m.tag), (10, 14, None));
        let m = match_reference(b"a_b/c", ci).unwrap();
        assert_eq!(m.path_start, 0);
        assert!(match_reference(b"a:b/c", ci).is_none());
        assert!(match_reference(b"a@b@sha256:0123456789012345678901234567890123", ci).is_none());
    }

    #[test]
    fn tags_and_digests() {
        assert!(tag_syntax(b"_"));
        assert!(tag_syntax("a".repeat(128).as_bytes()));
        assert!(!tag_syntax("a".repeat(129).as_bytes()));
        assert!(!tag_syntax(b"-a"));
        assert!(!tag_syntax(b".a"));
        assert!(digest_syntax(
            b"sha256+b64u.x-y_z:0123456789abcdefABCDEF0123456789"
        ));
        assert!(!digest_syntax(b"sha256:0123456789abcdef0123456789abcde"));
        assert!(!digest_syntax(b"2sha:0123456789abcdef0123456789abcdef"));
        assert!(!digest_syntax(b"sha--256:0123456789abcdef0123456789abcdef"));
    }
}
