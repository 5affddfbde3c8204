//! The files a policy names, and their bytes as the caller hands them in.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::model::{KeySource, PathOrData, Policy, Requirement, SigstoreTrust};

/// The files a policy names, as the caller read them, keyed by the path as the policy writes
/// it: their bytes, or why they could not be read. A path that is absent behaves as a file
/// that does not exist. containers/image reads these files when it evaluates; a file that is
/// missing or unreadable makes the requirements that name it refuse every signature, each
/// with its own reason (`key_file_missing`, `key_file_unreadable`).
///
/// ```
/// use vouch::{FileLookup, Files};
///
/// let mut files = Files::new();
/// files.insert("/etc/pki/cosign.pub", b"-----BEGIN PUBLIC KEY-----...".to_vec());
/// files.insert_unreadable("/etc/pki/other.pub", "permission denied");
/// assert!(matches!(files.lookup("/etc/pki/cosign.pub"), FileLookup::Read(_)));
/// assert!(matches!(files.lookup("/etc/pki/other.pub"), FileLookup::Unreadable(_)));
/// assert!(matches!(files.lookup("/etc/pki/absent.pub"), FileLookup::Missing));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    entries: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Read(Vec<u8>),
    Unreadable(String),
}

/// What the caller found at a path (see [`Files::lookup`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileLookup<'a> {
    /// The file's bytes.
    Read(&'a [u8]),
    /// The file exists but could not be read; why, for a person (the system's words:
    /// "permission denied", "is a directory", ...).
    Unreadable(&'a str),
    /// The file was not provided: it does not exist.
    Missing,
}

impl Files {
    /// No files: every path behaves as a file that does not exist.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the bytes of the file at `path` (replacing anything recorded for it).
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.entries.insert(path.into(), Entry::Read(bytes.into()));
    }

    /// Records that the file at `path` exists but could not be read, and why.
    pub fn insert_unreadable(&mut self, path: impl Into<String>, why: impl Into<String>) {
        self.entries
            .insert(path.into(), Entry::Unreadable(why.into()));
    }

    /// What was recorded for `path`.
    pub fn lookup(&self, path: &str) -> FileLookup<'_> {
        match self.entries.get(path) {
            Some(Entry::Read(bytes)) => FileLookup::Read(bytes),
            Some(Entry::Unreadable(why)) => FileLookup::Unreadable(why),
            None => FileLookup::Missing,
        }
    }

    /// The bytes of the file at `path`, if it was read.
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        match self.lookup(path) {
            FileLookup::Read(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether anything was recorded for `path` (its bytes, or that it is unreadable).
    pub fn contains(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// The recorded paths, sorted, each with what was found there.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FileLookup<'_>)> {
        self.entries.iter().map(|(path, entry)| {
            let found = match entry {
                Entry::Read(bytes) => FileLookup::Read(bytes),
                Entry::Unreadable(why) => FileLookup::Unreadable(why),
            };
            (path.as_str(), found)
        })
    }

    /// How many paths are recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no path is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<P: Into<String>, B: Into<Vec<u8>>> FromIterator<(P, B)> for Files {
    fn from_iter<I: IntoIterator<Item = (P, B)>>(iter: I) -> Self {
        let mut files = Self::new();
        files.extend(iter);
        files
    }
}

impl<P: Into<String>, B: Into<Vec<u8>>> Extend<(P, B)> for Files {
    fn extend<I: IntoIterator<Item = (P, B)>>(&mut self, iter: I) {
        for (path, bytes) in iter {
            self.insert(path, bytes);
        }
    }
}

impl Policy {
    /// Every file the policy names (`keyPath`, `keyPaths`, `rekorPublicKeyPath`, `caPath`, ...),
    /// sorted and without repeats. Pass their bytes to [`Evaluator::compile`].
    pub fn files_needed(&self) -> Vec<&str> {
        let mut paths = Vec::new();
        let lists = core::iter::once(&self.default)
            .chain(self.transports.values().flat_map(|scopes| scopes.values()));
        for requirement in lists.flatten() {
            requirement_paths(requirement, &mut paths);
        }
        paths.sort_unstable();
        paths.dedup();
        paths
    }
}

fn key_source_paths<'p>(source: &'p KeySource, out: &mut Vec<&'p str>) {
    match source {
        KeySource::Path(path) => out.push(path),
        KeySource::Paths(paths) => out.extend(paths.iter().map(String::as_str)),
        KeySource::Data(_) | KeySource::Datas(_) => {}
    }
}

fn path_or_data_path<'p>(source: &'p PathOrData, out: &mut Vec<&'p str>) {
    if let PathOrData::Path(path) = source {
        out.push(path);
    }
}

fn requirement_paths<'p>(requirement: &'p Requirement, out: &mut Vec<&'p str>) {
    match requirement {
        Requirement::SignedBy(signed_by) => key_source_paths(&signed_by.keys, out),
        Requirement::SigstoreSigned(sigstore) => {
            match &sigstore.trust {
                SigstoreTrust::Keys(keys) => key_source_paths(keys, out),
                SigstoreTrust::Fulcio(fulcio) => path_or_data_path(&fulcio.ca, out),
                SigstoreTrust::Pki(pki) => {
                    path_or_data_path(&pki.ca_roots, out);
                    if let Some(intermediates) = &pki.ca_intermediates {
                        path_or_data_path(intermediates, out);
                    }
                }
            }
            if let Some(rekor) = &sigstore.rekor {
                key_source_paths(rekor, out);
            }
        }
        Requirement::SigstoreBundle(bundle) => {
            path_or_data_path(&bundle.trusted_root, out);
            if let super::model::BundleSigner::Key(key) = &bundle.signer {
                path_or_data_path(key, out);
            }
        }
        _ => {}
    }
}
