//! Trusted roots read by vouch and by sigstore-go (`root.NewTrustedRootFromJSON`, through the
//! sigstore-go oracle): every trusted root in shared/vectors, and each with the mutations that
//! sigstore-go's reader and protojson's rules decide (media types, missing or empty fields,
//! key types against their declared details, validity periods, unknown and repeated fields,
//! enum numbers, base64 forms, timestamps with offsets and fractions), accepted or refused
//! alike.

use serde_json::{Value, json};
use vouch::TrustedRoot;
use vouch_conformance::bundle_cases::{compare_acceptance, vector_texts};

/// Every trusted root document under shared/vectors.
fn roots() -> Vec<(String, String)> {
    vector_texts(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with(".json")
            && (name.contains("trusted_root")
                || name.contains("trustedroot")
                || path.parent().is_some_and(|p| p.ends_with("trusted-roots")))
    })
}

/// A mutation of a parsed root, or `None` when it does not apply to this one.
type Mutation = (&'static str, fn(&mut Value) -> Option<()>);

fn first<'v>(root: &'v mut Value, list: &str) -> Option<&'v mut Value> {
    root.get_mut(list)?.as_array_mut()?.first_mut()
}

const MUTATIONS: &[Mutation] = &[
    ("media type v0.2", |r| {
        r["mediaType"] = json!("application/vnd.dev.sigstore.trustedroot.v0.2+json");
        Some(())
    }),
    ("no media type", |r| {
        r.as_object_mut()?.remove("mediaType").map(drop)
    }),
    ("tlog without hash algorithm", |r| {
        first(r, "tlogs")?
            .as_object_mut()?
            .remove("hashAlgorithm")
            .map(drop)
    }),
    ("tlog hash algorithm by number", |r| {
        first(r, "tlogs")?["hashAlgorithm"] = json!(1);
        Some(())
    }),
    ("tlog hash algorithm SHA2_384", |r| {
        first(r, "tlogs")?["hashAlgorithm"] = json!("SHA2_384");
        Some(())
    }),
    ("tlog hash algorithm unknown name", |r| {
        first(r, "tlogs")?["hashAlgorithm"] = json!("SHA2_257");
        Some(())
    }),
    ("tlog empty key id", |r| {
        first(r, "tlogs")?["logId"]["keyId"] = json!("");
        Some(())
    }),
    ("tlog without log id", |r| {
        first(r, "tlogs")?
            .as_object_mut()?
            .remove("logId")
            .map(drop)
    }),
    ("tlog key id unpadded url-safe", |r| {
        let id = first(r, "tlogs")?["logId"]["keyId"].as_str()?.to_string();
        let url = id.trim_end_matches('=').replace('+', "-").replace('/', "_");
        first(r, "tlogs")?["logId"]["keyId"] = json!(url);
        Some(())
    }),
    ("tlog key id padded wrongly", |r| {
        let id = first(r, "tlogs")?["logId"]["keyId"]
            .as_str()?
            .trim_end_matches('=')
            .to_string();
        first(r, "tlogs")?["logId"]["keyId"] = json!(format!("{id}="));
        Some(())
    }),
    ("tlog without public key", |r| {
        first(r, "tlogs")?
            .as_object_mut()?
            .remove("publicKey")
            .map(drop)
    }),
    ("tlog empty raw bytes", |r| {
        first(r, "tlogs")?["publicKey"]["rawBytes"] = json!("");
        Some(())
    }),
    ("tlog raw bytes not a key", |r| {
        first(r, "tlogs")?["publicKey"]["rawBytes"] = json!("AAAA");
        Some(())
    }),
    ("tlog key details P-384", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!("PKIX_ECDSA_P384_SHA_384");
        Some(())
    }),
    ("tlog key details Ed25519", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!("PKIX_ED25519");
        Some(())
    }),
    ("tlog key details RSA", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!("PKIX_RSA_PKCS1V15_2048_SHA256");
        Some(())
    }),
    ("tlog key details PSS", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!("PKIX_RSA_PSS_2048_SHA256");
        Some(())
    }),
    ("tlog key details by number 5", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!(5);
        Some(())
    }),
    ("tlog key details 99", |r| {
        first(r, "tlogs")?["publicKey"]["keyDetails"] = json!(99);
        Some(())
    }),
    ("tlog without validity", |r| {
        first(r, "tlogs")?["publicKey"]
            .as_object_mut()?
            .remove("validFor")
            .map(drop)
    }),
    ("tlog validity without start", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]
            .as_object_mut()?
            .remove("start")
            .map(drop)
    }),
    ("tlog validity start with offset and fraction", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]["start"] =
            json!("2021-01-12T12:53:27.123+01:00");
        Some(())
    }),
    ("tlog validity start ten fraction digits", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]["start"] =
            json!("2021-01-12T11:53:27.1234567891Z");
        Some(())
    }),
    ("tlog validity start lowercase t", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]["start"] = json!("2021-01-12t11:53:27Z");
        Some(())
    }),
    ("tlog validity start not a date", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]["start"] = json!("2021-02-30T11:53:27Z");
        Some(())
    }),
    ("tlog validity end before start", |r| {
        first(r, "tlogs")?["publicKey"]["validFor"]["end"] = json!("2000-01-01T00:00:00Z");
        Some(())
    }),
    ("tlog unknown field", |r| {
        first(r, "tlogs")?["weight"] = json!(1);
        Some(())
    }),
    ("tlog operator", |r| {
        first(r, "tlogs")?["operator"] = json!("sigstore.dev");
        Some(())
    }),
    ("tlog checkpoint key id", |r| {
        first(r, "tlogs")?["checkpointKeyId"] = json!({"keyId": "AAAA"});
        Some(())
    }),
    ("tlogs null", |r| {
        r["tlogs"] = Value::Null;
        Some(())
    }),
    ("tlogs with a null", |r| {
        r.get_mut("tlogs")?.as_array_mut()?.push(Value::Null);
        Some(())
    }),
    ("ctlog hash algorithm SHA2_512", |r| {
        first(r, "ctlogs")?["hashAlgorithm"] = json!("SHA2_512");
        Some(())
    }),
    ("ctlog validity without start", |r| {
        first(r, "ctlogs")?["publicKey"]["validFor"]
            .as_object_mut()?
            .remove("start")
            .map(drop)
    }),
    ("CA without chain", |r| {
        first(r, "certificateAuthorities")?
            .as_object_mut()?
            .remove("certChain")
            .map(drop)
    }),
    ("CA empty chain", |r| {
        first(r, "certificateAuthorities")?["certChain"]["certificates"] = json!([]);
        Some(())
    }),
    ("CA certificate not DER", |r| {
        first(r, "certificateAuthorities")?["certChain"]["certificates"][0]["rawBytes"] =
            json!("MAA=");
        Some(())
    }),
    ("CA certificate empty", |r| {
        first(r, "certificateAuthorities")?["certChain"]["certificates"][0]["rawBytes"] = json!("");
        Some(())
    }),
    ("CA without validity", |r| {
        first(r, "certificateAuthorities")?
            .as_object_mut()?
            .remove("validFor")
            .map(drop)
    }),
    ("CA subject unknown field", |r| {
        first(r, "certificateAuthorities")?["subject"]["country"] = json!("x");
        Some(())
    }),
    ("TSA empty chain", |r| {
        first(r, "timestampAuthorities")?["certChain"]["certificates"] = json!([]);
        Some(())
    }),
    ("unknown top-level field", |r| {
        r["signingConfig"] = json!({});
        Some(())
    }),
];

#[test]
#[ignore = "runs the sigstore-go oracle: the full tier runs it (scripts/test.sh)"]
fn trusted_roots_are_read_as_sigstore_go_reads_them() {
    let mut cases: Vec<(String, String)> = Vec::new();
    for (label, text) in roots() {
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        cases.push((label.clone(), text.clone()));
        // Text-level cases: a field given twice under its two names; trailing data.
        if let Some(rest) = text.trim_start().strip_prefix('{') {
            cases.push((
                format!("{label}: media_type twice"),
                format!("{{\"media_type\":\"x\",{rest}"),
            ));
        }
        cases.push((format!("{label}: trailing data"), format!("{text} {{}}")));
        let Some(parsed) = parsed else { continue };
        for (name, mutate) in MUTATIONS {
            let mut root = parsed.clone();
            if mutate(&mut root).is_some() {
                cases.push((format!("{label}: {name}"), root.to_string()));
            }
        }
    }
    compare_acceptance(
        &cases,
        "trusted_root",
        "trusted_root_text",
        "trusted roots",
        10,
        |text| {
            TrustedRoot::from_json(text)
                .map(drop)
                .map_err(|e| e.to_string())
        },
    );
}
