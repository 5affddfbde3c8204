//! `vouch`: the command-line shell around the vouch core.
//!
//! Exit status: 0 when every request was answered (whatever the answers), 1 when the command
//! itself failed (an unreadable input, a closed output), 2 for wrong usage.

use std::io::{self, BufRead, BufWriter, Write};
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
  help
      Show this text.
";

/// Input lines longer than this are answered with `input_too_large` without being buffered.
const MAX_LINE: usize = 2 * MAX_REFERENCE_INPUT;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "ref" => run(|| reference_command(rest)),
        Some((command, _)) if command == "help" || command == "--help" || command == "-h" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some((command, _)) => usage_error(&format!("unknown command `{command}`")),
        None => usage_error("no command given"),
    }
}

/// A failure of the command itself, as opposed to an answer that says "no".
enum Failure {
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
    while read_bounded_line(&mut input, &mut line)? {
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

/// Reads one line without its `\n` into `line`; returns false at the end of the input.
/// At most [`MAX_LINE`] bytes are kept; the rest of an overlong line is skipped, and what is kept
/// is then longer than any reference, so the answer says the input is too large.
fn read_bounded_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let mut seen_any = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(seen_any);
        }
        seen_any = true;
        let (chunk, found_newline) = match buffer.iter().position(|&b| b == b'\n') {
            Some(newline) => (&buffer[..newline], true),
            None => (buffer, false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let consumed = chunk.len() + usize::from(found_newline);
        input.consume(consumed);
        if found_newline {
            return Ok(true);
        }
    }
}
