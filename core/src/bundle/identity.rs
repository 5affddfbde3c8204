//! Who a Fulcio certificate names, as sigstore-go 1.3 summarises it
//! (`certificate.SummarizeCertificate`): the subject alternative name (the first URI, else the
//! first e-mail address, else the one Fulcio `OtherName`), and the OIDC issuer from Fulcio's
//! extensions (1.3.6.1.4.1.57264.1.1, raw, or .1.8, a DER string: whichever comes last); and
//! the match against an expected identity (exact, case-sensitive).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::trust::certificate::Certificate;

/// Fulcio's arc, DER contents of 1.3.6.1.4.1.57264.1.
const FULCIO: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01];

/// Why a certificate's identity is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdentityError {
    /// A Fulcio extension that must be a DER string is not one.
    Extension(String),
    /// No URI, e-mail or Fulcio `OtherName` name.
    NoSubjectAlternativeName,
    /// The name is not the expected one.
    Subject {
        /// The expected name.
        expected: String,
        /// The certificate's.
        got: String,
    },
    /// The issuer is not the expected one.
    Issuer {
        /// The expected issuer.
        expected: String,
        /// The certificate's.
        got: String,
    },
    /// The name does not match the expected pattern.
    SubjectRegexp {
        /// The pattern.
        pattern: String,
        /// The certificate's name.
        got: String,
    },
    /// The issuer does not match the expected pattern.
    IssuerRegexp {
        /// The pattern.
        pattern: String,
        /// The certificate's issuer.
        got: String,
    },
    /// Neither a name nor an issuer to match.
    NoCriteria,
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Extension(oid) => write!(
                f,
                "failed to summarize certificate: extension {oid} is not a DER-encoded string"
            ),
            Self::NoSubjectAlternativeName => {
                f.write_str("failed to summarize certificate: no Subject Alternative Name found")
            }
            Self::Subject { expected, got } => write!(
                f,
                "failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value {expected:?}, got {got:?}"
            ),
            Self::Issuer { expected, got } => write!(
                f,
                "failed to verify certificate identity: no matching CertificateIdentity found, last error: expected issuer value {expected:?}, got {got:?}"
            ),
            Self::SubjectRegexp { pattern, got } => write!(
                f,
                "failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value to match regex {pattern:?}, got {got:?}"
            ),
            Self::IssuerRegexp { pattern, got } => write!(
                f,
                "failed to verify certificate identity: no matching CertificateIdentity found, last error: expected issuer value to match regex {pattern:?}, got {got:?}"
            ),
            Self::NoCriteria => {
                f.write_str("can't verify identities without providing at least one identity")
            }
        }
    }
}

impl core::error::Error for IdentityError {}

/// A certificate's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) subject: String,
    /// The OIDC issuer (bytes as the extension holds them; empty when there is none).
    pub(crate) issuer: Vec<u8>,
}

/// Summarises `leaf`.
pub(crate) fn summarize(leaf: &Certificate) -> Result<Summary, IdentityError> {
    let mut issuer = Vec::new();
    for (oid, value) in &leaf.view.extensions {
        let id = oid.as_bytes();
        let Some(arc) = id.strip_prefix(FULCIO) else {
            continue;
        };
        match arc {
            [1] => issuer = value.clone(),
            [n] if (8..=22).contains(n) => {
                let text = crate::go::asn1::unmarshal_string(value).ok_or_else(|| {
                    IdentityError::Extension(alloc::format!("1.3.6.1.4.1.57264.1.{n}"))
                })?;
                if *n == 8 {
                    issuer = text;
                }
            }
            _ => {}
        }
    }
    let subject = if let Some(uri) = leaf.view.uris.first() {
        normalize_uri(uri)
    } else if let Some(email) = leaf.view.emails.first() {
        email.clone()
    } else {
        other_name(leaf).unwrap_or_default()
    };
    if subject.is_empty() {
        return Err(IdentityError::NoSubjectAlternativeName);
    }
    Ok(Summary { subject, issuer })
}

/// What Go's `url.URL.String()` gives back for a URI that parsed: the scheme lower-cased.
fn normalize_uri(uri: &str) -> String {
    match uri.split_once(':') {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.as_bytes()[0].is_ascii_alphabetic()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            alloc::format!("{}:{rest}", scheme.to_ascii_lowercase())
        }
        _ => uri.into(),
    }
}

/// sigstore's `UnmarshalOtherNameSAN`: exactly one `OtherName` of type
/// 1.3.6.1.4.1.57264.1.7 holding a UTF8String.
fn other_name(leaf: &Certificate) -> Option<String> {
    const SAN: &[u8] = &[0x55, 0x1d, 0x11];
    const TYPE: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x07];
    let mut found = Vec::new();
    for (oid, value) in &leaf.view.extensions {
        if oid.as_bytes() != SAN {
            continue;
        }
        let (seq, rest) = crate::go::asn1::element(value)?;
        if seq.tag != 0x30 || !rest.is_empty() {
            return None;
        }
        let mut names = seq.content;
        while !names.is_empty() {
            let (name, next) = crate::go::asn1::element(names)?;
            names = next;
            if name.tag & 0x1f != 0 {
                continue;
            }
            // OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }, tagged [0]
            // implicitly.
            let (type_id, rest) = crate::go::asn1::element(name.content)?;
            if type_id.tag != 0x06 || type_id.content != TYPE {
                return None;
            }
            let (explicit, rest2) = crate::go::asn1::element(rest)?;
            if explicit.tag != 0xa0 || !rest2.is_empty() {
                return None;
            }
            let (text, tail) = crate::go::asn1::element(explicit.content)?;
            if text.tag != 0x0c || !tail.is_empty() {
                return None;
            }
            found.push(String::from_utf8(text.content.to_vec()).ok()?);
        }
    }
    if found.len() == 1 { found.pop() } else { None }
}

/// The expected identity: exact subject and issuer (an empty one is not checked, but one of
/// them must be given).
pub(crate) fn check(summary: &Summary, subject: &str, issuer: &str) -> Result<(), IdentityError> {
    if subject.is_empty() && issuer.is_empty() {
        return Err(IdentityError::NoCriteria);
    }
    if subject.is_empty() || issuer.is_empty() {
        // sigstore-go needs both a subject and an issuer criterion.
        return Err(IdentityError::NoCriteria);
    }
    if summary.subject != subject {
        return Err(IdentityError::Subject {
            expected: subject.into(),
            got: summary.subject.clone(),
        });
    }
    if summary.issuer != issuer.as_bytes() {
        return Err(IdentityError::Issuer {
            expected: issuer.into(),
            got: String::from_utf8_lossy(&summary.issuer).into_owned(),
        });
    }
    Ok(())
}

/// sigstore-go's `CertificateIdentities.Verify`: the first rule whose subject, then issuer,
/// matches (its index); otherwise the last rule's failure.
pub(crate) fn check_rules(
    summary: &Summary,
    rules: &[crate::policy::BundleIdentity],
) -> Result<usize, IdentityError> {
    use crate::policy::NameMatch;
    let issuer = String::from_utf8_lossy(&summary.issuer);
    let mut last = IdentityError::NoCriteria;
    for (index, rule) in rules.iter().enumerate() {
        let failure = if !rule.subject.matches(&summary.subject) {
            Some(match &rule.subject {
                NameMatch::Exact(expected) => IdentityError::Subject {
                    expected: expected.clone(),
                    got: summary.subject.clone(),
                },
                NameMatch::Regexp(re) => IdentityError::SubjectRegexp {
                    pattern: re.as_str().into(),
                    got: summary.subject.clone(),
                },
            })
        } else {
            match &rule.issuer {
                // Exact issuers compare the extension's bytes.
                NameMatch::Exact(expected) if summary.issuer != expected.as_bytes() => {
                    Some(IdentityError::Issuer {
                        expected: expected.clone(),
                        got: issuer.clone().into_owned(),
                    })
                }
                NameMatch::Regexp(re) if !re.is_match(&issuer) => {
                    Some(IdentityError::IssuerRegexp {
                        pattern: re.as_str().into(),
                        got: issuer.clone().into_owned(),
                    })
                }
                _ => None,
            }
        };
        match failure {
            None => return Ok(index),
            Some(e) => last = e,
        }
    }
    Err(last)
}
