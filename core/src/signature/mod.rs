//! Signature envelopes and their verification: the signed payload, public keys, cosign
//! signatures, OpenPGP simple signing, and the one interface to the cryptography.

pub(crate) mod crypto;
pub(crate) mod der;
pub(crate) mod ecdsa_p256;
pub(crate) mod keys;
pub(crate) mod limb;
#[cfg(feature = "openpgp")]
pub(crate) mod openpgp;
pub(crate) mod payload;
pub(crate) mod pem;
pub(crate) mod rsa_pkcs1;
pub(crate) mod sigstore;
pub(crate) mod stored;
