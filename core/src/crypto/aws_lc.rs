//! The aws-lc-rs backend: the active one with the feature `aws-lc` (native builds).

use alloc::vec::Vec;

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self as lc, ParsedPublicKey};

use super::{Hash, KeyError, PublicKey, SignatureBytes};

/// The key parsed for each hash it verifies with (aws-lc ties a parsed key to one algorithm,
/// and the algorithm to one digest): for the key's usual hash when it is made (which checks
/// the key), for the others when first needed (a certificate's key mostly verifies once, with
/// one hash).
#[derive(Clone)]
pub(super) struct Key {
    bytes: Vec<u8>,
    parsed: Vec<(Hash, Parsed)>,
    kind: Kind,
}

/// One algorithm's parse of a key, made once.
#[derive(Clone)]
struct Parsed {
    algorithm: &'static dyn lc::VerificationAlgorithm,
    key: std::sync::OnceLock<Option<ParsedPublicKey>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ecdsa,
    Rsa,
    Ed25519,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Key")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Key {
    pub(super) fn new(key: &PublicKey) -> Result<Self, KeyError> {
        type Algorithms = &'static [(Hash, &'static dyn lc::VerificationAlgorithm)];
        let (kind, bytes, algorithms): (Kind, Vec<u8>, Algorithms) = match key {
            PublicKey::P256(point) => (
                Kind::Ecdsa,
                point.clone(),
                &[
                    (Hash::Sha256, &lc::ECDSA_P256_SHA256_ASN1),
                    (Hash::Sha384, &lc::ECDSA_P256_SHA384_ASN1),
                    (Hash::Sha512, &lc::ECDSA_P256_SHA512_ASN1),
                ],
            ),
            PublicKey::P384(point) => (
                Kind::Ecdsa,
                point.clone(),
                &[
                    (Hash::Sha256, &lc::ECDSA_P384_SHA256_ASN1),
                    (Hash::Sha384, &lc::ECDSA_P384_SHA384_ASN1),
                    (Hash::Sha512, &lc::ECDSA_P384_SHA512_ASN1),
                ],
            ),
            PublicKey::Rsa { n, e } => (
                Kind::Rsa,
                super::unsigned_sequence(&[n, &e.to_be_bytes()]),
                &[
                    (
                        Hash::Sha1,
                        &lc::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                    ),
                    (
                        Hash::Sha256,
                        &lc::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                    ),
                    (Hash::Sha384, &lc::RSA_PKCS1_2048_8192_SHA384),
                    (
                        Hash::Sha512,
                        &lc::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
                    ),
                ],
            ),
            PublicKey::Ed25519(bytes) => (
                Kind::Ed25519,
                bytes.to_vec(),
                &[(Hash::Sha512, &lc::ED25519)],
            ),
        };
        let parsed: Vec<(Hash, Parsed)> = algorithms
            .iter()
            .map(|&(hash, algorithm)| {
                let key = std::sync::OnceLock::new();
                (hash, Parsed { algorithm, key })
            })
            .collect();
        let key = Self {
            bytes,
            parsed,
            kind,
        };
        // The usual hash's parse checks the key now (every algorithm of a key reads the same
        // encoding, so one parse that succeeds says the others will).
        let usual = match kind {
            Kind::Ecdsa | Kind::Rsa => Hash::Sha256,
            Kind::Ed25519 => Hash::Sha512,
        };
        key.key(usual)
            .ok_or(KeyError::Malformed("key refused by aws-lc"))?;
        Ok(key)
    }

    fn key(&self, hash: Hash) -> Option<&ParsedPublicKey> {
        let (_, parsed) = self.parsed.iter().find(|(h, _)| *h == hash)?;
        parsed
            .key
            .get_or_init(|| ParsedPublicKey::new(parsed.algorithm, &self.bytes).ok())
            .as_ref()
    }

    fn matches<'a>(&self, signature: SignatureBytes<'a>) -> Option<&'a [u8]> {
        match (self.kind, signature) {
            (Kind::Ecdsa, SignatureBytes::EcdsaDer(bytes))
            | (Kind::Rsa, SignatureBytes::RsaPkcs1(bytes))
            | (Kind::Ed25519, SignatureBytes::Ed25519(bytes)) => Some(bytes),
            _ => None,
        }
    }

    pub(super) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
        let Some(bytes) = self.matches(signature) else {
            return false;
        };
        let hash = if self.kind == Kind::Ed25519 {
            Hash::Sha512
        } else {
            Hash::Sha256
        };
        self.key(hash)
            .is_some_and(|key| key.verify_sig(message, bytes).is_ok())
    }

    pub(super) fn verify_digest(
        &self,
        hash: Hash,
        digest: &[u8],
        signature: SignatureBytes<'_>,
    ) -> bool {
        let Some(bytes) = self.matches(signature) else {
            return false;
        };
        if self.kind == Kind::Ed25519 {
            // OpenPGP's EdDSA signs the digest as its message.
            return self
                .key(Hash::Sha512)
                .is_some_and(|key| key.verify_sig(digest, bytes).is_ok());
        }
        let algorithm = match hash {
            Hash::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
        };
        let (Some(key), Ok(digest)) = (
            self.key(hash),
            digest::Digest::import_less_safe(digest, algorithm),
        ) else {
            return false;
        };
        key.verify_digest_sig(&digest, bytes).is_ok()
    }
}
