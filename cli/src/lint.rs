//! `vouch lint`: every problem in policy files, with line and column.

use std::io::{self, Write};

use vouch::{CompileOptions, Evaluator, Files, PolicyDialect, Reason, Severity, lint_policy_in};

use crate::Failure;

pub(crate) fn command(args: &[String], strict: bool) -> Result<u8, Failure> {
    let dialect = if strict {
        PolicyDialect::ContainersImage
    } else {
        PolicyDialect::Vouch
    };
    let out = io::stdout();
    let mut out = out.lock();
    let mut status = 0;
    for path in args {
        let document = std::fs::read(path)
            .map_err(|e| Failure::Io(io::Error::new(e.kind(), format!("{path}: {e}"))))?;
        // The files the policy names, as containers/image would read them at evaluation.
        let mut files = Files::new();
        if let Ok(policy) = vouch::Policy::parse_with(&document, dialect) {
            for needed in policy.files_needed() {
                match crate::paths::read_policy_file(needed) {
                    crate::paths::Found::Read(bytes) => files.insert(needed, bytes),
                    crate::paths::Found::Unreadable(why) => files.insert_unreadable(needed, why),
                    crate::paths::Found::Missing => {}
                }
            }
        }
        let problems = lint_policy_in(&document, &files, dialect);
        let errors = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        let mut warnings = problems.len() - errors;
        for problem in &problems {
            writeln!(
                out,
                "{path}:{}:{}: {}: {} [{}]",
                problem.line,
                problem.column,
                problem.severity.name(),
                problem.message,
                problem.path
            )?;
        }
        // What compiling finds beyond the document: key files, Rekor keys and certificate
        // files that do not load (missing and unreadable files are reported above).
        if errors == 0
            && let Ok(policy) = vouch::Policy::parse_with(&document, dialect)
        {
            let evaluator = Evaluator::compile(&policy, &files, &CompileOptions::default());
            for problem in evaluator.problems() {
                if matches!(
                    problem.reason,
                    Reason::KeyFileMissing(_) | Reason::KeyFileUnreadable { .. }
                ) {
                    continue;
                }
                warnings += 1;
                writeln!(
                    out,
                    "{path}: warning: {} requirement {} ({}): every signature is rejected: {} [{}]",
                    problem.scope,
                    problem.requirement + 1,
                    problem.requirement_type,
                    problem.reason,
                    problem.reason.code()
                )?;
            }
        }
        writeln!(out, "{path}: {errors} errors, {warnings} warnings")?;
        if errors > 0 {
            status = 3;
        }
    }
    Ok(status)
}
