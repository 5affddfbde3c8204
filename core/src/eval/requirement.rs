//! One requirement decided against the evidence: the requirement types without signatures,
//! and the loop over signatures (skip, check, accept) that `signedBy` and `sigstoreSigned`
//! share.

use alloc::vec::Vec;

use super::Evidence;
use super::cache::VerificationCache;
use super::claims::{ManifestDigest, check_claims};
use super::compile::Compiled;
use super::decision::{Reason, RequirementOutcome, SignatureOutcome, SignatureVerdict, Verdict};
use super::signed_by::check_simple;
use super::sigstore_signed::check_sigstore;
use crate::image::Image;
use crate::signature::evidence::{SIGSTORE_SIGNATURE_MIME, Signature};

pub(super) fn denied(
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

/// What one evaluation works with.
pub(super) struct Context<'a> {
    pub(super) image: &'a Image,
    pub(super) evidence: &'a Evidence<'a>,
    pub(super) manifest: ManifestDigest<'a>,
    pub(super) cache: &'a VerificationCache,
    pub(super) budget: &'a super::SignatureBudget,
}

pub(super) fn evaluate_requirement(
    compiled: &Compiled,
    context: &Context<'_>,
) -> RequirementOutcome {
    let Context {
        image,
        evidence,
        ref manifest,
        cache,
        budget,
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
                    check_simple(
                        keys,
                        blob,
                        evidence.now.map(crate::UnixTime::unix_seconds),
                        cache,
                    )
                    .and_then(|claims| check_claims(&claims, identity, image, manifest))
                    .err(),
                ),
                Signature::Sigstore { .. } | Signature::Bundle { .. } => {
                    Examined::OtherFormat(Reason::NotSimpleSigning)
                }
            })
        }
        Compiled::SigstoreSigned { trust, identity } => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { .. } | Signature::Bundle { .. } => {
                    Examined::OtherFormat(Reason::NotSigstore)
                }
                Signature::Sigstore { mime, .. } if mime != SIGSTORE_SIGNATURE_MIME => {
                    Examined::Attachment(Reason::NotASignature { mime: mime.clone() })
                }
                Signature::Sigstore {
                    payload,
                    annotations,
                    ..
                } => Examined::Checked(
                    budget
                        .check(annotations)
                        .map_err(Reason::OverBudget)
                        .and_then(|()| {
                            check_sigstore(
                                trust,
                                payload,
                                annotations,
                                evidence.now.map(crate::UnixTime::unix_seconds),
                                cache,
                            )
                        })
                        .and_then(|claims| check_claims(&claims, identity, image, manifest))
                        .err(),
                ),
            })
        }
        Compiled::SigstoreBundle(trust) => {
            signature_requirement(name, evidence, |signature| match signature {
                Signature::Simple { .. } | Signature::Sigstore { .. } => {
                    Examined::OtherFormat(Reason::NotABundle)
                }
                Signature::Bundle { bundle } => Examined::Checked(match trust {
                    Err(reason) => Some(reason.clone()),
                    Ok(trust) => {
                        super::sigstore_bundle::check_bundle(trust, bundle, image, manifest).err()
                    }
                }),
            })
        }
    }
}

/// What a signature requirement made of one signature.
pub(super) enum Examined {
    /// A signature of the other format: skipped.
    OtherFormat(Reason),
    /// A sigstore attachment that is not a signature: skipped.
    Attachment(Reason),
    /// Checked: `None` when accepted, else why not.
    Checked(Option<Reason>),
}

/// The structure shared by `signedBy` and `sigstoreSigned`: the first accepted signature
/// allows; otherwise the requirement denies, with "no signature" when none was of its format.
pub(super) fn signature_requirement(
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
