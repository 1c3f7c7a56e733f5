//! Issue 15, attack 4: 20,000 silent connections from one client exhausted
//! the lab's file descriptors and `/lab/get` stopped answering. The lab runs
//! as its own process here (its own descriptor limit, as in a class), and
//! this test binary holds nothing else open.

mod common;

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How many silent connections to open. The attack used 20,000; a
/// client on this machine binding that many ports on 127.0.0.2 spends most of
/// a minute in the kernel's port search, so the default is 5,000: still 78
/// times one client's share (64) and ten times the lab's whole cap (512).
/// `ROUNDTRIP_FLOOD=20000` runs the full attack (it needs an open-file limit
/// above that; 200 descriptors are kept for everything else).
fn connections_to_open() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1024);
    let wanted = std::env::var("ROUNDTRIP_FLOOD").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    soft.saturating_sub(200).min(wanted)
}

#[test]
fn thousands_of_silent_connections_from_one_client_leave_lab_get_answering() {
    let (mut lab, addr) = common::spawn_lab();

    let target = connections_to_open();
    assert!(target > 1000, "too few file descriptors to test with ({target})");
    let attacker = IpAddr::from([127, 0, 0, 2]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let started = Instant::now();
    let held = rt.block_on(async {
        let mut held = Vec::with_capacity(target);
        while held.len() < target && started.elapsed() < Duration::from_secs(120) {
            let batch: Vec<_> = (0..1000.min(target - held.len()))
                .map(|_| async move {
                    let socket = tokio::net::TcpSocket::new_v4().ok()?;
                    socket.bind(SocketAddr::new(attacker, 0)).ok()?;
                    tokio::time::timeout(Duration::from_secs(5), socket.connect(addr)).await.ok()?.ok()
                })
                .collect();
            held.extend(futures_util::future::join_all(batch).await.into_iter().flatten());
        }
        held
    });
    assert!(held.len() >= target * 9 / 10, "only {} of {target} connections opened", held.len());

    // Another learner, while all of them are held open.
    let asked = Instant::now();
    let mut learner = TcpStream::connect(addr).unwrap();
    learner.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    learner.write_all(b"GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    learner.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(asked.elapsed() < Duration::from_secs(2), "answered after {:?}", asked.elapsed());

    // The lab itself holds a bounded number of them, not 20,000.
    let fds = std::fs::read_dir(format!("/proc/{}/fd", lab.id())).map(|d| d.count()).unwrap_or(0);
    assert!(fds < 200, "the lab holds {fds} file descriptors for {} connections", held.len());
    drop(held);
    let _ = lab.kill();
    let _ = lab.wait();
}
