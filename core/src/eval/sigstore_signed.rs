//! `sigstoreSigned` with public keys, with or without Rekor: one cosign signature against the
//! prepared keys, in containers/image's order.

use alloc::collections::BTreeMap;
use alloc::string::String;

use super::cache::{Claims, Entry, Id, VerificationCache};
use super::compile::{FulcioTrust, Loaded, RekorTrust, SigstoreCheck};
use super::decision::Reason;
use crate::signature::payload;
use crate::signature::problem::MalformedSignature;
use crate::signature::sigstore::{
    BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, CosignKey, SIGNATURE_ANNOTATION,
};
use crate::trust::{keyless, rekor};

/// The cryptographic part of one cosign signature against a `sigstoreSigned` requirement, in
/// containers/image's order: trust material, the signature annotation, (with Rekor: the bundle
/// annotation and the SET, which chooses the key), the signature with each key, then the
/// payload's strict parse. Gives the payload's claims.
pub(super) fn check_sigstore(
    trust: &SigstoreCheck,
    payload: &[u8],
    annotations: &BTreeMap<String, String>,
    now: Option<i64>,
    cache: &VerificationCache,
) -> Claims {
    match trust {
        SigstoreCheck::Keys(keys) => {
            let Loaded { keys, material } = keys.as_ref().map_err(Clone::clone)?;
            let encoded = signature_annotation(annotations)?;
            let id = cache.id(material, payload, encoded.as_bytes());
            remembered(cache, id.as_ref(), &[]).unwrap_or_else(|| {
                let claims = verify(keys, payload, encoded);
                cache.insert(id, &[], Entry::Sigstore(claims.clone()));
                claims
            })
        }
        SigstoreCheck::KeysWithRekor(Loaded { keys, material }) => {
            let encoded = signature_annotation(annotations)?;
            let set = annotations
                .get(BUNDLE_ANNOTATION)
                .ok_or(Reason::MalformedSignature(
                    MalformedSignature::MissingAnnotation(BUNDLE_ANNOTATION),
                ))?;
            let id = cache.id(material, payload, encoded.as_bytes());
            let witness = [set.as_bytes()];
            remembered(cache, id.as_ref(), &witness).unwrap_or_else(|| {
                let claims = verify_with_rekor(keys, payload, encoded, set);
                cache.insert(id, &witness, Entry::Sigstore(claims.clone()));
                claims
            })
        }
        SigstoreCheck::Fulcio(Loaded {
            keys: trust,
            material,
        }) => {
            let encoded = signature_annotation(annotations)?;
            let set = required(annotations, BUNDLE_ANNOTATION)?;
            let cert = required(annotations, CERTIFICATE_ANNOTATION)?;
            let chain = annotations.get(CHAIN_ANNOTATION);
            let id = cache.id(material, payload, encoded.as_bytes());
            let witness = [
                set.as_bytes(),
                cert.as_bytes(),
                chain.map_or(b"", String::as_bytes),
                &[u8::from(chain.is_some())],
            ];
            remembered(cache, id.as_ref(), &witness).unwrap_or_else(|| {
                let claims = verify_fulcio(trust, payload, encoded, set, cert, chain);
                cache.insert(id, &witness, Entry::Sigstore(claims.clone()));
                claims
            })
        }
        SigstoreCheck::Pki(Loaded { keys: trust, .. }) => {
            let encoded = signature_annotation(annotations)?;
            let cert = required(annotations, CERTIFICATE_ANNOTATION)?;
            let chain = annotations.get(CHAIN_ANNOTATION);
            // The chain is checked at the time of the decision: nothing is remembered.
            let now = now.ok_or(Reason::TimeRequired)?;
            let pki = keyless::Pki {
                roots: &trust.roots,
                intermediates: &trust.intermediates,
                email: &trust.email,
                hostname: &trust.hostname,
                checked: &trust.checked,
            };
            let key = keyless::verify_pki(&pki, now, cert.as_bytes(), chain.map(String::as_bytes))
                .map_err(Reason::CertificateInvalid)?;
            verify_with_key(key, payload, encoded)
        }
        SigstoreCheck::Unavailable(reason) => Err(reason.clone()),
    }
}

fn required<'a>(
    annotations: &'a BTreeMap<String, String>,
    annotation: &'static str,
) -> Result<&'a String, Reason> {
    annotations
        .get(annotation)
        .ok_or(Reason::MalformedSignature(
            MalformedSignature::MissingAnnotation(annotation),
        ))
}

/// containers/image's Fulcio path: the SET over the certificate (its time is the time the
/// chain is checked at), then the certificate, then the signature with its key.
fn verify_fulcio(
    trust: &FulcioTrust,
    payload: &[u8],
    encoded: &str,
    set: &str,
    cert: &str,
    chain: Option<&String>,
) -> Claims {
    let time = rekor::verify_set(
        &trust.rekor,
        set.as_bytes(),
        cert.as_bytes(),
        encoded,
        payload,
    )
    .map_err(Reason::RekorSetInvalid)?;
    let key = keyless::verify_fulcio(
        &trust.checked,
        &trust.roots,
        &trust.oidc_issuer,
        &trust.email,
        time,
        cert.as_bytes(),
        chain.map(String::as_bytes),
    )
    .map_err(Reason::CertificateInvalid)?;
    verify_with_key(key, payload, encoded)
}

/// `VerifySigstorePayload` with the one key a certificate holds.
fn verify_with_key((key, verifying): keyless::LeafKey, payload: &[u8], encoded: &str) -> Claims {
    let key = CosignKey::prepared(&key, verifying);
    verify(core::slice::from_ref(&key), payload, encoded)
}

fn signature_annotation(annotations: &BTreeMap<String, String>) -> Result<&String, Reason> {
    annotations
        .get(SIGNATURE_ANNOTATION)
        .ok_or(Reason::MalformedSignature(
            MalformedSignature::MissingAnnotation(SIGNATURE_ANNOTATION),
        ))
}

fn remembered(cache: &VerificationCache, id: Option<&Id>, witness: &[&[u8]]) -> Option<Claims> {
    match &*cache.get(id, witness)? {
        Entry::Sigstore(claims) => Some(claims.clone()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// sigstore's `VerifySigstorePayload`: the signature decoded, verified with each key (the
/// first that verifies wins), then the payload parsed strictly.
fn verify(keys: &[CosignKey], payload: &[u8], encoded: &str) -> Claims {
    let signature = crate::go::base64_std(encoded).map_err(|offset| {
        Reason::MalformedSignature(MalformedSignature::AnnotationNotBase64 { offset })
    })?;
    if !keys.iter().any(|key| key.verify(payload, &signature)) {
        return Err(Reason::SignatureInvalid { keys: keys.len() });
    }
    payload::parse(payload, payload::Format::Cosign)
        .map(alloc::sync::Arc::new)
        .map_err(Reason::InvalidPayload)
}

/// containers/image's keys-with-Rekor path: the first key whose PEM the SET vouches for is
/// the one key the signature is then verified with; when the SET vouches for none, the
/// signature is refused with the first key's reason.
fn verify_with_rekor(trust: &RekorTrust, payload: &[u8], encoded: &str, set: &str) -> Claims {
    let mut first_problem = None;
    for key in &trust.keys {
        match rekor::verify_set(&trust.rekor, set.as_bytes(), key.pem(), encoded, payload) {
            Ok(_) => return verify(core::slice::from_ref(key), payload, encoded),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(match first_problem {
        Some(problem) => Reason::RekorSetInvalid(problem),
        // The requirement has keys: containers/image refuses an empty key list at compile.
        None => Reason::SignatureInvalid { keys: 0 },
    })
}
