//! The lab server as a child process for tests and benchmarks.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The made-up host name the tests may use for the lab.
pub const TEST_HOST: &str = "roundtrip.test";

/// A running lab; stopped when dropped.
pub struct Lab {
    child: Child,
    pub url: String,
    /// The HTTPS listener offering h2 (`https://127.0.0.1:PORT`) and the
    /// certificate's SPKI pin, as the lab printed them.
    pub https: Option<(String, String)>,
}

impl Lab {
    /// The lab process's resident memory (Linux `/proc`), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Starts `bin` on a free loopback port, serving `dist`, and waits for its
    /// "listening on" line.
    pub fn start(bin: &Path, dist: &Path) -> Result<Lab, String> {
        let mut child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", "0", "--dist"])
            .arg(dist)
            // A made-up name the tests map to loopback in Chromium
            // (--host-resolver-rules), as a real site's name would be.
            .args(["--allow-host", TEST_HOST])
            // Its certificate is kept in the build folder, not the user's home.
            .arg("--tls-dir")
            .arg(crate::shell::root().join("target/lab-tls"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(url) = first.split("listening on ").nth(1).map(|u| u.trim_end_matches('/').to_owned()) else {
            let _ = child.kill();
            return Err(format!("the lab did not start (it said {first:?})"));
        };
        // Then its HTTPS lines (printed at once): the h2 URL and the pin.
        let (mut h2, mut pin) = (None, None);
        for line in lines.by_ref().take(3).map_while(Result::ok) {
            if let Some(u) = line.split("HTTPS (h2, http/1.1) on ").nth(1) {
                h2 = Some(u.trim_end_matches('/').to_owned());
            }
            if let Some(p) = line.split("SPKI SHA-256 pin ").nth(1) {
                pin = Some(p.trim().to_owned());
            }
        }
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        println!("    lab at {url}");
        let https = h2.zip(pin);
        if let Some((h2, _)) = &https {
            println!("    lab over HTTPS (h2) at {h2}");
        }
        Ok(Lab { child, url, https })
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
