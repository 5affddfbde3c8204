//! Linting a policy document: every error containers/image would refuse it for (not only the
//! first), and warnings about what it accepts but will make evaluations fail or never apply.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use super::error::{PolicyError, PolicyErrorKind as Kind};
use super::files::Files;
use super::model::{KeyType, Requirement};
use super::parse::{Decoder, MAX_POLICY_BYTES, child_path, index_path};
use crate::go::json::{self as gojson, Member, Node, Value};
use crate::image::Transport;
use crate::reference::{Reference, grammar_is_domain};

/// How serious a lint problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// containers/image refuses the whole document.
    Error,
    /// Accepted, but evaluations under it fail, or part of it never applies.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
    /// The JSON path of the value.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Problem {
    fn from_error(error: PolicyError) -> Self {
        Self {
            severity: Severity::Error,
            message: error.message().into(),
            path: error.path().into(),
            line: error.line(),
            column: error.column(),
        }
    }
}

/// Every problem in a policy document. There are no errors exactly when
/// [`Policy::parse`](super::Policy::parse) accepts it; `files` are the files the policy names
/// that exist (absent ones are warned about).
pub fn lint_policy(document: &[u8], files: &Files) -> Vec<Problem> {
    lint_policy_in(document, files, super::PolicyDialect::Vouch)
}

/// [`lint_policy`] in a dialect: no errors exactly when
/// [`Policy::parse_with`](super::Policy::parse_with) accepts the document.
pub fn lint_policy_in(
    document: &[u8],
    files: &Files,
    dialect: super::PolicyDialect,
) -> Vec<Problem> {
    let d = Decoder {
        input: document,
        dialect,
    };
    if document.len() > MAX_POLICY_BYTES {
        return alloc::vec![Problem::from_error(d.error(
            Kind::TooLarge,
            alloc::format!(
                "policy of {} bytes is larger than {MAX_POLICY_BYTES}",
                document.len()
            ),
            "$",
            0,
        ))];
    }
    let root = match gojson::parse(document) {
        Ok(root) => root,
        Err(e) => {
            return alloc::vec![Problem::from_error(d.error(
                Kind::Syntax,
                e.message,
                "$",
                e.offset
            ))];
        }
    };
    let mut linter = Linter {
        d,
        files,
        problems: Vec::new(),
    };
    linter.root(&root);
    linter.problems
}

struct Linter<'a> {
    d: Decoder<'a>,
    files: &'a Files,
    problems: Vec<Problem>,
}

impl Linter<'_> {
    fn error(&mut self, error: PolicyError) {
        self.problems.push(Problem::from_error(error));
    }

    fn warn(&mut self, message: String, path: &str, offset: usize) {
        let (line, column) = gojson::line_column(self.d.input, offset);
        self.problems.push(Problem {
            severity: Severity::Warning,
            message,
            path: path.into(),
            line,
            column,
        });
    }

    /// The members of an object, each duplicate reported; `None` when not an object.
    fn members<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n [Member]> {
        let members = match self.d.members(node, path) {
            Ok(members) => members,
            Err(e) => {
                self.error(e);
                return None;
            }
        };
        let mut seen = BTreeSet::new();
        for member in members {
            if !seen.insert(member.key.as_str()) {
                let error = self.d.error(
                    Kind::DuplicateKey,
                    alloc::format!("Duplicate key {:?}", member.key),
                    &child_path(path, &member.key),
                    member.key_start,
                );
                self.error(error);
            }
        }
        Some(members)
    }

    fn unknown_key(&mut self, member: &Member, path: &str) {
        let error = self.d.error(
            Kind::UnknownKey,
            alloc::format!("Unknown key {:?}", member.key),
            &child_path(path, &member.key),
            member.key_start,
        );
        self.error(error);
    }

    fn root(&mut self, root: &Node) {
        let Some(members) = self.members(root, "$") else {
            return;
        };
        if !members.iter().any(|m| m.key == "default") {
            let error = self.d.error(
                Kind::MissingDefault,
                "Default policy is missing".into(),
                "$",
                root.start,
            );
            self.error(error);
        }
        for member in members {
            let path = child_path("$", &member.key);
            match member.key.as_str() {
                "default" => {
                    if let Some(list) = self.list(&member.value, &path)
                        && matches!(list.as_slice(), [Requirement::InsecureAcceptAnything])
                    {
                        self.warn(
                            String::from(
                                "the default accepts every image that no scope matches; \
                                     consider [{\"type\": \"reject\"}] and explicit scopes",
                            ),
                            &path,
                            member.value.start,
                        );
                    }
                }
                "transports" => self.transports(&member.value, &path),
                _ => self.unknown_key(member, "$"),
            }
        }
    }

    fn transports(&mut self, node: &Node, path: &str) {
        let Some(members) = self.members(node, path) else {
            return;
        };
        for transport in members {
            let transport_path = child_path(path, &transport.key);
            let registered = Transport::from_name(&transport.key);
            if registered.is_none() {
                self.warn(
                    alloc::format!(
                        "transport {:?} is not one containers/image registers, so these scopes \
                         never apply (known: docker, docker-daemon, docker-archive, \
                         containers-storage, dir, oci, oci-archive, sif, tarball)",
                        transport.key
                    ),
                    &transport_path,
                    transport.key_start,
                );
            }
            let Some(scopes) = self.members(&transport.value, &transport_path) else {
                continue;
            };
            for scope in scopes {
                let scope_path = child_path(&transport_path, &scope.key);
                if let (Some(t), false) = (registered, scope.key.is_empty()) {
                    if t.validate_scope(&scope.key).is_err() {
                        self.unknown_key(scope, &transport_path);
                        continue;
                    }
                    if let Some(why) = never_matching_scope(t, &scope.key) {
                        self.warn(
                            alloc::format!("scope {:?} never matches an image: {why}", scope.key),
                            &scope_path,
                            scope.key_start,
                        );
                    }
                }
                self.list(&scope.value, &scope_path);
            }
        }
    }

    /// A requirement list: every requirement's errors, then warnings about valid ones.
    fn list(&mut self, node: &Node, path: &str) -> Option<Vec<Requirement>> {
        let items = match &node.value {
            Value::Array(items) => items.as_slice(),
            Value::Null => &[],
            _ => {
                let error = self.d.wrong_type(node, "list of requirements", path);
                self.error(error);
                return None;
            }
        };
        if items.is_empty() {
            // Reuse the decoder's message for the empty list.
            if let Err(error) = self.d.requirements(node, path) {
                self.error(error);
            }
            return None;
        }
        let mut list = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let item_path = index_path(path, i);
            match self.d.requirement(item, &item_path) {
                Ok(requirement) => {
                    self.requirement_warnings(&requirement, item, &item_path);
                    list.push(requirement);
                }
                Err(error) => {
                    ok = false;
                    self.error(error);
                }
            }
        }
        ok.then_some(list)
    }

    fn requirement_warnings(&mut self, requirement: &Requirement, node: &Node, path: &str) {
        match requirement {
            Requirement::SignedBaseLayer { .. } => self.warn(
                String::from(
                    "signedBaseLayer is not implemented by containers/image: it denies every image",
                ),
                path,
                node.start,
            ),
            Requirement::SignedBy(signed_by) if signed_by.key_type != KeyType::GpgKeys => self
                .warn(
                    alloc::format!(
                        "keyType {:?} is not implemented by containers/image: every signature \
                         is rejected (use GPGKeys)",
                        signed_by.key_type.name()
                    ),
                    path,
                    node.start,
                ),
            Requirement::SigstoreBundle(_) => self.warn(
                String::from(
                    "vouchSigstoreBundle is vouch's extension: containers/image (CRI-O, Podman, \
                     Skopeo) refuses this policy",
                ),
                path,
                node.start,
            ),
            Requirement::SigstoreSigned(sigstore) => {
                if let super::model::SigstoreTrust::Fulcio(fulcio) = &sigstore.trust
                    && !looks_like_url(&fulcio.oidc_issuer)
                {
                    self.warn(
                        alloc::format!(
                            "fulcio.oidcIssuer {:?} is not a URL: Fulcio records the OIDC \
                             issuer's URL in its certificates, so none can match",
                            fulcio.oidc_issuer
                        ),
                        path,
                        node.start,
                    );
                }
            }
            _ => {}
        }
        // Every file path the requirement names, wherever it stands.
        self.file_paths(node, path);
    }

    fn file_paths(&mut self, node: &Node, path: &str) {
        let Value::Object(members) = &node.value else {
            return;
        };
        for member in members {
            let member_path = child_path(path, &member.key);
            let is_path = member.key.ends_with("Path") || member.key.ends_with("Paths");
            match &member.value.value {
                Value::String(file) if is_path && !file.is_empty() => {
                    self.file(file, &member_path, member.value.start);
                }
                Value::Array(items) if is_path => {
                    for (i, item) in items.iter().enumerate() {
                        if let Value::String(file) = &item.value {
                            self.file(file, &index_path(&member_path, i), item.start);
                        }
                    }
                }
                Value::Object(_) => self.file_paths(&member.value, &member_path),
                _ => {}
            }
        }
    }

    fn file(&mut self, file: &str, path: &str, offset: usize) {
        let problem = match self.files.lookup(file) {
            super::files::FileLookup::Missing => alloc::format!(
                "file {file:?} does not exist: every signature checked against it is rejected"
            ),
            super::files::FileLookup::Unreadable(why) => alloc::format!(
                "file {file:?} cannot be read ({why}): every signature checked against it is rejected"
            ),
            _ => return,
        };
        self.warn(problem, path, offset);
    }
}

/// Whether `text` has the form of an absolute URL with a host (`scheme://host...`), as every
/// OIDC issuer Fulcio records has.
fn looks_like_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && rest
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty())
}

/// Why a scope that the transport accepts can never match an image, if it cannot.
fn never_matching_scope(transport: Transport, scope: &str) -> Option<&'static str> {
    if !matches!(transport, Transport::Docker | Transport::DockerDaemon) {
        return None;
    }
    if let Some(suffix) = scope.strip_prefix("*.") {
        return (!grammar_is_domain(suffix) || suffix.contains(':'))
            .then_some("a wildcard is `*.` followed by a domain without a port");
    }
    if grammar_is_domain(scope) {
        let host = scope.split(':').next().unwrap_or_default();
        if !host.contains('.') && host != "localhost" && !scope.contains(':') {
            return Some(
                "a single word is read as a registry host; to name an image write its full \
                 name, such as docker.io/library/busybox",
            );
        }
        return None;
    }
    match Reference::parse_named(scope, Default::default()) {
        Ok(reference) if reference.tag().is_some() && reference.digest().is_some() => {
            Some("references with both a tag and a digest are refused by the transport")
        }
        Ok(reference) if reference.as_str() != scope => Some("it is not in normalised form"),
        Ok(_) => None,
        Err(_) => Some(
            "it is not a fully qualified repository (registry/namespace/name), a registry or a \
             `*.` wildcard",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fulcio_issuer_that_is_not_a_url_is_warned_about() {
        let policy = |issuer: &str| {
            alloc::format!(
                r#"{{"default":[{{"type":"sigstoreSigned","rekorPublicKeyData":"eA==","fulcio":{{"caData":"eA==","oidcIssuer":"{issuer}","subjectEmail":"a@b"}}}}]}}"#
            )
        };
        let warned = |issuer: &str| {
            lint_policy(policy(issuer).as_bytes(), &Files::new())
                .iter()
                .any(|p| p.message.contains("is not a URL"))
        };
        assert!(warned("github"));
        assert!(warned("https://"));
        assert!(!warned("https://token.actions.githubusercontent.com"));
        assert!(!warned("https://accounts.google.com/o/oauth2"));
        assert!(looks_like_url("http://localhost:8080/x"));
    }
}
