//! `vouch admit`: AdmissionReviews in (one JSON line each, with configuration and evidence),
//! AdmissionReviews out; `--plan` lists what to fetch.

use std::cell::RefCell;

use vouch::admit::{Admitter, MAX_ADMIT_REQUEST, plan_line};

use crate::Failure;
use crate::cli::AdmitArgs;

pub(crate) fn command(args: &AdmitArgs) -> Result<(), Failure> {
    if args.plan {
        return crate::lines::serve(args.request.as_deref(), MAX_ADMIT_REQUEST, plan_line);
    }
    // One admitter for the whole run: a configuration repeated line after line is compiled
    // once, and its verification cache serves every review.
    let admitter = RefCell::new(Admitter::new());
    crate::lines::serve_observed(
        args.request.as_deref(),
        MAX_ADMIT_REQUEST,
        |line| admitter.borrow_mut().admit_line(line),
        args.metrics.as_deref(),
    )
}
