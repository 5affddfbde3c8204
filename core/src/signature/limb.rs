//! The limbs vouch's own big-number arithmetic works on (`rsa_pkcs1`, `ecdsa_p256`): 64-bit with
//! 128-bit products where the machine multiplies that wide, 32-bit with 64-bit products on
//! 32-bit targets (wasm32 has no wider product, so 128-bit products would each be a library
//! call). `--cfg vouch_limb32` selects the 32-bit limbs on a 64-bit machine, which is how
//! scripts/test.sh tests them natively.

/// A limb.
#[cfg(all(target_pointer_width = "64", not(vouch_limb32)))]
pub(crate) type Limb = u64;
/// A product of two limbs plus two limbs.
#[cfg(all(target_pointer_width = "64", not(vouch_limb32)))]
pub(crate) type Wide = u128;

/// A limb.
#[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
pub(crate) type Limb = u32;
/// A product of two limbs plus two limbs.
#[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
pub(crate) type Wide = u64;

/// Bits in a limb.
pub(crate) const LIMB_BITS: u32 = Limb::BITS;
