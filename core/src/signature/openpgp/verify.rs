//! One signature decided as gpgme decides it: the message, its one signature, the signer
//! among the trusted keys, the cryptography, the key's standing, then the times.

use alloc::string::String;
use alloc::vec::Vec;

use super::keyring::{Keyring, NEVER, Signer, Standing, Usage};
use super::message::{Message, read_message};
use super::sig::Sig;
use super::sig::kind;
use super::upper_hex;
use super::{MAX_MESSAGE, PgpError};
use crate::signature::key_problem::{KeyProblem, Untrusted};
use crate::signature::problem::OpenPgpProblem;

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
    /// Whether the key was revoked.
    revoked: bool,
    signature_expires: Option<i64>,
    /// When a subkey of the trusted key made the signature: its state. gpg verifies such a
    /// signature fully, and containers/image then refuses it (gpgme reports the subkey).
    subkey: Option<SubkeyState>,
}

/// What gpg checks of a signing subkey.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SubkeyState {
    fingerprint_hex: String,
    created: i64,
    usage: Usage,
    revoked: bool,
}

impl Validity {
    /// The rest of gpg's checks, in its order: a key created after `now` is one gpg could
    /// not have imported (an unknown key); the key's usage as its self-signatures give it at
    /// `now` (flags that forbid signing); then the status gpg reports, by its precedence: the
    /// signature expired, the key expired, the key revoked.
    pub(crate) fn check(&self, now: Option<i64>) -> Result<(), PgpError> {
        let created = self.subkey.as_ref().map_or(self.key_created, |s| s.created);
        if now.is_some_and(|now| self.key_created.max(created) > now) {
            return Err(PgpError::Untrusted(Untrusted::CreatedLater {
                key: self.fingerprint_hex.clone(),
            }));
        }
        let primary = self.standing.at(now)?;
        // The key that signed: the primary key, or the subkey.
        let (usage, signer, subkey) = match &self.subkey {
            Some(s) => (s.usage, &s.fingerprint_hex, true),
            None => (primary, &self.fingerprint_hex, false),
        };
        if !usage.can_sign {
            return Err(PgpError::KeyUnusable(KeyProblem::CannotSign {
                key: signer.clone(),
                subkey,
            }));
        }
        let sub_expires = if subkey { usage.expires } else { NEVER };
        let signature_expires = self.signature_expires.unwrap_or(NEVER);
        if primary.expires != NEVER || sub_expires != NEVER || signature_expires != NEVER {
            let now = now.ok_or(PgpError::NeedTime)?;
            if signature_expires <= now {
                return Err(PgpError::SignatureExpired);
            }
            if primary.expires <= now {
                return Err(PgpError::KeyUnusable(KeyProblem::Expired {
                    key: self.fingerprint_hex.clone(),
                    subkey: false,
                }));
            }
            if sub_expires <= now {
                return Err(PgpError::KeyUnusable(KeyProblem::Expired {
                    key: signer.clone(),
                    subkey: true,
                }));
            }
        }
        if self.revoked {
            return Err(PgpError::KeyUnusable(KeyProblem::Revoked {
                key: self.fingerprint_hex.clone(),
                subkey: false,
            }));
        }
        if let Some(s) = &self.subkey {
            if s.revoked {
                return Err(PgpError::KeyUnusable(KeyProblem::Revoked {
                    key: s.fingerprint_hex.clone(),
                    subkey: true,
                }));
            }
            return Err(PgpError::Untrusted(Untrusted::Subkey {
                subkey: s.fingerprint_hex.clone(),
            }));
        }
        Ok(())
    }
}

impl Keyring {
    /// Everything about `blob` that does not depend on the time: the message, its one
    /// signature, the signer, the cryptography and the key's standing. What is left to check
    /// against the time is in [`Verified::validity`]; the checks run in gpgme's order, so
    /// `verify_untimed` then [`Validity::check`] decides exactly as one pass would.
    #[cfg(test)]
    pub(crate) fn verify_untimed(&self, blob: &[u8]) -> Result<Verified, PgpError> {
        self.verify_at(blob, None)
    }

    /// [`Keyring::verify_untimed`], except that a signer created after `now` is refused before
    /// the cryptography, as gpg refuses a key it did not import. A verified signature is the
    /// same with any `now` ([`Validity::check`] repeats the check), so this never changes
    /// what a cache of verified signatures holds.
    pub(crate) fn verify_at(&self, blob: &[u8], now: Option<i64>) -> Result<Verified, PgpError> {
        if blob.len() > MAX_MESSAGE {
            return Err(PgpError::Malformed(OpenPgpProblem::TooLarge {
                bytes: blob.len(),
                limit: MAX_MESSAGE,
            }));
        }
        let message = read_message(blob)?;
        let signature = match message.signatures.as_slice() {
            [signature] => signature,
            signatures => {
                // gpg checks the signatures in order and, in batch mode, exits at the first
                // that is bad: gpgme then holds that one signature, and containers/image
                // reports its status. Any other outcome lets gpg go on, and the count decides.
                if let [first, ..] = signatures
                    && let Err(bad @ PgpError::Bad(_)) = self.check(&message, first, now)
                {
                    return Err(bad);
                }
                return Err(PgpError::Malformed(OpenPgpProblem::SignatureCount(
                    signatures.len(),
                )));
            }
        };
        let validity = self.check(&message, signature, now)?;
        Ok(Verified {
            content: message.content,
            validity,
        })
    }

    /// One signature of `message`, checked as gpg checks it, in gpg's order.
    fn check(
        &self,
        message: &Message,
        signature: &Sig,
        now: Option<i64>,
    ) -> Result<Validity, PgpError> {
        if !matches!(signature.kind, kind::BINARY | kind::TEXT) {
            return Err(PgpError::Malformed(OpenPgpProblem::SignatureType(
                signature.kind,
            )));
        }
        let (trusted, subkey) = match self.signer(signature)? {
            Signer::Primary(trusted) => (trusted, None),
            Signer::Subkey(trusted, subkey) => (trusted, Some(subkey)),
        };
        if let Some(subkey) = subkey
            && !subkey.bound()
        {
            return Err(PgpError::KeyUnusable(KeyProblem::Unbound {
                subkey: upper_hex(&subkey.key.fingerprint),
                key: trusted.fingerprint_hex.clone(),
            }));
        }
        let primary = subkey.map_or(&trusted.primary, |s| &s.key);
        if now.is_some_and(|now| i64::from(trusted.primary.created.max(primary.created)) > now) {
            return Err(PgpError::Untrusted(Untrusted::CreatedLater {
                key: trusted.fingerprint_hex.clone(),
            }));
        }
        // gpg's checks before the cryptography, in its order: the algorithms (a signature whose
        // key algorithm is not the key's, or whose digest gpg does not verify, is one it cannot
        // check), then the time (a signature older than its key is a time conflict).
        primary
            .same_algorithm(signature)
            .map_err(PgpError::Malformed)?;
        let digest = signature
            .document_digest(&message.content)
            .ok_or(PgpError::Malformed(OpenPgpProblem::HashAlgorithm(
                signature.hash,
            )))?;
        // gpg takes a signature without a creation time as made at 0, before its key.
        let created = i64::from(signature.created.unwrap_or(0));
        if created < i64::from(primary.created) {
            return Err(PgpError::SignatureExpired);
        }
        if !message.hashed_with.contains(&signature.hash) {
            // gpg never computed this digest over the data: it cannot check the signature.
            return Err(PgpError::Malformed(OpenPgpProblem::HashNotAnnounced(
                signature.hash,
            )));
        }
        primary.verify(signature, &digest).map_err(PgpError::Bad)?;
        if signature.unknown_critical {
            return Err(PgpError::Bad(String::from(
                "a critical subpacket of an unknown type",
            )));
        }
        let key_created = i64::from(trusted.primary.created);
        let signature_expires = signature
            .expires_after
            .filter(|&after| after > 0)
            .map(|after| created + i64::from(after));
        Ok(Validity {
            fingerprint_hex: trusted.fingerprint_hex.clone(),
            key_created,
            standing: trusted.standing.clone(),
            revoked: trusted.revoked,
            signature_expires,
            subkey: subkey.map(|s| SubkeyState {
                fingerprint_hex: upper_hex(&s.key.fingerprint),
                created: i64::from(s.key.created),
                usage: s.usage(),
                revoked: s.revoked,
            }),
        })
    }
}
