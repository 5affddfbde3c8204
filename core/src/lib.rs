//! vouch decides whether a container image may run.
//!
//! This crate is the decision core. It does no I/O: it reads no files, opens no sockets, looks
//! at no environment and reads no clock. Callers pass bytes and the time; the core answers.
//!
//! What is here so far:
//!
//! * [`Reference`]: docker image references in the two dialects that matter,
//!   containers/image's (policy evaluation) and distribution/reference's (the kubelet), with
//!   normalisation, familiar forms and [`Digest`]s validated as go-digest validates them.
//! * [`Policy`]: containers-policy.json(5), parsed exactly as strictly as containers/image 5.34
//!   parses it (and [`lint_policy`], which reports every problem); [`Evaluator`]: a compiled
//!   policy that decides [`Image`]s of all nine transports as `IsRunningImageAllowed` does, with
//!   a [`Decision`] that explains itself. Signature cryptography is not here yet: a signature
//!   requirement never accepts a signature, so an image that needs one is refused.
//! * [`manifest`]: manifest digests as containers/image computes them.
//! * [`json`]: the JSON interchange contract that the C library, the wasm module and the CLI
//!   all speak, so that every surface gives byte-identical answers.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod build;
mod error;
mod eval;
mod go;
mod image;
pub mod json;
pub mod manifest;
mod policy;
mod reference;
mod signature;
pub mod time;

/// Entry points for the fuzz targets only (`cargo fuzz` builds with `--cfg fuzzing`).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    /// The strict payload parse, both formats; never panics, and its plain reader never answers
    /// differently from its tree reading.
    pub fn payload(bytes: &[u8]) -> bool {
        use crate::signature::payload::{Format, parse, plain_agrees};
        for format in [Format::SimpleSigning, Format::Cosign] {
            assert!(
                plain_agrees(bytes, format),
                "the plain payload reader disagrees"
            );
        }
        let simple = parse(bytes, Format::SimpleSigning).is_ok();
        let cosign = parse(bytes, Format::Cosign).is_ok();
        simple || cosign
    }
}

pub use build::{BUILD, BuildInfo, CryptoBackend};
pub use error::Error;
pub use eval::{
    CompileOptions, Decision, Evaluator, Evidence, Headline, Reason, RequirementOutcome, Scope,
    SignatureOutcome, SignatureVerdict, Verdict,
};
pub use image::{
    DEFAULT_STORAGE_DRIVER, DEFAULT_STORAGE_ROOT, DockerImage, DockerImageError, Image, ImageError,
    ImageNamespaces, Namespace, Namespaces, Transport,
};
pub use policy::{
    Files, Fulcio, KeySource, KeyType, MAX_POLICY_BYTES, PathOrData, Pki, Policy, PolicyError,
    PolicyErrorKind, Problem, Remapped, Requirement, Severity, SignedBy, SignedIdentity,
    SigstoreSigned, SigstoreTrust, lint_policy,
};
pub use reference::{
    AnyReference, DEFAULT_DOMAIN, DEFAULT_TAG, Dialect, Digest, DigestAlgorithm, DigestError,
    NAME_TOTAL_LENGTH_MAX, PatternError, Reference, ReferenceError,
};
pub use signature::evidence::{SIGSTORE_SIGNATURE_MIME, Signature};
pub use signature::stored::{MAX_STORED_SIGNATURE, StoredSignatureError};
