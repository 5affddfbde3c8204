//! A sigstore bundle read as sigstore-go 1.3 reads one (`bundle.Bundle.UnmarshalJSON`): the
//! `dev.sigstore.bundle.v1.Bundle` message in protobuf's JSON, its media type mapped to a
//! version, and the rules each version sets (v0.1: an inclusion promise; v0.2 on: an inclusion
//! proof; v0.3 on: no certificate chain), with every transparency-log entry read and its body
//! parsed (`entry`).

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;

use super::budget::{self, BundleBudget, BundleLimit};
use super::entry::{self, Body, EntryError};
use super::root::{CERTIFICATE_FIELDS, CHAIN_FIELDS};
use crate::go::json::Node;
use crate::go::protojson::{self as pj, Field, ProtoJsonError};

/// The largest bundle read, in bytes.
pub const MAX_BUNDLE_BYTES: usize = 4 * 1024 * 1024;

/// At most this many transparency-log entries in a bundle (sigstore-go's limit).
pub const MAX_TLOG_ENTRIES: usize = 32;

/// Why a bundle does not read, in sigstore-go's words.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// Over one of the [`BundleBudget`](super::BundleBudget)'s limits.
    OverBudget(super::BundleOverBudget),
    /// Not a `Bundle` in protobuf's JSON.
    Json(ProtoJsonError),
    /// A media type that names no bundle version vouch reads.
    UnsupportedMediaType(String),
    /// A version before v0.1 or from v0.4 on.
    UnsupportedVersion(String),
    /// Neither a message signature nor a DSSE envelope.
    MissingContent,
    /// No verification material.
    MissingVerificationMaterial,
    /// More than [`MAX_TLOG_ENTRIES`] entries.
    TooManyTlogEntries(usize),
    /// A transparency-log entry that does not read.
    Entry(EntryError),
    /// A v0.1 bundle with entries but no inclusion promise.
    MissingInclusionPromise,
    /// A bundle from v0.2 on with entries but no inclusion proof.
    MissingInclusionProof,
    /// A v0.3 bundle whose material is a certificate chain.
    CertificateChainInV03,
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OverBudget(over) => write!(f, "over budget: {over}"),
            Self::Json(e) => write!(f, "{e}"),
            Self::UnsupportedMediaType(m) => {
                write!(f, "validation error: unsupported media type: {m}")
            }
            Self::UnsupportedVersion(v) => write!(
                f,
                "validation error: unsupported media type: bundle version {v} is not supported"
            ),
            Self::MissingContent => {
                f.write_str("invalid bundle: validation error: missing bundle content")
            }
            Self::MissingVerificationMaterial => {
                f.write_str("invalid bundle: validation error: missing verification material")
            }
            Self::TooManyTlogEntries(n) => write!(
                f,
                "validation error: too many tlog entries: {n} > {MAX_TLOG_ENTRIES}"
            ),
            Self::Entry(e) => write!(f, "validation error: {e}"),
            Self::MissingInclusionPromise => {
                f.write_str("inclusion promises missing in bundle (required for bundle v0.1)")
            }
            Self::MissingInclusionProof => {
                f.write_str("inclusion proof missing in bundle (required for bundle v0.2)")
            }
            Self::CertificateChainInV03 => f.write_str(
                "verification material cannot be X.509 certificate chain (for bundle v0.3)",
            ),
        }
    }
}

impl core::error::Error for BundleError {}

impl From<ProtoJsonError> for BundleError {
    fn from(e: ProtoJsonError) -> Self {
        Self::Json(e)
    }
}

/// What vouches for the signer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Material {
    /// A managed key, named by an unauthenticated hint.
    PublicKey { hint: String },
    /// Certificates (DER), the leaf first; only the leaf is used (sigstore-go reads the rest
    /// only when asked to, and vouch does not ask).
    Chain(Vec<Vec<u8>>),
    /// The leaf certificate (DER).
    Certificate(Vec<u8>),
}

/// One DSSE signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DsseSignature {
    pub(crate) sig: Vec<u8>,
    pub(crate) keyid: String,
}

/// What was signed, and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Content {
    /// A signature over the artifact's bytes; `digest` is the bundle's own (unauthenticated)
    /// `messageDigest`: its algorithm (a `HashAlgorithm` number) and bytes, when present.
    Message {
        digest: Option<(i32, Vec<u8>)>,
        signature: Vec<u8>,
    },
    /// A DSSE envelope.
    Dsse {
        payload: Vec<u8>,
        payload_type: String,
        signatures: Vec<DsseSignature>,
    },
}

impl Content {
    /// The signature bytes the log entries and timestamps are bound to: the message
    /// signature, or the first DSSE signature (empty when there is none).
    pub(crate) fn signature(&self) -> &[u8] {
        match self {
            Self::Message { signature, .. } => signature,
            Self::Dsse { signatures, .. } => signatures.first().map_or(&[], |s| &s.sig),
        }
    }
}

/// An inclusion proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Proof {
    pub(crate) log_index: i64,
    pub(crate) root_hash: Vec<u8>,
    pub(crate) tree_size: i64,
    pub(crate) hashes: Vec<Vec<u8>>,
    /// The signed checkpoint (a signed note), as text.
    pub(crate) checkpoint: String,
}

/// A transparency-log entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TlogEntry {
    pub(crate) log_index: i64,
    pub(crate) log_id: Vec<u8>,
    pub(crate) integrated_time: i64,
    /// The signed entry timestamp, when there is a non-empty one.
    pub(crate) set: Option<Vec<u8>>,
    pub(crate) proof: Option<Proof>,
    pub(crate) canonicalized_body: Vec<u8>,
    pub(crate) body: Body,
}

/// A sigstore bundle, read and checked for its version's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    /// The version its media type names (`v0.1`, `v0.3`, `v0.3.1`, ...).
    pub(crate) version: String,
    pub(crate) material: Material,
    pub(crate) entries: Vec<TlogEntry>,
    /// The RFC 3161 time-stamp responses (DER).
    pub(crate) timestamps: Vec<Vec<u8>>,
    pub(crate) content: Content,
}

const BUNDLE_FIELDS: [Field; 4] = [
    Field::new("mediaType", "media_type"),
    Field::new("verificationMaterial", "verification_material"),
    Field::of("messageSignature", "message_signature", 0),
    Field::of("dsseEnvelope", "dsse_envelope", 0),
];

const MATERIAL_FIELDS: [Field; 5] = [
    Field::of("publicKey", "public_key", 0),
    Field::of("x509CertificateChain", "x509_certificate_chain", 0),
    Field::new("tlogEntries", "tlog_entries"),
    Field::new("timestampVerificationData", "timestamp_verification_data"),
    Field::of("certificate", "certificate", 0),
];

const HINT_FIELDS: [Field; 1] = [Field::new("hint", "hint")];
const TIMESTAMP_DATA_FIELDS: [Field; 1] = [Field::new("rfc3161Timestamps", "rfc3161_timestamps")];
const SIGNED_TIMESTAMP_FIELDS: [Field; 1] = [Field::new("signedTimestamp", "signed_timestamp")];
const MESSAGE_FIELDS: [Field; 2] = [
    Field::new("messageDigest", "message_digest"),
    Field::new("signature", "signature"),
];
const HASH_OUTPUT_FIELDS: [Field; 2] = [
    Field::new("algorithm", "algorithm"),
    Field::new("digest", "digest"),
];
const ENVELOPE_FIELDS: [Field; 3] = [
    Field::new("payload", "payload"),
    Field::new("payloadType", "payloadType"),
    Field::new("signatures", "signatures"),
];
const DSSE_SIGNATURE_FIELDS: [Field; 2] = [Field::new("sig", "sig"), Field::new("keyid", "keyid")];
const ENTRY_FIELDS: [Field; 7] = [
    Field::new("logIndex", "log_index"),
    Field::new("logId", "log_id"),
    Field::new("kindVersion", "kind_version"),
    Field::new("integratedTime", "integrated_time"),
    Field::new("inclusionPromise", "inclusion_promise"),
    Field::new("inclusionProof", "inclusion_proof"),
    Field::new("canonicalizedBody", "canonicalized_body"),
];
const LOG_ID_FIELDS: [Field; 1] = [Field::new("keyId", "key_id")];
const KIND_VERSION_FIELDS: [Field; 2] =
    [Field::new("kind", "kind"), Field::new("version", "version")];
const PROMISE_FIELDS: [Field; 1] = [Field::new("signedEntryTimestamp", "signed_entry_timestamp")];
const PROOF_FIELDS: [Field; 5] = [
    Field::new("logIndex", "log_index"),
    Field::new("rootHash", "root_hash"),
    Field::new("treeSize", "tree_size"),
    Field::new("hashes", "hashes"),
    Field::new("checkpoint", "checkpoint"),
];
const CHECKPOINT_FIELDS: [Field; 1] = [Field::new("envelope", "envelope")];

/// A version as Go's `golang.org/x/mod/semver` reads it: `vMAJOR[.MINOR[.PATCH[-pre][+build]]]`,
/// numbers without leading zeros; the missing parts are zero.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Semver {
    numbers: [u64; 3],
    prerelease: bool,
}

fn semver(text: &str) -> Option<Semver> {
    let rest = text.strip_prefix('v')?;
    let (core, suffix) = match rest.find(['-', '+']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 || (!suffix.is_empty() && parts.len() != 3) {
        return None;
    }
    let mut numbers = [0u64; 3];
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty()
            || !part.bytes().all(|b| b.is_ascii_digit())
            || (part.len() > 1 && part.starts_with('0'))
        {
            return None;
        }
        numbers[i] = part.parse().ok()?;
    }
    let (prerelease, build) = match suffix.strip_prefix('-') {
        Some(pre) => match pre.split_once('+') {
            Some((p, b)) => (Some(p), Some(b)),
            None => (Some(pre), None),
        },
        None => (None, suffix.strip_prefix('+')),
    };
    let identifiers_ok = |s: &str, numeric_rule: bool| {
        !s.is_empty()
            && s.split('.').all(|id| {
                !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !(numeric_rule
                        && id.len() > 1
                        && id.starts_with('0')
                        && id.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    if prerelease.is_some_and(|p| !identifiers_ok(p, true))
        || build.is_some_and(|b| !identifiers_ok(b, false))
    {
        return None;
    }
    Some(Semver {
        numbers,
        prerelease: prerelease.is_some(),
    })
}

/// `semver.Compare(version, vMAJOR.MINOR)` for a release on the right.
fn compare(version: &Semver, major: u64, minor: u64) -> Ordering {
    version
        .numbers
        .cmp(&[major, minor, 0])
        .then(if version.prerelease {
            Ordering::Less
        } else {
            Ordering::Equal
        })
}

/// The version a media type names (sigstore-go's `getBundleVersion`).
fn version_of(media_type: &str) -> Result<String, BundleError> {
    const BASE: &str = "application/vnd.dev.sigstore.bundle";
    for (suffix, version) in [
        ("+json;version=0.1", "v0.1"),
        ("+json;version=0.2", "v0.2"),
        ("+json;version=0.3", "v0.3"),
    ] {
        if media_type.strip_prefix(BASE) == Some(suffix) {
            return Ok(version.into());
        }
    }
    if let Some(version) = media_type
        .strip_prefix("application/vnd.dev.sigstore.bundle.")
        .and_then(|rest| rest.strip_suffix("+json"))
        && version.starts_with('v')
    {
        if semver(version).is_none() {
            return Err(BundleError::UnsupportedMediaType(alloc::format!(
                "invalid bundle version: {version}"
            )));
        }
        return Ok(version.into());
    }
    Err(BundleError::UnsupportedMediaType(media_type.into()))
}

impl Bundle {
    /// Reads a bundle (`*.sigstore.json`) within the default [`BundleBudget`].
    pub fn from_json(json: &[u8]) -> Result<Self, BundleError> {
        Self::from_json_with(json, &BundleBudget::default())
    }

    /// Reads a bundle within `budget`.
    pub fn from_json_with(json: &[u8], budget: &BundleBudget) -> Result<Self, BundleError> {
        let over = BundleError::OverBudget;
        budget::check(BundleLimit::BundleBytes, json.len(), budget.bundle_bytes).map_err(over)?;
        let depth = budget.json_depth.min(super::MAX_JSON_DEPTH);
        let nested = crate::go::json::nesting(json);
        budget::check(BundleLimit::JsonDepth, nested, depth).map_err(over)?;
        let document = pj::document_nested(json, depth)?;
        let [media_type, material, message, envelope] =
            pj::message(&document, &BUNDLE_FIELDS, "Bundle")?;
        let media_type = pj::string(media_type, "mediaType")?;
        let material = material.map(read_material).transpose()?;
        let content = match (message, envelope) {
            (Some(m), _) => Some(read_message(m)?),
            (_, Some(e)) => Some(read_envelope(e)?),
            _ => None,
        };
        // sigstore-go's `validate`, in its order.
        let version = version_of(&media_type)?;
        let parsed = semver(&version)
            .ok_or_else(|| BundleError::UnsupportedMediaType(media_type.clone()))?;
        if compare(&parsed, 0, 1) == Ordering::Less {
            return Err(BundleError::UnsupportedVersion(version));
        }
        let content = content.ok_or(BundleError::MissingContent)?;
        let (material, entries, timestamps) =
            material.ok_or(BundleError::MissingVerificationMaterial)?;
        let material = material.ok_or(BundleError::MissingVerificationMaterial)?;
        if entries.len() > MAX_TLOG_ENTRIES {
            return Err(BundleError::TooManyTlogEntries(entries.len()));
        }
        budget::check(BundleLimit::TlogEntries, entries.len(), budget.tlog_entries)
            .map_err(over)?;
        budget::check(BundleLimit::Timestamps, timestamps.len(), budget.timestamps)
            .map_err(over)?;
        if let Material::Chain(chain) = &material {
            budget::check(
                BundleLimit::ChainCertificates,
                chain.len(),
                budget.chain_certificates,
            )
            .map_err(over)?;
        }
        let entries = entries
            .iter()
            .map(read_entry)
            .collect::<Result<Result<Vec<_>, EntryError>, BundleError>>()?
            .map_err(BundleError::Entry)?;
        for proof in entries.iter().filter_map(|e| e.proof.as_ref()) {
            budget::check(
                BundleLimit::ProofHashes,
                proof.hashes.len(),
                budget.proof_hashes,
            )
            .map_err(over)?;
            budget::check(
                BundleLimit::CheckpointBytes,
                proof.checkpoint.len(),
                budget.checkpoint_bytes,
            )
            .map_err(over)?;
        }
        if !entries.is_empty() {
            if compare(&parsed, 0, 1) == Ordering::Equal {
                if !entries.iter().any(|e| e.set.is_some()) {
                    return Err(BundleError::MissingInclusionPromise);
                }
            } else if !entries.iter().any(|e| e.proof.is_some()) {
                return Err(BundleError::MissingInclusionProof);
            }
        }
        if compare(&parsed, 0, 3) != Ordering::Less && matches!(material, Material::Chain(_)) {
            return Err(BundleError::CertificateChainInV03);
        }
        if compare(&parsed, 0, 4) != Ordering::Less {
            return Err(BundleError::UnsupportedVersion(version));
        }
        Ok(Self {
            version,
            material,
            entries,
            timestamps,
            content,
        })
    }

    /// Whether the ECDSA P-384 and P-521 signatures over SHA-256 that early clients made are
    /// accepted too: for the media types of v0.1 to v0.3 exactly (sigstore-go's compatibility
    /// verifier).
    pub(crate) fn compatible(&self) -> bool {
        matches!(self.version.as_str(), "v0.1" | "v0.2" | "v0.3")
    }
}

type MaterialParts<'n> = (Option<Material>, &'n [Node], Vec<Vec<u8>>);

fn read_material(node: &Node) -> Result<MaterialParts<'_>, BundleError> {
    let [public_key, chain, entries, timestamp_data, certificate] =
        pj::message(node, &MATERIAL_FIELDS, "VerificationMaterial")?;
    let material = if let Some(n) = public_key {
        let [hint] = pj::message(n, &HINT_FIELDS, "PublicKeyIdentifier")?;
        Some(Material::PublicKey {
            hint: pj::string(hint, "hint")?,
        })
    } else if let Some(n) = chain {
        let [certificates] = pj::message(n, &CHAIN_FIELDS, "X509CertificateChain")?;
        let list = pj::list(certificates, "certificates")?
            .iter()
            .map(|c| {
                let [raw] = pj::message(c, &CERTIFICATE_FIELDS, "X509Certificate")?;
                pj::bytes(raw, "rawBytes")
            })
            .collect::<Result<Vec<_>, _>>()?;
        Some(Material::Chain(list))
    } else if let Some(n) = certificate {
        let [raw] = pj::message(n, &CERTIFICATE_FIELDS, "X509Certificate")?;
        Some(Material::Certificate(pj::bytes(raw, "rawBytes")?))
    } else {
        None
    };
    let entries = pj::list(entries, "tlogEntries")?;
    let mut timestamps = Vec::new();
    if let Some(n) = timestamp_data {
        let [list] = pj::message(n, &TIMESTAMP_DATA_FIELDS, "TimestampVerificationData")?;
        for item in pj::list(list, "rfc3161Timestamps")? {
            let [signed] = pj::message(item, &SIGNED_TIMESTAMP_FIELDS, "RFC3161SignedTimestamp")?;
            timestamps.push(pj::bytes(signed, "signedTimestamp")?);
        }
    }
    // Entries are read in full before the bundle's rules are checked: protojson reads the
    // whole document first. Their messages are checked here, their meaning in `read_entry`.
    for entry in entries {
        entry_message(entry)?;
    }
    Ok((material, entries, timestamps))
}

fn read_message(node: &Node) -> Result<Content, BundleError> {
    let [digest, signature] = pj::message(node, &MESSAGE_FIELDS, "MessageSignature")?;
    let digest = digest
        .map(|n| -> Result<_, BundleError> {
            let [algorithm, digest] = pj::message(n, &HASH_OUTPUT_FIELDS, "HashOutput")?;
            Ok((
                pj::enumeration(algorithm, super::root::HASH_ALGORITHMS, "algorithm")?,
                pj::bytes(digest, "digest")?,
            ))
        })
        .transpose()?;
    Ok(Content::Message {
        digest,
        signature: pj::bytes(signature, "signature")?,
    })
}

fn read_envelope(node: &Node) -> Result<Content, BundleError> {
    let [payload, payload_type, signatures] = pj::message(node, &ENVELOPE_FIELDS, "Envelope")?;
    let signatures = pj::list(signatures, "signatures")?
        .iter()
        .map(|s| -> Result<_, BundleError> {
            let [sig, keyid] = pj::message(s, &DSSE_SIGNATURE_FIELDS, "Signature")?;
            Ok(DsseSignature {
                sig: pj::bytes(sig, "sig")?,
                keyid: pj::string(keyid, "keyid")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Content::Dsse {
        payload: pj::bytes(payload, "payload")?,
        payload_type: pj::string(payload_type, "payloadType")?,
        signatures,
    })
}

/// A `TransparencyLogEntry`'s fields, read.
struct EntryMessage {
    log_index: i64,
    log_id: Option<Vec<u8>>,
    kind_version: bool,
    integrated_time: i64,
    set: Option<Vec<u8>>,
    proof: Option<(Proof, bool)>,
    body: Vec<u8>,
}

fn entry_message(node: &Node) -> Result<EntryMessage, BundleError> {
    let [
        log_index,
        log_id,
        kind_version,
        integrated_time,
        promise,
        proof,
        body,
    ] = pj::message(node, &ENTRY_FIELDS, "TransparencyLogEntry")?;
    let log_id = log_id
        .map(|n| -> Result<_, BundleError> {
            let [key_id] = pj::message(n, &LOG_ID_FIELDS, "LogId")?;
            Ok(pj::bytes(key_id, "keyId")?)
        })
        .transpose()?;
    if let Some(n) = kind_version {
        let [kind, version] = pj::message(n, &KIND_VERSION_FIELDS, "KindVersion")?;
        pj::string(kind, "kind")?;
        pj::string(version, "version")?;
    }
    let set = promise
        .map(|n| -> Result<_, BundleError> {
            let [set] = pj::message(n, &PROMISE_FIELDS, "InclusionPromise")?;
            Ok(pj::bytes(set, "signedEntryTimestamp")?)
        })
        .transpose()?;
    let proof = proof
        .map(|n| -> Result<_, BundleError> {
            let [log_index, root_hash, tree_size, hashes, checkpoint] =
                pj::message(n, &PROOF_FIELDS, "InclusionProof")?;
            let hashes = pj::list(hashes, "hashes")?
                .iter()
                .map(|h| pj::bytes(Some(h), "hashes"))
                .collect::<Result<Vec<_>, _>>()?;
            let (has_checkpoint, envelope) = match checkpoint {
                Some(c) => {
                    let [envelope] = pj::message(c, &CHECKPOINT_FIELDS, "Checkpoint")?;
                    (true, pj::string(envelope, "envelope")?)
                }
                None => (false, String::new()),
            };
            Ok((
                Proof {
                    log_index: pj::int64(log_index, "logIndex")?,
                    root_hash: pj::bytes(root_hash, "rootHash")?,
                    tree_size: pj::int64(tree_size, "treeSize")?,
                    hashes,
                    checkpoint: envelope,
                },
                has_checkpoint,
            ))
        })
        .transpose()?;
    Ok(EntryMessage {
        log_index: pj::int64(log_index, "logIndex")?,
        log_id,
        kind_version: kind_version.is_some(),
        integrated_time: pj::int64(integrated_time, "integratedTime")?,
        set,
        proof,
        body: pj::bytes(body, "canonicalizedBody")?,
    })
}

/// sigstore-go's `ParseTransparencyLogEntry`: the fields an entry must have, its proof's
/// checkpoint, and its body parsed (a body no supported kind reads fails the bundle).
fn read_entry(node: &Node) -> Result<Result<TlogEntry, EntryError>, BundleError> {
    let m = entry_message(node)?;
    Ok((|| {
        // An empty `bytes` value is no value.
        let log_id = m.log_id.filter(|id| !id.is_empty());
        let (Some(log_id), true, false, true) =
            (log_id, m.kind_version, m.body.is_empty(), m.log_index >= 0)
        else {
            return Err(EntryError::NilValue);
        };
        let proof = match m.proof {
            Some((_, false)) => return Err(EntryError::MissingCheckpoint),
            Some((proof, true)) if proof.checkpoint.is_empty() => {
                return Err(EntryError::EmptyCheckpoint);
            }
            Some((proof, true)) => Some(proof),
            None => None,
        };
        let body = entry::parse_body(&m.body)?;
        Ok(TlogEntry {
            log_index: m.log_index,
            log_id,
            integrated_time: m.integrated_time,
            set: m.set.filter(|s| !s.is_empty()),
            proof,
            canonicalized_body: m.body,
            body,
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_name_versions_as_sigstore_go_reads_them() {
        assert_eq!(
            version_of("application/vnd.dev.sigstore.bundle+json;version=0.1").as_deref(),
            Ok("v0.1")
        );
        assert_eq!(
            version_of("application/vnd.dev.sigstore.bundle.v0.3+json").as_deref(),
            Ok("v0.3")
        );
        assert_eq!(
            version_of("application/vnd.dev.sigstore.bundle.v0.3.1+json").as_deref(),
            Ok("v0.3.1")
        );
        assert!(matches!(
            version_of("application/vnd.dev.sigstore.bundle.v0.03+json"),
            Err(BundleError::UnsupportedMediaType(_))
        ));
        assert!(matches!(
            version_of("application/vnd.dev.sigstore.bundle+json;version=0.4"),
            Err(BundleError::UnsupportedMediaType(_))
        ));
        assert!(matches!(
            version_of(""),
            Err(BundleError::UnsupportedMediaType(_))
        ));
    }

    #[test]
    fn versions_compare_as_x_mod_semver() {
        let v = |t: &str| semver(t).expect(t);
        assert_eq!(compare(&v("v0.1"), 0, 1), Ordering::Equal);
        assert_eq!(compare(&v("v0.1.0+build"), 0, 1), Ordering::Equal);
        assert_eq!(compare(&v("v0.1.0-rc1"), 0, 1), Ordering::Less);
        assert_eq!(compare(&v("v0.4.0-rc1"), 0, 4), Ordering::Less);
        assert_eq!(compare(&v("v0"), 0, 1), Ordering::Less);
        assert_eq!(compare(&v("v1"), 0, 4), Ordering::Greater);
        assert!(semver("v0.1-rc1").is_none());
        assert!(semver("v01").is_none());
        assert!(semver("0.1").is_none());
    }
}
