//! vouch's `vouchSigstoreBundle` requirement: a sigstore bundle attached to the image (cosign
//! v3, through the OCI referrers API) whose artifact is the image's manifest, verified as
//! sigstore-go verifies it (`bundle::verify_bundle`), signed by an accepted identity or the
//! managed key, and of an accepted kind (a cosign signature, or the in-toto predicate types
//! the policy names).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::compile::file_bytes;
use super::decision::Reason;
use super::material::MaterialProblem;
use crate::bundle::{
    Artifact, Bundle, BundleBudget, BundleError, Expected, TrustedRoot, VerifyError, verify_bundle,
};
use crate::policy::{
    BundleIdentity, BundleSigner, COSIGN_SIGN_PREDICATE, Files, PathOrData, SigstoreBundle,
};

/// A compiled `vouchSigstoreBundle`: the trusted root read and the signer ready.
#[derive(Clone, Debug)]
pub(crate) struct BundleTrust {
    root: TrustedRoot,
    signer: Signer,
    predicate_types: Option<Vec<String>>,
    budget: BundleBudget,
}

#[derive(Clone, Debug)]
enum Signer {
    Identities(Vec<BundleIdentity>),
    /// The key's PEM, which reads.
    Key(Vec<u8>),
}

/// Why a bundle attached to the image is not accepted (`bundle_rejected`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleProblem {
    /// The bundle does not read.
    Unreadable(BundleError),
    /// The bundle does not verify for the manifest, the trusted root and the signer.
    NotVerified(VerifyError),
    /// The bundle verified, but it is not of a kind the requirement accepts.
    PredicateType {
        /// The statement's predicate type (`None`: a message signature).
        got: Option<String>,
        /// What the requirement accepts.
        accepted: Vec<String>,
    },
}

impl BundleProblem {
    /// How far the bundle got ([`Reason::rank`]): the identity and the kind come last.
    pub(super) const fn rank(&self) -> u8 {
        match self {
            Self::Unreadable(_) => 50,
            Self::NotVerified(VerifyError::Identity(_)) => 90,
            Self::PredicateType { .. } => 85,
            Self::NotVerified(_) => 60,
        }
    }
}

impl fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(e) => write!(f, "the bundle does not read: {e}"),
            Self::NotVerified(e) => write!(f, "the bundle does not verify: {e}"),
            Self::PredicateType {
                got: None,
                accepted,
            } => write!(
                f,
                "the bundle is a message signature, and the requirement accepts only in-toto statements of predicate type {}",
                accepted.join(", ")
            ),
            Self::PredicateType {
                got: Some(got),
                accepted,
            } => write!(
                f,
                "the bundle's statement has predicate type {got:?}, not one of {}",
                accepted.join(", ")
            ),
        }
    }
}

/// Reads the requirement's trusted root and key, as the files or inline data give them.
pub(super) fn compile(
    requirement: &SigstoreBundle,
    files: &Files,
    budget: BundleBudget,
) -> Result<BundleTrust, Reason> {
    let bytes = |source: &PathOrData, field: &str| -> Result<(String, Vec<u8>), Reason> {
        match source {
            PathOrData::Path(path) => {
                file_bytes(path, files.lookup(path)).map(|b| (path.clone(), b.to_vec()))
            }
            PathOrData::Data(data) => Ok((alloc::format!("{field}Data"), data.clone())),
        }
    };
    let (label, json) = bytes(&requirement.trusted_root, "trustedRoot")?;
    let root = TrustedRoot::from_json(&json).map_err(|e| Reason::InvalidKey {
        source: label,
        problem: MaterialProblem::TrustedRoot(e),
    })?;
    let signer = match &requirement.signer {
        BundleSigner::Identities(rules) => Signer::Identities(rules.clone()),
        BundleSigner::Key(source) => {
            let (label, pem) = bytes(source, "key")?;
            read_key(&pem).map_err(|problem| Reason::InvalidKey {
                source: label,
                problem,
            })?;
            Signer::Key(pem)
        }
    };
    Ok(BundleTrust {
        root,
        signer,
        predicate_types: requirement.predicate_types.clone(),
        budget,
    })
}

/// The key a bundle requirement names: one PEM `PUBLIC KEY` block vouch verifies with.
fn read_key(pem: &[u8]) -> Result<(), MaterialProblem> {
    crate::bundle::verify::managed_key(pem)
        .map(drop)
        .map_err(MaterialProblem::Key)
}

/// Checks one bundle (its JSON bytes) for the image: the manifest must be the one the
/// reference names (when it names a digest), and the bundle's artifact the manifest's digest
/// as containers/image computes it (for a schema 1 manifest, without its signatures).
pub(super) fn check_bundle(
    trust: &BundleTrust,
    bundle: &[u8],
    image: &crate::image::Image,
    manifest: &super::claims::ManifestDigest<'_>,
) -> Result<(), Reason> {
    if let Some(digest) = image.docker_reference().and_then(|r| r.digest())
        && !manifest.matches(digest)?
    {
        return Err(Reason::ManifestNotReferenced { digest: *digest });
    }
    let digest = manifest.digest()?;
    check(trust, bundle, digest.hash()).map_err(|problem| match problem {
        BundleProblem::Unreadable(BundleError::OverBudget(over)) => Reason::BundleOverBudget(over),
        problem => Reason::BundleRejected(problem),
    })
}

fn check(trust: &BundleTrust, bundle: &[u8], digest: &[u8]) -> Result<(), BundleProblem> {
    let bundle =
        Bundle::from_json_with(bundle, &trust.budget).map_err(BundleProblem::Unreadable)?;
    let expected = match &trust.signer {
        Signer::Identities(rules) => Expected::Identities(rules),
        Signer::Key(pem) => Expected::Key(pem),
    };
    let artifact = Artifact::Digest {
        algorithm: "sha256",
        digest,
    };
    let verified = verify_bundle(&bundle, artifact, &trust.root, expected)
        .map_err(BundleProblem::NotVerified)?;
    let accepted = match (&trust.predicate_types, &verified.predicate_type) {
        // A cosign signature: a message signature over the manifest, or cosign's statement.
        (None, None) => true,
        (None, Some(got)) => got == COSIGN_SIGN_PREDICATE,
        (Some(_), None) => false,
        (Some(types), Some(got)) => types.iter().any(|t| t == got),
    };
    if !accepted {
        return Err(BundleProblem::PredicateType {
            got: verified.predicate_type,
            accepted: trust
                .predicate_types
                .clone()
                .unwrap_or_else(|| alloc::vec![COSIGN_SIGN_PREDICATE.into()]),
        });
    }
    Ok(())
}
