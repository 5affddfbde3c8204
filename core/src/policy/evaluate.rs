//! Compiling a policy into an [`Evaluator`] and deciding images with it, as containers/image's
//! `PolicyContext.IsRunningImageAllowed` decides.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::decision::{
    Decision, Outcomes, Reason, RequirementOutcome, Scope, SignatureOutcome, SignatureVerdict,
    Verdict,
};
use super::image::Image;
use super::index::TransportIndex;
use super::model::{KeySource, KeyType, PathOrData, Policy, Requirement, SigstoreTrust};
use super::transport::Transport;

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

/// Options for [`Evaluator::compile`]. There are none yet; the type keeps the signature stable.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CompileOptions {}

/// Key material as a requirement will read it: every source in order, each either the bytes
/// or the path that was not provided.
#[derive(Clone, Debug)]
pub(crate) struct Material {
    sources: Vec<Result<Vec<u8>, String>>,
}

impl Material {
    /// The first path that was not provided, if any (containers/image stops at the first
    /// file it cannot read).
    pub(crate) fn missing(&self) -> Option<&str> {
        self.sources
            .iter()
            .find_map(|s| s.as_ref().err())
            .map(String::as_str)
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Compiled {
    InsecureAcceptAnything,
    Reject,
    SignedBaseLayer,
    SignedBy {
        key_type: KeyType,
        keys: Material,
    },
    SigstoreSigned {
        /// Keys or CA certificates, then Rekor keys, in the order upstream reads them.
        material: Material,
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

fn material_from(sources: &[KeySourceRef<'_>], files: &Files) -> Material {
    let mut out = Vec::new();
    for source in sources {
        match source {
            KeySourceRef::Keys(KeySource::Path(path)) => out.push(lookup(files, path)),
            KeySourceRef::Keys(KeySource::Paths(paths)) => {
                out.extend(paths.iter().map(|path| lookup(files, path)));
            }
            KeySourceRef::Keys(KeySource::Data(data)) => out.push(Ok(data.clone())),
            KeySourceRef::Keys(KeySource::Datas(datas)) => {
                out.extend(datas.iter().map(|data| Ok(data.clone())));
            }
            KeySourceRef::One(PathOrData::Path(path)) => out.push(lookup(files, path)),
            KeySourceRef::One(PathOrData::Data(data)) => out.push(Ok(data.clone())),
        }
    }
    Material { sources: out }
}

enum KeySourceRef<'p> {
    Keys(&'p KeySource),
    One(&'p PathOrData),
}

fn lookup(files: &Files, path: &str) -> Result<Vec<u8>, String> {
    files.get(path).cloned().ok_or_else(|| path.into())
}

fn compile_requirement(requirement: &Requirement, files: &Files) -> Compiled {
    match requirement {
        Requirement::InsecureAcceptAnything => Compiled::InsecureAcceptAnything,
        Requirement::Reject => Compiled::Reject,
        Requirement::SignedBaseLayer { .. } => Compiled::SignedBaseLayer,
        Requirement::SignedBy(signed_by) => Compiled::SignedBy {
            key_type: signed_by.key_type,
            keys: material_from(&[KeySourceRef::Keys(&signed_by.keys)], files),
        },
        Requirement::SigstoreSigned(sigstore) => {
            let mut sources = Vec::new();
            match &sigstore.trust {
                SigstoreTrust::Keys(keys) => sources.push(KeySourceRef::Keys(keys)),
                SigstoreTrust::Fulcio(fulcio) => sources.push(KeySourceRef::One(&fulcio.ca)),
                SigstoreTrust::Pki(pki) => {
                    sources.push(KeySourceRef::One(&pki.ca_roots));
                    if let Some(intermediates) = &pki.ca_intermediates {
                        sources.push(KeySourceRef::One(intermediates));
                    }
                }
            }
            if let Some(rekor) = &sigstore.rekor {
                sources.push(KeySourceRef::Keys(rekor));
            }
            Compiled::SigstoreSigned {
                material: material_from(&sources, files),
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
        let _ = options;
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
        Self { lists, index }
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
        if let [only] = list.requirements.as_slice() {
            let outcome = evaluate_requirement(only, evidence);
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
            let outcome = evaluate_requirement(compiled, evidence);
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

fn evaluate_requirement(compiled: &Compiled, evidence: &Evidence<'_>) -> RequirementOutcome {
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
        Compiled::SignedBy { key_type, keys } => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { .. } => Examined::Checked(check_simple(*key_type, keys)),
                Signature::Sigstore { .. } => Examined::OtherFormat(Reason::NotSimpleSigning),
            })
        }
        Compiled::SigstoreSigned { material } => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { .. } => Examined::OtherFormat(Reason::NotSigstore),
                Signature::Sigstore { mime, .. } if mime != SIGSTORE_SIGNATURE_MIME => {
                    Examined::Attachment(Reason::NotASignature { mime: mime.clone() })
                }
                Signature::Sigstore { .. } => Examined::Checked(check_sigstore(material)),
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

/// One simple-signing signature against a `signedBy` requirement: `None` when accepted, else
/// why not, in containers/image's order. The OpenPGP verification, then the manifest digest
/// and the identity rule, come with the signature issue; until then nothing is accepted.
fn check_simple(key_type: KeyType, keys: &Material) -> Option<Reason> {
    if key_type != KeyType::GpgKeys {
        return Some(Reason::KeyTypeUnimplemented(key_type));
    }
    if let Some(path) = keys.missing() {
        return Some(Reason::KeyFileMissing(path.into()));
    }
    Some(Reason::VerificationUnavailable {
        format: "OpenPGP simple signing",
    })
}

/// One cosign signature against a `sigstoreSigned` requirement, as [`check_simple`].
fn check_sigstore(material: &Material) -> Option<Reason> {
    if let Some(path) = material.missing() {
        return Some(Reason::KeyFileMissing(path.into()));
    }
    Some(Reason::VerificationUnavailable { format: "sigstore" })
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
