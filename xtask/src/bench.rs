//! `cargo xtask bench`: figures, not pass/fail. Sizes of the release build
//! and the time from navigation to the first interactive render.

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
    println!("  {:<40} {:>10} {:>10}", "file", "raw B", "gzip -9 B");
    let mut entries: Vec<_> = std::fs::read_dir(root().join("dist"))
        .map_err(|e| format!("no dist/: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "html")))
        .collect();
    entries.sort();
    for path in entries {
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let gz = Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map(|o| o.stdout.len()).unwrap_or(0);
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        println!("  {name:<40} {raw:>10} {gz:>10}");
    }

    let lab = Lab::start(&root().join("target/release/roundtrip-lab"), &root().join("dist"))?;
    println!("\nTime to interactive in headless Chromium ({LOADS} loads, HTTP cache off, loopback):");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("xtask/js/bench-interactive.mjs")).arg(&lab.url).arg(LOADS.to_string()).current_dir(root());
    shell::run(&mut cmd)
}
