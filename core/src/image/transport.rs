//! Transports as containers/image registers them, and their policy-scope validation.

use alloc::string::String;
use alloc::vec::Vec;

use crate::go::path::clean_path;
use crate::reference::Digest;

/// A transport that containers/image (Debian's 5.34.2 build) registers. Policy scopes under
/// other transport names are accepted unvalidated and never match, as upstream does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transport {
    /// `docker`: a registry.
    Docker,
    /// `docker-daemon`.
    DockerDaemon,
    /// `docker-archive`.
    DockerArchive,
    /// `containers-storage`.
    ContainersStorage,
    /// `dir`.
    Dir,
    /// `oci`.
    Oci,
    /// `oci-archive`.
    OciArchive,
    /// `sif`.
    Sif,
    /// `tarball`.
    Tarball,
}

impl Transport {
    /// Every registered transport.
    pub const ALL: [Self; 9] = [
        Self::Docker,
        Self::DockerDaemon,
        Self::DockerArchive,
        Self::ContainersStorage,
        Self::Dir,
        Self::Oci,
        Self::OciArchive,
        Self::Sif,
        Self::Tarball,
    ];

    /// The transport's name, as in `transports` and `transport:reference`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Docker => "docker",
            Self::DockerDaemon => "docker-daemon",
            Self::DockerArchive => "docker-archive",
            Self::ContainersStorage => "containers-storage",
            Self::Dir => "dir",
            Self::Oci => "oci",
            Self::OciArchive => "oci-archive",
            Self::Sif => "sif",
            Self::Tarball => "tarball",
        }
    }

    /// The registered transport of that name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// `ValidatePolicyConfigurationScope` for a non-empty scope.
    pub(crate) fn validate_scope(self, scope: &str) -> Result<(), String> {
        match self {
            Self::Docker => Ok(()),
            Self::DockerDaemon => match Digest::parse(scope) {
                Ok(_) => Err(alloc::format!(
                    "docker-daemon: can not use algo:digest value {scope} as a namespace"
                )),
                Err(_) => Ok(()),
            },
            Self::DockerArchive | Self::Tarball => Err(alloc::format!(
                "{}: does not support any scopes except the default \"\" one",
                self.name()
            )),
            Self::Dir | Self::Oci | Self::OciArchive | Self::Sif => validate_path_scope(scope),
            Self::ContainersStorage => validate_storage_scope(scope),
        }
    }
}

impl core::str::FromStr for Transport {
    type Err = super::ImageError;

    /// A transport by the name containers-transports(5) gives it (`docker`, `dir`, ...).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::from_name(name).ok_or_else(|| super::ImageError::UnknownTransport(name.into()))
    }
}

fn validate_path_scope(scope: &str) -> Result<(), String> {
    if !scope.starts_with('/') {
        return Err(alloc::format!(
            "Invalid scope {scope}: Must be an absolute path"
        ));
    }
    if scope == "/" {
        return Err(String::from(
            "Invalid scope \"/\": Use the generic default scope \"\"",
        ));
    }
    let cleaned = clean_path(scope);
    if cleaned != scope {
        return Err(alloc::format!(
            "Invalid scope {scope}: Uses non-canonical format, perhaps try {cleaned}"
        ));
    }
    Ok(())
}

/// containers-storage scopes: `[driver@/graph/root]name[@digest-or-id]` and shorter forms.
fn validate_storage_scope(scope: &str) -> Result<(), String> {
    let invalid = || String::from("invalid reference");
    if !scope.starts_with('[') {
        return Err(invalid());
    }
    let close = match scope.find(']') {
        Some(close) if close >= 1 => close,
        _ => return Err(invalid()),
    };
    let store = &scope[1..close];
    let rest = &scope[close + 1..];
    let root = match store.split_once('@') {
        None if !store.is_empty() => store,
        Some((driver, root)) if !driver.is_empty() && !root.is_empty() => root,
        _ => return Err(invalid()),
    };
    if !root.starts_with('/') {
        return Err(String::from("path is not absolute"));
    }
    if rest.is_empty() {
        return Ok(());
    }
    let fields: Vec<&str> = rest.splitn(3, '@').collect();
    match fields.as_slice() {
        [_] => Ok(()),
        [_, id_or_digest] => {
            if is_image_id(id_or_digest) || Digest::parse(id_or_digest).is_ok() {
                Ok(())
            } else {
                Err(alloc::format!(
                    "{id_or_digest} is neither a valid digest nor a valid ID"
                ))
            }
        }
        [_, digest, id] => {
            Digest::parse(digest).map_err(|e| alloc::format!("{e}"))?;
            if is_image_id(id) {
                Ok(())
            } else {
                Err(alloc::format!("image ID {id:?} is invalid"))
            }
        }
        _ => Err(invalid()),
    }
}

/// A containers/storage image ID: 64 lowercase hex characters.
pub(crate) fn is_image_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn go_path_clean() {
        for (input, cleaned) in [
            ("/a/b", "/a/b"),
            ("/a/b/", "/a/b"),
            ("/a//b", "/a/b"),
            ("/a/./b", "/a/b"),
            ("/a/../b", "/b"),
            ("/../a", "/a"),
            ("/", "/"),
            ("", "."),
            ("a/../..", ".."),
            ("./a", "a"),
        ] {
            assert_eq!(clean_path(input), cleaned, "{input}");
        }
    }

    #[test]
    fn scope_validation() {
        let id = "a".repeat(64);
        let digest = alloc::format!("sha256:{id}");
        assert!(Transport::Dir.validate_scope("/var/lib/images").is_ok());
        for bad in ["var", "/", "/a/", "/a/../b", "/a//b"] {
            assert!(Transport::Oci.validate_scope(bad).is_err(), "{bad}");
        }
        assert!(Transport::DockerDaemon.validate_scope(&digest).is_err());
        assert!(Transport::DockerDaemon.validate_scope("busybox").is_ok());
        assert!(Transport::Tarball.validate_scope("x").is_err());
        let storage = Transport::ContainersStorage;
        for ok in [
            "[/var/lib/containers]".to_string(),
            "[overlay@/var/lib/containers]busybox".into(),
            alloc::format!("[/r]busybox@{id}"),
            alloc::format!("[/r]busybox@{digest}"),
            alloc::format!("[/r]busybox:tag@{digest}@{id}"),
        ] {
            assert!(storage.validate_scope(&ok).is_ok(), "{ok}");
        }
        for bad in [
            "busybox",
            "[]",
            "[relative]",
            "[@/r]",
            "[d@]",
            "[/r]a@b",
            "]x[",
        ] {
            assert!(storage.validate_scope(bad).is_err(), "{bad}");
        }
    }
}
