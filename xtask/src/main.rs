//! `cargo xtask <task>`: the project's own build tool.
//!
//! - `serve [--host H] [--port P]`: install what is missing, build the app, serve it with the lab.
//! - `test`: every test: native, wasm-bindgen-test in Chromium, end-to-end.
//! - `bench`: sizes of the built app, time to interactive, printed as figures.
//! - `tidy`: `cargo fmt --check` and clippy `-D warnings` (native crates, and the app for wasm32).
//! - `setup`: install what serve, test and bench need (they do it too), nothing else.
//! - `doctor`: what is installed, which toolchain route is used, what is missing.
//!
//! No dependencies: it must compile in seconds on a fresh machine.

mod bench;
mod lab;
mod setup;
mod shell;
mod test;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <serve [--host H] [--port P] [--pages DIR] | test | bench | tidy | setup | doctor>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test::run(),
        Some("bench") => bench::run(),
        Some("doctor") => setup::doctor(),
        Some("tidy") => tidy(),
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

fn tidy() -> Result<(), String> {
    let tools = setup::ensure_all(setup::Need::Test)?;
    let failed: Vec<&str> = tidy::run(&tools).into_iter().filter(|(_, ok)| !ok).map(|(name, _)| name).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("not tidy: {}", failed.join(", ")))
    }
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut host = "127.0.0.1".to_owned();
    let mut port = "8080".to_owned();
    let mut pages = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("--host", Some(v)) => host = v.clone(),
            ("--port", Some(v)) => port = v.clone(),
            ("--pages", Some(v)) => pages = Some(v.clone()),
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
    let status = lab.status().map_err(|e| format!("could not start the lab server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the lab server stopped with {status}"))
    }
}
