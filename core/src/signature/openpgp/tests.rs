//! Keys and messages built here, signed with Ed25519, exercise the rules end to end
//! without gpg; the differential suites (conformance/tests/gpg_*) hold them to gpg.
use ed25519_dalek::{Signer as _, SigningKey};
use sha2::Digest as _;

use super::key::KeyPacket;
use super::*;
use crate::signature::key_problem::KeyProblem;
use alloc::string::String;
use alloc::vec::Vec;

const CREATED: u32 = 1_600_000_000;

fn mpi(bytes: &[u8]) -> Vec<u8> {
    let bytes = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
    let bits = bytes.first().map_or(0, |b| {
        (bytes.len() - 1) * 8 + (8 - b.leading_zeros() as usize)
    });
    let mut out = (bits as u16).to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = alloc::vec![0xc0 | tag, 255];
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

struct Signer {
    secret: SigningKey,
    body: Vec<u8>,
}

impl Signer {
    fn new(seed: u8) -> Self {
        let secret = SigningKey::from_bytes(&[seed; 32]);
        let mut body = alloc::vec![4];
        body.extend_from_slice(&CREATED.to_be_bytes());
        body.push(22);
        body.push(9);
        body.extend_from_slice(&[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
        let mut point = alloc::vec![0x40];
        point.extend_from_slice(secret.verifying_key().as_bytes());
        body.extend_from_slice(&mpi(&point));
        Self { secret, body }
    }

    fn fingerprint(&self) -> [u8; 20] {
        KeyPacket::parse(&self.body).unwrap().fingerprint
    }

    /// A v4 signature of `kind` over `signed` (what precedes the hashed tail), with
    /// extra hashed subpackets.
    fn sign(&self, kind: u8, signed: &[u8], extra: &[u8]) -> Vec<u8> {
        self.sign_at(kind, signed, extra, CREATED + 10)
    }

    fn sign_at(&self, kind: u8, signed: &[u8], extra: &[u8], created: u32) -> Vec<u8> {
        let fingerprint = self.fingerprint();
        let mut hashed = alloc::vec![5, 2];
        hashed.extend_from_slice(&created.to_be_bytes());
        hashed.extend_from_slice(&[22, 33, 4]);
        hashed.extend_from_slice(&fingerprint);
        hashed.extend_from_slice(extra);
        let mut body = alloc::vec![4, kind, 22, 8];
        body.extend_from_slice(&(hashed.len() as u16).to_be_bytes());
        body.extend_from_slice(&hashed);
        let mut tail = body.clone();
        tail.extend_from_slice(&[4, 0xff]);
        tail.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let digest = sha2::Sha256::new()
            .chain_update(signed)
            .chain_update(&tail)
            .finalize();
        let signature = self.secret.sign(&digest).to_bytes();
        body.extend_from_slice(&[0, 10, 9, 16]);
        body.extend_from_slice(&fingerprint[12..]);
        body.extend_from_slice(&digest[..2]);
        body.extend_from_slice(&mpi(&signature[..32]));
        body.extend_from_slice(&mpi(&signature[32..]));
        packet(2, &body)
    }

    fn key_hashed(&self) -> Vec<u8> {
        let mut out = sig::key_header(&self.body).to_vec();
        out.extend_from_slice(&self.body);
        out
    }

    /// The public key with a user ID certified by `certifier` (normally itself).
    fn export(&self, certifier: &Signer, extra: &[u8]) -> Vec<u8> {
        self.export_at(certifier, extra, CREATED + 10)
    }

    /// The same, certified at `created`.
    fn export_at(&self, certifier: &Signer, extra: &[u8], created: u32) -> Vec<u8> {
        let user_id = b"vouch test <test@example.com>";
        let mut signed = self.key_hashed();
        signed.push(0xb4);
        signed.extend_from_slice(&(user_id.len() as u32).to_be_bytes());
        signed.extend_from_slice(user_id);
        let mut out = packet(6, &self.body);
        out.extend_from_slice(&packet(13, user_id));
        out.extend_from_slice(&certifier.sign_at(0x13, &signed, extra, created));
        out
    }

    fn message(&self, content: &[u8]) -> Vec<u8> {
        let mut ops = alloc::vec![3, 0, 8, 22];
        ops.extend_from_slice(&self.fingerprint()[12..]);
        ops.push(1);
        let mut literal = alloc::vec![b'b', 0, 0, 0, 0, 0];
        literal.extend_from_slice(content);
        let mut out = packet(4, &ops);
        out.extend_from_slice(&packet(11, &literal));
        out.extend_from_slice(&self.sign(0, content, &[]));
        out
    }
}

#[test]
fn a_self_certified_key_verifies_its_messages() {
    let key = Signer::new(1);
    let keyring = keyring(&[&key.export(&key, &[])]);
    assert_eq!(keyring.len(), 1);
    let verified = keyring.verify_untimed(&key.message(b"payload")).unwrap();
    assert_eq!(verified.content, b"payload");
    assert_eq!(
        verified.validity.fingerprint_hex,
        upper_hex(&key.fingerprint())
    );
    assert_eq!(
        verified.validity.check(Some(i64::from(CREATED) + 100)),
        Ok(())
    );
    // The same message, compressed (zlib), verifies too.
    let mut compressed = alloc::vec![2];
    compressed.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(
        &key.message(b"payload"),
        6,
    ));
    let verified = keyring.verify_untimed(&packet(8, &compressed)).unwrap();
    assert_eq!(verified.content, b"payload");
}

#[test]
fn forged_content_and_foreign_keys_are_refused() {
    let key = Signer::new(1);
    let other = Signer::new(2);
    let keyring = keyring(&[&key.export(&key, &[])]);
    let mut forged = key.message(b"payload");
    let at = forged.windows(7).position(|w| w == b"payload").unwrap();
    forged[at] = b'P';
    assert!(matches!(
        keyring.verify_untimed(&forged),
        Err(PgpError::Bad(_))
    ));
    assert!(matches!(
        keyring.verify_untimed(&other.message(b"payload")),
        Err(PgpError::Untrusted(_))
    ));
    // A user ID certified by another key does not make the key importable.
    assert_eq!(super::keyring(&[&key.export(&other, &[])]).len(), 0);
    // Two signatures are refused whatever they are.
    let mut two = key.message(b"payload");
    two.extend_from_slice(&key.sign(0, b"payload", &[]));
    assert!(keyring.verify_untimed(&two).is_err());
}

#[test]
fn revocation_expiry_and_flags_come_from_valid_self_signatures() {
    let key = Signer::new(1);
    // Expires 100 seconds after its creation; may only certify.
    let mut extra = alloc::vec![5, 9];
    extra.extend_from_slice(&100u32.to_be_bytes());
    let keyring = keyring(&[&key.export(&key, &extra)]);
    let verified = keyring.verify_untimed(&key.message(b"x")).unwrap();
    let now = i64::from(CREATED);
    assert_eq!(verified.validity.check(Some(now + 50)), Ok(()));
    assert!(verified.validity.check(Some(now + 100)).is_err());
    assert_eq!(verified.validity.check(None), Err(PgpError::NeedTime));
    // Flags that leave out signing, and an empty flags byte, forbid signing (as gpg decides).
    for flags in [0x01, 0x00] {
        let certify_only = super::keyring(&[&key.export(&key, &[2, 27, flags])]);
        let verified = certify_only.verify_untimed(&key.message(b"x")).unwrap();
        assert!(matches!(
            verified.validity.check(Some(now)),
            Err(PgpError::KeyUnusable(_))
        ));
    }
    // A key revocation by the key itself.
    let mut revoked = packet(6, &key.body);
    revoked.extend_from_slice(&key.sign(0x20, &key.key_hashed(), &[]));
    revoked.extend_from_slice(&key.export(&key, &[])[packet(6, &key.body).len()..]);
    let verified = super::keyring(&[&revoked])
        .verify_untimed(&key.message(b"x"))
        .unwrap();
    assert!(matches!(
        verified.validity.check(None),
        Err(PgpError::KeyUnusable(KeyProblem::Revoked { .. }))
    ));
    // A key created after the time of the decision is one gpg would not have imported.
    assert!(matches!(
        verified.validity.check(Some(now - 1)),
        Err(PgpError::Untrusted(_))
    ));
}

#[test]
fn keyrings_merge_across_blocks_and_files_as_gpg_imports_them() {
    let key = Signer::new(1);
    let now = i64::from(CREATED) + 10;
    let decide = |files: &[&[u8]]| {
        super::keyring(files)
            .verify_untimed(&key.message(b"x"))
            .and_then(|v| v.validity.check(Some(now)))
    };
    let plain = key.export(&key, &[]);
    let revocation = key.sign(0x20, &key.key_hashed(), &[]);
    // A revocation certificate as its own file or stream after the key revokes it ...
    assert!(matches!(
        decide(&[&plain, &revocation]),
        Err(PgpError::KeyUnusable(KeyProblem::Revoked { .. }))
    ));
    // ... and so does a later keyblock of the same key without a user ID ...
    let mut key_and_revocation = packet(6, &key.body);
    key_and_revocation.extend_from_slice(&revocation);
    assert!(matches!(
        decide(&[&plain, &key_and_revocation]),
        Err(PgpError::KeyUnusable(KeyProblem::Revoked { .. }))
    ));
    // ... or a revocation after the user ID, in the same stream.
    let mut after_uid = plain.clone();
    after_uid.extend_from_slice(&revocation);
    assert!(matches!(
        decide(&[&after_uid]),
        Err(PgpError::KeyUnusable(KeyProblem::Revoked { .. }))
    ));
    // A revocation certificate before the key it revokes is skipped (gpg: "no public key").
    assert_eq!(decide(&[&revocation, &plain]), Ok(()));
    // A keyblock without a user ID imports nothing on its own.
    assert!(matches!(
        decide(&[&key_and_revocation]),
        Err(PgpError::Untrusted(_))
    ));
    // A revocation that does not verify, for a key already imported, ends its file: the key
    // after it in the same file is not imported.
    let other = Signer::new(2);
    let mut bad = revocation.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let mut bad_then_other = bad.clone();
    bad_then_other.extend_from_slice(&other.export(&other, &[]));
    let keyring = super::keyring(&[&plain, &bad_then_other]);
    assert_eq!(keyring.len(), 1);
    assert!(keyring.verify_untimed(&key.message(b"x")).is_ok());
    // An expiry that a later file's newer self-signature lifts no longer holds, and one that
    // a newer self-signature brings does.
    let mut soon = alloc::vec![5, 9];
    soon.extend_from_slice(&5u32.to_be_bytes());
    let expiring = key.export_at(&key, &soon, CREATED);
    let lifted = key.export_at(&key, &[], CREATED + 1);
    assert_eq!(decide(&[&expiring, &lifted]), Ok(()));
    assert_eq!(decide(&[&lifted, &expiring]), Ok(()));
    let shortened = key.export_at(&key, &soon, CREATED + 2);
    assert!(matches!(
        decide(&[&lifted, &shortened]),
        Err(PgpError::KeyUnusable(_))
    ));
    // Merging the same self-signature again changes nothing (ties go to the later one).
    let tie_open = key.export_at(&key, &[], CREATED + 3);
    let tie_expiring = key.export_at(&key, &soon, CREATED + 3);
    assert!(matches!(
        decide(&[&tie_open, &tie_expiring, &tie_open]),
        Err(PgpError::KeyUnusable(_))
    ));
    assert_eq!(decide(&[&tie_expiring, &tie_open, &tie_expiring]), Ok(()));
}

fn b64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn armoured_keyrings_and_messages() {
    let key = Signer::new(3);
    let armour = |kind: &str, data: &[u8]| {
        let crc = armor::crc24(data).to_be_bytes();
        let text = b64(data);
        let crc = b64(&crc[1..]);
        format!("-----BEGIN PGP {kind}-----\n\n{text}\n={crc}\n-----END PGP {kind}-----\n")
    };
    let exported = armour("PUBLIC KEY BLOCK", &key.export(&key, &[]));
    // Two blocks in one file (the first a key that does not import).
    let other = Signer::new(4);
    let file = format!(
        "{}{exported}",
        armour("PUBLIC KEY BLOCK", &other.export(&key, &[]))
    );
    let keyring = keyring(&[file.as_bytes()]);
    assert_eq!(keyring.len(), 1);
    let message = armour("MESSAGE", &key.message(b"{}"));
    assert_eq!(
        keyring.verify_untimed(message.as_bytes()).unwrap().content,
        b"{}"
    );
}
