//! `cargo xtask bench`: figures, not pass/fail. Sizes of the release build
//! (beside the smallest Leptos app's, bench/leptos-floor), navigation to
//! interactive on loopback and on a throttled phone, the timeline's frames,
//! a 5,000-entry HAR import, the lab against httpbin, the lab's memory.

use crate::lab::Lab;
use crate::setup::{self, Need};
use crate::shell::{self, root, step};
use std::process::Command;

const LOADS: usize = 9;

pub fn run() -> Result<(), String> {
    let tools = setup::ensure_all(Need::Bench)?;
    setup::build_app(&tools)?;
    step("build the lab server (release)", || shell::cargo(&["build", "--release", "--package", "roundtrip-lab"]))?;

    println!("\nRelease build sizes (dist/):");
    println!("  {:<40} {:>10} {:>10} {:>12}", "file", "raw B", "gzip -9 B", "brotli q11 B");
    let mut entries: Vec<_> = std::fs::read_dir(root().join("dist"))
        .map_err(|e| format!("no dist/: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "html")))
        .collect();
    entries.sort();
    // The split's shared chunks (code two or more parts use) are many and
    // small: summed on one line.
    let mut chunks = (0, 0, 0, 0);
    for path in entries {
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let gz = Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map(|o| o.stdout.len() as u64).unwrap_or(0);
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        // The copy the lab serves to a browser that accepts brotli (cargo xtask build makes it).
        let br = std::fs::metadata(format!("{}.br", path.display())).map(|m| m.len()).ok();
        if name.starts_with("chunk_") {
            chunks = (chunks.0 + 1, chunks.1 + raw, chunks.2 + gz, chunks.3 + br.unwrap_or(0));
            continue;
        }
        let br = br.map_or_else(|| "–".into(), |b| b.to_string());
        println!("  {name:<40} {raw:>10} {gz:>10} {br:>12}");
    }
    let label = format!("chunk_*.wasm ({} shared chunks)", chunks.0);
    println!("  {label:<40} {:>10} {:>10} {:>12}", chunks.1, chunks.2, chunks.3);
    // A peer that does not build costs its own line, not the bench's figures.
    let _ = step("build the peer: the smallest Leptos app with a router (bench/leptos-floor)", || leptos_floor(&tools));

    let lab = Lab::start(&root().join("target/release/roundtrip-lab"), &root().join("dist"))?;
    println!("\nTime to interactive in headless Chromium ({LOADS} loads, HTTP cache off, loopback):");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("xtask/js/bench-interactive.mjs")).arg(&lab.url).arg(LOADS.to_string()).current_dir(root());
    shell::run(&mut cmd)?;
    println!("\nA phone on a slow link: first load on a 412 px screen, throttled as Lighthouse's mobile run (150 ms RTT, 1.6 Mbps down, CPU 4x), cache off, median of 5:");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("xtask/js/bench-phone.mjs"))
        .arg(&lab.url)
        .arg("5")
        .args(["/", "/lessons", "/lesson/the-cycle", "/pages"])
        .current_dir(root());
    shell::run(&mut cmd)?;
    println!("\nThe timeline with 1,000 rows, scrolling, with the journey animating (headless Chromium, software rendering):");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("xtask/js/bench-frames.mjs")).arg(&lab.url).current_dir(root());
    shell::run(&mut cmd)?;
    println!("\nImporting a 5,000-entry HAR (copies of a real Chromium HAR of the median fixture):");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("xtask/js/bench-har.mjs"))
        .arg(&lab.url)
        .arg(root().join("crates/model/tests/data/chromium-median.har"))
        .current_dir(root());
    shell::run(&mut cmd)?;
    let before = lab.rss_kib();
    lab_against_httpbin(&lab.url)?;
    // What one lab process holds (docs/deploy.md): its memory after this
    // whole bench (every page above, the HAR, the loads) against it.
    let mib = |k: Option<u64>| k.map_or("–".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    println!("\nOne lab process (release), resident memory: {} before the load tests, {} after them", mib(before), mib(lab.rss_kib()));
    Ok(())
}

/// The peer of the first wasm: what Leptos 0.8 itself weighs in an app of
/// Roundtrip's shape (a router, two routes, a signal), built with the same
/// versions (its Cargo.lock is the app's), profile, wasm-bindgen, wasm-opt
/// and minifier. Whatever the first wasm weighs above it is the app's own.
fn leptos_floor(tools: &setup::Tools) -> Result<(), String> {
    let dir = root().join("bench/leptos-floor");
    let target = root().join("target/floor");
    let mut build = Command::new(shell::cargo_bin());
    build
        .args(["build", "--locked", "--profile", "wasm-release", "--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        // The wasm route the app is built with (rustup's target, or build-std).
        .envs(tools.wasm_env.iter().map(|(k, v)| (k, v)))
        .env("CARGO_TARGET_DIR", &target);
    shell::run(&mut build)?;
    let out = target.join("out");
    let mut bindgen = Command::new(setup::wasm_bindgen_bin_dir()?.join("wasm-bindgen"));
    bindgen.arg(target.join("wasm32-unknown-unknown/wasm-release/leptos-floor.wasm")).args(["--target", "web", "--out-dir"]).arg(&out);
    shell::run(&mut bindgen)?;
    let wasm = out.join("leptos-floor_bg.wasm");
    shell::run(Command::new(root().join("node_modules/.bin/wasm-opt")).arg("-Oz").arg(&wasm).arg("-o").arg(&wasm))?;
    let js_path = out.join("leptos-floor.js");
    let js = std::fs::read_to_string(&js_path).map_err(|e| format!("{}: {e}", js_path.display()))?;
    std::fs::write(&js_path, crate::split::minify(&js, "leptos-floor.js")?).map_err(|e| format!("{}: {e}", js_path.display()))?;
    let sizes = |p: &std::path::Path| {
        let raw = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let br = Command::new("brotli")
            .args(["-q", "11", "-c"])
            .arg(p)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map_or_else(|| "–".to_owned(), |o| o.stdout.len().to_string());
        (raw, br)
    };
    let (wasm_raw, wasm_br) = sizes(&wasm);
    let (js_raw, js_br) = sizes(&js_path);
    println!("  peer: Leptos 0.8 itself, the smallest app with a router (bench/leptos-floor):");
    println!("  {:<40} {wasm_raw:>10} {:>10} {wasm_br:>12}", "  its wasm", "");
    println!("  {:<40} {js_raw:>10} {:>10} {js_br:>12}", "  its JS glue", "");
    Ok(())
}

/// The lab's throughput and latency next to Python's httpbin (gunicorn), on
/// the same machine, with the same load, in the same run.
fn lab_against_httpbin(lab_url: &str) -> Result<(), String> {
    if !shell::on_path("wrk") {
        setup::apt_install(&["wrk"])?;
    }
    let httpbin = step("httpbin and gunicorn from PyPI (a venv under target/)", ensure_httpbin)?;
    let port = free_port()?;
    let workers = (2 * std::thread::available_parallelism().map_or(2, |n| n.get()) + 1).to_string();
    let mut gunicorn = Command::new(httpbin)
        .args(["--bind", &format!("127.0.0.1:{port}"), "--workers", &workers, "--log-level", "warning", "httpbin:app"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start gunicorn: {e}"))?;
    let httpbin_url = format!("http://127.0.0.1:{port}");
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let result = if ready { compare(lab_url, &httpbin_url, &workers) } else { Err("gunicorn did not start".to_owned()) };
    stop_gracefully(&mut gunicorn);
    result
}

/// SIGTERM, so that gunicorn's master stops its workers (SIGKILL would leave
/// them running as orphans, loading the machine); SIGKILL only as a last resort.
fn stop_gracefully(child: &mut std::process::Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    for _ in 0..100 {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

const CONNECTIONS: &str = "16";
const SECONDS: &str = "5";

fn compare(lab: &str, httpbin: &str, workers: &str) -> Result<(), String> {
    println!("\nThe lab against httpbin 0.10.4 (gunicorn, {workers} sync workers), wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, loopback, both on these 2 cores:");
    println!(
        "  {:<14} {:>12} {:>9} {:>9}   {:>12} {:>9} {:>9}   {:>8}",
        "endpoint", "lab req/s", "p50", "p99", "httpbin req/s", "p50", "p99", "ratio"
    );
    for (ours, theirs) in [("/lab/get", "/get"), ("/lab/anything", "/anything")] {
        let a = wrk(&format!("{lab}{ours}"))?;
        let b = wrk(&format!("{httpbin}{theirs}"))?;
        println!(
            "  {:<14} {:>12.0} {:>9} {:>9}   {:>12.0} {:>9} {:>9}   {:>7.1}x",
            ours,
            a.rps,
            ms(a.p50),
            ms(a.p99),
            b.rps,
            ms(b.p50),
            ms(b.p99),
            a.rps / b.rps.max(1e-9)
        );
    }
    println!("  (target: the lab at least 5x httpbin's throughput, p99 under 5 ms)");
    Ok(())
}

fn ms(v: f64) -> String {
    format!("{v:.2} ms")
}

pub struct Load {
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
}

fn wrk(url: &str) -> Result<Load, String> {
    // A short warm-up, then the measured run.
    let _ = Command::new("wrk").args(["-t2", "-c4", "-d1s", url]).output();
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{SECONDS}s"), "--latency", url])
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    parse_wrk(&text).ok_or_else(|| format!("could not read wrk's output for {url}:\n{text}"))
}

/// Reads `Requests/sec:` and the 50% and 99% latency lines of `wrk --latency`.
pub fn parse_wrk(text: &str) -> Option<Load> {
    let field = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()));
    let duration = |v: String| -> Option<f64> {
        let (number, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = number.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            _ => return None,
        })
    };
    Some(Load { rps: field("Requests/sec:")?.parse().ok()?, p50: duration(field("50%")?)?, p99: duration(field("99%")?)? })
}

fn ensure_httpbin() -> Result<std::path::PathBuf, String> {
    let venv = root().join("target/bench/httpbin-venv");
    let gunicorn = venv.join("bin/gunicorn");
    if gunicorn.is_file() {
        return Ok(gunicorn);
    }
    shell::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    shell::run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "httpbin==0.10.4", "gunicorn"]))?;
    Ok(gunicorn)
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_latency_output() {
        let out = "Running 5s test @ http://127.0.0.1:8080/lab/get\n  2 threads and 16 connections\n  Latency Distribution\n     50%  180.00us\n     75%  250.00us\n     90%  400.00us\n     99%    1.20ms\n  98765 requests in 5.00s, 80.00MB read\nRequests/sec:  19753.00\nTransfer/sec:     16.00MB\n";
        let load = parse_wrk(out).unwrap();
        assert_eq!((load.rps, load.p50, load.p99), (19753.0, 0.18, 1.2));
        assert!(parse_wrk("garbage").is_none());
    }
}
