//! Installs what the build and the tests need, once, and says what it did.
//!
//! The wasm32 standard library comes from rustup where it can download
//! (route A); where it cannot, from Debian's Rust with build-std (route B).
//! The route is chosen here, by environment variables passed to the wasm
//! builds only: nothing in the repository pins a toolchain.

use crate::shell::{self, on_path, output, root, step};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_SERIES: &str = "0.21";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `rustup target add wasm32-unknown-unknown`.
    Rustup,
    /// Debian's rustc-web with `-Zbuild-std`, for machines rustup cannot download to.
    DebianBuildStd,
}

impl Route {
    pub fn describe(self) -> &'static str {
        match self {
            Route::Rustup => "A: rustup's wasm32-unknown-unknown standard library",
            Route::DebianBuildStd => "B: Debian's Rust (rustc-web) building std for wasm32 (build-std)",
        }
    }
}

/// What a task needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Serve,
    Test,
    Bench,
}

/// The environment the wasm build and the browser tests run with.
pub struct Tools {
    /// PATH with our tools first, plus the route's variables.
    pub wasm_env: Vec<(String, String)>,
}

pub fn ensure_all(need: Need) -> Result<Tools, String> {
    let route = step("wasm32 standard library", ensure_wasm_std)?;
    println!("    route {}", route.describe());
    step("trunk", ensure_trunk)?;
    step("wasm-bindgen-cli (= Cargo.lock's wasm-bindgen)", ensure_wasm_bindgen)?;
    step("npm tools: wasm-opt (binaryen), playwright-core, axe-core", ensure_npm)?;
    // The page itself needs no browser to be served, but the README promises
    // that the first command leaves the machine ready for the second.
    let _ = need;
    step("Chromium and ChromeDriver", ensure_chromium)?;
    Ok(tools(route))
}

fn tools(route: Route) -> Tools {
    let path = format!(
        "{}:{}:{}:{}",
        tool_bin().display(),
        root().join("node_modules/.bin").display(),
        cargo_home().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut wasm_env = vec![("PATH".to_owned(), path)];
    if route == Route::DebianBuildStd {
        wasm_env.extend(route_b_env());
    }
    Tools { wasm_env }
}

fn route_b_env() -> Vec<(String, String)> {
    [("RUSTUP_TOOLCHAIN", "system"), ("RUSTC_BOOTSTRAP", "1"), ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Builds the app into `dist/` in release mode.
pub fn build_app(tools: &Tools) -> Result<(), String> {
    step("build the app (trunk build --release)", || {
        let mut cmd = Command::new(cargo_home().join("bin/trunk"));
        cmd.args(["build", "--release"]).current_dir(root());
        cmd.envs(tools.wasm_env.iter().map(|(k, v)| (k, v)));
        shell::run(&mut cmd)?;
        // Static hosts such as GitHub Pages or Netlify answer an unknown path
        // with 404.html: as a copy of the app, a deep link still opens it.
        let dist = root().join("dist");
        std::fs::copy(dist.join("index.html"), dist.join("404.html")).map(|_| ()).map_err(|e| format!("copying index.html to 404.html: {e}"))
    })
}

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"))
}

// ---- the wasm32 standard library ------------------------------------------

fn rustup_has_wasm_std() -> bool {
    output("rustup", &["target", "list", "--installed"]).is_some_and(|t| t.lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
}

fn forced_route_b() -> bool {
    std::env::var("ROUNDTRIP_WASM_ROUTE").is_ok_and(|v| v.eq_ignore_ascii_case("debian"))
}

fn ensure_wasm_std() -> Result<Route, String> {
    if !forced_route_b() {
        if rustup_has_wasm_std() {
            return Ok(Route::Rustup);
        }
        if on_path("rustup") || cargo_home().join("bin/rustup").is_file() {
            println!("    rustup target add wasm32-unknown-unknown (giving it 120 s)");
            let added = Command::new("timeout")
                .args(["120", "rustup", "target", "add", "wasm32-unknown-unknown"])
                .status()
                .is_ok_and(|s| s.success());
            if added && rustup_has_wasm_std() {
                return Ok(Route::Rustup);
            }
            println!("    rustup could not download the wasm32 std; taking the offline route B");
        }
    }
    let packages = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];
    if !packages.iter().all(|p| dpkg_installed(p)) {
        apt_install(&packages)?;
    }
    if !output("rustup", &["toolchain", "list"]).is_some_and(|t| t.lines().any(|l| l.starts_with("system"))) {
        shell::run(Command::new("rustup").args(["toolchain", "link", "system", "/usr"]))?;
    }
    // build-std takes std's own dependencies from the registry.
    let mut fetch = Command::new(shell::cargo_bin());
    fetch.args(["fetch", "--target", "wasm32-unknown-unknown"]).current_dir(root());
    fetch.envs(route_b_env());
    shell::run(&mut fetch)?;
    link_rust_lld()?;
    Ok(Route::DebianBuildStd)
}

/// Links the project writes for its own builds (first on their PATH).
fn tool_bin() -> PathBuf {
    root().join("target/xtask/bin")
}

/// rustc links wasm with `rust-lld -flavor wasm`. Debian's lld package ships
/// the same multiplexing linker as `lld` under /usr/lib/llvm-N, but no
/// `rust-lld`: link one, to the newest LLVM's.
fn link_rust_lld() -> Result<(), String> {
    let link = tool_bin().join("rust-lld");
    if link.exists() {
        return Ok(());
    }
    let mut llvms: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
        .map_err(|e| format!("cannot list /usr/lib: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("llvm-")) && p.join("bin/lld").is_file())
        .collect();
    llvms.sort_by_key(|p| p.file_name().and_then(|n| n.to_str()?.strip_prefix("llvm-")?.parse::<u32>().ok()).unwrap_or(0));
    let lld = llvms.last().map(|p| p.join("bin/lld")).ok_or("no /usr/lib/llvm-N/bin/lld: install lld-22 (apt-get install lld-22)")?;
    std::fs::create_dir_all(tool_bin()).map_err(|e| format!("cannot create {}: {e}", tool_bin().display()))?;
    std::os::unix::fs::symlink(&lld, &link).map_err(|e| format!("cannot link {} to {}: {e}", link.display(), lld.display()))?;
    println!("    linked {} -> {}", link.display(), lld.display());
    Ok(())
}

// ---- host tools -----------------------------------------------------------

fn tool_version(name: &str) -> Option<String> {
    let local = cargo_home().join("bin").join(name);
    let program = if local.is_file() { local.to_string_lossy().into_owned() } else { name.to_owned() };
    output(&program, &["--version"])
}

fn ensure_trunk() -> Result<(), String> {
    if let Some(v) = tool_version("trunk").filter(|v| v.starts_with(&format!("trunk {TRUNK_SERIES}."))) {
        println!("    {v}");
        return Ok(());
    }
    println!("    installing trunk {TRUNK_SERIES}.x from crates.io (about 6 minutes on 2 cores, once)");
    shell::run(Command::new(shell::cargo_bin()).args(["install", "--locked", "trunk", "--version", &format!("~{TRUNK_SERIES}")]))
}

/// The wasm-bindgen version Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen".into())
}

fn trunk_toml_wasm_bindgen() -> Option<String> {
    let text = std::fs::read_to_string(root().join("Trunk.toml")).ok()?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("wasm_bindgen").map(|r| r.trim_start_matches([' ', '=']).trim().trim_matches('"').to_owned()))
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = locked_wasm_bindgen()?;
    match trunk_toml_wasm_bindgen() {
        Some(v) if v == want => {}
        other => {
            return Err(format!(
                "Trunk.toml's [tools] wasm_bindgen is {other:?} but Cargo.lock has wasm-bindgen {want}: set it to \"{want}\""
            ))
        }
    }
    let have = tool_version("wasm-bindgen");
    let runner = cargo_home().join("bin/wasm-bindgen-test-runner").is_file();
    if have.as_deref() == Some(&format!("wasm-bindgen {want}")) && runner {
        println!("    wasm-bindgen {want}");
        return Ok(());
    }
    println!("    installing wasm-bindgen-cli {want} (about 2 minutes, once)");
    let (ok, log) = shell::run_tee(Command::new(shell::cargo_bin()).args(["install", "--locked", "--force", "wasm-bindgen-cli", "--version", &want]));
    if ok {
        return Ok(());
    }
    // Its lock file can name a crate version this registry mirror lacks. Build
    // it from its own source instead, pinning such a crate to the newest
    // version the registry does have.
    let source = registry_source(&format!("wasm-bindgen-cli-{want}"))
        .ok_or_else(|| format!("cargo install wasm-bindgen-cli failed and its source is not in the registry cache:\n{log}"))?;
    let copy = root().join(format!("target/xtask/wasm-bindgen-cli-{want}"));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&source, &copy).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    let mut last = log;
    for _ in 0..8 {
        let Some((krate, version)) = unmatched_lock_entry(&last) else {
            return Err(format!("wasm-bindgen-cli {want} does not build here:\n{last}"));
        };
        println!("    pinning {krate} to {version}, which this registry has");
        let mut pin = Command::new(shell::cargo_bin());
        pin.args(["update", "--package", &krate, "--precise", &version]).current_dir(&copy);
        shell::run(&mut pin)?;
        let mut install = Command::new(shell::cargo_bin());
        install.args(["install", "--locked", "--force", "--path", "."]).current_dir(&copy);
        let (ok, log) = shell::run_tee(&mut install);
        if ok {
            return Ok(());
        }
        last = log;
    }
    Err(format!("wasm-bindgen-cli {want} still does not build:\n{last}"))
}

/// From cargo's "failed to select a version for the requirement `NAME = …`
/// … candidate versions found which didn't match: V1, V2" message, the crate
/// and the newest version the registry offers.
pub fn unmatched_lock_entry(log: &str) -> Option<(String, String)> {
    let after = log.split("failed to select a version for the requirement `").nth(1)?;
    let krate = after.split([' ', '`']).next()?.to_owned();
    let candidates = log.split("candidate versions found which didn't match: ").nth(1)?;
    let newest = candidates.split([',', '\n']).next()?.trim().to_owned();
    (!krate.is_empty() && !newest.is_empty()).then_some((krate, newest))
}

fn registry_source(dir_name: &str) -> Option<PathBuf> {
    let src = cargo_home().join("registry/src");
    std::fs::read_dir(src).ok()?.filter_map(Result::ok).map(|e| e.path().join(dir_name)).find(|p| p.is_dir())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn npm_fresh() -> bool {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(root().join("node_modules/.package-lock.json"));
    let wanted = modified(root().join("package-lock.json"));
    root().join("node_modules/.bin/wasm-opt").is_file()
        && root().join("node_modules/playwright-core/package.json").is_file()
        && matches!((installed, wanted), (Some(i), Some(w)) if i >= w)
}

fn ensure_npm() -> Result<(), String> {
    if !on_path("npm") || !on_path("node") {
        apt_install(&["nodejs", "npm"])?;
    }
    if npm_fresh() {
        println!("    node_modules is up to date");
        return Ok(());
    }
    shell::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root()))
}

pub fn chromium_ready() -> bool {
    on_path("chromium") && on_path("chromedriver")
}

fn ensure_chromium() -> Result<(), String> {
    if chromium_ready() {
        println!("    {}", output("chromium", &["--version"]).unwrap_or_else(|| "chromium".into()));
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

fn dpkg_installed(package: &str) -> bool {
    output("dpkg-query", &["-W", "-f=${Status}", package]).is_some_and(|s| s.contains("install ok installed"))
}

pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    let list = packages.join(" ");
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!("{list} must be installed and that needs root: run `sudo apt-get install -y {list}`, then this command again"));
    }
    println!("    apt-get install {list}");
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    shell::run(Command::new("apt-get").args(["update", "-qq"]).envs(env))?;
    shell::run(Command::new("apt-get").args(["install", "-y", "-qq", "--no-install-recommends"]).args(packages).envs(env))
        .map_err(|e| format!("could not install {list}: {e}"))
}

// ---- doctor ---------------------------------------------------------------

pub fn doctor() -> Result<(), String> {
    let show = |what: &str, state: Option<String>| match state {
        Some(s) => println!("  ok       {what}: {s}"),
        None => println!("  MISSING  {what}"),
    };
    println!("Roundtrip doctor (nothing is installed by this command)\n");
    show("cargo", output(&shell::cargo_bin(), &["--version"]));
    let route = if forced_route_b() {
        Some(Route::DebianBuildStd)
    } else if rustup_has_wasm_std() {
        Some(Route::Rustup)
    } else if dpkg_installed("rustc-web") && dpkg_installed("rust-web-src") {
        Some(Route::DebianBuildStd)
    } else {
        None
    };
    show("wasm32 std", route.map(|r| format!("route {}", r.describe())));
    show("trunk", tool_version("trunk"));
    let lock = locked_wasm_bindgen().ok();
    show("wasm-bindgen (Cargo.lock)", lock.clone());
    show("wasm-bindgen (Trunk.toml)", trunk_toml_wasm_bindgen());
    show(
        "wasm-bindgen-cli installed",
        tool_version("wasm-bindgen").map(|v| match &lock {
            Some(l) if v.ends_with(l.as_str()) => v,
            Some(l) => format!("{v}  (MISMATCH: Cargo.lock wants {l})"),
            None => v,
        }),
    );
    show("wasm-bindgen-test-runner", cargo_home().join("bin/wasm-bindgen-test-runner").is_file().then(|| "installed".into()));
    show("node", output("node", &["--version"]));
    show("npm", output("npm", &["--version"]));
    show("wasm-opt (npm binaryen)", output(&root().join("node_modules/.bin/wasm-opt").to_string_lossy(), &["--version"]));
    show("playwright-core", root().join("node_modules/playwright-core/package.json").is_file().then(|| "installed".into()));
    show("chromium", output("chromium", &["--version"]));
    show("chromedriver", output("chromedriver", &["--version"]));
    show("built app (dist/index.html)", root().join("dist/index.html").is_file().then(|| "present".into()));
    println!("\n`cargo xtask serve` or `cargo xtask test` installs whatever is MISSING.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_crate_to_pin_from_cargos_message() {
        let log = "error: failed to select a version for the requirement `webpki-roots = \"^1.0.10\"` (locked to 1.0.11)\ncandidate versions found which didn't match: 1.0.10, 1.0.9, 1.0.8, ...\nlocation searched: crates.io index";
        assert_eq!(unmatched_lock_entry(log), Some(("webpki-roots".into(), "1.0.10".into())));
        assert_eq!(unmatched_lock_entry("error: something else"), None);
    }

    #[test]
    fn the_lock_pins_wasm_bindgen_and_trunk_toml_agrees() {
        let locked = locked_wasm_bindgen().unwrap();
        assert!(locked.starts_with("0.2."), "{locked}");
        assert_eq!(trunk_toml_wasm_bindgen().as_deref(), Some(locked.as_str()));
    }
}
