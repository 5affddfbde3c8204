//! Public keys in PEM, read as sigstore's `cryptoutils.UnmarshalPEMToPublicKey` reads them:
//! the first PEM block that decodes (Go's PEM reading, hand-written in `go::pem` for its
//! leniencies), of type `PUBLIC KEY` (PKIX, as Go's `x509.ParsePKIXPublicKey`) or
//! `RSA PUBLIC KEY` (PKCS #1, as `x509.ParsePKCS1PublicKey`). The DER inside is read with the
//! `der` crate; Go's leniencies around it are named where they are kept.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use der::asn1::{AnyRef, BitStringRef, IntRef, ObjectIdentifier};
use der::{Decode as _, Reader as _, SliceReader, Tag, Tagged as _};

use crate::go::pem;

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

impl PublicKey {
    /// The key as Go's `x509.MarshalPKIXPublicKey` writes it: the DER `SubjectPublicKeyInfo`
    /// that sigstore's `MarshalPublicKeyToPEM` wraps (and a Rekor entry must hold, byte for
    /// byte).
    pub(crate) fn to_pkix_der(&self) -> Vec<u8> {
        // AlgorithmIdentifiers, DER: the OIDs with their parameters.
        const EC: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
        const P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
        const P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
        const RSA: &[u8] = &[
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
        ];
        const ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
        let (algorithm, key): (Vec<u8>, Vec<u8>) = match self {
            Self::P256(point) => ([EC, P256].concat(), point.clone()),
            Self::P384(point) => ([EC, P384].concat(), point.clone()),
            Self::Rsa { n, e } => (
                RSA.to_vec(),
                super::unsigned_sequence(&[n, &e.to_be_bytes()]),
            ),
            Self::Ed25519(key) => (ED25519.to_vec(), key.to_vec()),
        };
        let mut bits = Vec::with_capacity(key.len() + 1);
        bits.push(0);
        bits.extend_from_slice(&key);
        let mut body = super::tlv(0x30, &algorithm);
        body.extend_from_slice(&super::tlv(0x03, &bits));
        super::tlv(0x30, &body)
    }
}

/// Why key bytes are not a public key vouch can use (`invalid_key`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// No PEM block decodes (Go: "PEM decoding failed").
    NoPem,
    /// The first block is not a public key (the block's type).
    PemType(String),
    /// The DER does not parse as Go parses it (what is wrong, for a person).
    Malformed(&'static str),
    /// A key Go would load, of an algorithm or size vouch does not verify with (which).
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

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.33");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

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

/// A DER SubjectPublicKeyInfo, read with the `der` crate as Go's `x509.ParsePKIXPublicKey`
/// reads it. Go's leniencies, kept on purpose: elements after the BIT STRING inside the
/// SubjectPublicKeyInfo, and after the parameters inside the AlgorithmIdentifier, are ignored
/// (Go's `encoding/asn1` ignores trailing struct elements); nothing may follow the whole.
pub(crate) fn from_pkix(input: &[u8]) -> Result<PublicKey, KeyError> {
    let malformed = KeyError::Malformed;
    let info = AnyRef::from_der(input).map_err(|_| malformed("not one DER element"))?;
    if info.tag() != Tag::Sequence {
        return Err(malformed("not a SEQUENCE"));
    }
    let mut fields = SliceReader::new(info.value()).map_err(|_| malformed("bad SEQUENCE"))?;
    let algorithm: AnyRef<'_> = fields
        .decode()
        .map_err(|_| malformed("bad AlgorithmIdentifier"))?;
    if algorithm.tag() != Tag::Sequence {
        return Err(malformed("bad AlgorithmIdentifier"));
    }
    let bits: BitStringRef<'_> = fields.decode().map_err(|_| malformed("bad BIT STRING"))?;
    let key = bits
        .as_bytes()
        .ok_or(malformed("BIT STRING with padding bits"))?;
    let mut algorithm =
        SliceReader::new(algorithm.value()).map_err(|_| malformed("bad AlgorithmIdentifier"))?;
    let oid: ObjectIdentifier = algorithm
        .decode()
        .map_err(|_| malformed("bad algorithm OID"))?;
    // The optional parameters: one element, or none.
    let params: Option<AnyRef<'_>> = if algorithm.is_finished() {
        None
    } else {
        Some(
            algorithm
                .decode()
                .map_err(|_| malformed("bad algorithm parameters"))?,
        )
    };
    match oid {
        OID_RSA => {
            if !params.is_some_and(|p| p.tag() == Tag::Null && p.value().is_empty()) {
                return Err(malformed("RSA key without NULL parameters"));
            }
            rsa_key(key)
        }
        OID_EC => {
            let curve: ObjectIdentifier = params
                .ok_or(malformed("bad EC parameters"))?
                .decode_as()
                .map_err(|_| malformed("bad EC parameters"))?;
            match curve {
                OID_P256 => point(key, 32).map(PublicKey::P256),
                OID_P384 => point(key, 48).map(PublicKey::P384),
                OID_P224 => Err(KeyError::Unsupported("ECDSA on P-224")),
                OID_P521 => Err(KeyError::Unsupported("ECDSA on P-521")),
                _ => Err(KeyError::Unsupported("elliptic curve")),
            }
        }
        OID_ED25519 => {
            if params.is_some() {
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

/// A DER PKCS #1 RSAPublicKey (`RSA PUBLIC KEY`), as Go's `x509.ParsePKCS1PublicKey`: nothing
/// may follow it.
pub(crate) fn from_pkcs1(input: &[u8]) -> Result<PublicKey, KeyError> {
    let sequence = AnyRef::from_der(input).map_err(|_| KeyError::Malformed("not a SEQUENCE"))?;
    if sequence.tag() != Tag::Sequence {
        return Err(KeyError::Malformed("not a SEQUENCE"));
    }
    rsa_fields(sequence.value())
}

/// The RSA key inside a SubjectPublicKeyInfo's BIT STRING: Go reads the first SEQUENCE and
/// ignores what follows it.
fn rsa_key(key: &[u8]) -> Result<PublicKey, KeyError> {
    let bad = KeyError::Malformed("bad RSA key");
    let mut reader = SliceReader::new(key).map_err(|_| bad.clone())?;
    let sequence: AnyRef<'_> = reader.decode().map_err(|_| bad.clone())?;
    if sequence.tag() != Tag::Sequence {
        return Err(bad);
    }
    rsa_fields(sequence.value())
}

/// Modulus and exponent (minimal DER INTEGERs). Elements after them are ignored, as both of
/// Go's readers do.
fn rsa_fields(sequence: &[u8]) -> Result<PublicKey, KeyError> {
    let malformed = KeyError::Malformed;
    let mut fields = SliceReader::new(sequence).map_err(|_| malformed("bad RSA modulus"))?;
    let n: IntRef<'_> = fields.decode().map_err(|_| malformed("bad RSA modulus"))?;
    let e: IntRef<'_> = fields.decode().map_err(|_| malformed("bad RSA exponent"))?;
    let positive = |value: &IntRef<'_>| -> Option<Vec<u8>> {
        let bytes = value.as_bytes();
        if bytes.first().is_none_or(|b| b & 0x80 != 0) {
            return None;
        }
        let significant = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
        (!significant.is_empty()).then(|| significant.to_vec())
    };
    let n = positive(&n).ok_or(malformed("RSA modulus is not positive"))?;
    let e = positive(&e).ok_or(malformed("RSA exponent is not positive"))?;
    // Go keeps the exponent in an int and refuses anything above 2^31 - 1 when verifying.
    if e.len() > 4 {
        return Err(malformed("RSA exponent too large"));
    }
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    if e > 0x7fff_ffff {
        return Err(malformed("RSA exponent too large"));
    }
    // Go's crypto/rsa refuses these at verification, for every signature.
    if e < 2 || e.is_multiple_of(2) {
        return Err(KeyError::Unsupported("RSA exponent below 2 or even"));
    }
    if n.last().is_some_and(|b| b.is_multiple_of(2)) {
        return Err(KeyError::Unsupported("RSA modulus is even"));
    }
    let bits = n.len() * 8 - n[0].leading_zeros() as usize;
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(KeyError::Unsupported(
            "RSA modulus outside 1024 to 8192 bits",
        ));
    }
    Ok(PublicKey::Rsa { n, e: u64::from(e) })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// DER TLV with a short or two-byte length.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = alloc::vec![tag];
        match content.len() {
            len @ 0..0x80 => out.push(len as u8),
            len @ 0x80..0x100 => out.extend_from_slice(&[0x81, len as u8]),
            len => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    /// A 2,048-bit RSAPublicKey with exponent 65537.
    fn rsa_sequence() -> Vec<u8> {
        let mut n = alloc::vec![0x00, 0xc1];
        n.extend_from_slice(&[0x55; 254]);
        n.push(0x01);
        let mut rsa = tlv(0x02, &n);
        rsa.extend_from_slice(&tlv(0x02, &[0x01, 0x00, 0x01]));
        tlv(0x30, &rsa)
    }

    fn rsa_spki(params: &[u8], inner_extra: &[u8], outer_extra: &[u8]) -> Vec<u8> {
        let mut key = rsa_sequence();
        key.extend_from_slice(inner_extra);
        let mut bits = alloc::vec![0];
        bits.extend_from_slice(&key);
        let mut algorithm = tlv(0x06, OID_RSA.as_bytes());
        algorithm.extend_from_slice(params);
        let mut info = tlv(0x30, &algorithm);
        info.extend_from_slice(&tlv(0x03, &bits));
        info.extend_from_slice(outer_extra);
        tlv(0x30, &info)
    }

    #[test]
    fn go_leniencies_and_strictness_around_the_der() {
        let null = [0x05, 0x00];
        let key = from_pkix(&rsa_spki(&null, &[], &[])).unwrap();
        assert!(matches!(&key, PublicKey::Rsa { n, e: 65537 } if n.len() == 256));
        // Go ignores what follows the RSA SEQUENCE inside the BIT STRING, and elements after
        // the BIT STRING inside the SubjectPublicKeyInfo ...
        assert_eq!(
            from_pkix(&rsa_spki(&null, &[0x05, 0x00], &[])),
            Ok(key.clone())
        );
        assert_eq!(from_pkix(&rsa_spki(&null, &[], &[0x05, 0x00])), Ok(key));
        // ... but not data after the whole, RSA parameters other than NULL, or a non-minimal
        // length.
        let mut trailing = rsa_spki(&null, &[], &[]);
        trailing.push(0);
        assert!(from_pkix(&trailing).is_err());
        assert!(from_pkix(&rsa_spki(&[], &[], &[])).is_err());
        assert!(from_pkix(&rsa_spki(&[0x04, 0x00], &[], &[])).is_err());
        let spki = rsa_spki(&null, &[], &[]);
        let mut long_form = alloc::vec![0x30, 0x83, 0x00];
        long_form.extend_from_slice(&spki[2..]);
        assert!(from_pkix(&long_form).is_err());
        // PKCS #1 alone: nothing may follow it.
        let pkcs1 = rsa_sequence();
        assert!(from_pkcs1(&pkcs1).is_ok(), "{:?}", from_pkcs1(&pkcs1));
        let mut after = pkcs1.clone();
        after.push(0);
        assert!(from_pkcs1(&after).is_err());
    }
}
