//! The signatures an image carries, as the registry returned them: the evidence the
//! requirements read.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// The MIME type of a cosign signature; other sigstore attachments are not signatures.
pub const SIGSTORE_SIGNATURE_MIME: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// A signature attached to the image's manifest, as the registry returned it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signature {
    /// containers-signature(5) simple signing: an OpenPGP message.
    Simple {
        /// The OpenPGP message bytes.
        blob: Vec<u8>,
    },
    /// A cosign signature (or another sigstore attachment): payload and annotations.
    Sigstore {
        /// The attachment's MIME type.
        mime: String,
        /// The payload bytes.
        payload: Vec<u8>,
        /// The layer annotations (`dev.cosignproject.cosign/signature`, ...).
        annotations: BTreeMap<String, String>,
    },
    /// A sigstore bundle attached through the OCI referrers API (cosign v3): its JSON bytes.
    /// containers/image does not read these; vouch's `vouchSigstoreBundle` requirement does.
    Bundle {
        /// The bundle document (`*.sigstore.json`).
        bundle: Vec<u8>,
    },
}

impl Signature {
    /// The kind as the JSON contract names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Simple { .. } => "simple",
            Self::Sigstore { .. } => "sigstore",
            Self::Bundle { .. } => "bundle",
        }
    }
}
