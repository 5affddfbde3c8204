//! The files a policy names, and their bytes as the caller hands them in.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::model::{KeySource, PathOrData, Policy, Requirement, SigstoreTrust};

/// The bytes of files a policy names, keyed by the path as the policy writes it. A path that
/// is absent behaves as a file that does not exist.
pub type Files = BTreeMap<String, Vec<u8>>;

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

pub(crate) fn requirement_paths<'p>(requirement: &'p Requirement, out: &mut Vec<&'p str>) {
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
        _ => {}
    }
}
