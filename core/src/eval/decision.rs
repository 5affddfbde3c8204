//! Decisions and their explanation: per requirement, per signature, with stable reason codes
//! and one headline a person can act on.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::material::MaterialProblem;
use crate::manifest::ManifestError;
use crate::policy::KeyType;
use crate::reference::Digest;
use crate::signature::key_problem::{KeyProblem, Untrusted};
use crate::signature::problem::{MalformedSignature, PayloadError};
use crate::trust::keyless::CertificateProblem;
use crate::trust::rekor::RekorProblem;

/// The verdict on an image, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision<'e> {
    /// Whether the image may run: every requirement of the applicable scope holds.
    pub allowed: bool,
    /// The policy entry that decided.
    pub scope: Scope<'e>,
    pub(crate) requirements: Outcomes,
}

/// Requirement outcomes, without an allocation for the usual single requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcomes {
    One(RequirementOutcome),
    Many(Vec<RequirementOutcome>),
}

impl Outcomes {
    pub(crate) fn as_slice(&self) -> &[RequirementOutcome] {
        match self {
            Self::One(outcome) => core::slice::from_ref(outcome),
            Self::Many(outcomes) => outcomes,
        }
    }
}

/// The policy entry that applies to an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scope<'e> {
    /// The transport, as the policy spells it; `None` for the global `default`.
    pub transport: Option<&'e str>,
    /// The scope; `""` is the transport's default entry (and the global default's).
    pub scope: &'e str,
}

impl fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.transport {
            None => f.write_str("default"),
            Some(transport) => write!(f, "transports.{transport}[{:?}]", self.scope),
        }
    }
}

/// What one requirement concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequirementOutcome {
    /// The requirement's `type`.
    pub requirement: &'static str,
    /// Its verdict.
    pub verdict: Verdict,
    /// Why it denied (`None` when it allowed or was not evaluated).
    pub reason: Option<Reason>,
    /// What happened to each signature it looked at.
    pub signatures: Vec<SignatureOutcome>,
}

/// A requirement's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The requirement holds.
    Allowed,
    /// The requirement does not hold; the image is denied.
    Denied,
    /// An earlier requirement denied the image, so this one was not evaluated (as upstream).
    NotEvaluated,
}

impl Verdict {
    /// The stable name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
            Self::NotEvaluated => "not_evaluated",
        }
    }
}

/// What a requirement concluded about one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureOutcome {
    /// The signature's 0-based position in the evidence.
    pub index: usize,
    /// Accepted, rejected, or skipped (not a format this requirement reads).
    pub verdict: SignatureVerdict,
    /// Why.
    pub reason: Reason,
}

/// A signature's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureVerdict {
    /// The signature satisfies the requirement.
    Accepted,
    /// The signature was checked and does not satisfy the requirement.
    Rejected,
    /// The requirement does not read signatures of this format.
    Skipped,
}

impl SignatureVerdict {
    /// The stable name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Skipped => "skipped",
        }
    }
}

/// Why a requirement denied or a signature was not accepted. [`Reason::code`] is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The signature was accepted.
    Accepted,
    /// A `reject` requirement.
    RejectedByPolicy,
    /// `signedBaseLayer`, which containers/image never satisfies.
    SignedBaseLayerUnimplemented,
    /// No signature of the format the requirement reads was attached.
    NoSignature {
        /// Signatures of the other format.
        other_formats: usize,
        /// Sigstore attachments that are not signatures (attestations, SBOMs).
        attachments: usize,
    },
    /// Signatures were checked and none was accepted (each signature says why).
    NoSignatureAccepted {
        /// How many were checked.
        rejected: usize,
    },
    /// `signedBy` with a `keyType` containers/image does not implement.
    KeyTypeUnimplemented(KeyType),
    /// A key or certificate file the requirement names was not provided (its path).
    KeyFileMissing(String),
    /// A key or certificate file the requirement names exists but could not be read.
    KeyFileUnreadable {
        /// Its path.
        path: String,
        /// Why, for a person (the system's words).
        why: String,
    },
    /// This build cannot verify signatures of this format, so none is accepted.
    VerificationUnavailable {
        /// The signature format.
        format: &'static str,
    },
    /// A sigstore signature seen by `signedBy`.
    NotSimpleSigning,
    /// A simple-signing signature seen by `sigstoreSigned`.
    NotSigstore,
    /// A sigstore attachment whose MIME type is not a cosign signature's.
    NotASignature {
        /// Its MIME type.
        mime: String,
    },
    /// A key the requirement names cannot be used; every signature is refused (as upstream,
    /// which loads all keys before it verifies any).
    InvalidKey {
        /// The key's path, or `keyData`/`keyDatas[i]`.
        source: String,
        /// What is wrong with it.
        problem: MaterialProblem,
    },
    /// The signature is not in a form that can be verified (missing annotation, bad base64,
    /// not an OpenPGP message, ...).
    MalformedSignature(MalformedSignature),
    /// The Rekor SET does not vouch for this signature with any of the requirement's keys
    /// (why, for the first key).
    RekorSetInvalid(RekorProblem),
    /// The signature's certificate does not chain to the policy's roots at the time, or does
    /// not name the identity the policy requires.
    CertificateInvalid(CertificateProblem),
    /// The signature is over one of the evaluator's budgets (nothing of it was verified).
    OverBudget(super::OverBudget),
    /// The signature does not verify with any trusted key.
    SignatureInvalid {
        /// How many keys were tried.
        keys: usize,
    },
    /// The signature verified, but its payload is not a valid payload of its format.
    InvalidPayload(PayloadError),
    /// The image reference names a manifest digest that the manifest does not have.
    ManifestNotReferenced {
        /// The digest in the reference.
        digest: Digest,
    },
    /// The manifest's digest cannot be computed (a schema 1 manifest with broken signatures).
    ManifestUnreadable(ManifestError),
    /// The signature is for another manifest.
    DigestMismatch {
        /// The digest the signature claims.
        signed: Digest,
    },
    /// The signature's identity is not accepted by the requirement's `signedIdentity`.
    IdentityMismatch {
        /// The identity the signature claims.
        signed: String,
    },
    /// `signedBy`: none of the key files holds a public key gpg would import.
    NoPublicKeys,
    /// `signedBy`: the signature is by a key that is not a trusted primary key.
    UntrustedKey(Untrusted),
    /// `signedBy`: the signing key is revoked, expired, or not allowed to sign.
    KeyUnusable(KeyProblem),
    /// `signedBy`: the signature has expired (or predates its key).
    SignatureExpired,
    /// The key or signature carries an expiry, and the evidence has no `now`.
    TimeRequired,
    /// A simple or cosign signature seen by `vouchSigstoreBundle`.
    NotABundle,
    /// A sigstore bundle seen by `vouchSigstoreBundle` that it does not accept.
    BundleRejected(super::sigstore_bundle::BundleProblem),
    /// A sigstore bundle over one of the evaluator's bundle budgets (`over_budget`).
    BundleOverBudget(crate::bundle::BundleOverBudget),
}

impl Reason {
    /// The stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::RejectedByPolicy => "rejected_by_policy",
            Self::SignedBaseLayerUnimplemented => "signed_base_layer_unimplemented",
            Self::NoSignature { .. } => "no_signature",
            Self::NoSignatureAccepted { .. } => "no_signature_accepted",
            Self::KeyTypeUnimplemented(_) => "key_type_unimplemented",
            Self::KeyFileMissing(_) => "key_file_missing",
            Self::KeyFileUnreadable { .. } => "key_file_unreadable",
            Self::VerificationUnavailable { .. } => "verification_unavailable",
            Self::NotSimpleSigning => "not_simple_signing",
            Self::NotSigstore => "not_sigstore",
            Self::NotASignature { .. } => "not_a_signature",
            Self::InvalidKey { .. } => "invalid_key",
            Self::MalformedSignature(_) => "malformed_signature",
            Self::RekorSetInvalid(_) => "rekor_set_invalid",
            Self::CertificateInvalid(_) => "certificate_invalid",
            Self::OverBudget(_) => "over_budget",
            Self::SignatureInvalid { .. } => "signature_invalid",
            Self::InvalidPayload(_) => "invalid_payload",
            Self::ManifestNotReferenced { .. } => "manifest_not_referenced",
            Self::ManifestUnreadable(_) => "manifest_unreadable",
            Self::DigestMismatch { .. } => "digest_mismatch",
            Self::IdentityMismatch { .. } => "identity_mismatch",
            Self::NoPublicKeys => "no_public_keys",
            Self::UntrustedKey(_) => "untrusted_key",
            Self::KeyUnusable(_) => "key_unusable",
            Self::SignatureExpired => "signature_expired",
            Self::TimeRequired => "time_required",
            Self::NotABundle => "not_a_bundle",
            Self::BundleRejected(_) => "bundle_rejected",
            Self::BundleOverBudget(_) => "over_budget",
        }
    }

    /// How much a signature rejection tells a person, for choosing the headline: the
    /// further a signature got through verification, the higher. Documented in
    /// docs/decisions.md; ties go to the earliest signature.
    pub const fn rank(&self) -> u8 {
        match self {
            Self::IdentityMismatch { .. } => 90,
            Self::BundleRejected(problem) => problem.rank(),
            Self::DigestMismatch { .. } => 80,
            Self::ManifestNotReferenced { .. } | Self::ManifestUnreadable(_) => 75,
            Self::InvalidPayload(_) => 70,
            Self::SignatureInvalid { .. } => 60,
            Self::RekorSetInvalid(_) => 58,
            Self::CertificateInvalid(_) => 57,
            Self::UntrustedKey(_) | Self::KeyUnusable(_) | Self::SignatureExpired => 55,
            Self::TimeRequired => 45,
            Self::MalformedSignature(_) | Self::OverBudget(_) | Self::BundleOverBudget(_) => 50,
            Self::VerificationUnavailable { .. } => 40,
            Self::KeyFileMissing(_)
            | Self::KeyFileUnreadable { .. }
            | Self::KeyTypeUnimplemented(_)
            | Self::InvalidKey { .. }
            | Self::NoPublicKeys => 30,
            // Requirement-level reasons and skipped signatures are never a signature's headline.
            _ => 0,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Accepted => f.write_str("accepted"),
            Self::RejectedByPolicy => f.write_str("the policy rejects every image here"),
            Self::SignedBaseLayerUnimplemented => f.write_str(
                "signedBaseLayer is not implemented by containers/image and never allows an image",
            ),
            Self::NoSignature {
                other_formats: 0,
                attachments: 0,
            } => f.write_str("a signature is required, but the image has none"),
            Self::NoSignature {
                other_formats,
                attachments,
            } => write!(
                f,
                "a signature is required, but the image has none of this format \
                 ({other_formats} of the other format, {attachments} sigstore attachments \
                 that are not signatures)"
            ),
            Self::NoSignatureAccepted { rejected: 1 } => {
                f.write_str("the only signature was not accepted")
            }
            Self::NoSignatureAccepted { rejected } => {
                write!(f, "none of the {rejected} signatures was accepted")
            }
            Self::KeyTypeUnimplemented(key_type) => write!(
                f,
                "keyType {:?} is not implemented by containers/image; use GPGKeys",
                key_type.name()
            ),
            Self::KeyFileMissing(path) => write!(
                f,
                "key file {path:?} named by the policy was not provided (it does not exist)"
            ),
            Self::KeyFileUnreadable { path, why } => write!(
                f,
                "key file {path:?} named by the policy cannot be read: {why}"
            ),
            Self::VerificationUnavailable { format } => write!(
                f,
                "{format} signatures cannot be verified by this build of vouch, so none is accepted"
            ),
            Self::NotSimpleSigning => f.write_str("not a simple-signing signature; skipped"),
            Self::NotSigstore => f.write_str("not a sigstore signature; skipped"),
            Self::InvalidKey { source, problem } => {
                write!(f, "{source} cannot be used: {problem}")
            }
            Self::MalformedSignature(problem) => write!(f, "malformed signature: {problem}"),
            Self::CertificateInvalid(problem) => {
                write!(f, "the signature's certificate is not accepted: {problem}")
            }
            Self::OverBudget(problem) => write!(f, "over budget: {problem}"),
            Self::RekorSetInvalid(problem) => {
                write!(
                    f,
                    "the Rekor SET does not vouch for the signature: {problem}"
                )
            }
            Self::SignatureInvalid { keys: 1 } => {
                f.write_str("the signature does not verify with the trusted key")
            }
            Self::SignatureInvalid { keys } => {
                write!(
                    f,
                    "the signature does not verify with any of the {keys} trusted keys"
                )
            }
            Self::InvalidPayload(problem) => {
                write!(
                    f,
                    "the signature verified, but its payload is invalid: {problem}"
                )
            }
            Self::ManifestNotReferenced { digest } => write!(
                f,
                "the manifest does not match the digest {digest} in the image reference"
            ),
            Self::ManifestUnreadable(problem) => {
                write!(f, "the manifest digest cannot be computed: {problem}")
            }
            Self::DigestMismatch { signed } => write!(
                f,
                "the signature is for manifest digest {signed}, which does not match the image"
            ),
            Self::IdentityMismatch { signed } => write!(
                f,
                "the signature is for {signed:?}, which signedIdentity does not accept for this image"
            ),
            Self::NoPublicKeys => {
                f.write_str("none of the requirement's key files holds an OpenPGP public key")
            }
            Self::UntrustedKey(why) => fmt::Display::fmt(why, f),
            Self::KeyUnusable(why) => fmt::Display::fmt(why, f),
            Self::SignatureExpired => {
                f.write_str("the OpenPGP signature has expired or predates its key")
            }
            Self::TimeRequired => f.write_str(
                "the key or signature has an expiry time, so the decision needs the time (now)",
            ),
            Self::NotABundle => f.write_str("not a sigstore bundle; skipped"),
            Self::BundleRejected(problem) => fmt::Display::fmt(problem, f),
            Self::BundleOverBudget(over) => write!(f, "over budget: {over}"),
            Self::NotASignature { mime } => {
                write!(
                    f,
                    "a sigstore attachment of type {mime:?}, not a signature; skipped"
                )
            }
        }
    }
}

/// The one line that explains a denial: which requirement, and the most telling reason.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Headline<'d> {
    /// The 0-based index of the requirement that denied.
    pub requirement: usize,
    /// Its type.
    pub requirement_type: &'static str,
    /// The signature whose rejection is shown, if the reason is a signature's.
    pub signature: Option<usize>,
    /// How many signatures the requirement checked.
    pub signatures_checked: usize,
    /// The reason shown.
    pub reason: &'d Reason,
}

impl Decision<'_> {
    /// One outcome per requirement of the deciding entry, in policy order.
    pub fn requirements(&self) -> &[RequirementOutcome] {
        self.requirements.as_slice()
    }

    /// The explanation of a denial (`None` when allowed). The requirement is the one that
    /// denied (evaluation stops there). When it checked signatures, the reason shown is the
    /// rejected signature with the highest [`Reason::rank`] (the earliest on ties); otherwise
    /// the requirement's own reason.
    pub fn headline(&self) -> Option<Headline<'_>> {
        if self.allowed {
            return None;
        }
        let (index, outcome) = self
            .requirements()
            .iter()
            .enumerate()
            .find(|(_, r)| r.verdict == Verdict::Denied)?;
        let rejected = outcome
            .signatures
            .iter()
            .filter(|s| s.verdict == SignatureVerdict::Rejected);
        let checked = rejected.clone().count();
        let best = rejected.fold(None::<&SignatureOutcome>, |best, s| match best {
            Some(b) if b.reason.rank() >= s.reason.rank() => Some(b),
            _ => Some(s),
        });
        let reason = match (best, &outcome.reason) {
            (Some(signature), _) => (Some(signature.index), &signature.reason),
            (None, Some(reason)) => (None, reason),
            (None, None) => return None,
        };
        Some(Headline {
            requirement: index,
            requirement_type: outcome.requirement,
            signature: reason.0,
            signatures_checked: checked,
            reason: reason.1,
        })
    }

    /// The headline as one line: where in the policy, which signature, why.
    pub fn message(&self) -> String {
        let Some(headline) = self.headline() else {
            return if self.allowed {
                String::new()
            } else {
                alloc::format!("{}: the requirement list is empty", self.scope)
            };
        };
        let mut line = match headline.signature {
            Some(index) if headline.signatures_checked > 1 => alloc::format!(
                "signature {} ({} signatures checked, none accepted): {}",
                index + 1,
                headline.signatures_checked,
                headline.reason
            ),
            Some(index) => alloc::format!("signature {}: {}", index + 1, headline.reason),
            None => alloc::format!("{}", headline.reason),
        };
        line.push_str(&alloc::format!(
            " ({} requirement {}, {})",
            self.scope,
            headline.requirement + 1,
            headline.requirement_type
        ));
        line
    }
}
