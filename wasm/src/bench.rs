//! Bench-only exports (feature `bench`; the shipped module never has them), so that a host
//! can time, in one run and one module, a decision with the verification cache off and the
//! bare RustCrypto verify of the same signature (benches/wasm/verify-compare.mjs;
//! docs/performance.md). The decision goes through the same public API the JSON functions
//! use; the bare verify is `p256` or `rsa` alone, over the payload, with the key parsed once.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ptr;

use base64ct::Encoding as _;
use p256::pkcs8::DecodePublicKey as _;
use vouch::{CompileOptions, Evaluator, Evidence, Image, Policy, Signature};

/// One request's image, decided with an evaluator whose cache is off.
#[derive(Debug)]
pub struct Uncached {
    evaluator: Evaluator,
    image: Image,
    manifest: Vec<u8>,
    signatures: Vec<Signature>,
    now: Option<vouch::UnixTime>,
}

/// The bare verify of one cosign signature.
#[derive(Debug)]
pub enum Bare {
    /// ECDSA P-256 over SHA-256, a DER signature.
    P256(p256::ecdsa::VerifyingKey, p256::ecdsa::Signature, Vec<u8>),
    /// RSA PKCS #1 v1.5 over SHA-256.
    Rsa(
        rsa::pkcs1v15::VerifyingKey<sha2::Sha256>,
        rsa::pkcs1v15::Signature,
        Vec<u8>,
    ),
}

/// # Safety
/// `ptr` must point to `len` readable bytes.
unsafe fn request(ptr: *const u8, len: usize) -> Option<vouch::json::EvaluateRequest> {
    // SAFETY: forwarded from the caller's contract.
    let input = unsafe { crate::input(ptr, len) };
    vouch::json::evaluate_request(input).ok()
}

/// Compiles a whole evaluation request with the verification cache off; null when the
/// request, its policy or its image does not parse.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bench_uncached_new(ptr: *const u8, len: usize) -> *mut Uncached {
    // SAFETY: forwarded from this function's contract.
    let Some(request) = (unsafe { request(ptr, len) }) else {
        return ptr::null_mut();
    };
    let Ok(policy) = Policy::parse(&request.policy) else {
        return ptr::null_mut();
    };
    let Ok(image) = request.image() else {
        return ptr::null_mut();
    };
    let options = CompileOptions::default().with_verification_cache(0);
    Box::into_raw(Box::new(Uncached {
        evaluator: Evaluator::compile(&policy, &request.files, &options),
        image,
        manifest: request.manifest,
        signatures: request.signatures,
        now: request.now,
    }))
}

/// Decides the handle's image again: 1 allowed, 0 denied (2 for a null handle).
///
/// # Safety
/// `handle` must come from [`vouch_bench_uncached_new`] and not have been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bench_uncached_decide(handle: *const Uncached) -> u32 {
    // SAFETY: the caller guarantees a live handle from `vouch_bench_uncached_new` (or null).
    let Some(u) = (unsafe { handle.as_ref() }) else {
        return 2;
    };
    let evidence = Evidence::new(&u.manifest, &u.signatures).at(u.now);
    u32::from(u.evaluator.evaluate(&u.image, &evidence).allowed)
}

/// The bare verify of a whole request's first cosign signature with its first key file (a
/// PEM P-256 or RSA public key); null when there is none.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bench_bare_new(ptr: *const u8, len: usize) -> *mut Bare {
    // SAFETY: forwarded from this function's contract.
    let Some(request) = (unsafe { request(ptr, len) }) else {
        return ptr::null_mut();
    };
    let Some(pem) = request
        .files
        .iter()
        .find_map(|(_, found)| match found {
            vouch::FileLookup::Read(bytes) => Some(bytes),
            _ => None,
        })
        .and_then(|b| core::str::from_utf8(b).ok())
    else {
        return ptr::null_mut();
    };
    let Some((payload, signature)) = request.signatures.iter().find_map(|s| match s {
        Signature::Sigstore {
            payload,
            annotations,
            ..
        } => {
            let encoded = annotations.get("dev.cosignproject.cosign/signature")?;
            Some((payload.clone(), base64ct::Base64::decode_vec(encoded).ok()?))
        }
        _ => None,
    }) else {
        return ptr::null_mut();
    };
    let bare = if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_pem(pem) {
        let Ok(signature) = p256::ecdsa::Signature::from_der(&signature) else {
            return ptr::null_mut();
        };
        Bare::P256(key, signature, payload)
    } else {
        use rsa::pkcs8::DecodePublicKey as _;
        let Ok(key) = rsa::RsaPublicKey::from_public_key_pem(pem) else {
            return ptr::null_mut();
        };
        let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature.as_slice()) else {
            return ptr::null_mut();
        };
        Bare::Rsa(rsa::pkcs1v15::VerifyingKey::new(key), signature, payload)
    };
    Box::into_raw(Box::new(bare))
}

/// Verifies again: 1 valid, 0 not (2 for a null handle).
///
/// # Safety
/// `handle` must come from [`vouch_bench_bare_new`] and not have been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bench_bare_verify(handle: *const Bare) -> u32 {
    // SAFETY: the caller guarantees a live handle from `vouch_bench_bare_new` (or null).
    let Some(bare) = (unsafe { handle.as_ref() }) else {
        return 2;
    };
    u32::from(match bare {
        Bare::P256(key, signature, payload) => {
            use p256::ecdsa::signature::Verifier as _;
            key.verify(payload, signature).is_ok()
        }
        Bare::Rsa(key, signature, payload) => {
            use rsa::signature::Verifier as _;
            key.verify(payload, signature).is_ok()
        }
    })
}
