//! Two lab processes behind one (imaginary) load balancer, sharing a real
//! Redis from the OS packages (`--store redis://…`): a learner's requests
//! alternate between them and nothing the learner made is lost.

mod common;

use common::{cookie_from, send, Reply};
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills the process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `redis-server` on a free loopback port, keeping nothing on disk.
fn start_redis() -> (Running, u16) {
    start_redis_on(free_port())
}

/// `redis-server` on `port`, keeping nothing on disk.
fn start_redis_on(port: u16) -> (Running, u16) {
    let dir = tempdir("redis");
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("redis-server (Debian's redis-server package) is needed for this test: {e}; `cargo xtask setup` installs it")
        });
    let redis = Running(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (redis, port);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("redis-server did not listen on {port}");
}

fn tempdir(what: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{what}-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built lab binary on a free port, plain HTTP only, no app, and `args`.
fn lab_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roundtrip-lab"));
    cmd.args(["--port", "0", "--https-port", "off", "--dist", "/nonexistent"]).args(args);
    cmd
}

/// The built lab binary with `args`, on a free port; its address is read from
/// the line it prints when it listens.
fn start_lab(args: &[&str]) -> (Running, SocketAddr) {
    let mut child = lab_command(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .trim_start_matches("roundtrip-lab listening on http://")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("{line:?}"));
    (Running(child), addr)
}

async fn request(addr: SocketAddr, line: &str, cookie: &str, body: &str) -> Reply {
    let head = format!("{line} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nCookie: {cookie}");
    send(addr, &head, body.as_bytes()).await
}

fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_slice(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.text()))
}

#[tokio::test]
async fn two_labs_sharing_redis_serve_one_learner_whichever_gets_the_request() {
    let (redis, port) = start_redis();
    let store = format!("redis://127.0.0.1:{port}/");
    let (_a, a) = start_lab(&["--store", &store]);
    let (_b, b) = start_lab(&["--store", &store]);
    assert_ne!(a, b);

    // A note made on A is listed, changed and deleted through B.
    let created = request(a, "POST /lab/notes", "", r#"{"text": "Made on A"}"#).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let me = cookie_from(&created, "rt_notes");
    let listed = request(b, "GET /lab/notes", &me, "").await;
    assert_eq!(listed.status, 200);
    assert!(listed.header("set-cookie").is_none(), "B knows the learner's list: no new cookie");
    assert_eq!(json(&listed)["notes"], serde_json::json!([{ "id": 1, "text": "Made on A", "done": false }]));
    let changed = request(b, "PATCH /lab/notes/1", &me, r#"{"done": true}"#).await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let on_a = request(a, "GET /lab/notes/1", &me, "").await;
    assert_eq!(json(&on_a), serde_json::json!({ "id": 1, "text": "Made on A", "done": true }), "A sees B's change");
    let second = request(a, "POST /lab/notes", &me, r#"{"text": "Made on A too"}"#).await;
    assert_eq!(json(&second)["id"], 2, "numbering continues across labs");
    assert_eq!(request(b, "DELETE /lab/notes/1", &me, "").await.status, 204);
    assert_eq!(request(a, "GET /lab/notes/1", &me, "").await.status, 404, "deleted through B, gone on A");
    assert_eq!(json(&request(a, "GET /lab/notes", &me, "").await)["count"], 1);

    // A login on A is valid on B; a logout on B ends it on A.
    assert_eq!(request(b, "GET /lab/account", "", "").await.status, 401);
    let login = request(a, "POST /lab/login", "", r#"{"user": "learner", "password": "opensesame"}"#).await;
    assert_eq!(login.status, 200, "{}", login.text());
    let session = cookie_from(&login, "rt_session");
    let account = request(b, "GET /lab/account", &session, "").await;
    assert_eq!(account.status, 200, "{}", account.text());
    assert_eq!(json(&account)["user"], "learner");
    assert_eq!(request(b, "GET /lab/admin", &session, "").await.status, 403, "logged in, not an administrator");
    assert_eq!(request(b, "POST /lab/logout", &session, "").await.status, 200);
    assert_eq!(request(a, "GET /lab/account", &session, "").await.status, 401, "logged out through B");

    // The per-client quota holds across labs: one client's 51st session
    // forgets its own oldest.
    let mut sessions = Vec::new();
    for i in 0..51 {
        if i == 25 {
            // Cookies that name the store's own indexes, not an entry: they
            // name nothing, and the quota still counts.
            for hostile in ["rt_session=owner:127.0.0.1", "rt_session=all", "rt_session=e:x"] {
                assert_eq!(request(a, "POST /lab/logout", hostile, "").await.status, 200);
                assert_eq!(request(b, "GET /lab/account", hostile, "").await.status, 401);
            }
        }
        let lab = if i % 2 == 0 { a } else { b };
        let login = request(lab, "POST /lab/login", "", r#"{"user": "learner", "password": "opensesame"}"#).await;
        sessions.push(cookie_from(&login, "rt_session"));
    }
    assert_eq!(request(a, "GET /lab/account", &sessions[0], "").await.status, 401, "the oldest of 51 is forgotten");
    assert_eq!(request(b, "GET /lab/account", &sessions[1], "").await.status, 200);
    assert_eq!(request(a, "GET /lab/account", &sessions[50], "").await.status, 200);
    drop(redis);
}

#[tokio::test]
async fn a_redis_that_stops_answering_is_noticed_at_once_and_found_again_without_a_restart() {
    let (redis, port) = start_redis();
    let store = format!("redis://127.0.0.1:{port}/");
    let (_lab, lab) = start_lab(&["--store", &store]);
    let created = request(lab, "POST /lab/notes", "", r#"{"text": "before"}"#).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let me = cookie_from(&created, "rt_notes");

    // Redis gone (the process has exited): the first stateful request
    // finds out and is told so.
    drop(redis);
    let first = request(lab, "GET /lab/notes", &me, "").await;
    assert_eq!(first.status, 503, "{}", first.text());
    assert!(first.text().contains("shared store did not answer"), "{}", first.text());
    // Every one after it is refused at once, from what the lab knows: it
    // says since when, and does not wait on Redis again (a reconnection's
    // back-off once cost 9.5 s a request).
    let started = std::time::Instant::now();
    let second = request(lab, "POST /lab/login", "", r#"{"user": "learner", "password": "opensesame"}"#).await;
    let took = started.elapsed();
    assert_eq!(second.status, 503, "{}", second.text());
    assert!(second.text().contains("has not answered for"), "{}", second.text());
    println!("with Redis stopped, the second stateful request was answered 503 in {took:?}");
    assert_eq!(request(lab, "GET /lab/get", "", "").await.status, 200, "stateless endpoints are unaffected");

    // Redis back on the same port: the lab serves notes again, not restarted.
    let (_redis, _) = start_redis_on(port);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut back = None;
    for _ in 0..300 {
        tick.tick().await;
        let reply = request(lab, "POST /lab/notes", "", r#"{"text": "after"}"#).await;
        if reply.status != 503 {
            back = Some(reply);
            break;
        }
    }
    let back = back.expect("the lab found Redis again");
    assert_eq!(back.status, 201, "{}", back.text());
}

#[tokio::test]
async fn a_store_that_cannot_be_reached_stops_the_lab_at_start_with_the_reason() {
    let port = free_port();
    let err = fails_within(&["--store", &format!("redis://127.0.0.1:{port}/")]);
    assert!(err.contains(&format!("--store redis://127.0.0.1:{port}/")), "{err}");
    assert!(fails_within(&["--store", "mysql://x"]).contains("--store mysql://x"));
}

/// Runs the lab with `args`, which must make it stop with an error within
/// 15 s (not listen); returns what it said on stderr.
fn fails_within(args: &[&str]) -> String {
    use std::io::Read;
    let mut child = lab_command(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    for _ in 0..150 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "{args:?} should stop the lab");
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            return err;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the lab kept running with {args:?}: it must refuse a store it cannot use");
}
