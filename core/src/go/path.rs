//! Go's `path.Clean`.

use alloc::string::String;
use alloc::vec::Vec;

/// Go's `path.Clean` (which `filepath.Clean` is on Unix): the shortest lexically equivalent
/// path, as containers/image cleans `dir:`, `oci:` and storage paths.
///
/// ```
/// assert_eq!(vouch::clean_path("/a/./b//c/../d/"), "/a/b/d");
/// assert_eq!(vouch::clean_path("../x/.."), "..");
/// ```
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return String::from(".");
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => alloc::format!("/{joined}"),
        (false, true) => String::from("."),
        (false, false) => joined,
    }
}
