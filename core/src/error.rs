//! The crate-wide error, which wraps each module's own error enum.

use core::fmt;

use crate::image::ImageError;
use crate::policy::PolicyError;
use crate::reference::ReferenceError;
use crate::signature::stored::StoredSignatureError;

/// Any error the core reports. Each module's error is one variant.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An image reference could not be parsed.
    Reference(ReferenceError),
    /// A policy document was rejected.
    Policy(PolicyError),
    /// An image named through a transport could not be parsed.
    Image(ImageError),
    /// A signature in containers/image's stored format could not be read.
    StoredSignature(StoredSignatureError),
}

impl Error {
    /// The stable machine-readable class (`error_kind` in the JSON contract).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Reference(error) => error.kind(),
            Self::Policy(error) => error.kind().name(),
            Self::Image(error) => error.kind(),
            Self::StoredSignature(_) => "invalid_stored_signature",
        }
    }
}

impl From<ReferenceError> for Error {
    fn from(error: ReferenceError) -> Self {
        Self::Reference(error)
    }
}

impl From<PolicyError> for Error {
    fn from(error: PolicyError) -> Self {
        Self::Policy(error)
    }
}

impl From<ImageError> for Error {
    fn from(error: ImageError) -> Self {
        Self::Image(error)
    }
}

impl From<StoredSignatureError> for Error {
    fn from(error: StoredSignatureError) -> Self {
        Self::StoredSignature(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Reference(error) => fmt::Display::fmt(error, f),
            Self::Policy(error) => fmt::Display::fmt(error, f),
            Self::Image(error) => fmt::Display::fmt(error, f),
            Self::StoredSignature(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Reference(error) => Some(error),
            Self::Policy(error) => Some(error),
            Self::Image(error) => Some(error),
            Self::StoredSignature(error) => Some(error),
        }
    }
}
