//! containers-policy.json(5): the model, strict parsing exactly as containers/image 5.34, and
//! the transports whose scopes it validates.

mod docker;
mod error;
mod json;
mod model;
mod parse;
mod transport;

pub use docker::{DockerImage, DockerImageError, Namespace, Namespaces};
pub use error::{PolicyError, PolicyErrorKind};
pub use model::{
    Fulcio, KeySource, KeyType, PathOrData, Pki, Policy, Requirement, SignedBy, SignedIdentity,
    SigstoreSigned, SigstoreTrust,
};
pub use parse::MAX_POLICY_BYTES;
pub use transport::Transport;

impl Policy {
    /// Parses a policy document, accepting exactly what containers/image's `NewPolicyFromBytes`
    /// accepts. Reads no files: key paths are kept as written.
    pub fn parse(document: &[u8]) -> Result<Self, PolicyError> {
        parse::parse_policy(document)
    }
}
