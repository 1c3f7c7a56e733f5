//! The lab as a process: it says where it listens, and stops cleanly.

mod common;

use common::spawn_lab;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_lab_gracefully() {
    let (mut child, addr) = spawn_lab();
    assert!(addr.ip().is_loopback(), "it listens on loopback: {addr}");
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

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Issue 15, attack 5: 30 clients that never read `/lab/bytes/10485760`
/// took the lab from 52 MB to 333 MB, and it kept it.
#[test]
fn thirty_clients_that_never_read_ten_mebibytes_leave_rss_under_120_mb() {
    use std::io::Write;
    let (mut lab, addr) = spawn_lab();
    let before = rss_kib(lab.id());
    let mut stalled = Vec::new();
    for _ in 0..30 {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /lab/bytes/10485760 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        stalled.push(s);
    }
    let mut peak = before;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        peak = peak.max(rss_kib(lab.id()));
        std::thread::sleep(Duration::from_millis(50));
    }
    // Each connection got its answer started: the lab is not simply refusing.
    let mut head = [0u8; 12];
    use std::io::Read;
    stalled[29].read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    assert!(peak < 120 * 1024, "RSS went from {before} KiB to {peak} KiB");
    drop(stalled);
    let _ = lab.kill();
    let _ = lab.wait();
}

/// Issue 15, attack 10: a half-sent request or a long response kept a
/// gracefully stopping lab alive for good. Now requests under way get the
/// shutdown deadline (10 s), then the rest is closed.
#[test]
fn sigterm_with_stalled_clients_exits_within_the_deadline() {
    use std::io::Write;
    let (mut lab, addr) = spawn_lab();
    let mut half = std::net::TcpStream::connect(addr).unwrap();
    half.write_all(b"POST /lab/anything HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly part").unwrap();
    // A response that takes 20 s (10 s delay, then 10 s of dripping).
    let mut long = std::net::TcpStream::connect(addr).unwrap();
    long.write_all(b"GET /lab/drip?delay=10&duration=10&numbytes=10 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut idle = std::net::TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("kill").args(["-TERM", &lab.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = lab.try_wait().unwrap() {
            break exit;
        }
        assert!(started.elapsed() < Duration::from_secs(13), "the lab was still running 13 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");
    assert!(started.elapsed() >= Duration::from_secs(9), "it gave requests under way their time: {:?}", started.elapsed());
}

#[test]
fn allow_origin_takes_an_origin_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_roundtrip-lab")).args(["--allow-origin", "*"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an origin"));
}

#[test]
fn a_desktops_soft_limit_of_open_files_is_raised_to_the_hard_one() {
    use std::io::BufRead;
    // Started as a desktop session starts it: 1,024 open files allowed,
    // though the hard limit allows more.
    let mut child = Command::new("sh")
        .args(["-c", "h=$(ulimit -Hn); if [ \"$h\" = unlimited ] || [ \"$h\" -gt 1024 ]; then ulimit -Sn 1024; fi; exec \"$0\" --port 0 --https-port off --dist /nonexistent"])
        .arg(env!("CARGO_BIN_EXE_roundtrip-lab"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("roundtrip-lab listening on"), "{line}");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let files = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let numbers: Vec<&str> = files.split_whitespace().skip(3).take(2).collect();
    let (soft, hard) = (numbers[0], numbers[1]);
    let expected = if hard == "unlimited" { 65_536 } else { hard.parse::<u64>().unwrap().min(65_536) };
    if expected > 1024 {
        assert_eq!(soft.parse::<u64>().unwrap(), expected, "{files}");
    }
}
