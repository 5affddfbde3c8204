//! Merkle inclusion proofs of transparency logs: RFC 6962 hashing (a leaf is
//! `SHA-256(0x00 ‖ leaf)`, a node `SHA-256(0x01 ‖ left ‖ right)`) and RFC 9162 §2.1.3.2
//! verification, as `transparency-dev/merkle`'s `proof.VerifyInclusion` (which sigstore-go
//! uses) does it: the proof must have exactly the length the index and size imply.

use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

/// A SHA-256 hash.
pub(crate) type Hash = [u8; 32];

/// Why an inclusion proof does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InclusionError {
    /// The leaf's index is not below the tree's size.
    IndexBeyondSize {
        /// The leaf's index.
        index: u64,
        /// The tree's size.
        size: u64,
    },
    /// The proof does not have the number of hashes the index and size call for.
    WrongProofSize {
        /// Hashes in the proof.
        got: usize,
        /// Hashes the tree calls for.
        want: usize,
    },
    /// The proof leads to another root hash than the one claimed.
    RootMismatch,
}

impl fmt::Display for InclusionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IndexBeyondSize { index, size } => {
                write!(f, "index is beyond size: {index} >= {size}")
            }
            Self::WrongProofSize { got, want } => write!(f, "wrong proof size {got}, want {want}"),
            Self::RootMismatch => f.write_str("the inclusion proof leads to another root hash"),
        }
    }
}

impl core::error::Error for InclusionError {}

/// RFC 6962's hash of a leaf.
pub(crate) fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut hash = Sha256::new();
    hash.update([0]);
    hash.update(leaf);
    hash.finalize().into()
}

/// RFC 6962's hash of an interior node. The children are whatever bytes the proof holds: like
/// Go's `HashChildren`, a hash of the wrong length is hashed as it is (and so leads elsewhere).
fn node_hash(left: &[u8], right: &[u8]) -> Hash {
    let mut hash = Sha256::new();
    hash.update([1]);
    hash.update(left);
    hash.update(right);
    hash.finalize().into()
}

/// Checks that the leaf hashing to `leaf` is at `index` in the tree of `size` leaves whose root
/// hash is `root`, by the audit path `proof` (leaf to root).
pub(crate) fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Vec<u8>],
    root: &[u8],
) -> Result<(), InclusionError> {
    if index >= size {
        return Err(InclusionError::IndexBeyondSize { index, size });
    }
    // The inner part of the path runs up to where the leaf's path and the last leaf's part;
    // the border part climbs the right border of the tree.
    let inner = (u64::BITS - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = (index >> inner).count_ones() as usize;
    if proof.len() != inner + border {
        return Err(InclusionError::WrongProofSize {
            got: proof.len(),
            want: inner + border,
        });
    }
    let mut hash = *leaf;
    for (i, sibling) in proof[..inner].iter().enumerate() {
        hash = if (index >> i) & 1 == 0 {
            node_hash(&hash, sibling)
        } else {
            node_hash(sibling, &hash)
        };
    }
    for sibling in &proof[inner..] {
        hash = node_hash(sibling, &hash);
    }
    if hash[..] != *root {
        return Err(InclusionError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The root of the tree over `leaves` (RFC 6962 §2.1, computed directly).
    fn root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            1 => leaves[0],
            n => {
                let k = n.next_power_of_two() / 2;
                node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
            }
        }
    }

    /// The audit path of leaf `m` (RFC 6962 §2.1.1), leaf to root.
    fn path(m: usize, leaves: &[Hash]) -> Vec<Vec<u8>> {
        let n = leaves.len();
        if n == 1 {
            return Vec::new();
        }
        let k = n.next_power_of_two() / 2;
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(root(&leaves[k..]).to_vec());
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(root(&leaves[..k]).to_vec());
            p
        }
    }

    #[test]
    fn every_leaf_of_every_small_tree_is_proved_and_nothing_else() {
        for size in 1..=33usize {
            let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash(&[i as u8])).collect();
            let top = root(&leaves);
            for index in 0..size {
                let proof = path(index, &leaves);
                let (i, n) = (index as u64, size as u64);
                assert_eq!(verify_inclusion(i, n, &leaves[index], &proof, &top), Ok(()));
                let other = leaves[(index + 1) % size];
                if size > 1 {
                    assert_eq!(
                        verify_inclusion(i, n, &other, &proof, &top),
                        Err(InclusionError::RootMismatch)
                    );
                }
                let mut longer = proof.clone();
                longer.push(vec![0; 32]);
                assert!(matches!(
                    verify_inclusion(i, n, &leaves[index], &longer, &top),
                    Err(InclusionError::WrongProofSize { .. })
                ));
                for (j, _) in proof.iter().enumerate() {
                    let mut flipped = proof.clone();
                    flipped[j][0] ^= 1;
                    assert_eq!(
                        verify_inclusion(i, n, &leaves[index], &flipped, &top),
                        Err(InclusionError::RootMismatch)
                    );
                }
            }
            assert_eq!(
                verify_inclusion(size as u64, size as u64, &leaves[0], &[], &top),
                Err(InclusionError::IndexBeyondSize {
                    index: size as u64,
                    size: size as u64
                })
            );
        }
    }

    #[test]
    fn rfc6962_empty_leaf_hash() {
        // SHA-256(0x00): the hash of the empty leaf.
        assert_eq!(
            leaf_hash(b"")[..4],
            [0x6e, 0x34, 0x0b, 0x9c],
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }
}
