//! X.509 certificates as Go's `x509.ParseCertificate` accepts them, read with RustCrypto's
//! `x509-cert` (strict DER) and held to Go's further rules: the inner and outer signature
//! algorithms must be the same bytes, and no extension may appear twice. Then the two ways
//! containers/image loads certificates from PEM: `x509.CertPool.AppendCertsFromPEM` (Fulcio
//! and PKI roots: blocks of type `CERTIFICATE` without headers, the ones that do not parse
//! skipped, at least one required) and sigstore's `cryptoutils.UnmarshalCertificatesFromPEM`
//! (PKI intermediates: every block, of any type, must be a certificate).

use alloc::vec::Vec;
use core::fmt;

use x509_cert::der::Encode;

use crate::go::pem;

/// The most certificates vouch reads from one PEM file or annotation.
pub(crate) const MAX_CERTIFICATES: usize = 64;

/// A parsed certificate and the DER it was read from.
#[derive(Clone, Debug)]
pub(crate) struct Certificate {
    pub(crate) der: Vec<u8>,
    /// What Go's `x509.Certificate` holds, for verification.
    pub(crate) view: super::view::View,
    /// Its public key prepared for verification, when vouch verifies with such keys.
    pub(crate) verifying: Option<crate::crypto::VerifyingKey>,
}

/// Two certificates are the same when their DER is: everything else is read from it.
impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

/// Why bytes are not a certificate Go would parse, or a PEM file not certificates.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateError {
    /// The DER is not an X.509 certificate (what the reader found wrong, for a person).
    Malformed(&'static str),
    /// The signature algorithm inside the signed part differs from the outer one (Go: "x509:
    /// inner and outer signature algorithm identifiers don't match").
    AlgorithmMismatch,
    /// An extension appears twice (Go: "x509: certificate contains duplicate extensions").
    DuplicateExtension,
    /// No PEM block decodes where one was expected (sigstore: "error during PEM decoding").
    PemDecoding,
    /// No block of the file is a certificate Go would load (containers/image: "error loading
    /// … certificates").
    NoCertificates,
    /// More certificates than vouch reads (the limit).
    TooMany(usize),
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "malformed certificate: {what}"),
            Self::AlgorithmMismatch => f.write_str(
                "the certificate's inner and outer signature algorithm identifiers differ",
            ),
            Self::DuplicateExtension => f.write_str("the certificate repeats an extension"),
            Self::PemDecoding => f.write_str("error during PEM decoding"),
            Self::NoCertificates => f.write_str("no certificate could be loaded"),
            Self::TooMany(limit) => write!(f, "more than {limit} certificates"),
        }
    }
}

impl core::error::Error for CertificateError {}

/// Parses one DER certificate as `x509.ParseCertificate` does.
pub(crate) fn parse(der: &[u8]) -> Result<Certificate, CertificateError> {
    let parsed = super::x509::decode(der).map_err(|e| match e {
        super::x509::DecodeError::Structure => {
            CertificateError::Malformed("not a DER X.509 certificate")
        }
        super::x509::DecodeError::Validity => CertificateError::Malformed("the validity"),
    })?;
    let inner = parsed
        .signature
        .to_der()
        .map_err(|_| CertificateError::Malformed("the signature algorithm"))?;
    let outer = parsed
        .signature_algorithm
        .to_der()
        .map_err(|_| CertificateError::Malformed("the signature algorithm"))?;
    if inner != outer {
        return Err(CertificateError::AlgorithmMismatch);
    }
    if let Some(extensions) = &parsed.extensions {
        for (i, extension) in extensions.iter().enumerate() {
            if extensions[..i]
                .iter()
                .any(|e| e.extn_id == extension.extn_id)
            {
                return Err(CertificateError::DuplicateExtension);
            }
        }
    }
    let view = super::view::view(&parsed)?;
    let verifying = view
        .public_key
        .as_ref()
        .and_then(|key| crate::crypto::VerifyingKey::new(key).ok());
    Ok(Certificate {
        der: der.to_vec(),
        view,
        verifying,
    })
}

/// `x509.CertPool.AppendCertsFromPEM`: every PEM block of type `CERTIFICATE` without headers
/// that parses; blocks that do not are skipped. Refused when none does.
pub(crate) fn pool_from_pem(data: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some((block, after)) = pem::decode(rest) {
        rest = after;
        if block.kind != "CERTIFICATE" || block.has_headers {
            continue;
        }
        if let Ok(certificate) = parse(&block.bytes) {
            if out.len() == MAX_CERTIFICATES {
                return Err(CertificateError::TooMany(MAX_CERTIFICATES));
            }
            out.push(certificate);
        }
    }
    if out.is_empty() {
        return Err(CertificateError::NoCertificates);
    }
    Ok(out)
}

/// sigstore's `cryptoutils.UnmarshalCertificatesFromPEM`: the input without surrounding white
/// space is a sequence of PEM blocks, each (whatever its type) a certificate; nothing else may
/// stand between or after them. May be empty.
pub(crate) fn certificates_from_pem(data: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
    let mut out = Vec::new();
    let mut rest = go_trim_space(data);
    while !rest.is_empty() {
        let Some((block, after)) = pem::decode(rest) else {
            return Err(CertificateError::PemDecoding);
        };
        if out.len() == MAX_CERTIFICATES {
            return Err(CertificateError::TooMany(MAX_CERTIFICATES));
        }
        out.push(parse(&block.bytes)?);
        rest = after;
    }
    Ok(out)
}

/// Go's `bytes.TrimSpace`: leading and trailing white space as `unicode.IsSpace` knows it,
/// rune by rune (an invalid UTF-8 sequence stops the trimming).
fn go_trim_space(mut data: &[u8]) -> &[u8] {
    while !data.is_empty() {
        let (rune, size) = crate::go::decode_rune(data);
        if !is_go_space(rune) || (rune == char::REPLACEMENT_CHARACTER && size == 1) {
            break;
        }
        data = &data[size..];
    }
    while let Some(rune_len) = last_rune(data) {
        let (rune, _) = crate::go::decode_rune(&data[data.len() - rune_len..]);
        if !is_go_space(rune) {
            break;
        }
        data = &data[..data.len() - rune_len];
    }
    data
}

/// The length of the valid UTF-8 sequence that ends `data`, if one does.
fn last_rune(data: &[u8]) -> Option<usize> {
    (1..=4.min(data.len())).find(|&n| {
        core::str::from_utf8(&data[data.len() - n..]).is_ok_and(|s| s.chars().count() == 1)
    })
}

/// `unicode.IsSpace`.
fn is_go_space(rune: char) -> bool {
    matches!(
        rune,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_space_is_gos() {
        assert_eq!(go_trim_space(b" \t\nx y\r\n"), b"x y");
        assert_eq!(go_trim_space("\u{85}x\u{3000}".as_bytes()), b"x");
        assert_eq!(go_trim_space(b"\xffx "), b"\xffx");
        assert_eq!(go_trim_space(b"  "), b"");
    }

    #[test]
    fn pools_and_lists_read_pem_as_go_does() {
        assert_eq!(pool_from_pem(b""), Err(CertificateError::NoCertificates));
        let key = b"-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n";
        assert_eq!(pool_from_pem(key), Err(CertificateError::NoCertificates));
        assert_eq!(certificates_from_pem(b" \n"), Ok(Vec::new()));
        assert_eq!(
            certificates_from_pem(b"junk"),
            Err(CertificateError::PemDecoding)
        );
        assert!(matches!(
            certificates_from_pem(key),
            Err(CertificateError::Malformed(_))
        ));
    }
}
