//! `vouch`: the command-line shell around the vouch core.
//!
//! Exit status: 0 when every request was answered (whatever the answers) or the image is
//! allowed, 1 when the command itself failed (an unreadable input, a closed output), 2 for
//! wrong usage, 3 when `check` rejects the image or `lint` finds an error.

mod admit;
mod bundle;
mod check;
mod cli;
mod eval;
mod layout;
mod lines;
mod lint;
mod node;
mod paths;
mod reference;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ref(args) => run(|| reference::command(&args)),
        Command::Eval(args) => run(|| eval::command(&args)),
        Command::Bundle(args) => run(|| bundle::command(&args)),
        Command::Node(args) => run(|| node::command(&args)),
        Command::Admit(args) => run(|| admit::command(&args)),
        Command::Check(args) => run_status(|| check::command(&args)),
        Command::Lint(args) => run_status(|| lint::command(&args.files, args.strict)),
        Command::Version(args) => run(|| version(args.json)),
        Command::Completions(args) => run(|| {
            let mut command = Cli::command();
            let mut out = io::stdout().lock();
            clap_complete::generate(args.shell, &mut command, "vouch", &mut out);
            Ok(out.flush()?)
        }),
    }
}

/// `vouch version [--json]`: the version and this build's capabilities.
fn version(json: bool) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", vouch::BUILD.to_json())?;
    } else {
        writeln!(out, "vouch {}", cli::version_text())?;
    }
    Ok(out.flush()?)
}

/// A failure of the command itself, as opposed to an answer that says "no".
#[derive(Debug)]
pub(crate) enum Failure {
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

impl Failure {
    /// A failure described by `message` (exit status 1).
    pub(crate) fn message(kind: io::ErrorKind, message: String) -> Self {
        Self::Io(io::Error::new(kind, message))
    }
}

fn run(command: impl FnOnce() -> Result<(), Failure>) -> ExitCode {
    match command() {
        Ok(()) => ExitCode::SUCCESS,
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
