//! Public keys in PEM, read as sigstore's `cryptoutils.UnmarshalPEMToPublicKey` reads them:
//! the first PEM block that decodes, of type `PUBLIC KEY` (PKIX, as Go's
//! `x509.ParsePKIXPublicKey`) or `RSA PUBLIC KEY` (PKCS #1, as `x509.ParsePKCS1PublicKey`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::der;
use super::pem;

/// A public key vouch can verify with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// ECDSA on P-256: the uncompressed point (65 bytes).
    P256(Vec<u8>),
    /// ECDSA on P-384: the uncompressed point (97 bytes).
    P384(Vec<u8>),
    /// RSA: modulus and exponent, big-endian without leading zeros.
    Rsa { n: Vec<u8>, e: u64 },
    /// Ed25519: the 32-byte public key.
    Ed25519([u8; 32]),
}

/// Why key bytes are not a public key vouch can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// No PEM block decodes (Go: "PEM decoding failed").
    NoPem,
    /// The first block is not a public key.
    PemType(String),
    /// The DER does not parse as Go parses it.
    Malformed(&'static str),
    /// A key Go would load, of an algorithm or size vouch does not verify with.
    Unsupported(&'static str),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPem => f.write_str("no PEM block"),
            Self::PemType(kind) => write!(f, "PEM block of type {kind:?}, not a public key"),
            Self::Malformed(what) => write!(f, "malformed public key: {what}"),
            Self::Unsupported(what) => write!(f, "unsupported public key: {what}"),
        }
    }
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P224: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x21];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

/// The RSA keys vouch verifies with, in bits of modulus (both crypto backends take them).
pub(crate) const RSA_MIN_BITS: usize = 1024;
/// See [`RSA_MIN_BITS`].
pub(crate) const RSA_MAX_BITS: usize = 8192;

/// Parses the first PEM block of `data` as a public key.
pub(crate) fn from_pem(data: &[u8]) -> Result<PublicKey, KeyError> {
    let (block, _) = pem::decode(data).ok_or(KeyError::NoPem)?;
    match block.kind.as_str() {
        "PUBLIC KEY" => from_pkix(&block.bytes),
        "RSA PUBLIC KEY" => from_pkcs1(&block.bytes),
        _ => Err(KeyError::PemType(block.kind)),
    }
}

/// A DER SubjectPublicKeyInfo.
pub(crate) fn from_pkix(input: &[u8]) -> Result<PublicKey, KeyError> {
    let malformed = KeyError::Malformed;
    let (info, rest) = der::expect(input, der::SEQUENCE).ok_or(malformed("not a SEQUENCE"))?;
    if !rest.is_empty() {
        return Err(malformed("trailing data after the public key"));
    }
    let (algorithm, info) =
        der::expect(info, der::SEQUENCE).ok_or(malformed("bad AlgorithmIdentifier"))?;
    let (bits, _) = der::expect(info, der::BIT_STRING).ok_or(malformed("bad BIT STRING"))?;
    let key = match bits {
        [0, key @ ..] => key,
        _ => return Err(malformed("BIT STRING with padding bits")),
    };
    let (oid, params) = der::expect(algorithm, der::OID).ok_or(malformed("bad algorithm OID"))?;
    // The optional parameters: one element, whose full encoding is compared.
    let params = match der::element(params) {
        Some((element, _)) => element.full,
        None if params.is_empty() => &[][..],
        None => return Err(malformed("bad algorithm parameters")),
    };
    match oid {
        OID_RSA => {
            if params != [der::NULL, 0] {
                return Err(malformed("RSA key without NULL parameters"));
            }
            // Go reads the first SEQUENCE and ignores what follows it.
            let (sequence, _) = der::expect(key, der::SEQUENCE).ok_or(malformed("bad RSA key"))?;
            rsa_key(sequence)
        }
        OID_EC => {
            let (curve, _) = der::expect(params, der::OID).ok_or(malformed("bad EC parameters"))?;
            match curve {
                OID_P256 => point(key, 32).map(PublicKey::P256),
                OID_P384 => point(key, 48).map(PublicKey::P384),
                OID_P224 => Err(KeyError::Unsupported("ECDSA on P-224")),
                OID_P521 => Err(KeyError::Unsupported("ECDSA on P-521")),
                _ => Err(KeyError::Unsupported("elliptic curve")),
            }
        }
        OID_ED25519 => {
            if !params.is_empty() {
                return Err(malformed("Ed25519 key with parameters"));
            }
            let key: [u8; 32] = key
                .try_into()
                .map_err(|_| malformed("wrong Ed25519 key size"))?;
            Ok(PublicKey::Ed25519(key))
        }
        _ => Err(KeyError::Unsupported("public key algorithm")),
    }
}

/// A DER PKCS #1 RSAPublicKey (`RSA PUBLIC KEY`).
pub(crate) fn from_pkcs1(input: &[u8]) -> Result<PublicKey, KeyError> {
    let (sequence, rest) =
        der::expect(input, der::SEQUENCE).ok_or(KeyError::Malformed("not a SEQUENCE"))?;
    if !rest.is_empty() {
        return Err(KeyError::Malformed("trailing data after the RSA key"));
    }
    rsa_key(sequence)
}

/// Modulus and exponent. Elements after them are ignored, as both of Go's readers do.
fn rsa_key(sequence: &[u8]) -> Result<PublicKey, KeyError> {
    let malformed = KeyError::Malformed;
    let (n, rest) = der::integer(sequence).ok_or(malformed("bad RSA modulus"))?;
    let (e, _) = der::integer(rest).ok_or(malformed("bad RSA exponent"))?;
    let n = der::unsigned(n)
        .filter(|n| !n.is_empty())
        .ok_or(malformed("RSA modulus is not positive"))?;
    let e = der::unsigned(e)
        .filter(|e| !e.is_empty())
        .ok_or(malformed("RSA exponent is not positive"))?;
    // Go keeps the exponent in an int and refuses anything above 2^31 - 1 when verifying.
    if e.len() > 4 {
        return Err(malformed("RSA exponent too large"));
    }
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    if e > 0x7fff_ffff {
        return Err(malformed("RSA exponent too large"));
    }
    // Go's crypto/rsa refuses these at verification, for every signature.
    if e < 2 || e % 2 == 0 {
        return Err(KeyError::Unsupported("RSA exponent below 2 or even"));
    }
    if n.last().is_some_and(|b| b % 2 == 0) {
        return Err(KeyError::Unsupported("RSA modulus is even"));
    }
    let bits = n.len() * 8 - n[0].leading_zeros() as usize;
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(KeyError::Unsupported(
            "RSA modulus outside 1024 to 8192 bits",
        ));
    }
    Ok(PublicKey::Rsa {
        n: n.into(),
        e: u64::from(e),
    })
}

/// An uncompressed point (Go's `elliptic.Unmarshal` reads nothing else). Whether it is on the
/// curve is checked when the key is prepared for verification.
fn point(key: &[u8], size: usize) -> Result<Vec<u8>, KeyError> {
    if key.len() != 1 + 2 * size || key[0] != 4 {
        return Err(KeyError::Malformed(
            "EC point is not uncompressed or has the wrong size",
        ));
    }
    Ok(key.into())
}
