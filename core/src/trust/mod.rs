//! Trust material for keyless signatures: X.509 certificates and certificate pools read as Go's
//! `crypto/x509` and sigstore's `cryptoutils` read them (`certificate`), from the bytes the
//! caller hands in. Chain verification, Fulcio's identity checks and Rekor's proofs build on
//! these.

pub(crate) mod certificate;
pub(crate) mod chain;
pub(crate) mod jcs;
pub(crate) mod keyless;
pub(crate) mod memo;
pub(crate) mod rekor;
pub(crate) mod view;
pub(crate) mod x509;
