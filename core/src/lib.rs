//! vouch decides whether a container image may run, exactly as the tools Kubernetes nodes
//! already trust decide it.
//!
//! This crate is the decision core. It does no I/O: it reads no files, opens no sockets, looks
//! at no environment and reads no clock. Callers pass bytes and the time; the core answers.
//!
//! # The flow
//!
//! A node's policy (containers-policy.json(5)) is parsed once ([`Policy::parse`], as strictly
//! as containers/image 5.34), the files it names are handed in by the caller
//! ([`Policy::files_needed`], [`Files`]: their bytes, or that they could not be read), and it
//! is compiled once into an [`Evaluator`] (immutable, `Send + Sync`): keys, keyrings and
//! certificates are read then, and [`Evaluator::problems`] says up front which requirements
//! cannot accept anything, and why. Each pull is then
//! decided from the image's name ([`Image`], per [`Transport`]) and its [`Evidence`] (the
//! manifest, the signatures attached to it, the time), as `IsRunningImageAllowed` decides; the
//! [`Decision`] says which scope matched and, per requirement and per signature, why.
//!
//! ```
//! use vouch::{CompileOptions, Evaluator, Evidence, Files, Image, Policy, Reason, Transport};
//!
//! let policy = Policy::parse(br#"{
//!     "default": [{"type": "reject"}],
//!     "transports": {"docker": {
//!         "registry.example.com/public": [{"type": "insecureAcceptAnything"}],
//!         "registry.example.com/signed": [{"type": "sigstoreSigned", "keyPath": "/etc/pki/cosign.pub"}]
//!     }}
//! }"#)?;
//! assert_eq!(policy.files_needed(), ["/etc/pki/cosign.pub"]);
//! let files = Files::new(); // the caller reads the files it names; here, none exists
//! let evaluator = Evaluator::compile(&policy, &files, &CompileOptions::default());
//! let problems = evaluator.problems();
//! assert!(matches!(problems[0].reason, Reason::KeyFileMissing(path) if path == "/etc/pki/cosign.pub"));
//!
//! let manifest = br#"{"schemaVersion":2}"#;
//! let public = Image::parse(Transport::Docker, "registry.example.com/public/tools:1.2")?;
//! let decision = evaluator.evaluate(&public, &Evidence::new(manifest, &[]));
//! assert!(decision.allowed);
//!
//! // A signature is required here; without one (and without the key file) the image is
//! // refused, and the decision says why.
//! let signed = Image::parse(Transport::Docker, "registry.example.com/signed/app:2")?;
//! let decision = evaluator.evaluate(&signed, &Evidence::new(manifest, &[]));
//! assert!(!decision.allowed);
//! let headline = decision.headline().expect("a denial explains itself");
//! assert!(matches!(headline.reason, Reason::NoSignature { .. }));
//!
//! // Anything else falls to the global default.
//! let other = Image::parse(Transport::Docker, "quay.io/other/app")?;
//! assert!(!evaluator.evaluate(&other, &Evidence::new(manifest, &[])).allowed);
//! # Ok::<(), vouch::Error>(())
//! ```
//!
//! # What it does today
//!
//! * [`Reference`]: docker image references in the two dialects that matter,
//!   containers/image's (policy evaluation) and distribution/reference's (the kubelet), with
//!   normalisation, familiar forms and [`Digest`]s validated as go-digest validates them.
//! * [`Policy`], [`lint_policy`], [`Evaluator`]: containers-policy.json(5) for all nine
//!   transports: `insecureAcceptAnything`, `reject`, `signedBaseLayer`, `signedBy` (OpenPGP
//!   simple signing, keyrings imported exactly as gpg imports them, decided as containers/image
//!   with gpgme decides), `sigstoreSigned` with public keys (ECDSA P-256/P-384, RSA, Ed25519),
//!   with or without Rekor SETs, keyless with Fulcio certificates (and Rekor) or the policy's
//!   own PKI, and the six `signedIdentity` rules.
//! * Every denial explains itself with a [`Reason`] whose detail is typed
//!   ([`MalformedSignature`], [`PayloadError`], [`MaterialProblem`], [`KeyProblem`], ...).
//! * Cryptography from audited libraries only: aws-lc-rs (feature `aws-lc`, default), or the
//!   RustCrypto crates without it (wasm, `no_std`); [`BUILD`] says which.
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

pub mod admit;
mod build;
mod bundle;
mod crypto;
mod error;
mod eval;
mod go;
mod image;
pub mod json;
pub mod manifest;
pub mod metrics;
pub mod node;
mod policy;
mod reference;
mod signature;
mod time;
mod trust;

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

    /// Kubernetes node and admission input: `bytes` as a kubelet record and intent file (every
    /// release), a trust record, a docker config, a pod's `userns` file, a `vouch node` request
    /// and an admission line. Never panics; a record that reads is written back to bytes that
    /// read as the same record, and every admission line gets an AdmissionReview.
    pub fn node(bytes: &[u8]) -> usize {
        use crate::node::{
            IdAllocator, IdRanges, Keyring, KubernetesVersion, PodPullSecret, PullIntent,
            PulledRecord, TrustRecord,
        };
        let mut read = 0;
        for version in KubernetesVersion::ALL {
            if let Ok(record) = PulledRecord::decode(bytes, version) {
                let again = PulledRecord::decode(&record.encode(version), version)
                    .expect("a record written back reads");
                assert_eq!(again.credential_mapping, record.credential_mapping);
                assert_eq!(again.image_ref, record.image_ref);
                read += 1;
            }
            if let Ok(intent) = PullIntent::decode(bytes, version) {
                assert_eq!(
                    PullIntent::decode(&intent.encode(version), version).as_ref(),
                    Ok(&intent)
                );
                read += 1;
            }
        }
        if let Ok(record) = TrustRecord::decode(bytes) {
            assert_eq!(TrustRecord::decode(&record.encode()).as_ref(), Ok(&record));
            read += 1;
        }
        let secret = PodPullSecret {
            secret_type: crate::node::DOCKER_CONFIG_JSON.into(),
            data: [(".dockerconfigjson".into(), bytes.to_vec())].into(),
            ..PodPullSecret::default()
        };
        if let Ok(keyring) = Keyring::from_secrets(&[secret], KubernetesVersion::V1_36) {
            for repo in ["docker.io/library/nginx", "registry.example:5000/a/b", "x"] {
                read += keyring.lookup(repo).len();
            }
        }
        if let Ok(ranges) = IdRanges::new(65536, 65536 * 16, 65536, 0) {
            read += usize::from(IdAllocator::load(ranges, &[("pod", bytes)]).is_ok());
        }
        read += crate::json::node_line(bytes).len();
        let review: serde_json::Value =
            serde_json::from_str(&crate::admit::admit_line(bytes)).expect("an AdmissionReview");
        assert_eq!(review["kind"], "AdmissionReview");
        read + crate::admit::plan_line(bytes).len()
    }

    /// Certificates: `bytes` as a PEM file read both ways containers/image reads one, and as
    /// one DER certificate. Never panics; a certificate that parses is exactly DER (it encodes
    /// back to the bytes it was read from).
    pub fn certificates(bytes: &[u8]) -> usize {
        use crate::trust::certificate::{certificates_from_pem, parse, pool_from_pem};
        let pool = pool_from_pem(bytes).map_or(0, |c| c.len());
        let list = certificates_from_pem(bytes).map_or(0, |c| c.len());
        if let Ok(certificate) = parse(bytes) {
            assert_eq!(
                crate::trust::x509::reencode(&certificate.der).as_deref(),
                Some(bytes),
                "a certificate that is not DER was accepted"
            );
        }
        pool + list
    }

    /// Bundles and what they are verified with. The first byte selects: 0 a bundle
    /// (`Bundle::from_json`), 1 a trusted root, 2 a regular expression and a text to match
    /// (split at the first `0xff`), 3 a whole verification (two bytes, big-endian, of trusted
    /// root length, the root, then the bundle; the artifact is its digest in the bundle, the
    /// signer a fixed identity or, with a key-signed bundle, nothing to match). Never panics.
    pub fn bundles(bytes: &[u8]) -> bool {
        use crate::bundle::{Artifact, Bundle, Expected, TrustedRoot, verify_bundle};
        let Some((&selector, rest)) = bytes.split_first() else {
            return false;
        };
        match selector % 4 {
            0 => Bundle::from_json(rest).is_ok(),
            1 => TrustedRoot::from_json(rest).is_ok(),
            2 => {
                let (pattern, text) = match rest.iter().position(|&b| b == 0xff) {
                    Some(at) => (&rest[..at], &rest[at + 1..]),
                    None => (rest, &[][..]),
                };
                let (Ok(pattern), Ok(text)) =
                    (core::str::from_utf8(pattern), core::str::from_utf8(text))
                else {
                    return false;
                };
                crate::go::regexp::Regexp::new(pattern).is_ok_and(|re| re.is_match(text))
            }
            _ => {
                let Some((length, rest)) = rest.split_first_chunk::<2>() else {
                    return false;
                };
                let length = usize::from(u16::from_be_bytes(*length)).min(rest.len());
                let (root, bundle) = rest.split_at(length);
                let (Ok(root), Ok(bundle)) =
                    (TrustedRoot::from_json(root), Bundle::from_json(bundle))
                else {
                    return false;
                };
                let digest = match &bundle.content {
                    crate::bundle::model::Content::Message {
                        digest: Some((_, d)),
                        ..
                    } => d.clone(),
                    _ => alloc::vec![0; 32],
                };
                let artifact = Artifact::Digest {
                    algorithm: "sha256",
                    digest: &digest,
                };
                let expected = Expected::Identity {
                    subject: "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
                    issuer: "https://token.actions.githubusercontent.com",
                };
                verify_bundle(&bundle, artifact, &root, expected).is_ok()
            }
        }
    }
}

pub use build::{BUILD, BuildInfo, CryptoBackend};
pub use bundle::{
    Artifact, Bundle, BundleBudget, BundleError, BundleLimit, BundleOverBudget, BundleVerified,
    CheckpointError, EntryError, Expected, IdentityError, InclusionError, MAX_BUNDLE_BYTES,
    MAX_JSON_DEPTH, MAX_TIMESTAMPS, MAX_TLOG_ENTRIES, MAX_TRUSTED_ROOT_BYTES, SctError,
    TRUSTED_ROOT_MEDIA_TYPE, TimestampError, TlogError, TrustedRoot, TrustedRootError, VerifyError,
    verify_bundle,
};
pub use crypto::keys::KeyError;
pub use error::Error;
pub use eval::{
    Budget, BundleProblem, CompileOptions, CompileProblem, Decision, Evaluator, Evidence, Headline,
    MaterialProblem, OverBudget, Reason, RequirementOutcome, Scope, SignatureBudget,
    SignatureOutcome, SignatureVerdict, Verdict,
};
pub use go::path::clean_path;
pub use go::protojson::ProtoJsonError;
pub use go::regexp::{Regexp, RegexpError};
pub use image::{
    DockerImage, DockerImageError, Image, ImageError, ImageNamespaces, Namespace, Namespaces,
    Transport,
};
pub use policy::{
    BundleIdentity, BundleSigner, COSIGN_SIGN_PREDICATE, FileLookup, Files, Fulcio, KeySource,
    KeyType, MAX_POLICY_BYTES, NameMatch, PathOrData, Pki, Policy, PolicyDialect, PolicyError,
    PolicyErrorKind, Problem, Remapped, Requirement, Severity, SignedBy, SignedIdentity,
    SigstoreBundle, SigstoreSigned, SigstoreTrust, lint_policy, lint_policy_in,
};
pub use reference::{
    AnyReference, DEFAULT_DOMAIN, DEFAULT_TAG, Dialect, Digest, DigestAlgorithm, DigestError,
    NAME_TOTAL_LENGTH_MAX, PatternError, Reference, ReferenceError,
};
pub use signature::evidence::{SIGSTORE_SIGNATURE_MIME, Signature};
pub use signature::key_problem::{KeyProblem, UnsupportedKey, Untrusted};
pub use signature::problem::{MalformedSignature, OpenPgpProblem, PayloadError};
pub use signature::stored::{MAX_STORED_SIGNATURE, StoredSignatureError};
pub use time::UnixTime;
pub use trust::certificate::CertificateError;
pub use trust::chain::ChainProblem;
pub use trust::keyless::CertificateProblem;
pub use trust::rekor::{MAX_REKOR_SET, RekorProblem};
