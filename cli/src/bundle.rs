//! `vouch bundle`: sigstore bundle verification requests in (JSON Lines), answers out.

use vouch::json::{MAX_BUNDLE_REQUEST, bundle_line};

use crate::Failure;
use crate::cli::BundleArgs;

pub(crate) fn command(args: &BundleArgs) -> Result<(), Failure> {
    crate::lines::serve(args.request.as_deref(), MAX_BUNDLE_REQUEST, bundle_line)
}
