//! OpenPGP simple signing (`signedBy` with `keyType: GPGKeys`), decided as containers/image
//! 5.34 decides with its default gpgme mechanism. rpgp parses packets and does the
//! cryptography; the rules around it are gpgme's:
//!
//! * trusted identities are the primary-key fingerprints of the keys gpg would import (a key
//!   needs a valid self-signed user ID); a file that holds no key is skipped;
//! * a message carries exactly one signature, over one literal data packet (binary, possibly
//!   compressed, possibly armoured), or is a cleartext-signed message;
//! * the signing key must be trusted *as a primary key*: gpgme reports a signing subkey's own
//!   fingerprint, which containers/image then does not accept;
//! * revoked or expired keys, expired signatures, signatures older than their key, and keys
//!   whose flags forbid signing are refused.
//!
//! Sizes are bounded: the message, every decompressed layer, the packet count and the nesting.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use std::io::{BufReader, Read};

use pgp::composed::{CleartextSignedMessage, Deserializable, SignedPublicKey};
use pgp::packet::{Packet, PacketParser, PacketTrait as _, PublicKey, Signature, SignatureType};
use pgp::types::{Fingerprint, KeyDetails, KeyId, Tag};

/// The largest OpenPGP message vouch reads.
pub(crate) const MAX_MESSAGE: usize = 4 * 1024 * 1024;
/// The largest signed content (after decompression).
pub(crate) const MAX_CONTENT: usize = 4 * 1024 * 1024;
const MAX_PACKETS: usize = 64;
const MAX_NESTING: usize = 4;

/// A trusted primary key, with what can be decided about it before any signature is seen.
#[derive(Clone, Debug)]
struct Trusted {
    primary: PublicKey,
    /// Computed once: matching a signature to its key compares these.
    key_id: KeyId,
    fingerprint: Fingerprint,
    /// The fingerprint as gpg prints it (upper-case hex), for messages.
    fingerprint_hex: String,
    revoked: bool,
    /// When the key expires (seconds since the epoch), from its newest valid self-signature.
    expires: Option<i64>,
    /// Whether the key's flags allow signing (true when no flags are given).
    can_sign: bool,
}

/// The keys of a `signedBy` requirement, imported once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keyring {
    keys: Vec<Trusted>,
    /// Subkeys of trusted keys, to explain why their signatures are refused.
    subkeys: Vec<(KeyId, Fingerprint)>,
}

/// Why an OpenPGP signature is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PgpError {
    /// Not a message gpg would verify (the text says why).
    Malformed(String),
    /// Not exactly one signature.
    SignatureCount(usize),
    /// Signed by a key that is not in the keyring (its key ID).
    UnknownKey(String),
    /// Signed by a subkey of a trusted key (its fingerprint): gpgme reports the subkey, which
    /// is not a trusted identity.
    Subkey(String),
    /// The signature does not verify.
    Bad(String),
    /// The key is revoked.
    KeyRevoked(String),
    /// The key expired (or its flags forbid signing).
    KeyUnusable(String),
    /// The signature expired, or predates its key.
    SignatureExpired,
    /// The key or the signature expires, and the caller gave no time.
    NeedTime,
}

impl core::fmt::Display for PgpError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "not a verifiable OpenPGP message: {what}"),
            Self::SignatureCount(n) => {
                write!(f, "the message has {n} signatures; exactly one is required")
            }
            Self::UnknownKey(id) => write!(f, "signed by key {id}, which is not trusted"),
            Self::Subkey(fpr) => write!(
                f,
                "signed by subkey {fpr} of a trusted key; containers/image (gpgme) accepts only the primary key's signatures"
            ),
            Self::Bad(why) => write!(f, "the OpenPGP signature does not verify: {why}"),
            Self::KeyRevoked(fpr) => write!(f, "key {fpr} is revoked"),
            Self::KeyUnusable(why) => f.write_str(why),
            Self::SignatureExpired => f.write_str("the signature has expired or predates its key"),
            Self::NeedTime => f.write_str("the key or signature expires, but no time was given"),
        }
    }
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Imports every key in `blobs` (binary or armoured keyrings) as gpg would.
pub(crate) fn keyring(blobs: &[&[u8]]) -> Keyring {
    let mut out = Keyring::default();
    for blob in blobs {
        for key in parse_keys(blob) {
            import(&mut out, key);
        }
    }
    out
}

fn parse_keys(blob: &[u8]) -> Vec<SignedPublicKey> {
    let trimmed = blob.trim_ascii_start();
    let keys: Vec<SignedPublicKey> = if trimmed.starts_with(b"-----BEGIN PGP") {
        match SignedPublicKey::from_armor_many(trimmed) {
            Ok((keys, _)) => keys.filter_map(Result::ok).collect(),
            Err(_) => Vec::new(),
        }
    } else {
        match SignedPublicKey::from_bytes_many(blob) {
            Ok(keys) => keys.filter_map(Result::ok).collect(),
            Err(_) => Vec::new(),
        }
    };
    keys
}

fn import(out: &mut Keyring, key: SignedPublicKey) {
    let primary = &key.primary_key;
    let created = i64::from(primary.created_at().as_secs());
    // The valid self-certifications of user IDs, and direct-key signatures.
    let mut self_sigs: Vec<&Signature> = Vec::new();
    for user in &key.details.users {
        for sig in &user.signatures {
            if sig
                .verify_certification(primary, Tag::UserId, &user.id)
                .is_ok()
            {
                self_sigs.push(sig);
            }
        }
    }
    // gpg does not import a key without a valid self-signed user ID.
    if self_sigs.is_empty() {
        return;
    }
    for sig in &key.details.direct_signatures {
        if sig.verify_key(primary).is_ok() {
            self_sigs.push(sig);
        }
    }
    let newest = self_sigs
        .iter()
        .max_by_key(|s| s.created().map(|t| t.as_secs()).unwrap_or(0));
    let expires = newest
        .and_then(|s| s.key_expiration_time())
        .filter(|d| d.as_secs() > 0)
        .map(|d| created + d.as_secs() as i64)
        .or_else(|| {
            primary
                .legacy_v3_expiration_days()
                .filter(|&days| days > 0)
                .map(|days| created + i64::from(days) * 86_400)
        });
    let can_sign = newest.is_none_or(|s| {
        let flags = s.key_flags();
        // No key-flags subpacket: usable for everything.
        flags == pgp::packet::KeyFlags::default() || flags.sign()
    });
    let revoked = key
        .details
        .revocation_signatures
        .iter()
        .any(|sig| sig.verify_key(primary).is_ok());
    let fingerprint = primary.fingerprint();
    for subkey in &key.public_subkeys {
        out.subkeys
            .push((subkey.key.legacy_key_id(), subkey.key.fingerprint()));
    }
    out.keys.push(Trusted {
        primary: primary.clone(),
        key_id: primary.legacy_key_id(),
        fingerprint_hex: upper_hex(fingerprint.as_bytes()),
        fingerprint,
        revoked,
        expires,
        can_sign,
    });
}

impl Keyring {
    /// How many keys were imported.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Verifies `blob` and returns the signed content and the signing key's fingerprint.
    pub(crate) fn verify(
        &self,
        blob: &[u8],
        now: Option<i64>,
    ) -> Result<(Vec<u8>, String), PgpError> {
        if blob.len() > MAX_MESSAGE {
            return Err(PgpError::Malformed(format!(
                "{} bytes is more than {MAX_MESSAGE}",
                blob.len()
            )));
        }
        let message = read_message(blob)?;
        let [signature] = message.signatures.as_slice() else {
            return Err(PgpError::SignatureCount(message.signatures.len()));
        };
        if !matches!(
            signature.typ(),
            Some(SignatureType::Binary | SignatureType::Text)
        ) {
            return Err(PgpError::Malformed(format!(
                "signature of type {:?}, not over a document",
                signature.typ()
            )));
        }
        let trusted = self.signer(signature)?;
        let primary = &trusted.primary;
        signature
            .verify(primary, &message.content[..])
            .map_err(|e| PgpError::Bad(format!("{e}")))?;
        let created = signature.created().map(|t| i64::from(t.as_secs()));
        if created.is_some_and(|c| c < i64::from(primary.created_at().as_secs())) {
            return Err(PgpError::SignatureExpired);
        }
        if trusted.revoked {
            return Err(PgpError::KeyRevoked(trusted.fingerprint_hex.clone()));
        }
        if !trusted.can_sign {
            return Err(PgpError::KeyUnusable(format!(
                "key {} is not allowed to sign",
                trusted.fingerprint_hex
            )));
        }
        let signature_expires = signature
            .signature_expiration_time()
            .filter(|d| d.as_secs() > 0)
            .and_then(|d| created.map(|c| c + d.as_secs() as i64));
        // gpg refuses a key created after the current time (a clock problem).
        if now.is_some_and(|now| i64::from(primary.created_at().as_secs()) > now) {
            return Err(PgpError::KeyUnusable(format!(
                "key {} was created in the future",
                trusted.fingerprint_hex
            )));
        }
        if trusted.expires.is_some() || signature_expires.is_some() {
            let now = now.ok_or(PgpError::NeedTime)?;
            if trusted.expires.is_some_and(|at| at <= now) {
                return Err(PgpError::KeyUnusable(format!(
                    "key {} has expired",
                    trusted.fingerprint_hex
                )));
            }
            if signature_expires.is_some_and(|at| at <= now) {
                return Err(PgpError::SignatureExpired);
            }
        }
        Ok((message.content, trusted.fingerprint_hex.clone()))
    }

    /// The trusted primary key that made `signature`.
    fn signer(&self, signature: &Signature) -> Result<&Trusted, PgpError> {
        let fingerprints = signature.issuer_fingerprint();
        let ids = signature.issuer_key_id();
        let issued = |key_id: &KeyId, fingerprint: &Fingerprint| {
            ids.contains(&key_id) || fingerprints.contains(&fingerprint)
        };
        if let Some(trusted) = self.keys.iter().find(|t| issued(&t.key_id, &t.fingerprint)) {
            return Ok(trusted);
        }
        if let Some((_, fingerprint)) = self.subkeys.iter().find(|(id, f)| issued(id, f)) {
            return Err(PgpError::Subkey(upper_hex(fingerprint.as_bytes())));
        }
        let id = ids
            .first()
            .map(|id| upper_hex(id.as_ref()))
            .or_else(|| fingerprints.first().map(|f| upper_hex(f.as_bytes())))
            .unwrap_or_default();
        Err(PgpError::UnknownKey(id))
    }
}

/// A parsed message: its signed content and its signatures.
struct Message {
    content: Vec<u8>,
    signatures: Vec<Signature>,
}

fn read_message(blob: &[u8]) -> Result<Message, PgpError> {
    let malformed = |e: &dyn core::fmt::Display| PgpError::Malformed(format!("{e}"));
    let trimmed = blob.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----") {
        let text = core::str::from_utf8(trimmed).map_err(|e| malformed(&e))?;
        let (message, _) = CleartextSignedMessage::from_string(text).map_err(|e| malformed(&e))?;
        return Ok(Message {
            content: message.signed_text().into_bytes(),
            signatures: message.signatures().to_vec(),
        });
    }
    let binary;
    let bytes = if trimmed.starts_with(b"-----BEGIN PGP") {
        let mut reader = pgp::armor::Dearmor::new(BufReader::new(trimmed));
        let mut out = Vec::new();
        (&mut reader)
            .take(MAX_MESSAGE as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| malformed(&e))?;
        binary = out;
        &binary[..]
    } else {
        blob
    };
    let mut message = Message {
        content: Vec::new(),
        signatures: Vec::new(),
    };
    let mut literals = 0;
    let mut packets = 0;
    read_packets(bytes, 0, &mut message, &mut literals, &mut packets)?;
    if literals != 1 {
        return Err(PgpError::Malformed(format!(
            "{literals} literal data packets; exactly one is required"
        )));
    }
    Ok(message)
}

fn read_packets(
    bytes: &[u8],
    depth: usize,
    message: &mut Message,
    literals: &mut usize,
    packets: &mut usize,
) -> Result<(), PgpError> {
    if depth > MAX_NESTING {
        return Err(PgpError::Malformed(
            "compressed packets nested too deeply".into(),
        ));
    }
    for packet in PacketParser::new(bytes) {
        *packets += 1;
        if *packets > MAX_PACKETS {
            return Err(PgpError::Malformed(format!(
                "more than {MAX_PACKETS} packets"
            )));
        }
        let packet = packet.map_err(|e| PgpError::Malformed(format!("{e}")))?;
        match packet {
            Packet::Marker(_) | Packet::OnePassSignature(_) | Packet::Padding(_) => {}
            Packet::Signature(signature) => message.signatures.push(signature),
            Packet::LiteralData(literal) => {
                *literals += 1;
                message.content = literal.data().to_vec();
            }
            Packet::CompressedData(compressed) => {
                let mut inner = Vec::new();
                compressed
                    .decompress()
                    .map_err(|e| PgpError::Malformed(format!("{e}")))?
                    .take(MAX_CONTENT as u64 + 1)
                    .read_to_end(&mut inner)
                    .map_err(|e| PgpError::Malformed(format!("decompressing: {e}")))?;
                if inner.len() > MAX_CONTENT {
                    return Err(PgpError::Malformed(format!(
                        "decompresses to more than {MAX_CONTENT} bytes"
                    )));
                }
                read_packets(&inner, depth + 1, message, literals, packets)?;
            }
            other => {
                return Err(PgpError::Malformed(format!(
                    "unexpected {:?} packet",
                    other.tag()
                )));
            }
        }
    }
    Ok(())
}
