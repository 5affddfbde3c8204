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
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::packet::{Packet, PacketParser, PacketTrait as _, PublicKey, Signature, SignatureType};
use pgp::types::{
    Fingerprint, KeyDetails, KeyId, KeyVersion, PublicParams, SignatureBytes, Tag, Timestamp,
    VerifyingKey,
};
use rsa::traits::PublicKeyParts as _;

use super::rsa_pkcs1::{self, RsaVerifier};

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
    /// For an RSA key, vouch's own public operation (see [`Fast`]).
    rsa: Option<RsaVerifier>,
}

/// The keys of a `signedBy` requirement, imported once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keyring {
    keys: Vec<Trusted>,
    /// Subkeys of trusted keys, to explain why their signatures are refused.
    subkeys: Vec<(KeyId, Fingerprint)>,
}

/// A signature whose cryptography and key have been checked; the time is still to check.
#[derive(Clone, Debug)]
pub(crate) struct Verified {
    /// The signed content.
    pub(crate) content: Vec<u8>,
    /// When the signature holds.
    pub(crate) validity: Validity,
}

/// The times that bound a verified signature: the rest of gpgme's checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Validity {
    /// The signing key's fingerprint as gpg prints it.
    pub(crate) fingerprint_hex: String,
    key_created: i64,
    key_expires: Option<i64>,
    signature_expires: Option<i64>,
}

impl Validity {
    /// gpgme's time checks, in its order: a key created after `now` (a clock problem), then,
    /// when the key or the signature expires, the key's expiry and the signature's.
    pub(crate) fn check(&self, now: Option<i64>) -> Result<(), PgpError> {
        if now.is_some_and(|now| self.key_created > now) {
            return Err(PgpError::KeyUnusable(format!(
                "key {} was created in the future",
                self.fingerprint_hex
            )));
        }
        if self.key_expires.is_some() || self.signature_expires.is_some() {
            let now = now.ok_or(PgpError::NeedTime)?;
            if self.key_expires.is_some_and(|at| at <= now) {
                return Err(PgpError::KeyUnusable(format!(
                    "key {} has expired",
                    self.fingerprint_hex
                )));
            }
            if self.signature_expires.is_some_and(|at| at <= now) {
                return Err(PgpError::SignatureExpired);
            }
        }
        Ok(())
    }
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

/// The keys of one file. gpg imports every armoured block of a file (keyrings are often
/// several `gpg --export --armor` outputs put together), or the packets of a binary file.
fn parse_keys(blob: &[u8]) -> Vec<SignedPublicKey> {
    const BEGIN: &[u8] = b"-----BEGIN PGP";
    if !blob.trim_ascii_start().starts_with(BEGIN) {
        return match SignedPublicKey::from_bytes_many(blob) {
            Ok(keys) => keys.filter_map(Result::ok).collect(),
            Err(_) => Vec::new(),
        };
    }
    let starts: Vec<usize> = (0..blob.len())
        .filter(|&at| blob[at..].starts_with(BEGIN) && (at == 0 || blob[at - 1] == b'\n'))
        .collect();
    let mut keys = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(blob.len());
        if let Ok((block, _)) = SignedPublicKey::from_armor_many(&blob[start..end]) {
            keys.extend(block.filter_map(Result::ok));
        }
    }
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
        rsa: match primary.public_params() {
            PublicParams::RSA(params) => {
                RsaVerifier::new(&params.key.n().to_bytes_be(), &params.key.e().to_bytes_be())
            }
            _ => None,
        },
    });
}

impl Keyring {
    /// How many keys were imported.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Everything about `blob` that does not depend on the time: the message, its one
    /// signature, the signer, the cryptography and the key's standing. What is left to check
    /// against the time is in [`Verified::validity`]; the checks run in gpgme's order, so
    /// `verify_untimed` then [`Validity::check`] decides exactly as one pass would.
    pub(crate) fn verify_untimed(&self, blob: &[u8]) -> Result<Verified, PgpError> {
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
        let key = Fast {
            key: primary,
            rsa: trusted.rsa.as_ref(),
        };
        if let (Some(hashed_with), Some(hash)) = (&message.hashed_with, signature.hash_alg())
            && !hashed_with.contains(&u8::from(hash))
        {
            // gpg never computed this digest over the data, so the signature cannot verify.
            return Err(PgpError::Bad(format!(
                "the signature is over a {hash:?} digest, which the message did not announce before its data"
            )));
        }
        verify_as_gpg(signature, &key, &message.content)?;
        let key_created = i64::from(primary.created_at().as_secs());
        let created = signature.created().map(|t| i64::from(t.as_secs()));
        if created.is_some_and(|c| c < key_created) {
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
        Ok(Verified {
            content: message.content,
            validity: Validity {
                fingerprint_hex: trusted.fingerprint_hex.clone(),
                key_created,
                key_expires: trusted.expires,
                signature_expires,
            },
        })
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

/// The longest description of a malformed message kept in a reason.
const MAX_DESCRIPTION: usize = 200;

/// A malformed message, described in one short line. Some rpgp messages embed `Debug` dumps
/// of inner errors, with backtraces when `RUST_BACKTRACE` is set: only the text before them
/// is kept, so the reason is stable and says nothing about the host.
fn malformed(what: &dyn core::fmt::Display) -> PgpError {
    let text = format!("{what}");
    let end = [" {", " Some(", "backtrace"]
        .iter()
        .filter_map(|marker| text.find(marker))
        .min()
        .unwrap_or(text.len())
        .min(MAX_DESCRIPTION);
    let end = (0..=end)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    PgpError::Malformed(String::from(text[..end].trim_end()))
}

/// An rpgp parse error as a malformed message; "invalid packet content" is described by
/// its cause.
fn rpgp_error(e: &pgp::errors::Error) -> PgpError {
    match e {
        pgp::errors::Error::InvalidPacketContent { source } => match rpgp_error(source) {
            PgpError::Malformed(cause) => malformed(&format!("invalid packet content: {cause}")),
            other => other,
        },
        other => malformed(other),
    }
}

/// Verifies `signature` over `content` as gpg does. rpgp also refuses a signature whose
/// "left 16 bits of the digest" field does not match the digest; gpg ignores that field (it
/// is a quick check, not part of what is signed), so when only that differs the signature is
/// verified again with the field set from the digest, and the cryptography decides.
fn verify_as_gpg(signature: &Signature, key: &Fast<'_>, content: &[u8]) -> Result<(), PgpError> {
    let Err(first) = signature.verify(key, content) else {
        return Ok(());
    };
    let bad = |e: &pgp::errors::Error| PgpError::Bad(format!("{e}"));
    let (Some(config), Some(bytes), Some(stored)) = (
        signature.config(),
        signature.signature(),
        signature.signed_hash_value(),
    ) else {
        return Err(bad(&first));
    };
    if config.version() == pgp::packet::SignatureVersion::V6 {
        return Err(bad(&first));
    }
    let Some(prefix) = digest_prefix(signature, content) else {
        return Err(bad(&first));
    };
    if prefix == stored {
        return Err(bad(&first));
    }
    Signature::from_config(config.clone(), prefix, bytes.clone())
        .and_then(|patched| patched.verify(key, content))
        .map_err(|e| bad(&e))
}

/// The first two bytes of the digest `signature` is over, computed as rpgp computes it.
fn digest_prefix(signature: &Signature, content: &[u8]) -> Option<[u8; 2]> {
    let config = signature.config()?;
    let mut hasher = config.hash_alg.new_hasher().ok()?;
    if signature.typ() == Some(SignatureType::Text) {
        let normalized =
            pgp::normalize_lines::NormalizedReader::new(content, pgp::line_writer::LineBreak::Crlf);
        config.hash_data_to_sign(&mut hasher, normalized).ok()?;
    } else {
        config.hash_data_to_sign(&mut hasher, content).ok()?;
    }
    let len = config.hash_signature_data(&mut hasher).ok()?;
    hasher.update(&config.trailer(len).ok()?);
    let digest = hasher.finalize();
    Some([*digest.first()?, *digest.get(1)?])
}

/// A trusted key as rpgp verifies with it, except that RSA signatures over SHA-2 digests are
/// checked with vouch's own public operation ([`rsa_pkcs1`]): the `rsa` crate takes about
/// 430 µs for a 4,096-bit key, vouch's Montgomery code a fraction of that. rpgp still does
/// everything else (hashing, the hash-prefix and hash-strength checks, issuer matching);
/// other hashes and other algorithms go to rpgp unchanged.
#[derive(Debug)]
struct Fast<'a> {
    key: &'a PublicKey,
    rsa: Option<&'a RsaVerifier>,
}

impl KeyDetails for Fast<'_> {
    fn version(&self) -> KeyVersion {
        self.key.version()
    }
    fn legacy_key_id(&self) -> KeyId {
        self.key.legacy_key_id()
    }
    fn fingerprint(&self) -> Fingerprint {
        self.key.fingerprint()
    }
    fn algorithm(&self) -> PublicKeyAlgorithm {
        self.key.algorithm()
    }
    fn created_at(&self) -> Timestamp {
        self.key.created_at()
    }
    fn legacy_v3_expiration_days(&self) -> Option<u16> {
        self.key.legacy_v3_expiration_days()
    }
    fn public_params(&self) -> &PublicParams {
        self.key.public_params()
    }
}

impl VerifyingKey for Fast<'_> {
    fn verify(
        &self,
        hash: HashAlgorithm,
        hashed: &[u8],
        signature: &SignatureBytes,
    ) -> pgp::errors::Result<()> {
        let fast_hash = match hash {
            HashAlgorithm::Sha224 => Some(rsa_pkcs1::Hash::Sha224),
            HashAlgorithm::Sha256 => Some(rsa_pkcs1::Hash::Sha256),
            HashAlgorithm::Sha384 => Some(rsa_pkcs1::Hash::Sha384),
            HashAlgorithm::Sha512 => Some(rsa_pkcs1::Hash::Sha512),
            _ => None,
        };
        if let (Some(rsa), Some(fast_hash), SignatureBytes::Mpis(mpis)) =
            (self.rsa, fast_hash, signature)
        {
            // An MPI has no leading zeros; the signature is padded back to the modulus length
            // (as rpgp does), and a longer one is refused.
            let verified = match mpis.as_slice() {
                [mpi] if mpi.as_ref().len() == rsa.size() => {
                    rsa.verify(fast_hash, hashed, mpi.as_ref())
                }
                [mpi] if mpi.as_ref().len() < rsa.size() => {
                    let mut padded = alloc::vec![0u8; rsa.size() - mpi.as_ref().len()];
                    padded.extend_from_slice(mpi.as_ref());
                    rsa.verify(fast_hash, hashed, &padded)
                }
                _ => false,
            };
            return if verified {
                Ok(())
            } else {
                Err(pgp::errors::Error::InvalidInput { backtrace: None })
            };
        }
        self.key.verify(hash, hashed, signature)
    }
}

/// A parsed message: its signed content and its signatures.
struct Message {
    content: Vec<u8>,
    signatures: Vec<Signature>,
    /// The hash algorithms gpg computes over the literal data: those announced before it, in
    /// its own packet sequence, by one-pass signature packets (or by signature packets, in
    /// PGP 2's signature-first form); without any, gpg's historical defaults. `None` for a
    /// cleartext message, whose `Hash:` header rpgp already holds the signature to.
    hashed_with: Option<Vec<u8>>,
}

/// What gpg hashes the literal data with when nothing before it names an algorithm:
/// MD5, SHA-1 and RIPEMD-160.
const GPG_DEFAULT_HASHES: [u8; 3] = [1, 2, 3];

fn read_message(blob: &[u8]) -> Result<Message, PgpError> {
    let trimmed = blob.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----") {
        // gpg stops at the end of the signature's armour and ignores what follows, unless
        // it is another armoured block (which vouch refuses outright).
        const END: &[u8] = b"-----END PGP SIGNATURE-----";
        let trimmed = match trimmed.windows(END.len()).position(|w| w == END) {
            Some(at) => {
                // The rest of the footer line is ignored as well.
                let (message, rest) = trimmed.split_at(at + END.len());
                if rest.windows(14).any(|w| w == b"-----BEGIN PGP") {
                    return Err(malformed(&"more than one armoured block"));
                }
                message
            }
            None => trimmed,
        };
        let text = core::str::from_utf8(trimmed)
            .map_err(|e| malformed(&format!("armor is not UTF-8 text: {e}")))?;
        // The signature's armour is the last block (a dash-escaped line of the signed text
        // may look like its first line, hence the last match).
        if let Some(at) = text.rfind("\n-----BEGIN PGP SIGNATURE-----") {
            dearmor(&text.as_bytes()[at + 1..])?;
        }
        let (message, _) = CleartextSignedMessage::from_string(text).map_err(|e| rpgp_error(&e))?;
        return Ok(Message {
            content: message.signed_text().into_bytes(),
            signatures: message.signatures().to_vec(),
            hashed_with: None,
        });
    }
    let binary;
    let bytes = if trimmed.starts_with(b"-----BEGIN PGP") {
        binary = dearmor(trimmed)?;
        &binary[..]
    } else {
        blob
    };
    let mut message = Message {
        content: Vec::new(),
        signatures: Vec::new(),
        hashed_with: None,
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

/// The data of the armoured block at the start of `armour`, as rpgp decodes it, held to the
/// block's checksum line (`=` and four base64 characters after the data) as gpg holds it:
/// gpg refuses a CRC-24 that does not match, rpgp reads past it. A block without a checksum
/// line passes, as in gpg; what follows the footer is not read.
fn dearmor(armour: &[u8]) -> Result<Vec<u8>, PgpError> {
    let mut data = Vec::new();
    pgp::armor::Dearmor::new(BufReader::new(armour))
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| malformed(&e))?;
    let text = armour
        .windows(9)
        .position(|w| w == b"-----END ")
        .map_or(armour, |at| &armour[..at]);
    let text = core::str::from_utf8(text)
        .map_err(|e| malformed(&format!("armor is not UTF-8 text: {e}")))?;
    // After the BEGIN line and the header lines up to the blank line, the data lines run to
    // the checksum line, if there is one.
    let checksum = text
        .lines()
        .map(|line| line.trim_end_matches([' ', '\t', '\r']))
        .skip(1)
        .skip_while(|line| !line.is_empty())
        .find_map(|line| line.strip_prefix('='));
    let Some(checksum) = checksum else {
        return Ok(data);
    };
    let expected = match crate::go::base64_std(checksum).as_deref() {
        Ok(&[a, b, c]) => u32::from_be_bytes([0, a, b, c]),
        _ => return Err(malformed(&"armor checksum line is not a CRC-24")),
    };
    if crc24(&data) != expected {
        return Err(malformed(&"armor checksum does not match the data"));
    }
    Ok(data)
}

/// The CRC-24 of OpenPGP armour (RFC 4880, section 6.1).
fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
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
    // This sequence's one-pass signature and signature packets: gpg hashes the literal data
    // with the algorithms announced before it here, and refuses a sequence whose one-pass
    // packets and signatures do not pair up.
    let mut announced: Vec<u8> = Vec::new();
    let (mut one_pass, mut signatures) = (0usize, 0usize);
    for packet in PacketParser::new(bytes) {
        *packets += 1;
        if *packets > MAX_PACKETS {
            return Err(PgpError::Malformed(format!(
                "more than {MAX_PACKETS} packets"
            )));
        }
        let packet = packet.map_err(|e| {
            // gpg reads a last packet whose length field overshoots the data up to the end;
            // vouch refuses the broken framing (docs/decisions.md, "Differences").
            if format!("{e}").contains("shorter than expected") {
                PgpError::Malformed(String::from(
                    "a packet holds fewer bytes than its length field says",
                ))
            } else {
                rpgp_error(&e)
            }
        })?;
        match packet {
            Packet::Marker(_) | Packet::Padding(_) => {}
            Packet::OnePassSignature(ops) => {
                // gpg knows only version 3 and stops reading at any other.
                if ops.version() != 3 {
                    return Err(PgpError::Malformed(format!(
                        "one-pass signature packet of version {}",
                        ops.version()
                    )));
                }
                one_pass += 1;
                match u8::from(ops.hash_algorithm()) {
                    0 => {}
                    id => announced.push(id),
                }
            }
            Packet::Signature(signature) => {
                signatures += 1;
                if let Some(hash) = signature.hash_alg() {
                    announced.push(u8::from(hash));
                }
                message.signatures.push(signature);
            }
            Packet::LiteralData(literal) => {
                *literals += 1;
                message.content = literal.data().to_vec();
                message.hashed_with = Some(if announced.is_empty() {
                    GPG_DEFAULT_HASHES.to_vec()
                } else {
                    announced.clone()
                });
            }
            Packet::CompressedData(compressed) => {
                let mut inner = Vec::new();
                compressed
                    .decompress()
                    .map_err(|e| rpgp_error(&e))?
                    .take(MAX_CONTENT as u64 + 1)
                    .read_to_end(&mut inner)
                    .map_err(|e| malformed(&format!("decompressing: {e}")))?;
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
    // (A sequence without signatures, such as a compressed packet's whose signature follows
    // it, is not held to this: gpg reads that form.)
    if signatures > 0 && one_pass > 0 && one_pass != signatures {
        return Err(PgpError::Malformed(format!(
            "{one_pass} one-pass signature packets for {signatures} signatures"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armour_checksums_are_held_to_the_data() {
        assert_eq!(crc24(b""), 0x00b7_04ce);
        assert_eq!(crc24(b"123456789"), 0x0021_cf02);
        // "YQ==" is "a"; its CRC-24 is 0xf25713, "8lcT" in base64.
        let armour = |lines: &str| {
            format!("-----BEGIN PGP MESSAGE-----\n{lines}\n-----END PGP MESSAGE-----\n")
        };
        assert_eq!(
            dearmor(armour("\nYQ==\n=8lcT").as_bytes()),
            Ok(b"a".to_vec())
        );
        assert!(dearmor(armour("\nYQ==\n=8lcU").as_bytes()).is_err());
        assert!(dearmor(armour("\nYQ==\n=8lc").as_bytes()).is_err());
        let without = armour("Comment: =x\n\nYQ==");
        assert_eq!(dearmor(without.as_bytes()), Ok(b"a".to_vec()));
    }

    #[test]
    fn descriptions_drop_debug_dumps_and_stay_short() {
        let dump =
            "Invalid Packet Content Message { message: \"x\", backtrace: Some(Backtrace [..]) }";
        assert_eq!(
            malformed(&dump),
            PgpError::Malformed("Invalid Packet Content Message".into())
        );
        let PgpError::Malformed(long) = malformed(&"é".repeat(300)) else {
            unreachable!()
        };
        assert!(long.len() <= MAX_DESCRIPTION && long.starts_with('é'));
    }

    #[test]
    fn a_corrupt_signature_packet_is_described_by_its_cause() {
        // A v4 signature packet whose hashed area (6 bytes) holds a subpacket that claims 22:
        // rpgp reports "invalid packet content" with a Debug dump of the cause inside.
        let body = [
            4, 0x00, 22, 8, 0, 6, 22, 2, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0, 8, 0xff,
        ];
        let mut blob = alloc::vec![0x88, body.len() as u8];
        blob.extend_from_slice(&body);
        let error = Keyring::default().verify_untimed(&blob).unwrap_err();
        let PgpError::Malformed(text) = error else {
            panic!("{error:?}")
        };
        assert!(text.starts_with("invalid packet content: "), "{text}");
        assert!(!text.contains("backtrace") && !text.contains('{'), "{text}");
    }
}
