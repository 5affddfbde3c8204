//! Certificate signatures already verified, kept by a compiled requirement so that a chain
//! shared by many signatures (Fulcio's intermediate under its root, a PKI's intermediates) is
//! checked once: an entry says that this parent key signed this exact child certificate. Only
//! successful checks are kept, and a check is a pure function of the bytes, so decisions are
//! the same with and without it. Bounded; without `std` (no `Mutex`) nothing is kept.

use sha2::{Digest as _, Sha256};

/// The most verified certificate signatures a requirement keeps.
pub(crate) const MAX_CHECKED: usize = 256;

/// What identifies one check: the child's signed part and signature, and the parent's key.
pub(crate) fn check_id(tbs: &[u8], signature: &[u8], parent_spki: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in [tbs, signature, parent_spki] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hash.finalize().into()
}

#[cfg(feature = "std")]
mod with_std {
    use alloc::collections::BTreeSet;
    use std::sync::Mutex;

    use super::MAX_CHECKED;

    /// The verified certificate signatures of one requirement.
    #[derive(Debug, Default)]
    pub(crate) struct CheckedSignatures {
        known: Mutex<BTreeSet<[u8; 32]>>,
    }

    impl Clone for CheckedSignatures {
        fn clone(&self) -> Self {
            Self::default()
        }
    }

    impl CheckedSignatures {
        /// Whether the check `id` is known to have succeeded (a poisoned lock reads as no).
        pub(crate) fn known(&self, id: &[u8; 32]) -> bool {
            self.known.lock().is_ok_and(|known| known.contains(id))
        }

        /// Remembers that the check `id` succeeded (nothing more once full).
        pub(crate) fn remember(&self, id: [u8; 32]) {
            if let Ok(mut known) = self.known.lock()
                && known.len() < MAX_CHECKED
            {
                known.insert(id);
            }
        }
    }
}

#[cfg(not(feature = "std"))]
mod without_std {
    /// Without `std`, nothing is remembered.
    #[derive(Clone, Debug, Default)]
    pub(crate) struct CheckedSignatures;

    impl CheckedSignatures {
        pub(crate) fn known(&self, _: &[u8; 32]) -> bool {
            false
        }

        pub(crate) fn remember(&self, _: [u8; 32]) {}
    }
}

#[cfg(feature = "std")]
pub(crate) use with_std::CheckedSignatures;
#[cfg(not(feature = "std"))]
pub(crate) use without_std::CheckedSignatures;
