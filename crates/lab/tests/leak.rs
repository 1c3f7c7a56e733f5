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

/// The process's resident memory (`VmRSS`).
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
    std::fs::write(dist.join("big.bin"), vec![b'x'; 256 << 10]).unwrap();
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

    // Ordinary traffic of the same size first, read to the end: four
    // addresses, 256 downloads each at once. The lab's working set (its
    // runtime's slabs, its allocator's arenas) grows to serve that, and is
    // kept; what the attacker leaves must not add to it.
    let initial = descriptors(pid);
    let mut ordinary = tokio::task::JoinSet::new();
    for n in 2..6 {
        let pin = pin.clone();
        ordinary.spawn(async move {
            let (mut sender, connection) = attacker(IpAddr::from([127, 0, 0, n]), h2, &pin, 1 << 20).await;
            let mut bodies = Vec::new();
            for _ in 0..256 {
                bodies.push(get(&mut sender, h2, "/big.bin").await.into_body());
            }
            // All read at once: their data shares the connection's window.
            let mut reading = tokio::task::JoinSet::new();
            for mut body in bodies {
                reading.spawn(async move {
                    let mut read = 0;
                    while let Some(chunk) = body.data().await {
                        let chunk = chunk.unwrap();
                        read += chunk.len();
                        body.flow_control().release_capacity(chunk.len()).unwrap();
                    }
                    read
                });
            }
            while let Some(read) = reading.join_next().await {
                assert_eq!(read.unwrap(), 256 << 10, "an ordinary download arrives whole");
            }
            connection.abort();
        });
    }
    while let Some(done) = ordinary.join_next().await {
        done.unwrap();
    }
    let fds = back_to("descriptors after ordinary traffic", initial, 0.0, || descriptors(pid)).await;
    let rss = resident_kib(pid);

    // Four addresses, 256 streams each, windows shut; twice. The first
    // attack also brings in what serving one takes for good (the runtime's
    // and the allocator's working set, about 2 MB); the second must leave
    // nothing more behind: memory back within 10 % of the figure before it.
    let mut rss = rss;
    for round in 1..=2 {
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
        let peak = resident_kib(pid);
        // The attacker leaves: its connections are cut, as a closed tab's are.
        for (_, connection, _) in &held {
            connection.abort();
        }
        drop(held);
        let fds_after = back_to("descriptors", fds, 0.1, || descriptors(pid)).await;
        let rss_after = back_to("resident memory", rss, if round == 1 { 0.25 } else { 0.1 }, || resident_kib(pid)).await;
        println!(
            "attack {round}: {fds} descriptors and {rss} KiB before, {during} and {peak} KiB under attack, {fds_after} and {rss_after} KiB after it left"
        );
        rss = resident_kib(pid);
    }
}

async fn attacker(
    from: IpAddr,
    h2: SocketAddr,
    pin: &str,
    window: u32,
) -> (h2::client::SendRequest<Bytes>, tokio::task::JoinHandle<Result<(), h2::Error>>) {
    let tls = connect_from(from, h2, pin, &[b"h2"]).await.unwrap();
    let (sender, connection) =
        h2::client::Builder::new().initial_window_size(window).initial_connection_window_size(64 << 20).handshake(tls).await.unwrap();
    (sender, tokio::spawn(connection))
}

async fn get(sender: &mut h2::client::SendRequest<Bytes>, h2: SocketAddr, path: &str) -> hyper::Response<h2::RecvStream> {
    futures_util::future::poll_fn(|cx| sender.poll_ready(cx)).await.unwrap();
    let req = hyper::Request::get(format!("https://127.0.0.1:{}{path}", h2.port())).body(()).unwrap();
    sender.send_request(req, true).unwrap().0.await.unwrap()
}
