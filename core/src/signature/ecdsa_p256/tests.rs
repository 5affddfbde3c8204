use alloc::vec;
use alloc::vec::Vec;

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use p256::elliptic_curve::ops::Reduce;
use p256::elliptic_curve::point::{AffineCoordinates as _, DecompressPoint as _};
use p256::elliptic_curve::subtle::Choice;
use p256::{AffinePoint, FieldBytes, ProjectivePoint, Scalar};
use proptest::prelude::*;
use rsa::BigUint;

use super::field::Fe;
use super::*;

fn p() -> BigUint {
    BigUint::parse_bytes(
        b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        16,
    )
    .unwrap()
}

fn big(fe: &Fe) -> BigUint {
    BigUint::from_bytes_be(&fe.to_be_bytes())
}

fn fe(value: &BigUint) -> Fe {
    let bytes = value.to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - bytes.len()..].copy_from_slice(&bytes);
    Fe::from_be_bytes(&out).unwrap()
}

/// Values where carries and the reduction's folds are at their extremes.
fn edge_values() -> Vec<BigUint> {
    let p = p();
    let one = BigUint::from(1u8);
    let mut values = vec![
        BigUint::from(0u8),
        one.clone(),
        BigUint::from(2u8),
        &p - &one,
        &p - BigUint::from(2u8),
        (&p - &one) >> 1,
        (&one << 255) % &p,
        (&one << 224) - &one,
        (&one << 192),
        (&one << 96) - &one,
        (&one << 32) - &one,
    ];
    // Every word all ones, and every word zero, below p.
    for word in 0..8 {
        values.push((((&one << 32) - &one) << (32 * word)) % &p);
        values.push((((&one << 256) - &one) ^ (((&one << 32) - &one) << (32 * word))) % &p);
    }
    values
}

fn any_fe() -> impl Strategy<Value = BigUint> {
    prop_oneof![
        any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_be(&b) % p()),
        (0..edge_values().len()).prop_map(|i| edge_values()[i].clone()),
    ]
}

#[test]
fn field_operations_on_edge_values_match_big_integers() {
    let p = p();
    for a in edge_values() {
        for b in edge_values() {
            let (x, y) = (fe(&a), fe(&b));
            assert_eq!(big(&x.mul(&y)), &a * &b % &p, "{a:x} * {b:x}");
            assert_eq!(big(&x.add(&y)), (&a + &b) % &p, "{a:x} + {b:x}");
            assert_eq!(big(&x.sub(&y)), (&a + &p - &b) % &p, "{a:x} - {b:x}");
        }
        assert_eq!(big(&fe(&a).square()), &a * &a % &p, "{a:x}^2");
        assert_eq!(big(&fe(&a).neg()), (&p - &a) % &p, "-{a:x}");
    }
}

#[test]
fn values_at_or_above_p_are_not_field_elements() {
    let p = p();
    for v in [
        p.clone(),
        &p + BigUint::from(1u8),
        (BigUint::from(1u8) << 256) - 1u8,
    ] {
        let bytes = v.to_bytes_be();
        assert_eq!(
            Fe::from_be_bytes(bytes.as_slice().try_into().unwrap()),
            None
        );
    }
}

proptest! {
    #[test]
    fn field_operations_match_big_integers(a in any_fe(), b in any_fe()) {
        let p = p();
        let (x, y) = (fe(&a), fe(&b));
        prop_assert_eq!(big(&x.mul(&y)), &a * &b % &p);
        prop_assert_eq!(big(&x.square()), &a * &a % &p);
        prop_assert_eq!(big(&x.add(&y)), (&a + &b) % &p);
        prop_assert_eq!(big(&x.sub(&y)), (&a + &p - &b) % &p);
    }

    #[test]
    fn wnaf_digits_sum_to_the_scalar(bytes in any::<[u8; 32]>(), w in 2u32..8) {
        check_wnaf(&bytes, w);
    }
}

fn check_wnaf(bytes: &[u8; 32], w: u32) {
    let digits = wnaf(bytes, w);
    let (mut positive, mut negative) = (BigUint::from(0u8), BigUint::from(0u8));
    let mut last_non_zero: Option<usize> = None;
    for (i, d) in digits.iter().enumerate() {
        if *d == 0 {
            continue;
        }
        assert_eq!(d.rem_euclid(2), 1, "digit {i} is even");
        assert!(
            i32::from(d.unsigned_abs()) < 1 << (w - 1),
            "digit {i} too big"
        );
        if let Some(last) = last_non_zero {
            assert!(i - last >= w as usize, "digits {last} and {i} too close");
        }
        last_non_zero = Some(i);
        let term = BigUint::from(d.unsigned_abs()) << i;
        if *d > 0 {
            positive += term;
        } else {
            negative += term;
        }
    }
    assert_eq!(positive, BigUint::from_bytes_be(bytes) + negative);
}

#[test]
fn wnaf_of_extreme_scalars() {
    let mut n_minus_one = N;
    n_minus_one[31] -= 1;
    for bytes in [[0u8; 32], [0xff; 32], N, n_minus_one, {
        let mut b = [0u8; 32];
        b[31] = 1;
        b
    }] {
        for w in 2..8 {
            check_wnaf(&bytes, w);
        }
    }
}

fn affine_of(point: ProjectivePoint) -> Affine {
    let a = point.to_affine();
    Affine {
        x: Fe::from_be_bytes(&a.x().into()).unwrap(),
        y: Fe::from_be_bytes(&a.y().into()).unwrap(),
    }
}

#[test]
fn the_table_holds_the_odd_multiples_of_g() {
    for (i, entry) in table::G_ODD_MULTIPLES.iter().enumerate() {
        let k = Scalar::from(2 * i as u64 + 1);
        assert_eq!(
            *entry,
            affine_of(ProjectivePoint::GENERATOR * k),
            "{}G",
            2 * i + 1
        );
        assert!(entry.is_on_curve());
    }
}

/// Whether the Jacobian point is the affine one.
fn same_point(j: &Jacobian, a: &Affine) -> bool {
    let zz = j.z.square();
    !j.is_infinity() && j.x == a.x.mul(&zz) && j.y == a.y.mul(&zz.mul(&j.z))
}

proptest! {
    #[test]
    fn double_mul_matches_p256(u1 in any::<[u8; 32]>(), u2 in any::<[u8; 32]>(), d in any::<[u8; 32]>()) {
        let reduce = |b: [u8; 32]| <Scalar as Reduce<FieldBytes>>::reduce(&b.into());
        let (u1, u2, d) = (reduce(u1), reduce(u2), reduce(d));
        prop_assume!(d != Scalar::ZERO);
        let q = ProjectivePoint::GENERATOR * d;
        let expected = ProjectivePoint::GENERATOR * u1 + q * u2;
        let got = double_mul(&u1.to_bytes().into(), &u2.to_bytes().into(), &affine_of(q));
        prop_assert!(same_point(&got, &affine_of(expected)));
    }
}

/// A signature of the digest `z` by the secret `d` with the nonce `k`, made with p256's
/// scalar and point arithmetic.
fn sign(d: Scalar, k: Scalar, z: &[u8; 32]) -> Option<Signature> {
    let r_point = (ProjectivePoint::GENERATOR * k).to_affine();
    let r = <Scalar as Reduce<FieldBytes>>::reduce(&r_point.x());
    let z = <Scalar as Reduce<FieldBytes>>::reduce(&(*z).into());
    let s = Option::<Scalar>::from(k.invert())? * (z + r * d);
    Signature::from_scalars(r.to_bytes(), s.to_bytes()).ok()
}

fn key_of(d: Scalar) -> (P256Key, p256::ecdsa::VerifyingKey) {
    let point = (ProjectivePoint::GENERATOR * d).to_affine();
    let reference = p256::ecdsa::VerifyingKey::from_affine(point).unwrap();
    let sec1 = reference.to_sec1_point(false);
    (P256Key::from_sec1(sec1.as_bytes()).unwrap(), reference)
}

/// Both verifiers' answers, which must agree.
fn both(key: &(P256Key, p256::ecdsa::VerifyingKey), z: &[u8], signature: &Signature) -> bool {
    let ours = key.0.verify_prehash(z, signature);
    let theirs = key.1.verify_prehash(z, signature).is_ok();
    assert_eq!(ours, theirs, "digest {z:02x?}, signature {signature:?}");
    ours
}

fn scalar(bytes: [u8; 32]) -> Scalar {
    <Scalar as Reduce<FieldBytes>>::reduce(&bytes.into())
}

proptest! {
    #[test]
    fn verification_agrees_with_p256(
        d in any::<[u8; 32]>(),
        k in any::<[u8; 32]>(),
        z in any::<[u8; 32]>(),
        flip in 0usize..(64 * 8),
        noise in any::<[u8; 64]>(),
    ) {
        let (d, k) = (scalar(d), scalar(k));
        prop_assume!(d != Scalar::ZERO && k != Scalar::ZERO);
        let key = key_of(d);
        let Some(signature) = sign(d, k, &z) else { return Ok(()) };
        prop_assert!(both(&key, &z, &signature));
        // One bit of the signature flipped.
        let mut bytes: [u8; 64] = signature.to_bytes().into();
        bytes[flip / 8] ^= 1 << (flip % 8);
        if let Ok(forged) = Signature::from_slice(&bytes) {
            prop_assert!(!both(&key, &z, &forged));
        }
        // One bit of the digest flipped.
        let mut other = z;
        other[flip % 256 / 8] ^= 1 << (flip % 8);
        prop_assert!(!both(&key, &other, &signature));
        // Noise as a signature, and digests longer and shorter than 32 bytes.
        if let Ok(noise) = Signature::from_slice(&noise) {
            prop_assert!(!both(&key, &z, &noise));
        }
        let mut long = [0u8; 48];
        long[..32].copy_from_slice(&z);
        long[32..].copy_from_slice(&noise[..16]);
        prop_assert!(both(&key, &long, &signature));
        both(&key, &z[..20], &signature);
    }
}

/// The digest whose number modulo n is `e`.
fn digest_of(e: Scalar) -> [u8; 32] {
    e.to_bytes().into()
}

#[test]
fn equal_and_opposite_points_inside_the_multiplication() {
    // With Q = G and z ≡ r, u₁ = u₂: the first digits of both scalars add the same point to
    // the identity and then to itself, so the additions meet equal points.
    let one = Scalar::ONE;
    let key = key_of(one);
    for seed in 1..40u64 {
        let k = Scalar::from(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let r_point = (ProjectivePoint::GENERATOR * k).to_affine();
        let r = <Scalar as Reduce<FieldBytes>>::reduce(&r_point.x());
        let z = digest_of(r);
        let signature = sign(one, k, &z).unwrap();
        assert!(both(&key, &z, &signature), "seed {seed}");
    }
    // With Q = −G and z ≡ r, u₁·G + u₂·Q is the identity: refused.
    let minus_one = -Scalar::ONE;
    let key = key_of(minus_one);
    for seed in 1..40u64 {
        let r = Scalar::from(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let s = Scalar::from(seed * 7 + 3);
        let signature = Signature::from_scalars(r.to_bytes(), s.to_bytes()).unwrap();
        assert!(!both(&key, &digest_of(r), &signature), "seed {seed}");
    }
    // Small keys, with digests that are small multiples of r: the two digit strings run in
    // step, and the accumulator meets table points and their negatives.
    for d in [2u64, 3, 5, 7] {
        for c in [1u64, 2, 3, 5] {
            for sign_of_c in [Scalar::ONE, -Scalar::ONE] {
                for seed in 1..8u64 {
                    let d = Scalar::from(d);
                    let key = key_of(d);
                    let k = Scalar::from(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) + c);
                    let r_point = (ProjectivePoint::GENERATOR * k).to_affine();
                    let r = <Scalar as Reduce<FieldBytes>>::reduce(&r_point.x());
                    let z = digest_of(r * Scalar::from(c) * sign_of_c);
                    // When c·(±1) = −d, s would be 0: no signature.
                    let Some(signature) = sign(d, k, &z) else {
                        continue;
                    };
                    assert!(both(&key, &z, &signature));
                    let forged = Signature::from_scalars(r.to_bytes(), (r * d).to_bytes());
                    if let Ok(forged) = forged {
                        both(&key, &z, &forged);
                    }
                }
            }
        }
    }
}

#[test]
fn an_x_coordinate_above_n_is_compared_modulo_n() {
    // A point R whose x is at least n, so r = x − n: with s and u₁ chosen freely, the key
    // Q = u₂⁻¹(R − u₁G) makes (r, s) a valid signature of z = u₁·s.
    let mut found = 0;
    let n = BigUint::from_bytes_be(&N);
    for offset in 0u32..64 {
        let x = &n + BigUint::from(offset);
        let mut x_bytes = [0u8; 32];
        x_bytes.copy_from_slice(&x.to_bytes_be());
        let Some(point) = Option::<AffinePoint>::from(AffinePoint::decompress(
            &x_bytes.into(),
            Choice::from(u8::from(offset % 2 == 1)),
        )) else {
            continue;
        };
        let r = scalar(x_bytes);
        assert_eq!(r, Scalar::from(u64::from(offset)));
        if r == Scalar::ZERO {
            continue;
        }
        let s = Scalar::from(0x1234_5678_9abc_def1u64 + u64::from(offset));
        let u1 = Scalar::from(0x0fed_cba9_8765_4321u64.wrapping_mul(u64::from(offset + 1)));
        let u2 = r * Option::<Scalar>::from(s.invert()).unwrap();
        let z = u1 * s;
        let q = (ProjectivePoint::from(point) - ProjectivePoint::GENERATOR * u1)
            * Option::<Scalar>::from(u2.invert()).unwrap();
        let q = q.to_affine();
        let reference = p256::ecdsa::VerifyingKey::from_affine(q).unwrap();
        let ours = P256Key::from_sec1(reference.to_sec1_point(true).as_bytes()).unwrap();
        let key = (ours, reference);
        let signature = Signature::from_scalars(r.to_bytes(), s.to_bytes()).unwrap();
        assert!(both(&key, &digest_of(z), &signature), "offset {offset}");
        // The same with r + 1: refused by both.
        let other = Signature::from_scalars((r + Scalar::ONE).to_bytes(), s.to_bytes()).unwrap();
        assert!(!both(&key, &digest_of(z), &other));
        found += 1;
    }
    assert!(found > 10, "only {found} points with x above n");
}

#[test]
fn keys_are_read_compressed_or_not_and_checked() {
    let d = Scalar::from(0xdead_beef_u64);
    let point = (ProjectivePoint::GENERATOR * d).to_affine();
    let reference = p256::ecdsa::VerifyingKey::from_affine(point).unwrap();
    let full = reference.to_sec1_point(false);
    let short = reference.to_sec1_point(true);
    let a = P256Key::from_sec1(full.as_bytes()).unwrap();
    let b = P256Key::from_sec1(short.as_bytes()).unwrap();
    assert_eq!(a.q, b.q);
    let mut off = full.as_bytes().to_vec();
    off[64] ^= 1;
    assert!(P256Key::from_sec1(&off).is_none());
    assert!(P256Key::from_sec1(&[0]).is_none());
    assert!(P256Key::from_sec1(&[]).is_none());
}

/// k·G in Jacobian coordinates with Z = λ, so that the special cases are met with Z ≠ 1.
fn scaled(k: u64, lambda: u64) -> (Jacobian, Affine) {
    let a = affine_of(ProjectivePoint::GENERATOR * Scalar::from(k));
    let l = Fe([lambda as u32, (lambda >> 32) as u32, 0, 0, 0, 0, 0, 0]);
    let ll = l.square();
    let j = Jacobian {
        x: a.x.mul(&ll),
        y: a.y.mul(&ll.mul(&l)),
        z: l,
    };
    (j, a)
}

#[test]
fn point_operations_handle_the_identity_and_equal_and_opposite_points() {
    for (k, lambda) in [(1u64, 1u64), (3, 7), (12345, 0xffff_ffff_ffff), (99, 2)] {
        let (j, a) = scaled(k, lambda);
        let twice = affine_of(ProjectivePoint::GENERATOR * Scalar::from(2 * k));
        let thrice = affine_of(ProjectivePoint::GENERATOR * Scalar::from(3 * k));
        assert!(same_point(&j, &a));
        assert!(same_point(&j.double(), &twice));
        assert!(same_point(&j.add(&j), &twice));
        assert!(same_point(&j.add_affine(&a), &twice));
        assert!(same_point(&j.double().add(&j), &thrice));
        assert!(same_point(&j.double().add_affine(&a), &thrice));
        assert!(j.add(&j.neg()).is_infinity());
        assert!(j.add_affine(&a.neg()).is_infinity());
        let inf = Jacobian::INFINITY;
        assert!(same_point(&inf.add(&j), &a));
        assert!(same_point(&j.add(&inf), &a));
        assert!(same_point(&inf.add_affine(&a), &a));
        assert!(inf.double().is_infinity());
        assert!(inf.add(&inf).is_infinity());
    }
}

/// The nine terms of the NIST reduction as FIPS 186-5 gives them: each term's weight, then the
/// index of the word at each of its eight places, least significant first (16 for zero).
const TERMS: [(i64, [usize; 8]); 9] = [
    (1, [0, 1, 2, 3, 4, 5, 6, 7]),
    (2, [16, 16, 16, 11, 12, 13, 14, 15]),
    (2, [16, 16, 16, 12, 13, 14, 15, 16]),
    (1, [8, 9, 10, 16, 16, 16, 14, 15]),
    (1, [9, 10, 11, 13, 14, 15, 13, 8]),
    (-1, [11, 12, 13, 16, 16, 16, 8, 10]),
    (-1, [12, 13, 14, 15, 16, 16, 9, 11]),
    (-1, [13, 14, 15, 8, 9, 10, 16, 12]),
    (-1, [14, 15, 16, 9, 10, 11, 16, 13]),
];

proptest! {
    /// The reduction's place sums are the nine terms', and the residue is the big integer's.
    #[test]
    fn reduction_is_the_nist_terms_and_the_residue(words in any::<[u32; 16]>()) {
        let value = words
            .iter()
            .rev()
            .fold(BigUint::from(0u8), |acc, w| (acc << 32) + BigUint::from(*w));
        prop_assume!(value < p() * p());
        let mut expected = BigUint::from(0u8);
        let mut negative = BigUint::from(0u8);
        for (weight, indices) in TERMS {
            let term = indices.iter().enumerate().fold(BigUint::from(0u8), |acc, (place, i)| {
                let w = if *i == 16 { 0 } else { words[*i] };
                acc + (BigUint::from(w) << (32 * place))
            });
            if weight > 0 {
                expected += term * BigUint::from(weight as u64);
            } else {
                negative += term;
            }
        }
        let p = p();
        let by_terms = (expected + &negative * (&p - 1u8)) % &p;
        prop_assert_eq!(&by_terms, &(&value % &p));
        prop_assert_eq!(big(&field::reduce_for_tests(&words)), value % p);
    }
}
