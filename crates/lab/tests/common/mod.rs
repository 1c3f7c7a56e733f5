//! A raw HTTP/1.1 client for the lab's tests: a server on port 0, bytes on a
//! TcpStream, so what is tested is exactly what goes over the wire.
#![allow(dead_code)]

pub mod tls;

use roundtrip_lab::{serve, Config};
use roundtrip_model::echo::Echo;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn echo(&self) -> Echo {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not an echo ({e}): {}", self.text()))
    }
}

pub async fn start(dist: Option<PathBuf>) -> SocketAddr {
    start_with(Config { dist, ..Config::default() }).await
}

/// The made-up names tests send as Host, allowed as `--allow-host` would.
pub const TEST_HOSTS: [&str; 3] = ["x", "lab", "lab.test"];

/// A lab with this configuration (e.g. short timeouts, so tests run fast),
/// answering to the loopback names and [`TEST_HOSTS`].
pub async fn start_with(mut config: Config) -> SocketAddr {
    config.hosts.names.extend(TEST_HOSTS.map(String::from));
    start_exactly(config).await
}

/// A lab with exactly this configuration.
pub async fn start_exactly(config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, config, std::future::pending()));
    addr
}

/// A lab serving `pages` under /pages/.
pub async fn start_with_pages(pages: PathBuf) -> SocketAddr {
    start_with(Config { pages: Some(pages), ..Config::default() }).await
}

/// Sends `head` (request line and headers, without the final blank line) and
/// `body`, and reads the whole answer (the connection is closed after it).
pub async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    send_from(std::net::Ipv4Addr::LOCALHOST.into(), addr, head, body).await
}

/// A connection from `from`, another loopback address (127.0.0.2…): the lab
/// sees another client.
pub async fn connect_from(from: std::net::IpAddr, addr: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(addr).await
}

/// As `send`, from the loopback address `from`.
pub async fn send_from(from: std::net::IpAddr, addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let mut stream = connect_from(from, addr).await.unwrap();
    let mut req = format!("{head}\r\nConnection: close\r\n");
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a blank line after the headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The 400 a bad parameter gets, and its message.
    pub fn bad_param(&self) -> String {
        assert_eq!(self.status, 400, "{}", self.text());
        self.json()["error"].as_str().unwrap().to_owned()
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }
}

/// GET `path` with only a Host header.
pub async fn get(addr: SocketAddr, path: &str) -> Reply {
    send(addr, &format!("GET {path} HTTP/1.1\r\nHost: lab.test"), b"").await
}

/// Starts the built lab binary on a free loopback port; its address is read
/// from the line it prints when it listens.
pub fn spawn_lab() -> (std::process::Child, SocketAddr) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_roundtrip-lab"))
        .args(["--port", "0", "--dist", "/nonexistent", "--tls-dir", env!("CARGO_TARGET_TMPDIR")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().trim_start_matches("roundtrip-lab listening on http://").trim_end_matches('/').parse().unwrap();
    (child, addr)
}

/// `name=value` of the `Set-Cookie` that sets `name` (panics if none does).
#[allow(dead_code)] // not every test file uses it
pub fn cookie_from(reply: &Reply, name: &str) -> String {
    let line = reply
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with(&format!("{name}=")))
        .map(|(_, v)| v.clone());
    line.unwrap_or_else(|| panic!("no {name} cookie in {:?}", reply.headers)).split(';').next().unwrap().to_owned()
}
