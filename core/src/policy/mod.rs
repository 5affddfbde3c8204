//! containers-policy.json(5): the model, strict parsing exactly as containers/image 5.34, and
//! the transports whose scopes it validates.

mod cache;
mod decision;
mod docker;
mod error;
mod evaluate;
mod identity;
mod image;
mod index;
mod lint;
mod model;
mod parse;
mod storage;
mod transport;

pub use decision::{
    Decision, Headline, Reason, RequirementOutcome, Scope, SignatureOutcome, SignatureVerdict,
    Verdict,
};
pub use docker::{DockerImage, DockerImageError, Namespace, Namespaces};
pub use error::{PolicyError, PolicyErrorKind};
pub use evaluate::{
    CompileOptions, Evaluator, Evidence, Files, SIGSTORE_SIGNATURE_MIME, Signature,
};
pub use identity::Remapped;
pub use image::{Image, ImageError, ImageNamespaces};
pub use lint::{Problem, Severity, lint_policy};
pub use model::{
    Fulcio, KeySource, KeyType, PathOrData, Pki, Policy, Requirement, SignedBy, SignedIdentity,
    SigstoreSigned, SigstoreTrust,
};
pub use parse::MAX_POLICY_BYTES;
pub use storage::{DEFAULT_STORAGE_DRIVER, DEFAULT_STORAGE_ROOT};
pub use transport::Transport;

impl Policy {
    /// Parses a policy document, accepting exactly what containers/image's `NewPolicyFromBytes`
    /// accepts. Reads no files: key paths are kept as written.
    pub fn parse(document: &[u8]) -> Result<Self, PolicyError> {
        parse::parse_policy(document)
    }
}
