//! Budgets: how much one bundle may make vouch read. Bundles come with the image, from the
//! registry, so each dimension is bounded and a bundle over a budget is refused with
//! [`BundleError::OverBudget`](super::BundleError::OverBudget) while it is read, before any
//! cryptography. sigstore-go bounds only log entries and time stamps (32 each); the other
//! defaults are far above what sigstore's clients write (a bundle is a few KiB, a checkpoint a
//! few hundred bytes, an inclusion proof at most 63 hashes), so they refuse only what no signer
//! makes.

use core::fmt;

/// The hard ceiling on [`BundleBudget::json_depth`]: the reader recurses once per level.
pub const MAX_JSON_DEPTH: usize = 128;

/// The limits one bundle is held to.
///
/// ```
/// use vouch::BundleBudget;
///
/// let budget = BundleBudget::default().with_bundle_bytes(64 * 1024).with_tlog_entries(4);
/// assert_eq!(budget.bundle_bytes, 64 * 1024);
/// assert_eq!(budget.proof_hashes, 64);
/// let error = vouch::Bundle::from_json_with(&[b' '; 70 * 1024], &budget).unwrap_err();
/// assert_eq!(error.to_string(), "over budget: bundle of 71680 bytes; at most 65536 (bundle_bytes)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BundleBudget {
    /// Bytes of the bundle document (default 4 MiB: DSSE attestations such as SBOMs are large).
    pub bundle_bytes: usize,
    /// Nesting of the bundle's JSON (default 32; at most [`MAX_JSON_DEPTH`]).
    pub json_depth: usize,
    /// Transparency-log entries (default 32, sigstore-go's own limit; a larger value still
    /// refuses more than 32, as sigstore-go does).
    pub tlog_entries: usize,
    /// RFC 3161 time stamps (default 32, sigstore-go's own limit, which holds above it too).
    pub timestamps: usize,
    /// Certificates in a v0.1 or v0.2 `x509CertificateChain` (default 10).
    pub chain_certificates: usize,
    /// Hashes in one inclusion proof (default 64: a tree of 2^63 leaves needs 63).
    pub proof_hashes: usize,
    /// Bytes of one checkpoint (signed note) (default 64 KiB).
    pub checkpoint_bytes: usize,
}

impl Default for BundleBudget {
    fn default() -> Self {
        Self {
            bundle_bytes: super::MAX_BUNDLE_BYTES,
            json_depth: 32,
            tlog_entries: super::MAX_TLOG_ENTRIES,
            timestamps: super::MAX_TIMESTAMPS,
            chain_certificates: 10,
            proof_hashes: 64,
            checkpoint_bytes: 64 * 1024,
        }
    }
}

macro_rules! with {
    ($($(#[$doc:meta])* $name:ident => $field:ident;)*) => {
        impl BundleBudget {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(mut self, n: usize) -> Self {
                    self.$field = n;
                    self
                }
            )*
        }
    };
}

with! {
    /// The budget with a bundle of at most `n` bytes.
    with_bundle_bytes => bundle_bytes;
    /// The budget with JSON nested at most `n` levels (capped at [`MAX_JSON_DEPTH`]).
    with_json_depth => json_depth;
    /// The budget with at most `n` log entries.
    with_tlog_entries => tlog_entries;
    /// The budget with at most `n` time stamps.
    with_timestamps => timestamps;
    /// The budget with at most `n` certificates in a chain.
    with_chain_certificates => chain_certificates;
    /// The budget with at most `n` hashes per inclusion proof.
    with_proof_hashes => proof_hashes;
    /// The budget with checkpoints of at most `n` bytes.
    with_checkpoint_bytes => checkpoint_bytes;
}

/// Which bundle budget was exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BundleLimit {
    /// [`BundleBudget::bundle_bytes`].
    BundleBytes,
    /// [`BundleBudget::json_depth`].
    JsonDepth,
    /// [`BundleBudget::tlog_entries`].
    TlogEntries,
    /// [`BundleBudget::timestamps`].
    Timestamps,
    /// [`BundleBudget::chain_certificates`].
    ChainCertificates,
    /// [`BundleBudget::proof_hashes`].
    ProofHashes,
    /// [`BundleBudget::checkpoint_bytes`].
    CheckpointBytes,
}

impl BundleLimit {
    /// The budget's field name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::BundleBytes => "bundle_bytes",
            Self::JsonDepth => "json_depth",
            Self::TlogEntries => "tlog_entries",
            Self::Timestamps => "timestamps",
            Self::ChainCertificates => "chain_certificates",
            Self::ProofHashes => "proof_hashes",
            Self::CheckpointBytes => "checkpoint_bytes",
        }
    }

    const fn what(self) -> &'static str {
        match self {
            Self::BundleBytes => "bundle of {} bytes",
            Self::JsonDepth => "JSON nested {} levels",
            Self::TlogEntries => "{} transparency-log entries",
            Self::Timestamps => "{} RFC 3161 time stamps",
            Self::ChainCertificates => "certificate chain of {} certificates",
            Self::ProofHashes => "inclusion proof of {} hashes",
            Self::CheckpointBytes => "checkpoint of {} bytes",
        }
    }
}

/// A bundle over one of its budgets: which, how much it has, and the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BundleOverBudget {
    /// The budget.
    pub limit: BundleLimit,
    /// What the bundle has (for the depth: the limit plus one, as the reader stops there).
    pub size: usize,
    /// The budget's value.
    pub max: usize,
}

impl fmt::Display for BundleOverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = self.limit.what().split_once("{}").unwrap_or(("", ""));
        write!(
            f,
            "{before}{}{after}; at most {} ({})",
            self.size,
            self.max,
            self.limit.name()
        )
    }
}

/// `Err` when `size` passes `max`.
pub(crate) fn check(limit: BundleLimit, size: usize, max: usize) -> Result<(), BundleOverBudget> {
    if size > max {
        return Err(BundleOverBudget { limit, size, max });
    }
    Ok(())
}
