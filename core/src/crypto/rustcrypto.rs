//! The RustCrypto backend: `p256`, `p384`, `ed25519-dalek` and `rsa`. The active backend
//! without `aws-lc` (wasm, `no_std`); always compiled, so that native tests can hold the
//! two backends to the same answers.

use alloc::boxed::Box;

use ed25519_dalek::Verifier as _;
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use sha2::Digest as _;

use super::{Hash, KeyError, PublicKey, SignatureBytes};

#[derive(Clone, Debug)]
pub(super) enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl Key {
    pub(super) fn new(key: &PublicKey) -> Result<Self, KeyError> {
        let off_curve = KeyError::Malformed("EC point is not on the curve");
        Ok(match key {
            PublicKey::P256(point) => Self::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| off_curve)?,
            ),
            PublicKey::P384(point) => Self::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| off_curve)?,
            ),
            PublicKey::Rsa { n, e } => Self::Rsa(
                rsa::RsaPublicKey::new_with_max_size(
                    rsa::BigUint::from_bytes_be(n),
                    rsa::BigUint::from(*e),
                    super::RSA_MAX_BITS,
                )
                .map_err(|_| KeyError::Unsupported("RSA key refused by the rsa crate"))?,
            ),
            PublicKey::Ed25519(bytes) => Self::Ed25519(
                ed25519_dalek::VerifyingKey::from_bytes(bytes)
                    .map_err(|_| KeyError::Malformed("Ed25519 key is not a point"))?,
            ),
        })
    }

    pub(super) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
        match (self, signature) {
            (Self::Ed25519(key), SignatureBytes::Ed25519(signature)) => {
                ed25519(key, message, signature)
            }
            (Self::Ed25519(_), _) => false,
            _ => self.verify_digest(Hash::Sha256, &sha2::Sha256::digest(message), signature),
        }
    }

    pub(super) fn verify_digest(
        &self,
        hash: Hash,
        digest: &[u8],
        signature: SignatureBytes<'_>,
    ) -> bool {
        match (self, signature) {
            (Self::P256(key), SignatureBytes::EcdsaDer(der)) => {
                // Below the curve's size the digest is refused, as aws-lc has no such
                // algorithm for P-256 either.
                hash != Hash::Sha1
                    && p256::ecdsa::Signature::from_der(der)
                        .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok())
            }
            (Self::P384(key), SignatureBytes::EcdsaDer(der)) => {
                hash != Hash::Sha1
                    && p384::ecdsa::Signature::from_der(der)
                        .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok())
            }
            (Self::Rsa(key), SignatureBytes::RsaPkcs1(signature)) => {
                // aws-lc verifies SHA-384 only with keys of 2,048 bits and more.
                if hash == Hash::Sha384 && rsa::traits::PublicKeyParts::n(key).bits() < 2048 {
                    return false;
                }
                let scheme = rsa::Pkcs1v15Sign {
                    hash_len: Some(hash.len()),
                    prefix: Box::from(hash.digest_info()),
                };
                key.verify(scheme, digest, signature).is_ok()
            }
            (Self::Ed25519(key), SignatureBytes::Ed25519(signature)) => {
                ed25519(key, digest, signature)
            }
            _ => false,
        }
    }
}

fn ed25519(key: &ed25519_dalek::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    ed25519_dalek::Signature::from_slice(signature)
        .is_ok_and(|signature| key.verify(message, &signature).is_ok())
}
