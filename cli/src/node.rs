//! `vouch node`: Kubernetes node decisions (docs/node.md), one JSON request per line in, one
//! answer per line out.

use vouch::json::{MAX_NODE_REQUEST, node_line};

use crate::Failure;
use crate::cli::NodeArgs;

pub(crate) fn command(args: &NodeArgs) -> Result<(), Failure> {
    crate::lines::serve_observed(
        args.request.as_deref(),
        MAX_NODE_REQUEST,
        node_line,
        args.metrics.as_deref(),
    )
}
