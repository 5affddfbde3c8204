//! Version 4 public-key packets (RFC 4880 §5.5.2): fingerprints, key IDs, and the public
//! keys vouch verifies with: RSA, ECDSA on P-256 and P-384, and EdDSA on Ed25519. Other
//! algorithms are read for their fingerprint only, and nothing they sign is accepted.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha1::Digest as _;

use super::PgpError;
use super::packet::Reader;
use super::sig::{Sig, crypto_hash};
use crate::crypto::keys::{KeyError, PublicKey};
use crate::crypto::{self, SignatureBytes, VerifyingKey};
use crate::signature::key_problem::UnsupportedKey;
use crate::signature::problem::{OpenPgpProblem, algorithm_name, hash_name};

/// A public key or subkey packet, read.
#[derive(Clone, Debug)]
pub(super) struct KeyPacket {
    /// The packet body, as it is hashed for fingerprints and key signatures.
    pub(super) body: Vec<u8>,
    pub(super) created: u32,
    pub(super) algorithm: u8,
    pub(super) fingerprint: [u8; 20],
    pub(super) material: Material,
}

/// What a key verifies with: a key prepared by the crypto interface, and its kind.
#[derive(Clone, Debug)]
pub(super) enum Material {
    Rsa(VerifyingKey),
    /// ECDSA, with the curve's size in bytes (32 for P-256, 48 for P-384).
    Ecdsa(VerifyingKey, usize),
    Ed25519(VerifyingKey),
    /// An algorithm or parameters vouch does not verify with.
    Unsupported(UnsupportedKey),
}

/// Curve OIDs (the DER content bytes) of RFC 6637 and RFC 4880bis.
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const ED25519: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01];

impl KeyPacket {
    /// Reads a public key or subkey packet. Only version 4 keys are read, as gpg 2.2 reads
    /// only those (it skips version 3 keys, and knows no later version).
    pub(super) fn parse(body: &[u8]) -> Result<Self, PgpError> {
        Self::read(body, false)
    }

    /// Reads the public part of a secret key or subkey packet, as gpg imports a secret key
    /// file's public key. The public fields must be of an algorithm whose layout vouch knows.
    pub(super) fn parse_secret(body: &[u8]) -> Result<Self, PgpError> {
        Self::read(body, true)
    }

    fn read(body: &[u8], secret: bool) -> Result<Self, PgpError> {
        let mut r = Reader::new(body);
        let version = r.u8("the key version")?;
        if version != 4 {
            return Err(PgpError::Malformed(OpenPgpProblem::KeyVersion(version)));
        }
        if body.len() > usize::from(u16::MAX) {
            return Err(PgpError::Malformed(OpenPgpProblem::KeyTooLarge));
        }
        let created = r.u32("the key's creation time")?;
        let algorithm = r.u8("the key's algorithm")?;
        let material = match algorithm {
            1 | 3 => {
                let n = r.mpi("the RSA modulus")?;
                let e = r.mpi("the RSA exponent")?;
                rsa_key(n, e)
            }
            19 | 22 => {
                let oid_len = usize::from(r.u8("the curve OID length")?);
                let oid = r.bytes(oid_len, "the curve OID")?;
                let point = r.mpi("the public point")?;
                curve_key(algorithm, oid, point)
            }
            other => {
                if secret {
                    // The public fields of the other algorithms gpg knows: MPIs, and ECDH's
                    // curve, point and KDF parameters.
                    match other {
                        17 => (0..4).try_for_each(|_| r.mpi("a DSA key field").map(drop))?,
                        16 | 20 => {
                            (0..3).try_for_each(|_| r.mpi("an Elgamal key field").map(drop))?
                        }
                        18 => {
                            let oid_len = usize::from(r.u8("the curve OID length")?);
                            r.bytes(oid_len, "the curve OID")?;
                            r.mpi("the public point")?;
                            let kdf_len = usize::from(r.u8("the KDF parameters' length")?);
                            r.bytes(kdf_len, "the KDF parameters")?;
                        }
                        _ => {
                            return Err(PgpError::Malformed(OpenPgpProblem::SecretKeyAlgorithm(
                                other,
                            )));
                        }
                    }
                }
                Material::Unsupported(UnsupportedKey::Algorithm(other))
            }
        };
        // A secret key's public part ends where its public fields end.
        let body = if secret {
            &body[..body.len() - r.rest.len()]
        } else {
            body
        };
        let mut sha1 = sha1::Sha1::new();
        sha1.update(super::sig::key_header(body));
        sha1.update(body);
        Ok(Self {
            body: body.to_vec(),
            created,
            algorithm,
            fingerprint: sha1.finalize().into(),
            material,
        })
    }

    /// The 64-bit key ID: the fingerprint's last 8 bytes.
    pub(super) fn key_id(&self) -> [u8; 8] {
        super::packet::be(&self.fingerprint[12..])
    }

    /// Whether `sig` was made with this key's algorithm (RSA's sign-only variant counts as
    /// RSA); `Err` says what it was made with.
    pub(super) fn same_algorithm(&self, sig: &Sig) -> Result<(), OpenPgpProblem> {
        let family = |a: u8| if a == 3 { 1 } else { a };
        if family(sig.key_algorithm) == family(self.algorithm) {
            return Ok(());
        }
        Err(OpenPgpProblem::AlgorithmMismatch {
            signature: sig.key_algorithm,
            key: self.algorithm,
        })
    }

    /// Verifies `sig` over `digest` (computed by the caller from the signature's hash
    /// algorithm). `Err` says why not.
    pub(super) fn verify(&self, sig: &Sig, digest: &[u8]) -> Result<(), String> {
        self.same_algorithm(sig).map_err(|_| {
            format!(
                "made with {}, but the key is {}",
                algorithm_name(sig.key_algorithm),
                algorithm_name(self.algorithm)
            )
        })?;
        let weak = || format!("{} is too weak a hash for this key", hash_name(sig.hash));
        let hash = crypto_hash(sig.hash)
            .ok_or_else(|| format!("{} signatures are not accepted", hash_name(sig.hash)))?;
        let ok = match &self.material {
            Material::Unsupported(what) => return Err(format!("{what}")),
            Material::Rsa(key) => match sig.mpis.as_slice() {
                // An MPI has no leading zeros: the value is padded back to the modulus
                // length, and a longer one is refused.
                [value] => key.rsa_len().is_some_and(|len| {
                    len >= value.len() && {
                        let mut padded = alloc::vec![0u8; len - value.len()];
                        padded.extend_from_slice(value);
                        key.verify_digest(hash, digest, SignatureBytes::RsaPkcs1(&padded))
                    }
                }),
                _ => false,
            },
            Material::Ecdsa(key, size) => {
                if digest.len() < *size {
                    return Err(weak());
                }
                match sig.mpis.as_slice() {
                    [r, s] if significant(r) <= *size && significant(s) <= *size => {
                        let der = crypto::ecdsa_der(r, s);
                        key.verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
                    }
                    _ => false,
                }
            }
            Material::Ed25519(key) => {
                if digest.len() < 32 {
                    return Err(weak());
                }
                scalars::<32>(&sig.mpis).is_some_and(|(r, s)| {
                    let mut bytes = [0u8; 64];
                    bytes[..32].copy_from_slice(&r);
                    bytes[32..].copy_from_slice(&s);
                    key.verify_digest(hash, digest, SignatureBytes::Ed25519(&bytes))
                })
            }
        };
        if ok {
            Ok(())
        } else {
            Err(String::from("the signature value does not match"))
        }
    }
}

/// The length of a big-endian number without its leading zeros.
fn significant(value: &[u8]) -> usize {
    value.len() - value.iter().take_while(|&&b| b == 0).count()
}

/// An RSA key from its MPIs, if vouch verifies with it.
fn rsa_key(n: &[u8], e: &[u8]) -> Material {
    let e_bytes = &e[e.len() - significant(e)..];
    let unusable = |problem| {
        Material::Unsupported(UnsupportedKey::Rsa {
            bits: significant(n) * 8,
            problem,
        })
    };
    if e_bytes.len() > 8 {
        return unusable(KeyError::Unsupported("RSA exponent larger than 64 bits"));
    }
    let e = e_bytes
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let key = PublicKey::Rsa {
        n: n[n.len() - significant(n)..].to_vec(),
        e,
    };
    match VerifyingKey::new(&key) {
        Ok(key) => Material::Rsa(key),
        Err(why) => unusable(why),
    }
}

/// Two MPIs as big-endian numbers of `N` bytes; `None` when there are not two, or one is
/// longer.
fn scalars<const N: usize>(mpis: &[Vec<u8>]) -> Option<([u8; N], [u8; N])> {
    let [r, s] = mpis else { return None };
    let pad = |v: &[u8]| -> Option<[u8; N]> {
        let mut out = [0u8; N];
        out.get_mut(N.checked_sub(v.len())?..)?.copy_from_slice(v);
        Some(out)
    };
    Some((pad(r)?, pad(s)?))
}

/// An ECDSA or EdDSA key from its curve and point.
fn curve_key(algorithm: u8, oid: &[u8], point: &[u8]) -> Material {
    let off_curve = || Material::Unsupported(UnsupportedKey::OffCurve);
    let prepared = |key: PublicKey| VerifyingKey::new(&key).ok();
    match (algorithm, oid) {
        (19, P256 | P384) => {
            let size = if oid == P256 { 32 } else { 48 };
            // An uncompressed point: 0x04, then x and y.
            if point.len() != 1 + 2 * size || point[0] != 4 {
                return off_curve();
            }
            let key = if size == 32 {
                PublicKey::P256(point.to_vec())
            } else {
                PublicKey::P384(point.to_vec())
            };
            prepared(key).map_or_else(off_curve, |key| Material::Ecdsa(key, size))
        }
        // A native point: the prefix 0x40, then the 32-byte encoding.
        (22, ED25519) => match point {
            [0x40, rest @ ..] => <[u8; 32]>::try_from(rest)
                .ok()
                .and_then(|bytes| prepared(PublicKey::Ed25519(bytes)))
                .map_or_else(off_curve, Material::Ed25519),
            _ => off_curve(),
        },
        _ => Material::Unsupported(UnsupportedKey::Curve {
            algorithm,
            oid: oid.to_vec(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_padded_and_bounded() {
        let two = [alloc::vec![1u8], alloc::vec![2u8, 3]];
        let (r, s) = scalars::<4>(&two).unwrap();
        assert_eq!((r, s), ([0, 0, 0, 1], [0, 0, 2, 3]));
        assert!(scalars::<1>(&two).is_none());
        assert!(scalars::<4>(&two[..1]).is_none());
    }

    #[test]
    fn only_version_4_keys_are_read() {
        assert!(KeyPacket::parse(&[3, 0, 0, 0, 0, 1]).is_err());
        assert!(KeyPacket::parse(&[5, 0, 0, 0, 0, 1]).is_err());
        // A version 4 Elgamal key is read for its fingerprint, and verifies nothing.
        let key = KeyPacket::parse(&[4, 0, 0, 0, 1, 16, 0, 1, 1]).unwrap();
        assert!(matches!(key.material, Material::Unsupported(_)));
        assert_eq!(key.created, 1);
    }
}
