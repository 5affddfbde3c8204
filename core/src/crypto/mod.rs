//! The one place where public-key operations happen: verify this signature over these bytes
//! (or this digest) with this prepared key; and public keys as Go reads them (`keys`), which
//! cosign signatures, OpenPGP keys, Rekor logs and certificates all hand to it. vouch does no public-key arithmetic of its own;
//! the work is done by one of two audited backends, chosen at compile time:
//!
//! * **aws-lc-rs** (feature `aws-lc`, on by default): native builds — the CLI, the C library
//!   and the Rust crate's default features;
//! * **RustCrypto** (`p256`, `p384`, `ed25519-dalek`, `rsa`): where aws-lc cannot run (wasm,
//!   `no_std`). It is always compiled, so that a native test build can hold the two backends
//!   to the same answers on every vector ([`cross_check`]).
//!
//! Both backends see exactly the same inputs: keys are accepted by one rule
//! ([`VerifyingKey::new`]) and signature encodings are normalised before they get here (ECDSA
//! as strict DER, RSA as the modulus-length block, Ed25519 as 64 bytes).

use alloc::vec::Vec;

pub(crate) mod keys;

use keys::{KeyError, PublicKey};
pub(crate) use keys::{RSA_MAX_BITS, RSA_MIN_BITS};

/// The digests signatures are verified over.
///
/// These are the hashes both backends verify RSA PKCS #1 v1.5 and ECDSA signatures with.
/// OpenPGP's SHA-224 and RIPEMD-160 are not among them: aws-lc-rs offers no RSA verification
/// with either, and vouch refuses such signatures in every build (docs/decisions.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
pub(crate) enum Hash {
    /// SHA-1 (OpenPGP only; never for ECDSA, whose keys need at least their own size).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The digest's length in bytes.
    pub(crate) const fn len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The DER `DigestInfo` that precedes the digest in an RSA PKCS #1 v1.5 block (RFC 8017
    /// §9.2, note 1).
    #[cfg_attr(feature = "aws-lc", allow(dead_code))]
    const fn digest_info(self) -> &'static [u8] {
        match self {
            Self::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Self::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Self::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Self::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// The signature forms vouch verifies.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SignatureBytes<'a> {
    /// ECDSA as strict DER (`SEQUENCE { r INTEGER, s INTEGER }`).
    EcdsaDer(&'a [u8]),
    /// RSA PKCS #1 v1.5: exactly as long as the modulus.
    RsaPkcs1(&'a [u8]),
    /// Ed25519: 64 bytes.
    Ed25519(&'a [u8]),
}

/// The largest RSA exponent both backends take (odd exponents from 3 up to it, moduli of
/// [`RSA_MIN_BITS`] to [`RSA_MAX_BITS`] bits). Key readers may be stricter (Go's are).
const RSA_MAX_EXPONENT: u64 = (1 << 33) - 1;

/// A public key prepared for verification once, at compile time.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
pub(crate) struct VerifyingKey {
    inner: Active,
    /// For RSA, the modulus length in bytes (the length of a signature).
    rsa_len: Option<usize>,
}

#[cfg(feature = "aws-lc")]
mod aws_lc;
#[cfg_attr(feature = "aws-lc", allow(dead_code))]
mod rustcrypto;
#[cfg(test)]
mod wycheproof;

#[cfg(feature = "aws-lc")]
type Active = aws_lc::Key;
#[cfg(not(feature = "aws-lc"))]
type Active = rustcrypto::Key;

#[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
impl VerifyingKey {
    /// Prepares `key`; fails when the point is not on its curve, or an RSA key is outside
    /// what vouch verifies with (see [`RSA_MIN_BITS`]).
    pub(crate) fn new(key: &PublicKey) -> Result<Self, KeyError> {
        let rsa_len = match key {
            PublicKey::Rsa { n, e } => Some(rsa_acceptable(n, *e)?),
            _ => None,
        };
        Ok(Self {
            inner: Active::new(key)?,
            rsa_len,
        })
    }

    /// For an RSA key, the modulus length in bytes.
    pub(crate) fn rsa_len(&self) -> Option<usize> {
        self.rsa_len
    }

    /// Whether `signature` is a valid signature of `message` by this key: ECDSA and RSA over
    /// the message's SHA-256 (as sigstore's verifiers hash), Ed25519 over the message itself.
    pub(crate) fn verify(&self, message: &[u8], signature: SignatureBytes<'_>) -> bool {
        self.inner.verify(message, signature)
    }

    /// Whether `signature` signs `digest`, a `hash` the caller computed (OpenPGP). For an
    /// Ed25519 key the digest is the signed message, as OpenPGP's EdDSA signs it.
    pub(crate) fn verify_digest(
        &self,
        hash: Hash,
        digest: &[u8],
        signature: SignatureBytes<'_>,
    ) -> bool {
        digest.len() == hash.len() && self.inner.verify_digest(hash, digest, signature)
    }
}

/// The one rule for RSA keys: an odd modulus of [`RSA_MIN_BITS`] to [`RSA_MAX_BITS`] bits and
/// an odd exponent from 3 to 2^33 − 1 (the intersection of what aws-lc and the `rsa` crate
/// verify with). Returns the modulus length in bytes.
fn rsa_acceptable(n: &[u8], e: u64) -> Result<usize, KeyError> {
    let n = &n[n.iter().take_while(|&&b| b == 0).count()..];
    let Some(&first) = n.first() else {
        return Err(KeyError::Malformed("RSA modulus is zero"));
    };
    let bits = n.len() * 8 - first.leading_zeros() as usize;
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(KeyError::Unsupported(
            "RSA modulus outside 1024 to 8192 bits",
        ));
    }
    if n.last().is_some_and(|b| b % 2 == 0) {
        return Err(KeyError::Unsupported("RSA modulus is even"));
    }
    if e < 3 || e.is_multiple_of(2) || e > RSA_MAX_EXPONENT {
        return Err(KeyError::Unsupported(
            "RSA exponent even, below 3 or above 2^33",
        ));
    }
    Ok(n.len())
}

/// DER `SEQUENCE { r, s }` of two big-endian unsigned integers (leading zeros allowed).
pub(crate) fn ecdsa_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    unsigned_sequence(&[r, s])
}

/// Encodes `SEQUENCE { INTEGER... }` of big-endian unsigned values (leading zeros allowed).
pub(crate) fn unsigned_sequence(values: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    for value in values {
        let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
        let value = &value[start..];
        let pad = value.first().is_none_or(|&b| b & 0x80 != 0);
        body.push(0x02);
        push_len(&mut body, value.len() + usize::from(pad));
        if pad {
            body.push(0);
        }
        body.extend_from_slice(value);
    }
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(0x30);
    push_len(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

/// One DER TLV with a definite length.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 4);
    out.push(tag);
    push_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    match len {
        0..0x80 => out.push(len as u8),
        0x80..0x100 => out.extend_from_slice(&[0x81, len as u8]),
        0x100..0x10000 => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
}

/// Both backends' answers for one verification (`None` where a backend refuses the key), for
/// tests that hold them to each other: only in native test builds, where both are compiled.
/// With `hash`, `message` is the digest.
#[cfg(all(test, feature = "aws-lc"))]
pub(crate) fn cross_check(
    key: &PublicKey,
    hash: Option<Hash>,
    message: &[u8],
    signature: SignatureBytes<'_>,
) -> (Option<bool>, Option<bool>) {
    if hash.is_some_and(|hash| hash.len() != message.len()) {
        return (Some(false), Some(false));
    }
    let lc = aws_lc::Key::new(key).ok().map(|k| match hash {
        Some(hash) => k.verify_digest(hash, message, signature),
        None => k.verify(message, signature),
    });
    let rc = rustcrypto::Key::new(key).ok().map(|k| match hash {
        Some(hash) => k.verify_digest(hash, message, signature),
        None => k.verify(message, signature),
    });
    (lc, rc)
}

#[cfg(test)]
mod encoding_tests {
    #[test]
    fn unsigned_integers_are_encoded_minimally() {
        let der = super::unsigned_sequence(&[&[0, 0, 0x80], &[1], &[]]);
        assert_eq!(der, [0x30, 0x0a, 2, 2, 0, 0x80, 2, 1, 1, 2, 1, 0]);
    }
}
