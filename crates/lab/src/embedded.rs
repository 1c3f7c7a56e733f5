//! The app inside the binary (`cargo xtask dist`, feature `embed-app`).
//!
//! At start the embedded files are written once to a folder named after the
//! build (`app-<stamp>` under the user's cache folder, else a private folder
//! in the temporary folder) and served from there by the same code that
//! serves `dist/`: `ServeDir`'s precompressed copies, ranges, conditional
//! requests and the single-page fallback, which the whole end-to-end suite
//! exercises. Serving from memory would have meant a second file server of
//! our own.
//!
//! What is served must be what the binary carries: each folder on the way
//! must be a real folder (not a symbolic link) owned by this user and not
//! writable by others (in the shared temporary folder: not even readable),
//! the half-written copy is made under a fresh random name that must not
//! exist yet, and a copy found from an earlier start is used only if every
//! file is there with the same contents.

use std::path::{Path, PathBuf};

#[cfg(feature = "embed-app")]
static APP: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../dist");

/// Whether this binary carries the app.
pub fn present() -> bool {
    cfg!(feature = "embed-app")
}

/// The folder the embedded app is served from, written if it is not there yet.
#[cfg(feature = "embed-app")]
pub fn unpack() -> Result<PathBuf, String> {
    let name = format!("app-{}", env!("ROUNDTRIP_APP_STAMP"));
    let mut tried = Vec::new();
    for (base, private) in candidates() {
        match unpack_into(&base, private, &name) {
            Ok(dir) => return Ok(dir),
            Err(e) => tried.push(format!("{}: {e}", base.display())),
        }
    }
    Err(format!("cannot write the embedded app to a folder of this user's ({}); give a built app with --dist DIR", tried.join("; ")))
}

#[cfg(feature = "embed-app")]
fn unpack_into(base: &Path, private: bool, name: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(base).map_err(|e| e.to_string())?;
    if private {
        use std::os::unix::fs::PermissionsExt;
        // Ours to restrict, if we just made it; checked below either way.
        let _ = std::fs::set_permissions(base, std::fs::Permissions::from_mode(0o700));
    }
    check_ours(base, if private { 0o077 } else { 0o022 })?;
    let dir = base.join(name);
    if std::fs::symlink_metadata(&dir).is_ok() {
        check_ours(&dir, 0o022)?;
        if matches(&APP, &dir) {
            return Ok(dir);
        }
        // Half emptied by a cleaner, or left by an older lab: made again.
        std::fs::remove_dir_all(&dir).map_err(|e| format!("replacing {}: {e}", dir.display()))?;
    }
    // Written beside under a new random name, then renamed: a lab stopped
    // half-way, or two labs starting at once, never serve half an app.
    let partial = base.join(format!("{name}.partial-{}", crate::random::token()));
    std::fs::create_dir(&partial).map_err(|e| e.to_string())?;
    let written = APP.extract(&partial).and_then(|()| std::fs::rename(&partial, &dir));
    match written {
        Ok(()) => Ok(dir),
        Err(_) if matches(&APP, &dir) => {
            // Another lab got there first with the same files.
            let _ = std::fs::remove_dir_all(&partial);
            Ok(dir)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Err(e.to_string())
        }
    }
}

#[cfg(not(feature = "embed-app"))]
pub fn unpack() -> Result<PathBuf, String> {
    Err("this binary carries no app (build it with `cargo xtask dist`)".into())
}

/// Every embedded file is in `dir` with the same contents.
#[cfg(feature = "embed-app")]
fn matches(app: &include_dir::Dir<'static>, dir: &Path) -> bool {
    app.entries().iter().all(|entry| match entry {
        include_dir::DirEntry::Dir(d) => matches(d, dir),
        include_dir::DirEntry::File(f) => {
            let path = dir.join(f.path());
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) && std::fs::read(&path).is_ok_and(|bytes| bytes == f.contents())
        }
    })
}

/// A real folder (not a link), owned by this user, without the `forbidden`
/// permission bits (group/other write, or all group/other access).
#[cfg_attr(not(feature = "embed-app"), allow(dead_code))]
fn check_ours(path: &Path, forbidden: u32) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_dir() {
        return Err(format!("{} is not a folder (a link or a file): refused", path.display()));
    }
    if Some(meta.uid()) != my_uid() {
        return Err(format!("{} belongs to another user: refused", path.display()));
    }
    if meta.mode() & forbidden != 0 {
        return Err(format!("{} is open to other users (mode {:o}): refused", path.display(), meta.mode() & 0o777));
    }
    Ok(())
}

/// This process's real user id, from `/proc/self/status` (Linux).
#[cfg_attr(not(feature = "embed-app"), allow(dead_code))]
fn my_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse().ok())
}

/// `$XDG_CACHE_HOME/roundtrip-lab`, `~/.cache/roundtrip-lab`, then a folder
/// of this user's alone in the temporary folder (a container's user may
/// have no home); `true`: a shared parent, so the folder must be private.
#[cfg_attr(not(feature = "embed-app"), allow(dead_code))]
fn candidates() -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        out.push((PathBuf::from(x).join("roundtrip-lab"), false));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        out.push((PathBuf::from(home).join(".cache/roundtrip-lab"), false));
    }
    let uid = my_uid().map_or_else(|| "unknown".to_owned(), |u| u.to_string());
    out.push((std::env::temp_dir().join(format!("roundtrip-lab-{uid}")), true));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_folder_open_to_others_or_a_link_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let base = std::env::temp_dir().join(format!("roundtrip-embedded-test-{}", crate::random::token()));
        std::fs::create_dir(&base).unwrap();
        std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(super::check_ours(&base, 0o077).is_ok());
        std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(super::check_ours(&base, 0o022).unwrap_err().contains("open to other users"));
        let link = base.with_extension("link");
        std::os::unix::fs::symlink(&base, &link).unwrap();
        assert!(super::check_ours(&link, 0o022).unwrap_err().contains("not a folder"));
        std::fs::remove_file(&link).unwrap();
        std::fs::remove_dir(&base).unwrap();
        assert!(super::my_uid().is_some());
    }
}
