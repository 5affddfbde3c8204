//! Sigstore bundles (`dev.sigstore.bundle.v1`, media types v0.1 to v0.3) verified as
//! sigstore-go verifies them, against a trusted root given as data (`root`): transparency-log
//! inclusion proofs (`merkle`), DSSE envelopes (`dsse`).

pub(crate) mod budget;
pub(crate) mod checkpoint;
pub(crate) mod dsse;
pub(crate) mod entry;
pub(crate) mod identity;
pub(crate) mod keys;
pub(crate) mod merkle;
pub(crate) mod model;
pub(crate) mod root;
pub(crate) mod sct;
pub(crate) mod tlog;
pub(crate) mod tsa;
pub(crate) mod verify;

pub use budget::{BundleBudget, BundleLimit, BundleOverBudget, MAX_JSON_DEPTH};
pub use checkpoint::CheckpointError;
pub use entry::EntryError;
pub use identity::IdentityError;
pub use merkle::InclusionError;
pub use model::{Bundle, BundleError, MAX_BUNDLE_BYTES, MAX_TLOG_ENTRIES};
pub use root::{MAX_TRUSTED_ROOT_BYTES, TRUSTED_ROOT_MEDIA_TYPE, TrustedRoot, TrustedRootError};
pub use sct::SctError;
pub use tlog::TlogError;
pub use tsa::{MAX_TIMESTAMPS, TimestampError};
pub use verify::{Artifact, BundleVerified, Expected, VerifyError, verify_bundle};
