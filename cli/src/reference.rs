//! `vouch ref`: docker references in, one JSON answer per line out.

use std::io::{self, BufWriter, Write};

use vouch::Dialect;
use vouch::json::{MAX_REFERENCE_INPUT, reference_answer, reference_line};

use crate::Failure;
use crate::cli::RefArgs;
use crate::lines::read_bounded_line;

/// Input lines longer than this are answered with `input_too_large` without being buffered.
const MAX_LINE: usize = 2 * MAX_REFERENCE_INPUT;

pub(crate) fn command(args: &RefArgs) -> Result<(), Failure> {
    let dialect = args.dialect.map_or_else(Dialect::default, |d| d.dialect());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.references.is_empty() {
        for reference in &args.references {
            out.write_all(&reference_answer(reference.as_bytes(), dialect).to_json())?;
            out.write_all(b"\n")?;
        }
        return Ok(out.flush()?);
    }
    let mut input = io::BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut line = Vec::new();
    while read_bounded_line(&mut input, &mut line, MAX_LINE)? {
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
