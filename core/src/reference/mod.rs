//! Docker image references: parsing, normalisation, familiar forms and digests.
//!
//! Two dialects are implemented, because the programs vouch stands in for disagree:
//!
//! * [`Dialect::ContainersImage`] (the default) is the copy of docker/distribution's grammar
//!   inside containers/image (`docker/reference`). CRI-O, Podman and Skopeo match policy scopes
//!   and signature identities on what it produces.
//! * [`Dialect::Distribution`] is distribution/reference v0.6, which the kubelet uses. It accepts
//!   bracketed IPv6 hosts, treats an uppercase first component as a registry, and applies the
//!   255-character limit to the path only.
//!
//! Every parsing function mirrors the Go function of the same purpose, error for error. A parsed
//! [`Reference`] keeps its canonical text in one allocation and slices everything else from it.

mod digest;
mod error;
pub(crate) mod glob;
mod grammar;

use alloc::string::String;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};

pub use digest::{Digest, DigestAlgorithm, DigestError};
pub use error::ReferenceError;
pub use glob::PatternError;

/// The Docker Hub registry as normalised names spell it.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The legacy Docker Hub name that normalisation rewrites to [`DEFAULT_DOMAIN`].
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// The namespace of Docker Hub's official images.
const OFFICIAL_REPO_PREFIX: &str = "library/";
/// The tag a name-only reference gets (`TagNameOnly`).
pub const DEFAULT_TAG: &str = "latest";
/// The longest name allowed (whole name for containers/image, path for distribution/reference).
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// Which reference grammar to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// containers/image `docker/reference`: what policy evaluation uses.
    #[default]
    ContainersImage,
    /// distribution/reference v0.6: what the kubelet uses.
    Distribution,
}

impl Dialect {
    /// The dialect's name in the JSON contract and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Self::ContainersImage => "containers-image",
            Self::Distribution => "distribution",
        }
    }

    /// The dialect with the given [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "containers-image" => Some(Self::ContainersImage),
            "distribution" => Some(Self::Distribution),
            _ => None,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A named image reference: `[domain/]path[:tag][@digest]`.
///
/// Equality, ordering and hashing are those of the text ([`Reference::as_str`]).
#[derive(Clone)]
pub struct Reference {
    text: String,
    /// Start of the path; 0 when the name has no domain, else one past the `/` after the domain.
    path_start: usize,
    /// End of the name (`domain/path`).
    name_end: usize,
    tag: Option<(usize, usize)>,
    digest: Option<Digest>,
}

/// What [`AnyReference::parse`] found: a name, or a bare digest or image ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AnyReference {
    /// A named reference, normalised.
    Named(Reference),
    /// A digest-only reference (`sha256:…`, or a 64-hex image ID read as SHA-256).
    Digest(Digest),
}

impl AnyReference {
    /// `ParseAnyReference`: a 64-hex image ID, a digest, or else a normalised name.
    pub fn parse(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        if grammar::is_identifier(s.as_bytes()) {
            let mut hex = [0u8; 71];
            hex[..7].copy_from_slice(b"sha256:");
            hex[7..].copy_from_slice(s.as_bytes());
            let text = core::str::from_utf8(&hex).map_err(|_| ReferenceError::InvalidFormat)?;
            return Ok(Self::Digest(Digest::parse(text)?));
        }
        if let Ok(digest) = Digest::parse(s) {
            return Ok(Self::Digest(digest));
        }
        Reference::parse_normalized_in(s, dialect).map(Self::Named)
    }

    /// `FamiliarMatch`: whether the shell pattern (Go's `path.Match`) matches the familiar
    /// string or, for a name, the familiar name. A malformed pattern is an error.
    pub fn familiar_match(&self, pattern: &str) -> Result<bool, PatternError> {
        match self {
            Self::Named(reference) => reference.familiar_match(pattern),
            Self::Digest(digest) => {
                use alloc::string::ToString;
                glob::path_match(pattern, &digest.to_string())
            }
        }
    }
}

impl Reference {
    /// `ParseNormalizedNamed` in the containers/image dialect: the parser for user input,
    /// signature identities and policy references.
    ///
    /// ```
    /// use vouch::Reference;
    /// let r = Reference::parse_normalized("busybox:1.36")?;
    /// assert_eq!(r.as_str(), "docker.io/library/busybox:1.36");
    /// assert_eq!(r.familiar_string(), "busybox:1.36");
    /// # Ok::<(), vouch::ReferenceError>(())
    /// ```
    pub fn parse_normalized(s: &str) -> Result<Self, ReferenceError> {
        Self::parse_normalized_in(s, Dialect::ContainersImage)
    }

    /// `ParseNormalizedNamed` in the given dialect.
    pub fn parse_normalized_in(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        if grammar::is_identifier(s.as_bytes()) {
            return Err(ReferenceError::NameIsImageId { input: s.into() });
        }
        let split = split_docker_domain(s, dialect);
        let remote = split.remainder.split(':').next().unwrap_or_default();
        if go_lowercase_changes(remote) {
            return Err(remote_uppercase(split.library, remote, dialect));
        }
        let prefix = if split.library {
            OFFICIAL_REPO_PREFIX
        } else {
            ""
        };
        let mut text =
            String::with_capacity(split.domain.len() + 1 + prefix.len() + split.remainder.len());
        text.push_str(split.domain);
        text.push('/');
        text.push_str(prefix);
        text.push_str(split.remainder);
        let parts = Parts::parse(&text, dialect)?;
        Ok(parts.into_reference(text))
    }

    /// `ParseNormalizedNamed` over bytes that may not be UTF-8, with the errors Go gives for
    /// such strings (a repository part that is not valid UTF-8 counts as not lowercase).
    pub fn parse_normalized_bytes(s: &[u8], dialect: Dialect) -> Result<Self, ReferenceError> {
        match core::str::from_utf8(s) {
            Ok(s) => Self::parse_normalized_in(s, dialect),
            Err(_) => Err(invalid_utf8_error(s, dialect)),
        }
    }

    /// `ParseNamed`: [`parse_normalized_in`](Self::parse_normalized_in), and the input must
    /// already be the canonical text, else [`ReferenceError::NameNotCanonical`].
    pub fn parse_named(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        let reference = Self::parse_normalized_in(s, dialect)?;
        if reference.as_str() == s {
            Ok(reference)
        } else {
            Err(ReferenceError::NameNotCanonical)
        }
    }

    /// `ParseDockerRef`: normalise, drop the tag when a digest is present, else add `latest`
    /// to a name-only reference.
    pub fn parse_docker_ref(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        let reference = Self::parse_normalized_in(s, dialect)?;
        Ok(match reference.digest {
            Some(digest) if reference.tag.is_some() => reference.trim().with_digest(&digest),
            _ => reference.with_default_tag(),
        })
    }

    /// Raw `Parse`: the grammar without normalisation.
    ///
    /// Without normalisation `library/busybox` has the *domain* `library`; never use this for
    /// input from people or policies, use [`parse_normalized`](Self::parse_normalized). It exists
    /// for conformance tests and for texts that are already canonical.
    pub fn parse_unnormalized(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        let parts = Parts::parse(s, dialect)?;
        Ok(parts.into_reference(s.into()))
    }

    /// `WithName`: a name-only reference from `domain/path` text, unnormalised.
    pub fn with_name(name: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        if dialect == Dialect::ContainersImage {
            if name.is_empty() {
                return Err(ReferenceError::NameEmpty);
            }
            if name.len() > NAME_TOTAL_LENGTH_MAX {
                return Err(ReferenceError::NameTooLong);
            }
        }
        let path_start =
            grammar::match_name(name.as_bytes(), dialect).ok_or(ReferenceError::InvalidFormat)?;
        if dialect == Dialect::Distribution && name.len() - path_start > NAME_TOTAL_LENGTH_MAX {
            return Err(ReferenceError::NameTooLong);
        }
        Ok(Self {
            text: name.into(),
            path_start,
            name_end: name.len(),
            tag: None,
            digest: None,
        })
    }

    /// `WithTag`: this name with `tag`, keeping any digest.
    pub fn with_tag(&self, tag: &str) -> Result<Self, ReferenceError> {
        if !grammar::tag_syntax(tag.as_bytes()) {
            return Err(ReferenceError::TagInvalidFormat);
        }
        let name = self.name();
        let mut text = String::with_capacity(self.text.len() + tag.len() + 1);
        text.push_str(name);
        text.push(':');
        text.push_str(tag);
        let tag_range = (name.len() + 1, text.len());
        if let Some(at) = self.digest_text_start() {
            text.push_str(&self.text[at - 1..]);
        }
        Ok(Self {
            text,
            path_start: self.path_start,
            name_end: self.name_end,
            tag: Some(tag_range),
            digest: self.digest,
        })
    }

    /// `WithDigest`: this reference with `digest`, keeping any tag.
    pub fn with_digest(&self, digest: &Digest) -> Self {
        use core::fmt::Write as _;
        let end = self
            .digest_text_start()
            .map_or(self.text.len(), |at| at - 1);
        let mut text = String::with_capacity(end + 1 + 7 + 2 * digest.hash().len());
        text.push_str(&self.text[..end]);
        // Writing to a String cannot fail.
        let _ = write!(text, "@{digest}");
        Self {
            text,
            path_start: self.path_start,
            name_end: self.name_end,
            tag: self.tag,
            digest: Some(*digest),
        }
    }

    /// `TagNameOnly`: adds the tag `latest` when the reference has neither tag nor digest.
    pub fn with_default_tag(self) -> Self {
        if !self.is_name_only() {
            return self;
        }
        let mut text = String::with_capacity(self.text.len() + 1 + DEFAULT_TAG.len());
        text.push_str(&self.text);
        text.push(':');
        text.push_str(DEFAULT_TAG);
        let tag = Some((self.name_end + 1, text.len()));
        Self { text, tag, ..self }
    }

    /// `TrimNamed`: the name alone, without tag or digest.
    pub fn trim(&self) -> Self {
        Self {
            text: self.name().into(),
            path_start: self.path_start,
            name_end: self.name_end,
            tag: None,
            digest: None,
        }
    }

    /// The whole reference as text (Go's `String()`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The name: `domain/path` (Go's `Name()`).
    pub fn name(&self) -> &str {
        &self.text[..self.name_end]
    }

    /// The registry host and optional port; empty when the name has none.
    pub fn domain(&self) -> &str {
        match self.path_start {
            0 => "",
            start => &self.text[..start - 1],
        }
    }

    /// The repository path within the registry.
    pub fn path(&self) -> &str {
        &self.text[self.path_start..self.name_end]
    }

    /// The tag, if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.map(|(start, end)| &self.text[start..end])
    }

    /// The digest, if any.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// True when the reference has neither tag nor digest (`IsNameOnly`).
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The name as people write it: `docker.io/` and a lone `library/` removed (`FamiliarName`).
    pub fn familiar_name(&self) -> &str {
        &self.text[self.familiar_start()..self.name_end]
    }

    /// The whole reference as people write it (`FamiliarString`).
    pub fn familiar_string(&self) -> &str {
        &self.text[self.familiar_start()..]
    }

    /// `FamiliarMatch`: whether the shell pattern (Go's `path.Match`) matches
    /// [`familiar_string`](Self::familiar_string) or else [`familiar_name`](Self::familiar_name).
    /// A malformed pattern is an error, reported from the first attempt as Go does.
    pub fn familiar_match(&self, pattern: &str) -> Result<bool, PatternError> {
        let on_string = glob::path_match(pattern, self.familiar_string());
        if on_string == Ok(true) {
            return on_string;
        }
        let on_name = glob::path_match(pattern, self.familiar_name()).unwrap_or(false);
        on_string.map(|_| on_name)
    }

    fn familiar_start(&self) -> usize {
        if self.domain() != DEFAULT_DOMAIN {
            return 0;
        }
        match self.path().strip_prefix(OFFICIAL_REPO_PREFIX) {
            Some(rest) if !rest.contains('/') => self.path_start + OFFICIAL_REPO_PREFIX.len(),
            _ => self.path_start,
        }
    }

    /// Where the digest text starts (one past the `@`).
    fn digest_text_start(&self) -> Option<usize> {
        self.digest?;
        self.text.rfind('@').map(|at| at + 1)
    }
}

/// The result of matching the grammar, before the text is owned.
struct Parts {
    captures: grammar::Captures,
    digest: Option<Digest>,
}

impl Parts {
    /// Go's `Parse`, without building the reference.
    fn parse(s: &str, dialect: Dialect) -> Result<Self, ReferenceError> {
        if s.is_empty() {
            return Err(ReferenceError::NameEmpty);
        }
        let Some(captures) = grammar::match_reference(s.as_bytes(), dialect) else {
            let lowered_matches = go_lowercase_changes(s)
                && grammar::match_reference(go_lowercase(s).as_bytes(), dialect).is_some();
            return Err(if lowered_matches {
                ReferenceError::NameContainsUppercase
            } else {
                ReferenceError::InvalidFormat
            });
        };
        let limited = match dialect {
            Dialect::ContainersImage => captures.name_end,
            Dialect::Distribution => captures.name_end - captures.path_start,
        };
        if limited > NAME_TOTAL_LENGTH_MAX {
            return Err(ReferenceError::NameTooLong);
        }
        let digest = match captures.digest {
            Some((start, end)) => Some(Digest::parse(&s[start..end])?),
            None => None,
        };
        Ok(Self { captures, digest })
    }

    fn into_reference(self, text: String) -> Reference {
        Reference {
            text,
            path_start: self.captures.path_start,
            name_end: self.captures.name_end,
            tag: self.captures.tag,
            digest: self.digest,
        }
    }
}

/// Whether `s` is a whole `host[:port]` of the containers/image grammar.
pub(crate) fn grammar_is_domain(s: &str) -> bool {
    grammar::domain_syntax(s.as_bytes(), Dialect::ContainersImage)
}

/// Whether `s` is a whole name (`[domain/]path`) of the containers/image grammar.
pub(crate) fn grammar_is_name(s: &str) -> bool {
    grammar::match_name(s.as_bytes(), Dialect::ContainersImage).is_some()
}

/// The outcome of `splitDockerDomain`.
struct DomainSplit<'a> {
    domain: &'a str,
    /// Whether `library/` goes before the remainder.
    library: bool,
    remainder: &'a str,
}

fn split_docker_domain(s: &str, dialect: Dialect) -> DomainSplit<'_> {
    let explicit = s.split_once('/').filter(|(first, _)| match dialect {
        Dialect::ContainersImage => first.contains(['.', ':']) || *first == "localhost",
        Dialect::Distribution => {
            *first == "localhost"
                || *first == LEGACY_DEFAULT_DOMAIN
                || first.contains(['.', ':'])
                || go_lowercase_changes(first)
        }
    });
    let (domain, remainder) = match explicit {
        Some((LEGACY_DEFAULT_DOMAIN, rest)) => (DEFAULT_DOMAIN, rest),
        Some((domain, rest)) => (domain, rest),
        None => (DEFAULT_DOMAIN, s),
    };
    DomainSplit {
        domain,
        library: domain == DEFAULT_DOMAIN && !remainder.contains('/'),
        remainder,
    }
}

fn remote_uppercase(library: bool, remote: &str, dialect: Dialect) -> ReferenceError {
    let quoted = match dialect {
        Dialect::ContainersImage => None,
        Dialect::Distribution => {
            let prefix = if library { OFFICIAL_REPO_PREFIX } else { "" };
            let mut quoted = String::with_capacity(prefix.len() + remote.len());
            quoted.push_str(prefix);
            quoted.push_str(remote);
            Some(quoted.into_boxed_str())
        }
    };
    ReferenceError::RemoteNameContainsUppercase { quoted }
}

/// The error Go's `ParseNormalizedNamed` gives for a string that is not valid UTF-8: Go's
/// `strings.ToLower` replaces invalid bytes, so an invalid repository part reads as uppercase;
/// anywhere else the grammar cannot match.
fn invalid_utf8_error(s: &[u8], dialect: Dialect) -> ReferenceError {
    let changes = |bytes: &[u8]| core::str::from_utf8(bytes).map_or(true, go_lowercase_changes);
    let explicit = grammar::position(s, b'/').filter(|&slash| {
        let first = &s[..slash];
        let dotted = first.iter().any(|&b| b == b'.' || b == b':') || first == b"localhost";
        match dialect {
            Dialect::ContainersImage => dotted,
            Dialect::Distribution => {
                dotted || first == LEGACY_DEFAULT_DOMAIN.as_bytes() || changes(first)
            }
        }
    });
    let remainder = explicit.map_or(s, |slash| &s[slash + 1..]);
    let library = match explicit {
        Some(slash) => {
            let first = &s[..slash];
            (first == b"docker.io" || first == LEGACY_DEFAULT_DOMAIN.as_bytes())
                && !remainder.contains(&b'/')
        }
        None => !remainder.contains(&b'/'),
    };
    let remote = remainder.split(|&b| b == b':').next().unwrap_or_default();
    if changes(remote) {
        let lossy = String::from_utf8_lossy(remote);
        remote_uppercase(library, &lossy, dialect)
    } else {
        ReferenceError::InvalidFormat
    }
}

/// Go's `unicode.ToLower` for one character (simple case mapping).
fn go_lowercase_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        // Rust's mapping differs from the simple mapping only for U+0130, whose full lowercase
        // is "i̇"; its first character is the simple mapping, `i`.
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Whether Go's `strings.ToLower(s) != s`.
fn go_lowercase_changes(s: &str) -> bool {
    s.chars().any(|c| go_lowercase_char(c) != c)
}

/// Go's `strings.ToLower`.
fn go_lowercase(s: &str) -> String {
    s.chars().map(go_lowercase_char).collect()
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Reference").field(&self.text).finish()
    }
}

impl PartialEq for Reference {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Reference {}

impl Hash for Reference {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for Reference {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Reference {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

#[cfg(test)]
mod tests;
