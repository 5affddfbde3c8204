//! Cases for the differential test of keyless `sigstoreSigned` (Fulcio with Rekor, and PKI)
//! against containers/image: certificate authorities, intermediates and leaves made with
//! rcgen, payload signatures by the leaves' keys and Rekor SETs by a test log (aws-lc-rs),
//! varied in every field containers/image checks — chains, validity, CA flags, key usages,
//! extended key usages, the issuer extensions, e-mail and host names — and in the policy.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    PKCS_ECDSA_P384_SHA384, PKCS_ED25519, PKCS_RSA_SHA256, PublicKeyData as _, RsaKeySize, SanType,
};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::evaluations::b64;
use crate::generate::Rng;
use crate::sigstore_cases::{Case, draw_image, hex, payload_of};

const ISSUER: &str = "https://issuer.vouch.test";
const EMAIL: &str = "signer@vouch.test";
const HOST: &str = "build.vouch.test";

/// A certificate authority: its certificate and what signs with it.
pub(crate) struct Authority {
    pub(crate) pem: String,
    params: CertificateParams,
    key: KeyPair,
}

impl Authority {
    pub(crate) fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }
}

pub(crate) fn time(seconds: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(seconds).expect("a time")
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "vouch test");
    dn.push(DnType::CommonName, cn);
    dn
}

/// A CA certificate, self-signed or signed by `parent`.
pub(crate) fn authority(
    cn: &str,
    algorithm: &'static rcgen::SignatureAlgorithm,
    validity: (i64, i64),
    tweak: impl FnOnce(&mut CertificateParams),
    parent: Option<&Authority>,
) -> Authority {
    let key = generate(algorithm);
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = name(cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = time(validity.0);
    params.not_after = time(validity.1);
    tweak(&mut params);
    let cert = match parent {
        Some(parent) => params.signed_by(&key, &parent.issuer()),
        None => params.self_signed(&key),
    }
    .expect("CA certificate");
    Authority {
        pem: cert.pem(),
        params,
        key,
    }
}

/// A new key for `algorithm` (RSA keys of 2,048 bits).
fn generate(algorithm: &'static rcgen::SignatureAlgorithm) -> KeyPair {
    if algorithm == &PKCS_RSA_SHA256 {
        KeyPair::generate_rsa_for(algorithm, RsaKeySize::_2048).expect("RSA key")
    } else {
        KeyPair::generate_for(algorithm).expect("key")
    }
}

/// The authorities of a run, made once.
#[allow(missing_debug_implementations)]
pub struct Authorities {
    root_a: Authority,
    root_b: Authority,
    /// An RSA root, and an RSA intermediate under it.
    root_c: Authority,
    inter_a: Authority,
    inter_b: Authority,
    inter_c: Authority,
    /// An RSA leaf key (PKCS #8), made once: RSA keys are slow to make.
    rsa_leaf: Vec<u8>,
    /// Intermediates under `root_a` that must not work: not a CA, no certificate signing, an
    /// extended key usage without code signing, expired.
    inter_not_ca: Authority,
    inter_no_cert_sign: Authority,
    inter_server_auth: Authority,
    inter_expired: Authority,
    /// A root with a path length of 0, and an intermediate under it.
    root_pathlen: Authority,
    inter_pathlen: Authority,
    /// An untrusted root and its intermediate.
    root_x: Authority,
    inter_x: Authority,
    log: KeyPair,
    log_other: KeyPair,
    /// The time everything is valid around.
    now: i64,
}

/// Makes the authorities, valid for ten years around `now`.
#[must_use]
pub fn authorities(now: i64) -> Authorities {
    let span = (now - 10 * 365 * 86_400, now + 10 * 365 * 86_400);
    let root_a = authority("root A", &PKCS_ECDSA_P256_SHA256, span, |_| {}, None);
    let root_b = authority("root B", &PKCS_ECDSA_P384_SHA384, span, |_| {}, None);
    let root_c = authority("root C", &PKCS_RSA_SHA256, span, |_| {}, None);
    let code_signing = |p: &mut CertificateParams| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
    };
    let inter_a = authority(
        "intermediate A",
        &PKCS_ECDSA_P256_SHA256,
        span,
        code_signing,
        Some(&root_a),
    );
    let inter_b = authority(
        "intermediate B",
        &PKCS_ECDSA_P384_SHA384,
        span,
        |_| {},
        Some(&root_b),
    );
    let inter_c = authority(
        "intermediate C",
        &PKCS_RSA_SHA256,
        span,
        code_signing,
        Some(&root_c),
    );
    let inter_not_ca = authority(
        "not a CA",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |p| p.is_ca = IsCa::ExplicitNoCa,
        Some(&root_a),
    );
    let inter_no_cert_sign = authority(
        "no certificate signing",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |p| p.key_usages = vec![KeyUsagePurpose::DigitalSignature],
        Some(&root_a),
    );
    let inter_server_auth = authority(
        "server auth only",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |p| p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth],
        Some(&root_a),
    );
    let inter_expired = authority(
        "expired",
        &PKCS_ECDSA_P256_SHA256,
        (span.0, now - 30 * 86_400),
        |_| {},
        Some(&root_a),
    );
    let root_pathlen = authority(
        "root with path length 0",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |p| p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0)),
        None,
    );
    let inter_pathlen = authority(
        "under path length 0",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |_| {},
        Some(&root_pathlen),
    );
    let root_x = authority(
        "untrusted root",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |_| {},
        None,
    );
    let inter_x = authority(
        "untrusted intermediate",
        &PKCS_ECDSA_P256_SHA256,
        span,
        |_| {},
        Some(&root_x),
    );
    Authorities {
        root_a,
        root_b,
        root_c,
        inter_a,
        inter_b,
        inter_c,
        rsa_leaf: generate(&PKCS_RSA_SHA256).serialize_der(),
        inter_not_ca,
        inter_no_cert_sign,
        inter_server_auth,
        inter_expired,
        root_pathlen,
        inter_pathlen,
        root_x,
        inter_x,
        log: KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("log key"),
        log_other: KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("log key"),
        now,
    }
}

pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    let body = b64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// DER of a UTF8String or PrintableString, for the issuer v2 extension.
pub(crate) fn der_string(tag: u8, text: &str) -> Vec<u8> {
    let mut out = vec![tag, u8::try_from(text.len()).expect("short")];
    out.extend_from_slice(text.as_bytes());
    out
}

/// Signs `message` with the leaf key: as cosign does for P-256 (ECDSA over SHA-256, DER), RSA
/// (PKCS #1 v1.5 over SHA-256) and Ed25519; a P-384 key signs over SHA-384 (rcgen's
/// algorithm), which sigstore's SHA-256 verifier refuses.
pub(crate) fn sign(key: &KeyPair, message: &[u8]) -> Vec<u8> {
    let pkcs8 = key.serialize_der();
    if key.algorithm() == &PKCS_RSA_SHA256 {
        let pair = RsaKeyPair::from_pkcs8(&pkcs8).expect("rsa");
        let mut out = vec![0; pair.public_modulus_len()];
        pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut out)
            .expect("sign");
        return out;
    }
    if key.algorithm() == &PKCS_ED25519 {
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).expect("ed25519");
        return pair.sign(message).as_ref().to_vec();
    }
    if key.algorithm() == &PKCS_ECDSA_P384_SHA384 {
        return rcgen::SigningKey::sign(key, message).expect("sign");
    }
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8).expect("ecdsa");
    pair.sign(&SystemRandom::new(), message)
        .expect("sign")
        .as_ref()
        .to_vec()
}

/// The SET annotation for `signature` over `payload` by the certificate `cert_pem`, logged at
/// `integrated` and signed by `log`.
pub(crate) fn bundle(
    log: &KeyPair,
    cert_pem: &str,
    signature: &[u8],
    payload: &[u8],
    integrated: i64,
    n: usize,
) -> String {
    let body = format!(
        r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{{"data":{{"hash":{{"algorithm":"sha256","value":"{}"}}}},"signature":{{"content":"{}","publicKey":{{"content":"{}"}}}}}}}}"#,
        hex(&Sha256::digest(payload)),
        b64(signature),
        b64(cert_pem.as_bytes())
    );
    let log_id = hex(&Sha256::digest(log.subject_public_key_info()));
    let canonical = format!(
        r#"{{"body":"{}","integratedTime":{integrated},"logID":"{log_id}","logIndex":{n}}}"#,
        b64(body.as_bytes())
    );
    let set = sign(log, canonical.as_bytes());
    format!(
        r#"{{"SignedEntryTimestamp":"{}","Payload":{canonical}}}"#,
        b64(&set)
    )
}

/// Draws `n` cases: about three quarters Fulcio, the rest PKI (decided at `now`, the oracle's
/// clock).
///
/// # Panics
/// When a certificate cannot be made.
#[must_use]
pub fn cases(rng: &mut Rng, ca: &Authorities, n: usize) -> Vec<Case> {
    (0..n)
        .map(|i| {
            if rng.chance(75) {
                fulcio_case(rng, ca, i)
            } else {
                pki_case(rng, ca, i)
            }
        })
        .collect()
}

/// The leaf's key: P-256 mostly, RSA-2048 (the run's one RSA leaf key), P-384 or Ed25519.
fn leaf_key(rng: &mut Rng, ca: &Authorities, label: &mut Vec<String>) -> KeyPair {
    let (algorithm, what) = match rng.below(20) {
        0..=14 => (&PKCS_ECDSA_P256_SHA256, "p256-leaf"),
        15 | 16 => {
            label.push("rsa-leaf".into());
            return KeyPair::try_from(ca.rsa_leaf.as_slice()).expect("RSA key");
        }
        17 => (&PKCS_ECDSA_P384_SHA384, "p384-leaf"),
        _ => (&PKCS_ED25519, "ed25519-leaf"),
    };
    if what != "p256-leaf" {
        label.push(what.into());
    }
    generate(algorithm)
}

/// Which authority signs the leaf, and the chain annotation that goes with it.
fn chain_for<'a>(
    rng: &mut Rng,
    ca: &'a Authorities,
    label: &mut Vec<String>,
) -> (&'a Authority, Option<String>) {
    let pick = rng.below(100);
    let (issuer, chain, what): (&Authority, Option<String>, &str) = match pick {
        0..=49 => (
            &ca.inter_a,
            Some(format!("{}{}", ca.inter_a.pem, ca.root_a.pem)),
            "inter-a",
        ),
        50..=54 => (
            &ca.inter_c,
            Some(format!("{}{}", ca.inter_c.pem, ca.root_c.pem)),
            "inter-c-rsa",
        ),
        55..=64 => (&ca.root_a, None, "root-a"),
        65..=69 => (
            &ca.inter_b,
            Some(format!("{}{}", ca.inter_b.pem, ca.root_b.pem)),
            "inter-b",
        ),
        70..=72 => (&ca.inter_a, None, "inter-a-no-chain"),
        73..=74 => (
            &ca.inter_a,
            Some(ca.root_a.pem.clone()),
            "inter-a-chain-root-only",
        ),
        75..=76 => (
            &ca.inter_a,
            Some(format!("{}junk", ca.inter_a.pem)),
            "inter-a-chain-junk",
        ),
        77..=79 => (
            &ca.inter_not_ca,
            Some(format!("{}{}", ca.inter_not_ca.pem, ca.root_a.pem)),
            "not-ca",
        ),
        80..=82 => (
            &ca.inter_no_cert_sign,
            Some(format!("{}{}", ca.inter_no_cert_sign.pem, ca.root_a.pem)),
            "no-cert-sign",
        ),
        83..=85 => (
            &ca.inter_server_auth,
            Some(format!("{}{}", ca.inter_server_auth.pem, ca.root_a.pem)),
            "server-auth-ca",
        ),
        86..=88 => (
            &ca.inter_expired,
            Some(format!("{}{}", ca.inter_expired.pem, ca.root_a.pem)),
            "expired-ca",
        ),
        89..=91 => (
            &ca.inter_pathlen,
            Some(format!("{}{}", ca.inter_pathlen.pem, ca.root_pathlen.pem)),
            "pathlen-0",
        ),
        92..=95 => (
            &ca.inter_x,
            Some(format!("{}{}", ca.inter_x.pem, ca.root_x.pem)),
            "untrusted",
        ),
        _ => (
            &ca.inter_a,
            Some(format!(
                "{}{}{}",
                ca.inter_x.pem, ca.inter_a.pem, ca.root_a.pem
            )),
            "extra-intermediate",
        ),
    };
    label.push(what.into());
    (issuer, chain)
}

/// The trusted roots file: root A, maybe root B and the path-length root.
fn roots(rng: &mut Rng, ca: &Authorities) -> String {
    let mut out = ca.root_a.pem.clone();
    if rng.chance(70) {
        out.push_str(&ca.root_b.pem);
    }
    if rng.chance(80) {
        out.push_str(&ca.root_c.pem);
    }
    if rng.chance(80) {
        out.push_str(&ca.root_pathlen.pem);
    }
    out
}

/// The leaf's common part: SANs, extended key usages, validity, extra extensions.
/// `exact` allows validity bounds at `center` itself (Fulcio, whose time is the SET's; PKI is
/// checked at the oracle's running clock, which moves on).
fn leaf_params(
    rng: &mut Rng,
    label: &mut Vec<String>,
    center: i64,
    exact: bool,
    sans: Vec<SanType>,
) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = DistinguishedName::new();
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.subject_alt_names = sans;
    params.extended_key_usages = match rng.below(25) {
        0..=19 => vec![ExtendedKeyUsagePurpose::CodeSigning],
        20 | 21 => {
            label.push("no-eku".into());
            Vec::new()
        }
        22 => {
            label.push("eku-server".into());
            vec![ExtendedKeyUsagePurpose::ServerAuth]
        }
        23 => {
            label.push("eku-any".into());
            vec![ExtendedKeyUsagePurpose::Any]
        }
        _ => {
            label.push("eku-server+code".into());
            vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::CodeSigning,
            ]
        }
    };
    let mut draw = rng.below(30);
    if !exact && matches!(draw, 27 | 28) {
        draw = 0;
    }
    let (from, to) = match draw {
        0..=24 => (center - 600, center + 600),
        25 => {
            label.push("leaf-expired".into());
            (center - 7200, center - 3600)
        }
        26 => {
            label.push("leaf-not-yet".into());
            (center + 3600, center + 7200)
        }
        27 => {
            label.push("leaf-starts-now".into());
            (center, center + 600)
        }
        28 => {
            label.push("leaf-ends-now".into());
            (center - 600, center)
        }
        _ => {
            label.push("leaf-long".into());
            (center - 86_400 * 400, center + 86_400 * 400)
        }
    };
    params.not_before = time(from);
    params.not_after = time(to);
    // Go's parsing rules at their edges: a zero serial and a negative one (the oracle's
    // GODEBUG keeps negative serials; `leaf_der` makes one), URI names (parsed: a malformed one
    // fails the certificate), validity before 1970 (a UTCTime from 1950 on) and after 2049 (a
    // GeneralizedTime), and the time forms Go reads (`leaf_der` writes them).
    match rng.below(40) {
        0 => {
            label.push("serial-zero".into());
            params.serial_number = Some(rcgen::SerialNumber::from_slice(&[0]));
        }
        5 => label.push("serial-negative".into()),
        1 => {
            label.push("uri-san".into());
            let uri = [
                "https://build.vouch.test/pipelines/release",
                "spiffe://vouch.test/ns/build/sa/release",
                "https://u:p@[fe80::1%25en0]:8443/x?y#z",
                "urn:vouch:release",
                "/relative/path",
            ][rng.below(5)];
            params
                .subject_alt_names
                .push(SanType::URI(uri.try_into().expect("ia5")));
        }
        2 => {
            label.push("uri-san-malformed".into());
            let uri = [
                "http://[::1",
                "https://build.vouch.test:84x3/",
                "https://build..vouch.test/",
                "https://build.vouch.test./",
                "http://bu%20ild.vouch.test/",
                "http://build{vouch}.test/",
                "https://u^s@build.vouch.test/",
                ":no-scheme",
                "1st:segment/x",
                "https://build.vouch.test/%zz",
                "https://build.vouch.test/#%4",
            ][rng.below(11)];
            params
                .subject_alt_names
                .push(SanType::URI(uri.try_into().expect("ia5")));
        }
        3 => {
            label.push("since-1960".into());
            params.not_before = time(-315_619_200);
        }
        4 => {
            label.push("until-2100".into());
            params.not_after = time(4_102_444_800);
        }
        6 => label.push("validity-minutes".into()),
        7 => label.push("validity-offset".into()),
        8 => label.push(["validity-fraction", "validity-generalized"][rng.below(2)].into()),
        9 => label.push("validity-plus-zero".into()),
        10 => label.push("validity-trailing".into()),
        _ => {}
    }
    if rng.chance(3) {
        label.push("unknown-critical".into());
        let mut ext =
            CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99_999, 1], vec![0x05, 0x00]);
        ext.set_criticality(true);
        params.custom_extensions.push(ext);
    }
    params
}

fn attachment(payload: &[u8], annotations: Map<String, Value>) -> Value {
    json!({"kind": "sigstore", "mime": "application/vnd.dev.cosign.simplesigning.v1+json",
           "payload": b64(payload), "annotations": annotations})
}

/// The leaf's DER, changed as its label asks (rcgen writes positive serials and canonical
/// times only) and signed again by `issuer`: `serial-negative` sets the sign bit of the serial
/// number; `validity-*` writes the validity in another form Go reads or refuses.
fn leaf_der(
    der: &[u8],
    issuer: &Authority,
    label: &[String],
    params: &CertificateParams,
) -> Vec<u8> {
    let has = |l: &str| label.iter().any(|x| x == l);
    let (_, certificate) = tlv(der);
    let (tbs_len, tbs_body) = tlv(certificate);
    let mut fields = Vec::new();
    let mut rest = tbs_body;
    while !rest.is_empty() {
        let (len, _) = tlv(rest);
        fields.push(rest[..len].to_vec());
        rest = &rest[len..];
    }
    // [0] version, serial, signature algorithm, issuer, validity, ...
    assert_eq!(fields[1][0], 0x02, "the serial number");
    let mut changed = false;
    if has("serial-negative") {
        fields[1][2] |= 0x80;
        changed = true;
    }
    if let Some(validity) = validity_form(label, params) {
        fields[4] = validity;
        changed = true;
    }
    if !changed {
        return der.to_vec();
    }
    let tbs = der_tlv(0x30, &fields.concat());
    let (algorithm_len, _) = tlv(&certificate[tbs_len..]);
    let algorithm = &certificate[tbs_len..tbs_len + algorithm_len];
    let mut bits = vec![0];
    bits.extend(sign(&issuer.key, &tbs));
    let mut body = tbs;
    body.extend_from_slice(algorithm);
    body.extend(der_tlv(0x03, &bits));
    der_tlv(0x30, &body)
}

/// The validity in the form a `validity-*` label asks for.
fn validity_form(label: &[String], params: &CertificateParams) -> Option<Vec<u8>> {
    let form = label.iter().find_map(|l| l.strip_prefix("validity-"))?;
    let (from, to) = (params.not_before, params.not_after);
    let at = |t: time::OffsetDateTime, hours: i8, minutes: i8| {
        t.to_offset(time::UtcOffset::from_hms(hours, minutes, 0).expect("offset"))
    };
    let utc = |t: time::OffsetDateTime, seconds: bool, zone: &str| {
        let mut text = format!(
            "{:02}{:02}{:02}{:02}{:02}",
            t.year() % 100,
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        );
        if seconds {
            text += &format!("{:02}", t.second());
        }
        der_tlv(0x17, (text + zone).as_bytes())
    };
    let generalized = |t: time::OffsetDateTime, fraction: &str| {
        let text = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}{fraction}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        der_tlv(0x18, text.as_bytes())
    };
    let times = match form {
        "minutes" => [utc(from, false, "Z"), utc(to, false, "Z")].concat(),
        "offset" => [
            utc(at(from, 1, 30), true, "+0130"),
            utc(at(to, -8, -45), true, "-0845"),
        ]
        .concat(),
        // Go reads a fraction of a second, but writes none back: refused.
        "fraction" => [generalized(from, ".5"), generalized(to, "")].concat(),
        "generalized" => [generalized(from, ""), generalized(to, "")].concat(),
        "plus-zero" => [utc(from, true, "+0000"), utc(to, true, "Z")].concat(),
        "trailing" => [utc(from, true, "Z"), utc(to, true, "Z"), vec![0x05, 0x00]].concat(),
        other => panic!("validity form {other}"),
    };
    Some(der_tlv(0x30, &times))
}

/// The length of the TLV at the start of `der`, and its contents.
fn tlv(der: &[u8]) -> (usize, &[u8]) {
    let (len, header) = match der[1] {
        n if n < 0x80 => (usize::from(n), 2),
        0x81 => (usize::from(der[2]), 3),
        0x82 => (usize::from(der[2]) << 8 | usize::from(der[3]), 4),
        other => panic!("length form {other:#x}"),
    };
    (header + len, &der[header..header + len])
}

/// A DER TLV.
fn der_tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match contents.len() {
        n if n < 0x80 => out.push(u8::try_from(n).expect("short")),
        n if n < 0x100 => out.extend([0x81, u8::try_from(n).expect("short")]),
        n => out.extend([
            0x82,
            u8::try_from(n >> 8).expect("short"),
            u8::try_from(n & 0xff).expect("short"),
        ]),
    }
    out.extend_from_slice(contents);
    out
}

pub(crate) fn request(
    policy: &Value,
    files: &Map<String, Value>,
    reference: &str,
    manifest: &[u8],
    signature: Value,
    now: Option<i64>,
) -> (Value, Value) {
    let policy_text = serde_json::to_string(policy).expect("policy");
    let manifest = b64(manifest);
    let mut vouch = json!({"policy_text": policy_text, "files": files, "transport": "docker",
                           "reference": reference, "manifest": manifest, "signatures": [signature]});
    if let Some(now) = now {
        let at = time(now)
            .format(&time::format_description::well_known::Rfc3339)
            .expect("time");
        vouch["now"] = json!(at);
    }
    let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": files,
                        "transport": "docker", "reference": reference,
                        "manifest": manifest, "signatures": [signature]});
    (vouch, oracle)
}

fn fulcio_case(rng: &mut Rng, ca: &Authorities, n: usize) -> Case {
    let mut label = vec![String::from("fulcio")];
    let (manifest, digest, reference, image) = draw_image(rng);
    let payload = payload_of(
        rng,
        &image,
        &digest,
        "cosign container image signature",
        "x",
    );
    let integrated = ca.now - i64::try_from(rng.below(5_000_000)).unwrap_or(0) - 86_400;
    let (issuer_ca, chain) = chain_for(rng, ca, &mut label);
    // The identity the certificate carries.
    let email = match rng.below(25) {
        0..=20 => vec![SanType::Rfc822Name(EMAIL.try_into().expect("ia5"))],
        21 => {
            label.push("other-email".into());
            vec![SanType::Rfc822Name(
                "other@vouch.test".try_into().expect("ia5"),
            )]
        }
        22 => {
            label.push("no-san".into());
            Vec::new()
        }
        23 => {
            label.push("two-emails".into());
            vec![
                SanType::Rfc822Name("first@vouch.test".try_into().expect("ia5")),
                SanType::Rfc822Name(EMAIL.try_into().expect("ia5")),
            ]
        }
        _ => {
            label.push("email+uri".into());
            vec![
                SanType::URI(
                    "https://github.com/vouch/vouch/.github/workflows/release.yml@refs/heads/main"
                        .try_into()
                        .expect("ia5"),
                ),
                SanType::Rfc822Name(EMAIL.try_into().expect("ia5")),
            ]
        }
    };
    let mut params = leaf_params(rng, &mut label, integrated, true, email);
    let v1 = |issuer: &str| {
        CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 57264, 1, 1],
            issuer.as_bytes().to_vec(),
        )
    };
    let v2 = |content: Vec<u8>| {
        CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 57264, 1, 8], content)
    };
    match rng.below(40) {
        0..=15 => params.custom_extensions.push(v1(ISSUER)),
        16..=23 => params.custom_extensions.push(v2(der_string(0x0c, ISSUER))),
        24..=33 => {
            params.custom_extensions.push(v1(ISSUER));
            params.custom_extensions.push(v2(der_string(0x0c, ISSUER)));
        }
        34 => {
            label.push("issuers-differ".into());
            params.custom_extensions.push(v1(ISSUER));
            params
                .custom_extensions
                .push(v2(der_string(0x0c, "https://other.vouch.test")));
        }
        35 => label.push("no-issuer".into()),
        36 => {
            label.push("issuer-v2-printable".into());
            params
                .custom_extensions
                .push(v2(der_string(0x13, "https://issuer.vouch.test")));
        }
        37 => {
            label.push("issuer-v2-trailing".into());
            let mut content = der_string(0x0c, ISSUER);
            content.push(0);
            params.custom_extensions.push(v2(content));
        }
        38 => {
            label.push("issuer-v2-raw".into());
            params
                .custom_extensions
                .push(v2(ISSUER.as_bytes().to_vec()));
        }
        _ => {
            label.push("other-issuer".into());
            params
                .custom_extensions
                .push(v1("https://other.vouch.test"));
        }
    }
    let leaf_key = leaf_key(rng, ca, &mut label);
    let leaf = params
        .signed_by(&leaf_key, &issuer_ca.issuer())
        .expect("leaf");
    let cert_pem = pem(
        "CERTIFICATE",
        &leaf_der(leaf.der(), issuer_ca, &label, &params),
    );
    let mut signed_payload = payload.clone();
    let signature = sign(&leaf_key, &payload);
    let log = if rng.chance(4) {
        label.push("other-log".into());
        &ca.log_other
    } else {
        &ca.log
    };
    let mut set = bundle(log, &cert_pem, &signature, &payload, integrated, n);
    match rng.below(40) {
        0 => {
            label.push("payload-tampered".into());
            let at = n % signed_payload.len();
            signed_payload[at] ^= 1;
        }
        1 => {
            label.push("set-other-cert".into());
            set = bundle(log, &ca.inter_a.pem, &signature, &payload, integrated, n);
        }
        _ => {}
    }
    let mut annotations = Map::new();
    annotations.insert(
        "dev.cosignproject.cosign/signature".into(),
        json!(b64(&signature)),
    );
    if !rng.chance(3) {
        annotations.insert("dev.sigstore.cosign/bundle".into(), json!(set));
    } else {
        label.push("no-bundle".into());
    }
    if !rng.chance(3) {
        annotations.insert("dev.sigstore.cosign/certificate".into(), json!(cert_pem));
    } else {
        label.push("no-certificate".into());
    }
    if let Some(chain) = chain {
        annotations.insert("dev.sigstore.cosign/chain".into(), json!(chain));
    }
    let mut files = Map::new();
    let roots = roots(rng, ca);
    let mut fulcio = Map::new();
    if rng.chance(50) {
        fulcio.insert("caPath".into(), json!("/keys/fulcio.pem"));
        files.insert("/keys/fulcio.pem".into(), json!(b64(roots.as_bytes())));
    } else {
        fulcio.insert("caData".into(), json!(b64(roots.as_bytes())));
    }
    fulcio.insert("oidcIssuer".into(), json!(ISSUER));
    fulcio.insert("subjectEmail".into(), json!(EMAIL));
    let log_pem = pem("PUBLIC KEY", &ca.log.subject_public_key_info());
    let mut requirement = json!({"type": "sigstoreSigned", "fulcio": fulcio});
    if rng.chance(50) {
        requirement["rekorPublicKeyPath"] = json!("/keys/rekor.pub");
        files.insert("/keys/rekor.pub".into(), json!(b64(log_pem.as_bytes())));
    } else {
        requirement["rekorPublicKeyData"] = json!(b64(log_pem.as_bytes()));
    }
    let policy = json!({"default": [requirement]});
    let (vouch, oracle) = request(
        &policy,
        &files,
        &reference,
        &manifest,
        attachment(&signed_payload, annotations),
        None,
    );
    Case {
        label: label.join(" "),
        vouch,
        oracle,
    }
}

fn pki_case(rng: &mut Rng, ca: &Authorities, _n: usize) -> Case {
    let mut label = vec![String::from("pki")];
    let (manifest, digest, reference, image) = draw_image(rng);
    let payload = payload_of(
        rng,
        &image,
        &digest,
        "cosign container image signature",
        "x",
    );
    let (issuer_ca, chain) = chain_for(rng, ca, &mut label);
    let mut sans = Vec::new();
    if rng.chance(80) {
        sans.push(SanType::Rfc822Name(EMAIL.try_into().expect("ia5")));
    }
    match rng.below(10) {
        0..=3 => sans.push(SanType::DnsName(HOST.try_into().expect("ia5"))),
        4 => sans.push(SanType::DnsName("*.vouch.test".try_into().expect("ia5"))),
        5 => sans.push(SanType::DnsName(
            "BUILD.Vouch.Test".try_into().expect("ia5"),
        )),
        6 => sans.push(SanType::IpAddress("192.0.2.7".parse().expect("ip"))),
        7 => sans.push(SanType::DnsName(
            "other.vouch.test".try_into().expect("ia5"),
        )),
        _ => {}
    }
    // PKI checks at the oracle's clock: certificates valid around now, or clearly not.
    let params = leaf_params(rng, &mut label, ca.now, false, sans);
    let leaf_key = leaf_key(rng, ca, &mut label);
    let leaf = params
        .signed_by(&leaf_key, &issuer_ca.issuer())
        .expect("leaf");
    let cert_pem = pem(
        "CERTIFICATE",
        &leaf_der(leaf.der(), issuer_ca, &label, &params),
    );
    let signature = sign(&leaf_key, &payload);
    let mut annotations = Map::new();
    annotations.insert(
        "dev.cosignproject.cosign/signature".into(),
        json!(b64(&signature)),
    );
    annotations.insert("dev.sigstore.cosign/certificate".into(), json!(cert_pem));
    // The chain comes from the annotation, or the policy names the intermediates.
    let mut pki = Map::new();
    let mut files = Map::new();
    let roots = roots(rng, ca);
    pki.insert("caRootsData".into(), json!(b64(roots.as_bytes())));
    match (chain, rng.below(3)) {
        (Some(chain), 0) => {
            label.push("intermediates-in-policy".into());
            let without_root: String = chain
                .split_inclusive("-----END CERTIFICATE-----\n")
                .take(1)
                .collect();
            files.insert(
                "/keys/intermediates.pem".into(),
                json!(b64(without_root.as_bytes())),
            );
            pki.insert(
                "caIntermediatesPath".into(),
                json!("/keys/intermediates.pem"),
            );
        }
        (Some(chain), _) => {
            annotations.insert("dev.sigstore.cosign/chain".into(), json!(chain));
        }
        (None, _) => {}
    }
    match rng.below(6) {
        0..=2 => {
            pki.insert("subjectEmail".into(), json!(EMAIL));
        }
        3 => {
            pki.insert("subjectHostname".into(), json!(HOST));
        }
        4 => {
            pki.insert("subjectEmail".into(), json!(EMAIL));
            pki.insert("subjectHostname".into(), json!(HOST));
        }
        _ => {
            label.push("hostname-ip".into());
            pki.insert("subjectHostname".into(), json!("192.0.2.7"));
        }
    }
    let policy = json!({"default": [{"type": "sigstoreSigned", "pki": pki}]});
    let (vouch, oracle) = request(
        &policy,
        &files,
        &reference,
        &manifest,
        attachment(&payload, annotations),
        Some(ca.now),
    );
    Case {
        label: label.join(" "),
        vouch,
        oracle,
    }
}

/// A leaf as Fulcio issues it, signed by `issuer`: no subject, the e-mail SAN `email`, both
/// OIDC issuer extensions naming `oidc_issuer`, code signing only, a P-256 key, valid over
/// `validity`. Gives the certificate's PEM and its key.
pub(crate) fn fulcio_leaf(
    issuer: &Authority,
    email: &str,
    oidc_issuer: &str,
    validity: (i64, i64),
) -> (String, KeyPair) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = DistinguishedName::new();
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
    params.subject_alt_names = vec![SanType::Rfc822Name(email.try_into().expect("ia5"))];
    params.not_before = time(validity.0);
    params.not_after = time(validity.1);
    params.custom_extensions = vec![
        CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 57264, 1, 1],
            oidc_issuer.as_bytes().to_vec(),
        ),
        CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 57264, 1, 8],
            der_string(0x0c, oidc_issuer),
        ),
    ];
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("leaf key");
    let cert = params.signed_by(&key, &issuer.issuer()).expect("leaf");
    (pem("CERTIFICATE", cert.der()), key)
}

/// One Fulcio case containers/image accepts, as cosign makes them: a P-256 leaf under the
/// intermediate, both issuer extensions, the e-mail SAN, the chain annotation and a SET (for
/// the benches).
///
/// # Panics
/// When a certificate cannot be made.
#[must_use]
pub fn accepted_fulcio(ca: &Authorities) -> Case {
    accepted_fulcio_for(ca, "quay.io/ns/app:1.0", 7)
}

/// As [`accepted_fulcio`], for another image in `quay.io/ns` (its manifest drawn from `seed`).
///
/// # Panics
/// When a certificate cannot be made.
#[must_use]
pub fn accepted_fulcio_for(ca: &Authorities, reference: &str, seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let (manifest, digest, _, _) = draw_image(&mut rng);
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{reference}"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"cosign container image signature"}},"optional":null}}"#
    )
    .into_bytes();
    let integrated = ca.now - 86_400;
    let (cert_pem, leaf_key) = fulcio_leaf(
        &ca.inter_a,
        EMAIL,
        ISSUER,
        (integrated - 300, integrated + 300),
    );
    let signature = sign(&leaf_key, &payload);
    let mut annotations = Map::new();
    annotations.insert(
        "dev.cosignproject.cosign/signature".into(),
        json!(b64(&signature)),
    );
    annotations.insert(
        "dev.sigstore.cosign/bundle".into(),
        json!(bundle(
            &ca.log, &cert_pem, &signature, &payload, integrated, 1
        )),
    );
    annotations.insert("dev.sigstore.cosign/certificate".into(), json!(cert_pem));
    annotations.insert(
        "dev.sigstore.cosign/chain".into(),
        json!(format!("{}{}", ca.inter_a.pem, ca.root_a.pem)),
    );
    let log_pem = pem("PUBLIC KEY", &ca.log.subject_public_key_info());
    let mut files = Map::new();
    files.insert(
        "/etc/pki/fulcio.pem".into(),
        json!(b64(ca.root_a.pem.as_bytes())),
    );
    files.insert("/etc/pki/rekor.pub".into(), json!(b64(log_pem.as_bytes())));
    let policy = json!({"default": [{"type": "reject"}], "transports": {"docker": {"quay.io/ns": [{
        "type": "sigstoreSigned", "rekorPublicKeyPath": "/etc/pki/rekor.pub",
        "fulcio": {"caPath": "/etc/pki/fulcio.pem", "oidcIssuer": ISSUER, "subjectEmail": EMAIL}}]}}});
    let (vouch, oracle) = request(
        &policy,
        &files,
        reference,
        &manifest,
        attachment(&payload, annotations),
        None,
    );
    Case {
        label: "fulcio accepted".into(),
        vouch,
        oracle,
    }
}
