//! Why a signer's key does not count: typed detail for the `key_unusable` and
//! `untrusted_key` reasons, so that callers can tell a revoked key from an expired one without
//! reading text.

use alloc::string::String;
use core::fmt;

/// Why the key that made a signature cannot be used (`key_unusable`). Keys are named by their
/// fingerprint as gpg prints it (upper-case hex).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// The key is revoked (by itself, or by a designated revoker), or the signing subkey is.
    Revoked {
        /// The revoked key's fingerprint.
        key: String,
        /// Whether it is a subkey of a trusted key.
        subkey: bool,
    },
    /// The key (or the signing subkey) has expired at the time of the decision.
    Expired {
        /// The expired key's fingerprint.
        key: String,
        /// Whether it is a subkey of a trusted key.
        subkey: bool,
    },
    /// The key's flags forbid signing.
    CannotSign {
        /// The key's fingerprint.
        key: String,
        /// Whether it is a subkey of a trusted key.
        subkey: bool,
    },
    /// The key was not imported: an algorithm or size vouch does not verify with.
    NotImported {
        /// The key's fingerprint.
        key: String,
        /// Which algorithm or parameters.
        why: UnsupportedKey,
    },
    /// A subkey that no valid binding signature ties to its key (gpg: "bad public key").
    Unbound {
        /// The subkey's fingerprint.
        subkey: String,
        /// Its primary key's fingerprint.
        key: String,
    },
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = |subkey: bool| if subkey { "subkey" } else { "key" };
        match self {
            Self::Revoked { key, subkey } => write!(f, "{} {key} is revoked", kind(*subkey)),
            Self::Expired { key, subkey } => write!(f, "{} {key} has expired", kind(*subkey)),
            Self::CannotSign { key, subkey } => {
                write!(f, "{} {key} is not allowed to sign", kind(*subkey))
            }
            Self::NotImported { key, why } => write!(f, "key {key} was not imported: {why}"),
            Self::Unbound { subkey, key } => write!(
                f,
                "subkey {subkey} of key {key} has no valid binding signature (gpg: bad public key)"
            ),
        }
    }
}

/// An OpenPGP key gpg imports but vouch does not verify with.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnsupportedKey {
    /// A public-key algorithm vouch does not verify with (its OpenPGP number: DSA, Elgamal, ...).
    Algorithm(u8),
    /// An RSA key of a size or exponent vouch does not verify with.
    Rsa {
        /// The modulus size in bits.
        bits: usize,
        /// What is wrong with it.
        problem: crate::crypto::keys::KeyError,
    },
    /// An ECDSA or EdDSA key whose point is not on its curve.
    OffCurve,
    /// An ECDSA or EdDSA key on a curve vouch does not support.
    Curve {
        /// The public-key algorithm.
        algorithm: u8,
        /// The curve OID's DER content bytes.
        oid: alloc::vec::Vec<u8>,
    },
}

impl fmt::Display for UnsupportedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::crypto::{RSA_MAX_BITS, RSA_MIN_BITS};
        use crate::signature::problem::algorithm_name;
        match self {
            Self::Algorithm(algorithm) => write!(
                f,
                "{} keys are not supported by vouch",
                algorithm_name(*algorithm)
            ),
            Self::Rsa { bits, problem } => write!(
                f,
                "an RSA key of {bits} bits: {problem} (vouch verifies {RSA_MIN_BITS}–{RSA_MAX_BITS} \
                 bits, odd exponents from 3 to 2^33 − 1)"
            ),
            Self::OffCurve => f.write_str("the key's point is not on its curve"),
            Self::Curve { algorithm, oid } => {
                write!(
                    f,
                    "{} on a curve vouch does not support (OID bytes ",
                    algorithm_name(*algorithm)
                )?;
                for byte in oid {
                    write!(f, "{byte:02x}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Why the key that made a signature is not a trusted identity (`untrusted_key`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Untrusted {
    /// No key of the requirement's keyring has this key ID or fingerprint.
    UnknownKey {
        /// The signature's issuer: a key ID or fingerprint, upper-case hex.
        issuer: String,
    },
    /// The key was created after the time of the decision: gpg, importing the keyring at that
    /// time as containers/image does, would not have imported it.
    CreatedLater {
        /// The key's fingerprint.
        key: String,
    },
    /// A subkey of a trusted key made the signature: gpgme reports the subkey's fingerprint,
    /// which containers/image does not accept as a trusted identity.
    Subkey {
        /// The subkey's fingerprint.
        subkey: String,
    },
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownKey { issuer } => {
                write!(f, "signed by key {issuer}, which is not trusted")
            }
            Self::CreatedLater { key } => write!(
                f,
                "signed by key {key}, created after the time of the decision (gpg would not import it)"
            ),
            Self::Subkey { subkey } => write!(
                f,
                "signed by subkey {subkey} of a trusted key; containers/image (gpgme) accepts only the primary key's signatures"
            ),
        }
    }
}
