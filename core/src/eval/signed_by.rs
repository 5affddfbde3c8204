//! `signedBy`: one simple-signing signature against the imported keyring, as containers/image
//! with gpgme checks it.

#[cfg(feature = "openpgp")]
use super::cache::Entry;
use super::cache::{Claims, VerificationCache};
#[cfg(not(feature = "openpgp"))]
use super::compile::Keyring;
use super::compile::Loaded;
use super::decision::Reason;
#[cfg(feature = "openpgp")]
use crate::signature::openpgp::{self, Keyring};
#[cfg(feature = "openpgp")]
use crate::signature::payload;

/// The OpenPGP part of one simple-signing signature against a `signedBy` requirement, in
/// containers/image's order: the keyring, the message and its one signature, the signing
/// key's identity and standing, the time, then the payload's strict parse. Gives the
/// payload's claims. A remembered verification still has its time checked.
#[cfg(feature = "openpgp")]
pub(super) fn check_simple(
    keys: &Result<Loaded<Keyring>, Reason>,
    blob: &[u8],
    now: Option<i64>,
    cache: &VerificationCache,
) -> Claims {
    let Loaded {
        keys: keyring,
        material,
    } = keys.as_ref().map_err(Clone::clone)?;
    // containers/image refuses before it reads any signature when gpg imported no key, and
    // gpg imports no key created after the time of the decision.
    if !keyring.any_imported_at(now) {
        return Err(Reason::NoPublicKeys);
    }
    let id = cache.id(material, blob, &[]);
    if let Some(entry) = cache.get(id.as_ref(), &[])
        && let Entry::Simple(validity, claims) = &*entry
    {
        validity.check(now).map_err(pgp_reason)?;
        return claims.clone();
    }
    let verified = keyring.verify_at(blob, now).map_err(pgp_reason)?;
    let claims = payload::parse(&verified.content, payload::Format::SimpleSigning)
        .map(alloc::sync::Arc::new)
        .map_err(Reason::InvalidPayload);
    let validity = verified.validity;
    let checked = validity.check(now).map_err(pgp_reason);
    cache.insert(id, &[], Entry::Simple(validity, claims.clone()));
    checked?;
    claims
}

#[cfg(feature = "openpgp")]
pub(super) fn pgp_reason(e: openpgp::PgpError) -> Reason {
    use openpgp::PgpError;
    match e {
        PgpError::Malformed(problem) => Reason::MalformedSignature(
            crate::signature::problem::MalformedSignature::OpenPgp(problem),
        ),
        PgpError::Untrusted(why) => Reason::UntrustedKey(why),
        PgpError::Bad(_) => Reason::SignatureInvalid { keys: 1 },
        PgpError::KeyUnusable(why) => Reason::KeyUnusable(why),
        PgpError::SignatureExpired => Reason::SignatureExpired,
        PgpError::NeedTime => Reason::TimeRequired,
    }
}

#[cfg(not(feature = "openpgp"))]
pub(super) fn check_simple(
    keys: &Result<Loaded<Keyring>, Reason>,
    _blob: &[u8],
    _now: Option<i64>,
    _cache: &VerificationCache,
) -> Claims {
    Err(keys
        .as_ref()
        .err()
        .cloned()
        .unwrap_or(Reason::VerificationUnavailable {
            format: "OpenPGP simple signing",
        }))
}
