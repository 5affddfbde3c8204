//! Compiling one requirement: every key, keyring and certificate it names read once, from the
//! bytes the caller handed in, as containers/image reads them.

use alloc::string::String;
use alloc::vec::Vec;

use super::cache::{self, Id};
use super::decision::Reason;
use crate::policy::{FileLookup, Files, KeySource, KeyType, Requirement, SignedIdentity};
#[cfg(feature = "openpgp")]
use crate::signature::openpgp::{self, Keyring};
use crate::signature::sigstore::CosignKey;

#[derive(Clone, Debug)]
pub(crate) enum Compiled {
    InsecureAcceptAnything,
    Reject,
    SignedBaseLayer,
    SignedBy {
        /// The imported keyring, or why every signature is refused.
        keys: Result<Loaded<Keyring>, Reason>,
        identity: SignedIdentity,
    },
    SigstoreSigned {
        trust: SigstoreCheck,
        identity: SignedIdentity,
    },
    /// `vouchSigstoreBundle`: the trusted root and signer, or why every bundle is refused.
    SigstoreBundle(Result<super::sigstore_bundle::BundleTrust, Reason>),
}

/// Keys prepared at compile time, with the digest of the bytes they came from, which stands
/// for them in the verification cache's keys.
#[derive(Clone, Debug)]
pub(crate) struct Loaded<K> {
    pub(super) keys: K,
    pub(super) material: Id,
}

/// `sigstoreSigned` with public keys and Rekor keys.
#[derive(Clone, Debug)]
pub(crate) struct RekorTrust {
    pub(super) keys: Vec<CosignKey>,
    pub(super) rekor: Vec<crate::crypto::VerifyingKey>,
}

/// `sigstoreSigned` with `fulcio`: the CA certificates, the identity, the Rekor keys.
#[derive(Clone, Debug)]
pub(crate) struct FulcioTrust {
    pub(super) roots: Vec<crate::trust::certificate::Certificate>,
    pub(super) oidc_issuer: String,
    pub(super) email: String,
    pub(super) rekor: Vec<crate::crypto::VerifyingKey>,
    /// The certificate signatures of its chains already verified.
    pub(super) checked: crate::trust::memo::ChainMemo,
}

/// `sigstoreSigned` with `pki`: the roots, the trusted intermediates, the identity.
#[derive(Clone, Debug)]
pub(crate) struct PkiTrust {
    pub(super) roots: Vec<crate::trust::certificate::Certificate>,
    pub(super) intermediates: Vec<crate::trust::certificate::Certificate>,
    pub(super) email: String,
    pub(super) hostname: String,
    /// The certificate signatures of its chains already verified.
    pub(super) checked: crate::trust::memo::ChainMemo,
}

/// Without OpenPGP support there is never a keyring.
#[cfg(not(feature = "openpgp"))]
#[derive(Clone, Debug)]
pub(crate) enum Keyring {}

/// How a `sigstoreSigned` requirement checks a signature.
#[derive(Clone, Debug)]
pub(crate) enum SigstoreCheck {
    /// Public keys without Rekor: all of them prepared, or why they cannot be.
    Keys(Result<Loaded<Vec<CosignKey>>, Reason>),
    /// Public keys whose signatures a Rekor SET must vouch for, with the Rekor keys.
    KeysWithRekor(Loaded<RekorTrust>),
    /// Fulcio certificates, with the Rekor keys.
    Fulcio(Loaded<FulcioTrust>),
    /// Certificates from the policy's own PKI.
    Pki(Loaded<PkiTrust>),
    /// Trust that needs Fulcio, PKI or Rekor verification, which this build does not do yet:
    /// the material (certificates or keys, then Rekor keys) is still read first, as upstream
    /// reads it, and then every signature is refused: why (the first file that could not be
    /// read, or that the verification is unavailable).
    Unavailable(Reason),
}

impl Compiled {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Self::InsecureAcceptAnything => "insecureAcceptAnything",
            Self::Reject => "reject",
            Self::SignedBaseLayer => "signedBaseLayer",
            Self::SignedBy { .. } => "signedBy",
            Self::SigstoreSigned { .. } => "sigstoreSigned",
            Self::SigstoreBundle(_) => crate::policy::SIGSTORE_BUNDLE_TYPE,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct List {
    /// The transport name as the policy spells it; `None` for the global default.
    pub(super) transport: Option<String>,
    pub(super) scope: String,
    pub(super) requirements: Vec<Compiled>,
}

/// The key files or inline keys of a source, in order: a label (the path, or `keyData`,
/// `keyDatas[i]`) and what the caller found there.
pub(super) fn key_entries<'a>(
    source: &'a KeySource,
    files: &'a Files,
) -> Vec<(String, FileLookup<'a>)> {
    labelled_entries(source, files, "key")
}

/// [`key_entries`] for a source whose inline fields are `{prefix}Data` and `{prefix}Datas`.
pub(super) fn labelled_entries<'a>(
    source: &'a KeySource,
    files: &'a Files,
    prefix: &str,
) -> Vec<(String, FileLookup<'a>)> {
    let file = |path: &String| (path.clone(), files.lookup(path));
    match source {
        KeySource::Path(path) => alloc::vec![file(path)],
        KeySource::Paths(paths) => paths.iter().map(file).collect(),
        KeySource::Data(data) => {
            alloc::vec![(alloc::format!("{prefix}Data"), FileLookup::Read(data))]
        }
        KeySource::Datas(datas) => datas
            .iter()
            .enumerate()
            .map(|(i, data)| (alloc::format!("{prefix}Datas[{i}]"), FileLookup::Read(data)))
            .collect(),
    }
}

/// The bytes of one file, or why every signature is refused without them.
pub(super) fn file_bytes<'a>(label: &str, found: FileLookup<'a>) -> Result<&'a [u8], Reason> {
    match found {
        FileLookup::Read(bytes) => Ok(bytes),
        FileLookup::Unreadable(why) => Err(Reason::KeyFileUnreadable {
            path: label.into(),
            why: why.into(),
        }),
        FileLookup::Missing => Err(Reason::KeyFileMissing(label.into())),
    }
}

/// The bytes of every entry, in order, or why the first that cannot be read refuses every
/// signature (upstream stops at the first file it cannot read).
pub(super) fn all_bytes<'a>(entries: &[(String, FileLookup<'a>)]) -> Result<Vec<&'a [u8]>, Reason> {
    entries
        .iter()
        .map(|(label, found)| file_bytes(label, *found))
        .collect()
}

/// The keyring of a `signedBy` requirement, imported as gpgme imports it: every file must
/// exist (upstream stops at the first it cannot read); files without keys are skipped; no key
/// at all refuses every signature.
pub(super) fn gpg_keys(
    key_type: KeyType,
    source: &KeySource,
    files: &Files,
) -> Result<Loaded<Keyring>, Reason> {
    if key_type != KeyType::GpgKeys {
        return Err(Reason::KeyTypeUnimplemented(key_type));
    }
    let blobs = all_bytes(&key_entries(source, files))?;
    Ok(Loaded {
        keys: import_keyring(&blobs)?,
        material: cache::material_id(b"signedBy GPGKeys", &blobs),
    })
}

#[cfg(feature = "openpgp")]
pub(super) fn import_keyring(blobs: &[&[u8]]) -> Result<Keyring, Reason> {
    let keyring = openpgp::keyring(blobs);
    if keyring.len() == 0 {
        return Err(Reason::NoPublicKeys);
    }
    Ok(keyring)
}

#[cfg(not(feature = "openpgp"))]
pub(super) fn import_keyring(_: &[&[u8]]) -> Result<Keyring, Reason> {
    Err(Reason::VerificationUnavailable {
        format: "OpenPGP simple signing",
    })
}

pub(super) fn compile_requirement(
    requirement: &Requirement,
    files: &Files,
    options: &super::CompileOptions,
) -> Compiled {
    match requirement {
        Requirement::InsecureAcceptAnything => Compiled::InsecureAcceptAnything,
        Requirement::Reject => Compiled::Reject,
        Requirement::SignedBaseLayer { .. } => Compiled::SignedBaseLayer,
        Requirement::SignedBy(signed_by) => Compiled::SignedBy {
            keys: gpg_keys(signed_by.key_type, &signed_by.keys, files),
            identity: signed_by.signed_identity.clone(),
        },
        Requirement::SigstoreSigned(sigstore) => Compiled::SigstoreSigned {
            trust: super::material::sigstore_trust(sigstore, files),
            identity: sigstore.signed_identity.clone(),
        },
        Requirement::SigstoreBundle(bundle) => Compiled::SigstoreBundle(
            super::sigstore_bundle::compile(bundle, files, options.bundle_budget),
        ),
    }
}
