//! Keyrings as gpg imports them: every file, every block, the keys gpg would keep, and what
//! can be decided about each key before a signature is seen.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::key::{KeyPacket, Material};
use super::packet::{Packets, tag};
use super::sig::{self, Sig, kind};
use super::{PgpError, armor, upper_hex};

/// A trusted primary key, with what can be decided about it before any signature is seen.
#[derive(Clone, Debug)]
pub(super) struct Trusted {
    pub(super) primary: KeyPacket,
    /// The fingerprint as gpg prints it (upper-case hex), for messages.
    pub(super) fingerprint_hex: String,
    pub(super) revoked: bool,
    /// When the key expires (seconds since the epoch), from its newest valid self-signature.
    pub(super) expires: Option<i64>,
    /// Whether the key's flags allow signing (true when no flags are given).
    pub(super) can_sign: bool,
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

    /// The trusted primary key that made `signature`.
    pub(super) fn signer(&self, signature: &Sig) -> Result<&Trusted, PgpError> {
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
