//! cosign signatures checked with public keys, as containers/image's `sigstoreSigned` with
//! `keyPath`/`keyPaths`/`keyData`/`keyDatas` checks them (sigstore's `LoadVerifier` with
//! SHA-256): every key loads or the signature is refused; the first key that verifies wins.

use crate::crypto::keys::{KeyError, PublicKey};
use crate::crypto::{SignatureBytes, VerifyingKey, ecdsa_der};
use crate::go::asn1 as der;
use alloc::borrow::Cow;

/// The annotation holding the base64 signature.
pub(crate) const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// The annotation holding the Rekor SET (cosign's "bundle").
pub(crate) const BUNDLE_ANNOTATION: &str = "dev.sigstore.cosign/bundle";
/// The annotation holding the signing certificate (PEM).
pub(crate) const CERTIFICATE_ANNOTATION: &str = "dev.sigstore.cosign/certificate";
/// The annotation holding the certificate's chain (PEM, root last).
pub(crate) const CHAIN_ANNOTATION: &str = "dev.sigstore.cosign/chain";

/// A key prepared for cosign signatures.
#[derive(Clone, Debug)]
pub(crate) struct CosignKey {
    key: VerifyingKey,
    kind: KeyKind,
    /// The key as sigstore's `MarshalPublicKeyToPEM` writes it (what a Rekor entry holds).
    pem: alloc::vec::Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Ecdsa(usize),
    Rsa,
    Ed25519,
}

impl CosignKey {
    /// Prepares a parsed public key.
    pub(crate) fn new(key: &PublicKey) -> Result<Self, KeyError> {
        Ok(Self::prepared(key, VerifyingKey::new(key)?))
    }

    /// A parsed public key with `verifying`, the same key already prepared.
    pub(crate) fn prepared(key: &PublicKey, verifying: VerifyingKey) -> Self {
        let kind = match key {
            PublicKey::P256(_) => KeyKind::Ecdsa(32),
            PublicKey::P384(_) => KeyKind::Ecdsa(48),
            PublicKey::Rsa { .. } => KeyKind::Rsa,
            PublicKey::Ed25519(_) => KeyKind::Ed25519,
        };
        Self {
            key: verifying,
            kind,
            pem: crate::go::pem::encode("PUBLIC KEY", &key.to_pkix_der()),
        }
    }

    /// The key in PEM, as sigstore marshals it.
    pub(crate) fn pem(&self) -> &[u8] {
        &self.pem
    }

    /// Whether `signature` (decoded from base64) signs `payload`, read as sigstore reads it.
    pub(crate) fn verify(&self, payload: &[u8], signature: &[u8]) -> bool {
        match self.kind {
            KeyKind::Ecdsa(scalar) => match ecdsa_signature(signature, scalar) {
                Some(der) => self.key.verify(payload, SignatureBytes::EcdsaDer(&der)),
                None => false,
            },
            KeyKind::Rsa => self
                .key
                .verify(payload, SignatureBytes::RsaPkcs1(signature)),
            KeyKind::Ed25519 => self.key.verify(payload, SignatureBytes::Ed25519(signature)),
        }
    }
}

/// An ECDSA signature as sigstore's `ECDSAVerifier` reads it, as strict DER for the backends:
/// if `encoding/asn1` can read a `SEQUENCE { INTEGER, INTEGER }` at the start (trailing data
/// and extra elements tolerated), the bytes must be exact DER; otherwise they are IEEE P1363
/// `r || s`, split in the middle (an even length of at most 132 bytes).
pub(crate) fn ecdsa_signature(signature: &[u8], scalar: usize) -> Option<Cow<'_, [u8]>> {
    if asn1_lenient(signature) {
        let (body, rest) = der::expect(signature, der::SEQUENCE)?;
        let (_, body) = der::integer(body)?;
        let (_, body) = der::integer(body)?;
        return (rest.is_empty() && body.is_empty()).then_some(Cow::Borrowed(signature));
    }
    if signature.is_empty() || signature.len() > 132 || !signature.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = signature.split_at(signature.len() / 2);
    let significant = |x: &[u8]| x.len() - x.iter().take_while(|&&b| b == 0).count();
    // A value wider than the curve's order can never verify.
    if significant(r) > scalar || significant(s) > scalar {
        return None;
    }
    Some(Cow::Owned(ecdsa_der(r, s)))
}

/// Whether Go's `asn1.Unmarshal` into `struct{ R, S *big.Int }` succeeds.
fn asn1_lenient(signature: &[u8]) -> bool {
    let Some((body, _)) = der::expect(signature, der::SEQUENCE) else {
        return false;
    };
    der::integer(body)
        .and_then(|(_, rest)| der::integer(rest))
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_encodings() {
        let der = ecdsa_der(&[1; 32], &[2; 32]);
        assert_eq!(ecdsa_signature(&der, 32).as_deref(), Some(&der[..]));
        // Trailing data after DER is not raw r||s: it is refused.
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(asn1_lenient(&trailing));
        assert_eq!(ecdsa_signature(&trailing, 32), None);
        // Raw r || s of any even length up to 132, each half at most the scalar size.
        let raw = [[1u8; 32], [2u8; 32]].concat();
        assert_eq!(ecdsa_signature(&raw, 32).as_deref(), Some(&der[..]));
        let short = [[1u8; 31], [2u8; 31]].concat();
        assert!(ecdsa_signature(&short, 32).is_some());
        let padded = [&[0u8; 2][..], &[1; 32], &[0; 2], &[2; 32]].concat();
        assert_eq!(ecdsa_signature(&padded, 32).as_deref(), Some(&der[..]));
        assert_eq!(ecdsa_signature(&[1; 66], 32), None);
        assert_eq!(ecdsa_signature(&[1; 63], 32), None);
        assert_eq!(ecdsa_signature(&[], 32), None);
        assert_eq!(ecdsa_signature(&[1; 134], 66), None);
    }
}
