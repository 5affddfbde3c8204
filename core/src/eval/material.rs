//! A `sigstoreSigned` requirement's trust material, read once at compile time in the order
//! containers/image 5.34 reads it (`prSigstoreSigned.prepareTrustRoot`): the public keys (every
//! file read, then every key parsed), the Fulcio CA certificates, the Rekor public keys (each
//! ECDSA), the PKI roots and intermediates. The first that cannot be read or used refuses
//! every signature, with containers/image's class of reason.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::cache;
use super::compile::{
    FulcioTrust, Loaded, PkiTrust, RekorTrust, SigstoreCheck, all_bytes, file_bytes,
    labelled_entries,
};
use super::decision::Reason;
use crate::crypto::VerifyingKey;
use crate::crypto::keys::{self, KeyError, PublicKey};
use crate::policy::{Files, KeySource, PathOrData, SigstoreSigned, SigstoreTrust};
use crate::signature::sigstore::CosignKey;
use crate::trust::certificate::{self, CertificateError};

/// Why trust material named by a requirement cannot be used (`invalid_key`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MaterialProblem {
    /// A public key (`keyPath`, `keyData`, `rekorPublicKey…`) vouch cannot use.
    Key(KeyError),
    /// A Rekor public key that is not ECDSA (containers/image: "Rekor public key … is not
    /// using ECDSA").
    RekorKeyNotEcdsa,
    /// CA certificates (Fulcio's or PKI's roots or intermediates) that do not load.
    Certificates(CertificateError),
    /// A `trusted_root.json` (`vouchSigstoreBundle`) that does not read.
    TrustedRoot(crate::bundle::TrustedRootError),
}

impl fmt::Display for MaterialProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(problem) => fmt::Display::fmt(problem, f),
            Self::RekorKeyNotEcdsa => f.write_str("a Rekor public key must be an ECDSA key"),
            Self::Certificates(problem) => fmt::Display::fmt(problem, f),
            Self::TrustedRoot(problem) => fmt::Display::fmt(problem, f),
        }
    }
}

impl From<KeyError> for MaterialProblem {
    fn from(problem: KeyError) -> Self {
        Self::Key(problem)
    }
}

fn invalid(source: &str, problem: impl Into<MaterialProblem>) -> Reason {
    Reason::InvalidKey {
        source: source.into(),
        problem: problem.into(),
    }
}

impl From<CertificateError> for MaterialProblem {
    fn from(problem: CertificateError) -> Self {
        Self::Certificates(problem)
    }
}

/// How a `sigstoreSigned` requirement checks signatures, its material read as upstream reads
/// it.
pub(super) fn sigstore_trust(sigstore: &SigstoreSigned, files: &Files) -> SigstoreCheck {
    match prepare(sigstore, files) {
        Err(reason) => SigstoreCheck::Unavailable(reason),
        Ok(Prepared::Keys(keys)) => SigstoreCheck::Keys(Ok(keys)),
        Ok(Prepared::KeysWithRekor(trust)) => SigstoreCheck::KeysWithRekor(trust),
        Ok(Prepared::Fulcio(trust)) => SigstoreCheck::Fulcio(trust),
        Ok(Prepared::Pki(trust)) => SigstoreCheck::Pki(trust),
    }
}

/// What a requirement's material prepares it for.
enum Prepared {
    Keys(Loaded<Vec<CosignKey>>),
    KeysWithRekor(Loaded<RekorTrust>),
    Fulcio(Loaded<FulcioTrust>),
    Pki(Loaded<PkiTrust>),
}

/// Every piece of trust material, in containers/image's order.
fn prepare(sigstore: &SigstoreSigned, files: &Files) -> Result<Prepared, Reason> {
    let keys = match &sigstore.trust {
        SigstoreTrust::Keys(source) => Some(cosign_keys(source, files)?),
        _ => None,
    };
    let mut blobs: Vec<Vec<u8>> = Vec::new();
    let mut fulcio_roots = None;
    if let SigstoreTrust::Fulcio(fulcio) = &sigstore.trust {
        let (label, bytes) = path_or_data(&fulcio.ca, files, "fulcio.caData")?;
        fulcio_roots = Some(certificate::pool_from_pem(bytes).map_err(|e| invalid(&label, e))?);
        blobs.push(bytes.to_vec());
    }
    let mut rekor_keys = Vec::new();
    let mut rekor_blobs = Vec::new();
    if let Some(rekor) = &sigstore.rekor {
        let entries = labelled_entries(rekor, files, "rekorPublicKey");
        rekor_blobs = all_bytes(&entries)?;
        for ((label, _), bytes) in entries.iter().zip(&rekor_blobs) {
            let key = keys::from_pem(bytes).map_err(|e| invalid(label, e))?;
            if !matches!(key, PublicKey::P256(_) | PublicKey::P384(_)) {
                return Err(invalid(label, MaterialProblem::RekorKeyNotEcdsa));
            }
            rekor_keys.push(VerifyingKey::new(&key).map_err(|e| invalid(label, e))?);
        }
    }
    let mut pki_trust = None;
    if let SigstoreTrust::Pki(pki) = &sigstore.trust {
        let (label, bytes) = path_or_data(&pki.ca_roots, files, "pki.caRootsData")?;
        let roots = certificate::pool_from_pem(bytes).map_err(|e| invalid(&label, e))?;
        blobs.push(bytes.to_vec());
        let mut intermediates = Vec::new();
        if let Some(source) = &pki.ca_intermediates {
            let (label, bytes) = path_or_data(source, files, "pki.caIntermediatesData")?;
            intermediates =
                certificate::certificates_from_pem(bytes).map_err(|e| invalid(&label, e))?;
            blobs.push(bytes.to_vec());
        }
        pki_trust = Some(PkiTrust {
            roots,
            intermediates,
            email: pki.subject_email.clone(),
            hostname: pki.subject_hostname.clone(),
            checked: Default::default(),
        });
    }
    Ok(match (keys, sigstore.rekor.is_some()) {
        (Some(keys), false) => Prepared::Keys(keys),
        (Some(Loaded { keys, material }), true) => {
            let mut blobs: Vec<&[u8]> = Vec::with_capacity(1 + rekor_blobs.len());
            blobs.push(&material);
            blobs.extend(rekor_blobs);
            Prepared::KeysWithRekor(Loaded {
                keys: RekorTrust {
                    keys,
                    rekor: rekor_keys,
                },
                material: cache::material_id(b"sigstoreSigned keys with Rekor", &blobs),
            })
        }
        (None, _) => {
            let mut all: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
            all.extend(rekor_blobs);
            match (&sigstore.trust, fulcio_roots, pki_trust) {
                (SigstoreTrust::Fulcio(fulcio), Some(roots), _) => Prepared::Fulcio(Loaded {
                    keys: FulcioTrust {
                        roots,
                        oidc_issuer: fulcio.oidc_issuer.clone(),
                        email: fulcio.subject_email.clone(),
                        rekor: rekor_keys,
                        checked: Default::default(),
                    },
                    material: cache::material_id(b"sigstoreSigned fulcio", &all),
                }),
                (_, _, Some(pki)) => Prepared::Pki(Loaded {
                    keys: pki,
                    material: cache::material_id(b"sigstoreSigned pki", &all),
                }),
                // Keys were read when the trust is keys.
                _ => return Err(Reason::VerificationUnavailable { format: "sigstore" }),
            }
        }
    })
}

/// The bytes of a `…Path`/`…Data` pair, with the label a reason names it by.
fn path_or_data<'a>(
    source: &'a PathOrData,
    files: &'a Files,
    data_label: &str,
) -> Result<(String, &'a [u8]), Reason> {
    match source {
        PathOrData::Path(path) => Ok((path.clone(), file_bytes(path, files.lookup(path))?)),
        PathOrData::Data(data) => Ok((data_label.into(), data)),
    }
}

/// Every key of a `sigstoreSigned` requirement: every file read (the first that cannot be
/// decides), then every key parsed (the first that does not load decides), as
/// containers/image loads all keys before verifying with any.
pub(super) fn cosign_keys(
    source: &KeySource,
    files: &Files,
) -> Result<Loaded<Vec<CosignKey>>, Reason> {
    let entries = labelled_entries(source, files, "key");
    let blobs = all_bytes(&entries)?;
    let mut out = Vec::with_capacity(blobs.len());
    for ((label, _), bytes) in entries.iter().zip(&blobs) {
        let key = keys::from_pem(bytes)
            .and_then(|key| CosignKey::new(&key))
            .map_err(|problem| invalid(label, problem))?;
        out.push(key);
    }
    Ok(Loaded {
        keys: out,
        material: cache::material_id(b"sigstoreSigned keys", &blobs),
    })
}
