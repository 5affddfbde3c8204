//! The one place where public-key operations happen: verify this signature over these bytes
//! with this prepared key. Two backends, chosen at compile time: RustCrypto (the default, and
//! the only one in wasm) and aws-lc-rs (feature `aws-lc`). Both see exactly the same inputs:
//! signature encodings are normalised before they get here.

use alloc::vec::Vec;

use super::keys::{KeyError, PublicKey};

/// A public key prepared for verification once, at compile time.
#[derive(Clone, Debug)]
pub(crate) struct VerifyingKey {
    inner: backend::Key,
}

/// The signature forms vouch verifies.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SignatureBytes<'a> {
    /// ECDSA as strict DER (`SEQUENCE { r INTEGER, s INTEGER }`), over SHA-256 of the message.
    EcdsaDer(&'a [u8]),
    /// RSA PKCS #1 v1.5 with SHA-256.
    RsaPkcs1Sha256(&'a [u8]),
    /// Ed25519 (pure) over the message.
    Ed25519(&'a [u8]),
}

impl VerifyingKey {
    /// Prepares `key`; fails when the point is not on its curve or the key is otherwise unusable.
    pub(crate) fn new(key: &PublicKey) -> Result<Self, KeyError> {
        backend::Key::new(key).map(|inner| Self { inner })
    }

    /// Whether `signature` is a valid signature of `message` by this key.
    pub(crate) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
        self.inner.verify(message, signature)
    }
}

/// DER `SEQUENCE { r, s }` of two big-endian unsigned integers (leading zeros allowed).
pub(crate) fn ecdsa_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    super::der::unsigned_sequence(&[r, s])
}

#[cfg(not(feature = "aws-lc"))]
mod backend {
    use ed25519_dalek::Verifier as _;
    use sha2::{Digest as _, Sha256};

    use super::{KeyError, PublicKey, SignatureBytes};

    #[derive(Clone, Debug)]
    pub(super) enum Key {
        P256(crate::signature::ecdsa_p256::P256Key),
        P384(p384::ecdsa::VerifyingKey),
        Rsa(crate::signature::rsa_pkcs1::RsaVerifier),
        Ed25519(ed25519_dalek::VerifyingKey),
    }

    impl Key {
        pub(super) fn new(key: &PublicKey) -> Result<Self, KeyError> {
            let off_curve = KeyError::Malformed("EC point is not on the curve");
            Ok(match key {
                PublicKey::P256(point) => Self::P256(
                    crate::signature::ecdsa_p256::P256Key::from_sec1(point).ok_or(off_curve)?,
                ),
                PublicKey::P384(point) => Self::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| off_curve)?,
                ),
                PublicKey::Rsa { n, e } => Self::Rsa(
                    crate::signature::rsa_pkcs1::RsaVerifier::new(n, &e.to_be_bytes())
                        .ok_or(KeyError::Unsupported("RSA key"))?,
                ),
                PublicKey::Ed25519(bytes) => Self::Ed25519(
                    ed25519_dalek::VerifyingKey::from_bytes(bytes)
                        .map_err(|_| KeyError::Malformed("Ed25519 key is not a point"))?,
                ),
            })
        }

        pub(super) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
            use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
            match (self, signature) {
                (Self::P256(key), SignatureBytes::EcdsaDer(der)) => {
                    let Ok(signature) = p256::ecdsa::Signature::from_der(der) else {
                        return false;
                    };
                    key.verify_prehash(&Sha256::digest(message), &signature)
                }
                (Self::P384(key), SignatureBytes::EcdsaDer(der)) => {
                    let Ok(signature) = p384::ecdsa::Signature::from_der(der) else {
                        return false;
                    };
                    key.verify_prehash(&Sha256::digest(message), &signature)
                        .is_ok()
                }
                (Self::Rsa(key), SignatureBytes::RsaPkcs1Sha256(signature)) => key.verify(
                    crate::signature::rsa_pkcs1::Hash::Sha256,
                    &Sha256::digest(message),
                    signature,
                ),
                (Self::Ed25519(key), SignatureBytes::Ed25519(signature)) => {
                    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
                        return false;
                    };
                    key.verify(message, &signature).is_ok()
                }
                _ => false,
            }
        }
    }
}

#[cfg(feature = "aws-lc")]
mod backend {
    use alloc::vec::Vec;

    use aws_lc_rs::signature::{self as lc, ParsedPublicKey};

    use super::{KeyError, PublicKey, SignatureBytes};

    #[derive(Clone)]
    pub(super) struct Key {
        parsed: ParsedPublicKey,
        scalar: Option<usize>,
    }

    impl core::fmt::Debug for Key {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Key")
                .field("algorithm", self.parsed.algorithm())
                .finish_non_exhaustive()
        }
    }

    impl Key {
        pub(super) fn new(key: &PublicKey) -> Result<Self, KeyError> {
            let (algorithm, bytes, scalar): (&'static dyn lc::VerificationAlgorithm, Vec<u8>, _) =
                match key {
                    PublicKey::P256(point) => {
                        (&lc::ECDSA_P256_SHA256_ASN1, point.clone(), Some(32))
                    }
                    PublicKey::P384(point) => {
                        (&lc::ECDSA_P384_SHA256_ASN1, point.clone(), Some(48))
                    }
                    PublicKey::Rsa { n, e } => (
                        &lc::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                        pkcs1(n, *e),
                        None,
                    ),
                    PublicKey::Ed25519(bytes) => (&lc::ED25519, bytes.to_vec(), None),
                };
            let parsed = ParsedPublicKey::new(algorithm, bytes)
                .map_err(|_| KeyError::Malformed("key refused by aws-lc"))?;
            Ok(Self { parsed, scalar })
        }

        pub(super) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
            let bytes = match (self.scalar, signature) {
                (Some(_), SignatureBytes::EcdsaDer(bytes)) => bytes,
                (None, SignatureBytes::RsaPkcs1Sha256(bytes) | SignatureBytes::Ed25519(bytes)) => {
                    bytes
                }
                _ => return false,
            };
            self.parsed.verify_sig(message, bytes).is_ok()
        }
    }

    /// DER RSAPublicKey, as aws-lc reads RSA keys.
    fn pkcs1(n: &[u8], e: u32) -> Vec<u8> {
        super::super::der::unsigned_sequence(&[n, &e.to_be_bytes()])
    }
}
