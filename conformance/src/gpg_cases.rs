//! Cases for the differential test of `signedBy` (OpenPGP simple signing) against
//! containers/image with gpgme: keys made and signatures made by gpg (Debian's gnupg) in a
//! scratch home, over payloads vouch builds.
//!
//! The key pool covers RSA-2048/4096, Ed25519, ECDSA P-256/P-384, an expired key, a key that
//! expires, a revoked key, a key whose signing is done by a subkey, and a key created in the
//! future. Signatures are binary (compressed or not), armoured, cleartext, detached, text
//! mode, by two signers, expired, expiring and from the future; some are then spoiled
//! (a flipped byte, trailing garbage, truncation, two messages glued together). Keyrings
//! come by keyPath, keyPaths and keyData, binary or armoured, sometimes with a garbage,
//! empty, truncated, secret or missing entry.
//!
//! Each image (a manifest, a reference and its signatures) is decided under several
//! policies, so the gpg work is shared.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use crate::evaluations::{b64, hex64};
use crate::generate::Rng;
use crate::sigstore_cases::{
    claimed_identity, draw_image, normalise, payload_of, sha256_digest, signed_identity,
};

/// A gpg home in a scratch directory; the agent is stopped when it is dropped (and a
/// directory made by [`Gpg::scratch`] removed).
#[derive(Debug)]
pub struct Gpg {
    home: PathBuf,
    scratch: Option<PathBuf>,
}

impl Gpg {
    /// A fresh home in `/tmp/vouch-<tag>-<pid>`, removed when dropped. The path is short
    /// because gpg-agent's socket lives in the home and socket paths are limited.
    ///
    /// # Panics
    /// When the directory cannot be made.
    pub fn scratch(tag: &str) -> Self {
        let dir = PathBuf::from(format!("/tmp/vouch-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let mut gpg = Self::new(&dir);
        gpg.scratch = Some(dir);
        gpg
    }

    /// A fresh home under `dir` (kept short: gpg-agent's socket path is limited).
    ///
    /// # Panics
    /// When the directory cannot be made.
    pub fn new(dir: &Path) -> Self {
        let home = dir.join("gnupg");
        std::fs::create_dir_all(&home).expect("gpg home");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700))
                .expect("gpg home mode");
        }
        Self {
            home,
            scratch: None,
        }
    }

    /// The gpg home directory (`--homedir`).
    #[must_use]
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Runs gpg non-interactively with `args`, `input` on stdin; returns stdout.
    ///
    /// # Panics
    /// When gpg fails.
    pub fn run(&self, args: &[&str], input: &[u8]) -> Vec<u8> {
        self.invoke(&["--batch"], args, input)
    }

    /// Runs gpg without `--batch` (it refuses some commands in batch mode, `--gen-revoke`
    /// among them), answering its questions from `answers`; returns stdout.
    ///
    /// # Panics
    /// When gpg fails.
    pub fn run_interactive(&self, args: &[&str], answers: &[u8]) -> Vec<u8> {
        self.invoke(&["--command-fd", "0"], args, answers)
    }

    fn invoke(&self, mode: &[&str], args: &[&str], input: &[u8]) -> Vec<u8> {
        let mut child = Command::new("gpg")
            .arg("--homedir")
            .arg(&self.home)
            .args(mode)
            .args([
                "--yes",
                "--quiet",
                "--no-tty",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg runs (apt install gnupg)");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output().expect("gpg output");
        writer.join().expect("writer").expect("write to gpg");
        assert!(
            output.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// The fingerprint of the first key whose user ID holds `email`.
    ///
    /// # Panics
    /// When there is no such key.
    pub fn fingerprint(&self, email: &str) -> String {
        let listing = self.run(&["--with-colons", "--list-keys", email], b"");
        String::from_utf8_lossy(&listing)
            .lines()
            .find_map(|line| line.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').nth(8))
            .expect("a fingerprint")
            .to_string()
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(&self.home)
            .args(["--kill", "gpg-agent"])
            .output();
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A key of the pool.
#[derive(Debug, Clone)]
pub struct GpgKey {
    /// A short name for reports.
    pub name: &'static str,
    /// The primary key's fingerprint (`-u` for signing).
    pub fingerprint: String,
    /// `gpg --export`, binary.
    pub public: Vec<u8>,
    /// `gpg --export --armor`.
    pub armored: Vec<u8>,
    /// `gpg --export-secret-keys`, binary (a "bad key" for policies).
    pub secret: Vec<u8>,
    /// The faked time to sign at (the key's own time), if any.
    sign_at: Option<&'static str>,
    /// Sign with the primary key exactly (`!`), or let gpg pick a signing subkey.
    exact: bool,
}

struct KeySpec {
    name: &'static str,
    algo: &'static str,
    usage: &'static str,
    expire: &'static str,
    created_at: Option<&'static str>,
    sign_at: Option<&'static str>,
    revoke: bool,
    signing_subkey: bool,
}

const fn spec(name: &'static str, algo: &'static str) -> KeySpec {
    KeySpec {
        name,
        algo,
        usage: "sign",
        expire: "never",
        // Keys are made in the past, so that signatures that have expired can be made.
        created_at: Some("20210101T000000!"),
        sign_at: None,
        revoke: false,
        signing_subkey: false,
    }
}

/// Makes the key pool in `gpg`'s home.
///
/// # Panics
/// When gpg fails.
pub fn keys(gpg: &Gpg) -> Vec<GpgKey> {
    let specs = [
        spec("rsa2048", "rsa2048"),
        spec("rsa4096", "rsa4096"),
        spec("ed25519-a", "ed25519"),
        spec("ed25519-b", "ed25519"),
        spec("p256", "nistp256"),
        spec("p384", "nistp384"),
        KeySpec {
            expire: "1y",
            created_at: Some("20200101T000000!"),
            sign_at: Some("20200601T000000!"),
            ..spec("expired", "ed25519")
        },
        KeySpec {
            expire: "15y",
            ..spec("expiring", "ed25519")
        },
        KeySpec {
            revoke: true,
            ..spec("revoked", "ed25519")
        },
        KeySpec {
            usage: "cert",
            signing_subkey: true,
            ..spec("subkey", "ed25519")
        },
        KeySpec {
            created_at: Some("20400101T000000!"),
            sign_at: Some("20400601T000000!"),
            ..spec("future", "ed25519")
        },
    ];
    let mut out = Vec::new();
    for spec in specs {
        let email = format!("{}@vouch.test", spec.name);
        let uid = format!("vouch test {} <{email}>", spec.name);
        let mut args = Vec::new();
        if let Some(at) = spec.created_at {
            args.extend(["--faked-system-time", at]);
        }
        args.extend([
            "--quick-gen-key",
            uid.as_str(),
            spec.algo,
            spec.usage,
            spec.expire,
        ]);
        gpg.run(&args, b"");
        let fingerprint = gpg.fingerprint(&email);
        if spec.signing_subkey {
            let mut args = Vec::new();
            if let Some(at) = spec.created_at {
                args.extend(["--faked-system-time", at]);
            }
            args.extend(["--quick-add-key", &fingerprint, spec.algo, "sign", "never"]);
            gpg.run(&args, b"");
        }
        let mut public = gpg.run(&["--export", &fingerprint], b"");
        let mut armored = gpg.run(&["--export", "--armor", &fingerprint], b"");
        if spec.revoke {
            // The signing home keeps the key usable; the exported key carries the revocation.
            // gpg keeps a revocation certificate for every new key, with its armour line
            // disarmed by a leading colon; it is imported into a second home beside the
            // public key, and the revoked key exported from there.
            let path = gpg
                .home
                .join("openpgp-revocs.d")
                .join(format!("{fingerprint}.rev"));
            let text = std::fs::read_to_string(&path).expect("revocation certificate");
            let certificate = text.replace(":-----BEGIN", "-----BEGIN");
            let other = Gpg::new(&gpg.home.join("revoked"));
            other.run(&["--import"], &public);
            other.run(&["--import"], certificate.as_bytes());
            public = other.run(&["--export", &fingerprint], b"");
            armored = other.run(&["--export", "--armor", &fingerprint], b"");
        }
        out.push(GpgKey {
            name: spec.name,
            public,
            armored,
            secret: gpg.run(&["--export-secret-keys", &fingerprint], b""),
            fingerprint,
            sign_at: spec.sign_at,
            exact: !spec.signing_subkey,
        });
    }
    out
}

/// How a message is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `gpg --sign` (compressed).
    Binary,
    /// `gpg --sign --compress-algo none`.
    Uncompressed,
    /// `gpg --sign --armor`.
    Armored,
    /// `gpg --clearsign`.
    Cleartext,
    /// `gpg --detach-sign`: a signature without the content.
    Detached,
    /// `gpg --sign --textmode`.
    Text,
    /// `gpg --sign` by two keys (this one and another of the pool).
    TwoSigners(usize),
    /// Signed long ago, expiring a day later.
    ExpiredSignature,
    /// Expiring in five years.
    ExpiringSignature,
    /// Signed in the future.
    FutureSignature,
}

/// How a message is spoiled after signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoil {
    /// Untouched.
    None,
    /// One byte flipped (somewhere in the middle).
    Flip,
    /// Garbage appended.
    Trailing,
    /// The last bytes cut off.
    Truncate,
    /// Another signature of the image appended.
    Concat,
}

/// One signature of an image.
#[derive(Debug, Clone)]
struct SignatureSpec {
    key: usize,
    payload: Vec<u8>,
    mode: Mode,
    spoil: Spoil,
}

/// An image with its signatures, decided under several policies.
#[derive(Debug)]
struct ImageSpec {
    reference: String,
    manifest: Vec<u8>,
    signatures: Vec<SignatureSpec>,
    /// A cosign attachment among the signatures (skipped by `signedBy`).
    with_sigstore: bool,
}

/// One finished case.
#[derive(Debug)]
pub struct Case {
    /// For reports.
    pub label: String,
    /// vouch's interchange request.
    pub vouch: Value,
    /// The oracle's request.
    pub oracle: Value,
}

fn mode(rng: &mut Rng, keys: &[GpgKey]) -> Mode {
    match rng.below(40) {
        0..=11 => Mode::Binary,
        12..=16 => Mode::Uncompressed,
        17..=21 => Mode::Armored,
        22..=24 => Mode::Cleartext,
        25 => Mode::Detached,
        26..=28 => Mode::Text,
        29..=31 => Mode::TwoSigners(rng.below(keys.len())),
        32 | 33 => Mode::ExpiredSignature,
        34 | 35 => Mode::ExpiringSignature,
        36 => Mode::FutureSignature,
        _ => Mode::Binary,
    }
}

fn spoil(rng: &mut Rng) -> Spoil {
    match rng.below(30) {
        0 | 1 => Spoil::Flip,
        2 => Spoil::Trailing,
        3 => Spoil::Truncate,
        4 => Spoil::Concat,
        _ => Spoil::None,
    }
}

fn images(rng: &mut Rng, keys: &[GpgKey], n: usize) -> Vec<ImageSpec> {
    (0..n)
        .map(|_| {
            let (manifest, digest, reference, image) = draw_image(rng);
            let signatures = (0..1 + rng.below(3))
                .map(|_| {
                    let signed_digest = match rng.below(12) {
                        0 => format!("sha256:{}", hex64(rng)),
                        1 => "sha256:not-hex".into(),
                        _ => digest.clone(),
                    };
                    let claimed = if rng.chance(15) {
                        format!(
                            "mirror.example.com/{}",
                            image.split_once('/').map_or("", |(_, r)| r)
                        )
                    } else {
                        claimed_identity(rng, &image, &digest)
                    };
                    SignatureSpec {
                        key: rng.below(keys.len()),
                        payload: if rng.chance(75) {
                            simple_payload(rng, &claimed, &signed_digest)
                        } else {
                            payload_of(
                                rng,
                                &claimed,
                                &signed_digest,
                                "atomic container signature",
                                "cosign container image signature",
                            )
                        },
                        mode: mode(rng, keys),
                        spoil: spoil(rng),
                    }
                })
                .collect();
            ImageSpec {
                reference,
                manifest,
                signatures,
                with_sigstore: rng.chance(5),
            }
        })
        .collect()
}

/// A payload as `podman image sign` writes it: an atomic signature with a creator and an
/// integer timestamp.
fn simple_payload(rng: &mut Rng, identity: &str, digest: &str) -> Vec<u8> {
    let identity = serde_json::to_string(identity).expect("string");
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":{identity}}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"atomic container signature"}},"optional":{{"creator":"vouch test","timestamp":{}}}}}"#,
        1_600_000_000 + rng.below(100_000_000)
    )
    .into_bytes()
}

/// Signs one message with gpg.
fn sign(gpg: &Gpg, keys: &[GpgKey], signature: &SignatureSpec) -> Vec<u8> {
    let key = &keys[signature.key];
    let user = |key: &GpgKey| {
        if key.exact {
            format!("{}!", key.fingerprint)
        } else {
            key.fingerprint.clone()
        }
    };
    let first = user(key);
    let mut args: Vec<String> = vec!["-u".into(), first];
    let mut at = key.sign_at;
    let operation = match signature.mode {
        Mode::Binary => "--sign",
        Mode::Uncompressed => {
            args.extend(["--compress-algo".into(), "none".into()]);
            "--sign"
        }
        Mode::Armored => {
            args.push("--armor".into());
            "--sign"
        }
        Mode::Cleartext => "--clearsign",
        Mode::Detached => "--detach-sign",
        Mode::Text => {
            args.push("--textmode".into());
            "--sign"
        }
        Mode::TwoSigners(other) => {
            // Keys with their own time (expired, future) sign alone.
            if at.is_none() && keys[other].sign_at.is_none() {
                args.extend(["-u".into(), user(&keys[other])]);
            }
            "--sign"
        }
        Mode::ExpiredSignature => {
            args.extend(["--default-sig-expire".into(), "1d".into()]);
            at = at.or(Some("20230101T000000!"));
            "--sign"
        }
        Mode::ExpiringSignature => {
            args.extend(["--default-sig-expire".into(), "5y".into()]);
            "--sign"
        }
        Mode::FutureSignature => {
            // The expired key cannot sign later than its own time.
            if key.name == "future" {
                at = Some("20410101T000000!");
            } else if at.is_none() {
                at = Some("20300101T000000!");
            }
            "--sign"
        }
    };
    if let Some(at) = at {
        args.extend(["--faked-system-time".into(), at.into()]);
    }
    args.push(operation.into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    gpg.run(&args, &signature.payload)
}

fn spoiled(blob: &[u8], spoil: Spoil, other: Option<&[u8]>, n: usize) -> Vec<u8> {
    let mut blob = blob.to_vec();
    match spoil {
        Spoil::None => {}
        Spoil::Flip => {
            if !blob.is_empty() {
                let at = blob.len() / 3 + n % (blob.len() / 3 + 1);
                let at = at.min(blob.len() - 1);
                blob[at] ^= 0x10;
            }
        }
        Spoil::Trailing => blob.extend_from_slice(b"\x00garbage after the packets"),
        Spoil::Truncate => blob.truncate(blob.len().saturating_sub(7)),
        Spoil::Concat => blob.extend_from_slice(other.unwrap_or(&[0xa3, 0x01])),
    }
    blob
}

/// A keyring file's bytes for the trusted keys, binary or armoured.
fn keyring(keys: &[GpgKey], trusted: &[usize], armored: bool) -> Vec<u8> {
    trusted
        .iter()
        .flat_map(|&k| {
            if armored {
                keys[k].armored.clone()
            } else {
                keys[k].public.clone()
            }
        })
        .collect()
}

/// Draws `images` images, each decided under `policies` policies, signs everything with
/// gpg, and writes the requests. `now` is the RFC 3339 time vouch decides at (gpgme uses the
/// clock).
///
/// # Panics
/// When gpg fails.
pub fn cases(
    rng: &mut Rng,
    gpg: &Gpg,
    keys: &[GpgKey],
    images_count: usize,
    policies: usize,
    now: &str,
) -> Vec<Case> {
    let images = images(rng, keys, images_count);
    let mut out = Vec::with_capacity(images_count * policies);
    for (n, image) in images.iter().enumerate() {
        let signed: Vec<Vec<u8>> = image
            .signatures
            .iter()
            .map(|s| sign(gpg, keys, s))
            .collect();
        let mut blobs: Vec<Value> = image
            .signatures
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let other = signed.get((i + 1) % signed.len()).map(Vec::as_slice);
                json!({"kind": "simple", "blob": b64(&spoiled(&signed[i], s.spoil, other, n))})
            })
            .collect();
        if image.with_sigstore {
            let at = rng.below(blobs.len() + 1);
            blobs.insert(
                at,
                json!({"kind": "sigstore", "mime": "application/vnd.dev.cosign.simplesigning.v1+json",
                       "payload": b64(b"{}"), "annotations": {"dev.cosignproject.cosign/signature": "AAAA"}}),
            );
        }
        let shape = image
            .signatures
            .iter()
            .map(|s| format!("{}:{:?}:{:?}", keys[s.key].name, s.mode, s.spoil))
            .collect::<Vec<_>>()
            .join(",");
        let digest = sha256_digest(&image.manifest);
        let image_name = normalise(&image.reference);
        for _ in 0..policies {
            let (requirement, files, keys_label) =
                requirement(rng, keys, image, &image_name, &digest);
            let policy = json!({"default": [{"type": "reject"}], "transports": {"docker": {"": [requirement]}}});
            let policy_text = serde_json::to_string(&policy).expect("policy");
            let manifest = b64(&image.manifest);
            let vouch = json!({"policy_text": policy_text, "files": files, "transport": "docker",
                               "reference": image.reference, "manifest": manifest,
                               "signatures": blobs, "now": now});
            let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": files,
                                "transport": "docker", "reference": image.reference,
                                "manifest": manifest, "signatures": blobs});
            out.push(Case {
                label: format!(
                    "{} {keys_label} signatures={shape}{}",
                    requirement_identity(&policy),
                    if image.with_sigstore { "+sigstore" } else { "" }
                ),
                vouch,
                oracle,
            });
        }
    }
    out
}

fn requirement_identity(policy: &Value) -> String {
    policy["transports"]["docker"][""][0]["signedIdentity"]["type"]
        .as_str()
        .unwrap_or("default")
        .to_string()
}

/// A `signedBy` requirement for `image`: trusted keys (mostly the signers), a key source,
/// sometimes a bad entry, and an identity rule.
fn requirement(
    rng: &mut Rng,
    keys: &[GpgKey],
    image: &ImageSpec,
    image_name: &str,
    digest: &str,
) -> (Value, Map<String, Value>, String) {
    let mut trusted: Vec<usize> = Vec::new();
    for signature in &image.signatures {
        if rng.chance(70) && !trusted.contains(&signature.key) {
            trusted.push(signature.key);
        }
    }
    if trusted.is_empty() || rng.chance(20) {
        let extra = rng.below(keys.len());
        if !trusted.contains(&extra) {
            trusted.push(extra);
        }
    }
    let armored = rng.chance(30);
    // One blob per trusted key (keyPaths), or all in one (keyPath, keyData).
    let mut entries: Vec<(String, Option<Vec<u8>>)> = trusted
        .iter()
        .map(|&k| (keys[k].name.to_string(), Some(keyring(keys, &[k], armored))))
        .collect();
    let mut bad = "";
    if rng.chance(15) {
        let first = &keys[trusted[0]];
        let (label, bytes): (&str, Option<Vec<u8>>) = match rng.below(6) {
            0 => ("garbage", Some(b"not a keyring".to_vec())),
            1 => ("empty", Some(Vec::new())),
            2 => (
                "truncated",
                Some(first.public[..first.public.len() / 2].to_vec()),
            ),
            3 => ("secret", Some(first.secret.clone())),
            4 => (
                "trailing",
                Some([first.public.as_slice(), b"\x00\x01garbage"].concat()),
            ),
            _ => ("missing", None),
        };
        bad = label;
        let at = rng.below(entries.len() + 1);
        entries.insert(at, (label.to_string(), bytes));
    }
    let source = rng.below(3);
    let mut files = Map::new();
    let mut fields = Map::new();
    let path = |i: usize| format!("/vouch-gpg/key-{i}.gpg");
    match source {
        // keyPath: everything in one file (a missing entry makes the file missing).
        0 => {
            let missing = entries.iter().any(|(_, b)| b.is_none());
            if !missing {
                let all: Vec<u8> = entries
                    .iter()
                    .flat_map(|(_, b)| b.clone().unwrap_or_default())
                    .collect();
                files.insert(path(0), Value::String(b64(&all)));
            }
            fields.insert("keyPath".into(), json!(path(0)));
        }
        // keyPaths: a file per entry.
        1 => {
            let mut paths = Vec::new();
            for (i, (_, bytes)) in entries.iter().enumerate() {
                if let Some(bytes) = bytes {
                    files.insert(path(i), Value::String(b64(bytes)));
                }
                paths.push(path(i));
            }
            fields.insert("keyPaths".into(), json!(paths));
        }
        // keyData: everything inline (a missing entry contributes nothing).
        _ => {
            let all: Vec<u8> = entries
                .iter()
                .flat_map(|(_, b)| b.clone().unwrap_or_default())
                .collect();
            fields.insert("keyData".into(), json!(b64(&all)));
        }
    }
    fields.insert("type".into(), json!("signedBy"));
    let key_type = match rng.below(40) {
        0 => "X509Certificates",
        1 => "signedByGPGKeys",
        _ => "GPGKeys",
    };
    fields.insert("keyType".into(), json!(key_type));
    let identity = signed_identity(rng, image_name, digest);
    if !identity.is_null() {
        fields.insert("signedIdentity".into(), identity);
    }
    let label = format!(
        "{} {}{} trusted={} bad={bad}",
        ["keyPath", "keyPaths", "keyData"][source],
        key_type,
        if armored { " armored" } else { "" },
        trusted
            .iter()
            .map(|&k| keys[k].name)
            .collect::<Vec<_>>()
            .join(",")
    );
    (Value::Object(fields), files, label)
}

/// Whether a difference from containers/image is the documented one (docs/decisions.md,
/// "Differences"): gpg repairs or ignores
/// damage in the parts of a message no signature covers (armour framing and checksum line
/// form, a deflate stream whose last block is not marked final, a last packet whose length
/// overshoots the data, unhashed subpackets that do not parse); vouch refuses such a message
/// as malformed. Only a damaged message (cut short or with a flipped byte) that vouch refused
/// as malformed for one of these reasons counts; any other difference fails the test.
#[must_use]
pub fn damaged_framing(label: &str, ours: &Value) -> bool {
    ours["requirements"][0]["signatures"]
        .as_array()
        .is_some_and(|signatures| signatures.iter().any(|s| framing_refusal(label, s)))
}

/// Whether vouch refused this signature (an entry of a decision's `signatures`) as malformed
/// for one of the documented framing reasons of [`damaged_framing`], in a case whose label
/// says it was damaged on purpose (cut short or with a flipped byte).
#[must_use]
pub fn framing_refusal(label: &str, signature: &Value) -> bool {
    const DAMAGED_FRAMING: [&str; 5] = [
        "armor",
        "fewer bytes than its length field says",
        "incomplete deflate stream",
        "invalid packet content",
        "unexpected trailing data",
    ];
    let damaged = label.contains(":Truncate") || label.contains(":Flip");
    damaged
        && signature["reason"] == "malformed_signature"
        && signature["message"]
            .as_str()
            .is_some_and(|m| DAMAGED_FRAMING.iter().any(|d| m.contains(d)))
}
