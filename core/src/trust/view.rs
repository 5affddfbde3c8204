//! What Go's `x509.Certificate` holds after `ParseCertificate`, for chain verification and
//! Fulcio's checks: raw names, validity, basic constraints, key usage, extended key usage,
//! e-mail addresses, key identifiers, the extensions Go does not handle, the public key and the
//! signature. A known extension Go would fail to parse fails the certificate here too.

use alloc::string::String;
use alloc::vec::Vec;

use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};

use super::certificate::CertificateError;
use super::x509::Decoded;
use crate::crypto::Hash;
use crate::crypto::keys::{self, PublicKey};

/// The OID arc of the extensions Go's parser handles (2.5.29.x).
const CE: &[u8] = &[0x55, 0x1d];
/// id-pe-authorityInfoAccess, which Go handles too.
const AIA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
/// anyExtendedKeyUsage and id-kp-codeSigning.
const EKU_ANY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
const EKU_CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");
/// id-kp-timeStamping.
const EKU_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// A certificate's signature algorithm, as far as vouch verifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignatureAlgorithm {
    Ecdsa(Hash),
    RsaPkcs1(Hash),
    Ed25519,
    /// SHA-1 or MD5 based: Go refuses them for certificates.
    Insecure,
    /// Anything else (RSA-PSS, DSA, ...): vouch does not verify it (fail closed).
    Unsupported,
}

/// The parts of a certificate that verification reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct View {
    pub(crate) raw_subject: Vec<u8>,
    pub(crate) raw_issuer: Vec<u8>,
    pub(crate) raw_tbs: Vec<u8>,
    pub(crate) spki: Vec<u8>,
    /// Unix seconds, inclusive bounds.
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) version: u8,
    /// `BasicConstraintsValid`, `IsCA`, `MaxPathLen` (-1 when absent).
    pub(crate) basic_constraints: bool,
    pub(crate) is_ca: bool,
    pub(crate) max_path_len: i32,
    /// Go's `KeyUsage` bits (0 when absent or empty: no restriction).
    pub(crate) key_usage: u16,
    /// Extended key usages: whether the extension is there, and what it allows.
    pub(crate) has_eku: bool,
    pub(crate) eku_any: bool,
    pub(crate) eku_code_signing: bool,
    pub(crate) eku_time_stamping: bool,
    /// How many extended key usages the extension lists, and whether it is critical.
    pub(crate) eku_count: usize,
    pub(crate) eku_critical: bool,
    pub(crate) emails: Vec<String>,
    /// URI names, as written.
    pub(crate) uris: Vec<String>,
    pub(crate) dns_names: Vec<String>,
    /// IP addresses, 4 or 16 bytes.
    pub(crate) ip_addresses: Vec<Vec<u8>>,
    /// The SAN extension's value, as `alreadyInChain` compares it.
    pub(crate) san: Option<Vec<u8>>,
    pub(crate) subject_key_id: Vec<u8>,
    pub(crate) authority_key_id: Vec<u8>,
    pub(crate) unhandled_critical: Vec<ObjectIdentifier>,
    /// Name constraints or policy constraints, mappings or inhibitions: processing vouch does
    /// not do, so a chain through such a certificate is refused (fail closed).
    pub(crate) constraints_vouch_skips: bool,
    /// `None` for a key algorithm Go does not know, or vouch does not verify with.
    pub(crate) public_key: Option<PublicKey>,
    pub(crate) signature_algorithm: SignatureAlgorithm,
    pub(crate) signature: Vec<u8>,
    /// Every extension: its OID and value (Fulcio's issuer extensions are read from here).
    pub(crate) extensions: Vec<(ObjectIdentifier, Vec<u8>)>,
}

const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

impl View {
    /// Whether the certificate carries a SAN extension that Go left unhandled.
    pub(crate) fn san_oid() -> ObjectIdentifier {
        SAN
    }
}

fn malformed(what: &'static str) -> CertificateError {
    CertificateError::Malformed(what)
}

/// Reads what verification needs from a parsed certificate, refusing what Go's parser refuses.
pub(crate) fn view(tbs: &Decoded) -> Result<View, CertificateError> {
    fn der<T: Encode>(what: &'static str, value: &T) -> Result<Vec<u8>, CertificateError> {
        value.to_der().map_err(|_| malformed(what))
    }
    let raw_subject = der("the subject", &tbs.subject)?;
    let raw_issuer = der("the issuer", &tbs.issuer)?;
    let spki = der("the public key", &tbs.subject_public_key_info)?;
    let mut out = View {
        raw_subject,
        raw_issuer,
        raw_tbs: tbs.raw_tbs.clone(),
        not_before: tbs.not_before,
        not_after: tbs.not_after,
        version: match tbs.version {
            x509_cert::certificate::Version::V1 => 1,
            x509_cert::certificate::Version::V2 => 2,
            x509_cert::certificate::Version::V3 => 3,
        },
        basic_constraints: false,
        is_ca: false,
        max_path_len: -1,
        key_usage: 0,
        has_eku: false,
        eku_any: false,
        eku_code_signing: false,
        eku_time_stamping: false,
        eku_count: 0,
        eku_critical: false,
        emails: Vec::new(),
        uris: Vec::new(),
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        san: None,
        subject_key_id: Vec::new(),
        authority_key_id: Vec::new(),
        unhandled_critical: Vec::new(),
        constraints_vouch_skips: false,
        // Go keeps a certificate whose key it cannot read only for unknown algorithms; a
        // known one that does not parse, or one vouch does not verify with, cannot sign here.
        public_key: keys::from_pkix(&spki).ok(),
        spki,
        signature_algorithm: signature_algorithm(&tbs.signature_algorithm),
        signature: tbs.signature_value.raw_bytes().to_vec(),
        extensions: Vec::new(),
    };
    for extension in tbs.extensions.iter().flatten() {
        let value = extension.extn_value.as_bytes();
        out.extensions.push((extension.extn_id, value.to_vec()));
        let mut unhandled = false;
        let id = extension.extn_id.as_bytes();
        if id.len() == 3 && &id[..2] == CE {
            match id[2] {
                15 => {
                    let usage = KeyUsage::from_der(value).map_err(|_| malformed("key usage"))?;
                    out.key_usage = usage.0.bits();
                }
                19 => {
                    let constraints = BasicConstraints::from_der(value)
                        .map_err(|_| malformed("basic constraints"))?;
                    out.basic_constraints = true;
                    out.is_ca = constraints.ca;
                    out.max_path_len = constraints.path_len_constraint.map_or(-1, i32::from);
                }
                17 => {
                    let names =
                        SubjectAltName::from_der(value).map_err(|_| malformed("the SAN"))?;
                    let mut parsed = 0;
                    for name in &names.0 {
                        match name {
                            GeneralName::Rfc822Name(email) => {
                                out.emails.push(email.as_str().into());
                                parsed += 1;
                            }
                            GeneralName::DnsName(name) => {
                                out.dns_names.push(name.as_str().into());
                                parsed += 1;
                            }
                            GeneralName::UniformResourceIdentifier(uri) => {
                                // Go parses every URI name and refuses the certificate when
                                // one does not parse or names a host that is not a domain.
                                let host = crate::go::url::parse_host(uri.as_str())
                                    .map_err(|_| malformed("a URI in the SAN does not parse"))?;
                                if !host.is_empty() && !crate::go::url::is_domain(&host) {
                                    return Err(malformed(
                                        "a URI in the SAN names a host that is not a domain",
                                    ));
                                }
                                out.uris.push(uri.as_str().into());
                                parsed += 1;
                            }
                            GeneralName::IpAddress(ip) => {
                                if !matches!(ip.as_bytes().len(), 4 | 16) {
                                    return Err(malformed("an IP address in the SAN"));
                                }
                                out.ip_addresses.push(ip.as_bytes().to_vec());
                                parsed += 1;
                            }
                            _ => {}
                        }
                    }
                    // Go calls a SAN it read nothing from unhandled.
                    unhandled = parsed == 0;
                    out.san = Some(value.to_vec());
                }
                37 => {
                    let usages = ExtendedKeyUsage::from_der(value)
                        .map_err(|_| malformed("extended key usage"))?;
                    // Go: an empty list restricts nothing.
                    out.has_eku = !usages.0.is_empty();
                    out.eku_any = usages.0.contains(&EKU_ANY);
                    out.eku_code_signing = usages.0.contains(&EKU_CODE_SIGNING);
                    out.eku_time_stamping = usages.0.contains(&EKU_TIME_STAMPING);
                    out.eku_count = usages.0.len();
                    out.eku_critical = extension.critical;
                }
                14 => {
                    let id = SubjectKeyIdentifier::from_der(value)
                        .map_err(|_| malformed("the subject key identifier"))?;
                    out.subject_key_id = id.0.as_bytes().to_vec();
                }
                35 => {
                    let id = AuthorityKeyIdentifier::from_der(value)
                        .map_err(|_| malformed("the authority key identifier"))?;
                    out.authority_key_id = id
                        .key_identifier
                        .map(|k| k.as_bytes().to_vec())
                        .unwrap_or_default();
                }
                // Name constraints, policy constraints, policy mappings, inhibitAnyPolicy.
                30 | 33 | 36 | 54 => out.constraints_vouch_skips = true,
                // CRL distribution points, certificate policies: handled by Go.
                31 | 32 => {}
                _ => unhandled = true,
            }
        } else if extension.extn_id != AIA {
            unhandled = true;
        }
        if extension.critical && unhandled {
            out.unhandled_critical.push(extension.extn_id);
        }
    }
    Ok(out)
}

/// Go's `getSignatureAlgorithmFromAI`, for the algorithms vouch verifies: the OID decides,
/// parameters are not read, except that Ed25519 with parameters is an unknown algorithm
/// (RFC 8410 §3: they must be absent).
fn signature_algorithm(
    identifier: &x509_cert::spki::AlgorithmIdentifierOwned,
) -> SignatureAlgorithm {
    let oid = &identifier.oid;
    const TABLE: &[(ObjectIdentifier, SignatureAlgorithm)] = &[
        (
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
            SignatureAlgorithm::Ecdsa(Hash::Sha256),
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
            SignatureAlgorithm::Ecdsa(Hash::Sha384),
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4"),
            SignatureAlgorithm::Ecdsa(Hash::Sha512),
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            SignatureAlgorithm::RsaPkcs1(Hash::Sha256),
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12"),
            SignatureAlgorithm::RsaPkcs1(Hash::Sha384),
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13"),
            SignatureAlgorithm::RsaPkcs1(Hash::Sha512),
        ),
        (
            ObjectIdentifier::new_unwrap("1.3.101.112"),
            SignatureAlgorithm::Ed25519,
        ),
        // MD5 and SHA-1 with RSA, ECDSA with SHA-1, SHA-1 with RSA (OIW): Go refuses them.
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4"),
            SignatureAlgorithm::Insecure,
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5"),
            SignatureAlgorithm::Insecure,
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.1"),
            SignatureAlgorithm::Insecure,
        ),
        (
            ObjectIdentifier::new_unwrap("1.3.14.3.2.29"),
            SignatureAlgorithm::Insecure,
        ),
    ];
    match TABLE.iter().find(|(known, _)| known == oid) {
        Some((_, SignatureAlgorithm::Ed25519)) if identifier.parameters.is_some() => {
            SignatureAlgorithm::Unsupported
        }
        Some((_, algorithm)) => *algorithm,
        None => SignatureAlgorithm::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::der::asn1::{Any, Null};
    use x509_cert::spki::AlgorithmIdentifierOwned;

    #[test]
    fn ed25519_with_parameters_is_an_unknown_algorithm_as_in_go() {
        let ed25519 = ObjectIdentifier::new_unwrap("1.3.101.112");
        let ecdsa = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
        let identifier =
            |oid, parameters: Option<Any>| AlgorithmIdentifierOwned { oid, parameters };
        let null = || Some(Any::from(Null));
        assert_eq!(
            signature_algorithm(&identifier(ed25519, None)),
            SignatureAlgorithm::Ed25519
        );
        assert_eq!(
            signature_algorithm(&identifier(ed25519, null())),
            SignatureAlgorithm::Unsupported
        );
        assert_eq!(
            signature_algorithm(&identifier(ecdsa, null())),
            SignatureAlgorithm::Ecdsa(Hash::Sha256)
        );
    }
}
