//! Signed checkpoints of transparency logs (signed notes), read and verified as sigstore-go 1.3
//! verifies them: Rekor v1's own reader (`util.SignedNote`, every signature line must be the
//! log's and verify) and, for Rekor v2, the C2SP signed-note reader of `golang.org/x/mod`
//! (`note.Open`: the log's line must verify, other lines are cosignatures and are ignored),
//! then the checkpoint body: origin, tree size, root hash.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::keys;
use crate::crypto::VerifyingKey;
use crate::crypto::keys::PublicKey;

/// Why a checkpoint does not vouch for a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckpointError {
    /// Not a signed note.
    MalformedNote,
    /// A signature line that does not read.
    Signature(&'static str),
    /// No signature line.
    NoSignatures,
    /// The note's body is not a checkpoint.
    Checkpoint(&'static str),
    /// A signature that the log's key does not verify.
    InvalidSignature,
    /// No line is the log's (Rekor v2).
    NoVerifiableSignature,
    /// The origin is not the log's (Rekor v2), or the log's URL names no host.
    Origin(String),
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedNote => f.write_str("malformed note"),
            Self::Signature(why) => write!(f, "parsing signature: {why}"),
            Self::NoSignatures => f.write_str("no signatures found in input"),
            Self::Checkpoint(why) => write!(f, "invalid checkpoint - {why}"),
            Self::InvalidSignature => f.write_str("signature on checkpoint did not verify"),
            Self::NoVerifiableSignature => f.write_str("note has no verifiable signatures"),
            Self::Origin(why) => write!(f, "checkpoint origin: {why}"),
        }
    }
}

impl core::error::Error for CheckpointError {}

/// A checkpoint's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Checkpoint {
    pub(crate) origin: String,
    pub(crate) size: u64,
    pub(crate) hash: Vec<u8>,
}

/// One signature line: the key's name, its 4-byte hash, the signature.
struct Line {
    name: String,
    hash: u32,
    signature: Vec<u8>,
}

/// `BE32(SHA-256(x)[0..4])`.
fn hash32(parts: &[&[u8]]) -> u32 {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// The key hash a Rekor v1 note names its log by (every key type): the first four bytes of
/// the SHA-256 of the key's DER.
pub(crate) fn v1_key_hash(key: &PublicKey) -> u32 {
    hash32(&[&key.to_pkix_der()])
}

/// Go's `strconv.ParseUint(s, 10, 64)`.
fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The note split at its last blank line: the text (with its final newline) and the
/// signature block (non-empty, ending with a newline).
fn split(note: &[u8]) -> Result<(&[u8], &[u8]), CheckpointError> {
    let at = note
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .ok_or(CheckpointError::MalformedNote)?;
    let (text, sigs) = (&note[..=at], &note[at + 2..]);
    if sigs.last() != Some(&b'\n') {
        return Err(CheckpointError::MalformedNote);
    }
    Ok((text, sigs))
}

/// Rekor v1: `SignedNote.UnmarshalText`, `Checkpoint.UnmarshalCheckpoint` and
/// `SignedNote.Verify` with the log's key: every line must carry the key's hash and verify.
pub(crate) fn verify_v1(
    note: &str,
    key: &PublicKey,
    verifying: &VerifyingKey,
) -> Result<Checkpoint, CheckpointError> {
    let (text, sigs) = split(note.as_bytes())?;
    let mut lines = Vec::new();
    // Lines as Go's bufio.Scanner gives them: a final `\r` dropped.
    for raw in sigs[..sigs.len() - 1].split(|&b| b == b'\n') {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line =
            core::str::from_utf8(raw).map_err(|_| CheckpointError::Signature("not UTF-8"))?;
        // `fmt.Fscanf(line, "\u{2014} %s %s\n", ...)`: the dash, then two tokens, nothing more.
        let rest = line
            .strip_prefix('\u{2014}')
            .ok_or(CheckpointError::Signature("input does not match format"))?;
        let tokens: Vec<&str> = rest.split_ascii_whitespace().collect();
        let [name, signature] = tokens[..] else {
            return Err(CheckpointError::Signature("unexpected tokens"));
        };
        let decoded = crate::go::base64_std(signature)
            .map_err(|_| CheckpointError::Signature("decoding signature"))?;
        if decoded.len() < 5 {
            return Err(CheckpointError::Signature("signature is too small"));
        }
        lines.push(Line {
            name: name.into(),
            hash: u32::from_be_bytes([decoded[0], decoded[1], decoded[2], decoded[3]]),
            signature: decoded[4..].to_vec(),
        });
    }
    if lines.is_empty() {
        return Err(CheckpointError::NoSignatures);
    }
    let checkpoint = v1_body(text)?;
    let want = v1_key_hash(key);
    let hash = keys::log_hash(key);
    for line in &lines {
        let _ = &line.name;
        // The note is signed over its text: ECDSA through a digest of the log's hash, which
        // must be SHA-256 (sigstore's verifier refuses a digest of another length).
        let ok = line.hash == want
            && (!matches!(key, PublicKey::P256(_) | PublicKey::P384(_))
                || hash == crate::crypto::Hash::Sha256)
            && keys::verify_message(
                key,
                verifying,
                crate::crypto::Hash::Sha256,
                text,
                &line.signature,
            );
        if !ok {
            return Err(CheckpointError::InvalidSignature);
        }
    }
    Ok(checkpoint)
}

/// Rekor v1's `UnmarshalCheckpoint`: at least four lines, a non-empty origin, the size, the
/// root hash (standard base64); other lines ignored.
fn v1_body(text: &[u8]) -> Result<Checkpoint, CheckpointError> {
    let parts: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    if parts.len() < 4 {
        return Err(CheckpointError::Checkpoint("too few newlines"));
    }
    body(parts[0], parts[1], parts[2])
}

fn body(origin: &[u8], size: &[u8], hash: &[u8]) -> Result<Checkpoint, CheckpointError> {
    if origin.is_empty() {
        return Err(CheckpointError::Checkpoint("empty origin"));
    }
    let size = core::str::from_utf8(size)
        .ok()
        .and_then(parse_uint)
        .ok_or(CheckpointError::Checkpoint("size invalid"))?;
    let hash = core::str::from_utf8(hash)
        .ok()
        .and_then(|h| crate::go::base64_std(h).ok())
        .ok_or(CheckpointError::Checkpoint("invalid hash"))?;
    Ok(Checkpoint {
        origin: String::from_utf8_lossy(origin).into_owned(),
        size,
        hash,
    })
}

/// A C2SP key name: non-empty, no white space, no `+`.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(char::is_whitespace) && !name.contains('+')
}

/// The key hash a C2SP note names a log's key by, with the log's `origin` as its name.
pub(crate) fn v2_key_hash(origin: &str, key: &PublicKey) -> Option<u32> {
    match key {
        PublicKey::P256(_) | PublicKey::P384(_) => Some(hash32(&[&key.to_pkix_der()])),
        PublicKey::Ed25519(raw) => Some(hash32(&[origin.as_bytes(), b"\n\x01", raw])),
        PublicKey::Rsa { .. } => Some(hash32(&[
            origin.as_bytes(),
            b"\n\xff",
            b"PKIX-RSA-PKCS#1v1.5",
            &key.to_pkix_der(),
        ])),
    }
}

/// Rekor v2: `note.Open` with the log's verifier (named `origin`), then the checkpoint's body,
/// whose origin must be `origin`.
pub(crate) fn verify_v2(
    note: &str,
    origin: &str,
    key: &PublicKey,
    verifying: &VerifyingKey,
) -> Result<Checkpoint, CheckpointError> {
    if !valid_name(origin) {
        return Err(CheckpointError::Origin(alloc::format!(
            "invalid name {origin}"
        )));
    }
    let key_hash = v2_key_hash(origin, key).ok_or(CheckpointError::NoVerifiableSignature)?;
    let bytes = note.as_bytes();
    if note.chars().any(|c| c < ' ' && c != '\n') {
        return Err(CheckpointError::MalformedNote);
    }
    let (text, sigs) = split(bytes)?;
    let mut verified = false;
    let mut count = 0;
    for line in sigs[..sigs.len() - 1].split(|&b| b == b'\n') {
        let line = core::str::from_utf8(line).map_err(|_| CheckpointError::MalformedNote)?;
        let rest = line
            .strip_prefix("\u{2014} ")
            .ok_or(CheckpointError::MalformedNote)?;
        let (name, b64) = rest.split_once(' ').unwrap_or((rest, ""));
        let decoded = crate::go::base64_std(b64).ok();
        let Some(decoded) = decoded.filter(|d| valid_name(name) && !b64.is_empty() && d.len() >= 5)
        else {
            return Err(CheckpointError::MalformedNote);
        };
        count += 1;
        if count > 100 {
            return Err(CheckpointError::MalformedNote);
        }
        let hash = u32::from_be_bytes([decoded[0], decoded[1], decoded[2], decoded[3]]);
        if name != origin || hash != key_hash {
            // A cosignature: not verified, ignored.
            continue;
        }
        if verified {
            continue;
        }
        if !keys::verify_message(key, verifying, keys::log_hash(key), text, &decoded[4..]) {
            return Err(CheckpointError::InvalidSignature);
        }
        verified = true;
    }
    if !verified {
        return Err(CheckpointError::NoVerifiableSignature);
    }
    // transparency-dev's `Checkpoint.Unmarshal`: `SplitN(text, "\n", 4)`.
    let mut parts = text.splitn(4, |&b| b == b'\n');
    let (Some(o), Some(s), Some(h), Some(_)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CheckpointError::Checkpoint("too few newlines"));
    };
    let checkpoint = body(o, s, h)?;
    if checkpoint.origin != origin {
        return Err(CheckpointError::Origin(alloc::format!(
            "got Origin {:?} but expected {origin:?}",
            checkpoint.origin
        )));
    }
    Ok(checkpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_split_at_their_last_blank_line() {
        assert_eq!(
            split("a\n1\nh\n\n\u{2014} n s\n".as_bytes()).map(|(t, _)| t.len()),
            Ok(6)
        );
        assert_eq!(split(b"a\n1\nh\n\n"), Err(CheckpointError::MalformedNote));
        assert_eq!(split(b"a\n1\nh\n"), Err(CheckpointError::MalformedNote));
        assert_eq!(
            split("a\n\n\u{2014} n s".as_bytes()),
            Err(CheckpointError::MalformedNote)
        );
    }

    #[test]
    fn checkpoint_bodies() {
        let c = v1_body(b"rekor - 1\n12\nAAAA\n").expect("body");
        assert_eq!(
            (c.origin.as_str(), c.size, c.hash.len()),
            ("rekor - 1", 12, 3)
        );
        assert!(v1_body(b"rekor\n12\n").is_err());
        assert!(v1_body(b"rekor\n+12\nAAAA\n").is_err());
        assert!(v1_body(b"\n12\nAAAA\n").is_err());
        assert!(v1_body(b"rekor\n012\nAAAA\n").is_ok());
    }

    #[test]
    fn names() {
        assert!(valid_name("log2025-1.rekor.sigstore.dev"));
        assert!(!valid_name("a b"));
        assert!(!valid_name("a+b"));
        assert!(!valid_name(""));
    }
}
