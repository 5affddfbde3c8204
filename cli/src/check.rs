//! `vouch check`: one decision for a person, from real files.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use vouch::{
    CompileOptions, Decision, Evaluator, Evidence, Files, Image, Policy, Signature, Transport,
    Verdict,
};

use crate::Failure;

struct Options {
    policy: String,
    transport: String,
    image: String,
    manifest: Option<String>,
    signatures: Option<String>,
    now: Option<i64>,
}

fn parse_options(args: &[String]) -> Result<Options, Failure> {
    let mut policy = None;
    let mut transport = None;
    let mut image = None;
    let mut manifest = None;
    let mut signatures = None;
    let mut now = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--policy" => policy = Some(value("--policy")?),
            "--transport" => transport = Some(value("--transport")?),
            "--image" => image = Some(value("--image")?),
            "--manifest" => manifest = Some(value("--manifest")?),
            "--signatures" => signatures = Some(value("--signatures")?),
            "--now" => {
                let text = value("--now")?;
                now = Some(vouch::time::parse_rfc3339(&text).ok_or_else(|| {
                    Failure::Usage(format!("--now {text:?} is not an RFC 3339 time"))
                })?);
            }
            other => {
                return Err(Failure::Usage(format!(
                    "unexpected argument `{other}` for `vouch check`"
                )));
            }
        }
    }
    let required = |v: Option<String>, name: &str| {
        v.ok_or_else(|| Failure::Usage(format!("vouch check needs {name}")))
    };
    Ok(Options {
        policy: required(policy, "--policy FILE")?,
        transport: required(transport, "--transport NAME")?,
        image: required(image, "--image REFERENCE")?,
        manifest,
        signatures,
        now,
    })
}

fn read(path: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::Io(io::Error::new(e.kind(), format!("{path}: {e}"))))
}

/// What containers/image's `ResolvePathToFullyExplicit` does: absolute, symlinks resolved;
/// the last element may not exist yet.
fn resolve(path: &str) -> String {
    let path = Path::new(path);
    if let Ok(resolved) = std::fs::canonicalize(path) {
        return resolved.to_string_lossy().into_owned();
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| PathBuf::from(path));
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => match std::fs::canonicalize(parent) {
            Ok(parent) => parent.join(name).to_string_lossy().into_owned(),
            Err(_) => absolute.to_string_lossy().into_owned(),
        },
        _ => absolute.to_string_lossy().into_owned(),
    }
}

/// The reference with its path resolved, for the transports that name files.
fn resolve_reference(transport: &str, reference: &str) -> String {
    match Transport::from_name(transport) {
        Some(Transport::Dir | Transport::Sif) => resolve(reference),
        Some(Transport::Oci | Transport::OciArchive) => match reference.split_once(':') {
            Some((path, rest)) => format!("{}:{rest}", resolve(path)),
            None => resolve(reference),
        },
        _ => reference.to_string(),
    }
}

/// Signatures stored as containers/image stores them (`dir:` images, `signature-N`), read with
/// [`Signature::from_stored`].
fn read_signatures(dir: &str) -> Result<Vec<Signature>, Failure> {
    let mut signatures = Vec::new();
    for n in 1.. {
        let path = Path::new(dir).join(format!("signature-{n}"));
        let blob = match std::fs::read(&path) {
            Ok(blob) => blob,
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(e) => {
                return Err(Failure::Io(io::Error::new(
                    e.kind(),
                    format!("{}: {e}", path.display()),
                )));
            }
        };
        signatures.push(Signature::from_stored(&blob).map_err(|why| {
            Failure::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            ))
        })?);
    }
    Ok(signatures)
}

pub(crate) fn command(args: &[String]) -> Result<u8, Failure> {
    let options = parse_options(args)?;
    let out = io::stdout();
    let mut out = out.lock();
    let document = read(&options.policy)?;
    let policy = match Policy::parse(&document) {
        Ok(policy) => policy,
        Err(error) => {
            writeln!(
                out,
                "REJECTED: the policy {} is invalid, so containers/image would refuse every image\n  {}:{error}",
                options.policy, options.policy
            )?;
            return Ok(3);
        }
    };
    let mut files = Files::new();
    for path in policy.files_needed() {
        if let Ok(bytes) = std::fs::read(path) {
            files.insert(path.to_string(), bytes);
        }
    }
    let evaluator = Evaluator::compile(&policy, &files, &CompileOptions::default());
    let reference = resolve_reference(&options.transport, &options.image);
    let image = match Image::parse(&options.transport, &reference) {
        Ok(image) => image,
        Err(error) => {
            writeln!(
                out,
                "REJECTED: {}:{} is not a valid reference: {error}",
                options.transport, options.image
            )?;
            return Ok(3);
        }
    };
    let manifest = match &options.manifest {
        Some(path) => read(path)?,
        None => Vec::new(),
    };
    let signatures = match &options.signatures {
        Some(dir) => read_signatures(dir)?,
        None => Vec::new(),
    };
    let evidence = Evidence {
        manifest: &manifest,
        signatures: &signatures,
        now: options.now,
    };
    let decision = evaluator.evaluate(&image, &evidence);
    explain(&mut out, &options, &image, &decision, &signatures)?;
    Ok(if decision.allowed { 0 } else { 3 })
}

fn explain(
    out: &mut impl Write,
    options: &Options,
    image: &Image,
    decision: &Decision<'_>,
    signatures: &[Signature],
) -> io::Result<()> {
    let name = format!("{}:{}", options.transport, options.image);
    if decision.allowed {
        writeln!(out, "ALLOWED: {name}")?;
    } else {
        writeln!(out, "REJECTED: {name}")?;
        writeln!(out, "  why: {}", decision.message())?;
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
        decision.scope, options.policy
    )?;
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
            Verdict::NotEvaluated => "not evaluated (an earlier requirement denied)".to_string(),
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
