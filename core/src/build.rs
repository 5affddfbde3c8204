//! What this build of vouch can do: the crypto backend and the optional capabilities chosen by
//! Cargo features. Every shipped artifact reports it (`vouch version --json`,
//! `vouch_build_info` in C, `buildInfo()` in JavaScript, `vouch_build_info` in the plain wasm
//! ABI), and the test command holds each artifact, built as the README builds it, to the
//! capabilities it must have.

use alloc::format;
use alloc::string::String;

/// The capabilities of this build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildInfo {
    /// The crate version.
    pub version: &'static str,
    /// The library every public-key operation goes through.
    pub crypto: CryptoBackend,
    /// Whether `signedBy` (OpenPGP simple signing) signatures are verified; without it they
    /// are all rejected.
    pub openpgp: bool,
    /// Whether evaluators keep a cache of verified signatures (it needs `std`).
    pub verification_cache: bool,
}

/// The library every public-key operation goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoBackend {
    /// aws-lc-rs (native builds, the default).
    AwsLcRs,
    /// The RustCrypto crates (wasm, `no_std`).
    RustCrypto,
}

impl CryptoBackend {
    /// The stable name: `aws-lc-rs` or `RustCrypto`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::AwsLcRs => "aws-lc-rs",
            Self::RustCrypto => "RustCrypto",
        }
    }
}

/// This build's capabilities.
pub const BUILD: BuildInfo = BuildInfo {
    version: env!("CARGO_PKG_VERSION"),
    crypto: if cfg!(feature = "aws-lc") {
        CryptoBackend::AwsLcRs
    } else {
        CryptoBackend::RustCrypto
    },
    openpgp: cfg!(feature = "openpgp"),
    verification_cache: cfg!(feature = "std"),
};

impl BuildInfo {
    /// As one JSON object:
    /// `{"version":"…","crypto":"aws-lc-rs","openpgp":true,"verification_cache":true}`.
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"version":"{}","crypto":"{}","openpgp":{},"verification_cache":{}}}"#,
            self.version,
            self.crypto.name(),
            self.openpgp,
            self.verification_cache
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_names_every_capability() {
        let json: serde_json::Value = serde_json::from_str(&BUILD.to_json()).unwrap();
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["crypto"], BUILD.crypto.name());
        assert_eq!(json["openpgp"], cfg!(feature = "openpgp"));
        assert_eq!(json["verification_cache"], cfg!(feature = "std"));
    }
}
