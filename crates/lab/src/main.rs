//! `roundtrip-lab [--host 127.0.0.1] [--port 8080] [--https-port 8443|off]
//! [--https11-port 8444|off] [--tls-dir DIR | --tls-cert FILE --tls-key FILE]
//! [--dist dist] [--pages DIR] [--allow-origin ORIGIN]… [--allow-host NAME]…
//! [--store redis://HOST] [--lessons DIR]`

use roundtrip_lab::server::Transport;
use roundtrip_lab::tls::{self, Offer};
use roundtrip_lab::{serve_all, Config, Hosts, HttpsPorts};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: roundtrip-lab [--host ADDR] [--port PORT] [--https-port PORT|off] [--https11-port PORT|off]
                     [--tls-dir DIR | --tls-cert FILE --tls-key FILE] [--dist DIR] [--pages DIR]
                     [--allow-origin ORIGIN]... [--allow-host NAME]... [--store redis://HOST[:PORT][/DB]] [--lessons DIR]
  --https-port PORT      the same lab over HTTPS, h2 and http/1.1 by ALPN (default 8443; 0 with --port 0)
  --https11-port PORT    the same lab over HTTPS, http/1.1 only, same certificate (default 8444; 0 with --port 0)
  --tls-dir DIR          where the lab keeps the certificate it makes (default ~/.local/share/roundtrip-lab)
  --tls-cert, --tls-key  PEM files of a certificate you bring (e.g. from mkcert) instead
  --allow-origin ORIGIN  let pages of ORIGIN (e.g. http://localhost:3000) call the lab with the learner's cookies
  --allow-host NAME      answer requests that name the lab NAME (e.g. lab.school.example)
  --store redis://HOST   keep notes and sessions in Redis, shared by several labs behind one load balancer
                         (default: in this process's memory)
  --lessons DIR          add lessons from DIR's .md files, or replace built-in ones with the same name
                         (see the README's \"Writing a lesson\"); a file that cannot be read is named, the rest load";

#[tokio::main]
async fn main() -> ExitCode {
    raise_descriptor_limit();
    let mut host = "127.0.0.1".to_owned();
    let mut port = "8080".to_owned();
    let mut dist = None;
    let mut pages = None;
    let mut allowed_origins = Vec::new();
    let mut names = Vec::new();
    let mut https_port = None;
    let mut https11_port = None;
    let mut tls_dir = None;
    let mut tls_cert = None;
    let mut tls_key = None;
    let mut store_url = None;
    let mut lessons_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--host" | "--port" | "--dist" | "--pages" | "--allow-origin" | "--allow-host" | "--https-port" | "--https11-port"
            | "--tls-dir" | "--tls-cert" | "--tls-key" | "--store" | "--lessons" => args.next(),
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
            ("--https-port", Some(v)) => https_port = Some(v),
            ("--https11-port", Some(v)) => https11_port = Some(v),
            ("--tls-dir", Some(v)) => tls_dir = Some(PathBuf::from(v)),
            ("--tls-cert", Some(v)) => tls_cert = Some(PathBuf::from(v)),
            ("--tls-key", Some(v)) => tls_key = Some(PathBuf::from(v)),
            ("--dist", Some(v)) => dist = Some(PathBuf::from(v)),
            ("--store", Some(v)) => store_url = Some(v),
            ("--lessons", Some(v)) => lessons_dir = Some(PathBuf::from(v)),
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
    // The lessons: built in, and a teacher's folder read now (a file that
    // cannot be read is named here and on the lesson index; the rest load).
    let lessons = match &lessons_dir {
        None => roundtrip_lab::lessons::Lessons::built_in(),
        Some(dir) => match roundtrip_lab::lessons::Lessons::with_folder(dir) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("roundtrip-lab: {e}");
                return ExitCode::from(2);
            }
        },
    };
    // Handlers first: a signal that arrives once we have said we are
    // listening must already mean "shut down gracefully".
    let shutdown = match shutdown_signal() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("roundtrip-lab: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Notes and sessions: in this process, or in a Redis that several lab
    // processes share (checked now: a wrong URL stops the lab at once).
    let store = match &store_url {
        None => None,
        Some(url) => match roundtrip_lab::shared::Redis::connect(url).await {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("roundtrip-lab: {e}");
                return ExitCode::FAILURE;
            }
        },
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
    say(&format!("roundtrip-lab listening on http://{bound}/"));
    // The app: a folder given with --dist; else the one this binary carries
    // (`cargo xtask dist`); else ./dist.
    let dist = match dist {
        Some(d) => d,
        None if roundtrip_lab::embedded::present() => match roundtrip_lab::embedded::unpack() {
            Ok(d) => {
                say(&format!("roundtrip-lab app: built into this binary (served from {})", d.display()));
                d
            }
            Err(e) => {
                eprintln!("roundtrip-lab: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => PathBuf::from("dist"),
    };
    if !dist.join("index.html").is_file() {
        eprintln!(
            "roundtrip-lab: {} has no index.html; the app is not built (cargo xtask serve builds it). Serving /lab/ only.",
            dist.display()
        );
    }
    // A name given with --host is one the lab answers to, as are the names
    // given with --allow-host; the rest follows from where it listens.
    if host.parse::<std::net::IpAddr>().is_err() {
        names.push(host.clone());
    }
    let bound_ip = listener.local_addr().map(|a| a.ip()).unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    // Classroom mode: on the network, every URL a student can open; the
    // certificate names those addresses too.
    let (class_urls, class_hosts) = match listener.local_addr() {
        Ok(a) => {
            let addresses: Vec<std::net::IpAddr> = if_addrs::get_if_addrs().map(|l| l.iter().map(|i| i.ip()).collect()).unwrap_or_default();
            (roundtrip_model::lab::class_urls(a, &addresses, &names), roundtrip_model::lab::class_hosts(a, &addresses, &names))
        }
        Err(_) => (Vec::new(), Vec::new()),
    };
    let mut cert_names = names.clone();
    cert_names.extend(class_hosts);
    // HTTPS next to plain HTTP, on by default: the same router, so lessons
    // can measure a TLS handshake and compare h2 with http/1.1.
    let ephemeral = port == "0";
    let https_port = https_port.unwrap_or_else(|| if ephemeral { "0".into() } else { "8443".into() });
    let https11_port = https11_port.unwrap_or_else(|| if ephemeral { "0".into() } else { "8444".into() });
    let mut listeners = vec![(listener, Transport::Plain)];
    let mut https = None;
    if https_port != "off" {
        let identity = match (&tls_cert, &tls_key) {
            (Some(c), Some(k)) => tls::brought(c, k),
            (None, None) => tls::kept_or_made(&tls_dir.clone().unwrap_or_else(tls::default_dir), &cert_names),
            _ => Err("--tls-cert and --tls-key go together".to_owned()),
        };
        let identity = match identity {
            Ok(id) => id,
            Err(e) => {
                eprintln!("roundtrip-lab: no HTTPS: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut ports = HttpsPorts { pin: identity.pin.clone(), ..HttpsPorts::default() };
        for (wanted, offer) in [(&https_port, Offer::H2AndHttp11), (&https11_port, Offer::Http11Only)] {
            if wanted == "off" {
                continue;
            }
            let config = match tls::server_config(&identity, offer) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("roundtrip-lab: no HTTPS: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let addr = format!("{host}:{wanted}");
            let tls_listener = match tokio::net::TcpListener::bind(&addr).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("roundtrip-lab: cannot listen on {addr} for HTTPS: {e}. Choose another with --https-port / --https11-port, or \"off\".");
                    return ExitCode::FAILURE;
                }
            };
            let bound = tls_listener.local_addr().map(|a| a.to_string()).unwrap_or(addr);
            let port = tls_listener.local_addr().map(|a| a.port()).unwrap_or_default();
            match offer {
                Offer::H2AndHttp11 => {
                    say(&format!("roundtrip-lab HTTPS (h2, http/1.1) on https://{bound}/"));
                    ports.h2 = port;
                }
                Offer::Http11Only => {
                    say(&format!("roundtrip-lab HTTPS (http/1.1 only) on https://{bound}/"));
                    ports.http11 = Some(port);
                }
            }
            listeners.push((tls_listener, Transport::Tls(config)));
        }
        say(&format!(
            "roundtrip-lab certificate {} ({}), SPKI SHA-256 pin {}",
            identity.cert_file.display(),
            if identity.made { "made now" } else { "kept" },
            identity.pin
        ));
        https = (ports.h2 != 0).then_some(ports);
    }
    let hosts = Hosts::for_bind(bound_ip, names);
    for url in &class_urls {
        say(&format!("roundtrip-lab for your class: {url}/lessons"));
    }
    if let Some(dir) = &lessons_dir {
        say(&format!("roundtrip-lab lessons: {} in all, {} from {}", lessons.course.lessons.len(), lessons.from_folder, dir.display()));
    }
    for problem in &lessons.problems {
        eprintln!("roundtrip-lab: lesson file left out: {problem}");
    }
    if let Some(url) = &store_url {
        say(&format!("roundtrip-lab notes and sessions in {url} (shared with every lab that uses it)"));
    }
    let config = Config {
        dist: Some(dist),
        pages,
        hosts,
        allowed_origins,
        https,
        class_urls,
        store,
        lessons: Some(std::sync::Arc::new(lessons)),
        ..Config::default()
    };
    match serve_all(listeners, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roundtrip-lab: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A line on stdout. Whoever started the lab may have stopped reading
/// (a test reads the first line, then closes the pipe): `println!` would
/// panic then and take the lab down; a line nobody reads is simply lost.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
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

/// A desktop's soft limit of 1,024 open files is below what the lab's own
/// caps allow (512 connections a listener, a file being sent on some): past
/// it, accepting and opening files fail for everyone. Raised to the hard
/// limit (at most 65,536), as servers do; the lab's caps bound what it uses.
#[cfg(unix)]
fn raise_descriptor_limit() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit read and write the one struct passed,
    // which lives on this stack for the whole call.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max {
            // macOS refuses more than its per-process maximum (often
            // 10,240) even under an unlimited hard limit: then that.
            for wanted in [limit.rlim_max.min(65_536), limit.rlim_max.min(10_240)] {
                if wanted > limit.rlim_cur
                    && libc::setrlimit(libc::RLIMIT_NOFILE, &libc::rlimit { rlim_cur: wanted, rlim_max: limit.rlim_max }) == 0
                {
                    break;
                }
            }
        }
    }
}

#[cfg(not(unix))]
fn raise_descriptor_limit() {}
