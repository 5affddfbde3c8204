//! The certificate half of keyless `sigstoreSigned`, as containers/image 5.34 checks it: the
//! leaf from the certificate annotation (exactly one certificate), the untrusted intermediates
//! from the chain annotation (all but its last certificate), the chain verified (`chain`), then
//! the identity: for Fulcio, the OIDC issuer extensions (1.3.6.1.4.1.57264.1.1 raw, .1.8 a DER
//! string; both present must agree) and the e-mail SAN; for PKI, the e-mail SAN and the host
//! name as Go's `VerifyHostname` matches it. Gives the leaf's public key.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use x509_cert::der::asn1::ObjectIdentifier;

use super::certificate::{self, Certificate, CertificateError};
use super::chain::{self, ChainProblem};
use super::memo::{Chain, ChainMemo, chain_id};
use crate::crypto::VerifyingKey;
use crate::crypto::keys::PublicKey;

const ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
const ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");

/// Why a signature's certificate is not accepted (`certificate_invalid`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// The certificate annotation is not PEM certificates.
    Leaf(CertificateError),
    /// The certificate annotation holds no certificate.
    NoCertificate,
    /// The certificate annotation holds more than one certificate.
    SeveralCertificates,
    /// The chain annotation is not PEM certificates.
    ChainAnnotation(CertificateError),
    /// The certificate does not chain to a trusted root at the time of the check.
    Chain(ChainProblem),
    /// The Fulcio certificate has no OIDC issuer extension.
    IssuerMissing,
    /// The OIDC issuer v2 extension is not one DER string.
    IssuerMalformed,
    /// The two OIDC issuer extensions disagree.
    IssuerInconsistent,
    /// The certificate was issued for another OIDC issuer (the one it names).
    IssuerMismatch(String),
    /// The certificate does not name the required e-mail address.
    EmailMismatch {
        /// The address the policy requires.
        required: String,
        /// The addresses the certificate names.
        named: Vec<String>,
    },
    /// The certificate does not name the required host.
    HostnameMismatch,
    /// The certificate's key is one vouch does not verify with.
    KeyUnsupported,
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Leaf(e) => write!(f, "the certificate annotation is unreadable: {e}"),
            Self::NoCertificate => f.write_str("the certificate annotation holds no certificate"),
            Self::SeveralCertificates => {
                f.write_str("the certificate annotation holds more than one certificate")
            }
            Self::ChainAnnotation(e) => write!(f, "the chain annotation is unreadable: {e}"),
            Self::Chain(e) => fmt::Display::fmt(e, f),
            Self::IssuerMissing => f.write_str("the certificate names no OIDC issuer"),
            Self::IssuerMalformed => {
                f.write_str("the certificate's OIDC issuer v2 extension is malformed")
            }
            Self::IssuerInconsistent => {
                f.write_str("the certificate's two OIDC issuer extensions disagree")
            }
            Self::IssuerMismatch(issuer) => {
                write!(
                    f,
                    "the certificate was issued for the OIDC issuer {issuer:?}"
                )
            }
            Self::EmailMismatch { required, named } => {
                write!(
                    f,
                    "the certificate does not name the e-mail address {required:?}"
                )?;
                match named.as_slice() {
                    [] => f.write_str(" (it names none)"),
                    [one] => write!(f, " (it names {one:?})"),
                    many => write!(f, " (it names {many:?})"),
                }
            }
            Self::HostnameMismatch => {
                f.write_str("the certificate does not name the required host")
            }
            Self::KeyUnsupported => {
                f.write_str("the certificate's key is not one vouch verifies with")
            }
        }
    }
}

impl core::error::Error for CertificateProblem {}

/// A signature's chain annotation, parsed or remembered.
struct Annotation {
    chain: Chain,
    /// Its id, when it was parsed now (to remember it once its chain verifies).
    fresh: Option<[u8; 32]>,
}

impl Annotation {
    /// The untrusted intermediates: the last certificate of the chain annotation is its root,
    /// never trusted from there.
    fn intermediates(&self) -> impl Iterator<Item = &Certificate> {
        self.chain[..self.chain.len().saturating_sub(1)].iter()
    }

    /// Remembers the annotation in `memo`: its chain verified.
    fn verified(self, memo: &ChainMemo) {
        if let Some(id) = self.fresh {
            memo.remember_chain(id, self.chain);
        }
    }
}

/// The leaf and the chain annotation of a signature.
fn leaf_and_chain(
    memo: &ChainMemo,
    cert_pem: &[u8],
    chain_pem: Option<&[u8]>,
) -> Result<(Certificate, Annotation), CertificateProblem> {
    let annotation = match chain_pem.filter(|c| !c.is_empty()) {
        Some(pem) => {
            let id = chain_id(pem);
            match memo.chain(&id) {
                Some(chain) => Annotation { chain, fresh: None },
                None => Annotation {
                    chain: Arc::new(
                        certificate::certificates_from_pem(pem)
                            .map_err(CertificateProblem::ChainAnnotation)?,
                    ),
                    fresh: Some(id),
                },
            }
        }
        None => Annotation {
            chain: Arc::default(),
            fresh: None,
        },
    };
    let mut leaves =
        certificate::certificates_from_pem(cert_pem).map_err(CertificateProblem::Leaf)?;
    let leaf = match leaves.len() {
        0 => return Err(CertificateProblem::NoCertificate),
        1 => leaves.remove(0),
        _ => return Err(CertificateProblem::SeveralCertificates),
    };
    Ok((leaf, annotation))
}

/// The key of a verified leaf: as parsed, and prepared for verification.
pub(crate) type LeafKey = (PublicKey, VerifyingKey);

fn key_of(leaf: Certificate) -> Result<LeafKey, CertificateProblem> {
    match (leaf.view.public_key, leaf.verifying) {
        (Some(key), Some(verifying)) => Ok((key, verifying)),
        _ => Err(CertificateProblem::KeyUnsupported),
    }
}

/// Fulcio: the chain at `time` (the Rekor entry's integrated time), then the issuer and the
/// e-mail address.
pub(crate) fn verify_fulcio(
    checked: &ChainMemo,
    roots: &[Certificate],
    oidc_issuer: &str,
    email: &str,
    time: i64,
    cert_pem: &[u8],
    chain_pem: Option<&[u8]>,
) -> Result<LeafKey, CertificateProblem> {
    let (leaf, annotation) = leaf_and_chain(checked, cert_pem, chain_pem)?;
    let intermediates: Vec<&Certificate> = annotation.intermediates().collect();
    chain::verify(&leaf, &intermediates, roots, time, true, checked)
        .map_err(CertificateProblem::Chain)?;
    annotation.verified(checked);
    let issuer = fulcio_issuer(&leaf)?;
    if issuer != oidc_issuer.as_bytes() {
        return Err(CertificateProblem::IssuerMismatch(
            String::from_utf8_lossy(&issuer).into_owned(),
        ));
    }
    if !leaf.view.emails.iter().any(|e| e == email) {
        return Err(CertificateProblem::EmailMismatch {
            required: email.into(),
            named: leaf.view.emails.clone(),
        });
    }
    key_of(leaf)
}

/// A PKI trust root as the policy gives it.
pub(crate) struct Pki<'a> {
    pub(crate) roots: &'a [Certificate],
    pub(crate) intermediates: &'a [Certificate],
    /// Required when not empty.
    pub(crate) email: &'a str,
    /// Required when not empty.
    pub(crate) hostname: &'a str,
    pub(crate) checked: &'a ChainMemo,
}

/// PKI: the chain at `now` with the policy's intermediates and the annotation's, then the
/// e-mail address and the host name, each when the policy names one.
pub(crate) fn verify_pki(
    pki: &Pki<'_>,
    now: i64,
    cert_pem: &[u8],
    chain_pem: Option<&[u8]>,
) -> Result<LeafKey, CertificateProblem> {
    let Pki {
        roots,
        intermediates: trusted_intermediates,
        email,
        hostname,
        checked,
    } = *pki;
    let (leaf, annotation) = leaf_and_chain(checked, cert_pem, chain_pem)?;
    let intermediates: Vec<&Certificate> = trusted_intermediates
        .iter()
        .chain(annotation.intermediates())
        .collect();
    chain::verify(&leaf, &intermediates, roots, now, false, checked)
        .map_err(CertificateProblem::Chain)?;
    annotation.verified(checked);
    if !email.is_empty() && !leaf.view.emails.iter().any(|e| e == email) {
        return Err(CertificateProblem::EmailMismatch {
            required: email.into(),
            named: leaf.view.emails.clone(),
        });
    }
    if !hostname.is_empty() && !verify_hostname(&leaf, hostname) {
        return Err(CertificateProblem::HostnameMismatch);
    }
    key_of(leaf)
}

/// containers/image's `fulcioIssuerInCertificate`.
fn fulcio_issuer(leaf: &Certificate) -> Result<Vec<u8>, CertificateProblem> {
    let (mut v1, mut v2) = (None, None);
    for (oid, value) in &leaf.view.extensions {
        if *oid == ISSUER_V1 {
            v1 = Some(value.clone());
        } else if *oid == ISSUER_V2 {
            v2 = Some(
                crate::go::asn1::unmarshal_string(value)
                    .ok_or(CertificateProblem::IssuerMalformed)?,
            );
        }
    }
    match (v1, v2) {
        (Some(a), Some(b)) if a != b => Err(CertificateProblem::IssuerInconsistent),
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(CertificateProblem::IssuerMissing),
    }
}

/// Go's `(*x509.Certificate).VerifyHostname`.
fn verify_hostname(leaf: &Certificate, host: &str) -> bool {
    let candidate_ip = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .filter(|_| host.len() >= 3)
        .unwrap_or(host);
    if let Ok(ip) = candidate_ip.parse::<core::net::IpAddr>() {
        let ours = match ip {
            core::net::IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            core::net::IpAddr::V6(v6) => v6.octets(),
        };
        return leaf
            .view
            .ip_addresses
            .iter()
            .any(|theirs| match theirs.len() {
                4 => {
                    let v4 = core::net::Ipv4Addr::new(theirs[0], theirs[1], theirs[2], theirs[3]);
                    v4.to_ipv6_mapped().octets() == ours
                }
                _ => theirs[..] == ours[..],
            });
    }
    let name = host.to_ascii_lowercase();
    let valid_name = valid_hostname(&name, false);
    leaf.view.dns_names.iter().any(|pattern| {
        if valid_name && valid_hostname(pattern, true) {
            match_hostnames(pattern, &name)
        } else {
            match_exactly(pattern, &name)
        }
    })
}

fn valid_hostname(host: &str, pattern: bool) -> bool {
    let host = if pattern {
        host
    } else {
        host.strip_suffix('.').unwrap_or(host)
    };
    if host.is_empty() || host == "*" {
        return false;
    }
    host.split('.').enumerate().all(|(i, part)| {
        !part.is_empty()
            && ((pattern && i == 0 && part == "*")
                || part
                    .char_indices()
                    .all(|(j, c)| c.is_ascii_alphanumeric() || (c == '-' && j != 0) || c == '_'))
    })
}

fn match_exactly(a: &str, b: &str) -> bool {
    !(a.is_empty() || a == "." || b.is_empty() || b == ".") && a.eq_ignore_ascii_case(b)
}

fn match_hostnames(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    let (pattern, host): (Vec<&str>, Vec<&str>) =
        (pattern.split('.').collect(), host.split('.').collect());
    pattern.len() == host.len()
        && pattern
            .iter()
            .zip(&host)
            .enumerate()
            .all(|(i, (p, h))| (i == 0 && *p == "*") || p == h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_match_as_go_matches_them() {
        assert!(valid_hostname("build.vouch.test", false));
        assert!(valid_hostname("build.vouch.test.", false));
        assert!(!valid_hostname("*", true));
        assert!(valid_hostname("*.vouch.test", true));
        assert!(!valid_hostname("*.vouch.test", false));
        assert!(!valid_hostname("-a.test", false));
        assert!(valid_hostname("a_b.test", false));
        assert!(match_hostnames("*.vouch.test", "build.vouch.test"));
        assert!(match_hostnames("*.vouch.test", "BUILD.vouch.test."));
        assert!(!match_hostnames("*.vouch.test", "a.build.vouch.test"));
        assert!(!match_hostnames("*.vouch.test", "vouch.test"));
        assert!(match_exactly("Build.Vouch.Test", "build.vouch.test"));
        assert!(!match_exactly(".", "."));
    }
}
