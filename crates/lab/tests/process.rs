//! The lab as a process: it says where it listens, and stops cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_lab_gracefully() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_roundtrip-lab"))
        .args(["--port", "0", "--dist", "/nonexistent"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("roundtrip-lab listening on http://127.0.0.1:"), "{line}");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "the lab exited with {exit}");
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the lab did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_bad_argument_is_a_clear_message_not_a_panic() {
    let out = Command::new(env!("CARGO_BIN_EXE_roundtrip-lab")).arg("--colour").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unexpected argument \"--colour\"") && err.contains("usage:"), "{err}");
}
