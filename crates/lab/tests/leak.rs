//! The release of what an attacker held: the lab binary, attacked over
//! HTTP/2 with streams of its own files whose windows never open, gives
//! back its file descriptors and its memory when the attacker leaves. The
//! figures are the lab process's own (`/proc/PID/fd`, `VmRSS`).

mod common;

use common::tls::connect_from;
use hyper::body::Bytes;
use roundtrip_lab::tls;
use std::io::BufRead;
use std::net::{IpAddr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

fn resident_kib(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Polls the figure (a read of /proc, every 20 ms) until it is within
/// `within` of `baseline`; panics with the last figure if it never is.
async fn back_to(what: &str, baseline: usize, within: f64, figure: impl Fn() -> usize) -> usize {
    let bound = (baseline as f64 * (1.0 + within)).ceil() as usize;
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    for _ in 0..6000 {
        tick.tick().await;
        let now = figure();
        if now <= bound {
            return now;
        }
    }
    panic!("{what} never came back within {within} of {baseline}: {}", figure());
}

#[tokio::test]
async fn descriptors_and_memory_come_back_after_a_zero_window_attacker_leaves() {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("leak-{}", std::process::id()));
    let (dist, tls_dir) = (root.join("dist"), root.join("tls"));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dist.join("big.bin"), vec![b'x'; 1 << 20]).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_roundtrip-lab"))
        .args(["--port", "0", "--https11-port", "off"])
        .arg("--dist")
        .arg(&dist)
        .arg("--tls-dir")
        .arg(&tls_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let lab = Running(child);
    let pid = lab.0.id();
    let h2: SocketAddr = loop {
        let line = lines.next().expect("the lab says where it listens").unwrap();
        if let Some(rest) = line.strip_prefix("roundtrip-lab HTTPS (h2, http/1.1) on https://") {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let pin = tls::kept_or_made(&tls_dir, &[]).unwrap().pin;

    // One ordinary download first, so the baseline includes what serving
    // a file costs once.
    let (mut sender, connection) = attacker(IpAddr::from([127, 0, 0, 1]), h2, &pin, 1 << 20).await;
    let mut body = get(&mut sender, h2, "/big.bin").await.into_body();
    while let Some(chunk) = body.data().await {
        body.flow_control().release_capacity(chunk.unwrap().len()).unwrap();
    }
    drop((sender, connection));
    let (fds, rss) = (descriptors(pid), resident_kib(pid));
    let fds = back_to("descriptors after one download", fds, 0.0, || descriptors(pid)).await;

    // Four addresses, 256 streams each, windows shut.
    let mut held = Vec::new();
    let mut during = 0;
    for n in 2..6 {
        let (mut sender, connection) = attacker(IpAddr::from([127, 0, 0, n]), h2, &pin, 0).await;
        let mut bodies = Vec::new();
        for _ in 0..256 {
            bodies.push(get(&mut sender, h2, "/big.bin").await.into_body());
        }
        held.push((sender, connection, bodies));
        during = during.max(descriptors(pid));
    }
    assert!(during > fds + 64, "the attack holds files open: {during} descriptors, {fds} before");
    println!("lab process: {fds} descriptors and {rss} KiB before, {during} descriptors and {} KiB under attack", resident_kib(pid));

    // The attacker leaves: its connections are cut, as a closed tab's are.
    for (_, connection, _) in &held {
        connection.abort();
    }
    drop(held);
    let fds_after = back_to("descriptors", fds, 0.1, || descriptors(pid)).await;
    let rss_after = back_to("resident memory", rss, 0.1, || resident_kib(pid)).await;
    println!("after the attacker left: {fds_after} descriptors, {rss_after} KiB");
}

async fn attacker(
    from: IpAddr,
    h2: SocketAddr,
    pin: &str,
    window: u32,
) -> (h2::client::SendRequest<Bytes>, tokio::task::JoinHandle<Result<(), h2::Error>>) {
    let tls = connect_from(from, h2, pin, &[b"h2"]).await.unwrap();
    let (sender, connection) = h2::client::Builder::new().initial_window_size(window).handshake(tls).await.unwrap();
    (sender, tokio::spawn(connection))
}

async fn get(sender: &mut h2::client::SendRequest<Bytes>, h2: SocketAddr, path: &str) -> hyper::Response<h2::RecvStream> {
    futures_util::future::poll_fn(|cx| sender.poll_ready(cx)).await.unwrap();
    let req = hyper::Request::get(format!("https://127.0.0.1:{}{path}", h2.port())).body(()).unwrap();
    sender.send_request(req, true).unwrap().0.await.unwrap()
}
