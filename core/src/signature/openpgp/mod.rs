//! OpenPGP simple signing (`signedBy` with `keyType: GPGKeys`), decided as containers/image
//! 5.34 decides with its default gpgme mechanism (gpg 2.2). vouch reads the packets itself
//! (`packet`, `sig`, `key`, `armor`) and verifies with the same RustCrypto code as sigstore
//! signatures and its own RSA operation; the rules around it are gpgme's:
//!
//! * trusted identities are the primary-key fingerprints of the keys gpg would import (a key
//!   needs a valid self-signed user ID); a file that holds no key is skipped;
//! * a message carries exactly one signature, over one literal data packet (binary, possibly
//!   compressed, possibly armoured), or is a cleartext-signed message;
//! * the signing key must be trusted *as a primary key*: gpgme reports a signing subkey's own
//!   fingerprint, which containers/image then does not accept;
//! * revoked or expired keys, expired signatures, signatures older than their key, and keys
//!   whose flags forbid signing are refused;
//! * only version 4 keys and version 3 and 4 signatures are read, with SHA-1, RIPEMD-160 or
//!   SHA-2, by RSA (1,024–8,192 bits), ECDSA on P-256 or P-384, or EdDSA on Ed25519; other keys
//!   are not imported and other signatures are refused (docs/decisions.md lists them).
//!
//! Sizes are bounded: the message, every decompressed layer, the packet count and the nesting.

mod armor;
mod key;
mod packet;
mod sig;

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use key::{KeyPacket, Material};
use packet::{Packets, tag};
use sig::{Sig, hash_name, kind};

/// The largest OpenPGP message vouch reads.
pub(crate) const MAX_MESSAGE: usize = 4 * 1024 * 1024;
/// The largest signed content (after decompression).
pub(crate) const MAX_CONTENT: usize = 4 * 1024 * 1024;
const MAX_PACKETS: usize = 64;
const MAX_NESTING: usize = 4;

/// A trusted primary key, with what can be decided about it before any signature is seen.
#[derive(Clone, Debug)]
struct Trusted {
    primary: KeyPacket,
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
    subkeys: Vec<([u8; 8], [u8; 20])>,
    /// Keys that were not imported because vouch cannot verify with them, to say so.
    unusable: Vec<([u8; 8], [u8; 20], String)>,
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
        for packets in key_files(blob) {
            import(&mut out, &packets);
        }
    }
    out
}

/// The packets of one file. gpg imports every armoured block of a file (keyrings are often
/// several `gpg --export --armor` outputs put together), or the packets of a binary file.
fn key_files(blob: &[u8]) -> Vec<Cow<'_, [u8]>> {
    const BEGIN: &[u8] = b"-----BEGIN PGP";
    if !blob.trim_ascii_start().starts_with(BEGIN) {
        return alloc::vec![Cow::Borrowed(blob)];
    }
    let starts: Vec<usize> = (0..blob.len())
        .filter(|&at| blob[at..].starts_with(BEGIN) && (at == 0 || blob[at - 1] == b'\n'))
        .collect();
    starts
        .iter()
        .filter_map(|&start| armor::dearmor(&blob[start..]).ok())
        .map(|block| Cow::Owned(block.data))
        .collect()
}

/// A key being read: its primary key and what follows it up to the next one.
struct Pending {
    primary: KeyPacket,
    /// Direct-key signatures and key revocations (after the primary key, before any user ID).
    direct: Vec<Sig>,
    /// User IDs and their certifications.
    users: Vec<(Vec<u8>, Vec<Sig>)>,
    subkeys: Vec<KeyPacket>,
    /// Where the next signature belongs.
    section: Section,
}

/// The packet a signature in a key follows, which says what it signs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// The primary key: direct-key signatures and revocations.
    Primary,
    /// The last user ID: its certifications.
    UserId,
    /// A subkey or user attribute: not used.
    Other,
}

/// Imports the keys of one packet sequence. A key whose packets cannot all be read is not
/// imported, and reading stops there; a secret key is skipped.
fn import(out: &mut Keyring, bytes: &[u8]) {
    let mut pending: Option<Pending> = None;
    for packet in Packets::new(bytes) {
        let Ok(packet) = packet else {
            return;
        };
        match packet.tag {
            tag::PUBLIC_KEY => {
                if let Some(done) = pending.take() {
                    finish(out, done);
                }
                pending = KeyPacket::parse(&packet.body).ok().map(|primary| Pending {
                    primary,
                    direct: Vec::new(),
                    users: Vec::new(),
                    subkeys: Vec::new(),
                    section: Section::Primary,
                });
            }
            tag::SECRET_KEY => {
                if let Some(done) = pending.take() {
                    finish(out, done);
                }
            }
            _ => {
                let Some(key) = pending.as_mut() else {
                    continue;
                };
                match packet.tag {
                    tag::USER_ID => {
                        key.users.push((packet.body.into_owned(), Vec::new()));
                        key.section = Section::UserId;
                    }
                    tag::PUBLIC_SUBKEY => {
                        if let Ok(subkey) = KeyPacket::parse(&packet.body) {
                            key.subkeys.push(subkey);
                        }
                        key.section = Section::Other;
                    }
                    tag::USER_ATTRIBUTE | tag::SECRET_SUBKEY => key.section = Section::Other,
                    tag::SIGNATURE => {
                        let Ok(sig) = Sig::parse(&packet.body) else {
                            continue;
                        };
                        match key.section {
                            Section::Primary => key.direct.push(sig),
                            Section::UserId if sig::is_certification(sig.kind) => {
                                if let Some((_, sigs)) = key.users.last_mut() {
                                    sigs.push(sig);
                                }
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(done) = pending {
        finish(out, done);
    }
}

/// Whether the primary key made `sig` over `digest`.
fn self_signed(primary: &KeyPacket, sig: &Sig, digest: Option<Vec<u8>>) -> bool {
    primary.may_have_issued(sig) && digest.is_some_and(|d| primary.verify(sig, &d).is_ok())
}

fn finish(out: &mut Keyring, key: Pending) {
    let primary = key.primary;
    let fingerprint_hex = upper_hex(&primary.fingerprint);
    if let Material::Unsupported(why) = &primary.material {
        out.unusable
            .push((primary.key_id(), primary.fingerprint, why.clone()));
        return;
    }
    // The valid self-certifications of user IDs, and direct-key signatures.
    let mut self_sigs: Vec<&Sig> = Vec::new();
    for (user_id, sigs) in &key.users {
        for sig in sigs {
            if self_signed(&primary, sig, sig.user_id_digest(&primary.body, user_id)) {
                self_sigs.push(sig);
            }
        }
    }
    // gpg does not import a key without a valid self-signed user ID.
    if self_sigs.is_empty() {
        return;
    }
    let on_key = |sig: &Sig| self_signed(&primary, sig, sig.key_digest(&primary.body));
    self_sigs.extend(
        key.direct
            .iter()
            .filter(|sig| sig.kind == kind::DIRECT_KEY && on_key(sig)),
    );
    let revoked = key
        .direct
        .iter()
        .any(|sig| sig.kind == kind::KEY_REVOCATION && on_key(sig));
    let newest = self_sigs.iter().max_by_key(|s| s.created.unwrap_or(0));
    let created = i64::from(primary.created);
    let expires = newest
        .and_then(|s| s.key_expires_after)
        .filter(|&after| after > 0)
        .map(|after| created + i64::from(after));
    // No key-flags subpacket, or an empty one: usable for everything.
    let can_sign = newest
        .and_then(|s| s.key_flags)
        .is_none_or(|flags| flags == 0 || flags & 0x02 != 0);
    for subkey in &key.subkeys {
        out.subkeys.push((subkey.key_id(), subkey.fingerprint));
    }
    out.keys.push(Trusted {
        primary,
        fingerprint_hex,
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
        if !matches!(signature.kind, kind::BINARY | kind::TEXT) {
            return Err(PgpError::Malformed(format!(
                "signature of type {:#04x}, not over a document",
                signature.kind
            )));
        }
        let trusted = self.signer(signature)?;
        let primary = &trusted.primary;
        if !message.hashed_with.contains(&signature.hash) {
            // gpg never computed this digest over the data, so the signature cannot verify.
            return Err(PgpError::Bad(format!(
                "the signature is over a {} digest, which the message did not announce before its data",
                hash_name(signature.hash)
            )));
        }
        let digest = signature.document_digest(&message.content).ok_or_else(|| {
            PgpError::Bad(format!(
                "{} signatures are not accepted",
                hash_name(signature.hash)
            ))
        })?;
        primary.verify(signature, &digest).map_err(PgpError::Bad)?;
        let key_created = i64::from(primary.created);
        // gpg takes a signature without a creation time as made at 0, before its key.
        let created = i64::from(signature.created.unwrap_or(0));
        if created < key_created {
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
            .expires_after
            .filter(|&after| after > 0)
            .map(|after| created + i64::from(after));
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
    fn signer(&self, signature: &Sig) -> Result<&Trusted, PgpError> {
        let issued = |key_id: &[u8; 8], fingerprint: &[u8; 20]| {
            signature.issuer_ids.contains(key_id)
                || signature.issuer_fingerprints.contains(fingerprint)
        };
        if let Some(trusted) = self
            .keys
            .iter()
            .find(|t| issued(&t.primary.key_id(), &t.primary.fingerprint))
        {
            return Ok(trusted);
        }
        if let Some((_, fingerprint)) = self.subkeys.iter().find(|(id, f)| issued(id, f)) {
            return Err(PgpError::Subkey(upper_hex(fingerprint)));
        }
        if let Some((_, fingerprint, why)) = self.unusable.iter().find(|(id, f, _)| issued(id, f)) {
            return Err(PgpError::KeyUnusable(format!(
                "key {} was not imported: {why}",
                upper_hex(fingerprint)
            )));
        }
        let id = signature
            .issuer_ids
            .first()
            .map(|id| upper_hex(id))
            .or_else(|| signature.issuer_fingerprints.first().map(|f| upper_hex(f)))
            .unwrap_or_default();
        Err(PgpError::UnknownKey(id))
    }
}

/// A parsed message: its signed content and its signatures.
struct Message {
    content: Vec<u8>,
    signatures: Vec<Sig>,
    /// The hash algorithms gpg computes over the signed data: for a packet sequence, those
    /// announced before the literal data in its own sequence by one-pass signature packets
    /// (or by signature packets, in PGP 2's signature-first form), and without any, gpg's
    /// historical defaults; for a cleartext message, its `Hash:` headers, or MD5 without one.
    hashed_with: Vec<u8>,
}

/// What gpg hashes the literal data with when nothing before it names an algorithm:
/// MD5, SHA-1 and RIPEMD-160.
const GPG_DEFAULT_HASHES: [u8; 3] = [1, 2, 3];

fn read_message(blob: &[u8]) -> Result<Message, PgpError> {
    let trimmed = blob.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----") {
        let cleartext = armor::cleartext(trimmed)?;
        let mut signatures = Vec::new();
        for packet in Packets::new(&cleartext.signature) {
            let packet = packet?;
            if packet.tag != tag::SIGNATURE {
                return Err(packet::invalid(&format!(
                    "a packet of tag {} in a signature block",
                    packet.tag
                )));
            }
            signatures.push(Sig::parse(&packet.body)?);
        }
        // gpg stops at the end of the signature's armour and ignores what follows, unless
        // it is another armoured block (which vouch refuses outright).
        let after = &trimmed[cleartext.consumed..];
        if after.windows(14).any(|w| w == b"-----BEGIN PGP") {
            return Err(PgpError::Malformed(String::from(
                "armor: more than one armoured block",
            )));
        }
        return Ok(Message {
            content: cleartext.text,
            signatures,
            hashed_with: if cleartext.hashes.is_empty() {
                alloc::vec![1]
            } else {
                cleartext.hashes
            },
        });
    }
    let binary;
    let bytes = if trimmed.starts_with(b"-----BEGIN PGP") {
        binary = armor::dearmor(trimmed)?.data;
        &binary[..]
    } else {
        blob
    };
    let mut message = Message {
        content: Vec::new(),
        signatures: Vec::new(),
        hashed_with: Vec::new(),
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
    // This sequence's one-pass signature and signature packets: gpg hashes the literal data
    // with the algorithms announced before it here, and refuses a sequence whose one-pass
    // packets and signatures do not pair up.
    let mut announced: Vec<u8> = Vec::new();
    let (mut one_pass, mut signatures) = (0usize, 0usize);
    for packet in Packets::new(bytes) {
        *packets += 1;
        if *packets > MAX_PACKETS {
            return Err(PgpError::Malformed(format!(
                "more than {MAX_PACKETS} packets"
            )));
        }
        let packet = packet?;
        match packet.tag {
            tag::MARKER | tag::PADDING => {}
            tag::ONE_PASS_SIGNATURE => {
                let (version, hash) = packet::one_pass(&packet.body)?;
                // gpg knows only version 3 and stops reading at any other.
                if version != 3 {
                    return Err(PgpError::Malformed(format!(
                        "one-pass signature packet of version {version}"
                    )));
                }
                one_pass += 1;
                if hash != 0 {
                    announced.push(hash);
                }
            }
            tag::SIGNATURE => {
                let signature = Sig::parse(&packet.body)?;
                signatures += 1;
                announced.push(signature.hash);
                message.signatures.push(signature);
            }
            tag::LITERAL => {
                *literals += 1;
                message.content = packet::literal_content(&packet.body)?.to_vec();
                message.hashed_with = if announced.is_empty() {
                    GPG_DEFAULT_HASHES.to_vec()
                } else {
                    announced.clone()
                };
            }
            tag::COMPRESSED => {
                let inner = packet::decompress(&packet.body, MAX_CONTENT)?;
                read_packets(&inner, depth + 1, message, literals, packets)?;
            }
            other => {
                return Err(PgpError::Malformed(format!(
                    "unexpected packet of tag {other}"
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
    //! Keys and messages built here, signed with Ed25519, exercise the rules end to end
    //! without gpg; the differential suites (conformance/tests/gpg_*) hold them to gpg.
    use ed25519_dalek::{Signer as _, SigningKey};
    use sha2::Digest as _;

    use super::*;

    const CREATED: u32 = 1_600_000_000;

    fn mpi(bytes: &[u8]) -> Vec<u8> {
        let bytes = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
        let bits = bytes.first().map_or(0, |b| {
            (bytes.len() - 1) * 8 + (8 - b.leading_zeros() as usize)
        });
        let mut out = (bits as u16).to_be_bytes().to_vec();
        out.extend_from_slice(bytes);
        out
    }

    fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = alloc::vec![0xc0 | tag, 255];
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    struct Signer {
        secret: SigningKey,
        body: Vec<u8>,
    }

    impl Signer {
        fn new(seed: u8) -> Self {
            let secret = SigningKey::from_bytes(&[seed; 32]);
            let mut body = alloc::vec![4];
            body.extend_from_slice(&CREATED.to_be_bytes());
            body.push(22);
            body.push(9);
            body.extend_from_slice(&[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
            let mut point = alloc::vec![0x40];
            point.extend_from_slice(secret.verifying_key().as_bytes());
            body.extend_from_slice(&mpi(&point));
            Self { secret, body }
        }

        fn fingerprint(&self) -> [u8; 20] {
            KeyPacket::parse(&self.body).unwrap().fingerprint
        }

        /// A v4 signature of `kind` over `signed` (what precedes the hashed tail), with
        /// extra hashed subpackets.
        fn sign(&self, kind: u8, signed: &[u8], extra: &[u8]) -> Vec<u8> {
            let fingerprint = self.fingerprint();
            let mut hashed = alloc::vec![5, 2];
            hashed.extend_from_slice(&(CREATED + 10).to_be_bytes());
            hashed.extend_from_slice(&[22, 33, 4]);
            hashed.extend_from_slice(&fingerprint);
            hashed.extend_from_slice(extra);
            let mut body = alloc::vec![4, kind, 22, 8];
            body.extend_from_slice(&(hashed.len() as u16).to_be_bytes());
            body.extend_from_slice(&hashed);
            let mut tail = body.clone();
            tail.extend_from_slice(&[4, 0xff]);
            tail.extend_from_slice(&(body.len() as u32).to_be_bytes());
            let digest = sha2::Sha256::new()
                .chain_update(signed)
                .chain_update(&tail)
                .finalize();
            let signature = self.secret.sign(&digest).to_bytes();
            body.extend_from_slice(&[0, 10, 9, 16]);
            body.extend_from_slice(&fingerprint[12..]);
            body.extend_from_slice(&digest[..2]);
            body.extend_from_slice(&mpi(&signature[..32]));
            body.extend_from_slice(&mpi(&signature[32..]));
            packet(2, &body)
        }

        fn key_hashed(&self) -> Vec<u8> {
            let mut out = sig::key_header(&self.body).to_vec();
            out.extend_from_slice(&self.body);
            out
        }

        /// The public key with a user ID certified by `certifier` (normally itself).
        fn export(&self, certifier: &Signer, extra: &[u8]) -> Vec<u8> {
            let user_id = b"vouch test <test@example.com>";
            let mut signed = self.key_hashed();
            signed.push(0xb4);
            signed.extend_from_slice(&(user_id.len() as u32).to_be_bytes());
            signed.extend_from_slice(user_id);
            let mut out = packet(6, &self.body);
            out.extend_from_slice(&packet(13, user_id));
            out.extend_from_slice(&certifier.sign(0x13, &signed, extra));
            out
        }

        fn message(&self, content: &[u8]) -> Vec<u8> {
            let mut ops = alloc::vec![3, 0, 8, 22];
            ops.extend_from_slice(&self.fingerprint()[12..]);
            ops.push(1);
            let mut literal = alloc::vec![b'b', 0, 0, 0, 0, 0];
            literal.extend_from_slice(content);
            let mut out = packet(4, &ops);
            out.extend_from_slice(&packet(11, &literal));
            out.extend_from_slice(&self.sign(0, content, &[]));
            out
        }
    }

    #[test]
    fn a_self_certified_key_verifies_its_messages() {
        let key = Signer::new(1);
        let keyring = keyring(&[&key.export(&key, &[])]);
        assert_eq!(keyring.len(), 1);
        let verified = keyring.verify_untimed(&key.message(b"payload")).unwrap();
        assert_eq!(verified.content, b"payload");
        assert_eq!(
            verified.validity.fingerprint_hex,
            upper_hex(&key.fingerprint())
        );
        assert_eq!(
            verified.validity.check(Some(i64::from(CREATED) + 100)),
            Ok(())
        );
        // The same message, compressed (zlib), verifies too.
        let mut compressed = alloc::vec![2];
        compressed.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(
            &key.message(b"payload"),
            6,
        ));
        let verified = keyring.verify_untimed(&packet(8, &compressed)).unwrap();
        assert_eq!(verified.content, b"payload");
    }

    #[test]
    fn forged_content_and_foreign_keys_are_refused() {
        let key = Signer::new(1);
        let other = Signer::new(2);
        let keyring = keyring(&[&key.export(&key, &[])]);
        let mut forged = key.message(b"payload");
        let at = forged.windows(7).position(|w| w == b"payload").unwrap();
        forged[at] = b'P';
        assert!(matches!(
            keyring.verify_untimed(&forged),
            Err(PgpError::Bad(_))
        ));
        assert!(matches!(
            keyring.verify_untimed(&other.message(b"payload")),
            Err(PgpError::UnknownKey(_))
        ));
        // A user ID certified by another key does not make the key importable.
        assert_eq!(super::keyring(&[&key.export(&other, &[])]).len(), 0);
        // Two signatures are refused whatever they are.
        let mut two = key.message(b"payload");
        two.extend_from_slice(&key.sign(0, b"payload", &[]));
        assert!(keyring.verify_untimed(&two).is_err());
    }

    #[test]
    fn revocation_expiry_and_flags_come_from_valid_self_signatures() {
        let key = Signer::new(1);
        // Expires 100 seconds after its creation; may only certify.
        let mut extra = alloc::vec![5, 9];
        extra.extend_from_slice(&100u32.to_be_bytes());
        let keyring = keyring(&[&key.export(&key, &extra)]);
        let verified = keyring.verify_untimed(&key.message(b"x")).unwrap();
        let now = i64::from(CREATED);
        assert_eq!(verified.validity.check(Some(now + 50)), Ok(()));
        assert!(verified.validity.check(Some(now + 100)).is_err());
        assert_eq!(verified.validity.check(None), Err(PgpError::NeedTime));
        let certify_only = super::keyring(&[&key.export(&key, &[2, 27, 0x01])]);
        assert!(matches!(
            certify_only.verify_untimed(&key.message(b"x")),
            Err(PgpError::KeyUnusable(_))
        ));
        // A key revocation by the key itself.
        let mut revoked = packet(6, &key.body);
        revoked.extend_from_slice(&key.sign(0x20, &key.key_hashed(), &[]));
        revoked.extend_from_slice(&key.export(&key, &[])[packet(6, &key.body).len()..]);
        assert!(matches!(
            super::keyring(&[&revoked]).verify_untimed(&key.message(b"x")),
            Err(PgpError::KeyRevoked(_))
        ));
    }

    fn b64(data: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                out.push(if i <= chunk.len() {
                    char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63])
                } else {
                    '='
                });
            }
        }
        out
    }

    #[test]
    fn armoured_keyrings_and_messages() {
        let key = Signer::new(3);
        let armour = |kind: &str, data: &[u8]| {
            let crc = armor::crc24(data).to_be_bytes();
            let text = b64(data);
            let crc = b64(&crc[1..]);
            format!("-----BEGIN PGP {kind}-----\n\n{text}\n={crc}\n-----END PGP {kind}-----\n")
        };
        let exported = armour("PUBLIC KEY BLOCK", &key.export(&key, &[]));
        // Two blocks in one file (the first a key that does not import).
        let other = Signer::new(4);
        let file = format!(
            "{}{exported}",
            armour("PUBLIC KEY BLOCK", &other.export(&key, &[]))
        );
        let keyring = keyring(&[file.as_bytes()]);
        assert_eq!(keyring.len(), 1);
        let message = armour("MESSAGE", &key.message(b"{}"));
        assert_eq!(
            keyring.verify_untimed(message.as_bytes()).unwrap().content,
            b"{}"
        );
    }
}
