//! The `docker` transport's image references and the policy scopes they are looked up under.

use alloc::string::String;
use core::fmt;

use crate::reference::{Reference, ReferenceError};

/// An image reference of the `docker` transport: normalised, with a tag or a digest but not
/// both (a name alone gets `latest`), as containers/image's `docker.ParseReference` makes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DockerImage {
    reference: Reference,
    /// The length of the registry host without its port (what wildcards are made from).
    host_len: usize,
}

/// The first component of the name, up to a `:`. (Not `domain()`: a name such as `a.b_c/x`
/// has no valid domain, yet containers/image makes wildcards from its first component.)
fn host_len(reference: &Reference) -> usize {
    let name = reference.name().as_bytes();
    name.iter()
        .position(|&b| b == b'/' || b == b':')
        .unwrap_or(name.len())
}

/// Why a `docker` transport reference was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DockerImageError {
    /// The text is not a valid reference.
    Reference(ReferenceError),
    /// The reference has both a tag and a digest, which the docker transport refuses.
    TagAndDigest,
    /// Another transport rule (the explanation).
    Other(String),
}

impl fmt::Display for DockerImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Reference(error) => fmt::Display::fmt(error, f),
            Self::TagAndDigest => f.write_str(
                "Docker references with both a tag and digest are currently not supported",
            ),
            Self::Other(message) => f.write_str(message),
        }
    }
}

impl core::error::Error for DockerImageError {}

impl DockerImage {
    /// Parses `[//]reference` as the `docker:` transport does.
    pub fn parse(s: &str) -> Result<Self, DockerImageError> {
        let s = s.strip_prefix("//").unwrap_or(s);
        let reference = Reference::parse_normalized(s).map_err(DockerImageError::Reference)?;
        if reference.tag().is_some() && reference.digest().is_some() {
            return Err(DockerImageError::TagAndDigest);
        }
        let reference = reference.with_default_tag();
        Ok(Self {
            host_len: host_len(&reference),
            reference,
        })
    }

    /// Parses a `docker-daemon:` named reference: a tag or a digest is required (a name alone
    /// is refused, not given `latest`), and the repository name `sha256` is reserved.
    pub(crate) fn parse_daemon(s: &str) -> Result<Self, DockerImageError> {
        let reference = Reference::parse_normalized(s).map_err(DockerImageError::Reference)?;
        if reference.familiar_name() == "sha256" {
            return Err(DockerImageError::Other(alloc::format!(
                "Invalid docker-daemon: reference {s}: The sha256 repository name is reserved for (non-shortened) digest references"
            )));
        }
        if reference.is_name_only() {
            return Err(DockerImageError::Other(alloc::format!(
                "docker-daemon: reference {} has neither a tag nor a digest",
                reference.familiar_string()
            )));
        }
        if reference.tag().is_some() && reference.digest().is_some() {
            return Err(DockerImageError::Other(String::from(
                "docker-daemon: references with both a tag and digest are currently not supported",
            )));
        }
        Ok(Self {
            host_len: host_len(&reference),
            reference,
        })
    }

    /// The reference (tagged or digested).
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// The most specific policy scope: `name:tag` or `name@digest`
    /// (`PolicyConfigurationIdentity`).
    pub fn policy_identity(&self) -> &str {
        self.reference.as_str()
    }

    /// The less specific scopes, most specific first (`PolicyConfigurationNamespaces`): the
    /// name, each parent namespace, the host with its port, then `*.` wildcards of the host
    /// without its port.
    pub fn namespaces(&self) -> Namespaces<'_> {
        let name = self.reference.name();
        Namespaces {
            name,
            host: &name[..self.host_len],
            next: Some(NamespaceStep::Path(name.len())),
        }
    }
}

/// One scope a docker image is looked up under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Namespace<'a> {
    /// A scope spelled exactly like this.
    Exact(&'a str),
    /// The scope `*.` followed by this suffix.
    Wildcard(&'a str),
}

impl fmt::Display for Namespace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(scope) => f.write_str(scope),
            Self::Wildcard(suffix) => write!(f, "*.{suffix}"),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum NamespaceStep {
    /// The prefix of the name of this length.
    Path(usize),
    /// A wildcard for the host (port removed) from this offset.
    Wildcard(usize),
}

/// The iterator of [`DockerImage::namespaces`]; it allocates nothing.
#[derive(Clone, Debug)]
pub struct Namespaces<'a> {
    name: &'a str,
    /// The registry host without its port, for the wildcards.
    host: &'a str,
    next: Option<NamespaceStep>,
}

impl<'a> Iterator for Namespaces<'a> {
    type Item = Namespace<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next? {
                NamespaceStep::Path(len) => {
                    let prefix = &self.name[..len];
                    self.next = Some(match prefix.as_bytes().iter().rposition(|&b| b == b'/') {
                        Some(slash) => NamespaceStep::Path(slash),
                        None => NamespaceStep::Wildcard(0),
                    });
                    return Some(Namespace::Exact(prefix));
                }
                NamespaceStep::Wildcard(from) => {
                    let rest = &self.host.as_bytes()[from..];
                    match rest.iter().position(|&b| b == b'.') {
                        Some(dot) => {
                            let start = from + dot + 1;
                            self.next = Some(NamespaceStep::Wildcard(start));
                            return Some(Namespace::Wildcard(&self.host[start..]));
                        }
                        None => {
                            self.next = None;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    fn scopes(s: &str) -> (String, Vec<String>) {
        let image = DockerImage::parse(s).unwrap();
        (
            image.policy_identity().into(),
            image.namespaces().map(|n| n.to_string()).collect(),
        )
    }

    #[test]
    fn lookup_sequences() {
        assert_eq!(
            scopes("registry.example.com:5000/ns/app:1.0"),
            (
                "registry.example.com:5000/ns/app:1.0".into(),
                [
                    "registry.example.com:5000/ns/app",
                    "registry.example.com:5000/ns",
                    "registry.example.com:5000",
                    "*.example.com",
                    "*.com"
                ]
                .map(String::from)
                .to_vec()
            )
        );
        assert_eq!(scopes("//busybox").0, "docker.io/library/busybox:latest");
        assert_eq!(
            scopes("localhost:5000/a:1").1,
            ["localhost:5000/a", "localhost:5000"]
                .map(String::from)
                .to_vec()
        );
        assert_eq!(
            scopes("10.1.2.3:5000/x:1").1,
            [
                "10.1.2.3:5000/x",
                "10.1.2.3:5000",
                "*.1.2.3",
                "*.2.3",
                "*.3"
            ]
            .map(String::from)
            .to_vec()
        );
        let both = alloc::format!("busybox:t@sha256:{}", "a".repeat(64));
        assert_eq!(
            DockerImage::parse(&both),
            Err(DockerImageError::TagAndDigest)
        );
    }
}
