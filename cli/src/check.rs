//! `vouch check`: one decision for a person, from real files.
//!
//! The command gathers what containers/image would read (the policy, the files it names, the
//! image's manifest and signatures) into the request the JSON contract describes, and asks the
//! core. `--output json` answers with exactly what `vouch eval` answers for that request.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use vouch::json::{EvaluateRequest, decision_json, evaluate_parsed};
use vouch::{
    CompileOptions, Decision, Evaluator, Evidence, Files, Image, Signature, Transport, Verdict,
};

use crate::Failure;
use crate::cli::{CheckArgs, Output};
use crate::layout;
use crate::paths::{self, PolicySource};

/// The image as the user named it, and as it is handed to the core.
struct Named {
    transport: String,
    /// The reference as given (paths as the user wrote them: files are read through them, as
    /// containers/image reads them).
    given: String,
    /// The reference with its path resolved, for the transports that name files.
    resolved: String,
    /// `TRANSPORT:REFERENCE` as the user wrote it.
    shown: String,
}

/// What was read besides the policy, and from where.
#[derive(Default)]
struct Gathered {
    manifest: Vec<u8>,
    signatures: Vec<Signature>,
    /// Lines for the explanation: where the evidence came from.
    notes: Vec<String>,
}

pub(crate) fn command(args: &CheckArgs) -> Result<u8, Failure> {
    let (transport, given, shown) = match (&args.image_name, &args.transport, &args.image) {
        (Some(name), _, _) => (
            name.transport.clone(),
            name.reference.clone(),
            format!("{}:{}", name.transport, name.reference),
        ),
        (None, Some(transport), Some(image)) => (
            transport.clone(),
            image.clone(),
            format!("{transport}:{image}"),
        ),
        // clap requires one of the two spellings.
        _ => {
            return Err(Failure::message(
                io::ErrorKind::InvalidInput,
                "name the image: TRANSPORT:REFERENCE, or --transport NAME --image REFERENCE".into(),
            ));
        }
    };
    let (policy_path, policy_source) = paths::policy_path(args.policy.as_deref())?;
    let document = paths::read("the policy", &policy_path)?;
    let mut request = EvaluateRequest {
        id: None,
        policy: document,
        policy_dialect: if args.strict {
            vouch::PolicyDialect::ContainersImage
        } else {
            vouch::PolicyDialect::Vouch
        },
        files: Files::new(),
        transport: transport.clone(),
        reference: given.clone(),
        manifest: Vec::new(),
        signatures: Vec::new(),
        now: args.now.or_else(system_now),
    };
    let out = io::stdout();
    let mut out = out.lock();

    let policy = match request.parse_policy() {
        Ok(policy) => policy,
        Err(error) => {
            if args.output == Output::Json {
                return json(&mut out, &request);
            }
            writeln!(
                out,
                "REJECTED: the policy {policy_path} is invalid, so containers/image would refuse every image\n  {policy_path}:{error}"
            )?;
            return Ok(3);
        }
    };
    // The files the policy names, read from where it names them. One that does not exist is
    // left out and one that cannot be read is recorded as unreadable; the core then answers
    // as containers/image does when it meets either (every signature checked against it is
    // refused, and the reason says which).
    for path in policy.files_needed() {
        match paths::read_policy_file(path) {
            paths::Found::Read(bytes) => request.files.insert(path, bytes),
            paths::Found::Unreadable(why) => request.files.insert_unreadable(path, why),
            paths::Found::Missing => {}
        }
    }

    let named = Named {
        resolved: resolve_reference(&transport, &given)?,
        transport,
        given,
        shown,
    };
    request.reference = named.resolved.clone();
    let image = match named
        .transport
        .parse()
        .and_then(|t| Image::parse(t, &named.resolved))
    {
        Ok(image) => image,
        Err(error) => {
            if args.output == Output::Json {
                return json(&mut out, &request);
            }
            writeln!(
                out,
                "REJECTED: {} is not a valid reference: {error}",
                named.shown
            )?;
            return Ok(3);
        }
    };

    let gathered = gather(args, &named)?;
    request.manifest = gathered.manifest;
    request.signatures = gathered.signatures;
    for path in &args.bundles {
        let bundle = crate::paths::read("the bundle", path)?;
        request.signatures.push(Signature::Bundle { bundle });
    }
    if args.output == Output::Json {
        return json(&mut out, &request);
    }
    let evaluator = Evaluator::compile(&policy, &request.files, &CompileOptions::default());
    let evidence = Evidence::new(&request.manifest, &request.signatures).at(request.now);
    let decision = evaluator.evaluate(&image, &evidence);
    let explanation = Explanation {
        named: &named,
        policy_path: &policy_path,
        policy_source: &policy_source,
        notes: &gathered.notes,
    };
    explanation.write(&mut out, &image, &decision, &request.signatures)?;
    Ok(if decision.allowed { 0 } else { 3 })
}

/// The decision as one line of the contract's JSON; exit status 0 allowed, 3 rejected.
fn json(out: &mut impl Write, request: &EvaluateRequest) -> Result<u8, Failure> {
    let answer = evaluate_parsed(request);
    writeln!(out, "{}", decision_json(&answer))?;
    Ok(if answer.allowed { 0 } else { 3 })
}

fn system_now() -> Option<vouch::UnixTime> {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(elapsed.as_secs())
        .ok()
        .map(vouch::UnixTime::from_unix_seconds)
}

/// The reference with its path resolved as the transport's `ParseReference` resolves it
/// (`dir:`/`sif:` the whole reference; `oci:`/`oci-archive:` the part before the first colon).
fn resolve_reference(transport: &str, reference: &str) -> Result<String, Failure> {
    let resolve = |path: &str| {
        paths::resolve_explicit(path).map_err(|e| {
            Failure::message(
                e.kind(),
                format!("cannot resolve the path {path:?} of {transport}:{reference}: {e}"),
            )
        })
    };
    Ok(match Transport::from_name(transport) {
        Some(Transport::Dir | Transport::Sif) => resolve(reference)?,
        Some(Transport::Oci | Transport::OciArchive) => match reference.split_once(':') {
            Some((path, rest)) => format!("{}:{rest}", resolve(path)?),
            None => resolve(reference)?,
        },
        _ => reference.to_string(),
    })
}

/// The manifest and signatures: from `--manifest` and `--signatures` when given, else from
/// where the transport keeps them (`dir:`, `oci:`); other transports are not read (a registry
/// is never contacted), so they have none unless given.
fn gather(args: &CheckArgs, named: &Named) -> Result<Gathered, Failure> {
    let mut gathered = Gathered::default();
    let transport = Transport::from_name(&named.transport);
    if let Some(path) = &args.manifest {
        gathered.manifest = paths::read("the manifest", path)?;
    } else {
        match transport {
            Some(Transport::Dir) => {
                let path = layout::dir_manifest_path(&named.given);
                gathered.manifest = paths::read("the manifest", &path)?;
                gathered.notes.push(format!(
                    "manifest: {path} ({})",
                    manifest_digest(&gathered.manifest)
                ));
            }
            Some(Transport::Oci) => {
                let (dir, image) = named.given.split_once(':').unwrap_or((&named.given, ""));
                let manifest = layout::oci_manifest(dir, image)?;
                gathered.notes.push(format!(
                    "manifest: {} (index.json manifests[{}], {})",
                    manifest.path, manifest.position, manifest.digest
                ));
                gathered.manifest = manifest.bytes;
            }
            _ => {}
        }
    }
    if let Some(dir) = &args.signatures {
        gathered.signatures = layout::read_signatures(dir)?;
    } else {
        match transport {
            Some(Transport::Dir) => {
                gathered.signatures = layout::read_signatures(&named.given)?;
                let first = paths::go_join(&named.given, "signature-1");
                gathered.notes.push(match gathered.signatures.len() {
                    0 => format!("signatures: none ({first} does not exist)"),
                    1 => format!("signatures: 1 ({first})"),
                    n => format!("signatures: {n} ({first} to signature-{n})"),
                });
            }
            Some(Transport::Oci) => gathered
                .notes
                .push("signatures: none (the oci: transport stores no signatures)".into()),
            _ => {}
        }
    }
    Ok(gathered)
}

fn manifest_digest(manifest: &[u8]) -> String {
    match vouch::manifest::manifest_digest(manifest) {
        Ok(digest) => digest.to_string(),
        Err(error) => format!("no digest: {error}"),
    }
}

/// The text explanation of one decision.
struct Explanation<'a> {
    named: &'a Named,
    policy_path: &'a str,
    policy_source: &'a PolicySource,
    notes: &'a [String],
}

impl Explanation<'_> {
    fn write(
        &self,
        out: &mut impl Write,
        image: &Image,
        decision: &Decision<'_>,
        signatures: &[Signature],
    ) -> io::Result<()> {
        let named = self.named;
        if decision.allowed {
            writeln!(out, "ALLOWED: {}", named.shown)?;
        } else {
            writeln!(out, "REJECTED: {}", named.shown)?;
            writeln!(out, "  why: {}", decision.message())?;
        }
        if named.resolved != named.given {
            writeln!(out, "  resolved: {}:{}", named.transport, named.resolved)?;
        }
        writeln!(
            out,
            "  image: policy identity {:?}{}",
            image.policy_identity(),
            image
                .docker_reference()
                .map(|r| format!(", docker reference {}", r.as_str()))
                .unwrap_or_default()
        )?;
        writeln!(
            out,
            "  policy entry: {} (in {})",
            decision.scope, self.policy_path
        )?;
        match self.policy_source {
            PolicySource::Given => {}
            PolicySource::User => writeln!(
                out,
                "  policy file: {} (the user's policy, $HOME/.config/containers/policy.json; --policy overrides)",
                self.policy_path
            )?,
            PolicySource::System { user_path } => writeln!(
                out,
                "  policy file: {} (the system policy: {user_path} does not exist; --policy overrides)",
                self.policy_path
            )?,
        }
        for note in self.notes {
            writeln!(out, "  {note}")?;
        }
        for (index, outcome) in decision.requirements().iter().enumerate() {
            let verdict = match outcome.verdict {
                Verdict::Allowed => "holds".to_string(),
                Verdict::Denied => format!(
                    "denies: {}",
                    outcome
                        .reason
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
                Verdict::NotEvaluated => {
                    "not evaluated (an earlier requirement denied)".to_string()
                }
                _ => format!("{:?}", outcome.verdict),
            };
            writeln!(
                out,
                "  requirement {} ({}): {verdict}",
                index + 1,
                outcome.requirement
            )?;
            for signature in &outcome.signatures {
                writeln!(
                    out,
                    "    signature {} ({}): {}: {}",
                    signature.index + 1,
                    signatures.get(signature.index).map_or("?", Signature::kind),
                    signature.verdict.name(),
                    signature.reason
                )?;
            }
        }
        Ok(())
    }
}
