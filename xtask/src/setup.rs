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
    /// The app and the lab only (`build`, `dist`; a container's build stage).
    Build,
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
    step("wasm-split-cli (cuts the app's code into the files each page needs)", ensure_wasm_split)?;
    step("npm tools: wasm-opt (binaryen), terser, playwright-core, puppeteer-core, selenium-webdriver, axe-core", ensure_npm)?;
    // The page itself needs no browser to be served, but the README promises
    // that the first command leaves the machine ready for the second.
    if need == Need::Build {
        return Ok(tools(route));
    }
    step("Chromium and ChromeDriver", ensure_chromium)?;
    if need != Need::Serve {
        step("Firefox ESR, WebKitGTK's WebDriver and Xvfb (the other engines the tests run in)", ensure_other_engines)?;
        step("redis-server (two labs sharing one store, in the tests)", ensure_redis)?;
    }
    Ok(tools(route))
}

fn tools(route: Route) -> Tools {
    let wasm_bindgen = wasm_bindgen_bin_dir().unwrap_or_default();
    let path = format!(
        "{}:{}:{}:{}:{}",
        tool_bin().display(),
        trunk_bin().parent().map(Path::to_path_buf).unwrap_or_default().display(),
        wasm_bindgen.display(),
        root().join("node_modules/.bin").display(),
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
        // Trunk's wasm-bindgen step runs ours first: the split (split.rs).
        let wrapper = crate::split::prepare()?;
        let mut cmd = Command::new(trunk_bin());
        cmd.args(["build", "--release"]).current_dir(root());
        cmd.envs(tools.wasm_env.iter().map(|(k, v)| (k, v)));
        let path = tools.wasm_env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_default();
        cmd.env("PATH", format!("{}:{path}", wrapper.display()));
        shell::run(&mut cmd)?;
        let dist = root().join("dist");
        crate::split::finish(&dist)?;
        drop_wasm_preload(&dist.join("index.html"))?;
        paint_before_wasm(&dist.join("index.html"))?;
        write_lessons(&dist)?;
        // Static hosts such as GitHub Pages or Netlify answer an unknown path
        // with 404.html: as a copy of the app, a deep link still opens it.
        std::fs::copy(dist.join("index.html"), dist.join("404.html"))
            .map(|_| ())
            .map_err(|e| format!("copying index.html to 404.html: {e}"))?;
        precompress(&dist);
        Ok(())
    })
}

/// Reads `lessons/*.md` (a file that cannot be read fails the build, named
/// with its line) and writes what the lab also serves: `dist/lessons/index.json`
/// and one `{slug}.json` per lesson, so the app works from a static host too.
pub fn write_lessons(dist: &Path) -> Result<(), String> {
    let src = root().join("lessons");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("lessons/{name}: {e}"))?;
            files.push((name, text));
        }
    }
    let (course, problems, _) = roundtrip_model::lesson_file::course(&files, &[]);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  lessons/{p}")).collect();
        return Err(format!("lesson files that cannot be read:\n{}", list.join("\n")));
    }
    let out = dist.join("lessons");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: String, json: Result<String, serde_json::Error>| {
        let json = json.map_err(|e| e.to_string())?;
        std::fs::write(out.join(&name), json).map_err(|e| format!("{}: {e}", out.join(&name).display()))
    };
    write("index.json".into(), serde_json::to_string(&course.index(&[])))?;
    for l in &course.lessons {
        if let Some(page) = course.page(&l.slug) {
            write(format!("{}.json", l.slug), serde_json::to_string(&page))?;
        }
    }
    println!("    wrote {} lessons to {}", course.lessons.len(), out.display());
    Ok(())
}

/// Brotli (quality 11) and gzip (-9) copies of the hashed assets, made once
/// here rather than on every response (the lab serves `x.br`/`x.gz` to a
/// browser that accepts them; the on-the-fly compression it falls back to
/// uses a fast, larger setting). Best effort: without the `brotli` tool
/// (Debian's package, installed if missing and possible) the lab compresses
/// on the fly as before.
fn precompress(dist: &Path) {
    let hashed: Vec<PathBuf> = std::fs::read_dir(dist)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "svg")))
        .collect();
    let brotli = on_path("brotli") || apt_install(&["brotli"]).is_ok();
    if !brotli {
        println!("    no brotli tool: the lab will compress with brotli on the fly");
    }
    for file in &hashed {
        let name = file.display().to_string();
        if brotli {
            let _ = Command::new("brotli").args(["-q", "11", "-f", "-k", &name]).status();
        }
        let _ = Command::new("gzip").args(["-9", "-f", "-k", &name]).status();
    }
    let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    // The split's many small chunk files are left out of the list.
    let listed = |p: &&PathBuf| {
        p.extension().is_some_and(|e| e == "wasm") && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("chunk_"))
    };
    for file in hashed.iter().filter(listed) {
        let with = |ext: &str| PathBuf::from(format!("{}.{ext}", file.display()));
        println!(
            "    precompressed {}: {} B raw, {} B gzip -9, {} B brotli q11",
            file.display(),
            size(file.clone()),
            size(with("gz")),
            size(with("br"))
        );
    }
}

/// Removes the `<link rel="preload" … .wasm>` Trunk always writes: WebKit
/// does not match it to the loader's own fetch and downloaded the wasm twice
/// on every load (the e2e core suite counts the downloads in each engine).
/// Without it the wasm request starts when the JS glue runs.
fn drop_wasm_preload(index: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(index).map_err(|e| format!("reading {}: {e}", index.display()))?;
    let kept = without_wasm_preload(&html);
    if kept != html {
        std::fs::write(index, kept).map_err(|e| format!("writing {}: {e}", index.display()))?;
        println!("    dropped the wasm preload from dist/index.html");
    }
    Ok(())
}

/// index.html's shell (and the page the lab paints into it) is drawn before
/// the WebAssembly is asked for: Trunk's loader starts `init` at once, so
/// on a slow link the wasm (most of the bytes) competed with the first paint
/// and Lighthouse's simulation counted it as something the largest paint
/// waits for. The loader now waits until the browser reports the first
/// contentful paint (or 300 ms, so that a tab opened in the background, which
/// paints nothing, still starts).
fn paint_before_wasm(index: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(index).map_err(|e| format!("reading {}: {e}", index.display()))?;
    let kept = with_paint_first(&html).ok_or("dist/index.html has no `const wasm = await init(` line from Trunk's loader")?;
    std::fs::write(index, kept).map_err(|e| format!("writing {}: {e}", index.display()))
}

pub fn with_paint_first(html: &str) -> Option<String> {
    const INIT: &str = "const wasm = await init(";
    // Then, just after `init` has asked for the first wasm (a timer: the
    // first wasm is the critical path and must not wait behind them for one
    // of HTTP/1.1's six connections), the page's own split files (the lab
    // names them in `<meta name="roundtrip-code">`, see split.rs): the split
    // loader takes these responses instead of fetching again. A `<link rel=preload>`
    // did this in Chromium and Firefox, but WebKit fetched every file twice.
    const WAIT: &str = "await new Promise((go) => { setTimeout(go, 300); try { new PerformanceObserver((l, o) => { if (l.getEntriesByName('first-contentful-paint').length) { o.disconnect(); setTimeout(go); } }).observe({ type: 'paint', buffered: true }); } catch (e) { go(); } });\nsetTimeout(() => { try { const code = document.querySelector('meta[name=\"roundtrip-code\"]'); if (code) { const early = new Map(); for (const f of code.content.split(' ')) { if (/^[A-Za-z0-9_.-]+[.]wasm$/.test(f)) { const u = new URL('/' + f, location.href).href; const r = fetch(u); r.catch(() => {}); early.set(u, r); } } globalThis.__roundtripEarly = early; } } catch (e) {} });\n";
    if html.contains(WAIT) {
        return Some(html.to_owned());
    }
    html.contains(INIT).then(|| html.replacen(INIT, &format!("{WAIT}{INIT}"), 1))
}

pub fn without_wasm_preload(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link rel=\"preload\"") {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        if !tag.contains(".wasm\"") {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
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
//
// Trunk and wasm-bindgen-cli are installed project-locally, under
// target/tools/<name>-<version>/, never into ~/.cargo/bin: a fresh clone has
// no target/ folder, so every clean clone (and so every CI run) goes through
// installation exactly as a newcomer does. Each install is idempotent (a
// present, matching binary is kept) and resumable (the build folder
// target/tools/build is kept between attempts).

/// Where project-local tools live.
pub fn tools_dir() -> PathBuf {
    root().join("target/tools")
}

/// The install root of one tool at one version.
pub fn tool_root(name: &str, version: &str) -> PathBuf {
    tools_dir().join(format!("{name}-{version}"))
}

pub fn trunk_bin() -> PathBuf {
    tool_root("trunk", TRUNK_SERIES).join("bin/trunk")
}

/// The folder with `wasm-bindgen` and `wasm-bindgen-test-runner` for Cargo.lock's version.
pub fn wasm_bindgen_bin_dir() -> Result<PathBuf, String> {
    Ok(tool_root("wasm-bindgen", &locked_wasm_bindgen()?).join("bin"))
}

fn version_of(program: &Path) -> Option<String> {
    if !program.is_file() {
        return None;
    }
    output(&program.to_string_lossy(), &["--version"])
}

/// `cargo install` into a project-local root, building in a kept folder.
fn cargo_install(install_root: &Path, args: &[&str], dir: Option<&Path>) -> (bool, String) {
    let mut cmd = Command::new(shell::cargo_bin());
    cmd.arg("install").args(args).arg("--root").arg(install_root).arg("--target-dir").arg(tools_dir().join("build"));
    // Build with the host's ordinary settings, whatever the caller had set.
    cmd.env_remove("CARGO_TARGET_DIR").env_remove("RUSTFLAGS").env_remove("CARGO_BUILD_TARGET");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    shell::run_tee(&mut cmd)
}

fn ensure_wasm_split() -> Result<(), String> {
    let bin = crate::split::tool_bin();
    if bin.is_file() {
        println!("    wasm-split-cli {} ({})", crate::split::TOOL_VERSION, bin.display());
        return Ok(());
    }
    let version = crate::split::TOOL_VERSION;
    let install_root = tool_root("wasm-split", version);
    println!("    installing wasm-split-cli {version} into {} (about 2 minutes, once)", install_root.display());
    let (ok, log) = cargo_install(
        &install_root,
        &["--locked", "--force", "wasm_split_cli_support", "--version", &format!("={version}"), "--features", "build-binary"],
        None,
    );
    if ok {
        Ok(())
    } else {
        Err(format!("cargo install wasm_split_cli_support failed:\n{}", tail(&log, 40)))
    }
}

fn ensure_trunk() -> Result<(), String> {
    let bin = trunk_bin();
    if let Some(v) = version_of(&bin).filter(|v| v.starts_with(&format!("trunk {TRUNK_SERIES}."))) {
        println!("    {v} ({})", bin.display());
        return Ok(());
    }
    let install_root = tool_root("trunk", TRUNK_SERIES);
    println!("    installing trunk {TRUNK_SERIES}.x from crates.io into {} (about 7 minutes on 2 cores, once)", install_root.display());
    let (ok, log) = cargo_install(&install_root, &["--locked", "--force", "trunk", "--version", &format!("~{TRUNK_SERIES}")], None);
    if ok && bin.is_file() {
        Ok(())
    } else {
        Err(format!("cargo install trunk failed:\n{}", tail(&log, 40)))
    }
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
    let bin_dir = wasm_bindgen_bin_dir()?;
    let have = version_of(&bin_dir.join("wasm-bindgen"));
    let runner = bin_dir.join("wasm-bindgen-test-runner").is_file();
    if have.as_deref() == Some(&format!("wasm-bindgen {want}")) && runner {
        println!("    wasm-bindgen {want} ({})", bin_dir.display());
        return Ok(());
    }
    let install_root = tool_root("wasm-bindgen", &want);
    println!("    installing wasm-bindgen-cli {want} into {} (about 2 minutes, once)", install_root.display());
    let (ok, log) = cargo_install(&install_root, &["--locked", "--force", "wasm-bindgen-cli", "--version", &want], None);
    if ok {
        return Ok(());
    }
    // Its lock file can name a crate version this registry mirror lacks. Build
    // it from its own source instead, pinning such a crate to the newest
    // version the registry does have. The copy lies under target/, inside our
    // workspace's folder, so it declares a workspace of its own (an empty
    // [workspace] table) or cargo refuses to build it.
    let source = registry_source(&format!("wasm-bindgen-cli-{want}"))
        .ok_or_else(|| format!("cargo install wasm-bindgen-cli failed and its source is not in the registry cache:\n{}", tail(&log, 40)))?;
    let copy = tools_dir().join(format!("src/wasm-bindgen-cli-{want}"));
    println!("    building it from its source instead, in {}", copy.display());
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&source, &copy).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    declare_own_workspace(&copy.join("Cargo.toml"))?;
    let mut last = log;
    for _ in 0..8 {
        let Some((krate, version)) = unmatched_lock_entry(&last) else {
            return Err(format!("wasm-bindgen-cli {want} does not build here:\n{}", tail(&last, 40)));
        };
        println!("    pinning {krate} to {version}, which this registry has");
        let mut pin = Command::new(shell::cargo_bin());
        pin.args(["update", "--package", &krate, "--precise", &version]).current_dir(&copy);
        shell::run(&mut pin)?;
        let (ok, log) = cargo_install(&install_root, &["--locked", "--force", "--path", "."], Some(&copy));
        if ok {
            return Ok(());
        }
        last = log;
    }
    Err(format!("wasm-bindgen-cli {want} still does not build:\n{}", tail(&last, 40)))
}

/// Appends `[workspace]` to a manifest that has none, so that cargo treats the
/// package as its own workspace root even inside another workspace's folder.
pub fn declare_own_workspace(manifest: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if text.lines().any(|l| l.trim() == "[workspace]") {
        return Ok(());
    }
    std::fs::write(manifest, format!("{text}\n[workspace]\n")).map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}

/// The last `n` lines of a log.
fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
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
        && root().join("node_modules/.bin/terser").is_file()
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

/// The MiniBrowser WebKitWebDriver launches (from libwebkit2gtk-4.1).
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

pub fn other_engines_ready() -> bool {
    on_path("firefox-esr") && on_path("WebKitWebDriver") && on_path("xvfb-run") && Path::new(MINIBROWSER).is_file()
}

fn ensure_other_engines() -> Result<(), String> {
    if other_engines_ready() {
        println!("    {}", output("firefox-esr", &["--version"]).unwrap_or_else(|| "firefox-esr".into()));
        return Ok(());
    }
    apt_install(&["firefox-esr", "webkit2gtk-driver", "xvfb", "xauth"])
}

fn ensure_redis() -> Result<(), String> {
    if on_path("redis-server") {
        println!("    {}", output("redis-server", &["--version"]).unwrap_or_else(|| "redis-server".into()));
        return Ok(());
    }
    apt_install(&["redis-server"])
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
    show("trunk (target/tools)", version_of(&trunk_bin()));
    let lock = locked_wasm_bindgen().ok();
    show("wasm-bindgen (Cargo.lock)", lock.clone());
    show("wasm-bindgen (Trunk.toml)", trunk_toml_wasm_bindgen());
    show(
        "wasm-split-cli (target/tools)",
        crate::split::tool_bin().is_file().then(|| format!("{} ({})", crate::split::TOOL_VERSION, crate::split::tool_bin().display())),
    );
    show(
        "wasm-bindgen-cli installed",
        wasm_bindgen_bin_dir().ok().and_then(|d| version_of(&d.join("wasm-bindgen"))).map(|v| match &lock {
            Some(l) if v.ends_with(l.as_str()) => v,
            Some(l) => format!("{v}  (MISMATCH: Cargo.lock wants {l})"),
            None => v,
        }),
    );
    show(
        "wasm-bindgen-test-runner",
        wasm_bindgen_bin_dir().ok().filter(|d| d.join("wasm-bindgen-test-runner").is_file()).map(|d| d.display().to_string()),
    );
    show("node", output("node", &["--version"]));
    show("npm", output("npm", &["--version"]));
    show("wasm-opt (npm binaryen)", output(&root().join("node_modules/.bin/wasm-opt").to_string_lossy(), &["--version"]));
    show("terser (npm)", output(&root().join("node_modules/.bin/terser").to_string_lossy(), &["--version"]));
    show("playwright-core", root().join("node_modules/playwright-core/package.json").is_file().then(|| "installed".into()));
    show("chromium", output("chromium", &["--version"]));
    show("chromedriver", output("chromedriver", &["--version"]));
    show("firefox-esr", output("firefox-esr", &["--version"]));
    show("WebKitWebDriver", on_path("WebKitWebDriver").then(|| format!("installed (MiniBrowser: {MINIBROWSER})")));
    show("xvfb-run", on_path("xvfb-run").then(|| "installed".into()));
    show("redis-server (tests: two labs sharing a store)", output("redis-server", &["--version"]));
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
    fn only_the_wasm_preload_is_dropped() {
        let html = r#"<head><link rel="modulepreload" href="/a.js"><link rel="preload" href="/a_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"><link rel="preload" href="/font.woff2" as="font"></head>"#;
        assert_eq!(
            without_wasm_preload(html),
            r#"<head><link rel="modulepreload" href="/a.js"><link rel="preload" href="/font.woff2" as="font"></head>"#
        );
    }

    #[test]
    fn the_loader_waits_for_a_paint_once() {
        let html =
            "<script type=\"module\">\nimport init from '/a.js';\nconst wasm = await init({ module_or_path: '/a_bg.wasm' });\n</script>";
        let once = with_paint_first(html).unwrap();
        assert!(once.contains("getEntriesByName('first-contentful-paint')"), "{once}");
        assert!(
            once.contains("await new Promise((go) => { setTimeout(go, 300); try {"),
            "the fallback is set before anything can throw: {once}"
        );
        assert!(
            once.contains(
                "catch (e) { go(); } });\nsetTimeout(() => { try { const code = document.querySelector('meta[name=\"roundtrip-code\"]');"
            ),
            "{once}"
        );
        assert!(once.contains("globalThis.__roundtripEarly = early; } } catch (e) {} });\nconst wasm = await init({"), "{once}");
        assert_eq!(with_paint_first(&once).unwrap(), once, "a second build does not add it again");
        assert_eq!(with_paint_first("<script>nothing</script>"), None, "a changed Trunk loader is an error, not a silent skip");
    }

    #[test]
    fn the_lock_pins_wasm_bindgen_and_trunk_toml_agrees() {
        let locked = locked_wasm_bindgen().unwrap();
        assert!(locked.starts_with("0.2."), "{locked}");
        assert_eq!(trunk_toml_wasm_bindgen().as_deref(), Some(locked.as_str()));
    }
}
