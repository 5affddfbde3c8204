//! Compiling one requirement: every key, keyring and certificate it names read once, from the
//! bytes the caller handed in, as containers/image reads them.

use alloc::string::String;
use alloc::vec::Vec;

use super::cache::{self, Id};
use super::decision::Reason;
use crate::policy::{
    Files, KeySource, KeyType, Requirement, SignedIdentity, SigstoreTrust, requirement_paths,
};
use crate::signature::keys;
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
}

/// Keys prepared at compile time, with the digest of the bytes they came from, which stands
/// for them in the verification cache's keys.
#[derive(Clone, Debug)]
pub(crate) struct Loaded<K> {
    pub(super) keys: K,
    pub(super) material: Id,
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
    /// Trust that needs Fulcio, PKI or Rekor verification, which this build does not do yet:
    /// the material (certificates or keys, then Rekor keys) is still read first, as upstream
    /// reads it, and then every signature is refused.
    Unavailable {
        /// The first file of the material that was not provided.
        missing: Option<String>,
        format: &'static str,
    },
}

impl Compiled {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Self::InsecureAcceptAnything => "insecureAcceptAnything",
            Self::Reject => "reject",
            Self::SignedBaseLayer => "signedBaseLayer",
            Self::SignedBy { .. } => "signedBy",
            Self::SigstoreSigned { .. } => "sigstoreSigned",
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
/// `keyDatas[i]`) and the bytes, `None` when the file was not provided.
pub(super) fn key_entries<'a>(
    source: &'a KeySource,
    files: &'a Files,
) -> Vec<(String, Option<&'a [u8]>)> {
    let file = |path: &String| (path.clone(), files.get(path).map(Vec::as_slice));
    match source {
        KeySource::Path(path) => alloc::vec![file(path)],
        KeySource::Paths(paths) => paths.iter().map(file).collect(),
        KeySource::Data(data) => alloc::vec![("keyData".into(), Some(data.as_slice()))],
        KeySource::Datas(datas) => datas
            .iter()
            .enumerate()
            .map(|(i, data)| (alloc::format!("keyDatas[{i}]"), Some(data.as_slice())))
            .collect(),
    }
}

/// The first path of `entries` that was not provided (upstream stops at the first file it
/// cannot read).
pub(super) fn first_missing(entries: &[(String, Option<&[u8]>)]) -> Option<String> {
    entries
        .iter()
        .find(|(_, bytes)| bytes.is_none())
        .map(|(label, _)| label.clone())
}

/// Every key of a `sigstoreSigned` requirement, in order; the first that is missing or does
/// not load decides (containers/image loads all keys before verifying with any).
pub(super) fn cosign_keys(
    source: &KeySource,
    files: &Files,
) -> Result<Loaded<Vec<CosignKey>>, Reason> {
    let entries = key_entries(source, files);
    let mut out = Vec::with_capacity(entries.len());
    let mut blobs = Vec::with_capacity(entries.len());
    for (source, bytes) in entries {
        let Some(bytes) = bytes else {
            return Err(Reason::KeyFileMissing(source));
        };
        blobs.push(bytes);
        let key = keys::from_pem(bytes)
            .and_then(|key| CosignKey::new(&key))
            .map_err(|problem| Reason::InvalidKey {
                source: source.clone(),
                problem: alloc::format!("{problem}"),
            })?;
        out.push(key);
    }
    Ok(Loaded {
        keys: out,
        material: cache::material_id(b"sigstoreSigned keys", &blobs),
    })
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
    let entries = key_entries(source, files);
    if let Some(path) = first_missing(&entries) {
        return Err(Reason::KeyFileMissing(path));
    }
    let blobs: Vec<&[u8]> = entries.iter().filter_map(|(_, bytes)| *bytes).collect();
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

pub(super) fn compile_requirement(requirement: &Requirement, files: &Files) -> Compiled {
    match requirement {
        Requirement::InsecureAcceptAnything => Compiled::InsecureAcceptAnything,
        Requirement::Reject => Compiled::Reject,
        Requirement::SignedBaseLayer { .. } => Compiled::SignedBaseLayer,
        Requirement::SignedBy(signed_by) => Compiled::SignedBy {
            keys: gpg_keys(signed_by.key_type, &signed_by.keys, files),
            identity: signed_by.signed_identity.clone(),
        },
        Requirement::SigstoreSigned(sigstore) => {
            let identity = sigstore.signed_identity.clone();
            if let (SigstoreTrust::Keys(keys), None) = (&sigstore.trust, &sigstore.rekor) {
                return Compiled::SigstoreSigned {
                    trust: SigstoreCheck::Keys(cosign_keys(keys, files)),
                    identity,
                };
            }
            // Certificates or keys, then Rekor keys, in the order upstream reads them.
            let mut paths = Vec::new();
            requirement_paths(requirement, &mut paths);
            let format = match &sigstore.trust {
                SigstoreTrust::Keys(_) => "sigstore with Rekor",
                SigstoreTrust::Fulcio(_) => "sigstore with Fulcio",
                SigstoreTrust::Pki(_) => "sigstore with PKI certificates",
            };
            Compiled::SigstoreSigned {
                trust: SigstoreCheck::Unavailable {
                    missing: paths
                        .into_iter()
                        .find(|path| !files.contains_key(*path))
                        .map(String::from),
                    format,
                },
                identity,
            }
        }
    }
}
