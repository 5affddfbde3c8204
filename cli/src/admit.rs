//! `vouch admit`: AdmissionReviews in (one JSON line each, with configuration and evidence),
//! AdmissionReviews out; `--plan` lists what to fetch.

use vouch::admit::{MAX_ADMIT_REQUEST, admit_line, plan_line};

use crate::Failure;
use crate::cli::AdmitArgs;

pub(crate) fn command(args: &AdmitArgs) -> Result<(), Failure> {
    if args.plan {
        return crate::lines::serve(args.request.as_deref(), MAX_ADMIT_REQUEST, plan_line);
    }
    crate::lines::serve_observed(
        args.request.as_deref(),
        MAX_ADMIT_REQUEST,
        admit_line,
        args.metrics.as_deref(),
    )
}
