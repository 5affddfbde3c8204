//! `vouch bundle`: sigstore bundle verification requests in (JSON Lines), answers out.

use std::io::{self, BufWriter, Write};

use vouch::json::{MAX_BUNDLE_REQUEST, bundle_line};

use crate::Failure;
use crate::cli::BundleArgs;
use crate::lines::read_bounded_line;

pub(crate) fn command(args: &BundleArgs) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let source = crate::lines::request_source(args.request.as_deref())?;
    let mut input = io::BufReader::with_capacity(1 << 20, source);
    let mut line = Vec::new();
    while read_bounded_line(&mut input, &mut line, MAX_BUNDLE_REQUEST + 1)? {
        out.write_all(bundle_line(&line).as_bytes())?;
        out.write_all(b"\n")?;
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    Ok(out.flush()?)
}
