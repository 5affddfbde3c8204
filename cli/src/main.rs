//! `vouch`: the command-line shell around the vouch core.
//!
//! Exit status: 0 when every request was answered (whatever the answers), 1 when the command
//! itself failed (an unreadable input, a closed output), 2 for wrong usage.

mod check;
mod eval;
mod lines;
mod lint;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use vouch::Dialect;
use vouch::json::{MAX_REFERENCE_INPUT, reference_answer, reference_line};

const USAGE: &str = "\
usage: vouch <command> [options]

commands:
  ref [--dialect containers-image|distribution] [REFERENCE...]
      Parse docker references. With no REFERENCE, reads one per line from standard input:
      a bare reference, or a JSON request {\"reference\": \"...\", \"dialect\": \"...\"}.
      Writes one JSON answer per line.
  eval [--request FILE]
      Evaluate images against policies: one JSON request per line (docs/interchange.md),
      from FILE or standard input; one JSON decision per line on standard output.
  check --policy FILE --transport NAME --image REFERENCE [--manifest FILE]
        [--signatures DIR] [--now RFC3339]
      Decide one image for a person, reading real files: the files the policy names are read
      from where it names them, signatures from DIR/signature-1, -2, ... (the layout
      `skopeo copy` writes for dir: images). Exit status 0 when allowed, 3 when rejected.
  lint FILE...
      Check policy files and show every problem with its line and column. Exit status 0
      when no file has an error (warnings allowed), 3 otherwise.
  version [--json]
      Show the version and what this build verifies with (also --version).
  help
      Show this text.
";

/// Input lines longer than this are answered with `input_too_large` without being buffered.
const MAX_LINE: usize = 2 * MAX_REFERENCE_INPUT;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "ref" => run(|| reference_command(rest)),
        Some((command, rest)) if command == "eval" => run(|| eval::command(rest)),
        Some((command, rest)) if command == "check" => run_status(|| check::command(rest)),
        Some((command, rest)) if command == "lint" => run_status(|| lint::command(rest)),
        Some((command, rest)) if command == "version" || command == "--version" => version(rest),
        Some((command, _)) if command == "help" || command == "--help" || command == "-h" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some((command, _)) => usage_error(&format!("unknown command `{command}`")),
        None => usage_error("no command given"),
    }
}

/// `vouch version [--json]`: the version and this build's capabilities.
fn version(args: &[String]) -> ExitCode {
    let build = vouch::BUILD;
    match args {
        [] => {
            println!(
                "vouch {} (crypto: {}; signedBy/OpenPGP: {}; verification cache: {})",
                build.version,
                build.crypto.name(),
                if build.openpgp { "yes" } else { "no" },
                if build.verification_cache {
                    "yes"
                } else {
                    "no"
                },
            );
            ExitCode::SUCCESS
        }
        [flag] if flag == "--json" => {
            println!("{}", build.to_json());
            ExitCode::SUCCESS
        }
        _ => usage_error("usage: vouch version [--json]"),
    }
}

/// A failure of the command itself, as opposed to an answer that says "no".
pub(crate) enum Failure {
    Usage(String),
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

fn run(command: impl FnOnce() -> Result<(), Failure>) -> ExitCode {
    match command() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => usage_error(&message),
        // A reader that went away (`vouch ref | head`) is not an error worth a message.
        Err(Failure::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(error)) => {
            eprintln!("vouch: {error}");
            ExitCode::from(1)
        }
    }
}

/// Runs a command whose success has its own exit status (0 yes, 3 no).
fn run_status(command: impl FnOnce() -> Result<u8, Failure>) -> ExitCode {
    let mut status = 0;
    let code = run(|| {
        status = command()?;
        Ok(())
    });
    if code == ExitCode::SUCCESS {
        ExitCode::from(status)
    } else {
        code
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("vouch: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn reference_command(args: &[String]) -> Result<(), Failure> {
    let mut dialect = Dialect::default();
    let mut references = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dialect" => {
                let name = args
                    .next()
                    .ok_or_else(|| Failure::Usage("--dialect needs a value".into()))?;
                dialect = Dialect::from_name(name).ok_or_else(|| {
                    Failure::Usage(format!(
                        "unknown dialect `{name}`: use containers-image or distribution"
                    ))
                })?;
            }
            "--" => references.extend(args.by_ref().cloned()),
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!(
                    "unknown option `{flag}` for `vouch ref`"
                )));
            }
            reference => references.push(reference.to_owned()),
        }
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !references.is_empty() {
        for reference in &references {
            out.write_all(&reference_answer(reference.as_bytes(), dialect).to_json())?;
            out.write_all(b"\n")?;
        }
        return Ok(out.flush()?);
    }
    let mut input = io::BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut line = Vec::new();
    while lines::read_bounded_line(&mut input, &mut line, MAX_LINE)? {
        out.write_all(&reference_line(&line, dialect).to_json())?;
        out.write_all(b"\n")?;
        // Answer at once when nothing more is waiting, so a program driving vouch line by line
        // gets each answer before it sends the next request.
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    Ok(out.flush()?)
}
