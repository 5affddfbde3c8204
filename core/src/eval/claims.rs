//! What a verified payload claims (the manifest digest and the identity), checked against the
//! image and the requirement's `signedIdentity`.

use super::cache::LastManifest;
use super::decision::Reason;
use crate::image::Image;
use crate::manifest::{ManifestError, manifest_digest};
use crate::policy::SignedIdentity;
use crate::reference::Digest;
use crate::signature::payload::Payload;

/// What a verified payload claims, checked against the image as containers/image checks it:
/// the manifest against the reference's digest (if any), the manifest against the signed
/// digest, then the signed identity against `signedIdentity`.
pub(super) fn check_claims(
    claims: &Payload,
    identity: &SignedIdentity,
    image: &Image,
    manifest: &ManifestDigest<'_>,
) -> Result<(), Reason> {
    let reference = image.docker_reference();
    if let Some(digest) = reference.and_then(|r| r.digest())
        && !manifest.matches(digest)?
    {
        return Err(Reason::ManifestNotReferenced { digest: *digest });
    }
    if !manifest.matches(&claims.manifest_digest)? {
        return Err(Reason::DigestMismatch {
            signed: claims.manifest_digest,
        });
    }
    if !identity.matches(reference, &claims.docker_reference) {
        return Err(Reason::IdentityMismatch {
            signed: claims.docker_reference.clone(),
        });
    }
    Ok(())
}

/// The manifest's digest, computed at most once per evaluation, and only when a signature
/// gets as far as the digest checks.
pub(super) struct ManifestDigest<'a> {
    pub(super) manifest: &'a [u8],
    pub(super) digest: core::cell::OnceCell<Result<Digest, ManifestError>>,
    /// The evaluator's last manifest and its digest, compared byte for byte.
    last: &'a LastManifest,
}

impl<'a> ManifestDigest<'a> {
    pub(super) fn new(manifest: &'a [u8], last: &'a LastManifest) -> Self {
        Self {
            manifest,
            digest: core::cell::OnceCell::new(),
            last,
        }
    }

    /// `manifest.MatchesDigest`: only sha256 is computed, so another algorithm never matches.
    pub(super) fn matches(&self, expected: &Digest) -> Result<bool, Reason> {
        Ok(self.digest()? == expected)
    }

    /// The manifest's digest as containers/image computes it (`manifest.Digest`).
    pub(super) fn digest(&self) -> Result<&Digest, Reason> {
        let digest = self.digest.get_or_init(|| {
            self.last.digest(self.manifest).unwrap_or_else(|| {
                let digest = manifest_digest(self.manifest);
                self.last.remember(self.manifest, &digest);
                digest
            })
        });
        digest
            .as_ref()
            .map_err(|e| Reason::ManifestUnreadable(e.clone()))
    }
}
