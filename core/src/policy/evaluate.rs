//! Compiling a policy into an [`Evaluator`] and deciding images with it, as containers/image's
//! `PolicyContext.IsRunningImageAllowed` decides.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::cache::{self, Claims, Entry, Id, VerificationCache};
use super::decision::{
    Decision, Outcomes, Reason, RequirementOutcome, Scope, SignatureOutcome, SignatureVerdict,
    Verdict,
};
use super::image::Image;
use super::index::TransportIndex;
use super::model::{
    KeySource, KeyType, PathOrData, Policy, Requirement, SignedIdentity, SigstoreTrust,
};
use super::transport::Transport;
use crate::manifest::{ManifestError, manifest_digest};
use crate::reference::Digest;
use crate::signature::keys;
#[cfg(feature = "openpgp")]
use crate::signature::openpgp::{self, Keyring};
use crate::signature::payload::{self, Payload};
use crate::signature::sigstore::{CosignKey, SIGNATURE_ANNOTATION};

/// The MIME type of a cosign signature; other sigstore attachments are not signatures.
pub const SIGSTORE_SIGNATURE_MIME: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// A signature attached to the image's manifest, as the registry returned it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signature {
    /// containers-signature(5) simple signing: an OpenPGP message.
    Simple {
        /// The OpenPGP message bytes.
        blob: Vec<u8>,
    },
    /// A cosign signature (or another sigstore attachment): payload and annotations.
    Sigstore {
        /// The attachment's MIME type.
        mime: String,
        /// The payload bytes.
        payload: Vec<u8>,
        /// The layer annotations (`dev.cosignproject.cosign/signature`, ...).
        annotations: BTreeMap<String, String>,
    },
}

impl Signature {
    /// The kind as the JSON contract names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Simple { .. } => "simple",
            Self::Sigstore { .. } => "sigstore",
        }
    }
}

/// What is known about the image besides its name: its manifest, its signatures and the time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence<'a> {
    /// The manifest of the instance that will run.
    pub manifest: &'a [u8],
    /// The signatures attached to that manifest, in the registry's order.
    pub signatures: &'a [Signature],
    /// The time of the decision in seconds since the Unix epoch, when known.
    pub now: Option<i64>,
}

/// The bytes of files a policy names, keyed by the path as the policy writes it. A path that
/// is absent behaves as a file that does not exist.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Options for [`Evaluator::compile`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CompileOptions {
    /// How many verified signatures the evaluator remembers (1,024 by default; 0 turns the
    /// cache off). A repeat of a remembered (keys, payload, signature) skips the public-key
    /// operation and the payload parse; decisions are the same with and without it. Each
    /// entry holds at most about 4 KiB. Without the `std` feature nothing is cached.
    pub verification_cache: usize,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            verification_cache: cache::DEFAULT_CAPACITY,
        }
    }
}

impl CompileOptions {
    /// The options with a verification cache of `entries` (0 turns it off).
    #[must_use]
    pub fn with_verification_cache(mut self, entries: usize) -> Self {
        self.verification_cache = entries;
        self
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Compiled {
    InsecureAcceptAnything,
    Reject,
    SignedBaseLayer,
    SignedBy {
        /// The imported keyring, or why every signature is refused.
        keys: Result<Loaded<Keyring>, Reason>,
        identity: SignedIdentity,
    },
    SigstoreSigned {
        trust: SigstoreCheck,
        identity: SignedIdentity,
    },
}

/// Keys prepared at compile time, with the digest of the bytes they came from, which stands
/// for them in the verification cache's keys.
#[derive(Clone, Debug)]
pub(crate) struct Loaded<K> {
    keys: K,
    material: Id,
}

/// Without OpenPGP support there is never a keyring.
#[cfg(not(feature = "openpgp"))]
#[derive(Clone, Debug)]
pub(crate) enum Keyring {}

/// How a `sigstoreSigned` requirement checks a signature.
#[derive(Clone, Debug)]
pub(crate) enum SigstoreCheck {
    /// Public keys without Rekor: all of them prepared, or why they cannot be.
    Keys(Result<Loaded<Vec<CosignKey>>, Reason>),
    /// Trust that needs Fulcio, PKI or Rekor verification, which this build does not do yet:
    /// the material (certificates or keys, then Rekor keys) is still read first, as upstream
    /// reads it, and then every signature is refused.
    Unavailable {
        /// The first file of the material that was not provided.
        missing: Option<String>,
        format: &'static str,
    },
}

impl Compiled {
    fn type_name(&self) -> &'static str {
        match self {
            Self::InsecureAcceptAnything => "insecureAcceptAnything",
            Self::Reject => "reject",
            Self::SignedBaseLayer => "signedBaseLayer",
            Self::SignedBy { .. } => "signedBy",
            Self::SigstoreSigned { .. } => "sigstoreSigned",
        }
    }
}

#[derive(Clone, Debug)]
struct List {
    /// The transport name as the policy spells it; `None` for the global default.
    transport: Option<String>,
    scope: String,
    requirements: Vec<Compiled>,
}

/// A compiled policy: immutable, `Send + Sync`, cheap to evaluate with.
#[derive(Clone, Debug)]
pub struct Evaluator {
    /// Requirement lists; the first is the global default.
    lists: Vec<List>,
    index: TransportIndex,
    cache: VerificationCache,
}

impl Policy {
    /// Every file the policy names (`keyPath`, `keyPaths`, `rekorPublicKeyPath`, `caPath`, ...),
    /// sorted and without repeats. Pass their bytes to [`Evaluator::compile`].
    pub fn files_needed(&self) -> Vec<&str> {
        let mut paths = Vec::new();
        let lists = core::iter::once(&self.default)
            .chain(self.transports.values().flat_map(|scopes| scopes.values()));
        for requirement in lists.flatten() {
            requirement_paths(requirement, &mut paths);
        }
        paths.sort_unstable();
        paths.dedup();
        paths
    }
}

fn key_source_paths<'p>(source: &'p KeySource, out: &mut Vec<&'p str>) {
    match source {
        KeySource::Path(path) => out.push(path),
        KeySource::Paths(paths) => out.extend(paths.iter().map(String::as_str)),
        KeySource::Data(_) | KeySource::Datas(_) => {}
    }
}

fn path_or_data_path<'p>(source: &'p PathOrData, out: &mut Vec<&'p str>) {
    if let PathOrData::Path(path) = source {
        out.push(path);
    }
}

fn requirement_paths<'p>(requirement: &'p Requirement, out: &mut Vec<&'p str>) {
    match requirement {
        Requirement::SignedBy(signed_by) => key_source_paths(&signed_by.keys, out),
        Requirement::SigstoreSigned(sigstore) => {
            match &sigstore.trust {
                SigstoreTrust::Keys(keys) => key_source_paths(keys, out),
                SigstoreTrust::Fulcio(fulcio) => path_or_data_path(&fulcio.ca, out),
                SigstoreTrust::Pki(pki) => {
                    path_or_data_path(&pki.ca_roots, out);
                    if let Some(intermediates) = &pki.ca_intermediates {
                        path_or_data_path(intermediates, out);
                    }
                }
            }
            if let Some(rekor) = &sigstore.rekor {
                key_source_paths(rekor, out);
            }
        }
        _ => {}
    }
}

/// The key files or inline keys of a source, in order: a label (the path, or `keyData`,
/// `keyDatas[i]`) and the bytes, `None` when the file was not provided.
fn key_entries<'a>(source: &'a KeySource, files: &'a Files) -> Vec<(String, Option<&'a [u8]>)> {
    let file = |path: &String| (path.clone(), files.get(path).map(Vec::as_slice));
    match source {
        KeySource::Path(path) => alloc::vec![file(path)],
        KeySource::Paths(paths) => paths.iter().map(file).collect(),
        KeySource::Data(data) => alloc::vec![("keyData".into(), Some(data.as_slice()))],
        KeySource::Datas(datas) => datas
            .iter()
            .enumerate()
            .map(|(i, data)| (alloc::format!("keyDatas[{i}]"), Some(data.as_slice())))
            .collect(),
    }
}

/// The first path of `entries` that was not provided (upstream stops at the first file it
/// cannot read).
fn first_missing(entries: &[(String, Option<&[u8]>)]) -> Option<String> {
    entries
        .iter()
        .find(|(_, bytes)| bytes.is_none())
        .map(|(label, _)| label.clone())
}

/// Every key of a `sigstoreSigned` requirement, in order; the first that is missing or does
/// not load decides (containers/image loads all keys before verifying with any).
fn cosign_keys(source: &KeySource, files: &Files) -> Result<Loaded<Vec<CosignKey>>, Reason> {
    let entries = key_entries(source, files);
    let mut out = Vec::with_capacity(entries.len());
    let mut blobs = Vec::with_capacity(entries.len());
    for (source, bytes) in entries {
        let Some(bytes) = bytes else {
            return Err(Reason::KeyFileMissing(source));
        };
        blobs.push(bytes);
        let key = keys::from_pem(bytes)
            .and_then(|key| CosignKey::new(&key))
            .map_err(|problem| Reason::InvalidKey {
                source: source.clone(),
                problem: alloc::format!("{problem}"),
            })?;
        out.push(key);
    }
    Ok(Loaded {
        keys: out,
        material: cache::material_id(b"sigstoreSigned keys", &blobs),
    })
}

/// The keyring of a `signedBy` requirement, imported as gpgme imports it: every file must
/// exist (upstream stops at the first it cannot read); files without keys are skipped; no key
/// at all refuses every signature.
fn gpg_keys(
    key_type: KeyType,
    source: &KeySource,
    files: &Files,
) -> Result<Loaded<Keyring>, Reason> {
    if key_type != KeyType::GpgKeys {
        return Err(Reason::KeyTypeUnimplemented(key_type));
    }
    let entries = key_entries(source, files);
    if let Some(path) = first_missing(&entries) {
        return Err(Reason::KeyFileMissing(path));
    }
    let blobs: Vec<&[u8]> = entries.iter().filter_map(|(_, bytes)| *bytes).collect();
    Ok(Loaded {
        keys: import_keyring(&blobs)?,
        material: cache::material_id(b"signedBy GPGKeys", &blobs),
    })
}

#[cfg(feature = "openpgp")]
fn import_keyring(blobs: &[&[u8]]) -> Result<Keyring, Reason> {
    let keyring = openpgp::keyring(blobs);
    if keyring.len() == 0 {
        return Err(Reason::NoPublicKeys);
    }
    Ok(keyring)
}

#[cfg(not(feature = "openpgp"))]
fn import_keyring(_: &[&[u8]]) -> Result<Keyring, Reason> {
    Err(Reason::VerificationUnavailable {
        format: "OpenPGP simple signing",
    })
}

fn compile_requirement(requirement: &Requirement, files: &Files) -> Compiled {
    match requirement {
        Requirement::InsecureAcceptAnything => Compiled::InsecureAcceptAnything,
        Requirement::Reject => Compiled::Reject,
        Requirement::SignedBaseLayer { .. } => Compiled::SignedBaseLayer,
        Requirement::SignedBy(signed_by) => Compiled::SignedBy {
            keys: gpg_keys(signed_by.key_type, &signed_by.keys, files),
            identity: signed_by.signed_identity.clone(),
        },
        Requirement::SigstoreSigned(sigstore) => {
            let identity = sigstore.signed_identity.clone();
            if let (SigstoreTrust::Keys(keys), None) = (&sigstore.trust, &sigstore.rekor) {
                return Compiled::SigstoreSigned {
                    trust: SigstoreCheck::Keys(cosign_keys(keys, files)),
                    identity,
                };
            }
            // Certificates or keys, then Rekor keys, in the order upstream reads them.
            let mut paths = Vec::new();
            requirement_paths(requirement, &mut paths);
            let format = match &sigstore.trust {
                SigstoreTrust::Keys(_) => "sigstore with Rekor",
                SigstoreTrust::Fulcio(_) => "sigstore with Fulcio",
                SigstoreTrust::Pki(_) => "sigstore with PKI certificates",
            };
            Compiled::SigstoreSigned {
                trust: SigstoreCheck::Unavailable {
                    missing: paths
                        .into_iter()
                        .find(|path| !files.contains_key(*path))
                        .map(String::from),
                    format,
                },
                identity,
            }
        }
    }
}

impl Evaluator {
    /// Compiles a parsed policy with the bytes of the files it names. Compiling never fails:
    /// a missing file makes the requirements that need it reject signatures at evaluation,
    /// exactly when containers/image would meet the problem; [`lint_policy`](super::lint_policy) lists
    /// such problems up front.
    pub fn compile(policy: &Policy, files: &Files, options: &CompileOptions) -> Self {
        let compile_list = |transport: Option<&str>, scope: &str, list: &[Requirement]| List {
            transport: transport.map(String::from),
            scope: scope.into(),
            requirements: list.iter().map(|r| compile_requirement(r, files)).collect(),
        };
        let mut lists = Vec::new();
        lists.push(compile_list(None, "", &policy.default));
        let mut index = TransportIndex::new();
        for (name, scopes) in &policy.transports {
            let registered = Transport::from_name(name);
            for (scope, requirements) in scopes {
                // Scopes of unregistered transports can never apply; they are not kept.
                let Some(transport) = registered else {
                    continue;
                };
                let number = lists.len();
                lists.push(compile_list(Some(name), scope, requirements));
                index.transport_mut(transport).insert(scope, number);
            }
        }
        Self {
            lists,
            index,
            cache: VerificationCache::new(options.verification_cache),
        }
    }

    fn list_for(&self, image: &Image) -> &List {
        let number = self.index.lookup(image).unwrap_or(0);
        // The index only holds numbers of lists it was built with.
        self.lists.get(number).unwrap_or_else(|| &self.lists[0])
    }

    /// The policy entry that applies to `image`.
    pub fn scope_for(&self, image: &Image) -> Scope<'_> {
        let list = self.list_for(image);
        Scope {
            transport: list.transport.as_deref(),
            scope: &list.scope,
        }
    }

    /// Decides whether `image` may run (`IsRunningImageAllowed`): every requirement of the
    /// applicable list must hold; the first that does not ends the evaluation.
    pub fn evaluate(&self, image: &Image, evidence: &Evidence<'_>) -> Decision<'_> {
        let list = self.list_for(image);
        let scope = Scope {
            transport: list.transport.as_deref(),
            scope: &list.scope,
        };
        let context = Context {
            image,
            evidence,
            manifest: ManifestDigest::new(evidence.manifest),
            cache: &self.cache,
        };
        if let [only] = list.requirements.as_slice() {
            let outcome = evaluate_requirement(only, &context);
            return Decision {
                allowed: outcome.verdict == Verdict::Allowed,
                scope,
                requirements: Outcomes::One(outcome),
            };
        }
        let mut requirements = Vec::with_capacity(list.requirements.len());
        let mut allowed = !list.requirements.is_empty();
        for compiled in &list.requirements {
            if !allowed {
                requirements.push(RequirementOutcome {
                    requirement: compiled.type_name(),
                    verdict: Verdict::NotEvaluated,
                    reason: None,
                    signatures: Vec::new(),
                });
                continue;
            }
            let outcome = evaluate_requirement(compiled, &context);
            allowed = outcome.verdict == Verdict::Allowed;
            requirements.push(outcome);
        }
        Decision {
            allowed,
            scope,
            requirements: Outcomes::Many(requirements),
        }
    }
}

fn denied(
    requirement: &'static str,
    reason: Reason,
    signatures: Vec<SignatureOutcome>,
) -> RequirementOutcome {
    RequirementOutcome {
        requirement,
        verdict: Verdict::Denied,
        reason: Some(reason),
        signatures,
    }
}

/// The manifest's digest, computed at most once per evaluation, and only when a signature
/// gets as far as the digest checks.
struct ManifestDigest<'a> {
    manifest: &'a [u8],
    digest: core::cell::OnceCell<Result<Digest, ManifestError>>,
}

impl<'a> ManifestDigest<'a> {
    fn new(manifest: &'a [u8]) -> Self {
        Self {
            manifest,
            digest: core::cell::OnceCell::new(),
        }
    }

    /// `manifest.MatchesDigest`: only sha256 is computed, so another algorithm never matches.
    fn matches(&self, expected: &Digest) -> Result<bool, Reason> {
        match self.digest.get_or_init(|| manifest_digest(self.manifest)) {
            Ok(digest) => Ok(digest == expected),
            Err(e) => Err(Reason::ManifestUnreadable(alloc::format!("{e}"))),
        }
    }
}

/// What one evaluation works with.
struct Context<'a> {
    image: &'a Image,
    evidence: &'a Evidence<'a>,
    manifest: ManifestDigest<'a>,
    cache: &'a VerificationCache,
}

fn evaluate_requirement(compiled: &Compiled, context: &Context<'_>) -> RequirementOutcome {
    let Context {
        image,
        evidence,
        ref manifest,
        cache,
    } = *context;
    let name = compiled.type_name();
    match compiled {
        // Reads nothing, not even the manifest.
        Compiled::InsecureAcceptAnything => RequirementOutcome {
            requirement: name,
            verdict: Verdict::Allowed,
            reason: None,
            signatures: Vec::new(),
        },
        Compiled::Reject => denied(name, Reason::RejectedByPolicy, Vec::new()),
        Compiled::SignedBaseLayer => denied(name, Reason::SignedBaseLayerUnimplemented, Vec::new()),
        Compiled::SignedBy { keys, identity } => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { blob } => Examined::Checked(
                    check_simple(keys, blob, evidence.now, cache)
                        .and_then(|claims| check_claims(&claims, identity, image, manifest))
                        .err(),
                ),
                Signature::Sigstore { .. } => Examined::OtherFormat(Reason::NotSimpleSigning),
            })
        }
        Compiled::SigstoreSigned { trust, identity } => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { .. } => Examined::OtherFormat(Reason::NotSigstore),
                Signature::Sigstore { mime, .. } if mime != SIGSTORE_SIGNATURE_MIME => {
                    Examined::Attachment(Reason::NotASignature { mime: mime.clone() })
                }
                Signature::Sigstore {
                    payload,
                    annotations,
                    ..
                } => Examined::Checked(
                    check_sigstore(trust, payload, annotations, cache)
                        .and_then(|claims| check_claims(&claims, identity, image, manifest))
                        .err(),
                ),
            })
        }
    }
}

/// What a signature requirement made of one signature.
enum Examined {
    /// A signature of the other format: skipped.
    OtherFormat(Reason),
    /// A sigstore attachment that is not a signature: skipped.
    Attachment(Reason),
    /// Checked: `None` when accepted, else why not.
    Checked(Option<Reason>),
}

/// The structure shared by `signedBy` and `sigstoreSigned`: the first accepted signature
/// allows; otherwise the requirement denies, with "no signature" when none was of its format.
fn signature_requirement(
    name: &'static str,
    evidence: &Evidence<'_>,
    examine: impl Fn(&Signature) -> Examined,
) -> RequirementOutcome {
    let mut outcomes = Vec::new();
    let (mut checked, mut other_formats, mut attachments) = (0, 0, 0);
    for (index, signature) in evidence.signatures.iter().enumerate() {
        let (verdict, reason) = match examine(signature) {
            Examined::OtherFormat(reason) => {
                other_formats += 1;
                (SignatureVerdict::Skipped, reason)
            }
            Examined::Attachment(reason) => {
                attachments += 1;
                (SignatureVerdict::Skipped, reason)
            }
            Examined::Checked(Some(reason)) => {
                checked += 1;
                (SignatureVerdict::Rejected, reason)
            }
            Examined::Checked(None) => {
                outcomes.push(SignatureOutcome {
                    index,
                    verdict: SignatureVerdict::Accepted,
                    reason: Reason::Accepted,
                });
                return RequirementOutcome {
                    requirement: name,
                    verdict: Verdict::Allowed,
                    reason: None,
                    signatures: outcomes,
                };
            }
        };
        outcomes.push(SignatureOutcome {
            index,
            verdict,
            reason,
        });
    }
    let reason = match checked {
        0 => Reason::NoSignature {
            other_formats,
            attachments,
        },
        rejected => Reason::NoSignatureAccepted { rejected },
    };
    denied(name, reason, outcomes)
}

/// The OpenPGP part of one simple-signing signature against a `signedBy` requirement, in
/// containers/image's order: the keyring, the message and its one signature, the signing
/// key's identity and standing, the time, then the payload's strict parse. Gives the
/// payload's claims. A remembered verification still has its time checked.
#[cfg(feature = "openpgp")]
fn check_simple(
    keys: &Result<Loaded<Keyring>, Reason>,
    blob: &[u8],
    now: Option<i64>,
    cache: &VerificationCache,
) -> Claims {
    let Loaded {
        keys: keyring,
        material,
    } = keys.as_ref().map_err(Clone::clone)?;
    let id = cache.id(material, blob, &[]);
    if let Some(entry) = cache.get(id.as_ref())
        && let Entry::Simple(validity, claims) = &*entry
    {
        validity.check(now).map_err(pgp_reason)?;
        return claims.clone();
    }
    let verified = keyring.verify_untimed(blob).map_err(pgp_reason)?;
    let claims = payload::parse(&verified.content, payload::Format::SimpleSigning)
        .map(alloc::sync::Arc::new)
        .map_err(Reason::InvalidPayload);
    let validity = verified.validity;
    let checked = validity.check(now).map_err(pgp_reason);
    cache.insert(id, Entry::Simple(validity, claims.clone()));
    checked?;
    claims
}

#[cfg(feature = "openpgp")]
fn pgp_reason(e: openpgp::PgpError) -> Reason {
    use openpgp::PgpError;
    match e {
        PgpError::Malformed(_) | PgpError::SignatureCount(_) => {
            Reason::MalformedSignature(alloc::format!("{e}"))
        }
        PgpError::UnknownKey(_) | PgpError::Subkey(_) => {
            Reason::UntrustedKey(alloc::format!("{e}"))
        }
        PgpError::Bad(_) => Reason::SignatureInvalid { keys: 1 },
        PgpError::KeyRevoked(_) | PgpError::KeyUnusable(_) => {
            Reason::KeyUnusable(alloc::format!("{e}"))
        }
        PgpError::SignatureExpired => Reason::SignatureExpired,
        PgpError::NeedTime => Reason::TimeRequired,
    }
}

#[cfg(not(feature = "openpgp"))]
fn check_simple(
    keys: &Result<Loaded<Keyring>, Reason>,
    _blob: &[u8],
    _now: Option<i64>,
    _cache: &VerificationCache,
) -> Claims {
    Err(keys
        .as_ref()
        .err()
        .cloned()
        .unwrap_or(Reason::VerificationUnavailable {
            format: "OpenPGP simple signing",
        }))
}

/// The cryptographic part of one cosign signature against a `sigstoreSigned` requirement, in
/// containers/image's order: trust material, the signature annotation, the signature with
/// each key, then the payload's strict parse. Gives the payload's claims.
fn check_sigstore(
    trust: &SigstoreCheck,
    payload: &[u8],
    annotations: &BTreeMap<String, String>,
    cache: &VerificationCache,
) -> Claims {
    let Loaded { keys, material } = match trust {
        SigstoreCheck::Keys(keys) => keys.as_ref().map_err(Clone::clone)?,
        SigstoreCheck::Unavailable { missing, format } => {
            return Err(match missing {
                Some(path) => Reason::KeyFileMissing(path.clone()),
                None => Reason::VerificationUnavailable { format },
            });
        }
    };
    let encoded = annotations.get(SIGNATURE_ANNOTATION).ok_or_else(|| {
        Reason::MalformedSignature(alloc::format!(
            "missing the {SIGNATURE_ANNOTATION} annotation"
        ))
    })?;
    let id = cache.id(material, payload, encoded.as_bytes());
    if let Some(entry) = cache.get(id.as_ref())
        && let Entry::Sigstore(claims) = &*entry
    {
        return claims.clone();
    }
    let signature = crate::go::base64_std(encoded).map_err(|offset| {
        Reason::MalformedSignature(alloc::format!(
            "the {SIGNATURE_ANNOTATION} annotation is not base64 (at byte {offset})"
        ))
    })?;
    if !keys.iter().any(|key| key.verify(payload, &signature)) {
        return Err(Reason::SignatureInvalid { keys: keys.len() });
    }
    let claims = payload::parse(payload, payload::Format::Cosign)
        .map(alloc::sync::Arc::new)
        .map_err(Reason::InvalidPayload);
    cache.insert(id, Entry::Sigstore(claims.clone()));
    claims
}

/// What a verified payload claims, checked against the image as containers/image checks it:
/// the manifest against the reference's digest (if any), the manifest against the signed
/// digest, then the signed identity against `signedIdentity`.
fn check_claims(
    claims: &Payload,
    identity: &SignedIdentity,
    image: &Image,
    manifest: &ManifestDigest<'_>,
) -> Result<(), Reason> {
    let reference = image.docker_reference();
    if let Some(digest) = reference.and_then(|r| r.digest())
        && !manifest.matches(digest)?
    {
        return Err(Reason::ManifestNotReferenced {
            digest: alloc::format!("{digest}"),
        });
    }
    if !manifest.matches(&claims.manifest_digest)? {
        return Err(Reason::DigestMismatch {
            signed: alloc::format!("{}", claims.manifest_digest),
        });
    }
    if !identity.matches(reference, &claims.docker_reference) {
        return Err(Reason::IdentityMismatch {
            signed: claims.docker_reference.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluator_is_send_and_sync() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<Evaluator>();
        shared::<Image>();
    }
}
