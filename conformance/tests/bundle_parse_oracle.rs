//! Bundles read by vouch and by sigstore-go (`bundle.Bundle.UnmarshalJSON`, through the
//! sigstore-go oracle): every bundle in shared/vectors, and each with mutations of what the
//! reader decides (media types and versions, missing content or material, the oneofs, the
//! version rules for promises, proofs and chains, entry fields, checkpoints, entry bodies of
//! other kinds and versions, protobuf's JSON forms), accepted or refused alike.

use serde_json::{Value, json};
use vouch::Bundle;
use vouch_conformance::bundle_cases::{compare_acceptance, vector_texts};

fn bundles() -> Vec<(String, String)> {
    vector_texts(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.contains(".sigstore") || name.starts_with("bundle") && name.ends_with(".json")
    })
}

type Mutation = (&'static str, fn(&mut Value) -> Option<()>);

fn entry(b: &mut Value) -> Option<&mut Value> {
    b.get_mut("verificationMaterial")?
        .get_mut("tlogEntries")?
        .as_array_mut()?
        .first_mut()
}

fn body(b: &mut Value) -> Option<Value> {
    let text = entry(b)?["canonicalizedBody"].as_str()?.to_string();
    let bytes = <base64ct::Base64 as base64ct::Encoding>::decode_vec(&text).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn set_body(b: &mut Value, body: &Value) -> Option<()> {
    let text = <base64ct::Base64 as base64ct::Encoding>::encode_string(body.to_string().as_bytes());
    entry(b)?["canonicalizedBody"] = json!(text);
    Some(())
}

const MUTATIONS: &[Mutation] = &[
    ("media type v0.1", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.1");
        Some(())
    }),
    ("media type v0.2", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.2");
        Some(())
    }),
    ("media type v0.3 old spelling", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.3");
        Some(())
    }),
    ("media type v0.3", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.3+json");
        Some(())
    }),
    ("media type v0.3.1", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.3.1+json");
        Some(())
    }),
    ("media type v0.4", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.4+json");
        Some(())
    }),
    ("media type v0.4.0-rc1", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.4.0-rc1+json");
        Some(())
    }),
    ("media type v0", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0+json");
        Some(())
    }),
    ("media type v0.03", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle.v0.03+json");
        Some(())
    }),
    ("media type version=0.4", |b| {
        b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.4");
        Some(())
    }),
    ("no media type", |b| {
        b.as_object_mut()?.remove("mediaType").map(drop)
    }),
    ("no content", |b| {
        let o = b.as_object_mut()?;
        o.remove("messageSignature");
        o.remove("dsseEnvelope");
        Some(())
    }),
    ("both contents", |b| {
        b["dsseEnvelope"] = json!({"payload": "e30=", "payloadType": "application/vnd.in-toto+json", "signatures": []});
        b["messageSignature"] = json!({"signature": "AA=="});
        Some(())
    }),
    ("no material", |b| {
        b.as_object_mut()?.remove("verificationMaterial").map(drop)
    }),
    ("material without key", |b| {
        let m = b.get_mut("verificationMaterial")?.as_object_mut()?;
        m.remove("certificate");
        m.remove("x509CertificateChain");
        m.remove("publicKey");
        Some(())
    }),
    ("material as a chain", |b| {
        let m = b.get_mut("verificationMaterial")?.as_object_mut()?;
        let cert = m.remove("certificate")?;
        m.insert(
            "x509CertificateChain".into(),
            json!({"certificates": [cert]}),
        );
        Some(())
    }),
    ("material as a certificate", |b| {
        let m = b.get_mut("verificationMaterial")?.as_object_mut()?;
        let chain = m.remove("x509CertificateChain")?;
        m.insert("certificate".into(), chain["certificates"][0].clone());
        Some(())
    }),
    ("no tlog entries", |b| {
        b.get_mut("verificationMaterial")?
            .as_object_mut()?
            .remove("tlogEntries")
            .map(drop)
    }),
    ("33 tlog entries", |b| {
        let e = entry(b)?.clone();
        b["verificationMaterial"]["tlogEntries"] = Value::Array(vec![e; 33]);
        Some(())
    }),
    ("entry without promise", |b| {
        entry(b)?
            .as_object_mut()?
            .remove("inclusionPromise")
            .map(drop)
    }),
    ("entry without proof", |b| {
        entry(b)?
            .as_object_mut()?
            .remove("inclusionProof")
            .map(drop)
    }),
    ("entry proof without checkpoint", |b| {
        entry(b)?
            .get_mut("inclusionProof")?
            .as_object_mut()?
            .remove("checkpoint")
            .map(drop)
    }),
    ("entry proof empty checkpoint", |b| {
        entry(b)?.get_mut("inclusionProof")?["checkpoint"]["envelope"] = json!("");
        Some(())
    }),
    ("entry empty promise", |b| {
        entry(b)?.get_mut("inclusionPromise")?["signedEntryTimestamp"] = json!("");
        Some(())
    }),
    ("entry negative index", |b| {
        entry(b)?["logIndex"] = json!("-1");
        Some(())
    }),
    ("entry index as a number", |b| {
        let i: i64 = entry(b)?["logIndex"].as_str()?.parse().ok()?;
        entry(b)?["logIndex"] = json!(i);
        Some(())
    }),
    ("entry index not a number", |b| {
        entry(b)?["logIndex"] = json!("12a");
        Some(())
    }),
    ("entry without log id", |b| {
        entry(b)?.as_object_mut()?.remove("logId").map(drop)
    }),
    ("entry empty key id", |b| {
        entry(b)?["logId"]["keyId"] = json!("");
        Some(())
    }),
    ("entry without kind version", |b| {
        entry(b)?.as_object_mut()?.remove("kindVersion").map(drop)
    }),
    ("entry other kind version", |b| {
        entry(b)?["kindVersion"] = json!({"kind": "rekord", "version": "9"});
        Some(())
    }),
    ("entry empty body", |b| {
        entry(b)?["canonicalizedBody"] = json!("");
        Some(())
    }),
    ("entry body not json", |b| {
        entry(b)?["canonicalizedBody"] = json!("bm90IGpzb24=");
        Some(())
    }),
    ("entry body trailing data", |b| {
        let text = entry(b)?["canonicalizedBody"].as_str()?.to_string();
        let mut bytes = <base64ct::Base64 as base64ct::Encoding>::decode_vec(&text).ok()?;
        bytes.extend_from_slice(b" trailing");
        entry(b)?["canonicalizedBody"] = json!(
            <base64ct::Base64 as base64ct::Encoding>::encode_string(&bytes)
        );
        Some(())
    }),
    ("entry body kind rekord", |b| {
        let mut v = body(b)?;
        v["kind"] = json!("rekord");
        set_body(b, &v)
    }),
    ("entry body kind unknown", |b| {
        let mut v = body(b)?;
        v["kind"] = json!("nope");
        set_body(b, &v)
    }),
    ("entry body Kind capitalised", |b| {
        let mut v = body(b)?;
        let kind = v.as_object_mut()?.remove("kind")?;
        v["KIND"] = kind;
        set_body(b, &v)
    }),
    ("entry body api version 0.0.2", |b| {
        let mut v = body(b)?;
        v["apiVersion"] = json!("0.0.2");
        set_body(b, &v)
    }),
    ("entry body api version with build", |b| {
        let mut v = body(b)?;
        let version = format!("{}+x", v["apiVersion"].as_str()?);
        v["apiVersion"] = json!(version);
        set_body(b, &v)
    }),
    ("entry body without api version", |b| {
        let mut v = body(b)?;
        v.as_object_mut()?.remove("apiVersion")?;
        set_body(b, &v)
    }),
    ("entry body spec without signature", |b| {
        let mut v = body(b)?;
        v["spec"].as_object_mut()?.remove("signature")?;
        set_body(b, &v)
    }),
    ("entry body hash algorithm SHA256", |b| {
        let mut v = body(b)?;
        v["spec"]["data"]["hash"]["algorithm"] = json!("SHA256");
        set_body(b, &v)
    }),
    ("entry body hash value changed", |b| {
        let mut v = body(b)?;
        let value = v["spec"]["data"]["hash"]["value"].as_str()?.to_string();
        let flipped = format!(
            "{}{}",
            if value.starts_with('0') { "1" } else { "0" },
            &value[1..]
        );
        v["spec"]["data"]["hash"]["value"] = json!(flipped);
        set_body(b, &v)
    }),
    ("entry body hash value short", |b| {
        let mut v = body(b)?;
        let value = v["spec"]["data"]["hash"]["value"].as_str()?.to_string();
        v["spec"]["data"]["hash"]["value"] = json!(value[2..].to_string());
        set_body(b, &v)
    }),
    ("entry body dsse payload hash sha512", |b| {
        let mut v = body(b)?;
        v["spec"].get_mut("payloadHash")?["algorithm"] = json!("sha512");
        set_body(b, &v)
    }),
    ("entry body dsse without signatures", |b| {
        let mut v = body(b)?;
        v["spec"].get_mut("signatures")?;
        v["spec"]["signatures"] = json!([]);
        set_body(b, &v)
    }),
    ("entry unknown field", |b| {
        entry(b)?["shard"] = json!(1);
        Some(())
    }),
    ("entry key id url-safe unpadded", |b| {
        let id = entry(b)?["logId"]["keyId"].as_str()?.to_string();
        let url = id.trim_end_matches('=').replace('+', "-").replace('/', "_");
        entry(b)?["logId"]["keyId"] = json!(url);
        Some(())
    }),
    ("message digest algorithm by number", |b| {
        b.get_mut("messageSignature")?["messageDigest"]["algorithm"] = json!(1);
        Some(())
    }),
    ("message digest algorithm unknown", |b| {
        b.get_mut("messageSignature")?["messageDigest"]["algorithm"] = json!("MD5");
        Some(())
    }),
    ("message without digest", |b| {
        b.get_mut("messageSignature")?
            .as_object_mut()?
            .remove("messageDigest")
            .map(drop)
    }),
    ("message unknown field", |b| {
        b.get_mut("messageSignature")?["extra"] = json!(1);
        Some(())
    }),
    ("envelope keyid null", |b| {
        b.get_mut("dsseEnvelope")?["signatures"][0]["keyid"] = Value::Null;
        Some(())
    }),
    ("envelope null signature", |b| {
        b.get_mut("dsseEnvelope")?["signatures"]
            .as_array_mut()?
            .push(Value::Null);
        Some(())
    }),
    ("timestamps empty", |b| {
        b["verificationMaterial"]["timestampVerificationData"] = json!({});
        Some(())
    }),
    ("timestamp not base64", |b| {
        b["verificationMaterial"]["timestampVerificationData"] =
            json!({"rfc3161Timestamps": [{"signedTimestamp": "!!"}]});
        Some(())
    }),
    ("unknown top-level field", |b| {
        b["extra"] = json!(null);
        Some(())
    }),
];

#[test]
#[ignore = "runs the sigstore-go oracle: the full tier runs it (scripts/test.sh)"]
fn bundles_are_read_as_sigstore_go_reads_them() {
    let mut cases: Vec<(String, String)> = Vec::new();
    for (label, text) in bundles() {
        cases.push((label.clone(), text.clone()));
        if let Some(rest) = text.trim_start().strip_prefix('{') {
            cases.push((
                format!("{label}: media_type twice"),
                format!("{{\"media_type\":\"x\",{rest}"),
            ));
        }
        cases.push((format!("{label}: trailing data"), format!("{text} {{}}")));
        let Ok(parsed) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        for (name, mutate) in MUTATIONS {
            let mut bundle = parsed.clone();
            if mutate(&mut bundle).is_some() {
                cases.push((format!("{label}: {name}"), bundle.to_string()));
            }
        }
    }
    // More than 32 time stamps: vouch's budget refuses the bundle as it is read; sigstore-go
    // reads it and refuses it at verification ("too many signed timestamps: 33 > 32"). The
    // verification outcome is the same, so that refusal is compared as sigstore-go's reading.
    let early = std::cell::Cell::new(0);
    compare_acceptance(&cases, "bundle", "bundle_text", "bundles", 50, |text| {
        match Bundle::from_json(text) {
            Err(vouch::BundleError::OverBudget(over))
                if over.limit == vouch::BundleLimit::Timestamps
                    && over.size > vouch::MAX_TIMESTAMPS =>
            {
                early.set(early.get() + 1);
                let relaxed = vouch::BundleBudget::default().with_timestamps(usize::MAX);
                Bundle::from_json_with(text, &relaxed)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            other => other.map(drop).map_err(|e| e.to_string()),
        }
    });
    eprintln!(
        "bundles: {} refused as read for more than {} time stamps (sigstore-go: at verification)",
        early.get(),
        vouch::MAX_TIMESTAMPS
    );
}
