//! The certificate structure (RFC 5280 §4.1) decoded with x509-cert's parts, except where Go's
//! `x509.ParseCertificate` reads a field differently from x509-cert's own `Certificate`:
//! - the serial number is any DER INTEGER (Go sets no length limit; x509-cert stops at 21
//!   bytes);
//! - the validity is read by Go's rules (`go::x509_time`): times before 1970, minute-precision
//!   UTCTimes, numeric offsets, and anything after the two times ignored.

use alloc::vec::Vec;

use der::asn1::{AnyRef, BitString, IntRef};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use x509_cert::certificate::Version;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::go::x509_time;

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, the
/// signed part kept as it was read.
#[derive(Sequence)]
struct Outer<'a> {
    tbs_certificate: AnyRef<'a>,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

/// `TBSCertificate`, with the serial number and validity left to vouch.
#[derive(Sequence)]
struct Tbs<'a> {
    #[asn1(context_specific = "0", default = "Default::default")]
    version: Version,
    serial_number: IntRef<'a>,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: AnyRef<'a>,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitString>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitString>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

/// A decoded certificate: what [`super::view`] reads.
pub(crate) struct Decoded {
    pub(crate) raw_tbs: Vec<u8>,
    pub(crate) version: Version,
    pub(crate) signature: AlgorithmIdentifierOwned,
    pub(crate) issuer: Name,
    /// Seconds since the Unix epoch (Go's times have whole seconds here too).
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) subject: Name,
    pub(crate) subject_public_key_info: SubjectPublicKeyInfoOwned,
    pub(crate) extensions: Option<Extensions>,
    pub(crate) signature_algorithm: AlgorithmIdentifierOwned,
    pub(crate) signature_value: BitString,
}

/// Why a certificate does not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// Not a DER certificate structure.
    Structure,
    /// The validity is not two times Go reads.
    Validity,
}

/// Decodes one DER certificate; nothing may follow it.
pub(crate) fn decode(der: &[u8]) -> Result<Decoded, DecodeError> {
    let outer = Outer::from_der(der).map_err(|_| DecodeError::Structure)?;
    if outer.tbs_certificate.tag() != Tag::Sequence {
        return Err(DecodeError::Structure);
    }
    let raw_tbs = outer
        .tbs_certificate
        .to_der()
        .map_err(|_| DecodeError::Structure)?;
    let tbs = Tbs::from_der(&raw_tbs).map_err(|_| DecodeError::Structure)?;
    if tbs.validity.tag() != Tag::Sequence {
        return Err(DecodeError::Structure);
    }
    let (not_before, not_after) = validity(tbs.validity.value()).ok_or(DecodeError::Validity)?;
    Ok(Decoded {
        version: tbs.version,
        signature: tbs.signature,
        issuer: tbs.issuer,
        not_before,
        not_after,
        subject: tbs.subject,
        subject_public_key_info: tbs.subject_public_key_info,
        extensions: tbs.extensions,
        signature_algorithm: outer.signature_algorithm,
        signature_value: outer.signature,
        raw_tbs,
    })
}

/// The certificate decoded and encoded again (the fuzz hook checks that only DER decodes).
#[cfg(fuzzing)]
pub(crate) fn reencode(der: &[u8]) -> Option<Vec<u8>> {
    let outer = Outer::from_der(der).ok()?;
    let raw_tbs = outer.tbs_certificate.to_der().ok()?;
    let tbs = Tbs::from_der(&raw_tbs).ok()?;
    let tbs_der = tbs.to_der().ok()?;
    Outer {
        tbs_certificate: AnyRef::from_der(&tbs_der).ok()?,
        ..outer
    }
    .to_der()
    .ok()
}

/// Go's `parseValidity`: two times, each a UTCTime or a GeneralizedTime; whatever follows
/// them inside the validity is not read.
fn validity(contents: &[u8]) -> Option<(i64, i64)> {
    let mut rest = contents;
    let mut time = || -> Option<i64> {
        let (tag, value, after) = tlv(rest)?;
        rest = after;
        match tag {
            0x17 => x509_time::utc_time(value),
            0x18 => x509_time::generalized_time(value),
            _ => None,
        }
    };
    let not_before = time()?;
    let not_after = time()?;
    Some((not_before, not_after))
}

/// One DER TLV with a low tag number: its tag, its contents and what follows it. Lengths
/// in the long form must be minimal, as cryptobyte requires.
fn tlv(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, data) = data.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, data) = data.split_first()?;
    let (len, data) = if first < 0x80 {
        (usize::from(first), data)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || data.len() < n || data[0] == 0 {
            return None;
        }
        let len = data[..n]
            .iter()
            .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
        if len < 0x80 {
            return None;
        }
        (len, &data[n..])
    };
    (data.len() >= len).then(|| (tag, &data[..len], &data[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_reads_two_times_and_ignores_the_rest() {
        let mut contents = Vec::new();
        contents.extend_from_slice(b"\x17\x0d600101000000Z");
        contents.extend_from_slice(b"\x18\x0f21000101000000Z");
        contents.extend_from_slice(b"\x05\x00junk");
        let (before, after) = validity(&contents).expect("validity");
        assert_eq!(before, -315_619_200);
        assert_eq!(after, 4_102_444_800);
        assert_eq!(validity(b"\x17\x0d600101000000Z"), None);
        assert_eq!(
            validity(b"\x04\x0d600101000000Z\x17\x0d600101000000Z"),
            None
        );
    }

    #[test]
    fn tlv_lengths_are_minimal() {
        assert_eq!(tlv(b"\x04\x01ab"), Some((4, &b"a"[..], &b"b"[..])));
        assert_eq!(tlv(b"\x04\x81\x01a"), None);
        assert_eq!(tlv(b"\x04\x02a"), None);
        assert_eq!(tlv(b"\x1f\x01a"), None);
    }
}
