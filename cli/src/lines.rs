//! Reading bounded lines from standard input.

use std::io::{self, BufRead};

/// Reads one line without its `\n` into `line`; returns false at the end of the input.
/// At most `max` bytes are kept; the rest of an overlong line is skipped, and what is kept is
/// then longer than any valid input, so the answer says the input is too large.
pub(crate) fn read_bounded_line(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<bool> {
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
        let room = max.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let consumed = chunk.len() + usize::from(found_newline);
        input.consume(consumed);
        if found_newline {
            return Ok(true);
        }
    }
}

/// The requests of a JSON Lines command: `path`, or standard input when there is none or it
/// is `-`.
pub(crate) fn request_source(path: Option<&str>) -> Result<Box<dyn io::Read>, crate::Failure> {
    Ok(match path {
        Some(path) if path != "-" => {
            Box::new(std::fs::File::open(path).map_err(|e| {
                crate::Failure::Io(io::Error::new(e.kind(), format!("{path}: {e}")))
            })?)
        }
        _ => Box::new(io::stdin().lock()),
    })
}

/// Answers JSON Lines: each request line (at most `max` bytes) from FILE or standard input,
/// one answer line on standard output, flushed whenever the input has nothing buffered (so an
/// interactive caller gets each answer at once).
pub(crate) fn serve(
    request: Option<&str>,
    max: usize,
    answer: impl Fn(&[u8]) -> String,
) -> Result<(), crate::Failure> {
    serve_observed(request, max, answer, None)
}

/// As [`serve`]; with `metrics`, each decision is timed and counted, and the Prometheus text
/// exposition is written to that file at the end (through a temporary file renamed into place,
/// so a scraper never reads half of it).
pub(crate) fn serve_observed(
    request: Option<&str>,
    max: usize,
    answer: impl Fn(&[u8]) -> String,
    metrics: Option<&std::path::Path>,
) -> Result<(), crate::Failure> {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let source = request_source(request)?;
    let mut input = std::io::BufReader::with_capacity(1 << 20, source);
    let mut line = Vec::new();
    let mut counted =
        metrics.map(|_| vouch::metrics::Metrics::new(vouch::metrics::MetricsOptions::default()));
    while read_bounded_line(&mut input, &mut line, max + 1)? {
        let started = std::time::Instant::now();
        let text = answer(&line);
        if let Some(m) = counted.as_mut() {
            m.observe(
                &line,
                text.as_bytes(),
                Some(started.elapsed().as_secs_f64()),
            );
        }
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    out.flush()?;
    if let (Some(path), Some(m)) = (metrics, counted) {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, m.render())
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| {
                crate::Failure::Io(io::Error::new(e.kind(), format!("{}: {e}", path.display())))
            })?;
    }
    Ok(())
}
