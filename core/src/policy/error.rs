//! Why a policy document was rejected.

use alloc::string::String;
use core::fmt;

/// The class of a policy rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The document is larger than [`MAX_POLICY_BYTES`](super::MAX_POLICY_BYTES).
    TooLarge,
    /// The document is not valid JSON (or is nested too deeply).
    Syntax,
    /// A key appears twice in one object.
    DuplicateKey,
    /// A key is not one the object may have (or a scope the transport refuses).
    UnknownKey,
    /// A key the object must have is absent.
    MissingKey,
    /// A value has the wrong JSON type.
    WrongType,
    /// `default` is absent.
    MissingDefault,
    /// A requirement list is empty or `null`.
    EmptyRequirements,
    /// A requirement `type` is not known.
    UnknownRequirementType,
    /// A `signedIdentity` `type` is not known.
    UnknownIdentityType,
    /// A field's value is not acceptable (bad base64, bad reference, wrong combination).
    InvalidValue,
}

impl PolicyErrorKind {
    /// The stable machine-readable class.
    pub const fn name(self) -> &'static str {
        match self {
            Self::TooLarge => "policy_too_large",
            Self::Syntax => "policy_syntax",
            Self::DuplicateKey => "policy_duplicate_key",
            Self::UnknownKey => "policy_unknown_key",
            Self::MissingKey => "policy_missing_key",
            Self::WrongType => "policy_wrong_type",
            Self::MissingDefault => "policy_missing_default",
            Self::EmptyRequirements => "policy_empty_requirements",
            Self::UnknownRequirementType => "policy_unknown_requirement_type",
            Self::UnknownIdentityType => "policy_unknown_identity_type",
            Self::InvalidValue => "policy_invalid_value",
        }
    }
}

/// A rejected policy document: what is wrong, where (a JSON path and a line and column), in one
/// line a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    message: String,
    path: String,
    line: usize,
    column: usize,
}

impl PolicyError {
    pub(crate) fn new(
        kind: PolicyErrorKind,
        message: String,
        path: String,
        (line, column): (usize, usize),
    ) -> Self {
        Self {
            kind,
            message,
            path,
            line,
            column,
        }
    }

    /// The class of the error.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON path of the offending value, such as `$.transports.docker["quay.io"][0].keyPath`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The 1-based line of the offending value.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column (in characters) of the offending value.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.path, self.message
        )
    }
}

impl core::error::Error for PolicyError {}
