//! `vouch eval`: JSON Lines requests in, decisions out.

use std::io::{self, BufWriter, Write};

use vouch::json::{
    DecisionAnswer, EvaluateRequest, MAX_EVALUATE_REQUEST, decision_json, evaluate_parsed,
    evaluate_request, evaluate_with,
};
use vouch::{CompileOptions, Evaluator, Files};

use crate::Failure;
use crate::cli::EvalArgs;
use crate::lines::read_bounded_line;

/// The last policy compiled, reused while requests carry the same policy and files (the
/// usual case for a script evaluating many images). The answer is the same either way.
struct Cache {
    policy: Vec<u8>,
    files: Files,
    dialect: vouch::PolicyDialect,
    evaluator: Evaluator,
}

pub(crate) fn command(args: &EvalArgs) -> Result<(), Failure> {
    let request_file = args.request.as_deref();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let source = crate::lines::request_source(request_file)?;
    let mut input = io::BufReader::with_capacity(1 << 20, source);
    let mut line = Vec::new();
    let mut cache: Option<Cache> = None;
    while read_bounded_line(&mut input, &mut line, MAX_EVALUATE_REQUEST + 1)? {
        let answer = match evaluate_request(&line) {
            Ok(request) => decide(&request, &mut cache),
            Err((id, error)) => DecisionAnswer::invalid_request(id, error),
        };
        out.write_all(decision_json(&answer).as_bytes())?;
        out.write_all(b"\n")?;
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    Ok(out.flush()?)
}

fn decide(request: &EvaluateRequest, cache: &mut Option<Cache>) -> DecisionAnswer {
    if let Some(cached) = cache
        && cached.policy == request.policy
        && cached.files == request.files
        && cached.dialect == request.policy_dialect
    {
        return evaluate_with(&cached.evaluator, request);
    }
    match request.parse_policy() {
        Ok(policy) => {
            let evaluator = Evaluator::compile(&policy, &request.files, &CompileOptions::default());
            let answer = evaluate_with(&evaluator, request);
            *cache = Some(Cache {
                policy: request.policy.clone(),
                files: request.files.clone(),
                dialect: request.policy_dialect,
                evaluator,
            });
            answer
        }
        Err(_) => evaluate_parsed(request),
    }
}
