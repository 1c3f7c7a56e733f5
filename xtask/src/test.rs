//! `cargo xtask test`: every level of test, one tally.

use crate::lab::Lab;
use crate::setup::{self, Need, Tools};
use crate::shell::{self, root, run_tee, step};
use std::process::Command;

#[derive(Default)]
struct Tally {
    rows: Vec<(String, usize, usize)>,
}

impl Tally {
    /// Records one level from its runner's output; a runner that failed
    /// without reporting a failed test (a build error) counts as one failure.
    fn record(&mut self, level: &str, ok: bool, (passed, failed): (usize, usize)) {
        let failed = if !ok && failed == 0 { 1 } else { failed };
        self.rows.push((level.to_owned(), passed, failed));
    }

    fn skipped(&mut self, level: &str, why: &str) {
        println!("    {level} not run: {why}");
        self.rows.push((level.to_owned(), 0, 1));
    }

    /// One line per level; the engines' suites add up under the engine's name.
    fn merged(&self) -> Vec<(String, usize, usize)> {
        let mut out: Vec<(String, usize, usize)> = Vec::new();
        for (level, p, f) in &self.rows {
            match out.iter_mut().find(|(l, _, _)| l == level) {
                Some(row) => {
                    row.1 += p;
                    row.2 += f;
                }
                None => out.push((level.clone(), *p, *f)),
            }
        }
        out
    }

    fn totals(&self) -> (usize, usize) {
        self.rows.iter().fold((0, 0), |(p, f), (_, rp, rf)| (p + rp, f + rf))
    }
}

/// Sums libtest's (and wasm-bindgen-test-runner's) "test result:" lines.
pub fn count_cargo(out: &str) -> (usize, usize) {
    let mut totals = (0, 0);
    for line in out.lines().filter(|l| l.trim_start().starts_with("test result:")) {
        let number_before = |word: &str| {
            line.split(';')
                .find_map(|part| {
                    part.trim().strip_suffix(word).map(|n| n.trim().rsplit(' ').next().unwrap_or("").parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0)
        };
        totals.0 += number_before("passed");
        totals.1 += number_before("failed");
    }
    totals
}

/// Reads node's test runner summary ("ℹ pass 5" / "# pass 5").
pub fn count_node(out: &str) -> (usize, usize) {
    let mut totals = (0, 0);
    for line in out.lines() {
        let t = line.trim_start_matches(|c: char| c == 'ℹ' || c == '#' || c.is_whitespace());
        let number = |prefix: &str| t.strip_prefix(prefix).and_then(|n| n.trim().parse::<usize>().ok());
        if let Some(n) = number("pass ") {
            totals.0 = n;
        }
        if let Some(n) = number("fail ") {
            totals.1 = n;
        }
    }
    totals
}

pub fn run() -> Result<(), String> {
    let tools = setup::ensure_all(Need::Test)?;
    let mut tally = Tally::default();

    // Tidy first: a mis-formatted line or a clippy warning fails the run.
    let tidy = crate::tidy::run(&tools);
    let passed = tidy.iter().filter(|(_, ok)| *ok).count();
    tally.record("tidy", true, (passed, tidy.len() - passed));

    let native = step("native tests (model, lab over loopback, xtask)", || {
        Ok(run_tee(
            Command::new(shell::cargo_bin()).args(["test", "--workspace", "--exclude", "roundtrip", "--no-fail-fast"]).current_dir(root()),
        ))
    })?;
    tally.record("native", native.0, count_cargo(&native.1));

    let built = setup::build_app(&tools).is_ok();
    let lab_built = step("build the lab server", || shell::cargo(&["build", "--package", "roundtrip-lab"])).is_ok();
    let lab = if lab_built { Lab::start(&root().join("target/debug/roundtrip-lab"), &root().join("dist")).ok() } else { None };

    match &lab {
        Some(lab) => {
            let wasm = step("browser glue in headless Chromium (wasm-bindgen-test)", || wasm_tests(&tools, lab))?;
            tally.record("wasm-bindgen-test", wasm.0, count_cargo(&wasm.1));
        }
        None => tally.skipped("wasm-bindgen-test", "the lab server did not build or start"),
    }
    match (&lab, built) {
        (Some(lab), true) => {
            // Chromium: the full suite (Playwright) and the core suite.
            let e2e = step("end-to-end: the real app in Chromium against the real lab", || {
                let mut cmd = Command::new("node");
                cmd.args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                    .args(E2E_FILES.iter().map(|f| root().join("tests/e2e").join(f)))
                    .current_dir(root())
                    .env("ROUNDTRIP_URL", &lab.url)
                    .env("ROUNDTRIP_DIST", root().join("dist"))
                    // teacher.test.mjs and harlink.test.mjs start labs of their own.
                    .env("ROUNDTRIP_LAB_BIN", root().join("target/debug/roundtrip-lab"));
                Ok(run_tee(&mut cmd))
            })?;
            tally.record("chromium", e2e.0, count_node(&e2e.1));
            // Every engine: the core suite, from one code base.
            for engine in ["chromium", "firefox", "webkit"] {
                let core = step(&format!("end-to-end core suite in {engine}"), || Ok(core_suite(engine, &lab.url)))?;
                tally.record(engine, core.0, count_node(&core.1));
            }
        }
        _ => tally.skipped("end-to-end", "the app or the lab did not build"),
    }
    drop(lab);

    // One binary with the app inside, run alone from an empty folder (the
    // dev profile: the release one would compile every dependency again).
    if built {
        match step("one binary with the app inside (cargo xtask dist --dev)", || crate::dist(&["--dev".to_owned()])) {
            Ok(bin) => {
                let run = step("end-to-end: that binary alone, from an empty folder, in Chromium", || {
                    let mut cmd = Command::new("node");
                    cmd.args(["--test", "--test-reporter=spec"])
                        .arg(root().join("tests/e2e/dist.test.mjs"))
                        .current_dir(root())
                        .env("ROUNDTRIP_DIST_BIN", &bin);
                    Ok(run_tee(&mut cmd))
                })?;
                tally.record("dist", run.0, count_node(&run.1));
            }
            Err(_) => tally.record("dist", false, (0, 1)),
        }
    }

    println!();
    for (level, passed, failed) in tally.merged() {
        println!("  {level:<20} {passed:>4} passed, {failed} failed");
    }
    let (passed, failed) = tally.totals();
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

/// The Chromium-only suites (Playwright: the DevTools protocol, axe-core).
const E2E_FILES: &[&str] = &[
    "workbench.test.mjs",
    "journey.test.mjs",
    "lessons.test.mjs",
    "reveal.test.mjs",
    "pageload.test.mjs",
    // Starts a lab of its own serving the app and crafted HARs.
    "harlink.test.mjs",
    "safety.test.mjs",
    "leaving.test.mjs",
    "teacher.test.mjs",
    "paint.test.mjs",
    "split.test.mjs",
];

/// The core suite in one engine; WebKitGTK has no headless mode: under Xvfb.
fn core_suite(engine: &str, lab_url: &str) -> (bool, String) {
    let mut cmd = if engine == "webkit" {
        let mut c = Command::new("xvfb-run");
        c.args(["-a", "node"]);
        c
    } else {
        Command::new("node")
    };
    cmd.args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .arg(root().join("tests/e2e/engines"))
        .current_dir(root())
        .env("ROUNDTRIP_ENGINE", engine)
        .env("ROUNDTRIP_URL", lab_url)
        .env("ROUNDTRIP_MINIBROWSER", setup::MINIBROWSER);
    run_tee(&mut cmd)
}

fn wasm_tests(tools: &Tools, lab: &Lab) -> Result<(bool, String), String> {
    let lab_url = &lab.url;
    let runner = setup::wasm_bindgen_bin_dir().map(|d| d.join("wasm-bindgen-test-runner")).unwrap_or_default();
    // Chromium trusts the lab's certificate by its pin, as in the e2e tests:
    // the project's webdriver.json plus that one argument, in target/.
    let capabilities = std::fs::read_to_string(root().join("webdriver.json")).map_err(|e| format!("reading webdriver.json: {e}"))?;
    let with_pin = match &lab.https {
        Some((_, pin)) => {
            capabilities.replacen("\"--headless\",", &format!("\"--ignore-certificate-errors-spki-list={pin}\", \"--headless\","), 1)
        }
        None => capabilities,
    };
    let webdriver_json = root().join("target/webdriver-lab.json");
    std::fs::write(&webdriver_json, with_pin).map_err(|e| format!("writing {}: {e}", webdriver_json.display()))?;
    let mut cmd = Command::new(shell::cargo_bin());
    cmd.args(["test", "--package", "roundtrip", "--target", "wasm32-unknown-unknown", "--test", "web"])
        .current_dir(root())
        .envs(tools.wasm_env.iter().map(|(k, v)| (k, v)))
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "60")
        .env("ROUNDTRIP_LAB_URL", lab_url)
        .env("ROUNDTRIP_LAB_HTTPS", lab.https.as_ref().map(|(u, _)| u.as_str()).unwrap_or(""))
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json);
    Ok(run_tee(&mut cmd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_summaries() {
        let out = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   test result: FAILED. 8 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(count_cargo(out), (11, 2));
        assert_eq!(count_cargo("error[E0432]: unresolved import"), (0, 0));
    }

    #[test]
    fn counts_node_summaries() {
        assert_eq!(count_node("ℹ tests 6\nℹ suites 0\nℹ pass 5\nℹ fail 1\nℹ cancelled 0\n"), (5, 1));
        assert_eq!(count_node("# pass 4\n# fail 0\n"), (4, 0));
    }

    #[test]
    fn a_level_that_failed_to_build_counts_as_a_failure() {
        let mut t = Tally::default();
        t.record("native", false, (0, 0));
        t.record("e2e", true, (4, 0));
        assert_eq!(t.totals(), (4, 1));
        t.record("e2e", true, (2, 1));
        assert_eq!(t.merged(), vec![("native".to_string(), 0, 1), ("e2e".to_string(), 6, 1)]);
    }
}
