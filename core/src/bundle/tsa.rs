//! RFC 3161 time-stamp responses verified as sigstore-go 1.3 verifies them (timestamp-authority's
//! `VerifyTimestampResponse` over digitorus' `timestamp` and `pkcs7`): a granted response whose
//! token is CMS SignedData (read with RustCrypto's `cms`), signed by exactly one signer whose
//! certificate is in the token (or is the authority's own certificate), over signed attributes
//! holding the TSTInfo's digest; the signer chained to the authority's root at the time stamped,
//! for time stamping, an end-entity certificate whose one critical extended key usage is time
//! stamping; the TSTInfo's message imprint the hash of the bundle's signature; the time within
//! the authority's validity.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier, SignerInfos};
use der::asn1::AnyRef;
use der::{Decode, Encode, Sequence, Tagged};

/// CMS `SignedData` (RFC 5652 §5.1) with `cms`'s types for what is verified, the certificates
/// kept as their DER (each read as Go reads certificates). digitorus' `pkcs7` reads the version
/// as an integer and the digest algorithms as a set of algorithm identifiers, and fails the
/// whole token when they do not read (`signed_data_as_go_reads_it`); the CRLs it reads into
/// nothing sigstore-go checks, and vouch refuses a token that carries any.
#[derive(Sequence)]
struct SignedData<'a> {
    version: i64,
    digest_algorithms: AnyRef<'a>,
    encap_content_info: EncapsulatedContentInfo,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        optional = "true",
        constructed = "true"
    )]
    certificates: Option<AnyRef<'a>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        optional = "true",
        constructed = "true"
    )]
    crls: Option<AnyRef<'a>>,
    signer_infos: SignerInfos,
}

use super::root::{Authority, Nanos, TrustedRoot, nanos};
use crate::crypto::keys::PublicKey;
use crate::crypto::{Hash, SignatureBytes};
use crate::go::asn1;
use crate::trust::certificate::{self, Certificate};
use crate::trust::chain::{self, Usage};
use crate::trust::memo::ChainMemo;

/// At most this many time stamps in a bundle (sigstore-go's limit).
pub const MAX_TIMESTAMPS: usize = 32;

/// Why a time stamp does not vouch for the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimestampError {
    /// More than [`MAX_TIMESTAMPS`].
    TooMany(usize),
    /// The response or its token does not parse, or was not granted.
    Response(String),
    /// A message imprint over SHA-1 (or another hash than SHA-256, SHA-384, SHA-512).
    Hash(&'static str),
    /// The CMS signature does not verify.
    Signature(&'static str),
    /// The signer's certificate does not chain to the authority's root for time stamping.
    Chain,
    /// The signer's certificate breaks a rule for time-stamping certificates.
    Leaf(&'static str),
    /// The token stamps another signature.
    HashedMessage,
    /// The time is outside the authority's validity.
    Validity,
    /// No trusted authority verifies it.
    Untrusted,
    /// A second time stamp from the same authority.
    Duplicate,
    /// Fewer verified time stamps than required.
    Threshold {
        /// Verified.
        verified: usize,
        /// Required.
        required: usize,
    },
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany(n) => write!(f, "too many signed timestamps: {n} > {MAX_TIMESTAMPS}"),
            Self::Response(why) => write!(f, "timestamp response is not valid: {why}"),
            Self::Hash(why) => f.write_str(why),
            Self::Signature(why) => write!(f, "error while verifying signature: {why}"),
            Self::Chain => f.write_str("error while verifying signer certificate chain"),
            Self::Leaf(why) => write!(f, "failed to verify TSA certificate: {why}"),
            Self::HashedMessage => f.write_str("hashed messages don't match"),
            Self::Validity => f.write_str("timestamp is outside the authority's validity period"),
            Self::Untrusted => f.write_str("unable to verify signed timestamps"),
            Self::Duplicate => f.write_str("duplicate timestamps from the same authority"),
            Self::Threshold { verified, required } => write!(
                f,
                "threshold not met for verified signed timestamps: {verified} < {required}"
            ),
        }
    }
}

impl core::error::Error for TimestampError {}

/// A verified time stamp: the authority's URI and the time (nanoseconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamped {
    pub(crate) uri: String,
    pub(crate) at: Nanos,
}

/// Verifies the bundle's time stamps over `signature` (sigstore-go's
/// `VerifySignedTimestampWithThreshold`): each against every authority until one verifies it,
/// one per authority URI.
pub(crate) fn verify_all(
    responses: &[Vec<u8>],
    signature: &[u8],
    root: &TrustedRoot,
    threshold: usize,
) -> Result<Vec<Stamped>, TimestampError> {
    if responses.len() > MAX_TIMESTAMPS {
        return Err(TimestampError::TooMany(responses.len()));
    }
    let mut out: Vec<Stamped> = Vec::new();
    for response in responses {
        let verified = root
            .timestamp_authorities
            .iter()
            .find_map(|authority| verify(response, signature, authority).ok());
        if let Some(stamp) = verified
            && !out.iter().any(|s| s.uri == stamp.uri)
        {
            out.push(stamp);
        }
    }
    if out.len() < threshold {
        return Err(TimestampError::Threshold {
            verified: out.len(),
            required: threshold,
        });
    }
    Ok(out)
}

/// What digitorus' `pkcs7` needs of the fields vouch does not otherwise read, where Go's
/// `encoding/asn1` fails the whole `SignedData`: the digest algorithms a SET of algorithm
/// identifiers, the certificates `[0]` constructed. CRLs (`[1]`) are refused: no time-stamp
/// authority sends them, and Go would parse them as CRLs, which vouch does not.
fn signed_data_as_go_reads_it(signed: &SignedData<'_>) -> bool {
    let algorithms_read = signed.digest_algorithms.tag() == der::Tag::Set && {
        let mut rest = signed.digest_algorithms.value();
        let mut ok = true;
        while ok && !rest.is_empty() {
            match asn1::element(rest) {
                Some((_, after)) => {
                    let one = &rest[..rest.len() - after.len()];
                    ok = x509_cert::spki::AlgorithmIdentifierRef::from_der(one).is_ok();
                    rest = after;
                }
                None => ok = false,
            }
        }
        ok
    };
    let certificates_read = signed.certificates.as_ref().is_none_or(|c| {
        c.tag()
            == der::Tag::ContextSpecific {
                constructed: true,
                number: der::TagNumber::N0,
            }
    });
    algorithms_read && certificates_read && signed.crls.is_none()
}

/// The parts of a TSTInfo that are checked.
struct TstInfo {
    hash: Hash,
    hashed_message: Vec<u8>,
    gen_time: Nanos,
}

/// One response against one authority.
fn verify(
    response: &[u8],
    signature: &[u8],
    authority: &Authority,
) -> Result<Stamped, TimestampError> {
    let Some(anchor) = &authority.root else {
        return Err(TimestampError::Untrusted);
    };
    let token = token(response)?;
    let content = ContentInfo::from_der(token)
        .map_err(|_| TimestampError::Response("the token is not CMS".into()))?;
    if content.content_type.as_bytes() != [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02] {
        return Err(TimestampError::Response(
            "the token is not SignedData".into(),
        ));
    }
    let signed_der = content
        .content
        .to_der()
        .map_err(|_| TimestampError::Response("the token is not SignedData".into()))?;
    let signed = SignedData::from_der(&signed_der)
        .ok()
        .filter(signed_data_as_go_reads_it)
        .ok_or_else(|| TimestampError::Response("the token is not SignedData".into()))?;
    let tst_der = signed
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|any| any.decode_as::<der::asn1::OctetString>().ok())
        .ok_or_else(|| TimestampError::Response("no TSTInfo".into()))?;
    let tst = tst_info(tst_der.as_bytes())?;
    // The certificates in the token.
    let mut embedded = Vec::new();
    if let Some(set) = &signed.certificates {
        // `x509.ParseCertificates` over the set's contents: certificates only, back to back.
        let mut rest = set.value();
        while !rest.is_empty() {
            let (element, after) = asn1::element(rest)
                .ok_or_else(|| TimestampError::Response("a certificate does not parse".into()))?;
            let der = &rest[..rest.len() - after.len()];
            if element.tag != asn1::SEQUENCE {
                return Err(TimestampError::Response(
                    "a certificate choice that is not a certificate".into(),
                ));
            }
            embedded
                .push(certificate::parse(der).map_err(|_| {
                    TimestampError::Response("a certificate does not parse".into())
                })?);
            rest = after;
        }
    }
    if embedded.is_empty() && authority.leaf.is_none() {
        return Err(TimestampError::Response(
            "leaf certificate must be present in the TSR or as a verify option".into(),
        ));
    }
    let candidates: Vec<&Certificate> = if embedded.is_empty() {
        authority.leaf.iter().collect()
    } else {
        embedded.iter().collect()
    };
    let signers: Vec<_> = signed.signer_infos.0.iter().collect();
    if signers.is_empty() {
        return Err(TimestampError::Signature("pkcs7: Message has no signers"));
    }
    let mut signer_cert = None;
    for info in &signers {
        let SignerIdentifier::IssuerAndSerialNumber(id) = &info.sid else {
            return Err(TimestampError::Signature(
                "pkcs7: No certificate for signer",
            ));
        };
        let issuer = id
            .issuer
            .to_der()
            .map_err(|_| TimestampError::Signature("the signer's issuer"))?;
        let serial = id.serial_number.as_bytes();
        let cert = candidates
            .iter()
            .find(|c| c.view.raw_issuer == issuer && serial_of(c) == Some(serial))
            .ok_or(TimestampError::Signature(
                "pkcs7: No certificate for signer",
            ))?;
        verify_signer(info, cert, tst_der.as_bytes())?;
        signer_cert = Some(*cert);
    }
    if signers.len() != 1 {
        return Err(TimestampError::Signature(
            "signer certificate was not found",
        ));
    }
    let signer = signer_cert.ok_or(TimestampError::Signature(
        "signer certificate was not found",
    ))?;
    if let Some(leaf) = &authority.leaf
        && leaf.der != signer.der
    {
        return Err(TimestampError::Leaf(
            "certificate embedded in the TSR does not match the provided TSA certificate",
        ));
    }
    // The chain, at the time stamped.
    let mut intermediates: Vec<&Certificate> = authority.intermediates.iter().collect();
    intermediates.extend(embedded.iter());
    let seconds =
        i64::try_from(tst.gen_time.div_euclid(1_000_000_000)).map_err(|_| TimestampError::Chain)?;
    let memo = ChainMemo::default();
    let chains = chain::verify_chains(
        signer,
        &intermediates,
        core::slice::from_ref(anchor),
        seconds,
        false,
        &memo,
        Usage::TimeStamping,
    )
    .map_err(|_| TimestampError::Chain)?;
    let view = &signer.view;
    if view.is_ca {
        return Err(TimestampError::Leaf(
            "TSA certificate must be an end-entity certificate, not a CA",
        ));
    }
    if !has_eku_extension(signer) || !view.eku_critical {
        return Err(TimestampError::Leaf("certificate must set EKU to critical"));
    }
    if view.eku_count != 1 || !view.eku_time_stamping {
        return Err(TimestampError::Leaf(
            "leaf certificate EKU is not set to TimeStamping as required",
        ));
    }
    if chains.is_empty() {
        return Err(TimestampError::Chain);
    }
    if super::keys::digest(tst.hash, signature) != tst.hashed_message {
        return Err(TimestampError::HashedMessage);
    }
    if !authority.validity.contains(tst.gen_time) {
        return Err(TimestampError::Validity);
    }
    Ok(Stamped {
        uri: authority.uri.clone(),
        at: tst.gen_time,
    })
}

/// Whether the certificate has an extended key usage extension at all (an empty one counts
/// as present but not critical when it is not).
fn has_eku_extension(cert: &Certificate) -> bool {
    cert.view
        .extensions
        .iter()
        .any(|(oid, _)| oid.as_bytes() == [0x55, 0x1d, 0x25])
}

/// The serial number's DER contents.
fn serial_of(cert: &Certificate) -> Option<&[u8]> {
    // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER, ... }
    let (tbs, _) = asn1::expect(&cert.view.raw_tbs, asn1::SEQUENCE)?;
    let (first, rest) = asn1::element(tbs)?;
    let serial = if first.tag == 0xa0 {
        asn1::element(rest)?.0
    } else {
        first
    };
    (serial.tag == asn1::INTEGER).then_some(serial.content)
}

/// The response's token, if it was granted: `TimeStampResp ::= SEQUENCE { status
/// PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }`, nothing after it.
fn token(response: &[u8]) -> Result<&[u8], TimestampError> {
    let (outer, rest) = asn1::element(response)
        .filter(|(e, _)| e.tag == asn1::SEQUENCE)
        .ok_or_else(|| TimestampError::Response("not a TimeStampResp".into()))?;
    if !rest.is_empty() {
        return Err(TimestampError::Response(
            "trailing data in Time-Stamp response".into(),
        ));
    }
    let (status, after) = asn1::element(outer.content)
        .filter(|(e, _)| e.tag == asn1::SEQUENCE)
        .ok_or_else(|| TimestampError::Response("no status".into()))?;
    let (value, _) = asn1::element(status.content)
        .filter(|(e, _)| e.tag == asn1::INTEGER)
        .ok_or_else(|| TimestampError::Response("no status".into()))?;
    if value.content != [0] {
        return Err(TimestampError::Response(
            "the request was not granted".into(),
        ));
    }
    if after.is_empty() {
        return Err(TimestampError::Response(
            "no pkcs7 data in Time-Stamp response".into(),
        ));
    }
    let (_, tail) =
        asn1::element(after).ok_or_else(|| TimestampError::Response("the token".into()))?;
    if !tail.is_empty() {
        return Err(TimestampError::Response(
            "trailing data in Time-Stamp response".into(),
        ));
    }
    Ok(after)
}

/// The TSTInfo's message imprint and time (`asn1.Unmarshal`: what follows the time is read by
/// Go but not used, and bytes after the structure are ignored).
fn tst_info(der: &[u8]) -> Result<TstInfo, TimestampError> {
    let bad = |why: &'static str| TimestampError::Response(why.into());
    let (seq, _) = asn1::expect(der, asn1::SEQUENCE).ok_or(bad("TSTInfo"))?;
    let (_, rest) = asn1::integer(seq).ok_or(bad("TSTInfo version"))?;
    let (_, rest) = asn1::expect(rest, 0x06).ok_or(bad("TSTInfo policy"))?;
    let (imprint, rest) = asn1::expect(rest, asn1::SEQUENCE).ok_or(bad("message imprint"))?;
    let (algorithm, after) = asn1::expect(imprint, asn1::SEQUENCE).ok_or(bad("message imprint"))?;
    let (oid, _) = asn1::expect(algorithm, 0x06).ok_or(bad("message imprint"))?;
    let (hashed, _) = asn1::expect(after, 0x04).ok_or(bad("message imprint"))?;
    let (_, rest) = asn1::integer(rest).ok_or(bad("TSTInfo serial number"))?;
    let (time, _) = asn1::expect(rest, 0x18).ok_or(bad("TSTInfo time"))?;
    let gen_time = generalized_time(time).ok_or(bad("TSTInfo time"))?;
    if hashed.is_empty() {
        return Err(bad("Time-Stamp response contains no hashed message"));
    }
    let hash = match oid {
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01] => Hash::Sha256,
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02] => Hash::Sha384,
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03] => Hash::Sha512,
        [0x2b, 0x0e, 0x03, 0x02, 0x1a] => {
            return Err(TimestampError::Hash(
                "weak hash algorithm: must be SHA-256, SHA-384, or SHA-512",
            ));
        }
        _ => return Err(bad("Time-Stamp response uses unknown hash function")),
    };
    Ok(TstInfo {
        hash,
        hashed_message: hashed.to_vec(),
        gen_time,
    })
}

/// Go's `encoding/asn1` GeneralizedTime: `YYYYMMDDhhmmss[.f]` then `Z` or `±hhmm`, written
/// back exactly (a fraction without trailing zeros, never `+0000`); nanoseconds.
fn generalized_time(text: &[u8]) -> Option<Nanos> {
    if text.len() < 15 {
        return None;
    }
    let (whole, rest) = text.split_at(14);
    let (fraction, zone) = match rest.strip_prefix(b".") {
        Some(after) => {
            let n = after.iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 || n > 9 || after[n - 1] == b'0' {
                return None;
            }
            (&after[..n], &after[n..])
        }
        None => (&rest[..0], rest),
    };
    let mut stamp = Vec::with_capacity(20);
    stamp.extend_from_slice(whole);
    stamp.extend_from_slice(zone);
    let seconds = crate::go::x509_time::generalized_time(&stamp)?;
    let nanos_part = fraction
        .iter()
        .chain(core::iter::repeat(&b'0'))
        .take(9)
        .fold(0i128, |acc, &d| acc * 10 + i128::from(d - b'0'));
    Some(nanos(seconds) + nanos_part)
}

/// digitorus' `verifySignature` for one signer: the signed attributes' message digest is the
/// content's, and the signer's key signs the attributes.
fn verify_signer(
    info: &cms::signed_data::SignerInfo,
    cert: &Certificate,
    content: &[u8],
) -> Result<(), TimestampError> {
    let digest_hash = hash_of(info.digest_alg.oid.as_bytes())
        .ok_or(TimestampError::Signature("unsupported digest algorithm"))?;
    let signed = match &info.signed_attrs {
        Some(attributes) => {
            let message_digest = attributes
                .iter()
                .find(|a| {
                    a.oid.as_bytes() == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04]
                })
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
                .ok_or(TimestampError::Signature(
                    "pkcs7: attribute type not in attributes",
                ))?;
            if super::keys::digest(digest_hash, content) != message_digest.as_bytes() {
                return Err(TimestampError::Signature("pkcs7: Message digest mismatch"));
            }
            if let Some(time) = attributes
                .iter()
                .find(|a| {
                    a.oid.as_bytes() == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05]
                })
                .and_then(|a| a.values.iter().next())
            {
                let value = time.value();
                let at = match time.tag() {
                    der::Tag::UtcTime => crate::go::x509_time::utc_time(value),
                    der::Tag::GeneralizedTime => crate::go::x509_time::generalized_time(value),
                    _ => None,
                }
                .ok_or(TimestampError::Signature("pkcs7: signing time"))?;
                if at < cert.view.not_before || at > cert.view.not_after {
                    return Err(TimestampError::Signature(
                        "pkcs7: signing time is outside of certificate validity",
                    ));
                }
            }
            attributes
                .to_der()
                .map_err(|_| TimestampError::Signature("the signed attributes"))?
        }
        None => content.to_vec(),
    };
    let key = cert
        .view
        .public_key
        .as_ref()
        .ok_or(TimestampError::Signature("the signer's key"))?;
    let verifying = cert
        .verifying
        .as_ref()
        .ok_or(TimestampError::Signature("the signer's key"))?;
    let algorithm = info.signature_algorithm.oid.as_bytes();
    let signature = info.signature.as_bytes();
    let ok = match (algorithm, key) {
        // ecdsa-with-SHA256/384/512: the hash the algorithm names.
        (
            [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, n @ 2..=4],
            PublicKey::P256(_) | PublicKey::P384(_),
        ) => {
            let hash = [Hash::Sha256, Hash::Sha384, Hash::Sha512][usize::from(*n - 2)];
            verifying.verify_digest(
                hash,
                &super::keys::digest(hash, &signed),
                SignatureBytes::EcdsaDer(signature),
            )
        }
        // The curve OIDs, as digitorus reads them: ECDSA with the digest algorithm's hash.
        (
            [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] | [0x2b, 0x81, 0x04, 0x00, 0x22],
            PublicKey::P256(_) | PublicKey::P384(_),
        ) => verifying.verify_digest(
            digest_hash,
            &super::keys::digest(digest_hash, &signed),
            SignatureBytes::EcdsaDer(signature),
        ),
        // rsaEncryption and shaNNNWithRSAEncryption: PKCS #1 v1.5 with the digest algorithm's
        // hash.
        (
            [
                0x2a,
                0x86,
                0x48,
                0x86,
                0xf7,
                0x0d,
                0x01,
                0x01,
                0x01 | 0x0b | 0x0c | 0x0d,
            ],
            PublicKey::Rsa { .. },
        ) => verifying.verify_digest(
            digest_hash,
            &super::keys::digest(digest_hash, &signed),
            SignatureBytes::RsaPkcs1(signature),
        ),
        ([0x2b, 0x65, 0x70], PublicKey::Ed25519(_)) => {
            verifying.verify(&signed, SignatureBytes::Ed25519(signature))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(TimestampError::Signature(
            "the signer's signature does not verify",
        ))
    }
}

/// digitorus' `getHashForOID` for the hashes vouch computes (SHA-1 based ones are refused).
fn hash_of(oid: &[u8]) -> Option<Hash> {
    match oid {
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
        | [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02] => Some(Hash::Sha256),
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02]
        | [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03] => Some(Hash::Sha384),
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03]
        | [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04] => Some(Hash::Sha512),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_times_with_fractions() {
        assert_eq!(generalized_time(b"19700101000000Z"), Some(0));
        assert_eq!(generalized_time(b"19700101000000.5Z"), Some(500_000_000));
        assert_eq!(
            generalized_time(b"19700101000000.123456789Z"),
            Some(123_456_789)
        );
        assert_eq!(generalized_time(b"19700101000000.50Z"), None);
        assert_eq!(generalized_time(b"19700101000000.Z"), None);
        assert_eq!(generalized_time(b"19700101010000+0100"), Some(0));
    }
}
