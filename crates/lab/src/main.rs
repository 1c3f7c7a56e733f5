//! `roundtrip-lab [--host 127.0.0.1] [--port 8080] [--dist dist]`

use roundtrip_lab::{serve, Config};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: roundtrip-lab [--host ADDR] [--port PORT] [--dist DIR] [--pages DIR]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut host = "127.0.0.1".to_owned();
    let mut port = "8080".to_owned();
    let mut dist = Some(PathBuf::from("dist"));
    let mut pages = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--host" | "--port" | "--dist" | "--pages" => args.next(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => None,
        };
        match (arg.as_str(), value) {
            ("--host", Some(v)) => host = v,
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
    match serve(listener, Config { dist, pages, ..Config::default() }, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roundtrip-lab: {e}");
            ExitCode::FAILURE
        }
    }
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
