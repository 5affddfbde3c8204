//! Signature envelopes and their verification: the evidence, the signed payload, cosign
//! signatures, OpenPGP simple signing (the cryptography and public keys are `crypto`'s).

pub(crate) mod evidence;
pub(crate) mod key_problem;
#[cfg(feature = "openpgp")]
pub(crate) mod openpgp;
pub(crate) mod payload;
pub(crate) mod problem;
pub(crate) mod sigstore;
pub(crate) mod stored;
