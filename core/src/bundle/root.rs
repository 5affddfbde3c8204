//! The trusted root (`dev.sigstore.trustroot.v1.TrustedRoot`, `trusted_root.json`): the
//! transparency logs, certificate authorities, CT logs and timestamp authorities a bundle is
//! verified against, each with its validity period, read as sigstore-go 1.3 reads them
//! (`root.NewTrustedRootFromJSON`) and given as data, never fetched.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::crypto::VerifyingKey;
use crate::crypto::keys::{self, PublicKey};
use crate::go::json::Node;
use crate::go::protojson::{self as pj, Field, ProtoJsonError};
use crate::trust::certificate::{self, Certificate};

/// The only media type sigstore-go 1.3 accepts for a trusted root (the one public-good's TUF
/// repository serves).
pub const TRUSTED_ROOT_MEDIA_TYPE: &str =
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

/// The largest trusted root read, in bytes (public-good's is about 7 KiB).
pub const MAX_TRUSTED_ROOT_BYTES: usize = 1024 * 1024;

/// A point in time: nanoseconds since the Unix epoch.
pub(crate) type Nanos = i128;

/// Nanoseconds of whole seconds.
pub(crate) fn nanos(seconds: i64) -> Nanos {
    i128::from(seconds) * 1_000_000_000
}

/// The names of `HashAlgorithm`, by number.
pub(crate) const HASH_ALGORITHMS: &[&str] = &[
    "HASH_ALGORITHM_UNSPECIFIED",
    "SHA2_256",
    "SHA2_384",
    "SHA2_512",
    "SHA3_256",
    "SHA3_384",
];

/// The names of `PublicKeyDetails`, by number.
pub(crate) const KEY_DETAILS: &[&str] = &[
    "PUBLIC_KEY_DETAILS_UNSPECIFIED",
    "PKCS1_RSA_PKCS1V5",
    "PKCS1_RSA_PSS",
    "PKIX_RSA_PKCS1V5",
    "PKIX_RSA_PSS",
    "PKIX_ECDSA_P256_SHA_256",
    "PKIX_ECDSA_P256_HMAC_SHA_256",
    "PKIX_ED25519",
    "PKIX_ED25519_PH",
    "PKIX_RSA_PKCS1V15_2048_SHA256",
    "PKIX_RSA_PKCS1V15_3072_SHA256",
    "PKIX_RSA_PKCS1V15_4096_SHA256",
    "PKIX_ECDSA_P384_SHA_384",
    "PKIX_ECDSA_P521_SHA_512",
    "LMS_SHA256",
    "LMOTS_SHA256",
    "PKIX_RSA_PSS_2048_SHA256",
    "PKIX_RSA_PSS_3072_SHA256",
    "PKIX_RSA_PSS_4096_SHA256",
    "PKIX_ECDSA_P384_SHA_256",
    "PKIX_ECDSA_P521_SHA_256",
    "ML_DSA_65",
    "ML_DSA_87",
    "ML_DSA_44",
];

/// An enum value's name, or its number when it has none.
pub(crate) fn enum_name(names: &[&str], value: i32) -> String {
    usize::try_from(value)
        .ok()
        .and_then(|i| names.get(i))
        .map_or_else(|| alloc::format!("{value}"), |name| String::from(*name))
}

/// Why a trusted root is refused, in sigstore-go's words where it has them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustedRootError {
    /// Larger than [`MAX_TRUSTED_ROOT_BYTES`].
    TooLarge(usize),
    /// Not a `TrustedRoot` in protobuf's JSON.
    Json(ProtoJsonError),
    /// Another media type than [`TRUSTED_ROOT_MEDIA_TYPE`].
    MediaType(String),
    /// A transparency or CT log entry that is incomplete or unusable.
    Log {
        /// `tlogs` or `ctlogs`.
        list: &'static str,
        /// The entry's `baseUrl`.
        base_url: String,
        /// What is wrong.
        why: String,
    },
    /// A certificate or timestamp authority that is incomplete or unusable.
    Authority {
        /// `certificateAuthorities` or `timestampAuthorities`.
        list: &'static str,
        /// The authority's `uri`.
        uri: String,
        /// What is wrong.
        why: String,
    },
}

impl fmt::Display for TrustedRootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(size) => write!(
                f,
                "a trusted root of {size} bytes is larger than {MAX_TRUSTED_ROOT_BYTES}"
            ),
            Self::Json(e) => write!(f, "failed to proto-json unmarshal trusted root: {e}"),
            Self::MediaType(m) => write!(f, "unsupported TrustedRoot media type: {m}"),
            Self::Log {
                list,
                base_url,
                why,
            } => write!(f, "{list} entry {base_url:?}: {why}"),
            Self::Authority { list, uri, why } => write!(f, "{list} entry {uri:?}: {why}"),
        }
    }
}

impl core::error::Error for TrustedRootError {}

impl From<ProtoJsonError> for TrustedRootError {
    fn from(e: ProtoJsonError) -> Self {
        Self::Json(e)
    }
}

/// A validity period, both ends inclusive; `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Validity {
    pub(crate) start: Option<Nanos>,
    pub(crate) end: Option<Nanos>,
}

impl Validity {
    /// Whether `at` is within the period.
    pub(crate) fn contains(&self, at: Nanos) -> bool {
        self.start.is_none_or(|s| at >= s) && self.end.is_none_or(|e| at <= e)
    }
}

/// A transparency log (Rekor) or a CT log.
#[derive(Clone, Debug)]
pub(crate) struct Log {
    pub(crate) base_url: String,
    /// The log ID (`logId.keyId`): SHA-256 of the key, by convention.
    pub(crate) id: Vec<u8>,
    pub(crate) key: PublicKey,
    /// `None` when vouch has no verifier for the key (fail closed).
    pub(crate) verifying: Option<VerifyingKey>,
    pub(crate) validity: Validity,
}

/// A certificate authority (Fulcio) or a timestamp authority.
#[derive(Clone, Debug)]
pub(crate) struct Authority {
    pub(crate) uri: String,
    /// The trust anchor: the chain's last certificate (a timestamp authority whose chain is a
    /// single end-entity certificate has none, and verifies nothing).
    pub(crate) root: Option<Certificate>,
    pub(crate) intermediates: Vec<Certificate>,
    /// A timestamp authority's own certificate, when its chain starts with one that is not a
    /// CA.
    pub(crate) leaf: Option<Certificate>,
    pub(crate) validity: Validity,
}

/// A trusted root, read once and used for every bundle.
#[derive(Clone, Debug)]
pub struct TrustedRoot {
    pub(crate) tlogs: Vec<Log>,
    pub(crate) certificate_authorities: Vec<Authority>,
    pub(crate) ctlogs: Vec<Log>,
    pub(crate) timestamp_authorities: Vec<Authority>,
}

const ROOT_FIELDS: [Field; 5] = [
    Field::new("mediaType", "media_type"),
    Field::new("tlogs", "tlogs"),
    Field::new("certificateAuthorities", "certificate_authorities"),
    Field::new("ctlogs", "ctlogs"),
    Field::new("timestampAuthorities", "timestamp_authorities"),
];

const LOG_FIELDS: [Field; 6] = [
    Field::new("baseUrl", "base_url"),
    Field::new("hashAlgorithm", "hash_algorithm"),
    Field::new("publicKey", "public_key"),
    Field::new("logId", "log_id"),
    Field::new("checkpointKeyId", "checkpoint_key_id"),
    Field::new("operator", "operator"),
];

const PUBLIC_KEY_FIELDS: [Field; 3] = [
    Field::new("rawBytes", "raw_bytes"),
    Field::new("keyDetails", "key_details"),
    Field::new("validFor", "valid_for"),
];

const TIME_RANGE_FIELDS: [Field; 2] = [Field::new("start", "start"), Field::new("end", "end")];

const LOG_ID_FIELDS: [Field; 1] = [Field::new("keyId", "key_id")];

const AUTHORITY_FIELDS: [Field; 5] = [
    Field::new("subject", "subject"),
    Field::new("uri", "uri"),
    Field::new("certChain", "cert_chain"),
    Field::new("validFor", "valid_for"),
    Field::new("operator", "operator"),
];

const NAME_FIELDS: [Field; 2] = [
    Field::new("organization", "organization"),
    Field::new("commonName", "common_name"),
];

pub(crate) const CHAIN_FIELDS: [Field; 1] = [Field::new("certificates", "certificates")];

pub(crate) const CERTIFICATE_FIELDS: [Field; 1] = [Field::new("rawBytes", "raw_bytes")];

impl TrustedRoot {
    /// Reads `trusted_root.json`.
    ///
    /// ```
    /// let root = vouch::TrustedRoot::from_json(br#"{
    ///     "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
    /// }"#).unwrap();
    /// assert!(vouch::TrustedRoot::from_json(br#"{"mediaType": "x"}"#).is_err());
    /// # let _ = root;
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, TrustedRootError> {
        if json.len() > MAX_TRUSTED_ROOT_BYTES {
            return Err(TrustedRootError::TooLarge(json.len()));
        }
        let document = pj::document(json)?;
        let [media_type, tlogs, cas, ctlogs, tsas] =
            pj::message(&document, &ROOT_FIELDS, "TrustedRoot")?;
        // protojson reads the whole document before sigstore-go looks at any of it.
        let media_type = pj::string(media_type, "mediaType")?;
        let tlog_nodes = pj::list(tlogs, "tlogs")?;
        let ca_nodes = pj::list(cas, "certificateAuthorities")?;
        let ctlog_nodes = pj::list(ctlogs, "ctlogs")?;
        let tsa_nodes = pj::list(tsas, "timestampAuthorities")?;
        let tlogs = tlog_nodes
            .iter()
            .map(|n| read_log(n, "tlogs"))
            .collect::<Result<Vec<_>, _>>()?;
        let cas = ca_nodes
            .iter()
            .map(read_authority)
            .collect::<Result<Vec<_>, _>>()?;
        let ctlogs = ctlog_nodes
            .iter()
            .map(|n| read_log(n, "ctlogs"))
            .collect::<Result<Vec<_>, _>>()?;
        let tsas = tsa_nodes
            .iter()
            .map(read_authority)
            .collect::<Result<Vec<_>, _>>()?;
        if media_type != TRUSTED_ROOT_MEDIA_TYPE {
            return Err(TrustedRootError::MediaType(media_type));
        }
        // sigstore-go checks the media type first, then builds tlogs, CAs, TSAs and CT logs in
        // that order; every one of them is read above, so the first error in that order is
        // reported below.
        let tlogs = tlogs.into_iter().collect::<Result<Vec<_>, _>>()?;
        let certificate_authorities = cas
            .into_iter()
            .map(AuthorityMessage::certificate_authority)
            .collect::<Result<Vec<_>, _>>()?;
        let timestamp_authorities = tsas
            .into_iter()
            .map(AuthorityMessage::timestamp_authority)
            .collect::<Result<Vec<_>, _>>()?;
        let ctlogs = ctlogs.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            tlogs: dedupe_logs(tlogs),
            certificate_authorities,
            ctlogs: dedupe_logs(ctlogs),
            timestamp_authorities,
        })
    }

    /// The transparency log whose ID is `id`.
    pub(crate) fn tlog(&self, id: &[u8]) -> Option<&Log> {
        self.tlogs.iter().find(|l| l.id == id)
    }

    /// The CT log whose ID is `id`.
    pub(crate) fn ctlog(&self, id: &[u8]) -> Option<&Log> {
        self.ctlogs.iter().find(|l| l.id == id)
    }
}

/// sigstore-go keeps logs in a map by ID: a later entry replaces an earlier one.
fn dedupe_logs(logs: Vec<Log>) -> Vec<Log> {
    let mut out: Vec<Log> = Vec::with_capacity(logs.len());
    for log in logs {
        match out.iter_mut().find(|l| l.id == log.id) {
            Some(earlier) => *earlier = log,
            None => out.push(log),
        }
    }
    out
}

/// A log entry: read (a JSON error is the document's) and then checked (an error of its own,
/// reported in sigstore-go's order).
fn read_log(
    node: &Node,
    list: &'static str,
) -> Result<Result<Log, TrustedRootError>, TrustedRootError> {
    let [base_url, hash, key, id, checkpoint_id, operator] =
        pj::message(node, &LOG_FIELDS, "TransparencyLogInstance")?;
    let base_url = pj::string(base_url, "baseUrl")?;
    let hash = pj::enumeration(hash, HASH_ALGORITHMS, "hashAlgorithm")?;
    let id = id
        .map(|n| -> Result<_, TrustedRootError> {
            let [key_id] = pj::message(n, &LOG_ID_FIELDS, "LogId")?;
            Ok(pj::bytes(key_id, "keyId")?)
        })
        .transpose()?;
    if let Some(n) = checkpoint_id {
        let [key_id] = pj::message(n, &LOG_ID_FIELDS, "LogId")?;
        pj::bytes(key_id, "keyId")?;
    }
    pj::string(operator, "operator")?;
    let key = key.map(read_public_key).transpose()?;
    let fail = |why: &str| TrustedRootError::Log {
        list,
        base_url: base_url.clone(),
        why: why.into(),
    };
    Ok((|| {
        if hash != 1 {
            return Err(fail(&alloc::format!(
                "unsupported tlog hash algorithm: {}",
                enum_name(HASH_ALGORITHMS, hash)
            )));
        }
        let Some(id) = id else {
            return Err(fail("tlog missing log ID"));
        };
        // An empty `bytes` value is no value.
        if id.is_empty() {
            return Err(fail("tlog missing log ID key ID"));
        }
        let Some(key) = key else {
            return Err(fail("tlog missing public key"));
        };
        let Some(raw) = key.raw else {
            return Err(fail("tlog missing public key raw bytes"));
        };
        let public = log_key(&raw, key.details).map_err(|why| fail(&why))?;
        let Some(validity) = key.validity else {
            return Err(fail("tlog missing public key validity period"));
        };
        if validity.start.is_none() {
            return Err(fail("tlog missing public key validity period start time"));
        }
        Ok(Log {
            base_url: base_url.clone(),
            id,
            verifying: VerifyingKey::new(&public).ok(),
            key: public,
            validity,
        })
    })())
}

/// A `PublicKey` message: its raw bytes (`optional`: present even when empty), its details and
/// its validity.
struct KeyMessage {
    raw: Option<Vec<u8>>,
    details: i32,
    validity: Option<Validity>,
}

fn read_public_key(node: &Node) -> Result<KeyMessage, TrustedRootError> {
    let [raw, details, valid_for] = pj::message(node, &PUBLIC_KEY_FIELDS, "PublicKey")?;
    Ok(KeyMessage {
        raw: raw.map(|n| pj::bytes(Some(n), "rawBytes")).transpose()?,
        details: pj::enumeration(details, KEY_DETAILS, "keyDetails")?,
        validity: valid_for.map(read_time_range).transpose()?,
    })
}

fn read_time_range(node: &Node) -> Result<Validity, TrustedRootError> {
    let [start, end] = pj::message(node, &TIME_RANGE_FIELDS, "TimeRange")?;
    let at = |n: Option<&Node>, field| -> Result<Option<Nanos>, TrustedRootError> {
        Ok(n.map(|n| pj::timestamp(n, field))
            .transpose()?
            .map(|(s, ns)| nanos(s) + i128::from(ns)))
    };
    Ok(Validity {
        start: at(start, "start")?,
        end: at(end, "end")?,
    })
}

/// A log's key as sigstore-go reads it by its declared details: the key's type must fit them
/// (the curve of an ECDSA key is not checked against them).
fn log_key(raw: &[u8], details: i32) -> Result<PublicKey, String> {
    let name = enum_name(KEY_DETAILS, details);
    let parsed = || {
        keys::from_pkix(raw).map_err(|e| alloc::format!("failed to parse public key for tlog: {e}"))
    };
    match details {
        // PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384, PKIX_ECDSA_P521_SHA_512
        5 | 12 | 13 => match parsed()? {
            key @ (PublicKey::P256(_) | PublicKey::P384(_)) => Ok(key),
            _ => Err(alloc::format!("tlog public key is not ECDSA: {name}")),
        },
        // PKIX_RSA_PKCS1V15_{2048,3072,4096}_SHA256
        9..=11 => match parsed()? {
            key @ PublicKey::Rsa { .. } => Ok(key),
            _ => Err(alloc::format!("tlog public key is not RSA: {name}")),
        },
        // PKIX_ED25519 (sigstore-go's message says RSA here)
        7 => match parsed()? {
            key @ PublicKey::Ed25519(_) => Ok(key),
            _ => Err(alloc::format!("tlog public key is not RSA: {name}")),
        },
        // PKCS1_RSA_PKCS1V5: a bare PKCS #1 RSAPublicKey.
        1 => keys::from_pkcs1(raw)
            .map_err(|e| alloc::format!("failed to parse public key for tlog: {e}")),
        _ => Err(alloc::format!("unsupported tlog public key type: {name}")),
    }
}

/// An authority as read: its URI, its certificates (each parsed or not) and its validity.
struct AuthorityMessage {
    uri: String,
    chain: Option<Vec<Result<Certificate, String>>>,
    validity: Validity,
}

fn read_authority(node: &Node) -> Result<AuthorityMessage, TrustedRootError> {
    let [subject, uri, chain, valid_for, operator] =
        pj::message(node, &AUTHORITY_FIELDS, "CertificateAuthority")?;
    if let Some(subject) = subject {
        let [organization, common_name] = pj::message(subject, &NAME_FIELDS, "DistinguishedName")?;
        pj::string(organization, "organization")?;
        pj::string(common_name, "commonName")?;
    }
    let uri = pj::string(uri, "uri")?;
    pj::string(operator, "operator")?;
    let validity = valid_for
        .map(read_time_range)
        .transpose()?
        .unwrap_or(Validity {
            start: None,
            end: None,
        });
    let chain = chain
        .map(|n| -> Result<_, TrustedRootError> {
            let [certificates] = pj::message(n, &CHAIN_FIELDS, "X509CertificateChain")?;
            pj::list(certificates, "certificates")?
                .iter()
                .map(|c| -> Result<_, TrustedRootError> {
                    let [raw] = pj::message(c, &CERTIFICATE_FIELDS, "X509Certificate")?;
                    let der = pj::bytes(raw, "rawBytes")?;
                    Ok(certificate::parse(&der).map_err(|e| alloc::format!("{e}")))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(AuthorityMessage {
        uri,
        chain,
        validity,
    })
}

impl AuthorityMessage {
    fn certificates(
        self,
        list: &'static str,
    ) -> Result<(String, Vec<Certificate>, Validity), TrustedRootError> {
        let fail = |why: String| TrustedRootError::Authority {
            list,
            uri: self.uri.clone(),
            why,
        };
        let Some(chain) = self.chain else {
            return Err(fail("CertificateAuthority missing cert chain".into()));
        };
        if chain.is_empty() {
            return Err(fail("CertificateAuthority cert chain is empty".into()));
        }
        let certificates = chain
            .into_iter()
            .map(|c| c.map_err(|e| fail(alloc::format!("failed to parse certificate: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((self.uri, certificates, self.validity))
    }

    /// A Fulcio CA: the last certificate is the root, the others intermediates, by position.
    fn certificate_authority(self) -> Result<Authority, TrustedRootError> {
        let (uri, mut certificates, validity) = self.certificates("certificateAuthorities")?;
        let root = certificates.pop();
        Ok(Authority {
            uri,
            root,
            intermediates: certificates,
            leaf: None,
            validity,
        })
    }

    /// A timestamp authority: the first certificate is its own when it is not a CA; the last
    /// is the root (unless it is that leaf); those between are intermediates.
    fn timestamp_authority(self) -> Result<Authority, TrustedRootError> {
        let (uri, certificates, validity) = self.certificates("timestampAuthorities")?;
        let count = certificates.len();
        let mut authority = Authority {
            uri,
            root: None,
            intermediates: Vec::new(),
            leaf: None,
            validity,
        };
        for (i, certificate) in certificates.into_iter().enumerate() {
            if i == 0 && !certificate.view.is_ca {
                authority.leaf = Some(certificate);
            } else if i < count - 1 {
                authority.intermediates.push(certificate);
            } else {
                authority.root = Some(certificate);
            }
        }
        Ok(authority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_periods_are_inclusive_and_open_ended() {
        let v = Validity {
            start: Some(10),
            end: Some(20),
        };
        assert!(v.contains(10) && v.contains(20) && !v.contains(9) && !v.contains(21));
        let open = Validity {
            start: Some(10),
            end: None,
        };
        assert!(open.contains(i128::MAX) && !open.contains(9));
    }

    #[test]
    fn media_type_and_log_rules() {
        let root = |body: &str| {
            TrustedRoot::from_json(
                alloc::format!(
                    r#"{{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"{body}}}"#
                )
                .as_bytes(),
            )
        };
        assert!(root("").is_ok());
        assert!(matches!(
            TrustedRoot::from_json(
                br#"{"mediaType":"application/vnd.dev.sigstore.trustedroot.v0.2+json"}"#
            ),
            Err(TrustedRootError::MediaType(_))
        ));
        let log = |fields: &str| {
            root(&alloc::format!(
                r#","tlogs":[{{"baseUrl":"https://log"{fields}}}]"#
            ))
        };
        let why = |r: Result<TrustedRoot, TrustedRootError>| match r {
            Err(TrustedRootError::Log { why, .. }) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            why(log("")),
            "unsupported tlog hash algorithm: HASH_ALGORITHM_UNSPECIFIED"
        );
        assert_eq!(
            why(log(r#","hashAlgorithm":"SHA2_256""#)),
            "tlog missing log ID"
        );
        assert_eq!(
            why(log(r#","hashAlgorithm":1,"logId":{"keyId":""}"#)),
            "tlog missing log ID key ID"
        );
        assert_eq!(
            why(log(r#","hashAlgorithm":1,"logId":{"keyId":"AA=="}"#)),
            "tlog missing public key"
        );
        assert_eq!(
            why(log(
                r#","hashAlgorithm":1,"logId":{"keyId":"AA=="},"publicKey":{}"#
            )),
            "tlog missing public key raw bytes"
        );
        assert!(matches!(
            log(r#","hashAlgorithm":"SHA9""#),
            Err(TrustedRootError::Json(_))
        ));
    }
}
