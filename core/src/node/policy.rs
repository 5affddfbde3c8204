//! The kubelet's `imagePullCredentialsVerificationPolicy` and its
//! `preloadedImagesVerificationAllowlist` (KEP-2535), and the image names records are keyed by.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::KubernetesVersion;
use crate::reference::{Dialect, Reference};

/// Which images on the node need the pod's credentials checked before a pod may use them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialPolicy {
    /// `NeverVerify`: any pod may use any image on the node (the behaviour before KEP-2535).
    NeverVerify,
    /// `NeverVerifyPreloadedImages` (the default): images the kubelet did not pull itself are
    /// usable by any pod; the others need a credential check.
    #[default]
    NeverVerifyPreloadedImages,
    /// `NeverVerifyAllowlistedImages`: only images on the allowlist are exempt, however they
    /// came to the node.
    NeverVerifyAllowlistedImages,
    /// `AlwaysVerify`: every image needs a credential check.
    AlwaysVerify,
}

impl CredentialPolicy {
    /// The kubelet configuration's name for the policy.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NeverVerify => "NeverVerify",
            Self::NeverVerifyPreloadedImages => "NeverVerifyPreloadedImages",
            Self::NeverVerifyAllowlistedImages => "NeverVerifyAllowlistedImages",
            Self::AlwaysVerify => "AlwaysVerify",
        }
    }

    /// The policy with the given [`name`](Self::name) (exact, as the kubelet compares it).
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::NeverVerify,
            Self::NeverVerifyPreloadedImages,
            Self::NeverVerifyAllowlistedImages,
            Self::AlwaysVerify,
        ]
        .into_iter()
        .find(|p| p.name() == name)
    }
}

/// Why an allowlist entry is refused, in the kubelet's words.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowlistError {
    /// Leading or trailing (Unicode) white space.
    Spaces(String),
    /// Empty, or `*` alone.
    TooShort(String),
    /// A `*` anywhere but a final `/*`.
    Wildcard(String),
    /// `/*`: no registry.
    NoRegistry,
    /// Not an image name.
    NotAnImage(String, String),
    /// A tag, a digest, or (before 1.36) a name that is not already normalised.
    NotAName(String),
}

impl fmt::Display for AllowlistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spaces(p) => write!(f, "leading/trailing spaces are not allowed: {p}"),
            Self::TooShort(p) => write!(f, "the supplied pattern is too short: {p}"),
            Self::Wildcard(p) => write!(
                f,
                "not a valid wildcard pattern, only patterns ending with '/*' are allowed: {p}"
            ),
            Self::NoRegistry => f.write_str("at least registry hostname is required"),
            Self::NotAnImage(_, why) => write!(f, "failed to parse as an image name: {why}"),
            Self::NotAName(p) => write!(
                f,
                "neither tag nor digest is accepted in an image reference: {p}"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AllowlistError {}

/// The image name a record is keyed by, and that the allowlist matches, as the kubelet of
/// `version` derives it from the image written in the pod: the normalised repository
/// (`docker.io/library/nginx`) until 1.35, the text as written with its tag and digest cut off
/// (`nginx`) from 1.36. `None` where the kubelet's parser refuses the image.
pub fn record_key(image: &str, version: KubernetesVersion) -> Option<String> {
    if version.raw_image_keys() {
        Reference::parse_unnormalized(image, Dialect::Distribution)
            .ok()
            .map(|r| r.name().to_string())
    } else {
        Reference::parse_normalized_in(image, Dialect::Distribution)
            .ok()
            .map(|r| r.name().to_string())
    }
}

/// A compiled verification policy: the policy and, for `NeverVerifyAllowlistedImages`, its
/// allowlist (exact names and `prefix/*` entries), validated as the kubelet of `version`
/// validates them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationPolicy {
    policy: CredentialPolicy,
    version: KubernetesVersion,
    exact: Vec<String>,
    prefixes: Vec<String>,
}

impl VerificationPolicy {
    /// `NewImagePullCredentialVerificationPolicy`: the allowlist is read only for
    /// `NeverVerifyAllowlistedImages` (the kubelet's configuration validation refuses an
    /// allowlist with any other policy; that check is [`validate_config`](Self::validate_config)).
    pub fn new<S: AsRef<str>>(
        policy: CredentialPolicy,
        allowlist: &[S],
        version: KubernetesVersion,
    ) -> Result<Self, AllowlistError> {
        let mut out = Self {
            policy,
            version,
            exact: Vec::new(),
            prefixes: Vec::new(),
        };
        if policy == CredentialPolicy::NeverVerifyAllowlistedImages {
            for pattern in allowlist {
                let (text, wildcard) = allowlist_pattern(pattern.as_ref(), version)?;
                if wildcard {
                    out.prefixes.push(text);
                } else {
                    out.exact.push(text);
                }
            }
        }
        Ok(out)
    }

    /// The kubelet configuration's own check (`validation.go`): a non-empty allowlist needs
    /// `NeverVerifyAllowlistedImages`, and every entry must be valid.
    pub fn validate_config<S: AsRef<str>>(
        policy: CredentialPolicy,
        allowlist: &[S],
        version: KubernetesVersion,
    ) -> Result<(), String> {
        if !allowlist.is_empty() && policy != CredentialPolicy::NeverVerifyAllowlistedImages {
            return Err(alloc::format!(
                "can't set `preloadedImagesVerificationAllowlist` if `imagePullCredentialsVertificationPolicy` is not \"NeverVerifyAllowlistedImages\", got {:?}",
                policy.name()
            ));
        }
        for pattern in allowlist {
            allowlist_pattern(pattern.as_ref(), version).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The policy.
    pub fn policy(&self) -> CredentialPolicy {
        self.policy
    }

    /// `RequireCredentialVerificationForImage`: whether a pod using `image` (as written) needs
    /// its credentials checked, given whether the kubelet pulled the image itself.
    pub fn requires_verification(&self, image: &str, pulled_by_kubelet: bool) -> bool {
        match self.policy {
            CredentialPolicy::NeverVerify => false,
            CredentialPolicy::NeverVerifyPreloadedImages => pulled_by_kubelet,
            CredentialPolicy::AlwaysVerify => true,
            CredentialPolicy::NeverVerifyAllowlistedImages => !self.allowlisted(image),
        }
    }

    /// Whether `image` is on the allowlist: until 1.35 the text as written, tag included;
    /// from 1.36 the text with its tag and digest cut off (or as written if it does not parse).
    pub fn allowlisted(&self, image: &str) -> bool {
        let name = if self.version.raw_image_keys() {
            record_key(image, self.version)
        } else {
            None
        };
        let name = name.as_deref().unwrap_or(image);
        self.exact.iter().any(|e| e == name)
            || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }
}

/// `getAllowlistImagePattern`: the stored text and whether it is a `prefix/*` entry.
fn allowlist_pattern(
    pattern: &str,
    version: KubernetesVersion,
) -> Result<(String, bool), AllowlistError> {
    if pattern != pattern.trim() {
        return Err(AllowlistError::Spaces(pattern.into()));
    }
    let (trimmed, wildcard) = match pattern.strip_suffix("/*") {
        Some(stem) => (&pattern[..stem.len() + 1], true),
        None => (pattern, false),
    };
    if trimmed.is_empty() {
        return Err(AllowlistError::TooShort(pattern.into()));
    }
    if trimmed.contains('*') {
        return Err(AllowlistError::Wildcard(pattern.into()));
    }
    if wildcard {
        if trimmed.len() == 1 {
            return Err(AllowlistError::NoRegistry);
        }
        return Ok((trimmed.into(), true));
    }
    let name = if version.raw_image_keys() {
        Reference::parse_unnormalized(trimmed, Dialect::Distribution)
    } else {
        Reference::parse_normalized_in(trimmed, Dialect::Distribution)
    }
    .map_err(|e| AllowlistError::NotAnImage(pattern.into(), e.to_string()))?;
    if name.name() != trimmed {
        return Err(AllowlistError::NotAName(pattern.into()));
    }
    Ok((trimmed.into(), false))
}
