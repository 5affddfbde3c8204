//! Verifying a bundle as sigstore-go 1.3 does, configured as its own conformance client
//! configures it (`test/conformance/main.go`): the transparency log when the trusted root has
//! logs (its integrated times trusted when the bundle carries an inclusion promise), signed
//! timestamps when both the root and the bundle have them, embedded SCTs for certificates;
//! then, in `Verifier.Verify`'s order: log entries, observer timestamps, the certificate chain
//! at every timestamp (or the key), SCTs, the signature over the artifact or its digest, the
//! DSSE statement, and the identity.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::identity::{self, IdentityError};
use super::keys;
use super::model::{Bundle, Content, Material};
use super::root::TrustedRoot;
use super::sct::{self, SctError};
use super::tlog::{self, Signer, TlogError};
use super::tsa::{self, TimestampError};
use crate::crypto::keys::PublicKey;
use crate::crypto::{Hash, SignatureBytes, VerifyingKey};
use crate::trust::certificate::{self, Certificate};
use crate::trust::chain;
use crate::trust::memo::ChainMemo;

/// What was signed.
#[derive(Clone, Copy, Debug)]
pub enum Artifact<'a> {
    /// The artifact's bytes.
    Bytes(&'a [u8]),
    /// Its digest: the algorithm as a statement names it (`sha256`, ...) and the bytes.
    Digest {
        /// `sha256`, `sha384` or `sha512`.
        algorithm: &'a str,
        /// The digest.
        digest: &'a [u8],
    },
}

/// Who must have signed.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Expected<'a> {
    /// A Fulcio certificate naming this subject (SAN) and OIDC issuer, exactly.
    Identity {
        /// The subject alternative name.
        subject: &'a str,
        /// The OIDC issuer.
        issuer: &'a str,
    },
    /// A Fulcio certificate matching any of these rules (exact or regular-expression subject
    /// and issuer, as cosign's `--certificate-identity(-regexp)` and
    /// `--certificate-oidc-issuer(-regexp)`).
    Identities(&'a [crate::policy::BundleIdentity]),
    /// A managed key (PEM `PUBLIC KEY`).
    Key(&'a [u8]),
}

/// What a verified bundle vouches for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BundleVerified {
    /// The certificate's subject and issuer, for a keyless bundle.
    pub identity: Option<(String, String)>,
    /// The times the signature was observed at (Unix seconds), with who vouched for each
    /// (a log's URL).
    pub timestamps: Vec<(String, i64)>,
    /// The in-toto statement's `predicateType`, for a DSSE bundle.
    pub predicate_type: Option<String>,
}

/// Why a bundle does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The verifier would have nothing to observe the signing time with.
    NoTimestampSource,
    /// The key given does not read.
    Key(String),
    /// The bundle's material is missing or unreadable.
    Material(String),
    /// The transparency-log entries do not vouch for the bundle.
    Tlog(TlogError),
    /// The RFC 3161 time stamps.
    Timestamp(TimestampError),
    /// Fewer integrated times than required.
    IntegratedTimestamps,
    /// No time to check the certificate or key at.
    NoObserverTimestamps,
    /// A key-signed bundle when a certificate was expected, or the reverse.
    SignerKind(&'static str),
    /// The certificate's identity.
    Identity(IdentityError),
    /// The certificate does not chain to a certificate authority at every time.
    Chain,
    /// The embedded SCTs.
    Sct(SctError),
    /// The signature does not verify, or the content is not what was signed.
    Signature(String),
    /// The DSSE statement.
    Statement(String),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoTimestampSource => f.write_str(
                "when initializing a new Verifier, you must specify at least one of WithObserverTimestamps(), WithSignedTimestamps(), WithIntegratedTimestamps() or WithCurrentTime()",
            ),
            Self::Key(why) => write!(f, "the public key does not read: {why}"),
            Self::Material(why) => write!(f, "{why}"),
            Self::Tlog(e) => write!(f, "failed to verify log inclusion: {e}"),
            Self::Timestamp(e) => write!(f, "failed to verify timestamps: {e}"),
            Self::IntegratedTimestamps => f.write_str(
                "failed to verify timestamps: threshold not met for verified log entry integrated timestamps: 0 < 1",
            ),
            Self::NoObserverTimestamps => {
                f.write_str("failed to verify timestamps: no valid observer timestamps found")
            }
            Self::SignerKind(why) => f.write_str(why),
            Self::Identity(e) => write!(f, "{e}"),
            Self::Chain => f.write_str(
                "failed to verify leaf certificate: leaf certificate verification failed",
            ),
            Self::Sct(e) => write!(f, "failed to verify signed certificate timestamp: {e}"),
            Self::Signature(why) => write!(f, "failed to verify signature: {why}"),
            Self::Statement(why) => write!(f, "failed to fetch envelope statement: {why}"),
        }
    }
}

impl core::error::Error for VerifyError {}

/// Verifies `bundle` for `artifact` against `root`, signed as `expected` says.
pub fn verify_bundle(
    bundle: &Bundle,
    artifact: Artifact<'_>,
    root: &TrustedRoot,
    expected: Expected<'_>,
) -> Result<BundleVerified, VerifyError> {
    let key = match expected {
        Expected::Key(pem) => Some(read_key(pem)?),
        Expected::Identity { .. } | Expected::Identities(_) => None,
    };
    // The verifier's configuration.
    let require_signed = !root.timestamp_authorities.is_empty() && !bundle.timestamps.is_empty();
    let require_tlog = !root.tlogs.is_empty();
    let require_integrated = require_tlog && bundle.entries.iter().any(|e| e.set.is_some());
    let require_scts = key.is_none();
    if !require_signed && !require_integrated {
        return Err(VerifyError::NoTimestampSource);
    }
    if let Expected::Identity { subject, issuer } = expected
        && (subject.is_empty() || issuer.is_empty())
    {
        return Err(VerifyError::Identity(IdentityError::NoCriteria));
    }
    if let Expected::Identities([]) = expected {
        return Err(VerifyError::Identity(IdentityError::NoCriteria));
    }
    // The bundle's signer.
    let leaf = match &bundle.material {
        Material::Certificate(der) => Some(parse_leaf(der)?),
        Material::Chain(certificates) => {
            let der = certificates
                .first()
                .filter(|d| !d.is_empty())
                .ok_or_else(|| {
                    VerifyError::Material("validation error: missing verification material".into())
                })?;
            Some(parse_leaf(der)?)
        }
        Material::PublicKey { .. } => None,
    };
    content_check(&bundle.content)?;
    let signer = match &leaf {
        Some(c) => Signer::Certificate(c),
        None => Signer::Key(key.as_ref()),
    };
    let log_times = if require_tlog {
        tlog::verify_entries(bundle, root, signer, 1, require_integrated)
            .map_err(VerifyError::Tlog)?
    } else {
        Vec::new()
    };
    // Observer times: the time stamps first, then the logs' integrated times.
    let mut times: Vec<(String, i128)> = Vec::new();
    if require_signed {
        let stamped = tsa::verify_all(&bundle.timestamps, bundle.content.signature(), root, 1)
            .map_err(VerifyError::Timestamp)?;
        times.extend(stamped.into_iter().map(|s| (s.uri, s.at)));
    }
    if require_integrated && log_times.is_empty() {
        return Err(VerifyError::IntegratedTimestamps);
    }
    times.extend(
        log_times
            .iter()
            .map(|t| (t.url.clone(), super::root::nanos(t.seconds))),
    );
    if times.is_empty() {
        return Err(VerifyError::NoObserverTimestamps);
    }
    let mut identity = None;
    match (&leaf, &key) {
        (Some(leaf), _) => {
            if matches!(expected, Expected::Key(_)) {
                return Err(VerifyError::SignerKind(
                    "expected key signature, not certificate",
                ));
            }
            let summary = identity::summarize(leaf).map_err(VerifyError::Identity)?;
            let memo = ChainMemo::default();
            let mut last = None;
            for (_, at) in &times {
                let seconds =
                    i64::try_from(at.div_euclid(1_000_000_000)).map_err(|_| VerifyError::Chain)?;
                last =
                    Some(leaf_chains(leaf, root, seconds, *at, &memo).ok_or(VerifyError::Chain)?);
            }
            if require_scts {
                let chains = last.unwrap_or_default();
                sct::verify(&chains, root, 1).map_err(VerifyError::Sct)?;
            }
            identity = Some(summary);
        }
        (None, _) if require_scts => {
            return Err(VerifyError::SignerKind(
                "SCTs required but bundle is signed with a public key, which cannot contain SCTs",
            ));
        }
        (None, None) => {
            return Err(VerifyError::SignerKind(
                "signature time outside of public key validity window",
            ));
        }
        (None, Some(_)) => {}
    }
    verify_signature(bundle, artifact, leaf.as_ref(), key.as_ref())?;
    let mut predicate_type = None;
    if let Content::Dsse {
        payload_type,
        payload,
        ..
    } = &bundle.content
    {
        predicate_type = Some(statement(payload_type, payload)?);
    }
    match (&identity, expected) {
        (Some(summary), Expected::Identity { subject, issuer }) => {
            identity::check(summary, subject, issuer).map_err(VerifyError::Identity)?;
        }
        (Some(summary), Expected::Identities(rules)) => {
            identity::check_rules(summary, rules).map_err(VerifyError::Identity)?;
        }
        _ => {}
    }
    Ok(BundleVerified {
        identity: identity.map(|s| (s.subject, String::from_utf8_lossy(&s.issuer).into_owned())),
        timestamps: times
            .into_iter()
            .map(|(who, at)| {
                (
                    who,
                    i64::try_from(at.div_euclid(1_000_000_000)).unwrap_or(i64::MAX),
                )
            })
            .collect(),
        predicate_type,
    })
}

fn read_key(pem: &[u8]) -> Result<PublicKey, VerifyError> {
    managed_key(pem).map_err(|e| match e {
        crate::crypto::keys::KeyError::NoPem => VerifyError::Key("not PEM".into()),
        e => VerifyError::Key(alloc::format!("{e}")),
    })
}

/// A managed key as a verifier takes it: the first PEM block, read as PKIX.
pub(crate) fn managed_key(pem: &[u8]) -> Result<PublicKey, crate::crypto::keys::KeyError> {
    let (block, _) = crate::go::pem::decode(pem).ok_or(crate::crypto::keys::KeyError::NoPem)?;
    crate::crypto::keys::from_pkix(&block.bytes)
}

fn parse_leaf(der: &[u8]) -> Result<Certificate, VerifyError> {
    if der.is_empty() {
        return Err(VerifyError::Material(
            "validation error: missing verification material".into(),
        ));
    }
    certificate::parse(der)
        .map_err(|e| VerifyError::Material(alloc::format!("validation error: {e}")))
}

/// sigstore-go's `SignatureContent`: an envelope needs a payload, a message signature its
/// digest message.
fn content_check(content: &Content) -> Result<(), VerifyError> {
    match content {
        Content::Dsse { payload, .. } if payload.is_empty() => Err(VerifyError::Material(
            "validation error: invalid attestation: missing valid envelope".into(),
        )),
        Content::Message { digest: None, .. } => Err(VerifyError::Material(
            "validation error: missing verification material".into(),
        )),
        _ => Ok(()),
    }
}

/// The chains from `leaf` to one of the trusted root's Fulcio CAs valid at `time`.
fn leaf_chains<'c>(
    leaf: &'c Certificate,
    root: &'c TrustedRoot,
    time: i64,
    at: i128,
    memo: &ChainMemo,
) -> Option<Vec<Vec<&'c Certificate>>> {
    root.certificate_authorities.iter().find_map(|ca| {
        if !ca.validity.contains(at) {
            return None;
        }
        let anchor = ca.root.as_ref()?;
        let intermediates: Vec<&Certificate> = ca.intermediates.iter().collect();
        chain::verify_chains(
            leaf,
            &intermediates,
            core::slice::from_ref(anchor),
            time,
            true,
            memo,
            chain::Usage::CodeSigning,
        )
        .ok()
    })
}

/// The key that verifies, how it hashes, and whether P-384 and P-521 signatures over SHA-256
/// are accepted too (sigstore-go's compatibility verifier, for certificates only).
struct SignatureKey<'a> {
    key: &'a PublicKey,
    verifying: VerifyingKey,
    /// Ed25519ph for message signatures with a certificate.
    prehashed_ed25519: bool,
    compat: bool,
}

impl SignatureKey<'_> {
    /// The hashes a digest may be verified with, the key's own first.
    fn hashes(&self) -> Vec<Hash> {
        let own = match self.key {
            PublicKey::P384(_) => Hash::Sha384,
            PublicKey::Ed25519(_) => Hash::Sha512,
            _ => Hash::Sha256,
        };
        let mut out = alloc::vec![own];
        if self.compat && matches!(self.key, PublicKey::P384(_)) {
            out.push(Hash::Sha256);
        }
        out
    }

    /// Whether `signature` signs `digest` (a hash of the message).
    fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> bool {
        self.hashes().into_iter().any(|hash| {
            digest.len() == hash.len()
                && match self.key {
                    PublicKey::P256(_) => crate::signature::sigstore::ecdsa_signature(
                        signature, 32,
                    )
                    .is_some_and(|der| {
                        self.verifying
                            .verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
                    }),
                    PublicKey::P384(_) => crate::signature::sigstore::ecdsa_signature(
                        signature, 48,
                    )
                    .is_some_and(|der| {
                        self.verifying
                            .verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
                    }),
                    PublicKey::Rsa { .. } => self.verifying.verify_digest(
                        hash,
                        digest,
                        SignatureBytes::RsaPkcs1(signature),
                    ),
                    // Ed25519ph: not verified by vouch (fail closed).
                    PublicKey::Ed25519(_) => false,
                }
        })
    }

    /// Whether `signature` signs `message`.
    fn verify_message(&self, message: &[u8], signature: &[u8]) -> bool {
        match self.key {
            PublicKey::Ed25519(_) if self.prehashed_ed25519 => false,
            PublicKey::Ed25519(_) => self
                .verifying
                .verify(message, SignatureBytes::Ed25519(signature)),
            _ => self.hashes().into_iter().any(|hash| {
                let digest = keys::digest(hash, message);
                self.verify_digest_with(hash, &digest, signature)
            }),
        }
    }

    fn verify_digest_with(&self, hash: Hash, digest: &[u8], signature: &[u8]) -> bool {
        match self.key {
            PublicKey::P256(_) => crate::signature::sigstore::ecdsa_signature(signature, 32)
                .is_some_and(|der| {
                    self.verifying
                        .verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
                }),
            PublicKey::P384(_) => crate::signature::sigstore::ecdsa_signature(signature, 48)
                .is_some_and(|der| {
                    self.verifying
                        .verify_digest(hash, digest, SignatureBytes::EcdsaDer(&der))
                }),
            PublicKey::Rsa { .. } => {
                self.verifying
                    .verify_digest(hash, digest, SignatureBytes::RsaPkcs1(signature))
            }
            PublicKey::Ed25519(_) => false,
        }
    }
}

/// sigstore's default verifier accepts RSA keys of 2,048, 3,072 and 4,096 bits only.
fn default_verifier_takes(key: &PublicKey) -> bool {
    match key {
        PublicKey::Rsa { n, .. } => {
            let bits = super::keys::rsa_bits(n);
            matches!(bits, 2048 | 3072 | 4096)
        }
        _ => true,
    }
}

fn verify_signature(
    bundle: &Bundle,
    artifact: Artifact<'_>,
    leaf: Option<&Certificate>,
    key: Option<&PublicKey>,
) -> Result<(), VerifyError> {
    let is_dsse = matches!(bundle.content, Content::Dsse { .. });
    let public = match (leaf, key) {
        (Some(leaf), _) => {
            let public = leaf.view.public_key.as_ref().ok_or_else(|| {
                VerifyError::Signature(
                    "failed to get signature verifier: unsupported public key type".into(),
                )
            })?;
            if !default_verifier_takes(public) {
                return Err(VerifyError::Signature(
                    "failed to get signature verifier: unsupported public key type".into(),
                ));
            }
            public
        }
        (None, Some(key)) => key,
        (None, None) => {
            return Err(VerifyError::Signature(
                "failed to get signature verifier: public key verifier not found".into(),
            ));
        }
    };
    let verifying = VerifyingKey::new(public).map_err(|e| {
        VerifyError::Signature(alloc::format!("failed to get signature verifier: {e}"))
    })?;
    let sk = SignatureKey {
        key: public,
        verifying,
        prehashed_ed25519: leaf.is_some() && !is_dsse,
        compat: leaf.is_some() && bundle.compatible(),
    };
    match (&bundle.content, artifact) {
        (Content::Message { digest, signature }, Artifact::Bytes(bytes)) => {
            let (algorithm, digest) = digest.as_ref().ok_or_else(|| {
                VerifyError::Signature("message is missing artifact digest".into())
            })?;
            if digest.is_empty() {
                return Err(VerifyError::Signature(
                    "message is missing artifact digest".into(),
                ));
            }
            let name = super::root::enum_name(super::root::HASH_ALGORITHMS, *algorithm);
            let hash = tlog::hash_named(&name).map_err(|e| {
                VerifyError::Signature(alloc::format!(
                    "could not verify message digest algorithm: {e}"
                ))
            })?;
            if !sk.verify_message(bytes, signature) {
                return Err(VerifyError::Signature("could not verify message".into()));
            }
            if keys::digest(hash, bytes) != *digest {
                return Err(VerifyError::Signature(
                    "artifact digest does not match message digest".into(),
                ));
            }
            Ok(())
        }
        (Content::Message { digest, signature }, Artifact::Digest { digest: given, .. }) => {
            let bundle_digest = digest
                .as_ref()
                .map(|(_, d)| d.as_slice())
                .unwrap_or_default();
            if given != bundle_digest {
                return Err(VerifyError::Signature(
                    "artifact does not match digest".into(),
                ));
            }
            if !sk.verify_digest(given, signature) {
                return Err(VerifyError::Signature("could not verify message".into()));
            }
            Ok(())
        }
        (
            Content::Dsse {
                payload,
                payload_type,
                signatures,
            },
            artifact,
        ) => {
            let [only] = signatures.as_slice() else {
                return Err(VerifyError::Signature(
                    "exactly one signature is required".into(),
                ));
            };
            if !only.keyid.is_empty()
                && Some(only.keyid.as_str()) != ssh_fingerprint(public).as_deref()
            {
                return Err(VerifyError::Signature(
                    "could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1".into(),
                ));
            }
            let pae = super::dsse::pae(payload_type, payload);
            if !sk.verify_message(&pae, &only.sig) {
                return Err(VerifyError::Signature(
                    "could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1".into(),
                ));
            }
            subjects_match(payload_type, payload, artifact)
        }
    }
}

/// The SSH `SHA256:` fingerprint of a key (go-securesystemslib's key ID for DSSE).
fn ssh_fingerprint(key: &PublicKey) -> Option<String> {
    fn string(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(0).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    fn mpint(out: &mut Vec<u8>, bytes: &[u8]) {
        let trimmed = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
        if trimmed.first().is_some_and(|&b| b & 0x80 != 0) {
            let mut padded = alloc::vec![0];
            padded.extend_from_slice(trimmed);
            string(out, &padded);
        } else {
            string(out, trimmed);
        }
    }
    let mut wire = Vec::new();
    match key {
        PublicKey::P256(point) => {
            string(&mut wire, b"ecdsa-sha2-nistp256");
            string(&mut wire, b"nistp256");
            string(&mut wire, point);
        }
        PublicKey::P384(point) => {
            string(&mut wire, b"ecdsa-sha2-nistp384");
            string(&mut wire, b"nistp384");
            string(&mut wire, point);
        }
        PublicKey::Rsa { n, e } => {
            string(&mut wire, b"ssh-rsa");
            mpint(&mut wire, &e.to_be_bytes());
            mpint(&mut wire, n);
        }
        PublicKey::Ed25519(raw) => {
            string(&mut wire, b"ssh-ed25519");
            string(&mut wire, raw);
        }
    }
    let b64 = crate::go::base64::base64_std_encode(&Sha256::digest(&wire));
    Some(alloc::format!("SHA256:{}", b64.trim_end_matches('=')))
}

/// An in-toto statement as sigstore-go reads it to match subjects (Go's `encoding/json`).
fn subjects_match(
    payload_type: &str,
    payload: &[u8],
    artifact: Artifact<'_>,
) -> Result<(), VerifyError> {
    if payload_type != super::dsse::IN_TOTO {
        return Err(VerifyError::Signature(alloc::format!(
            "could not verify artifact: unable to extract statement from envelope: unsupported DSSE payload type: {payload_type}"
        )));
    }
    let node = crate::go::json::parse(payload).map_err(|e| {
        VerifyError::Signature(alloc::format!("parsing in-toto statement: {}", e.message))
    })?;
    let crate::go::json::Value::Object(members) = &node.value else {
        return Err(VerifyError::Signature(
            "parsing in-toto statement: not an object".into(),
        ));
    };
    let mut subjects: Vec<Vec<(String, String)>> = Vec::new();
    if let Some(list) = crate::go::json::go_field(members, "subject") {
        let crate::go::json::Value::Array(items) = &list.value else {
            return Err(VerifyError::Signature(
                "parsing in-toto statement: subject".into(),
            ));
        };
        for item in items {
            let crate::go::json::Value::Object(fields) = &item.value else {
                return Err(VerifyError::Signature(
                    "parsing in-toto statement: subject".into(),
                ));
            };
            let mut digests = Vec::new();
            if let Some(d) = crate::go::json::go_field(fields, "digest") {
                if let crate::go::json::Value::Object(entries) = &d.value {
                    // A map: the last of repeated keys.
                    for entry in entries {
                        let crate::go::json::Value::String(v) = &entry.value.value else {
                            return Err(VerifyError::Signature(
                                "parsing in-toto statement: digest".into(),
                            ));
                        };
                        digests.retain(|(k, _): &(String, String)| *k != entry.key);
                        digests.push((entry.key.clone(), v.clone()));
                    }
                } else if d.value != crate::go::json::Value::Null {
                    return Err(VerifyError::Signature(
                        "parsing in-toto statement: digest".into(),
                    ));
                }
            }
            subjects.push(digests);
        }
    }
    if subjects.len() > 1024 {
        return Err(VerifyError::Signature("too many subjects".into()));
    }
    if subjects.iter().any(|s| s.len() > 32) {
        return Err(VerifyError::Signature("too many digests".into()));
    }
    match artifact {
        Artifact::Bytes(bytes) => {
            if subjects.is_empty() {
                return Err(VerifyError::Signature(
                    "no subjects found in statement".into(),
                ));
            }
            // The strongest supported hash of each subject not already covered.
            let mut chosen: Vec<Hash> = Vec::new();
            for subject in &subjects {
                let supported: Vec<Hash> = subject
                    .iter()
                    .filter_map(|(k, _)| tlog::hash_named(k).ok())
                    .collect();
                if supported.iter().any(|h| chosen.contains(h)) || supported.is_empty() {
                    continue;
                }
                let best = [Hash::Sha512, Hash::Sha384, Hash::Sha256]
                    .into_iter()
                    .find(|h| supported.contains(h));
                chosen.extend(best);
            }
            if chosen.is_empty() {
                return Err(VerifyError::Signature(
                    "unable to determine hash functions: no supported digest algorithms found"
                        .into(),
                ));
            }
            let matched = chosen.iter().any(|&hash| {
                let ours = keys::digest(hash, bytes);
                subjects.iter().flatten().any(|(k, v)| {
                    tlog::hash_named(k).ok() == Some(hash)
                        && crate::go::hex_decode(v).as_deref() == Some(ours.as_slice())
                })
            });
            if !matched {
                return Err(VerifyError::Signature(
                    "provided artifact digests do not match digests in statement".into(),
                ));
            }
            Ok(())
        }
        Artifact::Digest { algorithm, digest } => {
            let mut listed = Vec::new();
            for (k, v) in subjects.iter().flatten() {
                let decoded = crate::go::hex_decode(v).ok_or_else(|| {
                    VerifyError::Signature(
                        "could not verify artifact: unable to decode subject digest".into(),
                    )
                })?;
                if k == algorithm {
                    listed.push(decoded);
                }
            }
            if listed.is_empty() {
                return Err(VerifyError::Signature(
                    "provided artifact digests does not match digests in statement".into(),
                ));
            }
            if !listed.iter().any(|d| d == digest) {
                return Err(VerifyError::Signature(
                    "provided artifact digest does not match any digest in statement".into(),
                ));
            }
            Ok(())
        }
    }
}

/// `envelope.Statement()`: the payload, an in-toto statement in protobuf's JSON (unknown
/// fields refused). Gives its `predicateType`.
fn statement(payload_type: &str, payload: &[u8]) -> Result<String, VerifyError> {
    use crate::go::protojson::{self as pj, Field};
    if payload_type != super::dsse::IN_TOTO {
        return Err(VerifyError::Statement(
            "validation error: unsupported media type".into(),
        ));
    }
    const STATEMENT: [Field; 4] = [
        Field::new("_type", "_type"),
        Field::new("subject", "subject"),
        Field::new("predicateType", "predicate_type"),
        Field::new("predicate", "predicate"),
    ];
    const DESCRIPTOR: [Field; 7] = [
        Field::new("name", "name"),
        Field::new("uri", "uri"),
        Field::new("digest", "digest"),
        Field::new("content", "content"),
        Field::new("downloadLocation", "download_location"),
        Field::new("mediaType", "media_type"),
        Field::new("annotations", "annotations"),
    ];
    let bad = |e: crate::go::protojson::ProtoJsonError| {
        VerifyError::Statement(alloc::format!(
            "validation error: invalid attestation: decoding json: {e}"
        ))
    };
    let document = pj::document(payload).map_err(bad)?;
    let [kind, subject, predicate_type, predicate] =
        pj::message(&document, &STATEMENT, "Statement").map_err(bad)?;
    pj::string(kind, "_type").map_err(bad)?;
    let predicate_type = pj::string(predicate_type, "predicateType").map_err(bad)?;
    if let Some(p) = predicate
        && !matches!(p.value, crate::go::json::Value::Object(_))
    {
        return Err(VerifyError::Statement(
            "validation error: invalid attestation: decoding json: predicate".into(),
        ));
    }
    for item in pj::list(subject, "subject").map_err(bad)? {
        let [
            name,
            uri,
            digest,
            content,
            location,
            media_type,
            annotations,
        ] = pj::message(item, &DESCRIPTOR, "ResourceDescriptor").map_err(bad)?;
        for (node, field) in [
            (name, "name"),
            (uri, "uri"),
            (location, "downloadLocation"),
            (media_type, "mediaType"),
        ] {
            pj::string(node, field).map_err(bad)?;
        }
        pj::bytes(content, "content").map_err(bad)?;
        if let Some(d) = digest {
            let crate::go::json::Value::Object(entries) = &d.value else {
                return Err(VerifyError::Statement(
                    "validation error: invalid attestation: decoding json: digest".into(),
                ));
            };
            for entry in entries {
                if !matches!(entry.value.value, crate::go::json::Value::String(_)) {
                    return Err(VerifyError::Statement(
                        "validation error: invalid attestation: decoding json: digest".into(),
                    ));
                }
            }
        }
        if let Some(a) = annotations
            && !matches!(a.value, crate::go::json::Value::Object(_))
        {
            return Err(VerifyError::Statement(
                "validation error: invalid attestation: decoding json: annotations".into(),
            ));
        }
    }
    Ok(predicate_type)
}
