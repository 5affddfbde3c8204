//! The keys of Rekor v1 entries and how their signatures are checked, as Rekor's `pki/x509`
//! and sigstore's verifiers do it: a PEM public key or certificate, and a signature over a
//! digest the entry names (ECDSA as DER or as `r ‖ s`, RSA PKCS #1 v1.5).

use alloc::string::String;

use crate::crypto::keys::{self, PublicKey};
use crate::crypto::{Hash, SignatureBytes, VerifyingKey};
use crate::go::pem;
use crate::signature::sigstore::ecdsa_signature;
use crate::trust::certificate::{self, Certificate};
use alloc::vec::Vec;

/// What an entry's `publicKey` holds.
#[derive(Clone, Debug)]
pub(crate) enum EntryKey {
    Key(PublicKey),
    Certificate(alloc::boxed::Box<Certificate>),
}

impl EntryKey {
    /// The public key that verifies.
    pub(crate) fn public_key(&self) -> Option<&PublicKey> {
        match self {
            Self::Key(key) => Some(key),
            Self::Certificate(c) => c.view.public_key.as_ref(),
        }
    }
}

/// Rekor's `x509.NewPublicKey`: one PEM block after trimming white space, a `PUBLIC KEY` or a
/// `CERTIFICATE`. (A certificate chain in one PEM file, which Rekor also reads, is refused:
/// no sigstore client writes one into a bundle's entry.)
pub(crate) fn rekor_public_key(pem_text: &[u8]) -> Result<EntryKey, String> {
    let trimmed = trim(pem_text);
    let Some((block, rest)) = pem::decode(trimmed) else {
        return Err("invalid public key: failure decoding PEM".into());
    };
    if !rest.is_empty() {
        return Err(
            "invalid public key: a certificate chain in an entry is not read by vouch".into(),
        );
    }
    match block.kind.as_str() {
        "PUBLIC KEY" => keys::from_pkix(&block.bytes)
            .map(EntryKey::Key)
            .map_err(|e| alloc::format!("invalid public key: {e}")),
        "CERTIFICATE" => certificate::parse(&block.bytes)
            .map(|c| EntryKey::Certificate(alloc::boxed::Box::new(c)))
            .map_err(|e| alloc::format!("invalid public key: {e}")),
        other => Err(alloc::format!(
            "invalid public key: cannot handle type {other}"
        )),
    }
}

/// The key in an entry as sigstore-go's accessor reads it for comparison: the first PEM block
/// anywhere in the text, a certificate if it parses as one, else a PKIX key.
pub(crate) fn entry_key(pem_text: &[u8]) -> Option<EntryKey> {
    let (block, _) = pem::decode(pem_text)?;
    if let Ok(c) = certificate::parse(&block.bytes) {
        return Some(EntryKey::Certificate(alloc::boxed::Box::new(c)));
    }
    keys::from_pkix(&block.bytes).ok().map(EntryKey::Key)
}

fn trim(mut data: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = data {
        if !first.is_ascii_whitespace() {
            break;
        }
        data = rest;
    }
    while let [rest @ .., last] = data {
        if !last.is_ascii_whitespace() {
            break;
        }
        data = rest;
    }
    data
}

/// The hash an entry names (`sha256`, `sha384`, `sha512`).
pub(crate) fn named_hash(algorithm: &str) -> Option<Hash> {
    match algorithm {
        "sha256" => Some(Hash::Sha256),
        "sha384" => Some(Hash::Sha384),
        "sha512" => Some(Hash::Sha512),
        _ => None,
    }
}

/// Whether `signature` signs `digest` (a hash named `algorithm`) with `key`, as Rekor's
/// hashedrekord model checks it. Ed25519 keys sign with Ed25519ph there, which vouch does not
/// verify: refused (fail closed).
pub(crate) fn verify_prehashed(
    key: &EntryKey,
    algorithm: &str,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    let (Some(public), Some(hash)) = (key.public_key(), named_hash(algorithm)) else {
        return false;
    };
    if digest.len() != hash.len() {
        return false;
    }
    let Ok(verifying) = VerifyingKey::new(public) else {
        return false;
    };
    match public {
        PublicKey::P256(_) => ecdsa_signature(signature, 32).is_some_and(|der| {
            verifying.verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
        }),
        PublicKey::P384(_) => ecdsa_signature(signature, 48).is_some_and(|der| {
            verifying.verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
        }),
        PublicKey::Rsa { .. } => {
            verifying.verify_digest(hash, digest, SignatureBytes::RsaPkcs1(signature))
        }
        PublicKey::Ed25519(_) => false,
    }
}

/// Whether `signature` signs `message` (whose SHA-256 is `digest`) with `key`, as sigstore's
/// `LoadVerifier(key, SHA256)` checks it: ECDSA (DER or `r ‖ s`) and RSA PKCS #1 v1.5 over
/// SHA-256 whatever the curve or size, Ed25519 over the message.
pub(crate) fn verify_sha256(
    key: &EntryKey,
    digest: &[u8; 32],
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Some(public) = key.public_key() else {
        return false;
    };
    let Ok(verifying) = VerifyingKey::new(public) else {
        return false;
    };
    match public {
        PublicKey::P256(_) => ecdsa_signature(signature, 32).is_some_and(|der| {
            verifying.verify_digest(Hash::Sha256, digest, SignatureBytes::EcdsaDer(&der))
        }),
        PublicKey::P384(_) => ecdsa_signature(signature, 48).is_some_and(|der| {
            verifying.verify_digest(Hash::Sha256, digest, SignatureBytes::EcdsaDer(&der))
        }),
        PublicKey::Rsa { .. } => {
            verifying.verify_digest(Hash::Sha256, digest, SignatureBytes::RsaPkcs1(signature))
        }
        PublicKey::Ed25519(_) => verifying.verify(message, SignatureBytes::Ed25519(signature)),
    }
}

/// The hash sigstore-go signs and verifies with for a log's key (`getSignatureHashAlgo`):
/// SHA-384 for P-384, SHA-256 otherwise (Ed25519 signs the message itself).
pub(crate) fn log_hash(key: &PublicKey) -> Hash {
    match key {
        PublicKey::P384(_) => Hash::Sha384,
        _ => Hash::Sha256,
    }
}

/// The digest of `message` by `hash`.
pub(crate) fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    match hash {
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        // Never asked for: no log, key or entry signs with SHA-1 here.
        Hash::Sha1 => Vec::new(),
    }
}

/// Whether `signature` signs `message` with `key`, hashing with `hash` (ECDSA as DER or
/// `r ‖ s`, RSA PKCS #1 v1.5), or, for Ed25519, over the message itself.
pub(crate) fn verify_message(
    key: &PublicKey,
    verifying: &VerifyingKey,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> bool {
    match key {
        PublicKey::P256(_) | PublicKey::P384(_) => {
            let scalar = if matches!(key, PublicKey::P256(_)) {
                32
            } else {
                48
            };
            ecdsa_signature(signature, scalar).is_some_and(|der| {
                verifying.verify_digest(
                    hash,
                    &digest(hash, message),
                    SignatureBytes::EcdsaDer(&der),
                )
            })
        }
        PublicKey::Rsa { .. } => verifying.verify_digest(
            hash,
            &digest(hash, message),
            SignatureBytes::RsaPkcs1(signature),
        ),
        PublicKey::Ed25519(_) => verifying.verify(message, SignatureBytes::Ed25519(signature)),
    }
}

/// The size of an RSA modulus in bits (big-endian, leading zero bytes allowed).
pub(crate) fn rsa_bits(n: &[u8]) -> usize {
    let n = &n[n.iter().take_while(|&&b| b == 0).count()..];
    n.first()
        .map_or(0, |b| n.len() * 8 - b.leading_zeros() as usize)
}
