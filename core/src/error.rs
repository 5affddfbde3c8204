//! The crate-wide error, which wraps each module's own error enum.

use core::fmt;

use crate::policy::PolicyError;
use crate::reference::ReferenceError;

/// Any error the core reports. Each module's error is one variant.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An image reference could not be parsed.
    Reference(ReferenceError),
    /// A policy document was rejected.
    Policy(PolicyError),
}

impl Error {
    /// The stable machine-readable class (`error_kind` in the JSON contract).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Reference(error) => error.kind(),
            Self::Policy(error) => error.kind().name(),
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Reference(error) => fmt::Display::fmt(error, f),
            Self::Policy(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Reference(error) => Some(error),
            Self::Policy(error) => Some(error),
        }
    }
}
