//! Keyrings as gpg 2.2 imports them into the empty keyring containers/image makes for every
//! `signedBy` check: file by file in `keyPaths` order, each file one packet stream (every
//! armoured block of a file is read as one stream, as gpg's armour filter reads it), and
//! within a stream keyblock by keyblock, merged per primary key:
//!
//! * a keyblock is a primary key and the packets after it up to the next primary key; key
//!   revocations (0x20) and direct-key signatures (0x1F) count wherever they sit in it, and a
//!   user ID's self-signature counts for the user ID it verifies over;
//! * a self-signature counts when it verifies and is not older than its key;
//! * a new key is imported (and trusted) when one of its user IDs has a valid self-signature
//!   (a certification or a user-ID revocation); a keyblock of a key already imported merges
//!   whatever valid signatures it brings, user ID or not (a key followed by a `[key, 0x20]`
//!   block is revoked);
//! * a signature packet before any key in a stream is a revocation certificate: it revokes
//!   the imported key that issued it when it verifies over that key; one that names an
//!   imported key but does not verify ends the file (gpg stops reading it); one whose key is
//!   not (yet) imported is skipped, as are other lone packets;
//! * signatures already merged are not merged again, so that ties between self-signatures
//!   go to the one gpg keeps last.
//!
//! What the merged key's self-signatures mean (revoked; expiry and key flags, chosen at the
//! time of the decision) is [`Standing`]. Import is bounded: [`MAX_KEYS`] keys,
//! [`MAX_PACKETS_PER_FILE`] packets per file, [`MAX_SIGNATURE_CHECKS`] signature checks per
//! keyblock; what lies beyond a bound is not imported (fail closed).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::key::{KeyPacket, Material};
use super::packet::{Packets, tag};
use super::sig::{self, Sig, kind};
use super::{PgpError, armor, upper_hex};
use crate::signature::key_problem::{KeyProblem, UnsupportedKey, Untrusted};

/// The most keys one requirement's keyring holds.
pub(crate) const MAX_KEYS: usize = 256;
/// The most packets read from one key file.
pub(crate) const MAX_PACKETS_PER_FILE: usize = 16_384;
/// The most self-signature checks one keyblock may cost.
pub(crate) const MAX_SIGNATURE_CHECKS: usize = 512;

/// The most revocations by other keys kept per key (for designated revokers).
const MAX_FOREIGN_REVOCATIONS: usize = 16;

/// User-ID revocations.
const UID_REVOCATION: u8 = 0x30;

/// A trusted primary key, with what can be decided about it before any signature is seen.
#[derive(Clone, Debug)]
pub(super) struct Trusted {
    pub(super) primary: KeyPacket,
    /// The fingerprint as gpg prints it (upper-case hex), for messages.
    pub(super) fingerprint_hex: String,
    /// Whether a valid key revocation by the key itself was imported.
    pub(super) revoked: bool,
    /// The self-signatures that decide expiry and usage at the time of a decision.
    pub(super) standing: Standing,
}

/// A subkey of a trusted key, with what gpg checks before it reports a signature by it.
#[derive(Clone, Debug)]
pub(super) struct TrustedSubkey {
    pub(super) key: KeyPacket,
    /// Its primary key: an index into [`Keyring::keys`].
    of: usize,
    /// Its valid bindings (none: bound by a revocation alone, which gpg reports as a bad key).
    bindings: Vec<SelfSig>,
    pub(super) revoked: bool,
}

impl TrustedSubkey {
    /// Whether a valid binding ties it to its key.
    pub(super) fn bound(&self) -> bool {
        !self.bindings.is_empty()
    }

    /// Its expiry and usage, from its newest binding.
    pub(super) fn usage(&self) -> Usage {
        let newest = newest(self.bindings.iter());
        let after = newest.map_or(0, |s| s.key_expires_after);
        let flags = newest.map_or(0, |s| s.flags);
        Usage {
            expires: if after == 0 {
                NEVER
            } else {
                i64::from(self.key.created) + i64::from(after)
            },
            can_sign: flags == 0 || flags & 0x02 != 0,
        }
    }
}

/// The key that made a signature.
pub(super) enum Signer<'k> {
    /// A trusted primary key.
    Primary(&'k Trusted),
    /// A subkey of a trusted key.
    Subkey(&'k Trusted, &'k TrustedSubkey),
}

/// The keys of a `signedBy` requirement, imported once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keyring {
    keys: Vec<Trusted>,
    /// Subkeys of trusted keys: gpg verifies their signatures, and containers/image then
    /// refuses them, since gpgme reports the subkey's fingerprint.
    subkeys: Vec<TrustedSubkey>,
    /// Keys that were not imported because vouch cannot verify with them, to say so.
    unusable: Vec<([u8; 8], [u8; 20], UnsupportedKey)>,
}

/// One valid self-signature, as much of it as decides the key's standing. Absent subpackets
/// are plain values (0, `i64::MAX`), so that choosing among signatures reads no enum payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SelfSig {
    created: i64,
    /// When the signature itself expires (`i64::MAX`: never).
    expires: i64,
    /// The key-expiration subpacket: seconds after the key's creation (0: absent or never,
    /// which gpg treats alike).
    key_expires_after: u32,
    /// The key-flags subpacket's first byte with bit 8 set (an empty one reads as 0x100), or
    /// 0 when there is none.
    flags: u16,
    /// A user-ID revocation rather than a certification.
    revocation: bool,
}

const FLAGS_PRESENT: u16 = 0x100;

impl SelfSig {
    fn of(sig: &Sig) -> Self {
        let created = i64::from(sig.created.unwrap_or(0));
        Self {
            created,
            expires: match sig.expires_after {
                Some(after) if after > 0 => created + i64::from(after),
                _ => i64::MAX,
            },
            key_expires_after: sig.key_expires_after.unwrap_or(0),
            flags: sig.key_flags.map_or(0, |f| FLAGS_PRESENT | u16::from(f)),
            revocation: sig.kind == UID_REVOCATION,
        }
    }

    /// Whether the signature has expired at `now` (`None` when that depends on an unknown
    /// time).
    fn expired(&self, now: Option<i64>) -> Option<bool> {
        if self.expires == i64::MAX {
            return Some(false);
        }
        now.map(|now| self.expires <= now)
    }
}

/// The newest of `sigs` (ties go to the later one).
fn newest<'s>(sigs: impl Iterator<Item = &'s SelfSig>) -> Option<&'s SelfSig> {
    sigs.fold(None, |best: Option<&SelfSig>, sig| match best {
        Some(best) if sig.created < best.created => Some(best),
        _ => Some(sig),
    })
}

/// A key's self-signatures, from which gpg derives its expiry and usage when it uses the key:
/// the newest unexpired direct-key signature speaks first; for what it does not say, each
/// user ID's newest self-signature (ties go to the later one) counts unless it is a revocation
/// or has expired, and the user ID certified last with key flags (or with an expiry) decides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Standing {
    key_created: i64,
    direct: Vec<SelfSig>,
    users: Vec<Vec<SelfSig>>,
}

/// A time that never comes: a key or signature that does not expire.
pub(super) const NEVER: i64 = i64::MAX;

/// A key's expiry and whether it may sign, at one time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Usage {
    /// When the key expires ([`NEVER`]: it does not).
    pub(super) expires: i64,
    pub(super) can_sign: bool,
}

impl Standing {
    /// Expiry and usage at `now`. `Err(NeedTime)` when a self-signature that could decide
    /// them expires and no time is given.
    pub(super) fn at(&self, now: Option<i64>) -> Result<Usage, PgpError> {
        // One pass over the signatures and no allocation: this runs on every decision.
        let mut direct: Option<&SelfSig> = None;
        for sig in &self.direct {
            if !sig.expired(now).ok_or(PgpError::NeedTime)?
                && direct.is_none_or(|d| sig.created >= d.created)
            {
                direct = Some(sig);
            }
        }
        // Flags and a non-zero expiry from the direct-key signature speak first; otherwise the
        // user ID certified last that carries the value (ties: the earlier), among the user IDs
        // whose newest self-signature is neither a revocation nor expired.
        let (mut flags, mut flags_date) = (direct.map_or(0, |d| d.flags), 0);
        let (mut expires_after, mut expiry_date) = (direct.map_or(0, |d| d.key_expires_after), 0);
        let (direct_flags, direct_expiry) = (flags != 0, expires_after != 0);
        for sigs in &self.users {
            let Some(sig) = newest(sigs.iter()) else {
                continue;
            };
            if sig.revocation || sig.expired(now).ok_or(PgpError::NeedTime)? {
                continue;
            }
            if !direct_flags && sig.flags != 0 && sig.created > flags_date {
                (flags, flags_date) = (sig.flags, sig.created);
            }
            if !direct_expiry && sig.key_expires_after != 0 && sig.created > expiry_date {
                (expires_after, expiry_date) = (sig.key_expires_after, sig.created);
            }
        }
        Ok(Usage {
            expires: if expires_after == 0 {
                NEVER
            } else {
                self.key_created + i64::from(expires_after)
            },
            // No key flags: the algorithm's usage, which signs for every key vouch imports.
            can_sign: flags == 0 || flags & 0x02 != 0,
        })
    }
}

/// A key while the files are read: every valid self-signature merged so far.
struct Merged {
    primary: KeyPacket,
    revocations: Vec<Sig>,
    /// Key revocations issued by other keys: they count when the issuer is a designated
    /// revoker (named by a valid direct-key signature) whose key is in the keyring at the end.
    foreign_revocations: Vec<Sig>,
    direct: Vec<Sig>,
    users: Vec<(Vec<u8>, Vec<Sig>)>,
    subkeys: Vec<MergedSubkey>,
}

/// A subkey and its valid bindings and revocations by the primary key. gpg keeps a subkey
/// that has either (Debian's gpg lets a revocation alone keep it).
struct MergedSubkey {
    key: KeyPacket,
    bindings: Vec<Sig>,
    revocations: Vec<Sig>,
}

/// The keyring being built.
#[derive(Default)]
struct Builder {
    keys: Vec<Merged>,
    unusable: Vec<([u8; 8], [u8; 20], UnsupportedKey)>,
}

/// Imports every key in `blobs` (binary or armoured key files, in `keyPaths` order) as gpg
/// would.
pub(crate) fn keyring(blobs: &[&[u8]]) -> Keyring {
    let mut builder = Builder::default();
    for blob in blobs {
        let (stream, complete) = file_stream(blob);
        builder.import_stream(&stream, complete);
    }
    builder.finish()
}

/// The packet stream of one file, as gpg reads it, and whether it ends cleanly. A file whose
/// first byte has its high bit set is binary packets; any other file is armour, and the data
/// of its `PUBLIC KEY BLOCK`, `PRIVATE KEY BLOCK` and `SECRET KEY BLOCK` blocks (other blocks
/// and the text around them are skipped) make one stream, block boundaries meaning nothing.
/// A block that does not decode (a bad checksum, say) is a read error there: the stream stops
/// and the keyblock being read is lost.
fn file_stream(blob: &[u8]) -> (Cow<'_, [u8]>, bool) {
    const BEGIN: &[u8] = b"-----BEGIN PGP ";
    const KEY_BLOCKS: [&str; 3] = ["PUBLIC KEY BLOCK", "PRIVATE KEY BLOCK", "SECRET KEY BLOCK"];
    if blob.first().is_some_and(|b| b & 0x80 != 0) {
        return (Cow::Borrowed(blob), true);
    }
    let mut stream = Vec::new();
    let starts = (0..blob.len())
        .filter(|&at| blob[at..].starts_with(BEGIN) && (at == 0 || blob[at - 1] == b'\n'));
    for start in starts {
        let header = &blob[start + BEGIN.len()..];
        if !KEY_BLOCKS.iter().any(|kind| {
            header.starts_with(kind.as_bytes()) && header[kind.len()..].starts_with(b"-----")
        }) {
            continue;
        }
        match armor::dearmor(&blob[start..]) {
            Ok(block) => stream.extend_from_slice(&block.data),
            Err(_) => return (Cow::Owned(stream), false),
        }
    }
    (Cow::Owned(stream), true)
}

/// The packet a signature in a keyblock follows, which says what it most likely signs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Primary,
    /// The user ID at this index of the keyblock.
    UserId(usize),
    /// The subkey at this index of the keyblock.
    Subkey(usize),
    /// A subkey or a user attribute.
    Other,
}

/// A keyblock as read: its primary key, and what follows.
struct Block {
    primary: KeyPacket,
    users: Vec<Vec<u8>>,
    sigs: Vec<(Section, Sig)>,
    subkeys: Vec<KeyPacket>,
    section: Section,
}

/// Whether the primary key made `sig` over `digest`, not before the key existed. gpg takes
/// a signature for a self-signature only by its issuer key ID subpacket (an issuer
/// fingerprint alone is not enough).
fn self_signed(primary: &KeyPacket, sig: &Sig, digest: Option<Vec<u8>>) -> bool {
    sig.issuer_ids.contains(&primary.key_id()) && signed_by(primary, sig, &digest)
}

/// Whether `signer` made `sig` over `digest`, not before the key it is about was made (for
/// self-signatures that key is `signer` itself).
fn signed_by(signer: &KeyPacket, sig: &Sig, digest: &Option<Vec<u8>>) -> bool {
    i64::from(sig.created.unwrap_or(0)) >= i64::from(signer.created)
        && digest
            .as_ref()
            .is_some_and(|d| signer.verify(sig, d).is_ok())
}

/// The components a signature is tried against: the one it follows first, then the others in
/// order. gpg's repair moves a misplaced self-signature to the component it verifies over.
fn repair_order(own: Option<usize>, count: usize) -> impl Iterator<Item = usize> {
    own.into_iter()
        .chain((0..count).filter(move |&i| Some(i) != own))
}

/// Appends `sig` unless the very same signature is there already.
fn merge_sig(into: &mut Vec<Sig>, sig: Sig) {
    if !into.iter().any(|have| have.same_as(&sig)) {
        into.push(sig);
    }
}

impl Builder {
    fn find(&self, fingerprint: &[u8; 20]) -> Option<usize> {
        self.keys
            .iter()
            .position(|k| &k.primary.fingerprint == fingerprint)
    }

    /// Imports the keyblocks of one file's stream; when the stream did not end cleanly
    /// (`complete` false), the keyblock still being read at its end is lost.
    fn import_stream(&mut self, bytes: &[u8], complete: bool) {
        let mut block: Option<Block> = None;
        for (count, packet) in Packets::new(bytes).enumerate() {
            // A packet that cannot be read ends the file; the keyblock it belongs to is lost.
            let Ok(packet) = packet else {
                return;
            };
            if count >= MAX_PACKETS_PER_FILE {
                return;
            }
            match packet.tag {
                // A secret key's block imports its public key, as gpg imports it.
                tag::PUBLIC_KEY | tag::SECRET_KEY => {
                    if let Some(done) = block.take() {
                        self.import_block(done);
                    }
                    let primary = if packet.tag == tag::PUBLIC_KEY {
                        KeyPacket::parse(&packet.body)
                    } else {
                        KeyPacket::parse_secret(&packet.body)
                    };
                    block = primary.ok().map(|primary| Block {
                        primary,
                        users: Vec::new(),
                        sigs: Vec::new(),
                        subkeys: Vec::new(),
                        section: Section::Primary,
                    });
                }
                tag::SIGNATURE if block.is_none() => {
                    if !self.lone_signature(&packet.body) {
                        return;
                    }
                }
                _ => {
                    let Some(key) = block.as_mut() else {
                        continue;
                    };
                    match packet.tag {
                        tag::USER_ID => {
                            key.users.push(packet.body.into_owned());
                            key.section = Section::UserId(key.users.len() - 1);
                        }
                        tag::PUBLIC_SUBKEY | tag::SECRET_SUBKEY => {
                            let subkey = if packet.tag == tag::PUBLIC_SUBKEY {
                                KeyPacket::parse(&packet.body)
                            } else {
                                KeyPacket::parse_secret(&packet.body)
                            };
                            key.section = match subkey {
                                Ok(subkey) => {
                                    key.subkeys.push(subkey);
                                    Section::Subkey(key.subkeys.len() - 1)
                                }
                                Err(_) => Section::Other,
                            };
                        }
                        tag::USER_ATTRIBUTE => key.section = Section::Other,
                        tag::SIGNATURE => {
                            // A signature with an unknown critical subpacket never checks
                            // out in gpg: it is as good as absent.
                            if let Ok(sig) = Sig::parse(&packet.body)
                                && !sig.unknown_critical
                            {
                                key.sigs.push((key.section, sig));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if let Some(done) = block.filter(|_| complete) {
            self.import_block(done);
        }
    }

    /// A signature packet before any key: a revocation certificate, applied to the imported
    /// key that issued it. `false` when gpg would stop reading the file.
    fn lone_signature(&mut self, body: &[u8]) -> bool {
        let Ok(sig) = Sig::parse(body) else {
            return true;
        };
        if sig.kind != kind::KEY_REVOCATION {
            return true;
        }
        // gpg looks the key up by the issuer key ID subpacket alone.
        let issuer = self
            .keys
            .iter()
            .position(|k| sig.issuer_ids.contains(&k.primary.key_id()));
        let Some(at) = issuer else {
            // "no public key - can't apply revocation certificate": skipped.
            return true;
        };
        let key = &mut self.keys[at];
        // An unknown critical subpacket fails the check as a bad signature does.
        if sig.unknown_critical
            || !self_signed(&key.primary, &sig, sig.key_digest(&key.primary.body))
        {
            return false;
        }
        merge_sig(&mut key.revocations, sig);
        true
    }

    fn import_block(&mut self, block: Block) {
        let Block {
            primary,
            users,
            sigs,
            subkeys,
            ..
        } = block;
        if let Material::Unsupported(why) = &primary.material {
            if self.unusable.len() < MAX_KEYS {
                self.unusable
                    .push((primary.key_id(), primary.fingerprint, why.clone()));
            }
            return;
        }
        let mut checks = 0usize;
        let mut check = |sig: &Sig, digest: Option<Vec<u8>>| {
            checks += 1;
            checks <= MAX_SIGNATURE_CHECKS && self_signed(&primary, sig, digest)
        };
        let mut revocations = Vec::new();
        let mut foreign_revocations = Vec::new();
        let mut direct = Vec::new();
        let mut certified: Vec<Vec<Sig>> = alloc::vec![Vec::new(); users.len()];
        let mut bound: Vec<(Vec<Sig>, Vec<Sig>)> =
            alloc::vec![(Vec::new(), Vec::new()); subkeys.len()];
        // Revocations by another key after the first user ID: gpg's repair moves one to the
        // primary key when the key that made it is already in the keyring and it verifies;
        // otherwise it is "at the wrong place" and dropped.
        let movable = |sig: &Sig| {
            self.keys
                .iter()
                .filter(|k| sig.issuer_ids.contains(&k.primary.key_id()))
                .any(|k| signed_by(&k.primary, sig, &sig.key_digest(&primary.body)))
        };
        for (section, sig) in sigs {
            match sig.kind {
                // A revocation by another key stays where it is (gpg's repair cannot move
                // it): it counts only before the first user ID.
                kind::KEY_REVOCATION
                    if !sig.issuer_ids.contains(&primary.key_id())
                        && foreign_revocations.len() < MAX_FOREIGN_REVOCATIONS
                        && (section == Section::Primary || movable(&sig)) =>
                {
                    merge_sig(&mut foreign_revocations, sig);
                }
                kind::KEY_REVOCATION if !sig.issuer_ids.contains(&primary.key_id()) => {}
                kind::KEY_REVOCATION | kind::DIRECT_KEY
                    if check(&sig, sig.key_digest(&primary.body)) =>
                {
                    if sig.kind == kind::KEY_REVOCATION {
                        merge_sig(&mut revocations, sig);
                    } else {
                        merge_sig(&mut direct, sig);
                    }
                }
                kind::SUBKEY_BINDING | kind::SUBKEY_REVOCATION
                    if sig.issuer_ids.contains(&primary.key_id()) =>
                {
                    let own = match section {
                        Section::Subkey(at) => Some(at),
                        _ => None,
                    };
                    for at in repair_order(own, subkeys.len()) {
                        if check(&sig, sig.subkey_digest(&primary.body, &subkeys[at].body)) {
                            let (bindings, revocations) = &mut bound[at];
                            if sig.kind == kind::SUBKEY_BINDING {
                                merge_sig(bindings, sig);
                            } else {
                                merge_sig(revocations, sig);
                            }
                            break;
                        }
                    }
                }
                k if sig::is_certification(k) || k == UID_REVOCATION => {
                    let own = match section {
                        Section::UserId(at) => Some(at),
                        _ => None,
                    };
                    let mut placed = false;
                    for at in repair_order(own, users.len()) {
                        if check(&sig, sig.user_id_digest(&primary.body, &users[at])) {
                            merge_sig(&mut certified[at], sig.clone());
                            placed = true;
                            break;
                        }
                    }
                    // A self-issued user-ID signature left before the first user ID makes
                    // gpg discard the whole keyblock, new key or update.
                    if !placed
                        && section == Section::Primary
                        && sig.issuer_ids.contains(&primary.key_id())
                    {
                        return;
                    }
                }
                _ => {}
            }
        }
        let subkeys: Vec<MergedSubkey> = subkeys
            .into_iter()
            .zip(bound)
            .filter(|(_, (bindings, revocations))| !bindings.is_empty() || !revocations.is_empty())
            .map(|(key, (bindings, revocations))| MergedSubkey {
                key,
                bindings,
                revocations,
            })
            .collect();
        let valid_users: Vec<(Vec<u8>, Vec<Sig>)> = users
            .into_iter()
            .zip(certified)
            .filter(|(_, sigs)| !sigs.is_empty())
            .collect();
        match self.find(&primary.fingerprint) {
            Some(at) => {
                let key = &mut self.keys[at];
                for sig in revocations {
                    merge_sig(&mut key.revocations, sig);
                }
                for sig in foreign_revocations {
                    if key.foreign_revocations.len() < MAX_FOREIGN_REVOCATIONS {
                        merge_sig(&mut key.foreign_revocations, sig);
                    }
                }
                for sig in direct {
                    merge_sig(&mut key.direct, sig);
                }
                for (user_id, sigs) in valid_users {
                    match key.users.iter_mut().find(|(have, _)| *have == user_id) {
                        Some((_, have)) => sigs.into_iter().for_each(|s| merge_sig(have, s)),
                        None => key.users.push((user_id, sigs)),
                    }
                }
                for subkey in subkeys {
                    match key
                        .subkeys
                        .iter_mut()
                        .find(|s| s.key.fingerprint == subkey.key.fingerprint)
                    {
                        Some(have) => {
                            for sig in subkey.bindings {
                                merge_sig(&mut have.bindings, sig);
                            }
                            for sig in subkey.revocations {
                                merge_sig(&mut have.revocations, sig);
                            }
                        }
                        None => key.subkeys.push(subkey),
                    }
                }
            }
            // gpg does not import a new key without a valid self-signed user ID.
            None if valid_users.is_empty() || self.keys.len() >= MAX_KEYS => {}
            None => self.keys.push(Merged {
                primary,
                revocations,
                foreign_revocations,
                direct,
                users: valid_users,
                subkeys,
            }),
        }
    }

    /// Whether a designated revoker of `key` revoked it: a revoker named by one of its valid
    /// direct-key signatures, whose key is in the keyring, and whose revocation verifies.
    fn revoked_by_designated(&self, key: &Merged) -> bool {
        key.foreign_revocations.iter().any(|sig| {
            key.direct
                .iter()
                .flat_map(|d| d.revocation_keys.iter())
                .filter_map(|fingerprint| self.find(fingerprint))
                .map(|at| &self.keys[at].primary)
                .any(|revoker| {
                    sig.issuer_ids.contains(&revoker.key_id())
                        && signed_by(revoker, sig, &sig.key_digest(&key.primary.body))
                })
        })
    }

    fn finish(self) -> Keyring {
        let designated: Vec<bool> = self
            .keys
            .iter()
            .map(|key| self.revoked_by_designated(key))
            .collect();
        let mut out = Keyring {
            unusable: self.unusable,
            ..Keyring::default()
        };
        for (key, designated) in self.keys.into_iter().zip(designated) {
            for subkey in key.subkeys {
                out.subkeys.push(TrustedSubkey {
                    of: out.keys.len(),
                    bindings: subkey.bindings.iter().map(SelfSig::of).collect(),
                    revoked: !subkey.revocations.is_empty(),
                    key: subkey.key,
                });
            }
            let standing = Standing {
                key_created: i64::from(key.primary.created),
                direct: key.direct.iter().map(SelfSig::of).collect(),
                users: key
                    .users
                    .iter()
                    .map(|(_, sigs)| sigs.iter().map(SelfSig::of).collect())
                    .collect(),
            };
            out.keys.push(Trusted {
                fingerprint_hex: upper_hex(&key.primary.fingerprint),
                revoked: !key.revocations.is_empty() || designated,
                standing,
                primary: key.primary,
            });
        }
        out
    }
}

impl Keyring {
    /// How many keys were imported.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether gpg would have imported any key at `now`: it imports no key created after
    /// the time of the import, which for containers/image is the time of the decision.
    pub(crate) fn any_imported_at(&self, now: Option<i64>) -> bool {
        self.keys
            .iter()
            .any(|k| now.is_none_or(|now| i64::from(k.primary.created) <= now))
    }

    /// The trusted key, or subkey of one, that made `signature`.
    pub(super) fn signer(&self, signature: &Sig) -> Result<Signer<'_>, PgpError> {
        let issued = |key_id: &[u8; 8], fingerprint: &[u8; 20]| {
            signature.issuer_ids.contains(key_id)
                || signature.issuer_fingerprints.contains(fingerprint)
        };
        if let Some(trusted) = self
            .keys
            .iter()
            .find(|t| issued(&t.primary.key_id(), &t.primary.fingerprint))
        {
            return Ok(Signer::Primary(trusted));
        }
        if let Some(subkey) = self
            .subkeys
            .iter()
            .find(|s| issued(&s.key.key_id(), &s.key.fingerprint))
        {
            return Ok(Signer::Subkey(&self.keys[subkey.of], subkey));
        }
        if let Some((_, fingerprint, why)) = self.unusable.iter().find(|(id, f, _)| issued(id, f)) {
            return Err(PgpError::KeyUnusable(KeyProblem::NotImported {
                key: upper_hex(fingerprint),
                why: why.clone(),
            }));
        }
        let id = signature
            .issuer_ids
            .first()
            .map(|id| upper_hex(id))
            .or_else(|| signature.issuer_fingerprints.first().map(|f| upper_hex(f)))
            .unwrap_or_default();
        Err(PgpError::Untrusted(Untrusted::UnknownKey { issuer: id }))
    }
}
