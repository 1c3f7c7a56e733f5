//! `cargo xtask <task>`: the project's own build tool.
//!
//! - `serve [--host H] [--port P] [--pages DIR] [--lessons DIR]`: install what is missing, build the app, serve it with the lab.
//! - `build`: install what is missing, build the app into dist/ (release), nothing else.
//! - `dist [--dev]`: one binary, target/dist/roundtrip-lab, with the app inside (release; `--dev`: the dev profile, for tests).
//! - `test`: every test: native, wasm-bindgen-test in Chromium, end-to-end.
//! - `bench`: figures: sizes of the built app beside a minimal Leptos app, time to interactive, a throttled phone's
//!   first loads, timeline frames, a 5,000-entry HAR import, the lab against httpbin, the lab's memory.
//! - `record URL`: one page load recorded as a HAR by headless Chromium, ready for the page-load explorer.
//! - `tidy`: `cargo fmt --check` and clippy `-D warnings` (native crates, and the app for wasm32).
//! - `setup`: install what serve, test and bench need (they do it too), nothing else.
//! - `doctor`: what is installed, which toolchain route is used, what is missing.
//!
//! Few dependencies, all already in the lock for the lab and the model, so
//! it adds little to a fresh machine's first build.

mod bench;
mod lab;
mod setup;
mod shell;
mod split;
mod test;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <serve [--host H] [--port P] [--pages DIR] [--lessons DIR] | build | dist [--dev] | test | bench | record URL [--out FILE] [--resolve RULES] | tidy | setup | doctor>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("build") => setup::ensure_all(setup::Need::Build).and_then(|tools| setup::build_app(&tools)),
        Some("dist") => dist(&args[1..]).map(|bin| {
            println!("\nOne file, the app inside: {}", bin.display());
            println!("Copy it anywhere (Linux, same architecture) and run: ./roundtrip-lab --host 0.0.0.0");
        }),
        Some("test") => test::run(),
        Some("bench") => bench::run(),
        Some("doctor") => setup::doctor(),
        Some("tidy") => tidy(),
        Some("record") => record(&args[1..]),
        // What Trunk runs as `wasm-bindgen` during `build` (src/split.rs).
        Some("wasm-bindgen-split") => split::bindgen(&args[1..]),
        Some("setup") => setup::ensure_all(setup::Need::Test).map(|_| ()),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Records a page load as a HAR (Chromium's own timings) into
/// target/recordings/, served by `cargo xtask serve --pages target/recordings`
/// and opened in the page-load explorer by a link.
fn record(args: &[String]) -> Result<(), String> {
    let mut url = None;
    let mut out = None;
    let mut rules = None;
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--out", Some(v)) => {
                out = Some(std::path::PathBuf::from(v));
                i += 1;
            }
            ("--resolve", Some(v)) => {
                rules = Some(v.clone());
                i += 1;
            }
            (u, _) if url.is_none() && (u.starts_with("http://") || u.starts_with("https://")) => url = Some(u.to_owned()),
            (other, _) => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let url = url.ok_or_else(|| format!("record needs a URL (http:// or https://)\n{USAGE}"))?;
    setup::ensure_all(setup::Need::Test)?;
    let dir = shell::root().join("target/recordings");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = out.unwrap_or_else(|| dir.join(recording_name(&url)));
    shell::step(&format!("record {url} in headless Chromium"), || {
        let mut cmd = std::process::Command::new("node");
        cmd.arg(shell::root().join("xtask/js/record.mjs")).arg(&url).arg(&out).current_dir(shell::root());
        if let Some(r) = &rules {
            cmd.arg(r);
        }
        shell::run(&mut cmd)
    })?;
    let file = out.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    println!("\nSaved {}.", out.display());
    if out.parent() == Some(dir.as_path()) {
        println!("Open it in the page-load explorer:\n  cargo xtask serve --pages target/recordings\n  http://127.0.0.1:8080/pages?har=/pages/{file}");
    } else {
        println!("Open http://127.0.0.1:8080/pages (cargo xtask serve) and import it with “HAR file”.");
    }
    Ok(())
}

/// `shop.example-2026…` from a URL: its host and the time, safe as a file name.
fn recording_name(url: &str) -> String {
    let host: String = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("page")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("{}-{secs}.har", if host.is_empty() { "page" } else { &host })
}

fn tidy() -> Result<(), String> {
    let tools = setup::ensure_all(setup::Need::Test)?;
    let failed: Vec<&str> = tidy::run(&tools).into_iter().filter(|(_, ok)| !ok).map(|(name, _)| name).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("not tidy: {}", failed.join(", ")))
    }
}

/// Builds the app, then the lab with the app's files compiled in (feature
/// `embed-app`), copied to target/dist/roundtrip-lab. Returns its path.
pub fn dist(args: &[String]) -> Result<std::path::PathBuf, String> {
    let dev = match args {
        [] => false,
        [flag] if flag == "--dev" => true,
        _ => return Err(format!("unexpected arguments {args:?}\n{USAGE}")),
    };
    let tools = setup::ensure_all(setup::Need::Build)?;
    setup::build_app(&tools)?;
    let mut cargo_args = vec!["build", "--package", "roundtrip-lab", "--features", "embed-app"];
    if !dev {
        cargo_args.push("--release");
    }
    shell::step("build the lab with the app inside (feature embed-app)", || shell::cargo(&cargo_args))?;
    let built = shell::root().join(if dev { "target/debug/roundtrip-lab" } else { "target/release/roundtrip-lab" });
    let out_dir = shell::root().join("target/dist");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("creating {}: {e}", out_dir.display()))?;
    let out = out_dir.join("roundtrip-lab");
    std::fs::copy(&built, &out).map_err(|e| format!("copying {} to {}: {e}", built.display(), out.display()))?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!("    {}: {bytes} bytes", out.display());
    Ok(out)
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut host = "127.0.0.1".to_owned();
    let mut port = "8080".to_owned();
    let mut pages = None;
    let mut lessons = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("--host", Some(v)) => host = v.clone(),
            ("--port", Some(v)) => port = v.clone(),
            ("--pages", Some(v)) => pages = Some(v.clone()),
            ("--lessons", Some(v)) => lessons = Some(v.clone()),
            _ => return Err(format!("unexpected argument {arg:?}\n{USAGE}")),
        }
    }
    let tools = setup::ensure_all(setup::Need::Serve)?;
    setup::build_app(&tools)?;
    shell::step("build the lab server (release)", || shell::cargo(&["build", "--release", "--package", "roundtrip-lab"]))?;
    let bin = shell::root().join("target/release/roundtrip-lab");
    println!("\nRoundtrip: serving the app and the lab on http://{host}:{port}/  (Ctrl-C stops it)\n");
    let mut lab = std::process::Command::new(bin);
    lab.args(["--host", &host, "--port", &port, "--dist"]).arg(shell::root().join("dist"));
    if let Some(dir) = pages {
        lab.arg("--pages").arg(dir);
    }
    if let Some(dir) = lessons {
        lab.arg("--lessons").arg(dir);
    }
    let status = lab.status().map_err(|e| format!("could not start the lab server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the lab server stopped with {status}"))
    }
}
