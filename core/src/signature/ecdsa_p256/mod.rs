//! ECDSA verification on NIST P-256 (FIPS 186-5 §6.4.2), written for verifying only.
//!
//! p256's own verification is built for signing too: constant-time Montgomery arithmetic and
//! complete addition formulas. A verifier needs neither (the key, the digest and the signature
//! are all public), and on 32-bit targets such as wasm32 Montgomery reduction doubles the
//! 32×32-bit products of each multiplication. So vouch keeps from p256 what is not arithmetic
//! modulo p — reading and validating keys (SEC1) and signatures (DER), and the three operations
//! modulo the group order n that a verification needs — and does the rest itself:
//!
//! - [`field`]: arithmetic modulo p with the NIST prime's fast reduction;
//! - points in Jacobian coordinates, with the formulas for a = −3 (doubling 3M + 5S, addition
//!   11M + 5S, addition of an affine point 7M + 4S), special cases handled by branching;
//! - u₁·G + u₂·Q by width-w NAF: odd multiples of G up to 63G are constants ([`table`]), those
//!   of Q up to 15Q are computed per signature, and the two share one chain of doublings;
//! - the final comparison of x(R) with r without an inversion: x(R) = X/Z², and x(R) mod n = r
//!   exactly when X = r·Z² or, if r + n < p, X = (r + n)·Z².
//!
//! It gives the same answer as `p256::ecdsa::VerifyingKey::verify_prehash` for every input;
//! the tests hold it to that, with signatures made to reach each special case.

mod field;
mod table;

use p256::ecdsa::Signature;
use p256::elliptic_curve::point::AffineCoordinates as _;
use p256::{FieldBytes, Scalar};

use field::Fe;

/// A P-256 public key, validated, ready to verify with.
#[derive(Clone, Debug)]
pub(crate) struct P256Key {
    q: Affine,
}

impl P256Key {
    /// The key a SEC1 point encodes (compressed or not); `None` when it is not a point of the
    /// curve other than the identity.
    pub(crate) fn from_sec1(bytes: &[u8]) -> Option<Self> {
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).ok()?;
        let point = key.as_affine();
        let q = Affine {
            x: Fe::from_be_bytes(&point.x().into())?,
            y: Fe::from_be_bytes(&point.y().into())?,
        };
        // p256 has checked the curve equation already; vouch's arithmetic checks it again,
        // so a key it would compute wrongly with is refused rather than used.
        q.is_on_curve().then_some(Self { q })
    }

    /// Whether `signature` is a valid ECDSA signature of the digest `prehash` by this key. The
    /// digest is read as p256 reads it: its leftmost 256 bits, as a number modulo n (shorter
    /// digests are numbers as they stand).
    pub(crate) fn verify_prehash(&self, prehash: &[u8], signature: &Signature) -> bool {
        let (r, s) = signature.split_scalars();
        let mut digest = [0u8; 32];
        let used = prehash.len().min(32);
        digest[32 - used..].copy_from_slice(&prehash[..used]);
        let z = <Scalar as p256::elliptic_curve::ops::Reduce<FieldBytes>>::reduce(&digest.into());
        // s is not zero (p256 has checked), so it has an inverse.
        let Some(w) = Option::<Scalar>::from(s.invert_vartime()) else {
            return false;
        };
        let u1: [u8; 32] = (z * w).to_bytes().into();
        let u2: [u8; 32] = (*r * w).to_bytes().into();
        let point = double_mul(&u1, &u2, &self.q);
        if point.is_infinity() {
            return false;
        }
        let r: [u8; 32] = r.to_bytes().into();
        let zz = point.z.square();
        // r is below n, so below p.
        let Some(r_fe) = Fe::from_be_bytes(&r) else {
            return false;
        };
        if point.x == r_fe.mul(&zz) {
            return true;
        }
        r_plus_n(&r).is_some_and(|rn| point.x == rn.mul(&zz))
    }
}

/// n, the order of the group, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// r + n as a field element, when it is below p.
fn r_plus_n(r: &[u8; 32]) -> Option<Fe> {
    let mut sum = [0u8; 32];
    let mut carry = 0u16;
    for ((out, a), b) in sum.iter_mut().zip(r).zip(N).rev() {
        let v = u16::from(*a) + u16::from(b) + carry;
        *out = v as u8;
        carry = v >> 8;
    }
    if carry != 0 {
        return None;
    }
    Fe::from_be_bytes(&sum)
}

/// b, the curve's constant term (y² = x³ − 3x + b).
const B: Fe = Fe([
    0x27d2_604b,
    0x3bce_3c3e,
    0xcc53_b0f6,
    0x651d_06b0,
    0x7698_86bc,
    0xb3eb_bd55,
    0xaa3a_93e7,
    0x5ac6_35d8,
]);

/// A point other than the identity, in affine coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Affine {
    x: Fe,
    y: Fe,
}

impl Affine {
    /// A point from its coordinates' words (for constant tables).
    const fn new(x: [u32; 8], y: [u32; 8]) -> Self {
        Self { x: Fe(x), y: Fe(y) }
    }

    /// Whether y² = x³ − 3x + b.
    fn is_on_curve(&self) -> bool {
        let x3 = self.x.square().mul(&self.x);
        let three_x = self.x.double().add(&self.x);
        self.y.square() == x3.sub(&three_x).add(&B)
    }

    /// −self.
    fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
        }
    }
}

/// A point in Jacobian coordinates: (X/Z², Y/Z³), and the identity when Z = 0.
#[derive(Clone, Copy, Debug)]
struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl Jacobian {
    /// The identity.
    const INFINITY: Self = Self {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    fn from_affine(a: &Affine) -> Self {
        Self {
            x: a.x,
            y: a.y,
            z: Fe::ONE,
        }
    }

    fn is_infinity(&self) -> bool {
        self.z.is_zero()
    }

    fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// 2·self ("dbl-2001-b": a = −3). The identity doubles to itself (its Z stays 0), and
    /// P-256 has no point of order two.
    fn double(&self) -> Self {
        if self.is_infinity() {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let alpha = self.x.sub(&delta).mul(&self.x.add(&delta));
        let alpha = alpha.double().add(&alpha);
        let four_beta = beta.double().double();
        let x = alpha.square().sub(&four_beta.double());
        let z = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
        let eight_gamma_sq = gamma.square().double().double().double();
        let y = alpha.mul(&four_beta.sub(&x)).sub(&eight_gamma_sq);
        Self { x, y, z }
    }

    /// self + other ("add-2007-bl"), with the identity, equal points and opposite points
    /// handled first.
    fn add(&self, other: &Self) -> Self {
        if self.is_infinity() {
            return *other;
        }
        if other.is_infinity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = other.x.mul(&z1z1);
        let s1 = self.y.mul(&other.z).mul(&z2z2);
        let s2 = other.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let s = s2.sub(&s1);
        if h.is_zero() {
            return if s.is_zero() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let r = s.double();
        let v = u1.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&s1.mul(&j).double());
        let z = self.z.add(&other.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Self { x, y, z }
    }

    /// self + other for an affine other ("madd-2007-bl"), special cases first as in
    /// [`Jacobian::add`].
    fn add_affine(&self, other: &Affine) -> Self {
        if self.is_infinity() {
            return Self::from_affine(other);
        }
        let z1z1 = self.z.square();
        let u2 = other.x.mul(&z1z1);
        let s2 = other.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let s = s2.sub(&self.y);
        if h.is_zero() {
            return if s.is_zero() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let r = s.double();
        let v = self.x.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&self.y.mul(&j).double());
        let z = self.z.add(&h).square().sub(&z1z1).sub(&hh);
        Self { x, y, z }
    }
}

/// NAF width for G, whose odd multiples up to 63G are constants.
const G_WIDTH: u32 = 7;
/// NAF width for the key, whose odd multiples up to 15Q are computed per signature.
const Q_WIDTH: u32 = 5;

/// u₁·G + u₂·q, the scalars given big-endian.
fn double_mul(u1: &[u8; 32], u2: &[u8; 32], q: &Affine) -> Jacobian {
    let d1 = wnaf(u1, G_WIDTH);
    let d2 = wnaf(u2, Q_WIDTH);
    let q = Jacobian::from_affine(q);
    let q2 = q.double();
    let mut q_odd = [q; 1 << (Q_WIDTH - 2)];
    for i in 1..q_odd.len() {
        q_odd[i] = q_odd[i - 1].add(&q2);
    }
    let mut acc = Jacobian::INFINITY;
    for (a, b) in d1.iter().zip(&d2).rev() {
        acc = acc.double();
        if *a != 0 {
            let t = &table::G_ODD_MULTIPLES[usize::from(a.unsigned_abs() / 2)];
            acc = acc.add_affine(&if *a > 0 { *t } else { t.neg() });
        }
        if *b != 0 {
            let t = &q_odd[usize::from(b.unsigned_abs() / 2)];
            acc = acc.add(&if *b > 0 { *t } else { t.neg() });
        }
    }
    acc
}

/// The width-`w` non-adjacent form of a 256-bit number (big-endian): 257 signed digits, least
/// significant first, whose sum of dᵢ·2ⁱ is the number. Every non-zero digit is odd and below
/// 2^(w−1) in size, and is followed by at least w − 1 zeros.
fn wnaf(scalar: &[u8; 32], w: u32) -> [i8; 257] {
    let bit = |i: usize| -> u32 {
        if i >= 256 {
            return 0;
        }
        u32::from(scalar[31 - i / 8] >> (i % 8) & 1)
    };
    let mut digits = [0i8; 257];
    let mut carry = 0u32;
    let mut i = 0usize;
    while i < 257 {
        // With the carry from the last digit added, bit i is even: a zero digit (a set bit
        // and a carry make 0 here and carry on).
        if bit(i) == carry {
            i += 1;
            continue;
        }
        let mut window = carry;
        for k in 0..w as usize {
            window += bit(i + k) << k;
        }
        // window is odd and at most 2^w − 1: above 2^(w−1) it becomes negative, and 2^w
        // is carried into the next window.
        carry = window >> (w - 1) & 1;
        let digit = window as i32 - (carry << w) as i32;
        digits[i] = digit as i8;
        i += w as usize;
    }
    digits
}

#[cfg(test)]
mod tests;
