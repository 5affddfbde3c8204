//! Image manifests: the digest containers/image computes for manifest bytes, and whether bytes
//! match a digest (`manifest.Digest` and `manifest.MatchesDigest`).
//!
//! The digest is the sha256 of the bytes, except for signed Docker schema 1 manifests, whose
//! JWS signatures are stripped first (the digest covers the payload that was signed). Only
//! sha256 is ever computed, as upstream: a reference or signature naming another algorithm
//! does not match, which is a rejection, never an error that allows.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use crate::go::json::{self as gojson, Member, Node, Value, go_field};
use crate::reference::Digest;

/// Manifests nested deeper than this are refused. Real manifests are at most 5 levels deep;
/// Go would read deeper ones, so refusing them is a (fail-closed) difference.
const MAX_MANIFEST_DEPTH: usize = 128;

/// Why no digest could be computed for manifest bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManifestError {
    /// The manifest nests JSON deeper than vouch reads.
    TooDeep,
    /// A signed schema 1 manifest whose signatures cannot be stripped (the reason).
    Schema1Signatures(&'static str),
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooDeep => write!(
                f,
                "the manifest nests JSON more than {MAX_MANIFEST_DEPTH} levels deep"
            ),
            Self::Schema1Signatures(why) => {
                write!(f, "invalid signed schema 1 manifest: {why}")
            }
        }
    }
}

impl core::error::Error for ManifestError {}

/// The manifest's digest as containers/image computes it: `sha256:` over the bytes, or over
/// the signed payload of a signed Docker schema 1 manifest.
pub fn manifest_digest(manifest: &[u8]) -> Result<Digest, ManifestError> {
    let hash: [u8; 32] = match schema1_payload(manifest)? {
        Some(payload) => Sha256::digest(&payload).into(),
        None => Sha256::digest(manifest).into(),
    };
    Ok(Digest::sha256(hash))
}

/// Whether the manifest bytes have digest `expected` (`manifest.MatchesDigest`). A digest of
/// any algorithm but sha256 never matches.
pub fn manifest_matches_digest(manifest: &[u8], expected: &Digest) -> Result<bool, ManifestError> {
    // Upstream compares against the sha256 string, which a digest of another algorithm never
    // equals; the stripping errors still come first.
    Ok(manifest_digest(manifest)? == *expected)
}

/// The payload of a signed schema 1 manifest, or `None` for every other kind of manifest
/// (including bytes that are not JSON at all, whose digest is that of the bytes).
fn schema1_payload(manifest: &[u8]) -> Result<Option<Vec<u8>>, ManifestError> {
    if plainly_not_schema1_signed(manifest) {
        return Ok(None);
    }
    read_schema1_payload(manifest)
}

/// [`schema1_payload`] by reading the JSON, always.
fn read_schema1_payload(manifest: &[u8]) -> Result<Option<Vec<u8>>, ManifestError> {
    let root = match gojson::parse_bounded(manifest, MAX_MANIFEST_DEPTH) {
        Ok(root) => root,
        Err(error) if error.message.starts_with("exceeded max depth") => {
            return Err(ManifestError::TooDeep);
        }
        Err(_) => return Ok(None),
    };
    if !is_signed_schema1(&root) {
        return Ok(None);
    }
    strip_signatures(manifest, &root).map(Some)
}

/// Fewer brackets than this cannot nest past [`MAX_MANIFEST_DEPTH`].
const FAST_PATH_MAX_BRACKETS: usize = 64;

/// Whether the bytes certainly have no `signatures` member and nest shallowly, so that the
/// JSON need not be read: the digest is that of the bytes. This is the case for every
/// manifest but a signed schema 1, and it saves parsing the manifest on every evaluation.
///
/// It is conservative. Go matches member names case-insensitively, with Unicode folding
/// (`ſ`, U+017F, folds to `s`) and after unescaping (`\u0073`): bytes with a backslash or
/// any non-ASCII byte, or with `signatures` in any ASCII case anywhere, go the long way, as
/// do bytes with more than 64 opening brackets (which could nest too deeply).
fn plainly_not_schema1_signed(manifest: &[u8]) -> bool {
    // One pass, in 64-byte chunks with byte-sized counters so that it vectorises: opening
    // brackets, unusual bytes, and the letter `u` (rare in manifests, and in "signatures").
    let (mut brackets, mut unusual, mut has_u) = (0usize, 0u8, 0u8);
    for chunk in manifest.chunks(64) {
        let (mut b, mut odd, mut u) = (0u8, 0u8, 0u8);
        for &byte in chunk {
            b += u8::from(byte == b'{' || byte == b'[');
            odd |= u8::from(byte == b'\\') | (byte >> 7);
            u |= u8::from(byte | 0x20 == b'u');
        }
        brackets += usize::from(b);
        unusual |= odd;
        has_u |= u;
    }
    if unusual != 0 || brackets > FAST_PATH_MAX_BRACKETS {
        return false;
    }
    const NAME: &[u8] = b"signatures";
    has_u == 0
        || !manifest
            .windows(NAME.len())
            .any(|window| window[6] | 0x20 == b'u' && window.eq_ignore_ascii_case(NAME))
}

/// `GuessMIMEType(m) == DockerV2Schema1SignedMediaType`.
fn is_signed_schema1(root: &Node) -> bool {
    let Value::Object(members) = &root.value else {
        // `null` decodes to an empty struct; anything else is a type error. Neither is schema 1.
        return false;
    };
    let media_type = match go_field(members, "mediatype").map(|n| &n.value) {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return false,
    };
    let schema_version = match go_field(members, "schemaversion").map(|n| &n.value) {
        None | Some(Value::Null) => 0,
        Some(Value::Number(text)) => match text.parse::<i64>() {
            Ok(version) => version,
            Err(_) => return false,
        },
        Some(_) => return false,
    };
    let signed = !matches!(
        go_field(members, "signatures").map(|n| &n.value),
        None | Some(Value::Null)
    );
    const KNOWN: [&str; 4] = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];
    !KNOWN.contains(&media_type) && schema_version == 1 && signed
}

/// libtrust's `ParsePrettySignature(m, "signatures")` followed by `Payload()`: the bytes up to
/// `formatLength` followed by `formatTail`, both taken from the JWS protected headers.
fn strip_signatures(manifest: &[u8], root: &Node) -> Result<Vec<u8>, ManifestError> {
    let bad = ManifestError::Schema1Signatures;
    let Value::Object(members) = &root.value else {
        return Err(bad("not a JSON object"));
    };
    // A map lookup: the exact key, the last one when repeated.
    let signatures = members
        .iter()
        .rev()
        .find(|m| m.key == "signatures")
        .map(|m| &m.value)
        .ok_or(bad("no \"signatures\" member"))?;
    let entries: &[Node] = match &signatures.value {
        Value::Array(entries) => entries,
        Value::Null => &[],
        _ => return Err(bad("\"signatures\" is not an array")),
    };
    if entries.is_empty() {
        // Upstream would digest the empty string here; nothing legitimate does this.
        return Err(bad("\"signatures\" is empty"));
    }
    let mut length: usize = 0;
    let mut tail: Vec<u8> = Vec::new();
    for entry in entries {
        let protected = protected_header(entry)?;
        let header = match gojson::parse_bounded(&protected, MAX_MANIFEST_DEPTH) {
            Ok(Node {
                value: Value::Object(members),
                ..
            }) => members,
            _ => return Err(bad("a protected header is not a JSON object")),
        };
        // A map: exact keys, the last one wins.
        let lookup = |key: &str| header.iter().rev().find(|m| m.key == key).map(|m| &m.value);
        let entry_length = match lookup("formatLength").map(|n| &n.value) {
            Some(Value::Number(text)) => {
                go_int_from_float(text).ok_or(bad("formatLength is not a usable length"))?
            }
            _ => return Err(bad("missing formatted length")),
        };
        let entry_tail = match lookup("formatTail").map(|n| &n.value) {
            Some(Value::String(text)) => {
                jose_base64url(text).ok_or(bad("formatTail is not base64url"))?
            }
            _ => return Err(bad("missing formatted tail")),
        };
        if length == 0 {
            length = entry_length;
        } else if length != entry_length {
            return Err(bad("conflicting format length"));
        }
        if tail.is_empty() {
            tail = entry_tail;
        } else if tail != entry_tail {
            return Err(bad("conflicting format tail"));
        }
    }
    let head = manifest
        .get(..length)
        .ok_or(bad("formatLength is beyond the manifest"))?;
    let mut payload = Vec::with_capacity(head.len() + tail.len());
    payload.extend_from_slice(head);
    payload.extend_from_slice(&tail);
    Ok(payload)
}

/// A `signatures` entry's `protected` string, base64url-decoded. The entry is decoded into
/// libtrust's struct, so every field it declares must have its type.
fn protected_header(entry: &Node) -> Result<Vec<u8>, ManifestError> {
    let bad = ManifestError::Schema1Signatures;
    let members: &[Member] = match &entry.value {
        Value::Object(members) => members,
        Value::Null => &[],
        _ => return Err(bad("a signature is not a JSON object")),
    };
    let string_or_null = |node: Option<&Node>| {
        matches!(
            node.map(|n| &n.value),
            None | Some(Value::Null | Value::String(_))
        )
    };
    if !string_or_null(go_field(members, "signature")) {
        return Err(bad("a signature's \"signature\" is not a string"));
    }
    match go_field(members, "header").map(|n| &n.value) {
        None | Some(Value::Null) => {}
        Some(Value::Object(header)) => {
            let chain_ok = match go_field(header, "x5c").map(|n| &n.value) {
                None | Some(Value::Null) => true,
                Some(Value::Array(items)) => items
                    .iter()
                    .all(|i| matches!(i.value, Value::String(_) | Value::Null)),
                Some(_) => false,
            };
            if !chain_ok || !string_or_null(go_field(header, "alg")) {
                return Err(bad("a signature's header has fields of the wrong type"));
            }
            if let Some(jwk) = go_field(header, "jwk")
                && !plausible_jwk(jwk)
            {
                return Err(bad("a signature's header has an invalid public key"));
            }
        }
        Some(_) => return Err(bad("a signature's header is not an object")),
    }
    let protected = match go_field(members, "protected").map(|n| &n.value) {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(bad("a signature's \"protected\" is not a string")),
    };
    jose_base64url(protected).ok_or(bad("a protected header is not base64url"))
}

/// libtrust parses `header.jwk` as a public key: an EC key on P-256, P-384 or P-521 with
/// coordinates of exactly the curve's size, or an RSA key; a `kid`, when present, must be the
/// key's libtrust key ID. (libtrust does not check that an EC point is on its curve, so neither
/// does vouch.) An RSA key with a `kid` is refused: vouch does not compute RSA key IDs, and
/// refusing only makes a digest unavailable, which denies.
fn plausible_jwk(jwk: &Node) -> bool {
    let Value::Object(members) = &jwk.value else {
        return false;
    };
    let text = |key: &str| {
        members
            .iter()
            .rev()
            .find(|m| m.key == key)
            .and_then(|m| match &m.value.value {
                Value::String(s) => Some(s.as_str()),
                _ => None,
            })
    };
    let kid = members
        .iter()
        .rev()
        .find(|m| m.key == "kid")
        .map(|m| &m.value.value);
    match text("kty") {
        Some("EC") => {
            let (prefix, size): (&[u8], usize) = match text("crv") {
                Some("P-256") => (P256_SPKI_PREFIX, 32),
                Some("P-384") => (P384_SPKI_PREFIX, 48),
                Some("P-521") => (P521_SPKI_PREFIX, 66),
                _ => return false,
            };
            let coordinate = |key: &str| {
                text(key)
                    .and_then(jose_base64url)
                    .filter(|c| c.len() == size)
            };
            let (Some(x), Some(y)) = (coordinate("x"), coordinate("y")) else {
                return false;
            };
            match kid {
                None => true,
                Some(Value::String(kid)) => {
                    let mut spki = Sha256::new();
                    spki.update(prefix);
                    spki.update([4]);
                    spki.update(&x);
                    spki.update(&y);
                    *kid == libtrust_key_id(&spki.finalize())
                }
                Some(_) => false,
            }
        }
        Some("RSA") => {
            let present = |key: &str| {
                text(key)
                    .and_then(jose_base64url)
                    .is_some_and(|b| !b.is_empty())
            };
            present("n") && present("e") && kid.is_none()
        }
        _ => false,
    }
}

/// The DER SubjectPublicKeyInfo up to the uncompressed point, per curve.
const P256_SPKI_PREFIX: &[u8] = &[
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
const P384_SPKI_PREFIX: &[u8] = &[
    0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
    0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
];
const P521_SPKI_PREFIX: &[u8] = &[
    0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05,
    0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00,
];

/// libtrust's key ID: the first 30 bytes of the SPKI's sha256 in base32, in groups of four
/// separated by `:`.
fn libtrust_key_id(spki_hash: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(59);
    let mut written = 0;
    for chunk in spki_hash[..30].chunks(5) {
        let bits = chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        for i in (0..8).rev() {
            if written > 0 && written % 4 == 0 {
                out.push(':');
            }
            out.push(char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize]));
            written += 1;
        }
    }
    out
}

/// libtrust's `joseBase64UrlDecode`: newlines and spaces removed, padding restored.
fn jose_base64url(text: &str) -> Option<Vec<u8>> {
    let mut s: String = text.chars().filter(|&c| c != '\n' && c != ' ').collect();
    match s.len() % 4 {
        0 => {}
        2 => s.push_str("=="),
        3 => s.push('='),
        _ => return None,
    }
    crate::go::base64_url(&s).ok()
}

/// Go's `int(f)` for a JSON number decoded as `float64`, refusing what would make upstream
/// panic (a negative length) or lose meaning (not finite, beyond 2^53).
fn go_int_from_float(text: &str) -> Option<usize> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() || value <= -1.0 || value > 9_007_199_254_740_992.0 {
        return None;
    }
    // `as` truncates toward zero, as Go's conversion does (-0.5 becomes 0); the range is
    // checked above, so nothing saturates.
    Some(value as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn the_fast_path_only_skips_what_reading_would_not_strip() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let cases: [&[u8]; 10] = [
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}"#,
            br#"{"schemaVersion":1,"signatures":[{}]}"#,
            br#"{"schemaVersion":1,"SIGNATURES":[{}]}"#,
            "{\"schemaVersion\":1,\"\u{17f}ignatures\":[{}]}".as_bytes(),
            br#"{"schemaVersion":1,"\u0073ignatures":[{}]}"#,
            deep.as_bytes(),
            b"not json",
            b"",
            br#"{"a":"signatures"}"#,
            br#"{"schemaVersion":1}"#,
        ];
        for case in cases {
            if plainly_not_schema1_signed(case) {
                assert_eq!(
                    read_schema1_payload(case),
                    Ok(None),
                    "{:?}",
                    core::str::from_utf8(case)
                );
            }
            assert_eq!(schema1_payload(case), read_schema1_payload(case));
        }
        assert!(plainly_not_schema1_signed(cases[0]));
        assert!(!plainly_not_schema1_signed(cases[2]));
        assert!(!plainly_not_schema1_signed(cases[3]));
        assert!(!plainly_not_schema1_signed(deep.as_bytes()));
        assert_eq!(
            manifest_digest(deep.as_bytes()),
            Err(ManifestError::TooDeep)
        );
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn sha256(bytes: &[u8]) -> Digest {
        Digest::parse(&format!("sha256:{}", hex(&Sha256::digest(bytes)))).unwrap()
    }

    fn b64url(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn plain_manifests_hash_their_bytes() {
        for m in [
            &br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#[..],
            b"not json at all",
            b"",
            br#"{"schemaVersion":1,"signatures":null}"#,
            br#"{"schemaVersion":"1","signatures":[]}"#,
            br#"{"schemaVersion":1.0,"signatures":[]}"#,
        ] {
            assert_eq!(manifest_digest(m), Ok(sha256(m)));
            assert_eq!(manifest_matches_digest(m, &sha256(m)), Ok(true));
        }
        let sha512 = Digest::parse(&format!("sha512:{}", "a".repeat(128))).unwrap();
        assert_eq!(manifest_matches_digest(b"{}", &sha512), Ok(false));
    }

    #[test]
    fn schema1_signatures_are_stripped() {
        let body = r#"{"schemaVersion":1,"name":"x","tag":"1""#;
        let tail = b"\n}";
        let protected = format!(
            r#"{{"formatLength":{},"formatTail":"{}","time":"t"}}"#,
            body.len(),
            b64url(tail)
        );
        let manifest = format!(
            "{body},\"SIGNATURES\":[{{\"header\":{{\"alg\":\"ES256\",\"jwk\":{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY\",\"y\":\"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU\",\"kid\":\"LTJF:F6YM:5CJS:INX2:7DGN:CBAJ:QG4J:5ZFN:NOP6:TYVC:W7TR:VLFS\"}}}},\"signature\":\"x\",\"protected\":\"{}\"}}]}}",
            b64url(protected.as_bytes())
        );
        // `SIGNATURES` makes it signed for the guess, but the strip step needs the exact key.
        assert!(manifest_digest(manifest.as_bytes()).is_err());
        let manifest = manifest.replace("SIGNATURES", "signatures");
        let mut payload = body.as_bytes().to_vec();
        payload.extend_from_slice(tail);
        assert_eq!(manifest_digest(manifest.as_bytes()), Ok(sha256(&payload)));
        // Conflicting lengths, a negative length and an empty list are refused.
        for bad in [
            manifest.replace(
                &b64url(protected.as_bytes()),
                &b64url(br#"{"formatLength":-5,"formatTail":""}"#),
            ),
            r#"{"schemaVersion":1,"signatures":[]}"#.into(),
            r#"{"schemaVersion":1,"signatures":[{"protected":"e30"}]}"#.into(),
            manifest.replace("\"kty\":\"EC\"", "\"kty\":\"oct\""),
        ] {
            assert!(manifest_digest(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn float_lengths() {
        assert_eq!(go_int_from_float("12"), Some(12));
        assert_eq!(go_int_from_float("12.9"), Some(12));
        assert_eq!(go_int_from_float("-0.5"), Some(0));
        assert_eq!(go_int_from_float("1e3"), Some(1000));
        assert_eq!(go_int_from_float("-1"), None);
        assert_eq!(go_int_from_float("1e300"), None);
    }
}
