//! Integers modulo the P-256 prime p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
//!
//! Products are schoolbook, on 64-bit limbs where the target multiplies 64×64→128 bits and on
//! 32-bit limbs elsewhere (wasm32 has no 128-bit product; `--cfg vouch_limb32` selects them on
//! any target, for tests). Reduction is the one the prime was chosen for (FIPS 186-5 and
//! "Guide to Elliptic Curve Cryptography", algorithm 2.29): the 512-bit product, read as sixteen
//! 32-bit words, is a signed sum of nine 256-bit numbers made of those words, with no
//! multiplication at all. Every value is kept fully reduced, so equality is equality of words.
//! Nothing here is constant-time: vouch only verifies, and every input of a verification is
//! public.

/// An integer modulo p, fully reduced, as eight 32-bit words, least significant first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fe(pub(super) [u32; 8]);

/// p, least significant word first.
const P: [u32; 8] = [
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0,
    0,
    1,
    0xffff_ffff,
];

impl Fe {
    /// 0.
    pub(super) const ZERO: Fe = Fe([0; 8]);
    /// 1.
    pub(super) const ONE: Fe = Fe([1, 0, 0, 0, 0, 0, 0, 0]);

    /// The number a 32-byte big-endian string encodes; `None` when it is not below p.
    pub(super) fn from_be_bytes(bytes: &[u8; 32]) -> Option<Fe> {
        let mut words = [0u32; 8];
        for (word, chunk) in words.iter_mut().zip(bytes.rchunks_exact(4)) {
            *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        (!at_least_p(&words)).then_some(Fe(words))
    }

    /// The 32-byte big-endian encoding.
    #[cfg(test)]
    pub(super) fn to_be_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, word) in out.rchunks_exact_mut(4).zip(self.0) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// Whether this is 0.
    pub(super) fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }

    /// self + other.
    pub(super) fn add(&self, other: &Fe) -> Fe {
        let mut words = [0u32; 8];
        let mut carry = 0u64;
        for ((out, a), b) in words.iter_mut().zip(self.0).zip(other.0) {
            let sum = u64::from(a) + u64::from(b) + carry;
            *out = sum as u32;
            carry = sum >> 32;
        }
        // The sum is below 2p < 2^257: one subtraction of p brings it below p. When the sum
        // carried out of 256 bits, the subtraction borrows that bit back.
        let mut reduced = words;
        let borrow = subtract_p(&mut reduced);
        if carry != 0 || borrow == 0 {
            Fe(reduced)
        } else {
            Fe(words)
        }
    }

    /// self − other.
    pub(super) fn sub(&self, other: &Fe) -> Fe {
        let mut words = [0u32; 8];
        let mut borrow = 0i64;
        for ((out, a), b) in words.iter_mut().zip(self.0).zip(other.0) {
            let difference = i64::from(a) - i64::from(b) + borrow;
            *out = difference as u32;
            borrow = difference >> 32;
        }
        // A negative difference is above −p: adding p once makes it the residue, and the
        // carry out of 256 bits cancels the borrow.
        if borrow != 0 {
            let mut carry = 0u64;
            for (out, p) in words.iter_mut().zip(P) {
                let sum = u64::from(*out) + u64::from(p) + carry;
                *out = sum as u32;
                carry = sum >> 32;
            }
        }
        Fe(words)
    }

    /// −self.
    pub(super) fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// 2·self.
    pub(super) fn double(&self) -> Fe {
        self.add(self)
    }

    /// self · other.
    pub(super) fn mul(&self, other: &Fe) -> Fe {
        reduce(&limbs::mul(&self.0, &other.0))
    }

    /// self².
    pub(super) fn square(&self) -> Fe {
        reduce(&limbs::square(&self.0))
    }
}

/// Whether `words` (least significant first) is at least p.
fn at_least_p(words: &[u32; 8]) -> bool {
    for (w, p) in words.iter().zip(P).rev() {
        if *w != p {
            return *w > p;
        }
    }
    true
}

/// `words` − p, modulo 2^256; returns the borrow out of 256 bits (−1 when `words` was below p,
/// otherwise 0).
fn subtract_p(words: &mut [u32; 8]) -> i64 {
    let mut borrow = 0i64;
    for (w, p) in words.iter_mut().zip(P) {
        let difference = i64::from(*w) - i64::from(p) + borrow;
        *w = difference as u32;
        borrow = difference >> 32;
    }
    borrow
}

/// The residue modulo p of a 512-bit number given as sixteen 32-bit words.
///
/// The NIST reduction: with c₀…c₁₅ the words of a product below p², the product is congruent
/// to s₁ + 2s₂ + 2s₃ + s₄ + s₅ − s₆ − s₇ − s₈ − s₉, where each sᵢ is a 256-bit number made of
/// eight of those words (FIPS 186-5 names them; `TERMS` in the tests lists them). Summed place by
/// place, that is the `place` array below, each place at most seven words with small weights:
/// well within an i64.
fn reduce(c: &[u32; 16]) -> Fe {
    let c = c.map(i64::from);
    let place = [
        c[0] + c[8] + c[9] - c[11] - c[12] - c[13] - c[14],
        c[1] + c[9] + c[10] - c[12] - c[13] - c[14] - c[15],
        c[2] + c[10] + c[11] - c[13] - c[14] - c[15],
        c[3] + 2 * c[11] + 2 * c[12] + c[13] - c[8] - c[9] - c[15],
        c[4] + 2 * c[12] + 2 * c[13] + c[14] - c[9] - c[10],
        c[5] + 2 * c[13] + 2 * c[14] + c[15] - c[10] - c[11],
        c[6] + c[13] + 3 * c[14] + 2 * c[15] - c[8] - c[9],
        c[7] + c[8] + 3 * c[15] - c[10] - c[11] - c[12] - c[13],
    ];
    let mut words = [0u32; 8];
    let mut carry = 0i64;
    for (out, sum) in words.iter_mut().zip(place) {
        let value = sum + carry;
        *out = value as u32;
        carry = value >> 32;
    }
    // The value is now words + carry·2^256, with carry a small signed number. Since
    // 2^256 ≡ 2^224 − 2^192 − 2^96 + 1 (mod p), the carry folds back into places 0, 3, 6
    // and 7. The carry is between −4 and 6, and folding it moves the value by less than
    // 7·2^224: the next carry is 0 or ±1, and after folding that one it is 0. Two folds at
    // most.
    while carry != 0 {
        let fold = [carry, 0, 0, -carry, 0, 0, -carry, carry];
        let mut next = 0i64;
        for (out, f) in words.iter_mut().zip(fold) {
            let value = i64::from(*out) + f + next;
            *out = value as u32;
            next = value >> 32;
        }
        carry = next;
    }
    let mut reduced = words;
    if subtract_p(&mut reduced) == 0 {
        Fe(reduced)
    } else {
        Fe(words)
    }
}

/// [`reduce`], for the tests.
#[cfg(test)]
pub(super) fn reduce_for_tests(c: &[u32; 16]) -> Fe {
    reduce(c)
}

/// Schoolbook products and squares of 256-bit numbers on the target's limbs (`limb`: 64-bit
/// with 128-bit products natively, 32-bit with 64-bit products on wasm32), taking and giving
/// 32-bit words.
mod limbs {
    use crate::signature::limb::{LIMB_BITS, Limb, Wide};

    /// Limbs in 256 bits.
    const N: usize = 256 / LIMB_BITS as usize;
    /// 32-bit words in a limb.
    const WORDS: usize = 8 / N;

    /// Limbs from 32-bit words, least significant first.
    // With 32-bit limbs WORDS is 1: the shifts are by 0 and the casts are to u32 itself.
    #[allow(clippy::modulo_one, clippy::unnecessary_cast)]
    fn pack(a: &[u32; 8]) -> [Limb; N] {
        let mut out = [0; N];
        for (i, word) in a.iter().enumerate() {
            out[i / WORDS] |= Limb::from(*word) << (32 * (i % WORDS));
        }
        out
    }

    /// 32-bit words from limbs, least significant first.
    // With 32-bit limbs WORDS is 1: the shifts are by 0 and the casts are to u32 itself.
    #[allow(clippy::modulo_one, clippy::unnecessary_cast)]
    fn unpack(t: &[Limb; 2 * N]) -> [u32; 16] {
        let mut out = [0u32; 16];
        for (i, word) in out.iter_mut().enumerate() {
            *word = (t[i / WORDS] >> (32 * (i % WORDS))) as u32;
        }
        out
    }

    /// a·b.
    pub(super) fn mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 16] {
        let (a, b) = (pack(a), pack(b));
        let mut t = [0; 2 * N];
        for (i, ai) in a.iter().enumerate() {
            let mut carry: Limb = 0;
            for (j, bj) in b.iter().enumerate() {
                let v =
                    Wide::from(*ai) * Wide::from(*bj) + Wide::from(t[i + j]) + Wide::from(carry);
                t[i + j] = v as Limb;
                carry = (v >> LIMB_BITS) as Limb;
            }
            t[i + N] = carry;
        }
        unpack(&t)
    }

    /// a².
    pub(super) fn square(a: &[u32; 8]) -> [u32; 16] {
        let a = pack(a);
        let mut t = [0; 2 * N];
        // The products of distinct limbs, each once…
        for i in 0..N - 1 {
            let mut carry: Limb = 0;
            for j in i + 1..N {
                let v =
                    Wide::from(a[i]) * Wide::from(a[j]) + Wide::from(t[i + j]) + Wide::from(carry);
                t[i + j] = v as Limb;
                carry = (v >> LIMB_BITS) as Limb;
            }
            t[i + N] = carry;
        }
        // …doubled (their sum is below a²/2, so nothing leaves 512 bits)…
        for i in (1..2 * N).rev() {
            t[i] = t[i] << 1 | t[i - 1] >> (LIMB_BITS - 1);
        }
        t[0] <<= 1;
        // …plus the squares of the limbs.
        let mut carry: Wide = 0;
        for (i, ai) in a.iter().enumerate() {
            let sq = Wide::from(*ai) * Wide::from(*ai);
            let low = Wide::from(t[2 * i]) + (sq & Wide::from(Limb::MAX)) + carry;
            t[2 * i] = low as Limb;
            let high = Wide::from(t[2 * i + 1]) + (sq >> LIMB_BITS) + (low >> LIMB_BITS);
            t[2 * i + 1] = high as Limb;
            carry = high >> LIMB_BITS;
        }
        unpack(&t)
    }
}
