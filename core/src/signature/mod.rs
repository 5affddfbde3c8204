//! Signature envelopes and their verification: the signed payload, public keys, cosign
//! signatures, OpenPGP simple signing, and the one interface to the cryptography.

pub(crate) mod crypto;
pub(crate) mod evidence;
pub(crate) mod key_problem;
pub(crate) mod keys;
#[cfg(feature = "openpgp")]
pub(crate) mod openpgp;
pub(crate) mod payload;
pub(crate) mod problem;
pub(crate) mod sigstore;
pub(crate) mod stored;
