//! containers-policy.json(5): the model, strict parsing exactly as containers/image 5.34 (scopes
//! validated per transport by `image`), linting, the files a policy names, and the
//! `signedIdentity` rules.

mod error;
mod files;
mod identity;
mod lint;
mod model;
mod parse;

pub use error::{PolicyError, PolicyErrorKind};
pub use files::{FileLookup, Files};
pub use identity::Remapped;
pub use lint::{Problem, Severity, lint_policy};
pub use model::{
    Fulcio, KeySource, KeyType, PathOrData, Pki, Policy, Requirement, SignedBy, SignedIdentity,
    SigstoreSigned, SigstoreTrust,
};
pub use parse::MAX_POLICY_BYTES;

impl Policy {
    /// Parses a policy document, accepting exactly what containers/image's `NewPolicyFromBytes`
    /// accepts. Reads no files: key paths are kept as written.
    pub fn parse(document: &[u8]) -> Result<Self, PolicyError> {
        parse::parse_policy(document)
    }
}
