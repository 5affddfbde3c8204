//! One signature decided as gpgme decides it: the message, its one signature, the signer
//! among the trusted keys, the cryptography, the key's standing, then the times.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::keyring::{Keyring, Standing};
use super::message::read_message;
use super::sig::{hash_name, kind};
use super::{MAX_MESSAGE, PgpError};

/// A signature whose cryptography and key have been checked; the time is still to check.
#[derive(Clone, Debug)]
pub(crate) struct Verified {
    /// The signed content.
    pub(crate) content: Vec<u8>,
    /// When the signature holds.
    pub(crate) validity: Validity,
}

/// The times that bound a verified signature: the rest of gpgme's checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Validity {
    /// The signing key's fingerprint as gpg prints it.
    pub(crate) fingerprint_hex: String,
    key_created: i64,
    /// The key's self-signatures, which decide its expiry and usage at `now`.
    standing: Standing,
    signature_expires: Option<i64>,
}

impl Validity {
    /// gpgme's time checks, in its order: a key created after `now` (a clock problem); the
    /// key's usage as its self-signatures give it at `now` (flags that forbid signing); then,
    /// when the key or the signature expires, the key's expiry and the signature's.
    pub(crate) fn check(&self, now: Option<i64>) -> Result<(), PgpError> {
        if now.is_some_and(|now| self.key_created > now) {
            return Err(PgpError::KeyUnusable(format!(
                "key {} was created in the future",
                self.fingerprint_hex
            )));
        }
        let usage = self.standing.at(now)?;
        if !usage.can_sign {
            return Err(PgpError::KeyUnusable(format!(
                "key {} is not allowed to sign",
                self.fingerprint_hex
            )));
        }
        if usage.expires.is_some() || self.signature_expires.is_some() {
            let now = now.ok_or(PgpError::NeedTime)?;
            if usage.expires.is_some_and(|at| at <= now) {
                return Err(PgpError::KeyUnusable(format!(
                    "key {} has expired",
                    self.fingerprint_hex
                )));
            }
            if self.signature_expires.is_some_and(|at| at <= now) {
                return Err(PgpError::SignatureExpired);
            }
        }
        Ok(())
    }
}

impl Keyring {
    /// Everything about `blob` that does not depend on the time: the message, its one
    /// signature, the signer, the cryptography and the key's standing. What is left to check
    /// against the time is in [`Verified::validity`]; the checks run in gpgme's order, so
    /// `verify_untimed` then [`Validity::check`] decides exactly as one pass would.
    pub(crate) fn verify_untimed(&self, blob: &[u8]) -> Result<Verified, PgpError> {
        if blob.len() > MAX_MESSAGE {
            return Err(PgpError::Malformed(format!(
                "{} bytes is more than {MAX_MESSAGE}",
                blob.len()
            )));
        }
        let message = read_message(blob)?;
        let [signature] = message.signatures.as_slice() else {
            return Err(PgpError::SignatureCount(message.signatures.len()));
        };
        if !matches!(signature.kind, kind::BINARY | kind::TEXT) {
            return Err(PgpError::Malformed(format!(
                "signature of type {:#04x}, not over a document",
                signature.kind
            )));
        }
        let trusted = self.signer(signature)?;
        let primary = &trusted.primary;
        if !message.hashed_with.contains(&signature.hash) {
            // gpg never computed this digest over the data, so the signature cannot verify.
            return Err(PgpError::Bad(format!(
                "the signature is over a {} digest, which the message did not announce before its data",
                hash_name(signature.hash)
            )));
        }
        let digest = signature.document_digest(&message.content).ok_or_else(|| {
            PgpError::Bad(format!(
                "{} signatures are not accepted",
                hash_name(signature.hash)
            ))
        })?;
        primary.verify(signature, &digest).map_err(PgpError::Bad)?;
        let key_created = i64::from(primary.created);
        // gpg takes a signature without a creation time as made at 0, before its key.
        let created = i64::from(signature.created.unwrap_or(0));
        if created < key_created {
            return Err(PgpError::SignatureExpired);
        }
        if trusted.revoked {
            return Err(PgpError::KeyRevoked(trusted.fingerprint_hex.clone()));
        }
        let signature_expires = signature
            .expires_after
            .filter(|&after| after > 0)
            .map(|after| created + i64::from(after));
        Ok(Verified {
            content: message.content,
            validity: Validity {
                fingerprint_hex: trusted.fingerprint_hex.clone(),
                key_created,
                standing: trusted.standing.clone(),
                signature_expires,
            },
        })
    }
}
