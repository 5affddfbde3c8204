//! What a compiled requirement remembers about the chains its signatures bring, so that a
//! chain shared by many signatures (Fulcio's intermediate under its root, a PKI's
//! intermediates) is parsed and checked once:
//!
//! * verified certificate signatures: an entry says that this parent key signed this exact
//!   child certificate;
//! * parsed chain annotations whose chain then verified, by the SHA-256 of their bytes.
//!
//! Only successes are kept, and parsing and checking are pure functions of the bytes, so
//! decisions are the same with and without the memo. Bounded; without `std` (no `Mutex`)
//! nothing is kept.

use sha2::{Digest as _, Sha256};

/// The most verified certificate signatures a requirement keeps.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
pub(crate) const MAX_CHECKED: usize = 256;

/// The most parsed chain annotations a requirement keeps (the oldest goes first).
#[cfg_attr(not(feature = "std"), allow(dead_code))]
pub(crate) const MAX_CHAINS: usize = 16;

/// What identifies one check: the child's signed part and signature, and the parent's key.
pub(crate) fn check_id(tbs: &[u8], signature: &[u8], parent_spki: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in [tbs, signature, parent_spki] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hash.finalize().into()
}

/// What identifies a chain annotation: the SHA-256 of its bytes.
pub(crate) fn chain_id(pem: &[u8]) -> [u8; 32] {
    Sha256::digest(pem).into()
}

#[cfg(feature = "std")]
mod with_std {
    use alloc::collections::{BTreeSet, VecDeque};
    use alloc::sync::Arc;
    use alloc::vec::Vec;
    use std::sync::Mutex;

    use super::{MAX_CHAINS, MAX_CHECKED};
    use crate::trust::certificate::Certificate;

    /// A parsed chain annotation.
    pub(crate) type Chain = Arc<Vec<Certificate>>;

    /// What one requirement remembers.
    #[derive(Debug, Default)]
    pub(crate) struct ChainMemo {
        known: Mutex<BTreeSet<[u8; 32]>>,
        chains: Mutex<VecDeque<([u8; 32], Chain)>>,
    }

    impl Clone for ChainMemo {
        fn clone(&self) -> Self {
            Self::default()
        }
    }

    impl ChainMemo {
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

        /// The parsed chain annotation `id`, if it is remembered.
        pub(crate) fn chain(&self, id: &[u8; 32]) -> Option<Chain> {
            let chains = self.chains.lock().ok()?;
            chains
                .iter()
                .find(|(known, _)| known == id)
                .map(|(_, chain)| Arc::clone(chain))
        }

        /// Remembers the parsed chain annotation `id`, evicting the oldest when full.
        pub(crate) fn remember_chain(&self, id: [u8; 32], chain: Chain) {
            let Ok(mut chains) = self.chains.lock() else {
                return;
            };
            if chains.iter().any(|(known, _)| *known == id) {
                return;
            }
            if chains.len() >= MAX_CHAINS {
                chains.pop_front();
            }
            chains.push_back((id, chain));
        }
    }
}

#[cfg(not(feature = "std"))]
mod without_std {
    use alloc::sync::Arc;
    use alloc::vec::Vec;

    use crate::trust::certificate::Certificate;

    /// A parsed chain annotation.
    pub(crate) type Chain = Arc<Vec<Certificate>>;

    /// Without `std`, nothing is remembered. (Braced, not a unit struct: callers build either
    /// variant with `ChainMemo::default()`.)
    #[derive(Clone, Debug, Default)]
    pub(crate) struct ChainMemo {}

    impl ChainMemo {
        pub(crate) fn known(&self, _: &[u8; 32]) -> bool {
            false
        }

        pub(crate) fn remember(&self, _: [u8; 32]) {}

        pub(crate) fn chain(&self, _: &[u8; 32]) -> Option<Chain> {
            None
        }

        pub(crate) fn remember_chain(&self, _: [u8; 32], _: Chain) {}
    }
}

#[cfg(feature = "std")]
pub(crate) use with_std::{Chain, ChainMemo};
#[cfg(not(feature = "std"))]
pub(crate) use without_std::{Chain, ChainMemo};
