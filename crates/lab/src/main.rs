//! `roundtrip-lab [--host 127.0.0.1] [--port 8080] [--dist dist] [--pages DIR]
//! [--allow-origin ORIGIN]… [--allow-host NAME]…`

use roundtrip_lab::{serve, Config, Hosts};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: roundtrip-lab [--host ADDR] [--port PORT] [--dist DIR] [--pages DIR] [--allow-origin ORIGIN]... [--allow-host NAME]...
  --allow-origin ORIGIN  let pages of ORIGIN (e.g. http://localhost:3000) call the lab with the learner's cookies
  --allow-host NAME      answer requests that name the lab NAME (e.g. lab.school.example)";

#[tokio::main]
async fn main() -> ExitCode {
    let mut host = "127.0.0.1".to_owned();
    let mut port = "8080".to_owned();
    let mut dist = Some(PathBuf::from("dist"));
    let mut pages = None;
    let mut allowed_origins = Vec::new();
    let mut names = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--host" | "--port" | "--dist" | "--pages" | "--allow-origin" | "--allow-host" => args.next(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => None,
        };
        match (arg.as_str(), value) {
            ("--host", Some(v)) => host = v,
            ("--allow-host", Some(v)) => names.push(v),
            ("--allow-origin", Some(v)) => {
                if !is_origin(&v) {
                    eprintln!("roundtrip-lab: --allow-origin {v:?} is not an origin: write it as scheme://host[:port], e.g. http://localhost:3000");
                    return ExitCode::from(2);
                }
                allowed_origins.push(v);
            }
            ("--port", Some(v)) => port = v,
            ("--dist", Some(v)) => dist = Some(PathBuf::from(v)),
            ("--pages", Some(v)) => {
                let dir = PathBuf::from(v);
                if !dir.is_dir() {
                    eprintln!("roundtrip-lab: --pages {} is not a folder", dir.display());
                    return ExitCode::from(2);
                }
                pages = Some(dir);
            }
            _ => {
                eprintln!("roundtrip-lab: unexpected argument {arg:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    // Handlers first: a signal that arrives once we have said we are
    // listening must already mean "shut down gracefully".
    let shutdown = match shutdown_signal() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("roundtrip-lab: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = format!("{host}:{port}");
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("roundtrip-lab: cannot listen on {addr}: {e}. Is another server using that port? Try --port.");
            return ExitCode::FAILURE;
        }
    };
    let bound = listener.local_addr().map(|a| a.to_string()).unwrap_or(addr);
    // xtask and the tests read this exact line to find the port.
    println!("roundtrip-lab listening on http://{bound}/");
    if let Some(d) = &dist {
        if !d.join("index.html").is_file() {
            eprintln!(
                "roundtrip-lab: {} has no index.html; the app is not built (cargo xtask serve builds it). Serving /lab/ only.",
                d.display()
            );
        }
    }
    // A name given with --host is one the lab answers to, as are the names
    // given with --allow-host; the rest follows from where it listens.
    if host.parse::<std::net::IpAddr>().is_err() {
        names.push(host.clone());
    }
    let bound_ip = listener.local_addr().map(|a| a.ip()).unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    let hosts = Hosts::for_bind(bound_ip, names);
    let config = Config { dist, pages, hosts, allowed_origins, ..Config::default() };
    match serve(listener, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roundtrip-lab: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `http://localhost:3000`: a scheme, a host, maybe a port, nothing more.
fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else { return false };
    let host_ok = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    matches!(scheme, "http" | "https") && host_ok
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let ctrl_c = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
}
