//! Images named through a transport (`transport:reference`), and the policy scopes each one is
//! looked up under, as containers/image's transports compute them.

use alloc::string::String;
use core::fmt;

use super::docker::{DockerImage, DockerImageError, Namespace, Namespaces};
use super::storage::{self, StorageImage};
use super::transport::Transport;
use crate::go::path::clean_path;
use crate::reference::{Digest, DigestAlgorithm, Reference};

/// An image as a transport names it: what policy lookup and identity matching need.
///
/// Path transports (`dir`, `oci`, `oci-archive`, `sif`) name files. containers/image resolves
/// such paths against the file system (absolute, symlinks resolved); vouch does no I/O, so
/// the caller must pass the resolved absolute path, and a path that is not absolute and
/// clean is refused rather than guessed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    transport: Transport,
    inner: Inner,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Inner {
    /// `docker`, and `docker-daemon` by name: the docker rules.
    Docker(DockerImage),
    /// `docker-archive`, `tarball`, and `docker-daemon` by image ID: only the transport's `""`
    /// scope applies.
    Unscoped { docker: Option<Reference> },
    /// `dir`, `oci`, `oci-archive`, `sif`: a resolved path; `itself` when the path is also
    /// its own first namespace (`oci`, `oci-archive`).
    Path { path: String, itself: bool },
    /// `containers-storage`.
    Storage(StorageImage),
}

/// Why a transport refused a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageError {
    /// The transport name is not one containers/image registers.
    UnknownTransport(String),
    /// A docker reference was refused.
    Docker(DockerImageError),
    /// A path is not absolute (vouch cannot resolve relative paths).
    PathNotAbsolute(String),
    /// A path is not in its clean form (`.`/`..` elements, repeated or trailing `/`).
    PathNotClean {
        /// The path given.
        path: String,
        /// Its clean form.
        clean: String,
    },
    /// Any other refusal, with the transport's explanation.
    Invalid(String),
}

impl ImageError {
    /// The stable machine-readable class (`error_kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::UnknownTransport(_) => "unknown_transport",
            Self::Docker(DockerImageError::Reference(error)) => error.kind(),
            Self::Docker(DockerImageError::TagAndDigest) => "tag_and_digest",
            Self::Docker(_) => "invalid_reference",
            Self::PathNotAbsolute(_) => "path_not_absolute",
            Self::PathNotClean { .. } => "path_not_clean",
            Self::Invalid(_) => "invalid_reference",
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownTransport(name) => write!(f, "unknown transport {name:?}"),
            Self::Docker(error) => fmt::Display::fmt(error, f),
            Self::PathNotAbsolute(path) => write!(
                f,
                "path {path:?} is not absolute: pass the resolved absolute path"
            ),
            Self::PathNotClean { path, clean } => write!(
                f,
                "path {path:?} is not in clean form (resolve it first; lexically it is {clean:?})"
            ),
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

impl core::error::Error for ImageError {}

impl Image {
    /// Parses `reference` as the transport's `ParseReference` does (without the
    /// `transport:` prefix; for `docker` a leading `//` is optional). A transport named by a
    /// string is parsed with [`str::parse`] (`"docker".parse::<Transport>()`).
    pub fn parse(transport: Transport, reference: &str) -> Result<Self, ImageError> {
        let inner = match transport {
            Transport::Docker => {
                Inner::Docker(DockerImage::parse(reference).map_err(ImageError::Docker)?)
            }
            Transport::DockerDaemon => daemon(reference)?,
            Transport::DockerArchive => docker_archive(reference)?,
            Transport::Tarball => tarball(reference)?,
            Transport::Dir | Transport::Sif => Inner::Path {
                path: resolved_path(reference)?,
                itself: false,
            },
            Transport::Oci => oci(reference, true)?,
            Transport::OciArchive => oci(reference, false)?,
            Transport::ContainersStorage => {
                Inner::Storage(storage::parse(reference).map_err(ImageError::Invalid)?)
            }
        };
        Ok(Self { transport, inner })
    }

    /// Parses `transport:reference`.
    pub fn parse_qualified(text: &str) -> Result<Self, ImageError> {
        match text.split_once(':') {
            Some((transport, reference)) => Self::parse(transport.parse()?, reference),
            None => Err(ImageError::Invalid(alloc::format!(
                "{text:?} has no transport: prefix"
            ))),
        }
    }

    /// The transport.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The most specific policy scope (`PolicyConfigurationIdentity`); `""` for images that
    /// only the transport's default scope can apply to.
    pub fn policy_identity(&self) -> &str {
        match &self.inner {
            Inner::Docker(image) => image.policy_identity(),
            Inner::Unscoped { .. } => "",
            Inner::Path { path, .. } => path,
            Inner::Storage(image) => image.policy_identity(),
        }
    }

    /// The less specific scopes, most specific first (`PolicyConfigurationNamespaces`).
    pub fn namespaces(&self) -> ImageNamespaces<'_> {
        ImageNamespaces {
            inner: match &self.inner {
                Inner::Docker(image) => NamespacesInner::Docker(image.namespaces()),
                Inner::Unscoped { .. } => NamespacesInner::None,
                Inner::Path { path, itself } => NamespacesInner::Path {
                    path,
                    next: if *itself && path != "/" {
                        Some(path.len())
                    } else {
                        parent(path)
                    },
                },
                Inner::Storage(image) => NamespacesInner::List(image.namespaces().iter()),
            },
        }
    }

    /// The image's own docker reference, which `signedIdentity` rules compare signatures with;
    /// `None` for images that have none (paths, image IDs, tarballs).
    pub fn docker_reference(&self) -> Option<&Reference> {
        match &self.inner {
            Inner::Docker(image) => Some(image.reference()),
            Inner::Unscoped { docker } => docker.as_ref(),
            Inner::Path { .. } => None,
            Inner::Storage(image) => image.docker_reference(),
        }
    }
}

/// The iterator of [`Image::namespaces`].
#[derive(Clone, Debug)]
pub struct ImageNamespaces<'a> {
    inner: NamespacesInner<'a>,
}

#[derive(Clone, Debug)]
enum NamespacesInner<'a> {
    None,
    Docker(Namespaces<'a>),
    /// The prefix of `path` of length `next`, then its parents (never `/`).
    Path {
        path: &'a str,
        next: Option<usize>,
    },
    List(core::slice::Iter<'a, String>),
}

/// The length of the parent directory of `path`, unless that parent is `/`.
fn parent(path: &str) -> Option<usize> {
    match path.rfind('/') {
        Some(slash) if slash > 0 => Some(slash),
        _ => None,
    }
}

impl<'a> Iterator for ImageNamespaces<'a> {
    type Item = Namespace<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            NamespacesInner::None => None,
            NamespacesInner::Docker(namespaces) => namespaces.next(),
            NamespacesInner::Path { path, next } => {
                let len = (*next)?;
                let prefix = &path[..len];
                *next = parent(prefix);
                Some(Namespace::Exact(prefix))
            }
            NamespacesInner::List(list) => list.next().map(|s| Namespace::Exact(s)),
        }
    }
}

/// The path a path transport names: absolute and clean, as the caller resolved it.
fn resolved_path(path: &str) -> Result<String, ImageError> {
    if !path.starts_with('/') {
        return Err(ImageError::PathNotAbsolute(path.into()));
    }
    let clean = clean_path(path);
    if clean != path {
        return Err(ImageError::PathNotClean {
            path: path.into(),
            clean,
        });
    }
    Ok(clean)
}

/// `oci:path[:image]` (also `path:@index`) and `oci-archive:path[:image]`: the path is cut at
/// its first colon; the scope is the path alone.
fn oci(reference: &str, indexes: bool) -> Result<Inner, ImageError> {
    let (path, image) = reference.split_once(':').unwrap_or((reference, ""));
    let index = if indexes {
        image.strip_prefix('@')
    } else {
        None
    };
    if let Some(index) = index {
        source_index(index).map_err(|e| {
            ImageError::Invalid(alloc::format!("Invalid source index @{index}: {e}"))
        })?;
    }
    let path = resolved_path(path)?;
    if index.is_none() && !image.is_empty() && !valid_oci_image_name(image) {
        return Err(ImageError::Invalid(alloc::format!("Invalid image {image}")));
    }
    Ok(Inner::Path { path, itself: true })
}

/// `@N` after a path: Go's `strconv.Atoi`, and not negative. The error says which.
fn source_index(text: &str) -> Result<u64, &'static str> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    let value = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<u64>().ok().filter(|&v| v <= i64::MAX as u64)
    } else {
        None
    };
    match value {
        Some(0) => Ok(0),
        Some(v) if !negative => Ok(v),
        Some(_) => Err("must not be negative"),
        None => Err("not an integer"),
    }
}

/// The OCI `org.opencontainers.image.ref.name` grammar: `/`-separated components of
/// alphanumeric runs joined by one of `-._:@+` or by `--`.
fn valid_oci_image_name(image: &str) -> bool {
    image.split('/').all(|component| {
        let bytes = component.as_bytes();
        if !bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            || !bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        {
            return false;
        }
        bytes
            .split(u8::is_ascii_alphanumeric)
            .filter(|separator| !separator.is_empty())
            .all(|separator| matches!(separator, [b'-' | b'.' | b'_' | b':' | b'@' | b'+'] | b"--"))
    })
}

/// `docker-daemon:`: a docker reference (tag or digest, `latest` added) or an image ID.
fn daemon(reference: &str) -> Result<Inner, ImageError> {
    if let Ok(digest) = Digest::parse(reference) {
        if digest.algorithm() != DigestAlgorithm::Sha256 {
            return Err(ImageError::Invalid(alloc::format!(
                "Invalid docker-daemon: reference {reference}: only digest algorithm sha256 accepted"
            )));
        }
        return Ok(Inner::Unscoped { docker: None });
    }
    let image = DockerImage::parse_daemon(reference).map_err(ImageError::Docker)?;
    Ok(Inner::Docker(image))
}

/// `docker-archive:path[:reference]` or `path:@index`: only the transport's `""` scope
/// applies; the reference, when given, is the image's identity for signatures.
fn docker_archive(reference: &str) -> Result<Inner, ImageError> {
    if reference.is_empty() {
        return Err(ImageError::Invalid(String::from(
            "docker-archive reference  isn't of the form <path>[:<reference>]",
        )));
    }
    let Some((_path, named)) = reference.split_once(':') else {
        return Ok(Inner::Unscoped { docker: None });
    };
    if let Some(index) = named.strip_prefix('@') {
        source_index(index).map_err(|e| {
            ImageError::Invalid(alloc::format!("Invalid source index @{index}: {e}"))
        })?;
        return Ok(Inner::Unscoped { docker: None });
    }
    let parsed = Reference::parse_normalized(named)
        .map_err(|e| ImageError::Invalid(alloc::format!("docker-archive parsing reference: {e}")))?
        .with_default_tag();
    if parsed.tag().is_none() {
        return Err(ImageError::Invalid(alloc::format!(
            "reference does not include a tag: {}",
            parsed.as_str()
        )));
    }
    if parsed.digest().is_some() {
        return Err(ImageError::Invalid(alloc::format!(
            "docker-archive doesn't support digest references: {}",
            parsed.as_str()
        )));
    }
    Ok(Inner::Unscoped {
        docker: Some(parsed),
    })
}

/// `tarball:file[:file…]`: only the transport's `""` scope applies. containers/image opens
/// every file here; vouch can only refuse names that cannot be files (empty ones).
fn tarball(reference: &str) -> Result<Inner, ImageError> {
    if reference.split(':').any(str::is_empty) {
        return Err(ImageError::Invalid(alloc::format!(
            "tarball reference {reference:?} has an empty file name"
        )));
    }
    Ok(Inner::Unscoped { docker: None })
}
