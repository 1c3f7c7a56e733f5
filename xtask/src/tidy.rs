//! `cargo xtask tidy`: the tree is formatted and clippy has nothing to say.
//!
//! `cargo fmt --check` over the workspace, then clippy with `-D warnings`:
//! the native crates (model, lab, xtask) for the host, and the app for
//! wasm32, the target it is built for. `cargo xtask test` runs this first.

use crate::setup::Tools;
use crate::shell::{self, root, step};
use std::process::Command;

/// One check's name and whether it passed.
pub type Outcome = (&'static str, bool);

pub fn run(tools: &Tools) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut check = |name: &'static str, cmd: &mut Command| {
        let ok = step(name, || shell::run(cmd.current_dir(root()))).is_ok();
        outcomes.push((name, ok));
    };
    check("tidy: cargo fmt --check", Command::new(shell::cargo_bin()).args(["fmt", "--all", "--check"]));
    check(
        "tidy: clippy, native crates",
        Command::new(shell::cargo_bin()).args([
            "clippy",
            "--workspace",
            "--exclude",
            "roundtrip",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]),
    );
    check(
        "tidy: clippy, the app for wasm32",
        Command::new(shell::cargo_bin())
            .args([
                "clippy",
                "--package",
                "roundtrip",
                "--target",
                "wasm32-unknown-unknown",
                // As it ships: with the split points (src/split.rs).
                "--features",
                "split",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ])
            .envs(tools.wasm_env.iter().map(|(k, v)| (k, v))),
    );
    outcomes
}
