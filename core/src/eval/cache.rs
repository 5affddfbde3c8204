//! The evaluator's bounded cache of verified signatures.
//!
//! A registry serves the same signatures for every pull of an image, so the same
//! (keys, payload, signature) triple is verified again and again. The cache remembers what
//! the expensive part concluded, keyed by SHA-256 over the key material's digest, the
//! payload and the signature, so a repeat costs a hash of a few hundred bytes and a map
//! look-up. The rest of what a verification read (the Rekor SET, the certificate and the
//! chain of a keyless signature: several KiB) is kept beside the entry as its *witness* and
//! compared byte for byte on a hit, which is cheaper than hashing it again; an entry whose
//! witness differs is a miss.
//!
//! It is decision-neutral by construction:
//!
//! * only signatures that verified cryptographically are remembered, so bytes an attacker
//!   can make (garbage, tampering, unknown keys) never enter it and cannot evict anything;
//! * what is remembered is a pure function of the key: the signed payload's claims (or why
//!   the payload is invalid) and, for OpenPGP, the times that bound the signature. The time
//!   checks run again on every hit, in the order a full verification runs them;
//! * the claims are checked against the image on every evaluation, hit or not.
//!
//! The differential suites evaluate every case without the cache, cold and warm, and require
//! byte-identical decisions. Without `std` (no `Mutex`) the cache is absent.

use alloc::sync::Arc;

use sha2::{Digest as _, Sha256};

#[cfg(feature = "openpgp")]
use crate::signature::openpgp::Validity;
use crate::signature::payload::Payload;

use super::decision::Reason;

/// The key of a cache entry, and the digest of a requirement's key material.
pub(crate) type Id = [u8; 32];

/// The default number of entries (see [`CompileOptions`](super::CompileOptions)).
pub(crate) const DEFAULT_CAPACITY: usize = 1024;

/// The memory the entries may hold together, per entry of capacity: the cache holds at most
/// `capacity × 4 KiB` of claims and witnesses, evicting the oldest entries to stay under it.
#[cfg(feature = "std")]
const WEIGHT_PER_ENTRY: usize = 4096;

/// Entries whose claims and witness are larger than this are not kept.
#[cfg(feature = "std")]
const MAX_ENTRY_WEIGHT: usize = 64 * 1024;

/// What the payload of a verified signature claims, or why it is invalid.
pub(crate) type Claims = Result<Arc<Payload>, Reason>;

/// What a verified signature left to decide.
#[derive(Debug)]
pub(crate) enum Entry {
    /// A cosign signature: nothing depends on the time.
    Sigstore(Claims),
    /// An OpenPGP signature: the times that bound it, then the claims.
    #[cfg(feature = "openpgp")]
    Simple(Validity, Claims),
}

#[cfg(feature = "std")]
impl Entry {
    fn weight(&self) -> usize {
        let claims = match self {
            Self::Sigstore(claims) => claims,
            #[cfg(feature = "openpgp")]
            Self::Simple(validity, claims) => {
                return validity.fingerprint_hex.len() + claims_weight(claims);
            }
        };
        claims_weight(claims)
    }
}

#[cfg(feature = "std")]
fn claims_weight(claims: &Claims) -> usize {
    match claims {
        Ok(payload) => payload.docker_reference.len(),
        Err(Reason::InvalidPayload(why)) => core::mem::size_of_val(why),
        Err(_) => 0,
    }
}

/// The digest that stands for a requirement's key material in cache keys: SHA-256 over a
/// label for the kind of requirement and every key blob, each with its length.
pub(crate) fn material_id(kind: &[u8], blobs: &[&[u8]]) -> Id {
    let mut hash = Sha256::new();
    length_prefixed(&mut hash, kind);
    for blob in blobs {
        length_prefixed(&mut hash, blob);
    }
    hash.finalize().into()
}

fn length_prefixed(hash: &mut Sha256, bytes: &[u8]) {
    hash.update((bytes.len() as u64).to_le_bytes());
    hash.update(bytes);
}

/// Manifests larger than this are not remembered as the last manifest.
#[cfg(feature = "std")]
const MAX_LAST_MANIFEST: usize = 64 * 1024;

#[cfg(feature = "std")]
pub(crate) use with_std::{LastManifest, VerificationCache};
#[cfg(not(feature = "std"))]
pub(crate) use without_std::{LastManifest, VerificationCache};

#[cfg(feature = "std")]
mod with_std {
    use alloc::boxed::Box;
    use alloc::collections::{BTreeMap, VecDeque};
    use alloc::sync::Arc;
    use alloc::vec::Vec;
    use std::sync::Mutex;

    use sha2::{Digest as _, Sha256};

    use super::{Entry, Id, MAX_ENTRY_WEIGHT, WEIGHT_PER_ENTRY, length_prefixed};

    /// A bounded map from (key material, payload, signature) digests to what their
    /// verification concluded; the oldest entry goes first when it is full.
    pub(crate) struct VerificationCache {
        capacity: usize,
        inner: Mutex<Inner>,
        last_manifest: LastManifest,
    }

    /// The last manifest whose digest was computed, and that digest (or why there is none):
    /// a node decides the same image again and again, and comparing a manifest is cheaper
    /// than hashing it. Off with the cache.
    pub(crate) struct LastManifest {
        on: bool,
        last: Mutex<Option<(Box<[u8]>, ManifestResult)>>,
    }

    type ManifestResult = Result<crate::reference::Digest, crate::manifest::ManifestError>;

    impl LastManifest {
        /// The digest of `manifest` if it is the last manifest.
        pub(crate) fn digest(&self, manifest: &[u8]) -> Option<ManifestResult> {
            if !self.on {
                return None;
            }
            let last = self.last.lock().ok()?;
            let (bytes, digest) = last.as_ref()?;
            (**bytes == *manifest).then(|| digest.clone())
        }

        /// Remembers `manifest` and its digest as the last.
        pub(crate) fn remember(&self, manifest: &[u8], digest: &ManifestResult) {
            if !self.on || manifest.len() > super::MAX_LAST_MANIFEST {
                return;
            }
            if let Ok(mut last) = self.last.lock() {
                *last = Some((manifest.into(), digest.clone()));
            }
        }
    }

    /// An entry and its witness: the other inputs of the verification, each with its length.
    struct Held {
        entry: Arc<Entry>,
        witness: Box<[u8]>,
        weight: usize,
    }

    #[derive(Default)]
    struct Inner {
        entries: BTreeMap<Id, Held>,
        order: VecDeque<Id>,
        weight: usize,
    }

    /// The witness of `parts`: each part with its length.
    fn witness(parts: &[&[u8]]) -> Box<[u8]> {
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum());
        for part in parts {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
        out.into_boxed_slice()
    }

    /// Whether `witness` holds exactly `parts`, compared in place.
    fn witnessed(mut witness: &[u8], parts: &[&[u8]]) -> bool {
        for part in parts {
            let Some((length, rest)) = witness.split_first_chunk::<8>() else {
                return false;
            };
            if u64::from_le_bytes(*length) != part.len() as u64 || !rest.starts_with(part) {
                return false;
            }
            witness = &rest[part.len()..];
        }
        witness.is_empty()
    }

    impl VerificationCache {
        /// A cache of at most `capacity` entries; 0 turns it off.
        pub(crate) fn new(capacity: usize) -> Self {
            Self {
                capacity,
                inner: Mutex::new(Inner::default()),
                last_manifest: LastManifest {
                    on: capacity > 0,
                    last: Mutex::new(None),
                },
            }
        }

        /// The last manifest's digest, remembered with the cache on.
        pub(crate) fn last_manifest(&self) -> &LastManifest {
            &self.last_manifest
        }

        /// The entry key for a signature verified with key material `material`, or `None`
        /// when the cache is off (nothing is hashed then).
        pub(crate) fn id(&self, material: &Id, payload: &[u8], signature: &[u8]) -> Option<Id> {
            if self.capacity == 0 {
                return None;
            }
            let mut hash = Sha256::new();
            hash.update(material);
            length_prefixed(&mut hash, payload);
            length_prefixed(&mut hash, signature);
            Some(hash.finalize().into())
        }

        /// The entry for `id` whose witness is exactly `witness`, if any. A poisoned lock
        /// reads as a miss.
        pub(crate) fn get(&self, id: Option<&Id>, witness: &[&[u8]]) -> Option<Arc<Entry>> {
            let id = id?;
            let inner = self.inner.lock().ok()?;
            let held = inner.entries.get(id)?;
            witnessed(&held.witness, witness).then(|| Arc::clone(&held.entry))
        }

        /// Remembers `entry` under `id` with `witness` (replacing an entry of the same id
        /// and another witness), evicting the oldest entries when full.
        pub(crate) fn insert(&self, id: Option<Id>, witness: &[&[u8]], entry: Entry) {
            let Some(id) = id else {
                return;
            };
            let witness_bytes: usize = witness.iter().map(|p| p.len() + 8).sum();
            let weight = entry.weight() + witness_bytes;
            if weight > MAX_ENTRY_WEIGHT {
                return;
            }
            let Ok(mut inner) = self.inner.lock() else {
                return;
            };
            let budget = self.capacity.saturating_mul(WEIGHT_PER_ENTRY);
            if let Some(held) = inner.entries.remove(&id) {
                inner.weight -= held.weight;
                inner.order.retain(|other| *other != id);
            }
            while inner.order.len() >= self.capacity || inner.weight + weight > budget {
                let Some(oldest) = inner.order.pop_front() else {
                    break;
                };
                if let Some(held) = inner.entries.remove(&oldest) {
                    inner.weight -= held.weight;
                }
            }
            inner.order.push_back(id);
            inner.weight += weight;
            let held = Held {
                entry: Arc::new(entry),
                witness: self::witness(witness),
                weight,
            };
            inner.entries.insert(id, held);
        }

        /// How many entries are held.
        #[cfg(test)]
        pub(crate) fn len(&self) -> usize {
            self.inner.lock().map_or(0, |inner| inner.entries.len())
        }
    }

    /// A clone starts empty: entries are an optimisation, never state.
    impl Clone for VerificationCache {
        fn clone(&self) -> Self {
            Self::new(self.capacity)
        }
    }

    impl core::fmt::Debug for VerificationCache {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("VerificationCache")
                .field("capacity", &self.capacity)
                .finish_non_exhaustive()
        }
    }
}

#[cfg(not(feature = "std"))]
mod without_std {
    use alloc::sync::Arc;

    use super::{Entry, Id};

    /// Without `std` there is no lock, so nothing is cached.
    #[derive(Clone, Debug)]
    pub(crate) struct VerificationCache;

    /// Without `std`, no manifest is remembered.
    pub(crate) struct LastManifest;

    type ManifestResult = Result<crate::reference::Digest, crate::manifest::ManifestError>;

    impl LastManifest {
        pub(crate) fn digest(&self, _: &[u8]) -> Option<ManifestResult> {
            None
        }

        pub(crate) fn remember(&self, _: &[u8], _: &ManifestResult) {}
    }

    impl VerificationCache {
        pub(crate) fn new(_capacity: usize) -> Self {
            Self
        }

        pub(crate) fn last_manifest(&self) -> &LastManifest {
            &LastManifest
        }

        pub(crate) fn id(&self, _: &Id, _: &[u8], _: &[u8]) -> Option<Id> {
            None
        }

        pub(crate) fn get(&self, _: Option<&Id>, _: &[&[u8]]) -> Option<Arc<Entry>> {
            None
        }

        pub(crate) fn insert(&self, _: Option<Id>, _: &[&[u8]], _: Entry) {}
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::reference::Digest;

    fn claims(reference: &str) -> Entry {
        Entry::Sigstore(Ok(Arc::new(Payload {
            manifest_digest: Digest::sha256([7; 32]),
            docker_reference: reference.into(),
        })))
    }

    #[test]
    fn holds_at_most_capacity_and_evicts_the_oldest() {
        let cache = VerificationCache::new(3);
        let material = material_id(b"test", &[b"key"]);
        let ids: alloc::vec::Vec<_> = (0u8..5)
            .map(|i| cache.id(&material, &[i], b"sig"))
            .collect();
        for id in &ids {
            cache.insert(*id, &[], claims("a"));
        }
        assert_eq!(cache.len(), 3);
        assert!(cache.get(ids[0].as_ref(), &[]).is_none());
        assert!(cache.get(ids[1].as_ref(), &[]).is_none());
        assert!(cache.get(ids[4].as_ref(), &[]).is_some());
    }

    #[test]
    fn off_when_capacity_is_zero() {
        let cache = VerificationCache::new(0);
        let id = cache.id(&[0; 32], b"p", b"s");
        assert!(id.is_none());
        cache.insert(id, &[], claims("a"));
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn keys_separate_material_payload_and_signature() {
        let cache = VerificationCache::new(8);
        let a = material_id(b"k", &[b"one"]);
        let b = material_id(b"k", &[b"on", b"e"]);
        assert_ne!(a, b, "lengths delimit blobs");
        assert_ne!(cache.id(&a, b"ps", b""), cache.id(&a, b"p", b"s"));
        assert_ne!(cache.id(&a, b"p", b"s"), cache.id(&b, b"p", b"s"));
    }

    #[test]
    fn oversized_claims_are_not_kept() {
        let cache = VerificationCache::new(8);
        let id = cache.id(&[0; 32], b"p", b"s");
        cache.insert(id, &[], claims(&"x".repeat(MAX_ENTRY_WEIGHT + 1)));
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn the_last_manifest_is_recognised_by_its_bytes_only() {
        let digest = |m: &[u8]| crate::manifest::manifest_digest(m);
        let cache = VerificationCache::new(4);
        let last = cache.last_manifest();
        assert_eq!(last.digest(b"{}"), None);
        last.remember(b"{}", &digest(b"{}"));
        assert_eq!(last.digest(b"{}"), Some(digest(b"{}")));
        assert_eq!(last.digest(b"{} "), None);
        assert_eq!(last.digest(b"{"), None);
        last.remember(b"[]", &digest(b"[]"));
        assert_eq!(last.digest(b"{}"), None);
        assert_eq!(last.digest(b"[]"), Some(digest(b"[]")));
        // Off with the cache.
        let off = VerificationCache::new(0);
        off.last_manifest().remember(b"{}", &digest(b"{}"));
        assert_eq!(off.last_manifest().digest(b"{}"), None);
    }

    #[test]
    fn a_hit_needs_the_same_witness() {
        let cache = VerificationCache::new(8);
        let id = cache.id(&[0; 32], b"p", b"s");
        cache.insert(id, &[b"set", b"cert"], claims("a"));
        assert!(cache.get(id.as_ref(), &[b"set", b"cert"]).is_some());
        for other in [
            &[b"set".as_slice(), b"cer"][..],
            &[b"se", b"tcert"],
            &[b"set", b"cert", b""],
            &[b"set"],
            &[],
            &[b"set", b"certs"],
        ] {
            assert!(cache.get(id.as_ref(), other).is_none(), "{other:?}");
        }
        // Another verified witness under the same id replaces the first.
        cache.insert(id, &[b"set2"], claims("b"));
        assert_eq!(cache.len(), 1);
        assert!(cache.get(id.as_ref(), &[b"set"]).is_none());
        assert!(cache.get(id.as_ref(), &[b"set2"]).is_some());
    }

    #[test]
    fn witnesses_count_against_the_memory_budget() {
        let cache = VerificationCache::new(4);
        let big = alloc::vec![7u8; 5000];
        let ids: alloc::vec::Vec<_> = (0u8..4).map(|i| cache.id(&[0; 32], &[i], b"s")).collect();
        for id in &ids {
            cache.insert(*id, &[&big], claims("a"));
        }
        // 4 × 4 KiB holds three entries of about 5 KB.
        assert_eq!(cache.len(), 3);
        assert!(cache.get(ids[0].as_ref(), &[&big]).is_none());
        assert!(cache.get(ids[3].as_ref(), &[&big]).is_some());
    }
}
