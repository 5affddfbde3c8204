//! Why a string is not a valid image reference.

use alloc::boxed::Box;
use core::fmt;

use super::DigestError;

/// Why a string is not a valid image reference in the chosen [`Dialect`](super::Dialect).
///
/// `Display` gives the reference implementation's own message, so that what vouch prints can be
/// searched for in containers/image and distribution/reference issues; [`ReferenceError::kind`]
/// gives the stable class of the JSON contract.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The text does not match the reference grammar.
    InvalidFormat,
    /// The text would match the grammar if it were lowercase (raw `Parse`).
    NameContainsUppercase,
    /// The repository part of a familiar name has uppercase letters (normalisation step).
    RemoteNameContainsUppercase {
        /// distribution/reference quotes the repository part in its message; containers/image
        /// does not, and then this is `None`.
        quoted: Option<Box<str>>,
    },
    /// The name is longer than 255 characters (the whole name for containers/image, the path
    /// for distribution/reference).
    NameTooLong,
    /// The text is empty.
    NameEmpty,
    /// The text is a valid reference but not in its canonical, fully qualified form.
    NameNotCanonical,
    /// The text is 64 lowercase hex characters, which would be ambiguous with an image ID.
    NameIsImageId {
        /// The input, which the message quotes.
        input: Box<str>,
    },
    /// A tag added to a name does not match the tag grammar.
    TagInvalidFormat,
    /// A digest added to a name does not match the reference grammar's digest syntax.
    DigestSyntax,
    /// The digest matched the grammar but go-digest rejects it.
    Digest(DigestError),
}

impl ReferenceError {
    /// The stable machine-readable class (`error_kind` in the JSON contract).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidFormat => "invalid_format",
            Self::NameContainsUppercase | Self::RemoteNameContainsUppercase { .. } => {
                "name_contains_uppercase"
            }
            Self::NameTooLong => "name_too_long",
            Self::NameEmpty => "name_empty",
            Self::NameNotCanonical => "name_not_canonical",
            Self::NameIsImageId { .. } => "name_is_image_id",
            Self::TagInvalidFormat => "tag_invalid",
            Self::DigestSyntax => DigestError::InvalidFormat.kind(),
            Self::Digest(error) => error.kind(),
        }
    }
}

impl From<DigestError> for ReferenceError {
    fn from(error: DigestError) -> Self {
        Self::Digest(error)
    }
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidFormat => f.write_str("invalid reference format"),
            Self::NameContainsUppercase => f.write_str("repository name must be lowercase"),
            Self::RemoteNameContainsUppercase { quoted: None } => {
                f.write_str("invalid reference format: repository name must be lowercase")
            }
            Self::RemoteNameContainsUppercase {
                quoted: Some(remote),
            } => write!(
                f,
                "invalid reference format: repository name ({remote}) must be lowercase"
            ),
            Self::NameTooLong => {
                f.write_str("repository name must not be more than 255 characters")
            }
            Self::NameEmpty => f.write_str("repository name must have at least one component"),
            Self::NameNotCanonical => f.write_str("repository name must be canonical"),
            Self::NameIsImageId { input } => write!(
                f,
                "invalid repository name ({input}), cannot specify 64-byte hexadecimal strings"
            ),
            Self::TagInvalidFormat => f.write_str("invalid tag format"),
            Self::DigestSyntax => f.write_str("invalid digest format"),
            Self::Digest(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl core::error::Error for ReferenceError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Digest(error) => Some(error),
            _ => None,
        }
    }
}
