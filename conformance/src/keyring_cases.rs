//! Cases for the differential test of `signedBy` keyring import against containers/image with
//! gpgme: keyrings of many shapes, made from packets gpg made.
//!
//! A small pool of keys is made once in a scratch gpg home, at faked times in 2020 (and one in
//! 2040): plain keys (Ed25519, RSA), a key that expired at the end of 2020 and was then
//! extended, a key whose expiry was shortened and extended again, a key whose signing usage was
//! taken away and given back, a key with two user IDs whose first one was revoked, a key with a
//! designated revoker and that revoker's revocation of it, a certify-only key that signs with a
//! subkey that is later revoked, a key created in the future; revocation certificates (from
//! `--gen-revoke` and from `openpgp-revocs.d`). Every state of every key is exported, and the
//! exports are split into packets.
//!
//! The packets are then combined into keyrings, the way people and tools put key files
//! together: revocations before, inside and after keyblocks, in the same file or another;
//! keyblocks without user IDs or without self-signatures; self-signatures of several states of
//! a key in any order, spread over files; several keys, duplicated blocks, foreign and broken
//! revocations (a flipped byte, an issuer that is another key); subkey bindings dropped,
//! broken or revoked; binary files (new- and old-format packet headers) and armoured files
//! (one block, a block per keyblock, prose between blocks, a bad or missing checksum, other
//! armour labels); keyPath, keyPaths and keyData. Each keyring is decided for one image signed
//! by one of the pool's keys, at a faked time (or now), sometimes with a signature that has
//! expired, armoured or cleartext.
//!
//! The expected decisions are not computed here: the oracle (containers/image with gpgme, on
//! the real clock) gives them. Every time in the pool is far from the present, so the seconds
//! between vouch's `now` and the oracle's clock never matter.

use std::collections::BTreeMap;

use base64ct::{Base64, Encoding as _};
use serde_json::{Value, json};

use crate::evaluations::b64;
use crate::generate::Rng;
use crate::gpg_cases::Gpg;
use crate::oracle;
use crate::sigstore_cases::sha256_digest;

// ---------------------------------------------------------------------------------------------
// OpenPGP packets: a reader and a writer for the packet framing (RFC 4880 section 4.2).

/// Packet tags used here.
pub mod tag {
    /// Signature.
    pub const SIGNATURE: u8 = 2;
    /// Secret key.
    pub const SECRET_KEY: u8 = 5;
    /// Public key.
    pub const PUBLIC_KEY: u8 = 6;
    /// Literal data.
    pub const LITERAL: u8 = 11;
    /// User ID.
    pub const USER_ID: u8 = 13;
    /// Public subkey.
    pub const PUBLIC_SUBKEY: u8 = 14;
}

/// One packet: its tag and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// The packet tag.
    pub tag: u8,
    /// The body, without the header.
    pub body: Vec<u8>,
}

impl Packet {
    /// A signature's class (type), or `None` for other packets.
    #[must_use]
    pub fn sig_class(&self) -> Option<u8> {
        (self.tag == tag::SIGNATURE && self.body.len() > 1 && self.body[0] == 4)
            .then(|| self.body[1])
    }

    /// A v4 signature's hashed and unhashed subpacket areas, as (offset, length) of each.
    fn areas(&self) -> ((usize, usize), (usize, usize)) {
        let hashed = usize::from(u16::from_be_bytes([self.body[4], self.body[5]]));
        let at = 6 + hashed;
        let unhashed = usize::from(u16::from_be_bytes([self.body[at], self.body[at + 1]]));
        ((6, hashed), (at + 2, unhashed))
    }

    /// The subpackets of one area: (type, offset of the data, length of the data).
    fn subpackets(&self, (start, len): (usize, usize)) -> Vec<(u8, usize, usize)> {
        let mut out = Vec::new();
        let mut at = start;
        while at < start + len {
            let first = usize::from(self.body[at]);
            let (size, header) = match first {
                0..=191 => (first, 1),
                192..=254 => (
                    ((first - 192) << 8) + usize::from(self.body[at + 1]) + 192,
                    2,
                ),
                _ => (
                    u32::from_be_bytes([
                        self.body[at + 1],
                        self.body[at + 2],
                        self.body[at + 3],
                        self.body[at + 4],
                    ]) as usize,
                    5,
                ),
            };
            out.push((self.body[at + header] & 0x7f, at + header + 1, size - 1));
            at += header + size;
        }
        out
    }

    /// A v4 signature's creation time (0 if it has none).
    #[must_use]
    pub fn sig_created(&self) -> u32 {
        let (hashed, _) = self.areas();
        self.subpackets(hashed)
            .into_iter()
            .find(|(t, _, _)| *t == 2)
            .map_or(0, |(_, at, _)| {
                u32::from_be_bytes([
                    self.body[at],
                    self.body[at + 1],
                    self.body[at + 2],
                    self.body[at + 3],
                ])
            })
    }

    /// The signature with the last byte of its signature value flipped: it no longer verifies.
    #[must_use]
    pub fn flipped(&self) -> Self {
        let mut body = self.body.clone();
        let last = body.len() - 1;
        body[last] ^= 0x01;
        Self {
            tag: self.tag,
            body,
        }
    }

    /// The signature with its (unhashed) issuer key ID subpacket naming `key_id` instead.
    #[must_use]
    pub fn with_issuer(&self, key_id: [u8; 8]) -> Self {
        let (_, unhashed) = self.areas();
        let mut body = self.body.clone();
        for (t, at, len) in self.subpackets(unhashed) {
            if t == 16 && len == 8 {
                body[at..at + 8].copy_from_slice(&key_id);
            }
        }
        Self {
            tag: self.tag,
            body,
        }
    }
}

/// Splits a binary packet sequence (as gpg writes it) into packets.
///
/// # Panics
/// On framing gpg does not write for keys (partial or indeterminate lengths), or a short read.
#[must_use]
pub fn split(bytes: &[u8]) -> Vec<Packet> {
    let be = |b: &[u8]| b.iter().fold(0usize, |n, &x| (n << 8) | usize::from(x));
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let ctb = bytes[at];
        assert!(ctb & 0x80 != 0, "not a packet header at {at}");
        let (tag, len, header) = if ctb & 0x40 != 0 {
            let first = usize::from(bytes[at + 1]);
            match first {
                0..=191 => (ctb & 0x3f, first, 2),
                192..=223 => (
                    ctb & 0x3f,
                    ((first - 192) << 8) + usize::from(bytes[at + 2]) + 192,
                    3,
                ),
                255 => (ctb & 0x3f, be(&bytes[at + 2..at + 6]), 6),
                _ => panic!("partial body length in a key export"),
            }
        } else {
            let tag = (ctb >> 2) & 0x0f;
            match ctb & 3 {
                0 => (tag, usize::from(bytes[at + 1]), 2),
                1 => (tag, be(&bytes[at + 1..at + 3]), 3),
                2 => (tag, be(&bytes[at + 1..at + 5]), 5),
                _ => panic!("indeterminate length in a key export"),
            }
        };
        out.push(Packet {
            tag,
            body: bytes[at + header..at + header + len].to_vec(),
        });
        at += header + len;
    }
    out
}

/// How packet headers are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// New format, shortest length (gpg's choice for most packets).
    New,
    /// New format, always the five-byte length.
    NewLong,
    /// Old format, shortest length type.
    Old,
    /// Old format, always the four-byte length.
    OldLong,
}

/// One packet with its header.
#[must_use]
pub fn write_packet(packet: &Packet, framing: Framing) -> Vec<u8> {
    let len = packet.body.len();
    let mut out = Vec::with_capacity(len + 6);
    match framing {
        Framing::New | Framing::NewLong => {
            out.push(0xc0 | packet.tag);
            if framing == Framing::NewLong || len >= 8384 {
                out.push(0xff);
                out.extend_from_slice(&u32::try_from(len).expect("size").to_be_bytes());
            } else if len < 192 {
                out.push(u8::try_from(len).expect("size"));
            } else {
                let rest = len - 192;
                out.push(u8::try_from((rest >> 8) + 192).expect("size"));
                out.push(u8::try_from(rest & 0xff).expect("size"));
            }
        }
        Framing::Old | Framing::OldLong => {
            let base = 0x80 | (packet.tag << 2);
            if framing == Framing::OldLong || len > 0xffff {
                out.push(base | 2);
                out.extend_from_slice(&u32::try_from(len).expect("size").to_be_bytes());
            } else if len < 256 {
                out.push(base);
                out.push(u8::try_from(len).expect("size"));
            } else {
                out.push(base | 1);
                out.extend_from_slice(&u16::try_from(len).expect("size").to_be_bytes());
            }
        }
    }
    out.extend_from_slice(&packet.body);
    out
}

/// Packets one after another.
#[must_use]
pub fn write_all(packets: &[Packet], framing: Framing) -> Vec<u8> {
    packets
        .iter()
        .flat_map(|p| write_packet(p, framing))
        .collect()
}

/// The OpenPGP armour checksum (RFC 4880 section 6.1).
#[must_use]
pub fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
}

/// The armour checksum line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crc {
    /// The right checksum.
    Good,
    /// A wrong checksum.
    Bad,
    /// No checksum line.
    Missing,
}

/// `data` armoured under `label` (e.g. `PGP PUBLIC KEY BLOCK`).
#[must_use]
pub fn armor(data: &[u8], label: &str, crc: Crc) -> Vec<u8> {
    let mut out = format!("-----BEGIN {label}-----\nComment: vouch keyring test\n\n");
    let text = Base64::encode_string(data);
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64"));
        out.push('\n');
    }
    let sum = match crc {
        Crc::Good => Some(crc24(data)),
        Crc::Bad => Some(crc24(data) ^ 0x00_0101),
        Crc::Missing => None,
    };
    if let Some(sum) = sum {
        let bytes = sum.to_be_bytes();
        out.push('=');
        out.push_str(&Base64::encode_string(&bytes[1..]));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

/// The data of the first armoured block in `text`.
///
/// # Panics
/// When there is no well-formed block.
#[must_use]
pub fn dearmor(text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut lines = text
        .lines()
        .skip_while(|l| !l.trim_start_matches(':').starts_with("-----BEGIN PGP"));
    lines.next().expect("an armour header line");
    let body: String = lines
        .skip_while(|l| !l.trim().is_empty())
        .skip(1)
        .take_while(|l| !l.starts_with('=') && !l.starts_with("-----END"))
        .map(str::trim)
        .collect();
    Base64::decode_vec(&body).expect("armour base64")
}

// ---------------------------------------------------------------------------------------------
// The pool: keys and their states, made once by gpg.

/// A key of the pool: every state it was exported in, and its parts.
#[derive(Clone, Debug)]
pub struct PoolKey {
    /// Short name for labels.
    pub name: &'static str,
    /// The primary fingerprint (upper-case hex).
    pub fingerprint: String,
    /// `gpg --export` at each step of the key's history, split into packets, oldest first.
    pub states: Vec<Vec<Packet>>,
    /// `gpg --export-secret-keys` (binary), if kept.
    pub secret: Option<Vec<u8>>,
}

impl PoolKey {
    /// The key ID (the last 8 bytes of the fingerprint).
    #[must_use]
    pub fn key_id(&self) -> [u8; 8] {
        let hex = &self.fingerprint[self.fingerprint.len() - 16..];
        let mut id = [0u8; 8];
        for (i, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
        }
        id
    }

    /// The last state.
    #[must_use]
    pub fn latest(&self) -> &[Packet] {
        self.states.last().expect("a state")
    }

    /// The first state.
    #[must_use]
    pub fn first(&self) -> &[Packet] {
        &self.states[0]
    }

    /// The primary key packet.
    #[must_use]
    pub fn primary(&self) -> Packet {
        self.states[0][0].clone()
    }

    /// Every part of the key over all its states: the signatures after the primary key, each
    /// user ID with all its signatures, each subkey with all its signatures (first seen first,
    /// no duplicates).
    #[must_use]
    pub fn parts(&self) -> Parts {
        let mut parts = Parts {
            direct: Vec::new(),
            users: Vec::new(),
            subkeys: Vec::new(),
        };
        for state in &self.states {
            let mut current: Option<(u8, usize)> = None;
            for packet in &state[1..] {
                match packet.tag {
                    tag::USER_ID | tag::PUBLIC_SUBKEY => {
                        let list = if packet.tag == tag::USER_ID {
                            &mut parts.users
                        } else {
                            &mut parts.subkeys
                        };
                        let at = list
                            .iter()
                            .position(|(p, _)| p == packet)
                            .unwrap_or_else(|| {
                                list.push((packet.clone(), Vec::new()));
                                list.len() - 1
                            });
                        current = Some((packet.tag, at));
                    }
                    tag::SIGNATURE => {
                        let sigs = match current {
                            None => &mut parts.direct,
                            Some((tag::USER_ID, at)) => &mut parts.users[at].1,
                            Some((_, at)) => &mut parts.subkeys[at].1,
                        };
                        if !sigs.contains(packet) {
                            sigs.push(packet.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        parts
    }
}

/// The parts of a key over all its states.
#[derive(Clone, Debug)]
pub struct Parts {
    /// Signatures directly on the primary key (revocations, direct-key signatures).
    pub direct: Vec<Packet>,
    /// User IDs and their signatures.
    pub users: Vec<(Packet, Vec<Packet>)>,
    /// Subkeys and their signatures.
    pub subkeys: Vec<(Packet, Vec<Packet>)>,
}

/// A signed image: a manifest, a reference and one simple-signing signature.
#[derive(Clone, Debug)]
pub struct Image {
    /// The docker reference.
    pub reference: String,
    /// The manifest.
    pub manifest: Vec<u8>,
    /// The signature blob (an OpenPGP message).
    pub blob: Vec<u8>,
    /// How it was signed, for labels.
    pub mode: &'static str,
}

/// Everything gpg made.
#[derive(Debug)]
pub struct Pool {
    /// The keys by name.
    pub keys: BTreeMap<&'static str, PoolKey>,
    /// Revocation certificates by key name: the signature packet.
    pub revocations: BTreeMap<&'static str, Packet>,
    /// Revocation certificates as gpg armours them (`--gen-revoke`), by key name.
    pub revocation_texts: BTreeMap<&'static str, Vec<u8>>,
    /// The `openpgp-revocs.d` file of a key, as gpg writes it (colon before the armour).
    pub revocs_d: BTreeMap<&'static str, Vec<u8>>,
    /// `--desig-revoke` of D by B: `[D's primary, 0x20 by B]`.
    pub designated: Vec<Packet>,
    /// Signed images by signer name.
    pub images: BTreeMap<&'static str, Vec<Image>>,
}

const T2020_01: &str = "20200101T000000!";
const T2020_02: &str = "20200201T000000!";
const T2020_03: &str = "20200301T000000!";
const T2020_06: &str = "20200601T000000!";
const T2020_07: &str = "20200701T000000!";
const T2020_08: &str = "20200801T000000!";
const T2020_09: &str = "20200901T000000!";
const T2020_11: &str = "20201101T000000!";
const T2040_01: &str = "20400101T000000!";
const T2040_06: &str = "20400601T000000!";

/// How an image is signed.
#[derive(Clone, Copy)]
struct SignMode {
    name: &'static str,
    /// Faked time; `None` signs at the key's default time.
    at: Option<&'static str>,
    args: &'static [&'static str],
    operation: &'static str,
}

const MODES: [SignMode; 6] = [
    SignMode {
        name: "binary",
        at: None,
        args: &[],
        operation: "--sign",
    },
    SignMode {
        name: "uncompressed",
        at: None,
        args: &["--compress-algo", "none"],
        operation: "--sign",
    },
    SignMode {
        name: "armored",
        at: None,
        args: &["--armor"],
        operation: "--sign",
    },
    SignMode {
        name: "cleartext",
        at: None,
        args: &[],
        operation: "--clearsign",
    },
    SignMode {
        name: "expired-sig",
        at: None,
        args: &["--default-sig-expire", "1d"],
        operation: "--sign",
    },
    SignMode {
        name: "expiring-sig",
        at: None,
        args: &["--default-sig-expire", "40y"],
        operation: "--sign",
    },
];

/// Signs one image per mode with `key` (`exact`: the primary key itself) at `at`, and one
/// at the real time when `now` allows.
fn sign_images(
    gpg: &Gpg,
    key: &PoolKey,
    exact: bool,
    at: &'static str,
    now: bool,
    counter: &mut usize,
    limit: usize,
) -> Vec<Image> {
    let user = if exact {
        format!("{}!", key.fingerprint)
    } else {
        key.fingerprint.clone()
    };
    let mut modes: Vec<(SignMode, Option<&str>)> = MODES.iter().map(|m| (*m, Some(at))).collect();
    if now {
        modes.push((
            SignMode {
                name: "now",
                at: None,
                args: &[],
                operation: "--sign",
            },
            None,
        ));
        modes.push((
            SignMode {
                name: "future-sig",
                at: Some("20300101T000000!"),
                args: &[],
                operation: "--sign",
            },
            None,
        ));
    }
    modes
        .into_iter()
        .take(limit)
        .map(|(mode, at)| {
            *counter += 1;
            let n = *counter;
            let manifest = format!(
                r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{:064x}","size":{}}},"layers":[]}}"#,
                n * 7919,
                100 + n
            )
            .into_bytes();
            let reference = format!(
                "registry.example.com/keyring/{}-{n}:v1",
                key.name.to_ascii_lowercase()
            );
            let payload = format!(
                r#"{{"critical":{{"identity":{{"docker-reference":"{reference}"}},"image":{{"docker-manifest-digest":"{}"}},"type":"atomic container signature"}},"optional":{{"creator":"vouch keyring test","timestamp":{}}}}}"#,
                sha256_digest(&manifest),
                1_580_000_000 + n
            );
            let mut args: Vec<&str> = vec!["-u", &user];
            if let Some(at) = mode.at.or(at) {
                args.extend(["--faked-system-time", at]);
            }
            args.extend(mode.args);
            args.push(mode.operation);
            let blob = gpg.run(&args, payload.as_bytes());
            Image {
                reference,
                manifest,
                blob,
                mode: mode.name,
            }
        })
        .collect()
}

/// Makes the pool in `gpg`'s home (about 70 gpg runs).
///
/// # Panics
/// When gpg fails.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn pool(gpg: &Gpg) -> Pool {
    let export = |fingerprint: &str| split(&gpg.run(&["--export", fingerprint], b""));
    let make = |name: &'static str, algo: &str, usage: &str, expire: &str, at: &str| {
        let email = format!("{name}@keyring.test");
        let uid = format!("keyring {name} <{email}>");
        gpg.run(
            &[
                "--faked-system-time",
                at,
                "--quick-gen-key",
                &uid,
                algo,
                usage,
                expire,
            ],
            b"",
        );
        let fingerprint = gpg.fingerprint(&email);
        PoolKey {
            name,
            states: vec![export(&fingerprint)],
            fingerprint,
            secret: None,
        }
    };
    let mut counter = 0;
    let mut images = BTreeMap::new();
    let mut keys = BTreeMap::new();

    // A: Ed25519 with an encryption subkey (so its export is pub, uid, 0x13, sub, 0x18).
    let mut a = make("A", "ed25519", "sign", "never", T2020_01);
    gpg.run(
        &[
            "--faked-system-time",
            T2020_01,
            "--quick-add-key",
            &a.fingerprint,
            "cv25519",
            "encr",
            "never",
        ],
        b"",
    );
    a.states.push(export(&a.fingerprint));
    a.secret = Some(gpg.run(&["--export-secret-keys", &a.fingerprint], b""));
    let b = make("B", "ed25519", "sign", "never", T2020_01);
    let c = make("C", "rsa2048", "sign", "never", T2020_01);
    let mut e = make("E", "ed25519", "sign", "1y", T2020_01);
    let mut s = make("S", "ed25519", "sign", "never", T2020_01);
    let mut u = make("U", "ed25519", "sign", "never", T2020_01);
    let mut m = make("M", "ed25519", "sign", "1y", T2020_01);
    let mut d = make("D", "ed25519", "sign", "never", T2020_01);
    let mut k = make("K", "ed25519", "cert", "never", T2020_01);
    gpg.run(
        &[
            "--faked-system-time",
            T2020_01,
            "--quick-add-key",
            &k.fingerprint,
            "ed25519",
            "sign",
            "never",
        ],
        b"",
    );
    k.states.push(export(&k.fingerprint));
    let f = make("F", "ed25519", "sign", "never", T2040_01);

    // Images, signed before any key changes.
    for (key, exact, at, now) in [
        (&a, true, T2020_02, true),
        (&b, true, T2020_02, true),
        (&c, true, T2020_03, true),
        (&e, true, T2020_02, false),
        (&s, true, T2020_02, true),
        (&u, true, T2020_02, true),
        (&m, true, T2020_02, false),
        (&d, true, T2020_02, true),
        (&k, false, T2020_02, true),
        (&f, true, T2040_06, false),
    ] {
        images.insert(
            key.name,
            sign_images(gpg, key, exact, at, now, &mut counter, usize::MAX),
        );
    }
    // E expired at the end of 2020: one more image signed late in its first year.
    let late = sign_images(gpg, &e, true, T2020_11, false, &mut counter, 1);
    images.get_mut("E").expect("E").extend(late);

    // Revocation certificates (made in June 2020; the keys in this home stay usable).
    let mut revocations = BTreeMap::new();
    let mut revocation_texts = BTreeMap::new();
    let mut revocs_d = BTreeMap::new();
    for key in [&a, &b, &c, &e, &u] {
        let text = gpg.run_interactive(
            &[
                "--faked-system-time",
                T2020_06,
                "--armor",
                "--gen-revoke",
                &key.fingerprint,
            ],
            b"y\n0\n\ny\n",
        );
        let packets = split(&dearmor(&text));
        assert_eq!(packets.len(), 1, "one revocation signature");
        revocations.insert(key.name, packets[0].clone());
        revocation_texts.insert(key.name, text);
        let path = gpg
            .home()
            .join("openpgp-revocs.d")
            .join(format!("{}.rev", key.fingerprint));
        revocs_d.insert(key.name, std::fs::read(path).expect("openpgp-revocs.d"));
    }

    // D names B as its designated revoker; B revokes D.
    gpg.run(
        &[
            "--faked-system-time",
            T2020_02,
            "--command-fd",
            "0",
            "--edit-key",
            &d.fingerprint,
        ],
        format!("addrevoker\n{}\ny\nsave\n", b.fingerprint).as_bytes(),
    );
    d.states.push(export(&d.fingerprint));
    let designated = split(&dearmor(&gpg.run_interactive(
        &[
            "--faked-system-time",
            T2020_07,
            "--armor",
            "--desig-revoke",
            &d.fingerprint,
        ],
        b"y\n0\n\ny\n",
    )));

    // M gets a second user ID in March (its self-signature carries the 1y expiry).
    gpg.run(
        &[
            "--faked-system-time",
            T2020_03,
            "--quick-add-uid",
            &m.fingerprint,
            "keyring M2 <m2@keyring.test>",
        ],
        b"",
    );
    m.states.push(export(&m.fingerprint));

    // June: E and M extended to 20 years; S shortened to September; U loses signing.
    for key in [&mut e, &mut m] {
        gpg.run(
            &[
                "--faked-system-time",
                T2020_06,
                "--quick-set-expire",
                &key.fingerprint,
                "20y",
            ],
            b"",
        );
        key.states.push(export(&key.fingerprint));
    }
    gpg.run(
        &[
            "--faked-system-time",
            T2020_06,
            "--quick-set-expire",
            &s.fingerprint,
            "2020-09-01",
        ],
        b"",
    );
    s.states.push(export(&s.fingerprint));
    gpg.run(
        &[
            "--faked-system-time",
            T2020_06,
            "--command-fd",
            "0",
            "--edit-key",
            &u.fingerprint,
        ],
        b"change-usage\nS\nQ\nsave\n",
    );
    u.states.push(export(&u.fingerprint));

    // August: S extended to 20 years.
    gpg.run(
        &[
            "--faked-system-time",
            T2020_08,
            "--quick-set-expire",
            &s.fingerprint,
            "20y",
        ],
        b"",
    );
    s.states.push(export(&s.fingerprint));

    // September: U signs again; M's first user ID revoked; K's signing subkey revoked.
    gpg.run(
        &[
            "--faked-system-time",
            T2020_09,
            "--command-fd",
            "0",
            "--edit-key",
            &u.fingerprint,
        ],
        b"change-usage\nS\nQ\nsave\n",
    );
    u.states.push(export(&u.fingerprint));
    gpg.run(
        &[
            "--faked-system-time",
            T2020_09,
            "--quick-revoke-uid",
            &m.fingerprint,
            "keyring M <M@keyring.test>",
        ],
        b"",
    );
    m.states.push(export(&m.fingerprint));
    gpg.run_interactive(
        &[
            "--faked-system-time",
            T2020_09,
            "--edit-key",
            &k.fingerprint,
        ],
        b"key 1\nrevkey\ny\n0\n\ny\nsave\n",
    );
    k.states.push(export(&k.fingerprint));

    for key in [a, b, c, e, s, u, m, d, k, f] {
        keys.insert(key.name, key);
    }
    Pool {
        keys,
        revocations,
        revocation_texts,
        revocs_d,
        designated,
        images,
    }
}

// ---------------------------------------------------------------------------------------------
// Keyrings.

/// A piece of a key file.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Packets (a keyblock, a revocation certificate, ...).
    Packets(Vec<Packet>),
    /// Text to put in an armoured file as it is (gpg's own armoured output, prose).
    Text(Vec<u8>),
}

/// How a file's pieces are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Binary packets.
    Binary(Framing),
    /// One armoured block per piece.
    Blocks,
    /// All packets in one armoured block.
    OneBlock,
}

/// One key file (`None`: named but missing).
pub type KeyFile = Option<Vec<u8>>;

/// Writes `pieces` as one file.
#[must_use]
pub fn file(pieces: &[Piece], encoding: Encoding) -> Vec<u8> {
    let has_text = pieces.iter().any(|p| matches!(p, Piece::Text(_)));
    let encoding = match encoding {
        Encoding::Binary(_) | Encoding::OneBlock if has_text => Encoding::Blocks,
        other => other,
    };
    match encoding {
        Encoding::Binary(framing) => pieces
            .iter()
            .flat_map(|p| match p {
                Piece::Packets(packets) => write_all(packets, framing),
                Piece::Text(_) => unreachable!(),
            })
            .collect(),
        Encoding::OneBlock => {
            let data: Vec<u8> = pieces
                .iter()
                .flat_map(|p| match p {
                    Piece::Packets(packets) => write_all(packets, Framing::New),
                    Piece::Text(_) => unreachable!(),
                })
                .collect();
            armor(&data, "PGP PUBLIC KEY BLOCK", Crc::Good)
        }
        Encoding::Blocks => pieces
            .iter()
            .flat_map(|p| match p {
                Piece::Packets(packets) => armor(
                    &write_all(packets, Framing::New),
                    "PGP PUBLIC KEY BLOCK",
                    Crc::Good,
                ),
                Piece::Text(text) => text.clone(),
            })
            .collect(),
    }
}

/// Where the policy finds the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// One file, `keyPath`.
    KeyPath,
    /// Files, `keyPaths`.
    KeyPaths,
    /// Inline, `keyData`.
    KeyData,
}

/// One keyring and the images it decides.
#[derive(Clone, Debug)]
pub struct Keyring {
    /// The shape family (SUMMARY.md's groups).
    pub family: &'static str,
    /// What was put together, for reports.
    pub label: String,
    /// The files, in `keyPaths` order.
    pub files: Vec<KeyFile>,
    /// How the policy names them (one file only for `KeyPath` and `KeyData`).
    pub source: Source,
    /// The signer and the index of the image among its images.
    pub images: Vec<(&'static str, usize)>,
}

/// One finished case.
#[derive(Debug)]
pub struct Case {
    /// The shape family.
    pub family: &'static str,
    /// For reports.
    pub label: String,
    /// vouch's interchange request.
    pub vouch: Value,
    /// The oracle's request.
    pub oracle: Value,
    /// The key files, for reproducing a disagreement.
    pub files: Vec<KeyFile>,
}

/// The drawing state: the pool and the generator.
struct Draw<'p> {
    pool: &'p Pool,
    rng: Rng,
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

impl Draw<'_> {
    fn key(&self, name: &str) -> &PoolKey {
        &self.pool.keys[name]
    }

    fn encoding(&mut self) -> Encoding {
        match self.rng.below(10) {
            0..=2 => Encoding::Binary(Framing::New),
            3 => Encoding::Binary(*self.rng.pick(&[
                Framing::Old,
                Framing::NewLong,
                Framing::OldLong,
            ])),
            4..=7 => Encoding::Blocks,
            _ => Encoding::OneBlock,
        }
    }

    /// Named pieces spread over files: all in one file, a file each, or cut at random places;
    /// each file encoded at random.
    fn files(&mut self, pieces: &[(String, Piece)]) -> (Vec<KeyFile>, Source, String) {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mode = self.rng.below(3);
        for i in 0..pieces.len() {
            let new_file = match mode {
                0 => i == 0,
                1 => true,
                _ => i == 0 || self.rng.chance(50),
            };
            if new_file {
                groups.push(vec![i]);
            } else {
                groups.last_mut().expect("a file").push(i);
            }
        }
        let mut label = Vec::new();
        let files = groups
            .iter()
            .map(|group| {
                let chosen: Vec<Piece> = group.iter().map(|&i| pieces[i].1.clone()).collect();
                let encoding = match self.encoding() {
                    // gpg's own armoured text stays as it is.
                    _ if chosen.iter().any(|p| matches!(p, Piece::Text(_))) => Encoding::Blocks,
                    other => other,
                };
                label.push(format!(
                    "[{}]{}",
                    group
                        .iter()
                        .map(|&i| pieces[i].0.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    match encoding {
                        Encoding::Binary(Framing::New) => ".gpg".to_string(),
                        Encoding::Binary(f) => format!(".gpg({f:?})"),
                        Encoding::Blocks => ".asc".to_string(),
                        Encoding::OneBlock => ".asc(one block)".to_string(),
                    }
                ));
                Some(file(&chosen, encoding))
            })
            .collect::<Vec<_>>();
        let source = if files.len() == 1 {
            *self
                .rng
                .pick(&[Source::KeyPath, Source::KeyPaths, Source::KeyData])
        } else {
            Source::KeyPaths
        };
        (files, source, label.join(" "))
    }

    fn image(&mut self, signer: &'static str) -> (&'static str, usize) {
        let count = self.pool.images[signer].len();
        // Mostly the plain binary signature, so that the keyring decides.
        let at = if self.rng.chance(55) {
            0
        } else {
            self.rng.below(count)
        };
        (signer, at)
    }

    fn keyring(
        &mut self,
        family: &'static str,
        pieces: &[(String, Piece)],
        signers: &[&'static str],
    ) -> Keyring {
        let (files, source, label) = self.files(pieces);
        let images = signers.iter().map(|s| self.image(s)).collect();
        Keyring {
            family,
            label,
            files,
            source,
            images,
        }
    }

    fn full(&self, name: &str) -> Piece {
        Piece::Packets(self.key(name).latest().to_vec())
    }

    fn rev(&self, name: &str) -> Piece {
        Piece::Packets(vec![self.pool.revocations[name].clone()])
    }

    /// Shape 1: a key and its revocation certificate, in files in any order.
    fn shape1(&mut self) -> Keyring {
        let choices: [(&str, Piece); 6] = [
            ("A", self.full("A")),
            ("A", self.full("A")),
            ("revA", self.rev("A")),
            (
                "revA.asc",
                Piece::Text(self.pool.revocation_texts["A"].clone()),
            ),
            ("revs.d(A)", Piece::Text(self.pool.revocs_d["A"].clone())),
            (
                "revs.d(A)-uncolon",
                Piece::Text(
                    String::from_utf8_lossy(&self.pool.revocs_d["A"])
                        .replace(":-----BEGIN", "-----BEGIN")
                        .into_bytes(),
                ),
            ),
        ];
        let n = 1 + self.rng.below(3);
        let mut pieces: Vec<(String, Piece)> = (0..n)
            .map(|_| {
                let (name, piece) = self.rng.pick(&choices);
                ((*name).to_string(), piece.clone())
            })
            .collect();
        if !pieces.iter().any(|(n, _)| n == "A") && self.rng.chance(70) {
            let at = self.rng.below(pieces.len() + 1);
            pieces.insert(at, ("A".into(), self.full("A")));
        }
        self.keyring("shape1", &pieces, &["A"])
    }

    /// Shape 2: the revocation inside A's keyblock, anywhere; perhaps broken; perhaps with a
    /// plain copy of A before or after.
    fn shape2(&mut self) -> Keyring {
        let mut block = self.key("A").latest().to_vec();
        let rev = self.pool.revocations["A"].clone();
        let mut name = String::from("A");
        let kinds = 1 + self.rng.below(3);
        if kinds & 1 != 0 {
            let at = 1 + self.rng.below(block.len());
            name.push_str(&format!("+rev@{at}"));
            block.insert(at, rev.clone());
        }
        if kinds & 2 != 0 {
            let at = 1 + self.rng.below(block.len());
            name.push_str(&format!("+flippedrev@{at}"));
            block.insert(at, rev.flipped());
        }
        let mut pieces = vec![(name, Piece::Packets(block))];
        match self.rng.below(4) {
            0 => pieces.insert(0, ("A".into(), self.full("A"))),
            1 => pieces.push(("A".into(), self.full("A"))),
            2 => pieces.push((
                "A-first-state".into(),
                Piece::Packets(self.key("A").first().to_vec()),
            )),
            _ => {}
        }
        self.keyring("shape2", &pieces, &["A"])
    }

    /// A keyblock of `key` built from its parts: user IDs (each perhaps left out) with a
    /// random subset of their signatures in random order, sometimes one signature misplaced,
    /// and the subkeys.
    fn assembled(&mut self, key: &str) -> (String, Vec<Packet>) {
        let parts = self.key(key).parts();
        let mut label = format!("{key}[");
        let mut out = vec![self.key(key).primary()];
        let mut direct: Vec<Packet> = parts
            .direct
            .iter()
            .filter(|_| self.rng.chance(80))
            .cloned()
            .collect();
        if !direct.is_empty() {
            label.push_str(&format!("dk{} ", direct.len()));
        }
        out.append(&mut direct);
        let mut users = parts.users.clone();
        if users.len() > 1 && self.rng.chance(30) {
            users.reverse();
        }
        let mut misplaced: Option<Packet> = None;
        for (u, (uid, sigs)) in users.iter().enumerate() {
            if users.len() > 1 && self.rng.chance(15) {
                label.push_str(&format!("u{u}:- "));
                continue;
            }
            let mut chosen: Vec<(usize, Packet)> = sigs
                .iter()
                .enumerate()
                .filter(|_| self.rng.chance(65))
                .map(|(i, s)| (i, s.clone()))
                .collect();
            shuffle(&mut self.rng, &mut chosen);
            if chosen.len() > 1 && misplaced.is_none() && self.rng.chance(15) {
                let (i, sig) = chosen.pop().expect("a signature");
                label.push_str(&format!("(s{i} moved) "));
                misplaced = Some(sig);
            }
            label.push_str(&format!(
                "u{u}:{} ",
                chosen
                    .iter()
                    .map(|(i, s)| format!(
                        "s{i}/{:02x}@{}",
                        s.sig_class().unwrap_or(0),
                        s.sig_created()
                    ))
                    .collect::<Vec<_>>()
                    .join(",")
            ));
            out.push(uid.clone());
            out.extend(chosen.into_iter().map(|(_, s)| s));
        }
        for (sub, sigs) in &parts.subkeys {
            out.push(sub.clone());
            out.extend(sigs.iter().cloned());
        }
        if let Some(sig) = misplaced {
            let at = 1 + self.rng.below(out.len());
            label.push_str(&format!("moved@{at} "));
            out.insert(at, sig);
        }
        label.push(']');
        (label, out)
    }

    /// Shapes 3 and 4: the self-signatures of several states of a key (expiry or usage
    /// changed), in any subset and order, over one or more blocks and files.
    fn selfsigs(&mut self, family: &'static str, keys: &[&'static str]) -> Keyring {
        let key = *self.rng.pick(keys);
        let states = self.key(key).states.len();
        let n = 1 + self.rng.below(3);
        let pieces: Vec<(String, Piece)> = (0..n)
            .map(|_| {
                if self.rng.chance(35) {
                    let at = self.rng.below(states);
                    (
                        format!("{key}@state{at}"),
                        Piece::Packets(self.key(key).states[at].clone()),
                    )
                } else {
                    let (label, packets) = self.assembled(key);
                    (label, Piece::Packets(packets))
                }
            })
            .collect();
        self.keyring(family, &pieces, &[key])
    }

    /// Shape 5: several keys, duplicates, foreign, broken and misissued revocations, and a
    /// designated revoker.
    fn shape5(&mut self) -> Keyring {
        if self.rng.chance(30) {
            return self.designated();
        }
        let names = ["A", "B", "C"];
        let n = 2 + self.rng.below(4);
        let mut pieces: Vec<(String, Piece)> = Vec::new();
        for _ in 0..n {
            let name = *self.rng.pick(&names);
            let other = *self.rng.pick(&names);
            let rev = self.pool.revocations[name].clone();
            let piece = match self.rng.below(9) {
                0..=3 => (name.to_string(), self.full(name)),
                4 => (format!("rev{name}"), self.rev(name)),
                5 => (
                    format!("flippedrev{name}"),
                    Piece::Packets(vec![rev.flipped()]),
                ),
                6 => (
                    format!("rev{name}-issuer{other}"),
                    Piece::Packets(vec![rev.with_issuer(self.key(other).key_id())]),
                ),
                7 => ("revE".to_string(), self.rev("E")),
                _ => (
                    format!("{name}+rev{other}"),
                    Piece::Packets({
                        let mut block = self.key(name).latest().to_vec();
                        let at = 1 + self.rng.below(block.len());
                        block.insert(at, self.pool.revocations[other].clone());
                        block
                    }),
                ),
            };
            pieces.push(piece);
        }
        let signer = *self.rng.pick(&names);
        self.keyring("shape5", &pieces, &[signer])
    }

    /// D names B as designated revoker; B's revocation of D (a `[D, 0x20 by B]` block, or
    /// the lone signature, or inside D's block) with or without B.
    fn designated(&mut self) -> Keyring {
        let d = self.key("D").latest().to_vec();
        let desig = self.pool.designated.clone();
        let by_b = desig[1].clone();
        let choices: Vec<(String, Piece)> = vec![
            ("D".into(), Piece::Packets(d.clone())),
            (
                "D-before-addrevoker".into(),
                Piece::Packets(self.key("D").first().to_vec()),
            ),
            ("B".into(), self.full("B")),
            ("[D,0x20byB]".into(), Piece::Packets(desig.clone())),
            ("0x20byB".into(), Piece::Packets(vec![by_b.clone()])),
            (
                "D+0x20byB".into(),
                Piece::Packets({
                    let mut block = d.clone();
                    block.insert(1 + self.rng.below(d.len()), by_b.clone());
                    block
                }),
            ),
        ];
        let n = 2 + self.rng.below(3);
        let mut pieces: Vec<(String, Piece)> =
            (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
        if !pieces.iter().any(|(name, _)| name.starts_with('D')) {
            pieces.insert(0, choices[0].clone());
        }
        let signer = if self.rng.chance(80) { "D" } else { "B" };
        self.keyring("shape5", &pieces, &[signer])
    }

    /// Shape 6: keyblocks without user IDs: `[pub, 0x20]`, a bare primary key, `[pub, 0x1F]`,
    /// `[pub, sub, 0x18]`, before or after the full key.
    fn shape6(&mut self) -> Keyring {
        let a = self.key("A").latest().to_vec();
        let d = self.key("D").latest().to_vec();
        let dk: Vec<Packet> = d
            .iter()
            .filter(|p| p.tag == tag::PUBLIC_KEY || p.sig_class() == Some(0x1f))
            .cloned()
            .collect();
        let choices: Vec<(String, Piece)> = vec![
            ("A".into(), Piece::Packets(a.clone())),
            (
                "[pubA,revA]".into(),
                Piece::Packets(vec![a[0].clone(), self.pool.revocations["A"].clone()]),
            ),
            ("[pubA]".into(), Piece::Packets(vec![a[0].clone()])),
            (
                "[pubA,sub,0x18]".into(),
                Piece::Packets(
                    a.iter()
                        .enumerate()
                        .filter(|(i, p)| {
                            *i == 0 || (p.tag != tag::USER_ID && p.sig_class() != Some(0x13))
                        })
                        .map(|(_, p)| p.clone())
                        .collect(),
                ),
            ),
            ("[pubD,0x1F]".into(), Piece::Packets(dk)),
            ("D".into(), Piece::Packets(d.clone())),
            (
                "[pubA,revA,sub]".into(),
                Piece::Packets(vec![
                    a[0].clone(),
                    self.pool.revocations["A"].clone(),
                    a[3].clone(),
                    a[4].clone(),
                ]),
            ),
        ];
        let n = 1 + self.rng.below(3);
        let pieces: Vec<(String, Piece)> =
            (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
        let signer = if pieces.iter().any(|(name, _)| name.contains('D')) && self.rng.chance(50) {
            "D"
        } else {
            "A"
        };
        self.keyring("shape6", &pieces, &[signer])
    }

    /// Shape 7: user IDs without (good) self-signatures, misplaced self-signatures, foreign
    /// user IDs, revoked user IDs.
    fn shape7(&mut self) -> Keyring {
        let a = self.key("A").latest().to_vec();
        let (pub_a, uid_a, sig_a) = (a[0].clone(), a[1].clone(), a[2].clone());
        let sub: Vec<Packet> = a[3..].to_vec();
        let foreign_uid = self.key("B").latest()[1].clone();
        let with_sub = |mut v: Vec<Packet>| {
            v.extend(sub.iter().cloned());
            v
        };
        let choices: Vec<(String, Piece)> = vec![
            ("A".into(), Piece::Packets(a.clone())),
            (
                "[pubA,uidA]".into(),
                Piece::Packets(vec![pub_a.clone(), uid_a.clone()]),
            ),
            (
                "[pubA,uidA,0x13,uidB]".into(),
                Piece::Packets(with_sub(vec![
                    pub_a.clone(),
                    uid_a.clone(),
                    sig_a.clone(),
                    foreign_uid.clone(),
                ])),
            ),
            (
                "[pubA,uidB,uidA,0x13]".into(),
                Piece::Packets(vec![
                    pub_a.clone(),
                    foreign_uid.clone(),
                    uid_a.clone(),
                    sig_a.clone(),
                ]),
            ),
            (
                "[pubA,uidA,uidB,0x13(A)]".into(),
                Piece::Packets(vec![
                    pub_a.clone(),
                    uid_a.clone(),
                    foreign_uid.clone(),
                    sig_a.clone(),
                ]),
            ),
            (
                "[pubA,0x13,uidA]".into(),
                Piece::Packets(with_sub(vec![pub_a.clone(), sig_a.clone(), uid_a.clone()])),
            ),
            (
                "[pubA,bad0x13,uidA,0x13]".into(),
                Piece::Packets(with_sub(vec![
                    pub_a.clone(),
                    sig_a.flipped(),
                    uid_a.clone(),
                    sig_a.clone(),
                ])),
            ),
            (
                "[pubA,uidA,bad0x13]".into(),
                Piece::Packets(vec![pub_a.clone(), uid_a.clone(), sig_a.flipped()]),
            ),
            (
                "[pubA,uidA,bad0x13,0x13]".into(),
                Piece::Packets(vec![
                    pub_a.clone(),
                    uid_a.clone(),
                    sig_a.flipped(),
                    sig_a.clone(),
                ]),
            ),
            (
                "[pubA,uidB,0x13(A)]".into(),
                Piece::Packets(vec![pub_a.clone(), foreign_uid.clone(), sig_a.clone()]),
            ),
        ];
        if self.rng.chance(30) {
            // M's user IDs, one revoked, in pieces.
            return self.selfsigs("shape7", &["M"]);
        }
        let n = 1 + self.rng.below(3);
        let pieces: Vec<(String, Piece)> =
            (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
        self.keyring("shape7", &pieces, &["A"])
    }

    /// Shape 8: subkeys: K signs with a subkey (later revoked); A's encryption subkey's
    /// binding dropped, broken or moved.
    fn shape8(&mut self) -> Keyring {
        if self.rng.chance(50) {
            let k = &self.key("K").states;
            let parts = self.key("K").parts();
            let (sub, sigs) = parts.subkeys[0].clone();
            let base: Vec<Packet> = k[0].clone();
            let choices: Vec<(String, Piece)> = vec![
                ("K".into(), Piece::Packets(k[1].clone())),
                ("K-subkey-revoked".into(), Piece::Packets(k[2].clone())),
                ("K-no-subkey".into(), Piece::Packets(base.clone())),
                (
                    "[pubK,sub,0x28]".into(),
                    Piece::Packets(vec![
                        base[0].clone(),
                        sub.clone(),
                        sigs[sigs.len() - 1].clone(),
                    ]),
                ),
                (
                    "[pubK,uid,0x13,sub]".into(),
                    Piece::Packets({
                        let mut v = base.clone();
                        v.push(sub.clone());
                        v
                    }),
                ),
                (
                    "[pubK,uid,0x13,sub,bad0x18]".into(),
                    Piece::Packets({
                        let mut v = base.clone();
                        v.push(sub.clone());
                        v.push(sigs[0].flipped());
                        v
                    }),
                ),
                (
                    "[pubK,0x28,uid,0x13,sub,0x18]".into(),
                    Piece::Packets({
                        let mut v = vec![base[0].clone(), sigs[sigs.len() - 1].clone()];
                        v.extend(base[1..].iter().cloned());
                        v.push(sub.clone());
                        v.push(sigs[0].clone());
                        v
                    }),
                ),
            ];
            let n = 1 + self.rng.below(2);
            let pieces: Vec<(String, Piece)> =
                (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
            return self.keyring("shape8", &pieces, &["K"]);
        }
        let a = self.key("A").latest().to_vec();
        let choices: Vec<(String, Piece)> = vec![
            ("A".into(), Piece::Packets(a.clone())),
            ("A-no-binding".into(), Piece::Packets(a[..4].to_vec())),
            (
                "A-bad-binding".into(),
                Piece::Packets({
                    let mut v = a.clone();
                    v[4] = a[4].flipped();
                    v
                }),
            ),
            (
                "A-binding-after-primary".into(),
                Piece::Packets(vec![
                    a[0].clone(),
                    a[4].clone(),
                    a[1].clone(),
                    a[2].clone(),
                    a[3].clone(),
                ]),
            ),
            (
                "[pubA,sub,0x18]".into(),
                Piece::Packets(vec![a[0].clone(), a[3].clone(), a[4].clone()]),
            ),
            (
                "A+revA-after-sub".into(),
                Piece::Packets({
                    let mut v = a.clone();
                    v.insert(4, self.pool.revocations["A"].clone());
                    v
                }),
            ),
        ];
        let n = 1 + self.rng.below(2);
        let pieces: Vec<(String, Piece)> =
            (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
        self.keyring("shape8", &pieces, &["A"])
    }

    /// Armour: checksums, labels, prose, binary and armoured data in one file, truncation,
    /// other packets between keys.
    fn armour(&mut self) -> Keyring {
        let a = write_all(self.key("A").latest(), Framing::New);
        let b = write_all(self.key("B").latest(), Framing::New);
        let label_a = "PGP PUBLIC KEY BLOCK";
        let literal = write_packet(
            &Packet {
                tag: tag::LITERAL,
                body: b"b\x00\x00\x00\x00\x00hello".to_vec(),
            },
            Framing::New,
        );
        let (name, bytes): (&str, Vec<u8>) = match self.rng.below(14) {
            0 => (
                "bad-crc-first",
                [armor(&a, label_a, Crc::Bad), armor(&b, label_a, Crc::Good)].concat(),
            ),
            1 => (
                "bad-crc-second",
                [armor(&b, label_a, Crc::Good), armor(&a, label_a, Crc::Bad)].concat(),
            ),
            2 => (
                "no-crc",
                [
                    armor(&a, label_a, Crc::Missing),
                    armor(&b, label_a, Crc::Missing),
                ]
                .concat(),
            ),
            3 => (
                "prose-between",
                [
                    b"Keys of the example team.\n".to_vec(),
                    armor(&a, label_a, Crc::Good),
                    b"\nand the other one:\n\n".to_vec(),
                    armor(&b, label_a, Crc::Good),
                    b"-- \nthe end\n".to_vec(),
                ]
                .concat(),
            ),
            4 => (
                "binary-then-armored",
                [a.clone(), armor(&b, label_a, Crc::Good)].concat(),
            ),
            5 => (
                "armored-then-binary",
                [armor(&a, label_a, Crc::Good), b.clone()].concat(),
            ),
            6 => (
                "label-MESSAGE",
                armor(&[a.clone(), b.clone()].concat(), "PGP MESSAGE", Crc::Good),
            ),
            7 => (
                "label-PRIVATE-KEY-BLOCK",
                armor(
                    &[a.clone(), b.clone()].concat(),
                    "PGP PRIVATE KEY BLOCK",
                    Crc::Good,
                ),
            ),
            8 => (
                "label-SIGNATURE",
                armor(&[a.clone(), b.clone()].concat(), "PGP SIGNATURE", Crc::Good),
            ),
            9 => (
                "truncated-second-key",
                [a.clone(), b[..b.len() - 20].to_vec()].concat(),
            ),
            10 => ("literal-between", [a.clone(), literal, b.clone()].concat()),
            11 => (
                "crlf",
                String::from_utf8(armor(&[a.clone(), b.clone()].concat(), label_a, Crc::Good))
                    .expect("text")
                    .replace('\n', "\r\n")
                    .into_bytes(),
            ),
            12 => (
                "rev-as-SIGNATURE-after-key",
                [
                    armor(&a, label_a, Crc::Good),
                    armor(
                        &write_all(&[self.pool.revocations["A"].clone()], Framing::New),
                        "PGP SIGNATURE",
                        Crc::Good,
                    ),
                    armor(&b, label_a, Crc::Good),
                ]
                .concat(),
            ),
            _ => (
                "leading-blank-lines",
                [
                    b"\n\n   \n".to_vec(),
                    armor(&[a.clone(), b.clone()].concat(), label_a, Crc::Good),
                ]
                .concat(),
            ),
        };
        let signer = if self.rng.chance(50) { "A" } else { "B" };
        let mut files = vec![Some(bytes)];
        let mut label = format!("[{name}]");
        if self.rng.chance(25) {
            // The same file after a plain key file, or before it.
            let c = Some(file(&[self.full("C")], Encoding::Blocks));
            if self.rng.chance(50) {
                files.insert(0, c);
                label.insert_str(0, "[C].asc ");
            } else {
                files.push(c);
                label.push_str(" [C].asc");
            }
        }
        let source = if files.len() == 1 {
            *self
                .rng
                .pick(&[Source::KeyPath, Source::KeyPaths, Source::KeyData])
        } else {
            Source::KeyPaths
        };
        let image = self.image(signer);
        Keyring {
            family: "armor",
            label,
            files,
            source,
            images: vec![image],
        }
    }

    /// Misc: secret keys, a key created in the future, garbage, empty and missing files
    /// beside good ones.
    fn misc(&mut self) -> Keyring {
        let secret = self.key("A").secret.clone().expect("A's secret key");
        let choices: Vec<(String, KeyFile)> = vec![
            (
                "A".into(),
                Some(file(&[self.full("A")], Encoding::Binary(Framing::New))),
            ),
            ("A-secret".into(), Some(secret.clone())),
            (
                "A-secret.asc".into(),
                Some(armor(&secret, "PGP PRIVATE KEY BLOCK", Crc::Good)),
            ),
            (
                "F(2040)".into(),
                Some(file(&[self.full("F")], Encoding::Blocks)),
            ),
            ("B".into(), Some(file(&[self.full("B")], Encoding::Blocks))),
            ("garbage".into(), Some(b"not a keyring at all\n".to_vec())),
            ("empty".into(), Some(Vec::new())),
            ("missing".into(), None),
        ];
        let n = 1 + self.rng.below(3);
        let chosen: Vec<(String, KeyFile)> =
            (0..n).map(|_| self.rng.pick(&choices).clone()).collect();
        let signer = *self.rng.pick(&["A", "F", "B"]);
        let label = chosen
            .iter()
            .map(|(n, _)| format!("[{n}]"))
            .collect::<Vec<_>>()
            .join(" ");
        let files: Vec<KeyFile> = chosen.into_iter().map(|(_, f)| f).collect();
        let source = if files.len() == 1 && files[0].is_some() {
            *self
                .rng
                .pick(&[Source::KeyPath, Source::KeyPaths, Source::KeyData])
        } else {
            Source::KeyPaths
        };
        let image = self.image(signer);
        Keyring {
            family: "misc",
            label,
            files,
            source,
            images: vec![image],
        }
    }
}

/// A written-out keyring: its family, its files (each named pieces), and the signer.
type Fixed = (&'static str, Vec<Vec<(String, Piece)>>, &'static str);

/// The keyrings of SUMMARY.md's tables that gpg can make, each written once: `(family,
/// files, signer)`, a file being named pieces.
#[allow(clippy::too_many_lines)]
fn fixed(pool: &Pool) -> Vec<Fixed> {
    let full = |name: &str| {
        (
            name.to_string(),
            Piece::Packets(pool.keys[name].latest().to_vec()),
        )
    };
    let first = |name: &str| {
        (
            format!("{name}@state0"),
            Piece::Packets(pool.keys[name].first().to_vec()),
        )
    };
    let state = |name: &str, at: usize| {
        (
            format!("{name}@state{at}"),
            Piece::Packets(pool.keys[name].states[at].clone()),
        )
    };
    let rev = |name: &str| {
        (
            format!("rev{name}"),
            Piece::Packets(vec![pool.revocations[name].clone()]),
        )
    };
    let packets = |label: &str, packets: Vec<Packet>| (label.to_string(), Piece::Packets(packets));
    let a = pool.keys["A"].latest().to_vec();
    let d = pool.keys["D"].latest().to_vec();
    let k = pool.keys["K"].states.clone();
    let rev_a = pool.revocations["A"].clone();
    let by_b = pool.designated[1].clone();
    let inserted = |mut block: Vec<Packet>, at: usize, packet: &Packet| {
        block.insert(at, packet.clone());
        block
    };
    let revs_d = |uncolon: bool| {
        let text = String::from_utf8_lossy(&pool.revocs_d["A"]).into_owned();
        let text = if uncolon {
            text.replace(":-----BEGIN", "-----BEGIN")
        } else {
            text
        };
        (
            format!("revs.d(A){}", if uncolon { "-uncolon" } else { "" }),
            Piece::Text(text.into_bytes()),
        )
    };
    let secret = pool.keys["A"].secret.clone().expect("secret");
    let mut out = vec![
        ("shape1", vec![vec![full("A")]], "A"),
        ("shape1", vec![vec![full("A"), rev("A")]], "A"),
        ("shape1", vec![vec![full("A")], vec![rev("A")]], "A"),
        ("shape1", vec![vec![rev("A")], vec![full("A")]], "A"),
        ("shape1", vec![vec![rev("A"), full("A")]], "A"),
        ("shape1", vec![vec![full("A")], vec![revs_d(false)]], "A"),
        ("shape1", vec![vec![full("A")], vec![revs_d(true)]], "A"),
        ("shape1", vec![vec![full("A"), revs_d(true)]], "A"),
        ("shape1", vec![vec![rev("A")]], "A"),
        (
            "shape1",
            vec![vec![full("A")], vec![rev("A")], vec![rev("A")]],
            "A",
        ),
        (
            "shape1",
            vec![vec![full("A")], vec![rev("A")], vec![full("A")]],
            "A",
        ),
        (
            "shape2",
            vec![
                vec![full("A")],
                vec![packets("A+revA@end", inserted(a.clone(), a.len(), &rev_a))],
            ],
            "A",
        ),
        (
            "shape2",
            vec![
                vec![packets("A+revA@end", inserted(a.clone(), a.len(), &rev_a))],
                vec![full("A")],
            ],
            "A",
        ),
        (
            "shape2",
            vec![vec![packets(
                "A+flippedrevA@1",
                inserted(a.clone(), 1, &rev_a.flipped()),
            )]],
            "A",
        ),
        ("shape5", vec![vec![full("A"), full("B"), full("C")]], "B"),
        ("shape5", vec![vec![full("A"), full("A")]], "A"),
        ("shape5", vec![vec![full("A")], vec![full("A")]], "A"),
        ("shape5", vec![vec![full("A"), rev("C")]], "A"),
        ("shape5", vec![vec![rev("C"), full("A")]], "A"),
        ("shape5", vec![vec![full("A"), full("B"), rev("A")]], "A"),
        ("shape5", vec![vec![full("A"), rev("A"), full("B")]], "A"),
        ("shape5", vec![vec![rev("A"), full("A"), full("B")]], "A"),
        (
            "shape5",
            vec![vec![full("A")], vec![full("B"), rev("A")]],
            "A",
        ),
        (
            "shape5",
            vec![vec![full("A")], vec![rev("A"), full("B")]],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("A")],
                vec![packets("flippedrevA", vec![rev_a.flipped()])],
            ],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("A")],
                vec![packets("flippedrevA", vec![rev_a.flipped()]), full("B")],
            ],
            "B",
        ),
        (
            "shape5",
            vec![vec![
                packets("flippedrevA", vec![rev_a.flipped()]),
                full("A"),
                full("B"),
            ]],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("A")],
                vec![full("B")],
                vec![packets(
                    "revA-issuerB",
                    vec![rev_a.with_issuer(pool.keys["B"].key_id())],
                )],
            ],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("A")],
                vec![full("B")],
                vec![packets(
                    "revB-issuerA",
                    vec![pool.revocations["B"].with_issuer(pool.keys["A"].key_id())],
                )],
            ],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("A")],
                vec![
                    packets(
                        "revA-issuerB",
                        vec![rev_a.with_issuer(pool.keys["B"].key_id())],
                    ),
                    full("C"),
                ],
            ],
            "C",
        ),
        (
            "shape5",
            vec![
                vec![full("B")],
                vec![packets(
                    "A+revB@1",
                    inserted(a.clone(), 1, &pool.revocations["B"]),
                )],
            ],
            "A",
        ),
        (
            "shape5",
            vec![
                vec![full("B")],
                vec![packets("D+0x20byB@1", inserted(d.clone(), 1, &by_b))],
            ],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![full("B")],
                vec![packets(
                    "D+0x20byB@end",
                    inserted(d.clone(), d.len(), &by_b),
                )],
            ],
            "D",
        ),
        (
            "shape5",
            vec![vec![packets("D+0x20byB@1", inserted(d.clone(), 1, &by_b))]],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![packets("D+0x20byB@1", inserted(d.clone(), 1, &by_b))],
                vec![full("B")],
            ],
            "D",
        ),
        (
            "shape5",
            vec![vec![
                packets("D+0x20byB@1", inserted(d.clone(), 1, &by_b)),
                full("B"),
            ]],
            "D",
        ),
        (
            "shape5",
            vec![vec![
                packets("D+0x20byB@end", inserted(d.clone(), d.len(), &by_b)),
                full("B"),
            ]],
            "D",
        ),
        (
            "shape5",
            vec![vec![
                full("D"),
                packets("0x20byB", vec![by_b.clone()]),
                full("B"),
            ]],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![full("D")],
                vec![full("B")],
                vec![packets("0x20byB", vec![by_b.clone()])],
            ],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![full("D")],
                vec![packets("[D,0x20byB]", pool.designated.clone())],
            ],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![full("D")],
                vec![packets("[D,0x20byB]", pool.designated.clone())],
                vec![full("B")],
            ],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![full("B")],
                vec![full("D")],
                vec![packets("[D,0x20byB]", pool.designated.clone())],
            ],
            "D",
        ),
        (
            "shape5",
            vec![
                vec![first("D")],
                vec![full("B")],
                vec![packets("[D,0x20byB]", pool.designated.clone())],
            ],
            "D",
        ),
        (
            "shape6",
            vec![
                vec![full("A")],
                vec![packets("[pubA,revA]", vec![a[0].clone(), rev_a.clone()])],
            ],
            "A",
        ),
        (
            "shape6",
            vec![vec![
                full("A"),
                packets("[pubA,revA]", vec![a[0].clone(), rev_a.clone()]),
            ]],
            "A",
        ),
        (
            "shape6",
            vec![vec![packets(
                "[pubA,revA]",
                vec![a[0].clone(), rev_a.clone()],
            )]],
            "A",
        ),
        (
            "shape6",
            vec![
                vec![packets("[pubA,revA]", vec![a[0].clone(), rev_a.clone()])],
                vec![full("A")],
            ],
            "A",
        ),
        (
            "shape6",
            vec![vec![
                packets("[pubA,revA]", vec![a[0].clone(), rev_a.clone()]),
                full("A"),
            ]],
            "A",
        ),
        (
            "shape6",
            vec![vec![packets("[pubA]", vec![a[0].clone()])]],
            "A",
        ),
        (
            "shape6",
            vec![vec![full("A")], vec![packets("[pubA]", vec![a[0].clone()])]],
            "A",
        ),
        (
            "shape6",
            vec![vec![packets("[pubD,0x1F]", d[..2].to_vec())]],
            "D",
        ),
        (
            "shape7",
            vec![
                vec![packets("[pubA,uidA]", a[..2].to_vec())],
                vec![full("A")],
            ],
            "A",
        ),
        (
            "shape7",
            vec![vec![packets("[pubA,uidA]", a[..2].to_vec()), full("A")]],
            "A",
        ),
        (
            "shape7",
            vec![
                vec![full("A")],
                vec![packets("[pubA,uidA]", a[..2].to_vec())],
            ],
            "A",
        ),
        (
            "shape7",
            vec![vec![packets("[pubA,uidA]", a[..2].to_vec())]],
            "A",
        ),
        (
            "shape7",
            vec![vec![packets(
                "[pubA,0x13,uidA]",
                vec![a[0].clone(), a[2].clone(), a[1].clone()],
            )]],
            "A",
        ),
        (
            "shape7",
            vec![vec![packets(
                "[pubA,bad0x13,uidA,0x13]",
                vec![a[0].clone(), a[2].flipped(), a[1].clone(), a[2].clone()],
            )]],
            "A",
        ),
        (
            "shape7",
            vec![
                vec![full("A")],
                vec![packets(
                    "[pubA,bad0x13,uidA,0x13]",
                    vec![a[0].clone(), a[2].flipped(), a[1].clone(), a[2].clone()],
                )],
            ],
            "A",
        ),
        ("shape8", vec![vec![packets("K", k[1].clone())]], "K"),
        (
            "shape8",
            vec![vec![packets("K-subkey-revoked", k[2].clone())]],
            "K",
        ),
        (
            "shape8",
            vec![
                vec![packets("K", k[1].clone())],
                vec![packets(
                    "[pubK,sub,0x28]",
                    vec![k[2][0].clone(), k[2][3].clone(), k[2][5].clone()],
                )],
            ],
            "K",
        ),
        (
            "shape8",
            vec![vec![packets("A-no-binding", a[..4].to_vec())]],
            "A",
        ),
        ("misc", vec![vec![packets("A-secret", split(&secret))]], "A"),
        (
            "misc",
            vec![vec![(
                "A-secret.asc".into(),
                Piece::Text(armor(&secret, "PGP PRIVATE KEY BLOCK", Crc::Good)),
            )]],
            "A",
        ),
        (
            "misc",
            vec![vec![full("A")], vec![packets("A-secret", split(&secret))]],
            "A",
        ),
        ("misc", vec![vec![full("F")]], "F"),
        ("misc", vec![vec![full("F")], vec![full("A")]], "A"),
        ("misc", vec![vec![full("F")], vec![full("A")]], "F"),
    ];
    for (key, signer) in [("E", "E"), ("S", "S"), ("U", "U"), ("M", "M")] {
        let states = pool.keys[key].states.len();
        for at in 0..states {
            let family = if key == "U" { "shape4" } else { "shape3" };
            out.push((family, vec![vec![state(key, at)]], signer));
            out.push((family, vec![vec![state(key, at)], vec![full(key)]], signer));
            out.push((family, vec![vec![full(key)], vec![state(key, at)]], signer));
            out.push((family, vec![vec![state(key, at), first(key)]], signer));
        }
    }
    out
}

/// The shape families and how many keyrings of each [`keyrings`] draws (per 100).
pub const FAMILIES: [(&str, usize); 10] = [
    ("shape1", 10),
    ("shape2", 9),
    ("shape3", 16),
    ("shape4", 9),
    ("shape5", 16),
    ("shape6", 8),
    ("shape7", 10),
    ("shape8", 9),
    ("armor", 8),
    ("misc", 5),
];

/// Draws `n` keyrings from the pool (deterministic for a seed).
#[must_use]
pub fn keyrings(pool: &Pool, seed: u64, n: usize) -> Vec<Keyring> {
    let mut draw = Draw {
        pool,
        rng: Rng::new(seed),
    };
    let total: usize = FAMILIES.iter().map(|(_, w)| w).sum();
    let fixed: Vec<Keyring> = fixed(pool)
        .into_iter()
        .enumerate()
        .map(|(i, (family, files, signer))| {
            let label = files
                .iter()
                .map(|f| {
                    format!(
                        "[{}]",
                        f.iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join("+")
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            // Binary and armoured in turn; the first image (binary, at the key's time).
            let encoding = if i % 2 == 0 {
                Encoding::Binary(Framing::New)
            } else {
                Encoding::Blocks
            };
            let files: Vec<KeyFile> = files
                .iter()
                .map(|f| {
                    let pieces: Vec<Piece> = f.iter().map(|(_, p)| p.clone()).collect();
                    Some(file(&pieces, encoding))
                })
                .collect();
            Keyring {
                family,
                label: format!("fixed {label}"),
                source: Source::KeyPaths,
                files,
                images: vec![(signer, 0)],
            }
        })
        .collect();
    let drawn = n.saturating_sub(fixed.len());
    fixed
        .into_iter()
        .chain((0..drawn).map(|i| {
            // Families in proportion, interleaved.
            let mut slot = (i * 37) % total;
            let family = FAMILIES
                .iter()
                .find(|(_, w)| {
                    if slot < *w {
                        true
                    } else {
                        slot -= w;
                        false
                    }
                })
                .map_or("shape1", |(f, _)| *f);
            match family {
                "shape1" => draw.shape1(),
                "shape2" => draw.shape2(),
                "shape3" => draw.selfsigs("shape3", &["E", "S", "M"]),
                "shape4" => draw.selfsigs("shape4", &["U"]),
                "shape5" => draw.shape5(),
                "shape6" => draw.shape6(),
                "shape7" => draw.shape7(),
                "shape8" => draw.shape8(),
                "armor" => draw.armour(),
                _ => draw.misc(),
            }
        }))
        .collect()
}

/// The requests for every keyring and image: vouch decides at `now` (RFC 3339), the oracle
/// on its clock.
#[must_use]
pub fn cases(pool: &Pool, keyrings: &[Keyring], now: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for (n, keyring) in keyrings.iter().enumerate() {
        let path = |i: usize| format!("/vouch-keyring/{n}/key-{i}.gpg");
        let mut files = serde_json::Map::new();
        let mut fields = serde_json::Map::new();
        fields.insert("type".into(), json!("signedBy"));
        fields.insert("keyType".into(), json!("GPGKeys"));
        match keyring.source {
            Source::KeyPath => {
                if let Some(bytes) = &keyring.files[0] {
                    files.insert(path(0), json!(b64(bytes)));
                }
                fields.insert("keyPath".into(), json!(path(0)));
            }
            Source::KeyPaths => {
                let mut paths = Vec::new();
                for (i, f) in keyring.files.iter().enumerate() {
                    if let Some(bytes) = f {
                        files.insert(path(i), json!(b64(bytes)));
                    }
                    paths.push(path(i));
                }
                fields.insert("keyPaths".into(), json!(paths));
            }
            Source::KeyData => {
                fields.insert(
                    "keyData".into(),
                    json!(b64(keyring.files[0].as_deref().unwrap_or_default())),
                );
            }
        }
        let policy = json!({"default": [{"type": "reject"}],
                            "transports": {"docker": {"": [Value::Object(fields)]}}});
        let policy_text = serde_json::to_string(&policy).expect("policy");
        for &(signer, at) in &keyring.images {
            let image = &pool.images[signer][at];
            let manifest = b64(&image.manifest);
            let signatures = json!([{"kind": "simple", "blob": b64(&image.blob)}]);
            let vouch = json!({"policy_text": policy_text, "files": files, "transport": "docker",
                               "reference": image.reference, "manifest": manifest,
                               "signatures": signatures, "now": now});
            let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": files,
                                "transport": "docker", "reference": image.reference,
                                "manifest": manifest, "signatures": signatures});
            out.push(Case {
                family: keyring.family,
                label: format!(
                    "{} #{n} {:?}: {} | signed by {signer} ({})",
                    keyring.family, keyring.source, keyring.label, image.mode
                ),
                vouch,
                oracle,
                files: keyring.files.clone(),
            });
        }
    }
    out
}

/// The class of a decision's reason that both sides can be compared on
/// ([`oracle::vouch_reason_class`]; one signature per case here).
#[must_use]
pub fn vouch_class(decision: &Value) -> String {
    oracle::vouch_reason_class(decision).join("+")
}

/// The class of the oracle's answer (containers/image's error text), as
/// [`oracle::oracle_reason_class`].
#[must_use]
pub fn oracle_class(answer: &Value) -> String {
    oracle::oracle_reason_class(answer).join("+")
}

/// A finer class for reports: which gpgme status, or which vouch message, within
/// `key_unusable`.
#[must_use]
pub fn oracle_detail(answer: &Value) -> String {
    let error = answer["error"].as_str().unwrap_or("");
    match oracle::gpgme_status(error) {
        Some(94) => "revoked".into(),
        Some(153) => "expired".into(),
        Some(125) => "usage".into(),
        _ => oracle_class(answer),
    }
}

/// vouch's finer class, as [`oracle_detail`].
#[must_use]
pub fn vouch_detail(decision: &Value) -> String {
    let message = decision["requirements"][0]["signatures"][0]["message"]
        .as_str()
        .unwrap_or("");
    if vouch_class(decision) != "key_unusable" {
        return vouch_class(decision);
    }
    if message.contains("revoked") {
        "revoked".into()
    } else if message.contains("expired") {
        "expired".into()
    } else if message.contains("not allowed to sign") {
        "usage".into()
    } else {
        format!("key_unusable: {message}")
    }
}
