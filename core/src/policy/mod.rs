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
pub use lint::{Problem, Severity, lint_policy, lint_policy_in};
pub use model::{
    BundleIdentity, BundleSigner, COSIGN_SIGN_PREDICATE, Fulcio, KeySource, KeyType, NameMatch,
    PathOrData, Pki, Policy, PolicyDialect, Requirement, SignedBy, SignedIdentity, SigstoreBundle,
    SigstoreSigned, SigstoreTrust,
};
pub use parse::MAX_POLICY_BYTES;
pub(crate) use parse::SIGSTORE_BUNDLE_TYPE;

impl Policy {
    /// Parses a policy document as containers/image's `NewPolicyFromBytes` does, with vouch's
    /// extension requirement (`vouchSigstoreBundle`) besides. Reads no files: key paths are
    /// kept as written.
    pub fn parse(document: &[u8]) -> Result<Self, PolicyError> {
        parse::parse_policy(document, PolicyDialect::Vouch)
    }

    /// Parses a policy document in `dialect`: [`PolicyDialect::ContainersImage`] accepts
    /// exactly what containers/image's `NewPolicyFromBytes` accepts.
    ///
    /// ```
    /// use vouch::{Policy, PolicyDialect};
    /// let doc = br#"{"default": [{"type": "vouchSigstoreBundle", "trustedRootPath": "/etc/vouch/trusted_root.json",
    ///     "identities": [{"issuer": "https://token.actions.githubusercontent.com",
    ///                     "subjectRegExp": "^https://github\\.com/org/"}]}]}"#;
    /// assert!(Policy::parse_with(doc, PolicyDialect::Vouch).is_ok());
    /// let refused = Policy::parse_with(doc, PolicyDialect::ContainersImage).unwrap_err();
    /// assert_eq!(refused.message(), r#"Unknown policy requirement type "vouchSigstoreBundle""#);
    /// ```
    pub fn parse_with(document: &[u8], dialect: PolicyDialect) -> Result<Self, PolicyError> {
        parse::parse_policy(document, dialect)
    }
}
