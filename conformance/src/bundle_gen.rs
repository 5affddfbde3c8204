//! The generated bundle differential: cases from the sigstore-go generator
//! (`oracles/sigstore-go/gen`), and the tamperings applied to them here by editing the bundle,
//! the trusted root or the request.
//!
//! The generator makes bundles in a virtual sigstore (Fulcio CA with embedded SCTs, Rekor SETs
//! and checkpoints, an RFC 3161 authority): valid ones of every shape, and the variants that
//! need keys, certificates, signatures or trusted roots made anew. The mutations here need
//! none: they flip, drop, duplicate, swap or relabel what is already there.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::generate::Rng;

/// The generator binary (built by `scripts/test.sh`): `$VOUCH_SIGSTORE_GO_GEN`, else
/// `~/.cache/vouch/oracle/bin/sigstore-go-gen`.
///
/// # Panics
/// When it is missing.
#[must_use]
pub fn generator() -> PathBuf {
    let path = match std::env::var_os("VOUCH_SIGSTORE_GO_GEN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/vouch/oracle/bin/sigstore-go-gen"),
    };
    assert!(
        path.is_file(),
        "the sigstore-go case generator ({}) is missing: build it with scripts/test.sh or set VOUCH_SIGSTORE_GO_GEN",
        path.display()
    );
    path
}

/// One verification: its name and the request (without the name).
#[derive(Clone, Debug)]
pub struct GenCase {
    /// The case's name: the variant (`base#N`, `<variant>#N`, or `<mutation> <- <case>`),
    /// the bundle version, `msg` or `dsse`, `keyless` or `key`, and its time sources.
    pub name: String,
    /// The request, as the oracle and `vouch bundle` read it.
    pub request: Value,
}

impl GenCase {
    /// The variant or mutation that made the case: its name up to `#`, ` [` or ` <- `.
    #[must_use]
    pub fn group(&self) -> &str {
        let end = [
            self.name.find(" <- "),
            self.name.find(" ["),
            self.name.find('#'),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.name.len());
        &self.name[..end]
    }

    /// What the mutation says of where it struck (`[...]` before ` <- `), or "".
    #[must_use]
    pub fn note(&self) -> &str {
        let head = self.name.split(" <- ").next().unwrap_or("");
        head.split_once(" [")
            .and_then(|(_, rest)| rest.strip_suffix(']'))
            .unwrap_or("")
    }

    /// Whether the generated case's description (the name after any `<mutation> <- `)
    /// carries `token` among its words.
    #[must_use]
    pub fn has(&self, token: &str) -> bool {
        let described = self
            .name
            .rsplit_once(" <- ")
            .map_or(self.name.as_str(), |(_, d)| d);
        described.split(' ').any(|w| w == token)
    }
}

/// Runs the generator with `seed` and reads its cases.
///
/// # Panics
/// When the generator fails or writes something else than requests.
#[must_use]
pub fn generate(seed: u64) -> Vec<GenCase> {
    let path = generator();
    let out = Command::new(&path)
        .args(["-seed", &seed.to_string()])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    assert!(
        out.status.success(),
        "{} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("the generator writes UTF-8")
        .lines()
        .map(|line| {
            let mut request: Value = serde_json::from_str(line).expect("a JSON request");
            let name = request
                .as_object_mut()
                .and_then(|o| o.remove("name"))
                .and_then(|n| n.as_str().map(String::from))
                .expect("a named request");
            GenCase { name, request }
        })
        .collect()
}

fn b64(bytes: &[u8]) -> String {
    <base64ct::Base64 as base64ct::Encoding>::encode_string(bytes)
}

fn unb64(text: &str) -> Option<Vec<u8>> {
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(text).ok()
}

/// What a mutation edits: the request, its bundle (parsed), and a donor case to take parts
/// from.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The case's randomness.
    pub rng: &'a mut Rng,
    /// The request (its bundle is written back from `bundle` afterwards).
    pub request: Value,
    /// The bundle.
    pub bundle: Value,
    /// Another case, of the same run.
    pub donor: &'a GenCase,
    /// Whether the bundle is written back pretty-printed.
    pub pretty: bool,
    /// Where the mutation struck, for the case's name.
    pub note: Option<String>,
}

/// A tampering of a case, or `None` where it does not apply to the case.
pub type Mutation = (&'static str, fn(&mut Ctx<'_>) -> Option<()>);

/// The bundle of a request, parsed.
///
/// # Panics
/// When the request's bundle is not base64 of JSON.
#[must_use]
pub fn bundle_of(request: &Value) -> Value {
    let bytes = unb64(request["bundle_base64"].as_str().expect("bundle_base64")).expect("base64");
    serde_json::from_slice(&bytes).expect("a JSON bundle")
}

/// Applies `mutation` to `case` (whose bundle, parsed, is `bundle`) with `donor` at hand:
/// the new case, or `None` where it does not apply.
#[must_use]
pub fn apply(
    mutation: &Mutation,
    case: &GenCase,
    bundle: &Value,
    donor: &GenCase,
    rng: &mut Rng,
) -> Option<GenCase> {
    let mut ctx = Ctx {
        rng,
        request: case.request.clone(),
        bundle: bundle.clone(),
        donor,
        pretty: false,
        note: None,
    };
    (mutation.1)(&mut ctx)?;
    let mut request = ctx.request;
    if request.get("bundle_base64").is_some() {
        let text = if ctx.pretty {
            serde_json::to_vec_pretty(&ctx.bundle)
        } else {
            serde_json::to_vec(&ctx.bundle)
        }
        .expect("a bundle serialises");
        request["bundle_base64"] = json!(b64(&text));
    }
    let name = match ctx.note {
        Some(note) => format!("{} [{note}] <- {}", mutation.0, case.name),
        None => format!("{} <- {}", mutation.0, case.name),
    };
    Some(GenCase { name, request })
}

// ---- helpers over protojson's forms ----

/// Flips one random bit of a base64 field.
fn flip_b64(rng: &mut Rng, field: &mut Value) -> Option<()> {
    let mut bytes = unb64(field.as_str()?)?;
    if bytes.is_empty() {
        return None;
    }
    let at = rng.below(bytes.len());
    bytes[at] ^= 1 << rng.below(8);
    *field = json!(b64(&bytes));
    Some(())
}

/// Changes a base64 field's bytes with `edit`.
fn edit_b64(field: &mut Value, edit: impl FnOnce(&mut Vec<u8>) -> Option<()>) -> Option<()> {
    let mut bytes = unb64(field.as_str()?)?;
    edit(&mut bytes)?;
    *field = json!(b64(&bytes));
    Some(())
}

/// Adds `delta` to an int64 field (a string in protojson).
fn add_to_int64(field: &mut Value, delta: i64) -> Option<()> {
    let n: i64 = match field {
        Value::String(s) => s.parse().ok()?,
        Value::Number(n) => n.as_i64()?,
        Value::Null => 0,
        _ => return None,
    };
    let m = n.checked_add(delta)?;
    if m < 0 {
        return None;
    }
    *field = json!(m.to_string());
    Some(())
}

fn entries(b: &mut Value) -> Option<&mut Vec<Value>> {
    b.get_mut("verificationMaterial")?
        .get_mut("tlogEntries")?
        .as_array_mut()
        .filter(|e| !e.is_empty())
}

/// The last entry with an inclusion proof (the log's own entry: the generator puts entries of
/// unknown logs first).
fn proof_entry(b: &mut Value) -> Option<&mut Value> {
    entries(b)?
        .iter_mut()
        .rev()
        .find(|e| e.get("inclusionProof").is_some())
}

fn promise_entry(b: &mut Value) -> Option<&mut Value> {
    entries(b)?
        .iter_mut()
        .rev()
        .find(|e| e.get("inclusionPromise").is_some())
}

fn last_entry(b: &mut Value) -> Option<&mut Value> {
    entries(b)?.last_mut()
}

fn proof(b: &mut Value) -> Option<&mut Value> {
    proof_entry(b)?.get_mut("inclusionProof")
}

fn checkpoint(b: &mut Value) -> Option<&mut Value> {
    proof(b)?.get_mut("checkpoint")?.get_mut("envelope")
}

/// Edits the checkpoint's text.
fn edit_checkpoint(b: &mut Value, edit: impl FnOnce(&str) -> Option<String>) -> Option<()> {
    let cp = checkpoint(b)?;
    let new = edit(cp.as_str()?)?;
    *cp = json!(new);
    Some(())
}

/// Splits a checkpoint into its body lines and its signature lines.
fn split_note(text: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (body, sigs) = text.split_once("\n\n")?;
    Some((
        body.split('\n').map(String::from).collect(),
        sigs.lines().map(String::from).collect(),
    ))
}

fn join_note(body: &[String], sigs: &[String]) -> String {
    let mut out = body.join("\n");
    out.push_str("\n\n");
    for s in sigs {
        out.push_str(s);
        out.push('\n');
    }
    out
}

/// Edits the bytes (key hint and signature) of the checkpoint's first signature line.
fn edit_note_signature(b: &mut Value, edit: impl FnOnce(&mut Vec<u8>)) -> Option<()> {
    edit_checkpoint(b, |text| {
        let (body, mut sigs) = split_note(text)?;
        let line = sigs.first_mut()?;
        let (head, sig) = line.rsplit_once(' ')?;
        let mut bytes = unb64(sig)?;
        edit(&mut bytes);
        *line = format!("{head} {}", b64(&bytes));
        Some(join_note(&body, &sigs))
    })
}

/// Replaces the signature (after the 4-byte key hint) of the checkpoint's first signature
/// line with `edit`'s, when it applies.
fn edit_note_signature_checked(
    b: &mut Value,
    edit: impl FnOnce(&[u8]) -> Option<Vec<u8>>,
) -> Option<()> {
    edit_checkpoint(b, |text| {
        let (body, mut sigs) = split_note(text)?;
        let line = sigs.first_mut()?;
        let (head, sig) = line.rsplit_once(' ')?;
        let bytes = unb64(sig)?;
        let (hint, der) = bytes.split_at_checked(4)?;
        let mut out = hint.to_vec();
        out.extend(edit(der)?);
        *line = format!("{head} {}", b64(&out));
        Some(join_note(&body, &sigs))
    })
}

/// The integers r and s of an ASN.1 ECDSA signature (short lengths), without leading zeros.
fn ecdsa_parts(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let seq = tlv(der, 0).filter(|t| t.tag == 0x30 && t.content.end == der.len())?;
    let r = tlv(der, seq.content.start).filter(|t| t.tag == 0x02)?;
    let s = tlv(der, r.content.end).filter(|t| t.tag == 0x02 && t.content.end == der.len())?;
    let strip = |t: &Tlv| {
        let bytes = &der[t.content.clone()];
        let zeros = bytes.iter().take_while(|b| **b == 0).count();
        &bytes[zeros..]
    };
    Some((strip(&r), strip(&s)))
}

/// An ASN.1 ECDSA signature as r || s (IEEE P1363), each padded to the curve's size.
fn ecdsa_to_p1363(der: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = ecdsa_parts(der)?;
    let n = match r.len().max(s.len()) {
        0..=32 => 32,
        33..=48 => 48,
        _ => 66,
    };
    let mut out = vec![0; 2 * n];
    out[n - r.len()..n].copy_from_slice(r);
    out[2 * n - s.len()..].copy_from_slice(s);
    Some(out)
}

/// An ASN.1 ECDSA signature with a superfluous leading zero in r (BER, not DER).
fn ecdsa_non_minimal(der: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = ecdsa_parts(der)?;
    let int = |v: &[u8], extra: bool| {
        let mut body = Vec::new();
        if extra || v.first().is_some_and(|b| *b >= 0x80) {
            body.push(0);
        }
        if extra && v.first().is_some_and(|b| *b >= 0x80) {
            body.push(0);
        }
        body.extend_from_slice(v);
        let mut out = vec![0x02, u8::try_from(body.len()).ok()?];
        out.extend(body);
        Some(out)
    };
    let mut content = int(r, true)?;
    content.extend(int(s, false)?);
    let mut out = vec![0x30, u8::try_from(content.len()).ok()?];
    out.extend(content);
    Some(out)
}

fn message(b: &mut Value) -> Option<&mut Value> {
    b.get_mut("messageSignature")
}

fn envelope(b: &mut Value) -> Option<&mut Value> {
    b.get_mut("dsseEnvelope")
}

fn signature_field(b: &mut Value) -> Option<&mut Value> {
    if b.get("messageSignature").is_some() {
        return message(b)?.get_mut("signature");
    }
    envelope(b)?
        .get_mut("signatures")?
        .get_mut(0)?
        .get_mut("sig")
}

fn timestamps(b: &mut Value) -> Option<&mut Vec<Value>> {
    b.get_mut("verificationMaterial")?
        .get_mut("timestampVerificationData")?
        .get_mut("rfc3161Timestamps")?
        .as_array_mut()
        .filter(|t| !t.is_empty())
}

fn material(b: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    b.get_mut("verificationMaterial")?.as_object_mut()
}

fn media_type(version: &str) -> &'static str {
    match version {
        "0.1" => "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "0.2" => "application/vnd.dev.sigstore.bundle+json;version=0.2",
        _ => "application/vnd.dev.sigstore.bundle.v0.3+json",
    }
}

/// The donor's request `field` in place of this case's (`None` when the case has none, or
/// the same).
fn request_field_from_donor(c: &mut Ctx<'_>, field: &str) -> Option<()> {
    let theirs = c.donor.request.get(field)?.clone();
    if c.request.get(field)? == &theirs {
        return None;
    }
    c.request[field] = theirs;
    Some(())
}

/// The donor's first RFC 3161 time stamp.
fn donor_timestamp(c: &Ctx<'_>) -> Option<Value> {
    bundle_of(&c.donor.request)["verificationMaterial"]["timestampVerificationData"]
        ["rfc3161Timestamps"]
        .get(0)
        .cloned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_bytes(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.next_u64().to_le_bytes()[0]).collect()
}

/// The request by the artifact's SHA-256 digest instead of its bytes.
///
/// # Panics
/// When the request has no artifact.
#[must_use]
pub fn by_digest(case: &GenCase) -> GenCase {
    let mut request = case.request.clone();
    let req = request.as_object_mut().expect("a request object");
    let artifact = unb64(
        req.remove("artifact")
            .expect("an artifact")
            .as_str()
            .expect("base64"),
    )
    .expect("base64");
    req.insert(
        "artifact_digest".into(),
        json!(format!("sha256:{}", sha256_hex(&artifact))),
    );
    GenCase {
        name: format!("{} by-digest", case.name),
        request,
    }
}

/// Every tampering, named.
pub const MUTATIONS: &[Mutation] = &[
    // ---- the signature and what it signs ----
    ("signature bit flipped", |c| {
        flip_b64(c.rng, signature_field(&mut c.bundle)?)
    }),
    ("signature truncated", |c| {
        edit_b64(signature_field(&mut c.bundle)?, |s| s.pop().map(drop))
    }),
    ("signature emptied", |c| {
        *signature_field(&mut c.bundle)? = json!("");
        Some(())
    }),
    ("message digest bit flipped", |c| {
        flip_b64(
            c.rng,
            message(&mut c.bundle)?
                .get_mut("messageDigest")?
                .get_mut("digest")?,
        )
    }),
    ("message digest algorithm SHA2_512", |c| {
        message(&mut c.bundle)?["messageDigest"]["algorithm"] = json!("SHA2_512");
        Some(())
    }),
    ("message digest removed", |c| {
        message(&mut c.bundle)?
            .as_object_mut()?
            .remove("messageDigest")
            .map(drop)
    }),
    ("payload byte changed", |c| {
        let rng = &mut *c.rng;
        edit_b64(envelope(&mut c.bundle)?.get_mut("payload")?, |p| {
            if p.is_empty() {
                return None;
            }
            let at = rng.below(p.len());
            p[at] = if p[at] == b' ' { b'x' } else { b' ' };
            Some(())
        })
    }),
    ("payload with trailing space", |c| {
        edit_b64(envelope(&mut c.bundle)?.get_mut("payload")?, |p| {
            p.push(b' ');
            Some(())
        })
    }),
    ("payload type changed", |c| {
        envelope(&mut c.bundle)?["payloadType"] =
            json!("application/vnd.in-toto+json; charset=utf-8");
        Some(())
    }),
    ("dsse key id set", |c| {
        envelope(&mut c.bundle)?["signatures"][0]["keyid"] = json!("not-the-key");
        Some(())
    }),
    ("dsse signature repeated", |c| {
        let sigs = envelope(&mut c.bundle)?
            .get_mut("signatures")?
            .as_array_mut()?;
        let first = sigs.first()?.clone();
        sigs.push(first);
        Some(())
    }),
    ("dsse signatures removed", |c| {
        envelope(&mut c.bundle)?["signatures"] = json!([]);
        Some(())
    }),
    ("artifact byte appended", |c| {
        edit_b64(c.request.get_mut("artifact")?, |a| {
            a.push(b'\n');
            Some(())
        })
    }),
    ("artifact bit flipped", |c| {
        flip_b64(c.rng, c.request.get_mut("artifact")?)
    }),
    ("artifact by digest", |c| {
        let req = c.request.as_object_mut()?;
        let artifact = unb64(req.remove("artifact")?.as_str()?)?;
        req.insert(
            "artifact_digest".into(),
            json!(format!("sha256:{}", sha256_hex(&artifact))),
        );
        Some(())
    }),
    ("artifact by another digest", |c| {
        let req = c.request.as_object_mut()?;
        let mut artifact = unb64(req.remove("artifact")?.as_str()?)?;
        artifact.push(0);
        req.insert(
            "artifact_digest".into(),
            json!(format!("sha256:{}", sha256_hex(&artifact))),
        );
        Some(())
    }),
    ("artifact from donor", |c| {
        request_field_from_donor(c, "artifact")
    }),
    // ---- the log entries ----
    ("proof hash bit flipped", |c| {
        let rng = &mut *c.rng;
        let hashes = proof(&mut c.bundle)?.get_mut("hashes")?.as_array_mut()?;
        if hashes.is_empty() {
            return None;
        }
        let at = rng.below(hashes.len());
        flip_b64(rng, &mut hashes[at])
    }),
    ("proof hash dropped", |c| {
        let rng = &mut *c.rng;
        let hashes = proof(&mut c.bundle)?.get_mut("hashes")?.as_array_mut()?;
        if hashes.is_empty() {
            return None;
        }
        let at = rng.below(hashes.len());
        hashes.remove(at);
        Some(())
    }),
    ("proof hash added", |c| {
        let extra = b64(&random_bytes(c.rng, 32));
        let p = proof(&mut c.bundle)?;
        match p.get_mut("hashes").and_then(Value::as_array_mut) {
            Some(h) => h.push(json!(extra)),
            None => p["hashes"] = json!([extra]),
        }
        Some(())
    }),
    ("proof hashes swapped", |c| {
        let hashes = proof(&mut c.bundle)?.get_mut("hashes")?.as_array_mut()?;
        if hashes.len() < 2 {
            return None;
        }
        hashes.swap(0, 1);
        Some(())
    }),
    ("proof root hash bit flipped", |c| {
        flip_b64(c.rng, proof(&mut c.bundle)?.get_mut("rootHash")?)
    }),
    ("proof log index plus 1", |c| {
        add_to_int64(proof(&mut c.bundle)?.get_mut("logIndex")?, 1)
    }),
    ("proof log index minus 1", |c| {
        let p = proof(&mut c.bundle)?;
        add_to_int64(p.get_mut("logIndex").unwrap_or(&mut Value::Null), -1)
    }),
    ("proof tree size plus 1", |c| {
        add_to_int64(proof(&mut c.bundle)?.get_mut("treeSize")?, 1)
    }),
    ("proof tree size minus 1", |c| {
        add_to_int64(proof(&mut c.bundle)?.get_mut("treeSize")?, -1)
    }),
    ("proof tree size doubled", |c| {
        let p = proof(&mut c.bundle)?;
        let n: i64 = p.get("treeSize")?.as_str()?.parse().ok()?;
        p["treeSize"] = json!((n.checked_mul(2)?).to_string());
        Some(())
    }),
    ("proof removed", |c| {
        proof_entry(&mut c.bundle)?
            .as_object_mut()?
            .remove("inclusionProof")
            .map(drop)
    }),
    ("entry log index plus 1", |c| {
        let e = last_entry(&mut c.bundle)?;
        add_to_int64(e.get_mut("logIndex").unwrap_or(&mut Value::Null), 1)
    }),
    ("entry integrated time plus 1", |c| {
        let e = last_entry(&mut c.bundle)?;
        e.get("integratedTime")?;
        add_to_int64(e.get_mut("integratedTime")?, 1)
    }),
    ("entry integrated time removed", |c| {
        last_entry(&mut c.bundle)?
            .as_object_mut()?
            .remove("integratedTime")
            .map(drop)
    }),
    ("SET bit flipped", |c| {
        flip_b64(
            c.rng,
            promise_entry(&mut c.bundle)?
                .get_mut("inclusionPromise")?
                .get_mut("signedEntryTimestamp")?,
        )
    }),
    ("SET as r||s", |c| {
        edit_b64(
            promise_entry(&mut c.bundle)?
                .get_mut("inclusionPromise")?
                .get_mut("signedEntryTimestamp")?,
            |set| {
                *set = ecdsa_to_p1363(set)?;
                Some(())
            },
        )
    }),
    ("SET with a trailing byte", |c| {
        edit_b64(
            promise_entry(&mut c.bundle)?
                .get_mut("inclusionPromise")?
                .get_mut("signedEntryTimestamp")?,
            |set| {
                set.push(0);
                Some(())
            },
        )
    }),
    ("SET not minimally encoded", |c| {
        edit_b64(
            promise_entry(&mut c.bundle)?
                .get_mut("inclusionPromise")?
                .get_mut("signedEntryTimestamp")?,
            |set| {
                *set = ecdsa_non_minimal(set)?;
                Some(())
            },
        )
    }),
    ("SET removed", |c| {
        promise_entry(&mut c.bundle)?
            .as_object_mut()?
            .remove("inclusionPromise")
            .map(drop)
    }),
    ("body byte changed", |c| {
        let rng = &mut *c.rng;
        edit_b64(
            last_entry(&mut c.bundle)?.get_mut("canonicalizedBody")?,
            |body| {
                // A character inside a string value, so that the body stays JSON.
                let quotes: Vec<usize> = body
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii_alphanumeric())
                    .map(|(i, _)| i)
                    .collect();
                let at = *quotes.get(rng.below(quotes.len().max(1)))?;
                body[at] = if body[at] == b'A' { b'B' } else { b'A' };
                Some(())
            },
        )
    }),
    ("body re-serialised", |c| {
        edit_b64(
            last_entry(&mut c.bundle)?.get_mut("canonicalizedBody")?,
            |body| {
                let v: Value = serde_json::from_slice(body).ok()?;
                *body = serde_json::to_vec_pretty(&v).ok()?;
                Some(())
            },
        )
    }),
    ("log id changed", |c| {
        let id = b64(&random_bytes(c.rng, 32));
        last_entry(&mut c.bundle)?["logId"]["keyId"] = json!(id);
        Some(())
    }),
    ("log id bit flipped", |c| {
        flip_b64(
            c.rng,
            last_entry(&mut c.bundle)?
                .get_mut("logId")?
                .get_mut("keyId")?,
        )
    }),
    ("kind changed", |c| {
        let e = last_entry(&mut c.bundle)?;
        let kind = e["kindVersion"]["kind"].as_str()?;
        e["kindVersion"]["kind"] = json!(if kind == "dsse" {
            "hashedrekord"
        } else {
            "dsse"
        });
        Some(())
    }),
    ("kind version changed", |c| {
        last_entry(&mut c.bundle)?["kindVersion"]["version"] = json!("0.0.2");
        Some(())
    }),
    ("entries removed", |c| {
        material(&mut c.bundle)?.remove("tlogEntries").map(drop)
    }),
    ("entry repeated", |c| {
        let e = entries(&mut c.bundle)?;
        let last = e.last()?.clone();
        e.push(last);
        Some(())
    }),
    ("entry repeated under an unknown log", |c| {
        let id = b64(&random_bytes(c.rng, 32));
        let e = entries(&mut c.bundle)?;
        let mut copy = e.last()?.clone();
        copy["logId"]["keyId"] = json!(id);
        e.insert(0, copy);
        Some(())
    }),
    ("entries reversed", |c| {
        let e = entries(&mut c.bundle)?;
        if e.len() < 2 {
            return None;
        }
        e.reverse();
        Some(())
    }),
    ("entry from donor", |c| {
        let donor = bundle_of(&c.donor.request);
        let theirs = donor["verificationMaterial"]["tlogEntries"].get(0)?.clone();
        let e = entries(&mut c.bundle)?;
        *e.last_mut()? = theirs;
        Some(())
    }),
    // ---- checkpoints ----
    ("checkpoint size line changed", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            let n: u64 = body.get(1)?.parse().ok()?;
            body[1] = (n + 1).to_string();
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint hash line changed", |c| {
        let rng = &mut *c.rng;
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            let mut h = unb64(body.get(2)?)?;
            let at = rng.below(h.len().max(1));
            *h.get_mut(at)? ^= 0x40;
            body[2] = b64(&h);
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint origin changed", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            body[0] = body.first()?.replacen("rekor", "rek0r", 1);
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint line added", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            body.push("Timestamp: 1780272000000000000".into());
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signature bit flipped", |c| {
        let (at, bit) = (c.rng.below(64), c.rng.below(8));
        edit_note_signature(&mut c.bundle, |bytes| {
            let i = 4 + at % (bytes.len().saturating_sub(4)).max(1);
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << bit;
            }
        })
    }),
    ("checkpoint key hint changed", |c| {
        edit_note_signature(&mut c.bundle, |bytes| {
            if let Some(b) = bytes.first_mut() {
                *b ^= 0xff;
            }
        })
    }),
    ("checkpoint signature removed", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, _) = split_note(t)?;
            Some(join_note(&body, &[]))
        })
    }),
    ("checkpoint signature line repeated", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            sigs.push(sigs.first()?.clone());
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signer renamed", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            let line = sigs.first_mut()?;
            let mut words: Vec<&str> = line.split(' ').collect();
            if words.len() != 3 {
                return None;
            }
            words[1] = "renamed.vouch.test";
            *line = words.join(" ");
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint final newline removed", |c| {
        edit_checkpoint(&mut c.bundle, |t| t.strip_suffix('\n').map(String::from))
    }),
    ("checkpoint signature line with two spaces", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            let line = sigs.first_mut()?;
            *line = line.replacen(' ', "  ", 2);
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signature line with a tab", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            let line = sigs.first_mut()?;
            let at = line.rfind(' ')?;
            line.replace_range(at..=at, "\t");
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signature line with trailing text", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            sigs.first_mut()?.push_str(" trailing");
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signature line with ASCII dash", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (body, mut sigs) = split_note(t)?;
            let line = sigs.first_mut()?;
            *line = line.replacen('\u{2014}', "-", 1);
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint blank line after signatures", |c| {
        edit_checkpoint(&mut c.bundle, |t| Some(format!("{t}\n")))
    }),
    ("checkpoint with CRLF", |c| {
        edit_checkpoint(&mut c.bundle, |t| Some(t.replace('\n', "\r\n")))
    }),
    ("checkpoint body with a blank line", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            body.push(String::new());
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint size with leading zero", |c| {
        edit_checkpoint(&mut c.bundle, |t| {
            let (mut body, sigs) = split_note(t)?;
            body[1] = format!("0{}", body.get(1)?);
            Some(join_note(&body, &sigs))
        })
    }),
    ("checkpoint signature as r||s", |c| {
        edit_note_signature_checked(&mut c.bundle, ecdsa_to_p1363)
    }),
    ("checkpoint signature with a trailing byte", |c| {
        edit_note_signature_checked(&mut c.bundle, |sig| {
            let mut out = sig.to_vec();
            out.push(0);
            Some(out)
        })
    }),
    ("checkpoint signature not minimally encoded", |c| {
        edit_note_signature_checked(&mut c.bundle, ecdsa_non_minimal)
    }),
    ("checkpoint emptied", |c| {
        *checkpoint(&mut c.bundle)? = json!("");
        Some(())
    }),
    // ---- time stamps ----
    ("time stamp byte flipped", |c| {
        let rng = &mut *c.rng;
        let ts = timestamps(&mut c.bundle)?;
        let which = rng.below(ts.len());
        let field = ts[which].get_mut("signedTimestamp")?;
        let mut der = unb64(field.as_str()?)?;
        let at = rng.below(der.len().max(1));
        c.note = Some(tsr_region(&der, at));
        *der.get_mut(at)? ^= 1 << rng.below(8);
        *field = json!(b64(&der));
        Some(())
    }),
    ("time stamp DER bit flipped", |c| {
        let rng = &mut *c.rng;
        let ts = timestamps(&mut c.bundle)?;
        let field = ts[0].get_mut("signedTimestamp")?;
        let mut der = unb64(field.as_str()?)?;
        let positions = tsr_probe_positions(&der);
        let at = *positions.get(rng.below(positions.len().max(1)))?;
        c.note = Some(tsr_region(&der, at));
        der[at] ^= 1 << rng.below(8);
        *field = json!(b64(&der));
        Some(())
    }),
    ("time stamp truncated", |c| {
        let ts = timestamps(&mut c.bundle)?;
        edit_b64(ts[0].get_mut("signedTimestamp")?, |t| {
            t.truncate(t.len() / 2);
            Some(())
        })
    }),
    ("time stamps removed", |c| {
        material(&mut c.bundle)?
            .remove("timestampVerificationData")
            .map(drop)
    }),
    ("time stamp repeated", |c| {
        let ts = timestamps(&mut c.bundle)?;
        let first = ts.first()?.clone();
        ts.push(first);
        Some(())
    }),
    ("time stamp from donor", |c| {
        let theirs = donor_timestamp(c)?;
        let ts = timestamps(&mut c.bundle)?;
        ts[0] = theirs;
        Some(())
    }),
    ("time stamp from donor added", |c| {
        let theirs = donor_timestamp(c)?;
        let m = material(&mut c.bundle)?;
        let tvd = m
            .entry("timestampVerificationData")
            .or_insert_with(|| json!({"rfc3161Timestamps": []}));
        tvd["rfc3161Timestamps"].as_array_mut()?.push(theirs);
        Some(())
    }),
    // ---- the verification material ----
    ("certificate from donor", |c| {
        let donor = bundle_of(&c.donor.request);
        let theirs = donor["verificationMaterial"].get("certificate")?.clone();
        let m = material(&mut c.bundle)?;
        m.get("certificate")?;
        m.insert("certificate".into(), theirs);
        Some(())
    }),
    ("certificate bit flipped", |c| {
        let rng = &mut *c.rng;
        let cert = material(&mut c.bundle)?
            .get_mut("certificate")?
            .get_mut("rawBytes")?;
        flip_b64(rng, cert)
    }),
    ("chain as certificate", |c| {
        let m = material(&mut c.bundle)?;
        let chain = m.remove("x509CertificateChain")?;
        m.insert("certificate".into(), chain["certificates"].get(0)?.clone());
        Some(())
    }),
    ("certificate as chain", |c| {
        let m = material(&mut c.bundle)?;
        let cert = m.remove("certificate")?;
        m.insert(
            "x509CertificateChain".into(),
            json!({"certificates": [cert]}),
        );
        Some(())
    }),
    ("chain without intermediates", |c| {
        let certs = material(&mut c.bundle)?
            .get_mut("x509CertificateChain")?
            .get_mut("certificates")?
            .as_array_mut()?;
        if certs.len() < 2 {
            return None;
        }
        certs.truncate(1);
        Some(())
    }),
    ("chain with a garbage intermediate", |c| {
        let junk = b64(&random_bytes(c.rng, 40));
        let certs = material(&mut c.bundle)?
            .get_mut("x509CertificateChain")?
            .get_mut("certificates")?
            .as_array_mut()?;
        certs.push(json!({"rawBytes": junk}));
        Some(())
    }),
    ("chain reversed", |c| {
        let certs = material(&mut c.bundle)?
            .get_mut("x509CertificateChain")?
            .get_mut("certificates")?
            .as_array_mut()?;
        if certs.len() < 2 {
            return None;
        }
        certs.reverse();
        Some(())
    }),
    ("key hint changed", |c| {
        let hint = b64(&random_bytes(c.rng, 12));
        material(&mut c.bundle)?.get_mut("publicKey")?["hint"] = json!(hint);
        Some(())
    }),
    ("key hint removed", |c| {
        let pk = material(&mut c.bundle)?
            .get_mut("publicKey")?
            .as_object_mut()?;
        pk.remove("hint");
        Some(())
    }),
    // ---- the media type ----
    ("relabelled v0.1", |c| {
        c.bundle["mediaType"] = json!(media_type("0.1"));
        Some(())
    }),
    ("relabelled v0.2", |c| {
        c.bundle["mediaType"] = json!(media_type("0.2"));
        Some(())
    }),
    ("relabelled v0.3", |c| {
        c.bundle["mediaType"] = json!(media_type("0.3"));
        Some(())
    }),
    ("relabelled v0.4", |c| {
        c.bundle["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.4+json");
        Some(())
    }),
    ("bundle pretty-printed", |c| {
        c.pretty = true;
        Some(())
    }),
    // ---- the request: who signed, and the trusted root ----
    ("subject case changed", |c| {
        let id = c.request.get_mut("identity")?;
        let s = id["subject"].as_str()?.to_uppercase();
        id["subject"] = json!(s);
        Some(())
    }),
    ("subject with trailing slash", |c| {
        let id = c.request.get_mut("identity")?;
        let s = format!("{}/", id["subject"].as_str()?);
        id["subject"] = json!(s);
        Some(())
    }),
    ("issuer with trailing slash", |c| {
        let id = c.request.get_mut("identity")?;
        let s = format!("{}/", id["issuer"].as_str()?);
        id["issuer"] = json!(s);
        Some(())
    }),
    ("identity from donor", |c| {
        request_field_from_donor(c, "identity")
    }),
    ("key from donor", |c| request_field_from_donor(c, "key")),
    ("key instead of identity", |c| {
        let theirs = c.donor.request.get("key")?.clone();
        let req = c.request.as_object_mut()?;
        req.remove("identity")?;
        req.insert("key".into(), theirs);
        Some(())
    }),
    ("identity instead of key", |c| {
        let theirs = c.donor.request.get("identity")?.clone();
        let req = c.request.as_object_mut()?;
        req.remove("key")?;
        req.insert("identity".into(), theirs);
        Some(())
    }),
    ("root without timestamp authorities", |c| {
        c.request["trusted_root"]
            .as_object_mut()?
            .remove("timestampAuthorities")
            .map(drop)
    }),
    ("root without transparency logs", |c| {
        c.request["trusted_root"]
            .as_object_mut()?
            .remove("tlogs")
            .map(drop)
    }),
    ("root without CT logs", |c| {
        c.request["trusted_root"]
            .as_object_mut()?
            .remove("ctlogs")
            .map(drop)
    }),
    ("root without certificate authorities", |c| {
        c.request["trusted_root"]
            .as_object_mut()?
            .remove("certificateAuthorities")
            .map(drop)
    }),
    ("root log key id changed", |c| {
        let id = b64(&random_bytes(c.rng, 32));
        c.request["trusted_root"]["tlogs"].get_mut(0)?["logId"]["keyId"] = json!(id);
        Some(())
    }),
    ("root log window ends 2026-06-01", |c| {
        let key = c.request["trusted_root"]["tlogs"]
            .get_mut(0)?
            .get_mut("publicKey")?;
        key["validFor"]["end"] = json!("2026-06-01T00:00:00Z");
        Some(())
    }),
    ("root CA window starts 2026-08-01", |c| {
        c.request["trusted_root"]["certificateAuthorities"].get_mut(0)?["validFor"]["start"] =
            json!("2026-08-01T00:00:00Z");
        Some(())
    }),
    ("root TSA window ends 2026-07-01", |c| {
        c.request["trusted_root"]["timestampAuthorities"].get_mut(0)?["validFor"]["end"] =
            json!("2026-07-01T00:00:00Z");
        Some(())
    }),
    ("root CT log window starts 2026-07-01", |c| {
        let key = c.request["trusted_root"]["ctlogs"]
            .get_mut(0)?
            .get_mut("publicKey")?;
        key["validFor"]["start"] = json!("2026-07-01T00:00:00Z");
        Some(())
    }),
    ("root log key replaced by the CT log's", |c| {
        let root = &mut c.request["trusted_root"];
        let ct_key = root["ctlogs"].get(0)?["publicKey"]["rawBytes"].clone();
        root["tlogs"].get_mut(0)?["publicKey"]["rawBytes"] = ct_key;
        Some(())
    }),
];

// ---- where a byte of a time-stamp response lies ----

/// One DER element: where its header and its content are, and its tag.
#[derive(Clone, Debug)]
struct Tlv {
    tag: u8,
    start: usize,
    content: std::ops::Range<usize>,
}

/// The element at `at` in `der` (short and long definite lengths only).
fn tlv(der: &[u8], at: usize) -> Option<Tlv> {
    let tag = *der.get(at)?;
    let first = *der.get(at + 1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*der.get(at + 2 + i)?);
        }
        (len, 2 + n)
    };
    let content = at + header..at + header + len;
    (content.end <= der.len()).then_some(Tlv {
        tag,
        start: at,
        content,
    })
}

fn children(der: &[u8], parent: &Tlv) -> Vec<Tlv> {
    let mut out = Vec::new();
    let mut at = parent.content.start;
    while at < parent.content.end {
        let Some(child) = tlv(der, at) else { break };
        at = child.content.end;
        out.push(child);
    }
    out
}

/// The named part of a `TimeStampResp` that holds byte `at`, and whether the byte is in that
/// part's header (tag and length) or its content: `signedData.version header`,
/// `signerInfo.signedAttrs content`, … (`other` where the structure does not read).
#[must_use]
pub fn tsr_region(der: &[u8], at: usize) -> String {
    let Some(resp) = tlv(der, 0) else {
        return "other".into();
    };
    let mut named: Vec<(&str, Tlv)> = vec![("response", resp.clone())];
    let resp_children = children(der, &resp);
    if let Some(status) = resp_children.first() {
        named.push(("status", status.clone()));
        if let Some(v) = children(der, status).first() {
            named.push(("status.value", v.clone()));
        }
    }
    if let Some(token) = resp_children.get(1) {
        named.push(("token", token.clone()));
        let parts = children(der, token);
        if let Some(ct) = parts.first() {
            named.push(("token.contentType", ct.clone()));
        }
        if let Some(explicit) = parts.get(1) {
            named.push(("token.content", explicit.clone()));
            if let Some(sd) = children(der, explicit).first() {
                named.push(("signedData", sd.clone()));
                let fields = children(der, sd);
                for (i, f) in fields.iter().enumerate() {
                    let name = match (i, f.tag) {
                        (0, _) => "signedData.version",
                        (1, _) => "signedData.digestAlgorithms",
                        (2, _) => "signedData.encapContentInfo",
                        (_, 0xa0) => "signedData.certificates",
                        (_, 0xa1) => "signedData.crls",
                        _ if i + 1 == fields.len() => "signerInfos",
                        _ => "signedData.other",
                    };
                    named.push((name, f.clone()));
                    if name == "signedData.encapContentInfo" {
                        let e = children(der, f);
                        if let Some(t) = e.first() {
                            named.push(("eContentType", t.clone()));
                        }
                        if let Some(c) = e.get(1) {
                            named.push(("eContent", c.clone()));
                        }
                    }
                    if name == "signerInfos"
                        && let Some(si) = children(der, f).first()
                    {
                        named.push(("signerInfo", si.clone()));
                        for (j, g) in children(der, si).iter().enumerate() {
                            let n = match (j, g.tag) {
                                (0, _) => "signerInfo.version",
                                (1, _) => "signerInfo.sid",
                                (2, _) => "signerInfo.digestAlgorithm",
                                (_, 0xa0) => "signerInfo.signedAttrs",
                                (_, 0xa1) => "signerInfo.unsignedAttrs",
                                (_, 0x04) => "signerInfo.signature",
                                _ => "signerInfo.signatureAlgorithm",
                            };
                            named.push((n, g.clone()));
                        }
                    }
                }
            }
        }
    }
    // The innermost named part holding the byte.
    named
        .iter()
        .rev()
        .find(|(_, t)| t.start <= at && at < t.content.end)
        .map_or_else(
            || "other".into(),
            |(n, t)| {
                let part = if at < t.content.start {
                    "header"
                } else {
                    "content"
                };
                format!("{n} {part}")
            },
        )
}

/// Every element of `der` from `at` on, depth first (constructed ones opened).
fn all_tlvs(der: &[u8], at: usize, end: usize, out: &mut Vec<Tlv>) {
    let mut at = at;
    while at < end {
        let Some(t) = tlv(der, at) else { return };
        at = t.content.end;
        if t.tag & 0x20 != 0 {
            all_tlvs(der, t.content.start, t.content.end, out);
        }
        out.push(t);
    }
}

/// The bytes of a time-stamp response worth flipping: every element's tag and length, and
/// the content of its small elements (versions, the status, algorithm and content-type OIDs).
#[must_use]
pub fn tsr_probe_positions(der: &[u8]) -> Vec<usize> {
    let mut elements = Vec::new();
    all_tlvs(der, 0, der.len(), &mut elements);
    let mut out: Vec<usize> = elements
        .iter()
        .flat_map(|t| {
            // Short INTEGERs (versions, the status) and OIDs (algorithms, content types).
            let small = matches!(t.tag, 0x02 | 0x06) && t.content.len() <= 11;
            let body = if small { t.content.clone() } else { 0..0 };
            (t.start..t.content.start).chain(body)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Each byte of [`tsr_probe_positions`] in the first time stamp of `case` with `bits` of its
/// bits flipped (one at a time, drawn by `rng`): one case each, named by where the byte lies.
#[must_use]
pub fn timestamp_scan(case: &GenCase, rng: &mut Rng, bits: usize) -> Vec<GenCase> {
    let bundle = bundle_of(&case.request);
    let Some(text) = bundle["verificationMaterial"]["timestampVerificationData"]
        ["rfc3161Timestamps"][0]["signedTimestamp"]
        .as_str()
    else {
        return Vec::new();
    };
    let der = unb64(text).expect("base64");
    let mut out = Vec::new();
    for at in tsr_probe_positions(&der) {
        let first = rng.below(8);
        for bit in (0..bits.min(8)).map(|i| (first + i * 3) % 8) {
            let mut flipped = der.clone();
            flipped[at] ^= 1 << bit;
            let mut b = bundle.clone();
            b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"] =
                json!(b64(&flipped));
            let mut request = case.request.clone();
            request["bundle_base64"] =
                json!(b64(&serde_json::to_vec(&b).expect("a bundle serialises")));
            out.push(GenCase {
                name: format!(
                    "time stamp scan [{}] <- {} (byte {at} bit {bit})",
                    tsr_region(&der, at),
                    case.name
                ),
                request,
            });
        }
    }
    out
}
