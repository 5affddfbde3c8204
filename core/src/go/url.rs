//! `net/url.Parse` as Go 1.24 runs it, reduced to what `crypto/x509` needs of it: whether a
//! URI parses, and the host it names (unescaped). Go's certificate parser refuses a certificate
//! whose URI subject alternative name does not parse, or names a host that is not a domain, so
//! vouch refuses the same certificates.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why `net/url.Parse` refuses a URL, in Go's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UrlError {
    /// "net/url: invalid control character in URL".
    ControlCharacter,
    /// "missing protocol scheme".
    MissingScheme,
    /// "first path segment in URL cannot contain colon".
    ColonInFirstSegment,
    /// "missing ']' in host".
    MissingBracket,
    /// "invalid port %q after host".
    InvalidPort(String),
    /// "net/url: invalid userinfo".
    InvalidUserinfo,
    /// "invalid URL escape %q".
    Escape(String),
    /// "invalid character %q in host name".
    HostCharacter(char),
    /// A host in brackets, which vouch does not read (see [`parse_host_path`]).
    BracketedHost,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ControlCharacter => f.write_str("net/url: invalid control character in URL"),
            Self::MissingScheme => f.write_str("missing protocol scheme"),
            Self::ColonInFirstSegment => {
                f.write_str("first path segment in URL cannot contain colon")
            }
            Self::MissingBracket => f.write_str("missing ']' in host"),
            Self::InvalidPort(port) => write!(f, "invalid port {port:?} after host"),
            Self::InvalidUserinfo => f.write_str("net/url: invalid userinfo"),
            Self::Escape(escape) => write!(f, "invalid URL escape {escape:?}"),
            Self::BracketedHost => f.write_str("a host in brackets (an IPv6 literal) is not read"),
            Self::HostCharacter(c) => {
                write!(
                    f,
                    "invalid character {:?} in host name",
                    c.encode_utf8(&mut [0; 4])
                )
            }
        }
    }
}

/// The escaping contexts of Go's `unescape` that parsing uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    UserPassword,
    Host,
    Zone,
    Fragment,
}

/// `url.Parse(raw)`: the unescaped host (empty when the URL has no authority), or Go's error.
pub(crate) fn parse_host(raw: &str) -> Result<Vec<u8>, UrlError> {
    let (url, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    let host = parse(url)?;
    if !fragment.is_empty() {
        unescape(fragment, Mode::Fragment)?;
    }
    Ok(host)
}

/// Go's `parse(rawURL, false)`.
fn parse(raw: &str) -> Result<Vec<u8>, UrlError> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err(UrlError::ControlCharacter);
    }
    if raw == "*" {
        return Ok(Vec::new());
    }
    let (scheme, rest) = scheme(raw)?;
    let rest = match rest.strip_suffix('?') {
        Some(stripped) if rest.matches('?').count() == 1 => stripped,
        _ => rest.split_once('?').map_or(rest, |(before, _)| before),
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // An opaque URL: nothing more is parsed.
            return Ok(Vec::new());
        }
        let segment = rest.split_once('/').map_or(rest, |(segment, _)| segment);
        if segment.contains(':') {
            return Err(UrlError::ColonInFirstSegment);
        }
    }
    let mut host = Vec::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, tail) = after.find('/').map_or((after, ""), |i| after.split_at(i));
        host = parse_authority(authority)?;
        path = tail;
    }
    unescape(path, Mode::Path)?;
    Ok(host)
}

/// Go's `getScheme`: the scheme (possibly empty) and the rest.
fn scheme(raw: &str) -> Result<(&str, &str), UrlError> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i == 0 => return Ok(("", raw)),
            b'0'..=b'9' | b'+' | b'-' | b'.' => {}
            b':' if i == 0 => return Err(UrlError::MissingScheme),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `parseAuthority`: the host after the last `@`, then the user information before it.
fn parse_authority(authority: &str) -> Result<Vec<u8>, UrlError> {
    let at = authority.rfind('@');
    let host = parse_host_part(at.map_or(authority, |i| &authority[i + 1..]))?;
    if let Some(i) = at {
        let userinfo = &authority[..i];
        let valid = userinfo.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '.'
                        | '_'
                        | ':'
                        | '~'
                        | '!'
                        | '$'
                        | '&'
                        | '\''
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ','
                        | ';'
                        | '='
                        | '%'
                        | '@'
                )
        });
        if !valid {
            return Err(UrlError::InvalidUserinfo);
        }
        match userinfo.split_once(':') {
            None => {
                unescape(userinfo, Mode::UserPassword)?;
            }
            Some((user, password)) => {
                unescape(user, Mode::UserPassword)?;
                unescape(password, Mode::UserPassword)?;
            }
        }
    }
    Ok(host)
}

/// Go's `parseHost` (Go 1.24: a bracketed literal is not checked to be an IPv6 address).
fn parse_host_part(host: &str) -> Result<Vec<u8>, UrlError> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err(UrlError::MissingBracket);
        };
        let port = &host[i + 1..];
        if !valid_optional_port(port) {
            return Err(UrlError::InvalidPort(port.into()));
        }
        if let Some(zone) = host[..i].find("%25") {
            let mut out = unescape(&host[..zone], Mode::Host)?.into_owned();
            out.extend_from_slice(&unescape(&host[zone..i], Mode::Zone)?);
            out.extend_from_slice(&unescape(&host[i..], Mode::Host)?);
            return Ok(out);
        }
    } else if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_optional_port(port) {
            return Err(UrlError::InvalidPort(port.into()));
        }
    }
    Ok(unescape(host, Mode::Host)?.into_owned())
}

/// Go's `validOptionalPort`.
fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Go's `shouldEscape`, for the modes parsing uses.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    !(mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*'))
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go's `unescape` (no `+` handling: no query component is unescaped here).
fn unescape(s: &str, mode: Mode) -> Result<Cow<'_, [u8]>, UrlError> {
    let bytes = s.as_bytes();
    let mut escapes = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                escapes += 1;
                if i + 2 >= bytes.len()
                    || !bytes[i + 1].is_ascii_hexdigit()
                    || !bytes[i + 2].is_ascii_hexdigit()
                {
                    let end = (i + 3).min(bytes.len());
                    return Err(UrlError::Escape(
                        String::from_utf8_lossy(&bytes[i..end]).into_owned(),
                    ));
                }
                let escape = &s[i..i + 3];
                if mode == Mode::Host && unhex(bytes[i + 1]) < 8 && escape != "%25" {
                    return Err(UrlError::Escape(escape.into()));
                }
                if mode == Mode::Zone {
                    let v = unhex(bytes[i + 1]) << 4 | unhex(bytes[i + 2]);
                    if escape != "%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(UrlError::Escape(escape.into()));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(UrlError::HostCharacter(char::from(c)));
                }
                i += 1;
            }
        }
    }
    if escapes == 0 {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len() - 2 * escapes);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(unhex(bytes[i + 1]) << 4 | unhex(bytes[i + 2]));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(Cow::Owned(out))
}

/// How Go 1.26 reads colons in an `http` or `https` host (`GODEBUG=urlstrictcolons`): strictly
/// (a second colon is an invalid port) for programs whose `go.mod` says 1.26 or later, as the
/// kubelet of Kubernetes 1.36 does; else the port starts at the last colon, as before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Colons {
    Strict,
    Legacy,
}

/// An `http` or `https` URL as Go 1.26's `url.Parse` reads it: its host and path, unescaped.
///
/// A host in brackets (an IPv6 literal) is refused here, where Go checks the address: vouch
/// has no use for such hosts yet (docs/node.md says so).
pub(crate) fn parse_host_path(raw: &str, colons: Colons) -> Result<(Vec<u8>, Vec<u8>), UrlError> {
    let (url, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    if url.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err(UrlError::ControlCharacter);
    }
    let (scheme, rest) = scheme(url)?;
    let http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let rest = match rest.strip_suffix('?') {
        Some(stripped) if rest.matches('?').count() == 1 => stripped,
        _ => rest.split_once('?').map_or(rest, |(before, _)| before),
    };
    let mut host = Vec::new();
    let mut path = rest;
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // An opaque URL: no host, no path.
            return Ok((Vec::new(), Vec::new()));
        }
        let segment = rest.split_once('/').map_or(rest, |(segment, _)| segment);
        if segment.contains(':') {
            return Err(UrlError::ColonInFirstSegment);
        }
    }
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, tail) = after.find('/').map_or((after, ""), |i| after.split_at(i));
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        if hostport.contains('[') {
            return Err(UrlError::BracketedHost);
        }
        if let Some(first) = hostport.find(':') {
            let last = hostport.rfind(':').unwrap_or(first);
            let at = if last != first && http && colons == Colons::Strict {
                first
            } else {
                last
            };
            let port = &hostport[at..];
            if !valid_optional_port(port) {
                return Err(UrlError::InvalidPort(port.into()));
            }
        }
        host = unescape(hostport, Mode::Host)?.into_owned();
        if let Some(userinfo) = userinfo {
            // The user information is checked as `parseAuthority` checks it.
            parse_authority(&alloc::format!("{userinfo}@x"))?;
        }
        path = tail;
    }
    let path = unescape(path, Mode::Path)?.into_owned();
    if !fragment.is_empty() {
        unescape(fragment, Mode::Fragment)?;
    }
    Ok((host, path))
}

/// `crypto/x509`'s `domainToReverseLabels(host)` succeeds: non-empty labels of printable
/// ASCII, not ending in a dot. The host is bytes; a byte that is not ASCII is outside the range
/// whatever rune it starts (Go ranges over runes, each of which is then above 126).
pub(crate) fn is_domain(host: &[u8]) -> bool {
    if host.last() == Some(&b'.') {
        return false;
    }
    host.split(|&b| b == b'.')
        .all(|label| !label.is_empty() && label.iter().all(|&b| (33..=126).contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn hosts_and_errors_are_gos() {
        let host = |raw: &str| parse_host(raw).map(|h| String::from_utf8(h).expect("utf-8"));
        assert_eq!(
            host("https://build.vouch.test/x?y#z").as_deref(),
            Ok("build.vouch.test")
        );
        assert_eq!(host("https://u:p@h:443/").as_deref(), Ok("h:443"));
        assert_eq!(host("https://[::1]:8/").as_deref(), Ok("[::1]:8"));
        assert_eq!(
            host("https://[fe80::1%25en0]/").as_deref(),
            Ok("[fe80::1%en0]")
        );
        assert_eq!(host("mailto:a@b").as_deref(), Ok(""));
        assert_eq!(host("/relative/path").as_deref(), Ok(""));
        assert_eq!(
            host("spiffe://trust.example/ns/a").as_deref(),
            Ok("trust.example")
        );
        assert_eq!(host("http://[::1"), Err(UrlError::MissingBracket));
        assert_eq!(host(":x"), Err(UrlError::MissingScheme));
        assert_eq!(host("a b:c"), Err(UrlError::ColonInFirstSegment));
        assert_eq!(
            host("http://h:8x/"),
            Err(UrlError::InvalidPort(":8x".into()))
        );
        assert_eq!(host("http://h/%zz"), Err(UrlError::Escape("%zz".into())));
        assert_eq!(host("http://h/%4"), Err(UrlError::Escape("%4".into())));
        assert_eq!(host("http://h%20/"), Err(UrlError::Escape("%20".into())));
        assert_eq!(host("http://h{/"), Err(UrlError::HostCharacter('{')));
        assert_eq!(
            UrlError::HostCharacter('{').to_string(),
            "invalid character \"{\" in host name"
        );
        assert_eq!(host("http://u^@h/"), Err(UrlError::InvalidUserinfo));
        assert_eq!(host("http://h/#%"), Err(UrlError::Escape("%".into())));
        assert_eq!(host("http://h/\x7f"), Err(UrlError::ControlCharacter));
        assert_eq!(host("http://h/?%zz").as_deref(), Ok("h"));
        assert_eq!(
            UrlError::InvalidPort(":8x".into()).to_string(),
            "invalid port \":8x\" after host"
        );
    }

    #[test]
    fn domains_are_x509s() {
        assert!(is_domain(b"a.b"));
        assert!(is_domain(b"h:443"));
        assert!(is_domain(b"[::1]"));
        assert!(!is_domain(b"a..b"));
        assert!(!is_domain(b"a.b."));
        assert!(!is_domain(b".a"));
        assert!(!is_domain(b"a b"));
        assert!(!is_domain("é.test".as_bytes()));
    }
}
