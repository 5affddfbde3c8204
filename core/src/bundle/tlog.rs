//! A bundle's transparency-log entries verified as sigstore-go 1.3 verifies them
//! (`verify.VerifyTlogEntry`): entries of logs the trusted root does not know are skipped; an
//! inclusion promise (SET) that does not verify makes its entry skipped too; an inclusion proof
//! must verify, with its checkpoint (Rekor v1 or v2, told apart by the checkpoint's origin
//! line); a Rekor v1 entry must hold this bundle's signature, key or certificate, and digest;
//! a Rekor v2 entry is rebuilt from the bundle, so it holds them by construction.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::checkpoint::{self, CheckpointError};
use super::entry::{Body, V2Key, hex_encode};
use super::keys::{self, EntryKey};
use super::merkle::{self, InclusionError};
use super::model::{Bundle, Content, TlogEntry};
use super::root::{HASH_ALGORITHMS, Log, TrustedRoot, enum_name, nanos};
use crate::crypto::SignatureBytes;
use crate::crypto::keys::PublicKey;
use crate::trust::certificate::Certificate;

/// Who signed, as the bundle's verification material names them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Signer<'a> {
    /// The leaf certificate.
    Certificate(&'a Certificate),
    /// A managed key: the caller's (`None`: the bundle is signed with a key but none was
    /// given).
    Key(Option<&'a PublicKey>),
}

/// Why the transparency-log entries do not vouch for a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlogError {
    /// Two entries with the same log and index.
    Duplicate,
    /// A Rekor v2 entry without what it must hold (`missing signature`, ...).
    InvalidEntry(&'static str),
    /// An entry of a known log with neither an inclusion promise nor a proof.
    NoPromiseOrProof,
    /// A Rekor v2 entry without an inclusion proof.
    V2WithoutProof,
    /// The log's key cannot verify (sigstore-go cannot load a verifier for it).
    LogKey,
    /// The inclusion proof does not hold.
    Inclusion(InclusionError),
    /// The checkpoint does not vouch for the tree.
    Checkpoint(CheckpointError),
    /// The proof's root hash is not the checkpoint's.
    RootHashMismatch,
    /// A Rekor v2 entry of a log whose URL names no host.
    NoOrigin,
    /// The entry holds another signature than the bundle.
    SignatureMismatch,
    /// The entry holds another key or certificate than the bundle.
    KeyMismatch,
    /// The entry is not a `hashedrekord` with a digest (for a message signature).
    NotHashedRekord,
    /// A digest algorithm that is not SHA-256, SHA-384 or SHA-512 (or none).
    DigestAlgorithm(String),
    /// The entry's digest algorithm is not the bundle's.
    DigestAlgorithmMismatch,
    /// The entry's digest is not the bundle's.
    DigestMismatch,
    /// The entry is not a `dsse` or `intoto` entry with a payload hash (for an envelope).
    NotDsse,
    /// The entry's payload hash is not the envelope payload's.
    PayloadHashMismatch,
    /// The integrated time is outside the certificate's or key's validity.
    IntegratedTimeOutsideValidity,
    /// Fewer logs verified than required.
    Threshold {
        /// Logs whose entries verified.
        verified: usize,
        /// Logs required.
        required: usize,
    },
}

impl fmt::Display for TlogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate => f.write_str("duplicate tlog entries found"),
            Self::InvalidEntry(why) => f.write_str(why),
            Self::NoPromiseOrProof => {
                f.write_str("entry must contain an inclusion proof and/or promise")
            }
            Self::V2WithoutProof => f.write_str("rekor v2 entries must have an inclusion proof"),
            Self::LogKey => f.write_str("the log's key cannot verify"),
            Self::Inclusion(e) => write!(f, "{e}"),
            Self::Checkpoint(e) => write!(f, "{e}"),
            Self::RootHashMismatch => {
                f.write_str("proof root hash does not match signed tree head")
            }
            Self::NoOrigin => f.write_str(
                "cannot verify Rekor v2 entry without baseUrl in transparency log's trusted root",
            ),
            Self::SignatureMismatch => f.write_str("transparency log signature does not match"),
            Self::KeyMismatch => f.write_str("transparency log certificate does not match"),
            Self::NotHashedRekord => {
                f.write_str("transparency log entry is not a hashedrekord or missing digest")
            }
            Self::DigestAlgorithm(name) => write!(f, "unsupported digest algorithm {name:?}"),
            Self::DigestAlgorithmMismatch => {
                f.write_str("transparency log hashedrekord entry digest algorithm mismatch")
            }
            Self::DigestMismatch => {
                f.write_str("transparency log hashedrekord entry digest does not match artifact")
            }
            Self::NotDsse => f.write_str(
                "transparency log rekor v1 entry is not a dsse_v001 or intoto_v002 entry",
            ),
            Self::PayloadHashMismatch => f.write_str(
                "transparency log dsse/intoto entry payload hash does not match envelope payload hash",
            ),
            Self::IntegratedTimeOutsideValidity => {
                f.write_str("integrated time outside certificate validity")
            }
            Self::Threshold { verified, required } => write!(
                f,
                "not enough verified log entries from transparency log: {verified} < {required}"
            ),
        }
    }
}

impl core::error::Error for TlogError {}

/// A time a log vouches for: the log's URL and the entry's integrated time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LogTime {
    pub(crate) url: String,
    pub(crate) seconds: i64,
}

/// Verifies the entries; returns the integrated times the logs vouch for (one per log, from
/// entries with a verified promise, when `trust_integrated_time`).
pub(crate) fn verify_entries(
    bundle: &Bundle,
    root: &TrustedRoot,
    signer: Signer<'_>,
    threshold: usize,
    trust_integrated_time: bool,
) -> Result<Vec<LogTime>, TlogError> {
    let entries = &bundle.entries;
    for (i, a) in entries.iter().enumerate() {
        if entries[..i]
            .iter()
            .any(|b| a.log_id == b.log_id && a.log_index == b.log_index)
        {
            return Err(TlogError::Duplicate);
        }
    }
    let mut verified_logs: Vec<&[u8]> = Vec::new();
    let mut times: Vec<LogTime> = Vec::new();
    let mut timed_logs: Vec<&[u8]> = Vec::new();
    for entry in entries {
        validate_v2(&entry.body)?;
        let Some(log) = root.tlog(&entry.log_id) else {
            continue;
        };
        if entry.set.is_none() && entry.proof.is_none() {
            return Err(TlogError::NoPromiseOrProof);
        }
        let is_v2 = matches!(entry.body, Body::HashedRekordV2 { .. });
        if is_v2 && entry.proof.is_none() {
            return Err(TlogError::V2WithoutProof);
        }
        if entry.set.is_some() && (is_v2 || !set_verifies(entry, log)) {
            continue;
        }
        if let Some(proof) = &entry.proof {
            let verifying = log.verifying.as_ref().ok_or(TlogError::LogKey)?;
            if has_v1_checkpoint(&proof.checkpoint) {
                let index = proof.log_index as u64;
                let size = proof.tree_size as u64;
                merkle::verify_inclusion(
                    index,
                    size,
                    &merkle::leaf_hash(&entry.canonicalized_body),
                    &proof.hashes,
                    &proof.root_hash,
                )
                .map_err(TlogError::Inclusion)?;
                let checkpoint = checkpoint::verify_v1(&proof.checkpoint, &log.key, verifying)
                    .map_err(TlogError::Checkpoint)?;
                if checkpoint.hash != proof.root_hash {
                    return Err(TlogError::RootHashMismatch);
                }
            } else {
                let origin = host(&log.base_url).ok_or(TlogError::NoOrigin)?;
                let leaf = v2_leaf_hash(bundle, signer)?;
                let checkpoint =
                    checkpoint::verify_v2(&proof.checkpoint, &origin, &log.key, verifying)
                        .map_err(TlogError::Checkpoint)?;
                merkle::verify_inclusion(
                    entry.log_index as u64,
                    checkpoint.size,
                    &leaf,
                    &proof.hashes,
                    &checkpoint.hash,
                )
                .map_err(TlogError::Inclusion)?;
            }
        }
        if !is_v2 {
            bind(entry, bundle, signer)?;
        }
        if entry.integrated_time != 0 && !valid_at(signer, entry.integrated_time) {
            return Err(TlogError::IntegratedTimeOutsideValidity);
        }
        if !verified_logs.contains(&entry.log_id.as_slice()) {
            verified_logs.push(&entry.log_id);
        }
        if trust_integrated_time
            && entry.set.is_some()
            && !timed_logs.contains(&entry.log_id.as_slice())
        {
            timed_logs.push(&entry.log_id);
            times.push(LogTime {
                url: log.base_url.clone(),
                seconds: entry.integrated_time,
            });
        }
    }
    if verified_logs.len() < threshold {
        return Err(TlogError::Threshold {
            verified: verified_logs.len(),
            required: threshold,
        });
    }
    Ok(times)
}

/// sigstore-go's `ValidateEntry` for a Rekor v2 entry (Rekor v1 bodies were held to their
/// schema when read).
fn validate_v2(body: &Body) -> Result<(), TlogError> {
    let Body::HashedRekordV2 {
        has_data,
        signature,
        verifier,
    } = body
    else {
        return Ok(());
    };
    if signature.as_ref().is_none_or(Vec::is_empty) {
        return Err(TlogError::InvalidEntry("missing signature"));
    }
    let Some(verifier) = verifier else {
        return Err(TlogError::InvalidEntry("missing verifier"));
    };
    if !has_data {
        return Err(TlogError::InvalidEntry("missing digest"));
    }
    match verifier {
        V2Key::Neither => Err(TlogError::InvalidEntry(
            "missing signature public key or X.509 certificate",
        )),
        V2Key::PublicKey(raw) if raw.is_empty() => {
            Err(TlogError::InvalidEntry("missing public key raw bytes"))
        }
        V2Key::Certificate(raw) if raw.is_empty() => Err(TlogError::InvalidEntry(
            "missing X.509 certificate raw bytes",
        )),
        _ => Ok(()),
    }
}

/// The SET: the canonical JSON of the entry's body, integrated time, log index and log ID,
/// signed by the log's ECDSA key (DER, over SHA-256), at a time within the key's validity.
fn set_verifies(entry: &TlogEntry, log: &Log) -> bool {
    let Some(set) = &entry.set else {
        return false;
    };
    if log.validity.start.is_none()
        || entry.integrated_time == 0
        || !log.validity.contains(nanos(entry.integrated_time))
    {
        return false;
    }
    if !matches!(log.key, PublicKey::P256(_) | PublicKey::P384(_)) {
        return false;
    }
    let Some(verifying) = &log.verifying else {
        return false;
    };
    let payload = alloc::format!(
        r#"{{"body":"{}","integratedTime":{},"logIndex":{},"logID":"{}"}}"#,
        crate::go::base64::base64_std_encode(&entry.canonicalized_body),
        entry.integrated_time,
        entry.log_index,
        hex_encode(&entry.log_id)
    );
    let Ok(canonical) = crate::trust::jcs::transform(payload.as_bytes()) else {
        return false;
    };
    let digest: [u8; 32] = Sha256::digest(&canonical).into();
    verifying.verify_digest(
        crate::crypto::Hash::Sha256,
        &digest,
        SignatureBytes::EcdsaDer(set),
    )
}

/// Whether the checkpoint's first line is a Rekor v1 origin (`<host> - <tree ID>`): at least
/// four lines, the first ending in ` - ` and digits.
fn has_v1_checkpoint(note: &str) -> bool {
    let lines: Vec<&str> = note.split('\n').collect();
    if lines.len() < 4 {
        return false;
    }
    let first = lines[0];
    let digits = first.len() - first.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && first[..first.len() - digits].ends_with(" - ")
}

/// The host of a log's URL, as Go's `url.Parse(u).Hostname()` gives it (no port, no
/// brackets); `None` when empty.
fn host(url: &str) -> Option<String> {
    let host = crate::go::url::parse_host(url).ok()?;
    let host = String::from_utf8(host).ok()?;
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("").to_string()
    } else {
        host.rsplit_once(':')
            .map_or(host.clone(), |(h, _)| h.to_string())
    };
    (!name.is_empty()).then_some(name)
}

/// The leaf hash of the Rekor v2 `hashedrekord` 0.0.2 entry this bundle makes: the canonical
/// JSON of the entry sigstore-go rebuilds from the bundle, hashed as a Merkle leaf.
fn v2_leaf_hash(bundle: &Bundle, signer: Signer<'_>) -> Result<merkle::Hash, TlogError> {
    let (verifier, key) = match signer {
        Signer::Certificate(c) => (
            alloc::format!(
                r#""x509Certificate":{{"rawBytes":"{}"}}"#,
                crate::go::base64::base64_std_encode(&c.der)
            ),
            c.view.public_key.clone(),
        ),
        Signer::Key(Some(key)) => (
            alloc::format!(
                r#""publicKey":{{"rawBytes":"{}"}}"#,
                crate::go::base64::base64_std_encode(&key.to_pkix_der())
            ),
            Some(key.clone()),
        ),
        Signer::Key(None) => return Err(TlogError::KeyMismatch),
    };
    let (details, hash, algorithm) = match key {
        Some(PublicKey::P256(_)) => (
            "PKIX_ECDSA_P256_SHA_256",
            crate::crypto::Hash::Sha256,
            "SHA2_256",
        ),
        Some(PublicKey::P384(_)) => (
            "PKIX_ECDSA_P384_SHA_384",
            crate::crypto::Hash::Sha384,
            "SHA2_384",
        ),
        Some(PublicKey::Ed25519(_)) => ("PKIX_ED25519_PH", crate::crypto::Hash::Sha512, "SHA2_512"),
        Some(PublicKey::Rsa { ref n, .. }) => {
            let bits = super::keys::rsa_bits(n);
            let details = match bits {
                2048 => "PKIX_RSA_PKCS1V15_2048_SHA256",
                3072 => "PKIX_RSA_PKCS1V15_3072_SHA256",
                4096 => "PKIX_RSA_PKCS1V15_4096_SHA256",
                _ => return Err(TlogError::KeyMismatch),
            };
            (details, crate::crypto::Hash::Sha256, "SHA2_256")
        }
        None => return Err(TlogError::KeyMismatch),
    };
    let digest = match &bundle.content {
        Content::Message { digest, .. } => {
            digest.as_ref().map(|(_, d)| d.clone()).unwrap_or_default()
        }
        Content::Dsse {
            payload,
            payload_type,
            ..
        } => keys::digest(hash, &super::dsse::pae(payload_type, payload)),
    };
    let signature = bundle.content.signature();
    // protojson leaves out empty values.
    let mut data = alloc::format!(r#""algorithm":"{algorithm}""#);
    if !digest.is_empty() {
        data += &alloc::format!(
            r#","digest":"{}""#,
            crate::go::base64::base64_std_encode(&digest)
        );
    }
    let mut signature_json = String::new();
    if !signature.is_empty() {
        signature_json += &alloc::format!(
            r#""content":"{}","#,
            crate::go::base64::base64_std_encode(signature)
        );
    }
    let entry = alloc::format!(
        r#"{{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{{"hashedRekordV002":{{"data":{{{data}}},"signature":{{{signature_json}"verifier":{{"keyDetails":"{details}",{verifier}}}}}}}}}}}"#
    );
    let canonical =
        crate::trust::jcs::transform(entry.as_bytes()).map_err(|_| TlogError::KeyMismatch)?;
    Ok(merkle::leaf_hash(&canonical))
}

/// A Rekor v1 entry bound to the bundle: the same signature, the same key or certificate, and
/// the same digest (a message signature) or payload hash (an envelope).
fn bind(entry: &TlogEntry, bundle: &Bundle, signer: Signer<'_>) -> Result<(), TlogError> {
    let (entry_signature, entry_pem) = match &entry.body {
        Body::HashedRekord {
            signature,
            public_key,
            ..
        } => (signature.clone(), public_key.as_slice()),
        Body::Dsse {
            signature,
            verifier,
            ..
        } => (
            crate::go::base64_std(signature).unwrap_or_default(),
            verifier.as_slice(),
        ),
        Body::Intoto {
            sig, public_key, ..
        } => (
            crate::go::base64_std(&String::from_utf8_lossy(sig)).unwrap_or_default(),
            public_key.as_slice(),
        ),
        Body::HashedRekordV2 { .. } => return Ok(()),
    };
    if entry_signature != bundle.content.signature() {
        return Err(TlogError::SignatureMismatch);
    }
    let matches = match (keys::entry_key(entry_pem), signer) {
        (Some(EntryKey::Certificate(c)), Signer::Certificate(leaf)) => c.der == leaf.der,
        (Some(EntryKey::Key(k)), Signer::Key(Some(key))) => k == *key,
        _ => false,
    };
    if !matches {
        return Err(TlogError::KeyMismatch);
    }
    match &bundle.content {
        Content::Message { digest, .. } => {
            let Body::HashedRekord { hash, .. } = &entry.body else {
                return Err(TlogError::NotHashedRekord);
            };
            let entry_digest =
                crate::go::hex_decode(&hash.value).ok_or(TlogError::NotHashedRekord)?;
            let (algorithm, bundle_digest) = digest.as_ref().ok_or(TlogError::NotHashedRekord)?;
            let bundle_hash = hash_named(&enum_name_or_empty(*algorithm))?;
            let entry_hash = hash_named(&hash.algorithm)?;
            if bundle_hash != entry_hash {
                return Err(TlogError::DigestAlgorithmMismatch);
            }
            if entry_digest != *bundle_digest {
                return Err(TlogError::DigestMismatch);
            }
        }
        Content::Dsse { payload, .. } => {
            let payload_hash = Sha256::digest(payload);
            let entry_hash = match &entry.body {
                Body::Dsse {
                    payload_hash: Some(h),
                    ..
                }
                | Body::Intoto {
                    payload_hash: Some(h),
                    ..
                } => crate::go::hex_decode(&h.value).ok_or(TlogError::NotDsse)?,
                _ => return Err(TlogError::NotDsse),
            };
            if entry_hash != payload_hash.as_slice() {
                return Err(TlogError::PayloadHashMismatch);
            }
        }
    }
    Ok(())
}

/// A `HashAlgorithm` number's name, or empty for a number without one.
fn enum_name_or_empty(value: i32) -> String {
    let name = enum_name(HASH_ALGORITHMS, value);
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        String::new()
    } else {
        name
    }
}

/// sigstore-go's `algStringToHashFunc`.
pub(crate) fn hash_named(name: &str) -> Result<crate::crypto::Hash, TlogError> {
    match name {
        "sha256" | "SHA2_256" => Ok(crate::crypto::Hash::Sha256),
        "sha384" | "SHA2_384" => Ok(crate::crypto::Hash::Sha384),
        "sha512" | "SHA2_512" => Ok(crate::crypto::Hash::Sha512),
        other => Err(TlogError::DigestAlgorithm(other.into())),
    }
}

/// Whether the signer was valid at `seconds`: the certificate's validity (inclusive), or, for
/// a managed key given by the caller, always (it has no validity period of its own).
fn valid_at(signer: Signer<'_>, seconds: i64) -> bool {
    match signer {
        Signer::Certificate(c) => c.view.not_before <= seconds && seconds <= c.view.not_after,
        Signer::Key(key) => key.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rekor_v1_checkpoints_are_told_by_their_origin() {
        assert!(has_v1_checkpoint(
            "rekor.sigstore.dev - 1193050959916656506\n1\nAA==\n\n\u{2014} x y\n"
        ));
        assert!(!has_v1_checkpoint(
            "log2025-1.rekor.sigstore.dev\n1\nAA==\n\n\u{2014} x y\n"
        ));
        assert!(!has_v1_checkpoint("a - 1\n1\n"));
        assert!(!has_v1_checkpoint("a -1\n1\nAA==\n\n"));
    }

    #[test]
    fn hosts_of_log_urls() {
        assert_eq!(
            host("https://log2025-1.rekor.sigstore.dev").as_deref(),
            Some("log2025-1.rekor.sigstore.dev")
        );
        assert_eq!(
            host("https://rekor.local:3003/api").as_deref(),
            Some("rekor.local")
        );
        assert_eq!(host("https://[::1]:8080").as_deref(), Some("::1"));
        assert_eq!(host("rekor.local"), None);
    }
}
