//! Drives the containers/image oracle (`shared/oracle/cimage`): JSON Lines in, JSON Lines out.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Why the differential tests are ignored in the quick tier (`cargo test`).
pub const IGNORED: &str = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh, or cargo test -- --include-ignored with the oracle built)";

/// The oracle binary built from containers/image 5.34.2: `$VOUCH_ORACLE_534`, else
/// `~/.cache/vouch/oracle/bin/oracle-534` (where `scripts/test.sh` builds it). Always `Some`:
/// a differential test that runs without its oracle fails.
///
/// # Panics
/// When it is missing.
pub fn oracle_534() -> Option<PathBuf> {
    let path = match std::env::var_os("VOUCH_ORACLE_534") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/vouch/oracle/bin/oracle-534"),
    };
    assert!(
        path.is_file(),
        "the containers/image 5.34 oracle ({}) is missing: build it with scripts/test.sh or set VOUCH_ORACLE_534",
        path.display()
    );
    Some(path)
}

/// The sigstore-go oracle (`oracles/sigstore-go`, built by `scripts/test.sh`):
/// `$VOUCH_ORACLE_SIGSTORE_GO`, else `~/.cache/vouch/oracle/bin/sigstore-go-oracle`.
///
/// # Panics
/// When it is missing.
#[must_use]
pub fn sigstore_go() -> PathBuf {
    let path = match std::env::var_os("VOUCH_ORACLE_SIGSTORE_GO") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/vouch/oracle/bin/sigstore-go-oracle"),
    };
    assert!(
        path.is_file(),
        "the sigstore-go oracle ({}) is missing: build it with scripts/test.sh or set VOUCH_ORACLE_SIGSTORE_GO",
        path.display()
    );
    path
}

/// The kubelet oracle for a release (`oracles/kubelet`, built by `scripts/test.sh` against
/// k8s.io/kubernetes of that release): `$VOUCH_KUBELET_ORACLE_1xx` (`134`, `135`, `136`), else
/// `~/.cache/vouch/oracle/bin/kubelet-1.xx`.
///
/// # Panics
/// When it is missing.
#[must_use]
pub fn kubelet(version: &str) -> PathBuf {
    let var = format!("VOUCH_KUBELET_ORACLE_{}", version.replace('.', ""));
    let path = match std::env::var_os(&var) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(format!(".cache/vouch/oracle/bin/kubelet-{version}")),
    };
    assert!(
        path.is_file(),
        "the kubelet {version} oracle ({}) is missing: build it with scripts/test.sh or set {var}",
        path.display()
    );
    path
}

/// Sends every request to the oracle in one process and returns its answers in order.
///
/// # Panics
/// When the oracle cannot be run or answers out of step.
pub fn ask(oracle: &PathBuf, requests: &[Value]) -> Vec<Value> {
    let mut child = Command::new(oracle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // The library logs some evaluation outcomes (signedBaseLayer) to stderr.
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", oracle.display()));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input: Vec<u8> = requests
        .iter()
        .flat_map(|r| {
            let mut line = serde_json::to_vec(r).expect("requests serialise");
            line.push(b'\n');
            line
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let answers: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(&line.expect("oracle output")).expect("oracle JSON"))
        .collect();
    writer
        .join()
        .expect("writer thread")
        .expect("write to oracle");
    let status = child.wait().expect("oracle exit");
    assert!(status.success(), "oracle exited with {status}");
    assert_eq!(
        answers.len(),
        requests.len(),
        "oracle answered a different number of lines"
    );
    answers
}

/// [`ask`] split over `processes` oracle processes running at once (gpgme is slow: it builds a
/// GPG home for every signature). The answers come back in the order of `requests`.
///
/// # Panics
/// As [`ask`].
pub fn ask_parallel(oracle: &PathBuf, requests: &[Value], processes: usize) -> Vec<Value> {
    let chunk = requests.len().div_ceil(processes.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = requests
            .chunks(chunk)
            .map(|part| scope.spawn(move || ask(oracle, part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("oracle thread"))
            .collect()
    })
}

/// Whether vouch's decision `ours` and the oracle's `theirs` differ in what the differential
/// suites compare: `allowed`, and whether the policy was refused.
pub fn differs(ours: &Value, theirs: &Value) -> bool {
    let refused = |answer: &Value| !answer["policy_error"].as_str().unwrap_or("").is_empty();
    ours["allowed"] != theirs["allowed"] || refused(ours) != refused(theirs)
}

/// A disagreement as the differential suites report it.
pub fn disagreement(label: &str, ours: &Value, theirs: &Value) -> String {
    format!(
        "{label}\n  vouch: allowed={} {} {}\n  c/image: allowed={} {}",
        ours["allowed"], ours["reason"], ours["requirements"], theirs["allowed"], theirs["error"],
    )
}

/// Where containers/image lists every rejected signature (`multierr.Format`).
const NONE_ACCEPTED: &str = "None of the signatures were accepted, reasons: ";

/// gpgme's errors (`gpgme_strerror`) when gpg finds no signature to report on: a message it
/// cannot read at all (gpgme's `Verify` fails before any signature status).
const GPGME_MALFORMED: [&str; 6] = [
    "No data",
    "Bad data",
    "Invalid packet",
    "Invalid armor",
    "Unknown packet",
    "Unknown compression algorithm",
];

/// The gpgme error code in an `Invalid GPG signature: gpgme.Signature{... Status:gpgme.Error{err:0x...}` text.
#[must_use]
pub fn gpgme_status(error: &str) -> Option<u32> {
    let at = error.find("Status:gpgme.Error{err:0x")? + "Status:gpgme.Error{err:0x".len();
    let hex: String = error[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    u32::from_str_radix(&hex, 16).ok().map(|code| code & 0xffff)
}

/// The errors of containers/image's `VerifyRekorSET` (signature/internal/rekor_set.go), as
/// the Fulcio path returns them.
const REKOR_SET_ERRORS: &[&str] = &[
    "canonicalizing Rekor SET JSON",
    "cryptographic signature verification of Rekor SET failed",
    "parsing Rekor SET payload",
    "decoding the body of a Rekor SET payload",
    "missing Rekor SET Payload API version",
    "unsupported Rekor SET Payload hashedrekord version",
    "re-creating hashedrekord spec",
    "decoding hashedrekod spec",
    "Missing \"signature\" field in hashedrekord",
    "Missing \"signature.publicKey\" field in hashedrekord",
    "publicKey in Rekor SET",
    "public key or cert to be matched against publicKey in Rekor SET",
    "decoding signature base64",
    "signature in Rekor SET does not match",
    "Missing \"data\" field in hashedrekord",
    "Missing \"data.hash\" field in hashedrekord",
    "Missing \"data.hash.algorithm\" field in hashedrekord",
    "Unexpected \"data.hash.algorithm\" value",
    "Missing \"data.hash.value\" field in hashedrekord",
    "Invalid \"data.hash.value\" field in hashedrekord",
    "payload in Rekor SET does not match",
];

/// The class of one of vouch's reason codes (a signature's or a requirement's), in the
/// vocabulary [`oracle_error_class`] gives containers/image's errors.
#[must_use]
pub fn vouch_code_class(code: &str) -> String {
    match code {
        "accepted" => "accepted",
        "rejected_by_policy" => "rejected_by_policy",
        "signed_base_layer_unimplemented" => "signed_base_layer",
        "no_signature" => "no_signature",
        "key_type_unimplemented" => "key_type",
        "key_file_missing" | "key_file_unreadable" => "key_file",
        "invalid_key" => "invalid_key",
        "no_public_keys" => "no_keys",
        "verification_unavailable" => "unavailable",
        "time_required" => "time_required",
        "malformed_signature" => "malformed",
        "untrusted_key" => "unknown_key",
        "key_unusable" => "key_unusable",
        "signature_expired" => "signature_time",
        "signature_invalid" => "bad_signature",
        "rekor_set_invalid" => "rekor",
        "certificate_invalid" => "certificate",
        "over_budget" => "over_budget",
        "invalid_payload" => "payload",
        "manifest_not_referenced" => "manifest_not_referenced",
        "manifest_unreadable" => "manifest_unreadable",
        "digest_mismatch" => "digest",
        "identity_mismatch" => "identity",
        other => return format!("other:{other}"),
    }
    .into()
}

/// The class of every rejection behind vouch's decision: `["accepted"]` when allowed,
/// `["policy"]` when the policy was refused, `["reference"]` when the transport refused the
/// reference; otherwise, for the requirement that denied, the class of each rejected
/// signature in signature order (skipped ones left out), or the requirement's own reason
/// when no signature was rejected (`no_signature`, `rejected_by_policy`, ...).
#[must_use]
pub fn vouch_reason_class(decision: &Value) -> Vec<String> {
    if decision["allowed"] == true {
        return vec!["accepted".into()];
    }
    if !decision["policy_error"].as_str().unwrap_or("").is_empty() {
        return vec!["policy".into()];
    }
    let kind = decision["error_kind"].as_str().unwrap_or("");
    if kind == "invalid_request" {
        return vec!["request".into()];
    }
    if kind != "requirement" && decision["scope"].is_null() {
        return vec!["reference".into()];
    }
    let requirements = decision["requirements"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let Some(denied) = requirements.iter().find(|r| r["verdict"] == "denied") else {
        return vec![format!(
            "other:{}",
            decision["reason"].as_str().unwrap_or("")
        )];
    };
    let rejected: Vec<String> = denied["signatures"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter(|s| s["verdict"] == "rejected")
        .map(|s| vouch_code_class(s["reason"].as_str().unwrap_or("")))
        .collect();
    if rejected.is_empty() {
        vec![vouch_code_class(denied["reason"].as_str().unwrap_or(""))]
    } else {
        rejected
    }
}

/// The class of one containers/image rejection (one signature's, or a requirement's), from
/// its error text (containers/image 5.34.2 with gpgme and sigstore 1.9).
#[must_use]
pub fn oracle_error_class(error: &str) -> String {
    let has = |needle: &str| error.contains(needle);
    let class = if has("is rejected by policy") || has("are rejected by policy") {
        // prReject: "Running image … is rejected by policy." (and, per signature, "Any
        // signatures for image … are rejected by policy.").
        "rejected_by_policy"
    } else if error.starts_with("veryfing leaf certificate failed")
        || error.starts_with("Unexpected Fulcio OIDC issuer")
        || error.starts_with("Required email ")
        || error.starts_with("Fulcio certificate is missing the issuer extension")
        || error.starts_with("inconsistent OIDC issuer extension values")
        || error.starts_with("invalid ASN.1 in OIDC issuer v2 extension")
        || error.starts_with("parsing leaf certificate")
        || error.starts_with("no certificate found in signature certificate data")
        || error.starts_with("unexpected multiple certificates present")
        || error.starts_with("loading certificate chain")
        || error.starts_with("Unexpected subject hostname")
    {
        // Fulcio and PKI: the certificate, its chain and its identity.
        "certificate"
    } else if error.starts_with("No public key verified against the RekorSET")
        || REKOR_SET_ERRORS
            .iter()
            .any(|prefix| error.starts_with(prefix))
    {
        // keys with Rekor: the SET vouched for none of the keys (each key's failure listed);
        // Fulcio: VerifyRekorSET's own error, unwrapped.
        "rekor"
    } else if has("signedBaseLayer not implemented") {
        "signed_base_layer"
    } else if error.starts_with("A signature was required, but no signature exists") {
        "no_signature"
    } else if has("\"keyType\" value") {
        // `Unimplemented "keyType" value …`, `Unknown "keyType" value …`.
        "key_type"
    } else if has("No public keys imported") {
        "no_keys"
    } else if has("Manifest does not match provided manifest digest") {
        "manifest_not_referenced"
    } else if error.starts_with("Signature for identity ") && has(" is not accepted") {
        "identity"
    } else if error.starts_with("Signature for digest ") && has(" does not match") {
        "digest"
    } else if error.starts_with("Signature by key ") && has(" is not accepted") {
        // A trusted key's subkey, as gpgme reports it.
        "unknown_key"
    } else if let Some(code) = gpgme_status(error) {
        return match code {
            // Certificate revoked, Key expired, Wrong key usage, Bad public key (a subkey
            // bound by a revocation alone).
            94 | 153 | 125 | 6 => "key_unusable".into(),
            // No public key.
            9 => "unknown_key".into(),
            // Bad signature.
            8 => "bad_signature".into(),
            // Signature expired, Time conflict.
            154 | 39 => "signature_time".into(),
            // gpg could not check the signature at all (its ERRSIG): General error (the digest
            // was not computed: the one-pass packets announce another hash), Unsupported
            // public key algorithm, Unsupported digest algorithm, Bad signature class, No data.
            1 | 4 | 5 | 32 | 58 => "malformed".into(),
            other => format!("gpgme:{other}"),
        };
    } else if has("Unexpected GPG signature count")
        || has("The input is not a signature")
        || GPGME_MALFORMED.contains(&error)
    {
        "malformed"
    } else if has("cryptographic signature verification failed")
        || has("invalid signature when validating ASN.1 encoded signature")
    {
        // sigstore's verifiers: "crypto/rsa: verification error", "failed to verify
        // signature", "invalid signature when validating ASN.1 encoded signature", all
        // wrapped by containers/image.
        "bad_signature"
    } else if error.starts_with("base64 decoding: ")
        || (error.starts_with("missing ") && has(" annotation"))
    {
        "malformed"
    } else if error.starts_with("parsing public key ")
        || error.starts_with("parsing Rekor public key ")
        || (error.starts_with("Rekor public key ") && has("is not using ECDSA"))
        || has("produced no public keys")
        || has("error loading Fulcio CA certificates")
        || has("error loading PKI CA Roots certificates")
        || has("loading trusted intermediate certificates")
    {
        "invalid_key"
    } else if has("no such file or directory") || has("is a directory") {
        // os.ReadFile of a key file (keyPath, keyPaths, rekorPublicKeyPath, caPath, ...).
        "key_file"
    } else if has("JSON object expected")
        || has("Unknown key \"")
        || has("Duplicate key \"")
        || has("missing in a JSON object")
        || has("Key string literal expected")
        || has("Unexpected data after JSON object")
        || has("Unrecognized signature type")
        || has("optional.timestamp is not")
        || has("invalid docker-manifest-digest value")
        || has("invalid character")
        || has("unexpected end of JSON input")
        || has("cannot unmarshal")
    {
        // The payload's strict parse (signature/internal/json.go, simple.go,
        // sigstore_payload.go) and Go's encoding/json under it.
        "payload"
    } else {
        return format!("other:{error}");
    };
    class.into()
}

/// The class of every rejection behind the oracle's answer, as [`vouch_reason_class`]: one
/// class per rejected signature when containers/image lists them ("None of the signatures
/// were accepted, reasons: a; b"), else the class of its single error.
#[must_use]
pub fn oracle_reason_class(answer: &Value) -> Vec<String> {
    if answer["allowed"] == true {
        return vec!["accepted".into()];
    }
    if !answer["policy_error"].as_str().unwrap_or("").is_empty() {
        return vec!["policy".into()];
    }
    if !answer["reference_error"].as_str().unwrap_or("").is_empty() {
        return vec!["reference".into()];
    }
    let error = answer["error"].as_str().unwrap_or("");
    match error.strip_prefix(NONE_ACCEPTED) {
        // multierr.Format joins the rejections with "; ", which none of them contains.
        Some(list) => list.split("; ").map(oracle_error_class).collect(),
        None => vec![oracle_error_class(error)],
    }
}

/// Whether the two sides' reason classes differ as multisets: the classes only vouch gives,
/// and the classes only containers/image gives (both empty when they agree).
#[must_use]
pub fn class_difference(ours: &[String], theirs: &[String]) -> (Vec<String>, Vec<String>) {
    let mut only_theirs: Vec<String> = theirs.to_vec();
    let mut only_ours = Vec::new();
    for class in ours {
        match only_theirs.iter().position(|c| c == class) {
            Some(at) => {
                only_theirs.remove(at);
            }
            None => only_ours.push(class.clone()),
        }
    }
    (only_ours, only_theirs)
}

/// The reason-class comparison of a differential suite: disagreements grouped by (classes
/// only vouch gives, classes only containers/image gives), with the first examples of each.
#[derive(Debug, Default)]
pub struct ClassReport {
    /// Decisions compared (both sides denied).
    pub compared: usize,
    /// (vouch's class, c/image's class) of the signatures that differ → (count of decisions,
    /// first examples). When the sides name as many differing rejections, they are paired in
    /// signature order (`a, b` / `c, d` pairs a with c and b with d); otherwise each side's
    /// differing classes are joined with `+`.
    pub groups: std::collections::BTreeMap<(String, String), (usize, Vec<String>)>,
    /// Disagreements that are documented differences, grouped as `groups`.
    pub documented: std::collections::BTreeMap<(String, String), (usize, Vec<String>)>,
    /// How many rejections c/image gave of each class, over the decisions compared.
    pub tally: std::collections::BTreeMap<String, usize>,
}

impl ClassReport {
    /// How many examples each group keeps.
    const EXAMPLES: usize = 3;

    /// Compares the classes of one case where both sides denied (a difference in `allowed` is
    /// the suites' own business); returns whether they disagree.
    pub fn record(&mut self, label: &str, ours: &Value, theirs: &Value) -> bool {
        self.record_with(label, ours, theirs, &|_| false)
    }

    /// [`Self::record`], where a disagreement counts as documented (reported apart, never
    /// failing) when every signature only vouch's side explains differently satisfies
    /// `documented` (given that signature's entry of the decision's `signatures`).
    pub fn record_with(
        &mut self,
        label: &str,
        ours: &Value,
        theirs: &Value,
        documented: &dyn Fn(&Value) -> bool,
    ) -> bool {
        if ours["allowed"] == true || theirs["allowed"] == true {
            return false;
        }
        self.compared += 1;
        let (our_classes, their_classes) = (vouch_reason_class(ours), oracle_reason_class(theirs));
        for class in &their_classes {
            let class = if class.starts_with("other:") {
                "other"
            } else {
                class
            };
            *self.tally.entry(class.to_string()).or_default() += 1;
        }
        let (only_ours, only_theirs) = class_difference(&our_classes, &their_classes);
        if only_ours.is_empty() && only_theirs.is_empty() {
            return false;
        }
        let shorten = |class: &String| match class.strip_prefix("other:") {
            Some(text) => format!("other:{}", text.chars().take(60).collect::<String>()),
            None => class.clone(),
        };
        // One (vouch, c/image) pair per differing signature when both sides name as many;
        // the two lists otherwise.
        let key = if only_ours.len() == only_theirs.len() {
            let mut pairs: Vec<(String, String)> = only_ours
                .iter()
                .map(shorten)
                .zip(only_theirs.iter().map(shorten))
                .collect();
            pairs.sort();
            pairs.dedup();
            (
                pairs
                    .iter()
                    .map(|p| p.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                pairs
                    .iter()
                    .map(|p| p.1.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        } else {
            (
                only_ours.iter().map(shorten).collect::<Vec<_>>().join("+"),
                only_theirs
                    .iter()
                    .map(shorten)
                    .collect::<Vec<_>>()
                    .join("+"),
            )
        };
        // The signatures whose class only vouch gives.
        let mut unmatched = their_classes.clone();
        let differing: Vec<&Value> = denied_signatures(ours)
            .into_iter()
            .filter(|s| {
                let class = vouch_code_class(s["reason"].as_str().unwrap_or(""));
                match unmatched.iter().position(|c| *c == class) {
                    Some(at) => {
                        unmatched.remove(at);
                        false
                    }
                    None => true,
                }
            })
            .collect();
        let is_documented = !differing.is_empty() && differing.iter().all(|s| documented(s));
        let groups = if is_documented {
            &mut self.documented
        } else {
            &mut self.groups
        };
        let entry = groups.entry(key).or_default();
        entry.0 += 1;
        if entry.1.len() < Self::EXAMPLES {
            entry.1.push(class_example(
                label,
                ours,
                theirs,
                &our_classes,
                &their_classes,
            ));
        }
        if let Some(path) = std::env::var_os("VOUCH_CLASS_DUMP") {
            use std::io::Write as _;
            let line = serde_json::json!({"label": label, "vouch": ours, "cimage": theirs,
                "vouch_classes": our_classes, "cimage_classes": their_classes,
                "documented": is_documented});
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = writeln!(file, "{line}");
            }
        }
        !is_documented
    }

    /// How many compared decisions disagree on the class.
    #[must_use]
    pub fn disagreements(&self) -> usize {
        self.groups.values().map(|(n, _)| n).sum()
    }

    /// Prints the summary under `suite`'s name: counts per group, with examples.
    pub fn print(&self, suite: &str, cases: usize) {
        let mut groups: Vec<_> = self.groups.iter().collect();
        groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        let mut text = format!(
            "{suite} reason classes: {cases} cases, {} denied by both, {} class disagreements; \
             c/image's rejections by class: {:?}",
            self.compared,
            self.disagreements(),
            self.tally
        );
        for ((ours, theirs), (n, examples)) in &groups {
            text.push_str(&format!("\n  {n} x vouch [{ours}] / c/image [{theirs}]"));
            for example in examples {
                text.push_str(&format!("\n    {example}"));
            }
        }
        let documented: usize = self.documented.values().map(|(n, _)| n).sum();
        if documented > 0 {
            text.push_str(&format!(
                "\n  and {documented} documented differences (never failing):"
            ));
            let mut groups: Vec<_> = self.documented.iter().collect();
            groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
            for ((ours, theirs), (n, examples)) in &groups {
                text.push_str(&format!(
                    "\n  {n} x documented: vouch [{ours}] / c/image [{theirs}]"
                ));
                for example in examples.iter().take(1) {
                    text.push_str(&format!("\n    {example}"));
                }
            }
        }
        eprintln!("{text}");
    }

    /// Fails when more than `limit` cases disagree on the class: for a suite whose inputs change
    /// from run to run, where a rare new shape is reported rather than failing the build.
    ///
    /// # Panics
    /// On more than `limit` disagreements.
    pub fn assert_at_most(&self, limit: usize) {
        assert!(
            self.disagreements() <= limit,
            "{} reason-class disagreements with containers/image, more than {limit} (the summary above groups them)",
            self.disagreements()
        );
    }

    /// Fails on any class disagreement: for the suites whose classes already agree on every
    /// case, so that they stay that way.
    ///
    /// # Panics
    /// On a disagreement.
    pub fn assert_agree(&self) {
        assert!(
            self.groups.is_empty(),
            "{} reason-class disagreements with containers/image (the summary above groups them)",
            self.disagreements()
        );
    }
}

/// The rejected signatures of the requirement that denied, in signature order.
fn denied_signatures(decision: &Value) -> Vec<&Value> {
    decision["requirements"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["verdict"] == "denied"))
        .and_then(|r| r["signatures"].as_array())
        .map_or_else(Vec::new, |s| {
            s.iter().filter(|s| s["verdict"] == "rejected").collect()
        })
}

/// One example of a class disagreement: the label, each side's classes, vouch's reasons and
/// messages (the denying requirement's and its rejected signatures'), and c/image's error.
fn class_example(
    label: &str,
    ours: &Value,
    theirs: &Value,
    our: &[String],
    their: &[String],
) -> String {
    let requirements = ours["requirements"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut why = Vec::new();
    if let Some(denied) = requirements.iter().find(|r| r["verdict"] == "denied") {
        why.push(format!(
            "{} ({})",
            denied["reason"].as_str().unwrap_or(""),
            denied["message"].as_str().unwrap_or("")
        ));
        for s in denied["signatures"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
        {
            if s["verdict"] == "rejected" {
                why.push(format!(
                    "#{} {} ({})",
                    s["index"],
                    s["reason"].as_str().unwrap_or(""),
                    s["message"].as_str().unwrap_or("")
                ));
            }
        }
    } else {
        why.push(format!(
            "{} ({})",
            ours["reason"].as_str().unwrap_or(""),
            ours["error"].as_str().unwrap_or("")
        ));
    }
    let error: String = theirs["error"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(400)
        .collect();
    format!(
        "{label}\n      vouch {our:?}: {}\n      c/image {their:?}: {error}",
        why.join("; ")
    )
}

/// Prints a differential's outcome counts and its disagreements by kind (the text after
/// `case N: `, up to the next `: `), then fails with the first dozen disagreements, if any.
/// `against` names the other side ("the kubelet 1.36").
pub fn report_differential(
    outcomes: &std::collections::BTreeMap<String, usize>,
    failures: &[String],
    against: &str,
) {
    for (outcome, n) in outcomes {
        println!("  {n:5} {outcome}");
    }
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for f in failures {
        let what = f.split(": ").nth(1).unwrap_or_default();
        *kinds.entry(what).or_default() += 1;
    }
    println!("disagreements by kind: {kinds:?}");
    assert!(
        failures.is_empty(),
        "{} disagreements with {against}:\n{}",
        failures.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
