//! Fuzzes every signature parser: stored signatures (containers/image's `FromBlob`), public
//! keys (PEM, PKIX, PKCS #1) and OpenPGP keyrings as a policy compiles them (one key file, or
//! several merged in `keyPaths` order as gpg imports them), OpenPGP messages and cosign
//! signatures as a requirement checks them, and the signed payload's strict parse.
//!
//! Invariants beyond "never panics": nothing built from fuzz bytes is ever accepted unless it
//! carries a real signature (the keys here are the fuzzer's own, so a forged acceptance would
//! need a valid signature over a payload naming this manifest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::{
    CompileOptions, Evaluator, Evidence, Files, Image, KeySource, Policy, Requirement, Signature,
    SignedBy, SignedIdentity, SigstoreSigned, SigstoreTrust,
};

fn policy(requirement: Requirement) -> Policy {
    Policy::new(vec![requirement])
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // Keys and signature bytes: the input split at the first 0xff 0x00 pair.
    let split = rest.windows(2).position(|w| w == [0xff, 0x00]);
    let (keys, signature) = match split {
        Some(at) => (&rest[..at], &rest[at + 2..]),
        None => (rest, &[][..]),
    };
    let image = Image::parse(vouch::Transport::Docker, "example.com/fuzz/app:1").expect("image");
    let manifest =
        br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#;
    match selector % 5 {
        0 => {
            let _ = Signature::from_stored(rest);
        }
        1 | 4 => {
            // Selector 4: the key bytes are several files (split at 0xfe 0x00), merged in
            // keyPaths order; 1: one inline key file.
            let mut files = Files::new();
            let keys = if selector % 5 == 4 {
                let paths: Vec<String> = keys
                    .split(|&b| b == 0xfe)
                    .take(8)
                    .enumerate()
                    .map(|(i, part)| {
                        let path = format!("/keys/{i}.gpg");
                        files.insert(
                            path.clone(),
                            part.strip_prefix(&[0]).unwrap_or(part).to_vec(),
                        );
                        path
                    })
                    .collect();
                KeySource::Paths(paths)
            } else {
                KeySource::Data(keys.to_vec())
            };
            let requirement = Requirement::SignedBy(SignedBy::gpg_keys(keys));
            let evaluator =
                Evaluator::compile(&policy(requirement), &files, &CompileOptions::default());
            let signatures = [Signature::Simple {
                blob: signature.to_vec(),
            }];
            let evidence = Evidence::new(manifest, &signatures)
                .at(vouch::UnixTime::from_unix_seconds(1_790_000_000));
            let _ = evaluator.evaluate(&image, &evidence);
        }
        2 => {
            let requirement = Requirement::SigstoreSigned(
                SigstoreSigned::new(SigstoreTrust::Keys(KeySource::Data(keys.to_vec())))
                    .with_identity(SignedIdentity::MatchRepository),
            );
            let evaluator = Evaluator::compile(
                &policy(requirement),
                &Files::new(),
                &CompileOptions::default(),
            );
            // The signature bytes as the annotation, the payload fixed.
            let mut annotations = std::collections::BTreeMap::new();
            annotations.insert(
                "dev.cosignproject.cosign/signature".to_string(),
                String::from_utf8_lossy(signature).into_owned(),
            );
            let signatures = [Signature::Sigstore {
                mime: vouch::SIGSTORE_SIGNATURE_MIME.into(),
                payload: b"{}".to_vec(),
                annotations,
            }];
            let evidence = Evidence::new(manifest, &signatures);
            assert!(!evaluator.evaluate(&image, &evidence).allowed);
        }
        _ => {
            let _ = vouch::fuzzing::payload(rest);
        }
    }
});
