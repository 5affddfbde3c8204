//! The six `signedIdentity` matchers: does a signature's claimed `docker-reference` fit the
//! image, as containers/image's `PolicyReferenceMatch` implementations decide.

use alloc::string::String;

use super::model::SignedIdentity;
use crate::reference::{Dialect, Reference};

impl SignedIdentity {
    /// Whether a signature claiming `signed` (its `docker-reference`, untrusted text) may vouch
    /// for an image whose own docker reference is `image` (`None` for images without one, such
    /// as `dir:` or `oci:` images). Text that is not a valid reference never matches.
    pub fn matches(&self, image: Option<&Reference>, signed: &str) -> bool {
        let Ok(signed) = Reference::parse_normalized(signed) else {
            return false;
        };
        self.matches_reference(image, &signed)
    }

    /// For `remapIdentity`: the image reference as signatures must name it (`None` for the
    /// other kinds).
    pub fn remap(&self, image: &Reference) -> Option<Remapped> {
        match self {
            Self::RemapIdentity {
                prefix,
                signed_prefix,
            } => Some(remap(image, prefix, signed_prefix)),
            _ => None,
        }
    }

    /// [`SignedIdentity::matches`] with the signature's reference already parsed.
    pub fn matches_reference(&self, image: Option<&Reference>, signed: &Reference) -> bool {
        match self {
            Self::MatchExact => image.is_some_and(|image| {
                !image.is_name_only() && !signed.is_name_only() && signed.as_str() == image.as_str()
            }),
            Self::MatchRepoDigestOrExact => {
                image.is_some_and(|image| repo_digest_or_exact(image, signed))
            }
            Self::MatchRepository => image.is_some_and(|image| signed.name() == image.name()),
            Self::ExactReference(intended) => {
                !intended.is_name_only()
                    && !signed.is_name_only()
                    && signed.as_str() == intended.as_str()
            }
            Self::ExactRepository(intended) => signed.name() == intended.name(),
            Self::RemapIdentity {
                prefix,
                signed_prefix,
            } => {
                let Some(image) = image else {
                    return false;
                };
                match remap(image, prefix, signed_prefix) {
                    Remapped::Unchanged => repo_digest_or_exact(image, signed),
                    Remapped::To(remapped) => repo_digest_or_exact(&remapped, signed),
                    Remapped::Invalid => false,
                }
            }
        }
    }
}

/// `matchRepoDigestOrExact`: a tagged image needs exactly its reference to be signed (tag and
/// digest, when it has both); an image pinned by digest only accepts any signature of its
/// repository (the manifest digest is checked separately); a name alone never matches.
fn repo_digest_or_exact(image: &Reference, signed: &Reference) -> bool {
    if signed.is_name_only() {
        return false;
    }
    if image.tag().is_some() {
        signed.as_str() == image.as_str()
    } else if image.digest().is_some() {
        signed.name() == image.name()
    } else {
        false
    }
}

/// The outcome of rewriting an image reference for `remapIdentity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remapped {
    /// The prefix does not apply; the reference is used as it is.
    Unchanged,
    /// The rewritten reference.
    To(Reference),
    /// The rewritten text is not a canonical reference: nothing matches.
    Invalid,
}

/// Whether `name` is `prefix` or lies below it (`prefix/…`). A host prefix must equal the
/// whole host, port included.
pub(crate) fn name_has_prefix(name: &str, prefix: &str) -> bool {
    match name.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with('/'),
        None => false,
    }
}

/// `remapReferencePrefix`: replace the first occurrence of `prefix` in the full reference with
/// `signed_prefix`, then parse the result as a canonical reference.
pub(crate) fn remap(image: &Reference, prefix: &str, signed_prefix: &str) -> Remapped {
    if !name_has_prefix(image.name(), prefix) {
        return Remapped::Unchanged;
    }
    let text = image.as_str();
    // The name starts with the prefix, so its first occurrence is at the start.
    let mut rewritten = String::with_capacity(text.len() + signed_prefix.len());
    rewritten.push_str(signed_prefix);
    rewritten.push_str(&text[prefix.len()..]);
    match Reference::parse_named(&rewritten, Dialect::ContainersImage) {
        Ok(reference) => Remapped::To(reference),
        Err(_) => Remapped::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Reference {
        Reference::parse_normalized(s).unwrap()
    }

    #[test]
    fn default_matcher() {
        let m = SignedIdentity::MatchRepoDigestOrExact;
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert!(m.matches(
            Some(&r("busybox:latest")),
            "docker.io/library/busybox:latest"
        ));
        assert!(!m.matches(Some(&r("busybox:latest")), "busybox"));
        let pinned = r(&alloc::format!("busybox@{digest}"));
        assert!(m.matches(Some(&pinned), "busybox:anything"));
        assert!(!m.matches(Some(&pinned), "busybox"));
        assert!(!m.matches(None, "busybox:latest"));
        assert!(!m.matches(Some(&r("busybox")), "busybox"));
    }

    #[test]
    fn remapping() {
        let m = SignedIdentity::RemapIdentity {
            prefix: "mirror.example".into(),
            signed_prefix: "vendor.example".into(),
        };
        assert!(m.matches(
            Some(&r("mirror.example/ns/app:1")),
            "vendor.example/ns/app:1"
        ));
        assert!(!m.matches(
            Some(&r("mirror.example/ns/app:1")),
            "mirror.example/ns/app:1"
        ));
        assert!(!m.matches(
            Some(&r("mirror.example:5000/ns/app:1")),
            "vendor.example:5000/ns/app:1"
        ));
        assert!(name_has_prefix("docker.io/library/x", "docker.io/library"));
        assert!(!name_has_prefix("docker.io/library/x", "docker.io/lib"));
    }
}
