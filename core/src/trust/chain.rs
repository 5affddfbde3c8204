//! Certificate chains verified as Go's `(*x509.Certificate).Verify` verifies them for
//! containers/image (no DNS name, key usage `codeSigning`): the leaf checked, chains built
//! from the roots and the intermediates (every issuer's signature checked, every certificate
//! valid at the time, CAs marked as CAs, path lengths kept, no certificate twice), and one chain
//! whose extended key usages all allow code signing. What Go checks and vouch does not
//! implement — name constraints, certificate policy constraints and mappings — makes a chain
//! through that certificate fail (fail closed).

use alloc::vec::Vec;
use core::fmt;

use sha2::Digest as _;

use super::certificate::Certificate;
use super::memo::{ChainMemo, check_id};
use super::view::{SignatureAlgorithm, View};
use crate::crypto::{Hash, SignatureBytes};

/// Go's `maxChainSignatureChecks`.
const MAX_SIGNATURE_CHECKS: usize = 100;

/// Why a certificate does not chain to a trusted root (`certificate_invalid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainProblem {
    /// The certificate has a critical extension Go does not handle.
    UnhandledCriticalExtension,
    /// The certificate is not valid at the time of the check (expired or not yet valid).
    Expired,
    /// No chain to a trusted root: no issuer found, or no issuer whose signature, validity or
    /// constraints hold.
    UnknownAuthority,
    /// Chains exist, but none allows code signing.
    IncompatibleUsage,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnhandledCriticalExtension => {
                "the certificate has a critical extension that is not handled"
            }
            Self::Expired => "the certificate is not valid at the time of the check",
            Self::UnknownAuthority => "the certificate is not signed by a trusted authority",
            Self::IncompatibleUsage => {
                "no chain to a trusted authority allows the certificate to sign code"
            }
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Intermediate,
    Root,
}

/// Verifies `leaf` at `time` (Unix seconds) against `roots`, with `intermediates` as
/// untrusted helpers. `ignore_san` drops the SAN from the leaf's unhandled critical
/// extensions first, as containers/image does for Fulcio certificates.
pub(crate) fn verify(
    leaf: &Certificate,
    intermediates: &[&Certificate],
    roots: &[Certificate],
    time: i64,
    ignore_san: bool,
    checked: &ChainMemo,
) -> Result<(), ChainProblem> {
    verify_chains(
        leaf,
        intermediates,
        roots,
        time,
        ignore_san,
        checked,
        Usage::CodeSigning,
    )
    .map(drop)
}

/// The extended key usage a chain is verified for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage {
    CodeSigning,
    TimeStamping,
}

/// As [`verify`], returning the chains Go's `Verify` returns: every chain from the leaf to a
/// root whose certificates allow `usage`, the leaf first.
pub(crate) fn verify_chains<'c>(
    leaf: &'c Certificate,
    intermediates: &[&'c Certificate],
    roots: &'c [Certificate],
    time: i64,
    ignore_san: bool,
    checked: &ChainMemo,
    usage: Usage,
) -> Result<Vec<Vec<&'c Certificate>>, ChainProblem> {
    let unhandled = leaf
        .view
        .unhandled_critical
        .iter()
        .any(|oid| !(ignore_san && *oid == View::san_oid()));
    if unhandled {
        return Err(ChainProblem::UnhandledCriticalExtension);
    }
    if !valid_at(&leaf.view, time) {
        return Err(ChainProblem::Expired);
    }
    let root_refs: Vec<&Certificate> = roots.iter().collect();
    let chains = if roots.iter().any(|root| root.der == leaf.der) {
        alloc::vec![alloc::vec![leaf]]
    } else {
        let mut builder = Builder {
            roots: &root_refs,
            intermediates,
            time,
            signature_checks: 0,
            checked,
        };
        builder.chains(&[leaf])
    };
    if chains.is_empty() {
        return Err(ChainProblem::UnknownAuthority);
    }
    let allowed: Vec<_> = chains
        .into_iter()
        .filter(|chain| allows(chain, usage))
        .collect();
    if allowed.is_empty() {
        Err(ChainProblem::IncompatibleUsage)
    } else {
        Ok(allowed)
    }
}

fn valid_at(view: &View, time: i64) -> bool {
    view.not_before <= time && time <= view.not_after
}

struct Builder<'b, 'c> {
    roots: &'b [&'c Certificate],
    intermediates: &'b [&'c Certificate],
    time: i64,
    signature_checks: usize,
    checked: &'b ChainMemo,
}

impl<'c> Builder<'_, 'c> {
    /// Go's `buildChains`: every chain from `current` (whose last certificate is the one to
    /// find an issuer for) to a root, through the intermediates.
    fn chains(&mut self, current: &[&'c Certificate]) -> Vec<Vec<&'c Certificate>> {
        let mut out = Vec::new();
        let Some(child) = current.last() else {
            return out;
        };
        for (kind, pool) in [
            (Kind::Root, self.roots),
            (Kind::Intermediate, self.intermediates),
        ] {
            for &candidate in pool {
                if candidate.view.raw_subject != child.view.raw_issuer
                    || candidate.view.public_key.is_none()
                    || already_in_chain(candidate, current)
                {
                    continue;
                }
                self.signature_checks += 1;
                if self.signature_checks > MAX_SIGNATURE_CHECKS {
                    continue;
                }
                if !self.signed_by(child, candidate) || !self.valid(candidate, kind, current) {
                    continue;
                }
                let mut chain = current.to_vec();
                chain.push(candidate);
                match kind {
                    Kind::Root => out.push(chain),
                    _ => out.extend(self.chains(&chain)),
                }
            }
        }
        out
    }

    /// Go's `CheckSignatureFrom`, remembering the signatures of CA certificates that verified
    /// (a leaf's never repeats; an intermediate's does, signature after signature).
    fn signed_by(&self, child: &Certificate, parent: &Certificate) -> bool {
        if !may_sign(&parent.view) {
            return false;
        }
        if !child.view.is_ca {
            return signature_verifies(&child.view, parent);
        }
        let id = check_id(
            &child.view.raw_tbs,
            &child.view.signature,
            &parent.view.spki,
        );
        if self.checked.known(&id) {
            return true;
        }
        let verified = signature_verifies(&child.view, parent);
        if verified {
            self.checked.remember(id);
        }
        verified
    }

    /// Go's `isValid` for an issuer of `current`'s last certificate.
    fn valid(&self, cert: &Certificate, kind: Kind, current: &[&Certificate]) -> bool {
        let view = &cert.view;
        if !view.unhandled_critical.is_empty() || !valid_at(view, self.time) {
            return false;
        }
        if view.constraints_vouch_skips {
            return false;
        }
        if kind == Kind::Intermediate && !(view.basic_constraints && view.is_ca) {
            return false;
        }
        if view.basic_constraints && view.max_path_len >= 0 {
            let intermediates = i64::try_from(current.len()).unwrap_or(i64::MAX) - 1;
            if intermediates > i64::from(view.max_path_len) {
                return false;
            }
        }
        true
    }
}

/// Go's `alreadyInChain`: the same subject, key and SAN as a certificate already in the chain.
fn already_in_chain(candidate: &Certificate, chain: &[&Certificate]) -> bool {
    chain.iter().any(|cert| {
        cert.view.raw_subject == candidate.view.raw_subject
            && cert.view.spki == candidate.view.spki
            && cert.view.san == candidate.view.san
    })
}

/// The first half of Go's `CheckSignatureFrom`: the parent may sign certificates.
fn may_sign(parent: &View) -> bool {
    const CERT_SIGN: u16 = 1 << 5;
    !((parent.version == 3 && !parent.basic_constraints)
        || (parent.basic_constraints && !parent.is_ca)
        || (parent.key_usage != 0 && parent.key_usage & CERT_SIGN == 0))
}

/// The second half: the parent's key verifies the child's signature (never over SHA-1 or MD5).
fn signature_verifies(child: &View, parent: &Certificate) -> bool {
    let Some(key) = parent.verifying.as_ref() else {
        return false;
    };
    let tbs = &child.raw_tbs;
    match child.signature_algorithm {
        SignatureAlgorithm::Ed25519 => key.verify(tbs, SignatureBytes::Ed25519(&child.signature)),
        SignatureAlgorithm::Ecdsa(hash) => key.verify_digest(
            hash,
            &digest(hash, tbs),
            SignatureBytes::EcdsaDer(&child.signature),
        ),
        SignatureAlgorithm::RsaPkcs1(hash) => key.verify_digest(
            hash,
            &digest(hash, tbs),
            SignatureBytes::RsaPkcs1(&child.signature),
        ),
        SignatureAlgorithm::Insecure | SignatureAlgorithm::Unsupported => false,
    }
}

fn digest(hash: Hash, bytes: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        // Certificates over SHA-1 are refused before this.
        Hash::Sha1 => Vec::new(),
    }
}

/// Go's `checkChainForKeyUsage` for one usage: every certificate with extended key usages
/// allows it or any usage.
fn allows(chain: &[&Certificate], usage: Usage) -> bool {
    chain.iter().all(|cert| {
        let view = &cert.view;
        !view.has_eku
            || view.eku_any
            || match usage {
                Usage::CodeSigning => view.eku_code_signing,
                Usage::TimeStamping => view.eku_time_stamping,
            }
    })
}
