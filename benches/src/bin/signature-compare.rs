//! Side-by-side: accepted signature decisions timed in vouch and, in the same run, in
//! containers/image 5.34.2 (the oracle's `bench` op), with the bare verify primitive of the
//! backend vouch was built with. Prints a Markdown table.
//!
//! Run (pinned to one core, as docs/performance.md records it):
//!
//! ```sh
//! taskset -c 1 cargo run --release -p vouch-benches --bin signature-compare
//! ```
//!
//! vouch's native build verifies with aws-lc-rs, so aws-lc-rs's bare verify is the line it is
//! held to.
//!
//! Cases: a cosign signature by a P-256 key (`sigstoreSigned` with `keyPath`), decided with
//! the verification cache off and then as a cached repeat; and OpenPGP signatures by an
//! RSA-4096 and an Ed25519 key made by gpg (`signedBy`), with the cache off.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Value, json};
use vouch::json::{EvaluateRequest, evaluate_request};
use vouch::{CompileOptions, Evaluator, Image, Policy};
use vouch_conformance::gpg_cases::Gpg;
use vouch_conformance::oracle;

const IMAGE: &str = "quay.io/ns/app:1.0";

/// Median over `rounds` rounds of the mean time per call, in nanoseconds, after a warm-up
/// round. Each entry of `fs` is timed in turn within a round (interleaved), so slow phases of
/// the host hit every entry alike.
fn time_ns(fs: &mut [&mut dyn FnMut() -> bool], per_round: u32, rounds: usize) -> Vec<f64> {
    time_rounds(fs, per_round, rounds)
        .into_iter()
        .map(median)
        .collect()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Every round's mean time per call, per entry of `fs` (see [`time_ns`]).
fn time_rounds(
    fs: &mut [&mut dyn FnMut() -> bool],
    per_round: u32,
    rounds: usize,
) -> Vec<Vec<f64>> {
    for f in fs.iter_mut() {
        for _ in 0..per_round {
            assert!(std::hint::black_box(f()), "a timed call did not accept");
        }
    }
    let mut samples = vec![Vec::with_capacity(rounds); fs.len()];
    for _ in 0..rounds {
        for (f, samples) in fs.iter_mut().zip(samples.iter_mut()) {
            let start = Instant::now();
            for _ in 0..per_round {
                std::hint::black_box(f());
            }
            samples.push(start.elapsed().as_nanos() as f64 / f64::from(per_round));
        }
    }
    samples
}

fn b64(bytes: &[u8]) -> String {
    <base64ct::Base64 as base64ct::Encoding>::encode_string(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(text).expect("base64")
}

/// A compiled request, ready to evaluate repeatedly.
struct Prepared {
    request: EvaluateRequest,
    evaluator: Evaluator,
    image: Image,
}

impl Prepared {
    fn new(case: &Value, cache: usize) -> Self {
        let request = evaluate_request(case.to_string().as_bytes()).expect("request");
        let policy = Policy::parse(&request.policy).expect("policy");
        let evaluator = Evaluator::compile(
            &policy,
            &request.files,
            &CompileOptions::default().with_verification_cache(cache),
        );
        let image = request.image().expect("image");
        Self {
            request,
            evaluator,
            image,
        }
    }

    fn decide(&self) -> bool {
        self.evaluator
            .evaluate(&self.image, &self.request.evidence())
            .allowed
    }
}

/// `case` (an evaluate request) as the oracle's `bench` op reads it.
fn oracle_case(case: &Value) -> Value {
    let mut case = case.clone();
    if let Some(object) = case.as_object_mut() {
        object.remove("now");
        if let Some(policy) = object.remove("policy_text") {
            object.insert("policy_raw".into(), policy);
        }
    }
    case
}

/// The oracle's `ns_per_op_eval` for `case` (an evaluate request without `op`).
fn oracle_ns(oracle: &PathBuf, case: &Value, n: u32) -> f64 {
    let answers = oracle::ask(
        oracle,
        &[json!({"op": "bench", "n": n, "warmup": (n / 10).max(2), "case": oracle_case(case)})],
    );
    bench_answer(&answers[0])
}

fn bench_answer(answer: &Value) -> f64 {
    assert_eq!(
        answer["result"]["allowed"], true,
        "the oracle did not accept the bench case: {answer}"
    );
    answer["ns_per_op_eval"]
        .as_f64()
        .unwrap_or_else(|| panic!("no timing: {answer}"))
}

/// One oracle process answering `bench` requests one at a time, so that its rounds can be
/// interleaved with vouch's.
struct OracleSession {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl OracleSession {
    fn start(oracle: &PathBuf) -> Self {
        use std::process::{Command, Stdio};
        let mut child = Command::new(oracle)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the oracle runs");
        let input = child.stdin.take().expect("stdin");
        let output = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        Self {
            child,
            input,
            output,
        }
    }

    /// containers/image's time per evaluation of `case`, `n` evaluations after a short warm-up.
    fn bench(&mut self, case: &Value, n: u32) -> f64 {
        use std::io::{BufRead as _, Write as _};
        let request = json!({"op": "bench", "n": n, "warmup": 2, "case": case});
        writeln!(self.input, "{request}").expect("the oracle reads");
        self.input.flush().expect("the oracle reads");
        let mut line = String::new();
        self.output
            .read_line(&mut line)
            .expect("the oracle answers");
        bench_answer(&serde_json::from_str(&line).expect("a JSON answer"))
    }
}

impl Drop for OracleSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Times of one paired measurement (medians, nanoseconds per call).
struct Paired {
    /// vouch's decision.
    ours: f64,
    /// containers/image's.
    theirs: f64,
    /// The median of the per-round ratio c/image ÷ vouch.
    ratio: f64,
    /// Each extra function's median, and the median of the per-round c/image ÷ it.
    extras: Vec<(f64, f64)>,
}

/// vouch's decision (then each of `extras`) and containers/image's, timed in turn in each of
/// `rounds` rounds: medians, and medians of the per-round ratios (the host's slow and fast
/// phases move all alike within a round).
fn paired_with_oracle(
    session: &mut OracleSession,
    case: &Value,
    decide: &mut dyn FnMut() -> bool,
    extras: &mut [&mut dyn FnMut() -> bool],
    per_round: u32,
    rounds: usize,
) -> Paired {
    let case = oracle_case(case);
    session.bench(&case, per_round);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut extra_times = vec![Vec::new(); extras.len()];
    for _ in 0..rounds {
        ours.push(time_rounds(&mut [&mut *decide], per_round, 1)[0][0]);
        for (f, times) in extras.iter_mut().zip(extra_times.iter_mut()) {
            times.push(time_rounds(&mut [&mut **f], per_round, 1)[0][0]);
        }
        theirs.push(session.bench(&case, per_round));
    }
    let ratio_to = |times: &[f64]| median(theirs.iter().zip(times).map(|(t, o)| t / o).collect());
    Paired {
        ratio: ratio_to(&ours),
        extras: extra_times
            .iter()
            .map(|times| (median(times.clone()), ratio_to(times)))
            .collect(),
        ours: median(ours.clone()),
        theirs: median(theirs.clone()),
    }
}

fn manifest() -> Vec<u8> {
    // About 1 KB, as a small OCI image manifest.
    let layers: Vec<String> = (0..4)
        .map(|i| format!(r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{:064x}","size":{}}}"#, i + 1, 1000 + i))
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{:064x}","size":1469}},"layers":[{}]}}"#,
        9,
        layers.join(",")
    )
    .into_bytes()
}

/// The bare verify primitive of the backend: SHA-256 of the payload and ECDSA P-256 over a
/// DER signature, with the key parsed once.
fn bare_verifier(point: &[u8], signature: Vec<u8>, payload: Vec<u8>) -> impl FnMut() -> bool {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1, ParsedPublicKey};
    let key = ParsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point).expect("key");
    move || key.verify_sig(&payload, &signature).is_ok()
}

fn main() {
    let Some(oracle) = oracle::oracle_534() else {
        eprintln!("the oracle is needed: run scripts/test.sh once to build it");
        std::process::exit(2);
    };
    let manifest = manifest();
    assert_eq!(
        vouch::BUILD.crypto,
        vouch::CryptoBackend::AwsLcRs,
        "the native build verifies with aws-lc-rs"
    );
    println!("backend: {}\n", vouch::BUILD.crypto.name());
    println!(
        "| case | vouch decision | bare verify | vouch ÷ bare | c/image 5.34 eval | c/image ÷ vouch |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");

    // --- sigstoreSigned, P-256 key -------------------------------------------------------------
    let key = &oracle::ask(
        &oracle,
        &[json!({"op": "gen-sigstore-key", "seed": "vouch-bench", "curve": "P-256"})],
    )[0];
    let public_pem = key["public_key_pem"].as_str().expect("public key");
    let signed = &oracle::ask(
        &oracle,
        &[
            json!({"op": "sign-sigstore", "impl": "own", "private_key_pem": key["private_key_pem"],
                 "docker_reference": IMAGE, "manifest": b64(&manifest)}),
        ],
    )[0];
    let signature = json!({"kind": "sigstore", "mime": signed["mime"], "payload": signed["payload"],
                           "annotations": signed["annotations"]});
    let policy = r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/ns":[{"type":"sigstoreSigned","keyPath":"/etc/pki/cosign.pub"}]}}}"#;
    let case = json!({"policy_text": policy, "files": {"/etc/pki/cosign.pub": b64(public_pem.as_bytes())},
                      "transport": "docker", "reference": IMAGE, "manifest": b64(&manifest),
                      "signatures": [signature]});
    let uncached = Prepared::new(&case, 0);
    let cached = Prepared::new(&case, 1024);
    let payload = unb64(signed["payload"].as_str().expect("payload"));
    let der = unb64(
        signed["annotations"]["dev.cosignproject.cosign/signature"]
            .as_str()
            .expect("signature"),
    );
    let spki: String = public_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let spki = unb64(&spki);
    let point = &spki[spki.len() - 65..];
    let profiling_signed_by = std::env::args().any(|a| a == "--profile-signed-by");
    let profiling_keyless = std::env::args().any(|a| a == "--profile-keyless");
    if !profiling_signed_by && !profiling_keyless && std::env::args().any(|a| a == "--profile") {
        // For `perf record`: the two sigstore paths alone, for a few seconds each
        // (`--uncached` for the first alone).
        for _ in 0..50_000 {
            std::hint::black_box(uncached.decide());
        }
        if !std::env::args().any(|a| a == "--uncached") {
            for _ in 0..2_000_000 {
                std::hint::black_box(cached.decide());
            }
        }
        return;
    }
    if !profiling_signed_by && !profiling_keyless {
        let mut bare = bare_verifier(point, der.clone(), payload.clone());
        let mut ours = || uncached.decide();
        let mut repeat = || cached.decide();
        let rounds = time_rounds(&mut [&mut ours, &mut bare, &mut repeat], 200, 31);
        // The overhead over the bare verify: the median of each round's paired ratio, which
        // the host's slow and fast phases (they move both alike) do not skew.
        let paired = median(
            rounds[0]
                .iter()
                .zip(&rounds[1])
                .map(|(ours, bare)| ours / bare)
                .collect(),
        );
        let times: Vec<f64> = rounds.into_iter().map(median).collect();
        let mut session = OracleSession::start(&oracle);
        let Paired {
            theirs,
            ratio: against,
            ..
        } = paired_with_oracle(
            &mut session,
            &case,
            &mut || uncached.decide(),
            &mut [],
            200,
            31,
        );
        println!(
            "| sigstoreSigned, P-256 key, accepted | {:.1} µs | {:.1} µs | {:.3}× | {:.1} µs | {:.2}× |",
            times[0] / 1e3,
            times[1] / 1e3,
            paired,
            theirs / 1e3,
            against
        );
        println!(
            "| sigstoreSigned, P-256 key, cached repeat | {:.2} µs | | | {:.1} µs | {:.0}× |",
            times[2] / 1e3,
            theirs / 1e3,
            theirs / times[2]
        );
    }

    // --- sigstoreSigned keyless: Fulcio certificate under an intermediate, with Rekor ----------
    if !profiling_signed_by {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let ca = vouch_conformance::keyless_cases::authorities(i64::try_from(now).expect("time"));
        let case = vouch_conformance::keyless_cases::accepted_fulcio(&ca).vouch;
        // Without the verification cache each decision checks the SET, the leaf's certificate
        // and the payload signature; the intermediate's signature is remembered by the
        // compiled requirement after the first decision ("intermediate already verified").
        let uncached = Prepared::new(&case, 0);
        let cached = Prepared::new(&case, 1024);
        if std::env::args().any(|a| a == "--profile-keyless") {
            // For `perf record`: the keyless path alone (`--uncached` for the first alone).
            for _ in 0..20_000 {
                std::hint::black_box(uncached.decide());
            }
            if !std::env::args().any(|a| a == "--uncached") {
                for _ in 0..2_000_000 {
                    std::hint::black_box(cached.decide());
                }
            }
            return;
        }
        let mut repeat = || cached.decide();
        let times = time_ns(&mut [&mut repeat], 200, 21);
        let mut session = OracleSession::start(&oracle);
        // The floor: a decision verifies three P-256 signatures (the SET, the leaf's
        // certificate, the payload), timed bare with the same key in the same rounds.
        let mut bare = bare_verifier(point, der.clone(), payload.clone());
        let mut three_bare = || bare() & bare() & bare();
        let Paired {
            ours,
            theirs,
            ratio: against,
            extras,
        } = paired_with_oracle(
            &mut session,
            &case,
            &mut || uncached.decide(),
            &mut [&mut three_bare],
            50,
            31,
        );
        println!(
            "| sigstoreSigned keyless (Fulcio + Rekor), accepted | {:.1} µs | {:.1} µs (3 verifies) | {:.3}× | {:.1} µs | {:.2}× |",
            ours / 1e3,
            extras[0].0 / 1e3,
            ours / extras[0].0,
            theirs / 1e3,
            against
        );
        println!(
            "| three bare aws-lc P-256 verifies (the floor) | {:.1} µs | | | {:.1} µs | {:.2}× |",
            extras[0].0 / 1e3,
            theirs / 1e3,
            extras[0].1
        );
        println!(
            "| sigstoreSigned keyless, cached repeat | {:.2} µs | | | {:.1} µs | {:.0}× |",
            times[0] / 1e3,
            theirs / 1e3,
            theirs / times[0]
        );

        // The chain as sigstore's public-good instance builds it (P-384 root and intermediate,
        // P-256 leaf): the Kubernetes release example of docs/kubernetes-release.md.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let release = vouch_conformance::release_example::release_example_cases(
            &root,
            "docs/examples/k8s-release",
        )
        .swap_remove(0)
        .vouch;
        let uncached = Prepared::new(&release, 0);
        let cached = Prepared::new(&release, 1024);
        let mut repeat = || cached.decide();
        let times = time_ns(&mut [&mut repeat], 200, 21);
        let Paired {
            ours,
            theirs,
            ratio: against,
            ..
        } = paired_with_oracle(
            &mut session,
            &release,
            &mut || uncached.decide(),
            &mut [],
            20,
            31,
        );
        println!(
            "| sigstoreSigned keyless, public-good chain shape (P-384 root and intermediate), accepted | {:.1} µs | | | {:.1} µs | {:.2}× |",
            ours / 1e3,
            theirs / 1e3,
            against
        );
        println!(
            "| the same, cached repeat | {:.2} µs | | | {:.1} µs | {:.0}× |",
            times[0] / 1e3,
            theirs / 1e3,
            theirs / times[0]
        );
    }

    // --- signedBy, RSA-4096 and Ed25519 keys made by gpg -----------------------------------------
    let gpg = Gpg::scratch("bench");
    let digest = vouch::manifest::manifest_digest(&manifest).expect("digest");
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{IMAGE}"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"atomic container signature"}},"optional":{{"creator":"vouch bench","timestamp":1790000000}}}}"#
    );
    for algo in ["rsa4096", "ed25519"] {
        let email = format!("{algo}@bench.vouch.test");
        gpg.run(
            &[
                "--quick-gen-key",
                &format!("bench <{email}>"),
                algo,
                "sign",
                "never",
            ],
            b"",
        );
        let fingerprint = gpg.fingerprint(&email);
        let public = gpg.run(&["--export", &fingerprint], b"");
        let blob = gpg.run(
            &["-u", &format!("{fingerprint}!"), "--sign"],
            payload.as_bytes(),
        );
        let policy = r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/ns":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/release.gpg"}]}}}"#;
        let case = json!({"policy_text": policy, "files": {"/etc/pki/release.gpg": b64(&public)},
                          "transport": "docker", "reference": IMAGE, "manifest": b64(&manifest),
                          "signatures": [{"kind": "simple", "blob": b64(&blob)}],
                          "now": "2030-01-01T00:00:00Z"});
        let uncached = Prepared::new(&case, 0);
        if profiling_signed_by {
            for _ in 0..2_000 {
                std::hint::black_box(uncached.decide());
            }
            continue;
        }
        let mut ours = || uncached.decide();
        let times = time_ns(&mut [&mut ours], 50, 21);
        let theirs = oracle_ns(&oracle, &case, 40);
        println!(
            "| signedBy, {algo} key (gpg), accepted | {:.1} µs | | | {:.1} ms | {:.0}× |",
            times[0] / 1e3,
            theirs / 1e6,
            theirs / times[0]
        );
    }
    drop(gpg);
}
