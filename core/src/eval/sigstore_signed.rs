//! `sigstoreSigned` with public keys: one cosign signature against the prepared keys.

use alloc::collections::BTreeMap;
use alloc::string::String;

use super::cache::{Claims, Entry, VerificationCache};
use super::compile::{Loaded, SigstoreCheck};
use super::decision::Reason;
use crate::signature::payload;
use crate::signature::problem::MalformedSignature;
use crate::signature::sigstore::SIGNATURE_ANNOTATION;

/// The cryptographic part of one cosign signature against a `sigstoreSigned` requirement, in
/// containers/image's order: trust material, the signature annotation, the signature with
/// each key, then the payload's strict parse. Gives the payload's claims.
pub(super) fn check_sigstore(
    trust: &SigstoreCheck,
    payload: &[u8],
    annotations: &BTreeMap<String, String>,
    cache: &VerificationCache,
) -> Claims {
    let Loaded { keys, material } = match trust {
        SigstoreCheck::Keys(keys) => keys.as_ref().map_err(Clone::clone)?,
        SigstoreCheck::Unavailable(reason) => return Err(reason.clone()),
    };
    let encoded = annotations
        .get(SIGNATURE_ANNOTATION)
        .ok_or(Reason::MalformedSignature(
            MalformedSignature::MissingAnnotation,
        ))?;
    let id = cache.id(material, payload, encoded.as_bytes());
    if let Some(entry) = cache.get(id.as_ref())
        && let Entry::Sigstore(claims) = &*entry
    {
        return claims.clone();
    }
    let signature = crate::go::base64_std(encoded).map_err(|offset| {
        Reason::MalformedSignature(MalformedSignature::AnnotationNotBase64 { offset })
    })?;
    if !keys.iter().any(|key| key.verify(payload, &signature)) {
        return Err(Reason::SignatureInvalid { keys: keys.len() });
    }
    let claims = payload::parse(payload, payload::Format::Cosign)
        .map(alloc::sync::Arc::new)
        .map_err(Reason::InvalidPayload);
    cache.insert(id, Entry::Sigstore(claims.clone()));
    claims
}
