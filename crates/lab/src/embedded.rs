//! The app inside the binary (`cargo xtask dist`, feature `embed-app`).
//!
//! At start the embedded files are written once to a folder named after the
//! build (`app-<stamp>` under the user's cache folder, else the temporary
//! folder) and served from there by the same code that serves `dist/`:
//! `ServeDir`'s precompressed copies, ranges, conditional requests and the
//! single-page fallback, which the whole end-to-end suite exercises. Serving
//! from memory would have meant a second file server of our own.

use std::path::PathBuf;

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
    for base in candidates() {
        let dir = base.join(&name);
        if dir.join("index.html").is_file() {
            return Ok(dir);
        }
        // Written beside, then renamed: a lab stopped half-way, or two labs
        // starting at once, never serve half an app.
        let partial = base.join(format!("{name}.partial-{}", std::process::id()));
        let written = std::fs::create_dir_all(&partial).and_then(|()| APP.extract(&partial)).and_then(|()| std::fs::rename(&partial, &dir));
        match written {
            Ok(()) => return Ok(dir),
            Err(_) if dir.join("index.html").is_file() => {
                let _ = std::fs::remove_dir_all(&partial);
                return Ok(dir);
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                tried.push(format!("{}: {e}", base.display()));
            }
        }
    }
    Err(format!("cannot write the embedded app to a folder ({}); give a built app with --dist DIR", tried.join("; ")))
}

#[cfg(not(feature = "embed-app"))]
pub fn unpack() -> Result<PathBuf, String> {
    Err("this binary carries no app (build it with `cargo xtask dist`)".into())
}

/// `$XDG_CACHE_HOME/roundtrip-lab`, `~/.cache/roundtrip-lab`, then the
/// temporary folder (a container's user may have no home).
#[cfg_attr(not(feature = "embed-app"), allow(dead_code))]
fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(x).join("roundtrip-lab"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(home).join(".cache/roundtrip-lab"));
    }
    out.push(std::env::temp_dir().join("roundtrip-lab"));
    out
}
