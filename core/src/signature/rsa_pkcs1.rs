//! RSA PKCS #1 v1.5 signature verification with vouch's own public-key operation.
//!
//! The `rsa` crate (0.9) computes `s^e mod n` with general-purpose big integers; for a
//! 4,096-bit key that is about 430 µs, which alone would cost most of the margin vouch must
//! keep over gpgme for `signedBy`. Verification needs nothing secret, so it needs no constant
//! time, and the public operation with a small exponent is short and well understood:
//! Montgomery multiplication (CIOS) on 64-bit limbs, or 32-bit limbs on 32-bit targets such as
//! wasm32, square-and-multiply over `e`.
//!
//! The check is "encode and compare" (RFC 8017 §8.2.2): the expected encoded message
//! `00 01 FF…FF 00 || DigestInfo || H` is built from the digest and compared with
//! `s^e mod n` byte for byte; nothing in the decrypted block is parsed. The `rsa` crate stays
//! the reference: property tests compare the public operation with it, and every RSA case of
//! the differential suites goes through this code.

use alloc::vec;
use alloc::vec::Vec;

/// The moduli this verifier takes, in bits; the OpenPGP and sigstore code refuse or fall back
/// outside it.
pub(crate) const MIN_BITS: usize = 1024;
/// See [`MIN_BITS`].
pub(crate) const MAX_BITS: usize = 8192;

/// The hash algorithms vouch verifies RSA signatures with, for the DigestInfo prefix.
/// (Only OpenPGP uses the others than SHA-256.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
pub(crate) enum Hash {
    Sha1,
    Ripemd160,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// DER `DigestInfo` up to the digest (RFC 8017 §9.2, note 1), and the digest's length.
    fn prefix(self) -> (&'static [u8], usize) {
        match self {
            Self::Sha1 => (
                &[
                    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00,
                    0x04, 0x14,
                ],
                20,
            ),
            Self::Ripemd160 => (
                &[
                    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x24, 0x03, 0x02, 0x01, 0x05, 0x00,
                    0x04, 0x14,
                ],
                20,
            ),
            Self::Sha224 => (
                &[
                    0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x04, 0x05, 0x00, 0x04, 0x1c,
                ],
                28,
            ),
            Self::Sha256 => (
                &[
                    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
                ],
                32,
            ),
            Self::Sha384 => (
                &[
                    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
                ],
                48,
            ),
            Self::Sha512 => (
                &[
                    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
                ],
                64,
            ),
        }
    }
}

// 64-bit limbs natively, 32-bit on 32-bit targets such as wasm32 (`super::limb`).
use super::limb::{LIMB_BITS, Limb, Wide};
const LIMB_BYTES: usize = core::mem::size_of::<Limb>();

/// An RSA public key prepared for verification: the modulus as little-endian limbs, with the
/// Montgomery constants computed once.
#[derive(Clone, Debug)]
pub(crate) struct RsaVerifier {
    n: Vec<Limb>,
    /// The modulus length in bytes (the length of a signature).
    size: usize,
    /// `-n⁻¹ mod 2^LIMB_BITS`.
    n0inv: Limb,
    /// `R² mod n`, `R = 2^(LIMB_BITS·limbs)`.
    r2: Vec<Limb>,
    e: u64,
}

impl RsaVerifier {
    /// Prepares the key `(n, e)` (big-endian bytes). `None` when the modulus is even or not
    /// within [`MIN_BITS`]..=[`MAX_BITS`], or the exponent is even, below 3 or above 2³³.
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Option<Self> {
        let n = strip_zeros(n);
        let e_bytes = strip_zeros(e);
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) || n.last().is_none_or(|b| b & 1 == 0) {
            return None;
        }
        if e_bytes.len() > 8 {
            return None;
        }
        let e = e_bytes
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if !(3..=(1 << 33)).contains(&e) || e & 1 == 0 {
            return None;
        }
        let limbs = to_limbs(n, n.len().div_ceil(LIMB_BYTES));
        let n0inv = {
            // Newton's iteration doubles the correct low bits each step (odd n: 3 bits to start).
            let n0 = limbs[0];
            let mut x = n0;
            for _ in 0..6 {
                x = x.wrapping_mul((2 as Limb).wrapping_sub(n0.wrapping_mul(x)));
            }
            x.wrapping_neg()
        };
        let mut verifier = Self {
            size: n.len(),
            n: limbs,
            n0inv,
            r2: Vec::new(),
            e,
        };
        verifier.r2 = verifier.r_squared(bits);
        Some(verifier)
    }

    /// `R² mod n` for a modulus of `bits` bits, once per key. `R = 2^total`; with
    /// `total = rest·2^s`, doublings modulo `n` take `2^(bits-1)` (below `n`) to `R·2^rest`,
    /// the Montgomery form of `2^rest`, and `s` Montgomery squarings then give the form of
    /// `2^total = R`, which is `R²`. Measured on RSA-2048, a squaring costs about as much as
    /// 64 doublings, natively (32 limbs) and in wasm (64 limbs) alike, so `s` is chosen to
    /// make `rest + 64·s` smallest: for RSA-2048, 4 squarings and 129 doublings, where
    /// doubling `1` all the way up takes 4,096 doublings.
    fn r_squared(&self, bits: usize) -> Vec<Limb> {
        let k = self.n.len();
        let total = LIMB_BITS as usize * k;
        let mut x: Vec<Limb> = vec![0; k];
        x[(bits - 1) / LIMB_BITS as usize] = 1 << ((bits - 1) % LIMB_BITS as usize);
        let squarings = (0..=total.trailing_zeros())
            .min_by_key(|&s| (total >> s) + 64 * s as usize)
            .unwrap_or(0);
        let rest = total >> squarings;
        for _ in 0..total - (bits - 1) + rest {
            let carry = shift_left_one(&mut x);
            if carry || !less_than(&x, &self.n) {
                subtract(&mut x, &self.n);
            }
        }
        let mut scratch: Vec<Limb> = vec![0; 3 * k];
        let mut tmp: Vec<Limb> = vec![0; k];
        for _ in 0..squarings {
            self.mont_square(&x, &mut tmp, &mut scratch);
            core::mem::swap(&mut x, &mut tmp);
        }
        x
    }

    /// Whether `signature` is a PKCS #1 v1.5 signature of `digest` under `hash`. The signature
    /// must be exactly as long as the modulus (RFC 8017 §8.2.2, as Go checks it) and below it.
    /// OpenPGP strips the leading zeros of MPIs: its caller pads them back.
    pub(crate) fn verify(&self, hash: Hash, digest: &[u8], signature: &[u8]) -> bool {
        let (prefix, digest_len) = hash.prefix();
        if digest.len() != digest_len || signature.len() != self.size {
            return false;
        }
        let t_len = prefix.len() + digest_len;
        if self.size < t_len + 11 {
            return false;
        }
        let Some(m) = self.public_op(signature) else {
            return false;
        };
        let padding = self.size - t_len - 3;
        let expected = [0u8, 1]
            .iter()
            .chain(core::iter::repeat_n(&0xffu8, padding))
            .chain(core::iter::once(&0u8))
            .chain(prefix)
            .chain(digest);
        m.iter().eq(expected)
    }

    /// The modulus length in bytes: the length of a signature.
    #[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// `s^e mod n` as big-endian bytes of the modulus length; `None` when `s ≥ n`.
    pub(crate) fn public_op(&self, signature: &[u8]) -> Option<Vec<u8>> {
        let k = self.n.len();
        let s = to_limbs(signature, k);
        if s.len() != k || !less_than(&s, &self.n) {
            return None;
        }
        let mut scratch: Vec<Limb> = vec![0; 3 * k];
        let mut base: Vec<Limb> = vec![0; k];
        self.mont_mul(&s, &self.r2, &mut base, &mut scratch);
        let mut acc = base.clone();
        let mut tmp: Vec<Limb> = vec![0; k];
        let top = 63 - self.e.leading_zeros();
        for bit in (0..top).rev() {
            self.mont_square(&acc, &mut tmp, &mut scratch);
            core::mem::swap(&mut acc, &mut tmp);
            if (self.e >> bit) & 1 == 1 {
                self.mont_mul(&acc, &base, &mut tmp, &mut scratch);
                core::mem::swap(&mut acc, &mut tmp);
            }
        }
        let mut one: Vec<Limb> = vec![0; k];
        one[0] = 1;
        self.mont_mul(&acc, &one, &mut tmp, &mut scratch);
        let mut out = Vec::with_capacity(self.size);
        let bytes = tmp.iter().rev().flat_map(|limb| limb.to_be_bytes());
        let skip = k * LIMB_BYTES - self.size;
        out.extend(bytes.skip(skip));
        Some(out)
    }

    /// `out = a·b·R⁻¹ mod n`, for `a, b < n`, on 64-bit limbs: for each limb of `a`,
    /// `t = (t + aᵢ·b + m·n) / 2^LIMB_BITS` with `m` chosen so the division is exact, both
    /// products in one pass (two carry chains that the processor overlaps). `t` stays below
    /// `2n`, so one conditional subtraction ends. (The column-wise form the 32-bit limbs use
    /// measured 7–10% slower here for RSA-2048, with or without its dedicated squaring.)
    #[cfg(all(target_pointer_width = "64", not(vouch_limb32)))]
    fn mont_mul(&self, a: &[Limb], b: &[Limb], out: &mut [Limb], t: &mut [Limb]) {
        let n = &self.n[..];
        let k = n.len();
        // Slices of exactly `k` limbs, so the loop below indexes without bounds checks.
        let (a, b, t) = (&a[..k], &b[..k], &mut t[..k]);
        t.fill(0);
        let mut top: Limb = 0;
        for &ai in a {
            let first = Wide::from(t[0]) + Wide::from(ai) * Wide::from(b[0]);
            let m = (first as Limb).wrapping_mul(self.n0inv);
            let mut c1 = (first >> LIMB_BITS) as Limb;
            let mut c2 = ((Wide::from(first as Limb) + Wide::from(m) * Wide::from(n[0]))
                >> LIMB_BITS) as Limb;
            for j in 1..k {
                let s1 = Wide::from(t[j]) + Wide::from(ai) * Wide::from(b[j]) + Wide::from(c1);
                c1 = (s1 >> LIMB_BITS) as Limb;
                let s2 = Wide::from(s1 as Limb) + Wide::from(m) * Wide::from(n[j]) + Wide::from(c2);
                c2 = (s2 >> LIMB_BITS) as Limb;
                t[j - 1] = s2 as Limb;
            }
            let s1 = Wide::from(top) + Wide::from(c1);
            let s2 = Wide::from(s1 as Limb) + Wide::from(c2);
            t[k - 1] = s2 as Limb;
            top = ((s1 >> LIMB_BITS) + (s2 >> LIMB_BITS)) as Limb;
        }
        out.copy_from_slice(t);
        if top != 0 || !less_than(out, n) {
            subtract(out, n);
        }
    }

    /// `out = a·b·R⁻¹ mod n`, for `a, b < n`, on 32-bit limbs, by columns (see
    /// [`Self::reduce_columns`]); `scratch` holds at least `3k` limbs.
    #[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
    fn mont_mul(&self, a: &[Limb], b: &[Limb], out: &mut [Limb], scratch: &mut [Limb]) {
        let k = self.n.len();
        let (br, rest) = scratch.split_at_mut(k);
        reverse_into(br, &b[..k]);
        let (a, br) = (&a[..k], &br[..]);
        self.reduce_columns(out, rest, |c| {
            // The pairs (i, c − i) with both below k; b[c − i] is br[k − 1 − c + i].
            // The last column (c = 2k − 1) has none.
            let (lo, hi) = (c.saturating_sub(k - 1), c.min(k - 1));
            if lo > hi {
                return (0, 0);
            }
            let start = k - 1 + lo - c;
            dot(&a[lo..=hi], &br[start..=start + hi - lo])
        });
    }

    /// `out = a²·R⁻¹ mod n`, for `a < n`. On 64-bit limbs this is [`Self::mont_mul`]: a
    /// dedicated squaring by columns measured slower there than the interleaved loop.
    #[cfg(all(target_pointer_width = "64", not(vouch_limb32)))]
    fn mont_square(&self, a: &[Limb], out: &mut [Limb], scratch: &mut [Limb]) {
        self.mont_mul(a, a, out, scratch);
    }

    /// `out = a²·R⁻¹ mod n`, for `a < n`; `scratch` holds at least `3k` limbs. A column's
    /// products `aᵢ·aⱼ` come in equal pairs, so half are computed and doubled.
    #[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
    fn mont_square(&self, a: &[Limb], out: &mut [Limb], scratch: &mut [Limb]) {
        let k = self.n.len();
        let (ar, rest) = scratch.split_at_mut(k);
        reverse_into(ar, &a[..k]);
        let (a, ar) = (&a[..k], &ar[..]);
        self.reduce_columns(out, rest, |c| {
            // The pairs (i, c − i) with i < c − i, both below k, doubled; then the square of
            // the middle limb when c is even.
            let lo = c.saturating_sub(k - 1);
            let (mut low, mut high) = match c.checked_sub(1).map(|d| d / 2) {
                Some(hi) if hi >= lo => {
                    let start = k - 1 + lo - c;
                    let (low, high) = dot(&a[lo..=hi], &ar[start..=start + hi - lo]);
                    (low << 1, high << 1)
                }
                _ => (0, 0),
            };
            if c % 2 == 0 && c / 2 < k {
                let p = Wide::from(a[c / 2]) * Wide::from(a[c / 2]);
                low += p & LOW;
                high += p >> LIMB_BITS;
            }
            (low, high)
        });
    }

    /// Montgomery reduction by columns ("product scanning"), for 32-bit limbs. `product(c)` is
    /// the sum of the products in column `c` of the 2k-limb product, as a sum of low halves
    /// and a sum of high halves; this adds column `c` of `m·n`, where in each of the first `k`
    /// columns `m_c` is chosen to clear the column's low limb, and writes the last `k` columns
    /// to `out`. Keeping the column as two sums means a product costs one multiplication and
    /// two additions with no carry chain, which suits wasm32 (32×32→64-bit products in 64-bit
    /// registers). The result is below `2n`, so one conditional subtraction ends. `scratch`
    /// holds at least `2k` limbs.
    #[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
    fn reduce_columns(
        &self,
        out: &mut [Limb],
        scratch: &mut [Limb],
        mut product: impl FnMut(usize) -> (Wide, Wide),
    ) {
        let n = &self.n[..];
        let k = n.len();
        let (m, nr) = scratch.split_at_mut(k);
        let nr = &mut nr[..k];
        reverse_into(nr, n);
        let out = &mut out[..k];
        // Each sum holds at most 2k + 2 halves below 2^LIMB_BITS plus the carried sum: below
        // 2^(LIMB_BITS + 11) for any k vouch accepts (at most 256 limbs), far from overflow.
        let mut carried: Wide = 0;
        for c in 0..2 * k {
            let (mut low, mut high) = product(c);
            low += carried;
            // Column c of m·n: the pairs (i, c − i) with i < c (m_c is not known yet) and
            // both below k; n[c − i] is nr[k − 1 − c + i].
            let lo = c.saturating_sub(k - 1);
            let hi = c.min(k);
            if lo < hi {
                let start = k - 1 + lo - c;
                let (l, h) = dot(&m[lo..hi], &nr[start..start + hi - lo]);
                low += l;
                high += h;
            }
            if c < k {
                let mc = (low as Limb).wrapping_mul(self.n0inv);
                m[c] = mc;
                let q = Wide::from(mc) * Wide::from(n[0]);
                low += q & LOW;
                high += q >> LIMB_BITS;
                // The column's low limb is now zero.
            } else {
                out[c - k] = low as Limb;
            }
            carried = (low >> LIMB_BITS) + high;
        }
        if carried != 0 || !less_than(out, n) {
            subtract(out, n);
        }
    }
}

/// The low half of a double-width value.
#[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
const LOW: Wide = Limb::MAX as Wide;

/// Σ xᵢ·yᵢ over equal-length slices, as (sum of the products' low halves, sum of their high
/// halves).
#[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
fn dot(x: &[Limb], y: &[Limb]) -> (Wide, Wide) {
    let (mut low, mut high) = (0, 0);
    for (xi, yi) in x.iter().zip(y) {
        let p = Wide::from(*xi) * Wide::from(*yi);
        low += p & LOW;
        high += p >> LIMB_BITS;
    }
    (low, high)
}

/// `out` = `x` in reverse order (equal lengths).
#[cfg(not(all(target_pointer_width = "64", not(vouch_limb32))))]
fn reverse_into(out: &mut [Limb], x: &[Limb]) {
    for (o, v) in out.iter_mut().zip(x.iter().rev()) {
        *o = *v;
    }
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Big-endian bytes as `limbs` little-endian limbs; more limbs than that (after leading
/// zeros) gives a longer vector, which callers treat as too large.
fn to_limbs(bytes: &[u8], limbs: usize) -> Vec<Limb> {
    let bytes = strip_zeros(bytes);
    let mut out = vec![0; limbs.max(bytes.len().div_ceil(LIMB_BYTES))];
    for (i, &byte) in bytes.iter().rev().enumerate() {
        out[i / LIMB_BYTES] |= Limb::from(byte) << (8 * (i % LIMB_BYTES));
    }
    out
}

/// `a < b` for equal-length little-endian limbs.
fn less_than(a: &[Limb], b: &[Limb]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (wrapping), equal lengths.
fn subtract(a: &mut [Limb], b: &[Limb]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(Limb::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
}

/// `a <<= 1`; returns the bit shifted out.
fn shift_left_one(a: &mut [Limb]) -> bool {
    let mut carry: Limb = 0;
    for limb in a.iter_mut() {
        let next = *limb >> (LIMB_BITS - 1);
        *limb = (*limb << 1) | carry;
        carry = next;
    }
    carry == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rsa::BigUint;

    fn reference(n: &[u8], e: u64, s: &[u8]) -> Vec<u8> {
        let n_big = BigUint::from_bytes_be(n);
        let m = BigUint::from_bytes_be(s).modpow(&BigUint::from(e), &n_big);
        let bytes = m.to_bytes_be();
        let size = strip_zeros(n).len();
        let mut out = vec![0u8; size - bytes.len()];
        out.extend(bytes);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_public_operation_agrees_with_num_bigint(
            limbs in 16usize..=64,
            seed in proptest::collection::vec(any::<u64>(), 128),
            e in prop::sample::select(vec![3u64, 17, 65_537, 4_294_967_297]),
        ) {
            // An odd modulus with its top bit set, and a base below it.
            let mut n: Vec<u8> = seed[..limbs].iter().flat_map(|l| l.to_be_bytes()).collect();
            n[0] |= 0x80;
            let last = n.len() - 1;
            n[last] |= 1;
            let mut s: Vec<u8> = seed[64..64 + limbs].iter().flat_map(|l| l.to_be_bytes()).collect();
            s[0] &= 0x7f;
            let verifier = RsaVerifier::new(&n, &e.to_be_bytes()).unwrap();
            prop_assert_eq!(verifier.public_op(&s).unwrap(), reference(&n, e, &s));
        }
    }

    #[test]
    fn refuses_bases_not_below_the_modulus_and_odd_keys() {
        let mut n = vec![0xffu8; 128];
        n[127] = 0xfb;
        let verifier = RsaVerifier::new(&n, &[1, 0, 1]).unwrap();
        assert!(verifier.public_op(&n).is_none());
        assert!(verifier.public_op(&[0xff; 128]).is_none());
        assert!(verifier.public_op(&[0xff; 129]).is_none());
        assert_eq!(verifier.public_op(&[0]).unwrap(), vec![0; 128]);
        assert!(RsaVerifier::new(&n, &[2]).is_none(), "even exponent");
        assert!(RsaVerifier::new(&n, &[1]).is_none(), "exponent 1");
        assert!(RsaVerifier::new(&n[..64], &[3]).is_none(), "512 bits");
        let mut even = n.clone();
        even[127] = 0xfa;
        assert!(RsaVerifier::new(&even, &[3]).is_none(), "even modulus");
    }

    #[test]
    fn verifies_what_the_rsa_crate_signs_and_nothing_else() {
        use rsa::pkcs1v15::SigningKey;
        use rsa::signature::{SignatureEncoding as _, Signer as _};
        use rsa::traits::PublicKeyParts as _;
        // A 1024-bit key from a fixed seed (tests only).
        let mut rng = TestRng(0x1234_5678_9abc_def0);
        let key = rsa::RsaPrivateKey::new(&mut rng, 1024).unwrap();
        let public = key.to_public_key();
        let verifier =
            RsaVerifier::new(&public.n().to_bytes_be(), &public.e().to_bytes_be()).unwrap();
        let signer = SigningKey::<sha2::Sha256>::new(key);
        let message = b"vouch";
        let signature = signer.sign(message).to_vec();
        let digest = <sha2::Sha256 as sha2::Digest>::digest(message);
        assert!(verifier.verify(Hash::Sha256, &digest, &signature));
        assert!(!verifier.verify(Hash::Sha512, &digest, &signature));
        assert!(
            !verifier.verify(Hash::Sha256, &digest, &signature[1..]),
            "short"
        );
        let longer = [&[0u8][..], &signature].concat();
        assert!(!verifier.verify(Hash::Sha256, &digest, &longer), "long");
        let mut wrong = digest;
        wrong[0] ^= 1;
        assert!(!verifier.verify(Hash::Sha256, &wrong, &signature));
        let mut tampered = signature.clone();
        tampered[10] ^= 1;
        assert!(!verifier.verify(Hash::Sha256, &digest, &tampered));
    }

    /// A deterministic xorshift generator for the test key (no OS randomness in core tests).
    struct TestRng(u64);

    impl rsa::rand_core::RngCore for TestRng {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(8) {
                let bytes = self.next_u64().to_le_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl rsa::rand_core::CryptoRng for TestRng {}
}
