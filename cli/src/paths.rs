//! Files as containers/image finds them: the default policy file, paths resolved as its
//! transports resolve them, and reading with errors that say what could not be read and why.

use std::io;
use std::os::unix::fs::MetadataExt;

use crate::Failure;

/// Reads `path`, a `what` ("the policy", "the manifest", ...). A file that does not exist and
/// one that cannot be read (permission denied, a directory, ...) are told apart.
pub(crate) fn read(what: &str, path: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|error| unreadable(what, path, &error))
}

/// What reading a file the policy names found.
pub(crate) enum Found {
    Read(Vec<u8>),
    /// It exists but cannot be read: the system's words.
    Unreadable(String),
    Missing,
}

/// Reads a file the policy names (a key, a certificate), as containers/image reads it when it
/// evaluates: a file that does not exist and one that cannot be read are told apart.
pub(crate) fn read_policy_file(path: &str) -> Found {
    match std::fs::read(path) {
        Ok(bytes) => Found::Read(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Found::Missing,
        Err(error) => Found::Unreadable(io_words(&error)),
    }
}

/// An I/O error as a person reads it, without Rust's "(os error 13)".
pub(crate) fn io_words(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_lowercase(),
        None => text,
    }
}

pub(crate) fn unreadable(what: &str, path: &str, error: &io::Error) -> Failure {
    let message = if error.kind() == io::ErrorKind::NotFound {
        format!("{what} {path} does not exist ({error})")
    } else {
        format!("{what} {path} is unreadable: {error}")
    };
    Failure::message(error.kind(), message)
}

/// Where the policy came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PolicySource {
    /// `--policy`.
    Given,
    /// `$HOME/.config/containers/policy.json`, which exists.
    User,
    /// `/etc/containers/policy.json`; the user file (named) does not exist.
    System { user_path: String },
}

/// The system policy (containers/image's `builtinDefaultPolicyPath` on Linux).
pub(crate) const SYSTEM_POLICY: &str = "/etc/containers/policy.json";

/// The policy file as containers/image 5.34 chooses it (`signature.defaultPolicyPath`): the
/// one given; else `$HOME/.config/containers/policy.json` when it exists (symbolic links
/// followed); else `/etc/containers/policy.json` when it exists; else an error naming both.
pub(crate) fn policy_path(given: Option<&str>) -> Result<(String, PolicySource), Failure> {
    if let Some(path) = given {
        return Ok((path.to_string(), PolicySource::Given));
    }
    let user_path = go_join(&home_dir(), ".config/containers/policy.json");
    if std::fs::metadata(&user_path).is_ok() {
        return Ok((user_path, PolicySource::User));
    }
    if std::fs::metadata(SYSTEM_POLICY).is_ok() {
        return Ok((
            SYSTEM_POLICY.to_string(),
            PolicySource::System { user_path },
        ));
    }
    Err(Failure::message(
        io::ErrorKind::NotFound,
        format!(
            "no policy.json file found at any of the following: {user_path:?}, {SYSTEM_POLICY:?} \
             (name one with --policy FILE)"
        ),
    ))
}

/// containers/storage's `homedir.Get`: `$HOME` unless empty, else the home directory of the
/// user (`$_CONTAINERS_ROOTLESS_UID`, else the real user ID) in /etc/passwd, else "".
fn home_dir() -> String {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        return home.to_string_lossy().into_owned();
    }
    let uid = match std::env::var("_CONTAINERS_ROOTLESS_UID") {
        Ok(text) if !text.is_empty() => text.parse::<u32>().ok().unwrap_or(0),
        _ => real_uid().unwrap_or(0),
    };
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.len() >= 6 && fields[2].parse() == Ok(uid))
        .map(|fields| fields[5].to_string())
        .unwrap_or_default()
}

/// The real user ID, from /proc/self/status (std offers no `getuid`).
fn real_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// containers/image's `explicitfilepath.ResolvePathToFullyExplicit`: the path made absolute
/// (Go's `filepath.Abs`: joined to the working directory, then cleaned lexically) with every
/// symbolic link resolved. Every element must exist except the last, which may be missing
/// (then its parent is resolved); `///` at the start counts as `/`; paths under `/proc/` are
/// returned as they are.
pub(crate) fn resolve_explicit(path: &str) -> io::Result<String> {
    let path = if path.starts_with("///") {
        &path[2..]
    } else {
        path
    };
    if path.starts_with("/proc/") {
        return Ok(path.to_string());
    }
    match std::fs::symlink_metadata(path) {
        Ok(_) => resolve_existing(path),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let (parent, file) = match path.rfind('/') {
                Some(slash) => (&path[..=slash], &path[slash + 1..]),
                None => ("", path),
            };
            let parent = resolve_existing(parent)?;
            if file == "." || file == ".." {
                return Err(io::Error::other(format!(
                    "Unexpectedly missing special filename component in {path}"
                )));
            }
            Ok(go_join(&parent, file))
        }
        Err(error) => Err(error),
    }
}

fn resolve_existing(path: &str) -> io::Result<String> {
    let absolute = go_abs(path)?;
    let resolved = std::fs::canonicalize(&absolute)?;
    let resolved = resolved.to_str().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not valid UTF-8", resolved.display()),
        )
    })?;
    Ok(vouch::clean_path(resolved))
}

/// Go's `filepath.Abs`: a relative path is joined to the working directory, then cleaned.
fn go_abs(path: &str) -> io::Result<String> {
    if path.starts_with('/') {
        return Ok(vouch::clean_path(path));
    }
    Ok(go_join(&go_getwd()?, path))
}

/// Go's `os.Getwd`: `$PWD` when it is absolute and names the working directory, else the
/// kernel's answer. (The difference shows when `..` follows a symbolic link.)
fn go_getwd() -> io::Result<String> {
    if let Some(pwd) = std::env::var_os("PWD")
        && let Some(pwd) = pwd.to_str()
        && pwd.starts_with('/')
        && let (Ok(dot), Ok(named)) = (std::fs::metadata("."), std::fs::metadata(pwd))
        && dot.dev() == named.dev()
        && dot.ino() == named.ino()
    {
        return Ok(pwd.to_string());
    }
    let cwd = std::env::current_dir()?;
    cwd.to_str().map(str::to_string).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not valid UTF-8", cwd.display()),
        )
    })
}

/// Go's `filepath.Join` on Unix: the non-empty elements joined by `/`, then cleaned.
pub(crate) fn go_join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => vouch::clean_path(b),
        (false, true) => vouch::clean_path(a),
        (false, false) => vouch::clean_path(&format!("{a}/{b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_as_go_cleans() {
        for (input, clean) in [
            ("", "."),
            ("/", "/"),
            ("//a//b/", "/a/b"),
            ("a/./b/..", "a"),
            ("../../a", "../../a"),
            ("/../a", "/a"),
            ("a/..", "."),
            ("/a/b/../../..", "/"),
            ("./", "."),
        ] {
            assert_eq!(vouch::clean_path(input), clean, "{input:?}");
        }
        assert_eq!(go_join("", "x"), "x");
        assert_eq!(go_join("/a/", "../b"), "/b");
    }

    #[test]
    fn resolution_follows_links_and_allows_a_missing_last_element() {
        let base = std::env::temp_dir().join(format!("vouch-paths-{}", std::process::id()));
        let real = base.join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        let link = base.join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let real_text = std::fs::canonicalize(&real)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let link_text = link.to_string_lossy().into_owned();

        assert_eq!(resolve_explicit(&link_text).unwrap(), real_text);
        assert_eq!(
            resolve_explicit(&format!("{link_text}/sub/")).unwrap(),
            format!("{real_text}/sub")
        );
        // Lexically first, as filepath.Abs: link/sub/.. is link, then the link is resolved.
        assert_eq!(
            resolve_explicit(&format!("{link_text}/sub/..")).unwrap(),
            real_text
        );
        assert_eq!(
            resolve_explicit(&format!("{link_text}/missing")).unwrap(),
            format!("{real_text}/missing")
        );
        assert_eq!(
            resolve_explicit(&format!("/{link_text}")).unwrap(),
            real_text,
            "/// counts as /"
        );
        assert_eq!(
            resolve_explicit("/proc/self/x/..").unwrap(),
            "/proc/self/x/.."
        );
        assert!(resolve_explicit(&format!("{link_text}/missing/deeper")).is_err());
        std::fs::remove_dir_all(&base).ok();
    }

    #[test]
    fn missing_files_and_unreadable_ones_are_told_apart() {
        let dir = std::env::temp_dir().join(format!("vouch-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dir_text = dir.to_string_lossy().into_owned();
        let Err(Failure::Io(error)) = read("the manifest", &dir_text) else {
            panic!("a directory was read")
        };
        assert!(error.to_string().contains("is unreadable"), "{error}");
        assert!(matches!(
            read_policy_file(&format!("{dir_text}/none")),
            Found::Missing
        ));
        let Found::Unreadable(why) = read_policy_file(&dir_text) else {
            panic!("a directory was read as a key file")
        };
        assert_eq!(why, "is a directory");
        let Err(Failure::Io(error)) = read("the policy", &format!("{dir_text}/none")) else {
            panic!("a missing file was read")
        };
        assert!(error.to_string().contains("does not exist"), "{error}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
