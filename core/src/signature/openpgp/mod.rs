//! OpenPGP simple signing (`signedBy` with `keyType: GPGKeys`), decided as containers/image
//! 5.34 decides with its default gpgme mechanism (gpg 2.2). vouch reads the packets itself
//! (`packet`, `sig`, `key`, `armor`) and verifies with the same RustCrypto code as sigstore
//! signatures and its own RSA operation; the rules around it are gpgme's:
//!
//! * trusted identities are the primary-key fingerprints of the keys gpg would import (a key
//!   needs a valid self-signed user ID); a file that holds no key is skipped;
//! * a message carries exactly one signature, over one literal data packet (binary, possibly
//!   compressed, possibly armoured), or is a cleartext-signed message;
//! * the signing key must be trusted *as a primary key*: gpgme reports a signing subkey's own
//!   fingerprint, which containers/image then does not accept;
//! * revoked or expired keys, expired signatures, signatures older than their key, and keys
//!   whose flags forbid signing are refused;
//! * only version 4 keys and version 3 and 4 signatures are read, with SHA-1, RIPEMD-160 or
//!   SHA-2, by RSA (1,024–8,192 bits), ECDSA on P-256 or P-384, or EdDSA on Ed25519; other keys
//!   are not imported and other signatures are refused (docs/decisions.md lists them).
//!
//! Sizes are bounded: the message, every decompressed layer, the packet count and the nesting.

mod armor;
mod key;
mod keyring;
mod message;
mod packet;
mod sig;
#[cfg(test)]
mod tests;
mod verify;

pub(crate) use keyring::{Keyring, keyring};
pub(crate) use verify::Validity;

use alloc::format;
use alloc::string::String;

/// The largest OpenPGP message vouch reads.
pub(crate) const MAX_MESSAGE: usize = 4 * 1024 * 1024;
/// The largest signed content (after decompression).
pub(crate) const MAX_CONTENT: usize = 4 * 1024 * 1024;
const MAX_PACKETS: usize = 64;
const MAX_NESTING: usize = 4;

use core::fmt;

use crate::signature::key_problem::{KeyProblem, Untrusted};
use crate::signature::problem::OpenPgpProblem;

/// Why an OpenPGP signature is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PgpError {
    /// Not a message gpg would verify.
    Malformed(OpenPgpProblem),
    /// Signed by a key that is not a trusted identity.
    Untrusted(Untrusted),
    /// The signature does not verify.
    Bad(String),
    /// The signing key cannot be used.
    KeyUnusable(KeyProblem),
    /// The signature expired, or predates its key.
    SignatureExpired,
    /// The key or the signature expires, and the caller gave no time.
    NeedTime,
}

impl fmt::Display for PgpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(problem) => fmt::Display::fmt(problem, f),
            Self::Untrusted(why) => fmt::Display::fmt(why, f),
            Self::Bad(why) => write!(f, "the OpenPGP signature does not verify: {why}"),
            Self::KeyUnusable(why) => fmt::Display::fmt(why, f),
            Self::SignatureExpired => f.write_str("the signature has expired or predates its key"),
            Self::NeedTime => f.write_str("the key or signature expires, but no time was given"),
        }
    }
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
