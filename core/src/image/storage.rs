//! `containers-storage:` references: `[driver@graphroot+runroot:options]name[:tag][@digest][@id]`
//! and the policy scopes they are looked up under.
//!
//! containers/image opens the store to fill in what the reference leaves out (the driver, the
//! graph root) and to expand truncated image IDs. vouch does no I/O: a reference without a
//! store specification uses [`DEFAULT_STORAGE_DRIVER`] and [`DEFAULT_STORAGE_ROOT`] (the
//! defaults of a rootful Podman or CRI-O), and image IDs must be given in full.

use alloc::string::String;
use alloc::vec::Vec;

use super::transport::is_image_id;
use crate::go::path::clean_path;
use crate::reference::{Digest, Reference};

/// The graph driver assumed when a reference names none.
pub(crate) const DEFAULT_STORAGE_DRIVER: &str = "overlay";
/// The graph root assumed when a reference names none.
pub(crate) const DEFAULT_STORAGE_ROOT: &str = "/var/lib/containers/storage";

/// A parsed `containers-storage:` reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StorageImage {
    identity: String,
    namespaces: Vec<String>,
    named: Option<Reference>,
}

impl StorageImage {
    pub(crate) fn policy_identity(&self) -> &str {
        &self.identity
    }

    pub(crate) fn namespaces(&self) -> &[String] {
        &self.namespaces
    }

    pub(crate) fn docker_reference(&self) -> Option<&Reference> {
        self.named.as_ref()
    }
}

fn invalid(what: &str) -> String {
    alloc::format!("{what}: invalid reference")
}

/// Parses a reference as `storage.Transport.ParseReference` does, with the store's driver
/// and graph root taken from the reference or the defaults.
pub(crate) fn parse(reference: &str) -> Result<StorageImage, String> {
    let mut driver = DEFAULT_STORAGE_DRIVER;
    let mut root = String::from(DEFAULT_STORAGE_ROOT);
    let mut rest = reference;
    if rest.starts_with('[') {
        let close = match rest.find(']') {
            Some(close) if close >= 1 => close,
            _ => return Err(invalid("the store specification does not end")),
        };
        let spec = &rest[1..close];
        rest = &rest[close + 1..];
        let graph = match spec.split_once('@') {
            None if spec.is_empty() => return Err(invalid("empty store specification")),
            None => spec,
            Some(("", _)) => return Err(invalid("empty driver name")),
            Some((_, "")) => return Err(invalid("empty store path")),
            Some((d, g)) => {
                driver = d;
                g
            }
        };
        // Driver options are the driver's business and never part of a scope; vouch does
        // not validate them.
        let graph = graph.split_once(':').map_or(graph, |(g, _options)| g);
        let (graph, run_root) = graph.split_once('+').unwrap_or((graph, ""));
        if !run_root.is_empty() && !run_root.starts_with('/') {
            return Err(String::from("path name is not absolute"));
        }
        if !graph.is_empty() {
            if !graph.starts_with('/') {
                return Err(String::from("path name is not absolute"));
            }
            root = clean_path(graph);
        }
        driver = match driver {
            // The name the loaded driver reports.
            "overlay" | "overlay2" => "overlay",
            "vfs" | "btrfs" | "zfs" => driver,
            other => {
                return Err(alloc::format!(
                    "failed to GetDriver graph {other} {root}: driver not supported"
                ));
            }
        };
    }
    if rest.is_empty() {
        return Err(alloc::format!(
            "{rest:?} is an empty reference: invalid reference"
        ));
    }
    if rest.starts_with('[') {
        // A second store specification is skipped.
        match rest.find(']') {
            Some(close) if close >= 1 => rest = &rest[close + 1..],
            _ => {
                return Err(alloc::format!(
                    "store specifier in {rest:?} did not end: invalid reference"
                ));
            }
        }
    }
    let mut id = None;
    if let Some(at) = rest.rfind('@') {
        let possible = &rest[at + 1..];
        if possible.is_empty() {
            return Err(invalid("empty trailing digest or ID"));
        }
        if Digest::parse(possible).is_err() {
            if !is_image_id(possible) {
                return Err(alloc::format!(
                    "{possible:?} does not look like an image ID or digest (vouch does not \
                     expand truncated IDs: give the full 64-character ID): invalid reference"
                ));
            }
            id = Some(possible);
            rest = &rest[..at];
        }
    }
    let named = if rest.is_empty() {
        None
    } else {
        let named = Reference::parse_normalized(rest)
            .map_err(|e| alloc::format!("parsing named reference {rest:?}: {e}"))?;
        Some(named.with_default_tag())
    };
    if named.is_none() && id.is_none() {
        return Err(invalid("no name and no image ID"));
    }
    let store = alloc::format!("[{driver}@{root}]");
    let mut identity = store.clone();
    if let Some(named) = &named {
        identity.push_str(named.as_str());
    }
    if let Some(id) = id {
        identity.push('@');
        identity.push_str(id);
    }
    let mut namespaces = Vec::new();
    if let Some(named) = &named {
        if id.is_some() {
            namespaces.push(alloc::format!("{store}{}", named.as_str()));
        }
        if let (Some(tag), Some(_)) = (named.tag(), named.digest()) {
            namespaces.push(alloc::format!("{store}{}:{tag}", named.name()));
        }
        let mut name = named.name();
        loop {
            namespaces.push(alloc::format!("{store}{name}"));
            match name.rfind('/') {
                Some(slash) => name = &name[..slash],
                None => break,
            }
        }
    }
    namespaces.push(store);
    namespaces.push(alloc::format!("[{root}]"));
    Ok(StorageImage {
        identity,
        namespaces,
        named,
    })
}
