//! HTTPS for the lab: a certificate (made by rcgen on first start and kept,
//! or brought by the user), its SPKI pin, and rustls server configurations
//! offering `h2` and `http/1.1` by ALPN, or `http/1.1` only.
//!
//! A made certificate is kept in a folder with its key (mode 0600) so that a
//! learner who trusted it once (clicked through the warning, or installed it)
//! keeps that trust across restarts. It is made again only when the names
//! the lab answers to are not all in it, then for the old names and the new
//! ones with the same key (the pin stays; a browser that trusted the old
//! certificate by its pin still does, one that trusted it by exception asks
//! once more).

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The names every made certificate covers, besides `--host` names.
pub const LOCAL_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// The lab's TLS identity.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what
    /// Chromium's `--ignore-certificate-errors-spki-list` and HPKP-style pins take.
    pub pin: String,
    /// Where the certificate is kept (made by the lab) or was read from.
    pub cert_file: PathBuf,
    /// Made on this start (not read from the folder).
    pub made: bool,
}

/// The certificate kept in `dir`, or a new one for `LOCAL_NAMES` and `names`
/// (written there, the key with mode 0600) if there is none or it lacks a name.
pub fn kept_or_made(dir: &Path, names: &[String]) -> Result<Identity, String> {
    let cert_file = dir.join("lab-cert.pem");
    let key_file = dir.join("lab-key.pem");
    let names_file = dir.join("lab-names.txt");
    let mut wanted: Vec<String> = LOCAL_NAMES.iter().map(|n| (*n).to_owned()).collect();
    for n in names {
        let n = n.to_ascii_lowercase();
        if !wanted.contains(&n) {
            wanted.push(n);
        }
    }
    // The key pair kept, if any: a certificate made again for more names
    // keeps it, so the pin stays the same.
    let mut kept_key = None;
    if let (Ok(covered), true, true) = (std::fs::read_to_string(&names_file), cert_file.is_file(), key_file.is_file()) {
        let covered: Vec<&str> = covered.lines().collect();
        if wanted.iter().all(|w| covered.contains(&w.as_str())) {
            return brought(&cert_file, &key_file).map(|id| Identity { made: false, ..id });
        }
        // More names (another address on a classroom's network): the names
        // it had stay, so a laptop moving between networks keeps them all.
        for c in covered {
            if !c.is_empty() && !wanted.iter().any(|w| w == c) {
                wanted.push(c.to_owned());
            }
        }
        kept_key = std::fs::read_to_string(&key_file).ok().and_then(|pem| rcgen::KeyPair::from_pem(&pem).ok());
    }
    let mut params = rcgen::CertificateParams::new(wanted.clone()).map_err(|e| format!("certificate names {wanted:?}: {e}"))?;
    params.distinguished_name.push(rcgen::DnType::CommonName, "Roundtrip lab (a certificate for learning, made on this machine)");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let key = match kept_key {
        Some(key) => key,
        None => rcgen::KeyPair::generate().map_err(|e| format!("making a key: {e}"))?,
    };
    let cert = params.self_signed(&key).map_err(|e| format!("making the certificate: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    write_private(&key_file, key.serialize_pem().as_bytes())?;
    std::fs::write(&cert_file, cert.pem()).map_err(|e| format!("writing {}: {e}", cert_file.display()))?;
    std::fs::write(&names_file, wanted.join("\n")).map_err(|e| format!("writing {}: {e}", names_file.display()))?;
    let chain = vec![cert.der().clone()];
    let pin = pin_of(&chain[0])?;
    let key = PrivateKeyDer::try_from(key.serialize_der()).map_err(|e| format!("the new key: {e}"))?;
    Ok(Identity { chain, key, pin, cert_file, made: true })
}

/// A certificate (chain) and key the user brings, in PEM files (e.g. from mkcert).
pub fn brought(cert_file: &Path, key_file: &Path) -> Result<Identity, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_file)
        .map_err(|e| format!("reading {}: {e}", cert_file.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{} is not a PEM certificate: {e}", cert_file.display()))?;
    let first = chain.first().ok_or_else(|| format!("{} holds no certificate", cert_file.display()))?;
    let pin = pin_of(first)?;
    let key = PrivateKeyDer::from_pem_file(key_file).map_err(|e| format!("{} holds no usable private key: {e}", key_file.display()))?;
    Ok(Identity { chain, key, pin, cert_file: cert_file.to_owned(), made: false })
}

/// base64(SHA-256(SubjectPublicKeyInfo)) of a certificate.
pub fn pin_of(cert: &CertificateDer<'_>) -> Result<String, String> {
    let parsed = webpki::EndEntityCert::try_from(cert).map_err(|e| format!("the certificate cannot be read: {e:?}"))?;
    Ok(roundtrip_model::base64::encode(&Sha256::digest(parsed.subject_public_key_info().as_ref())))
}

/// Which protocols a TLS listener offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// `h2` first, then `http/1.1`: what browsers pick is h2.
    H2AndHttp11,
    /// `http/1.1` only: the same certificate, to compare the protocols.
    Http11Only,
}

pub fn server_config(id: &Identity, offer: Offer) -> Result<Arc<ServerConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_no_client_auth()
        .with_single_cert(id.chain.clone(), id.key.clone_key())
        .map_err(|e| format!("the certificate and key do not make a TLS identity: {e}"))?;
    config.alpn_protocols = match offer {
        Offer::H2AndHttp11 => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        Offer::Http11Only => vec![b"http/1.1".to_vec()],
    };
    Ok(Arc::new(config))
}

/// `GET /lab/https`: where this lab listens over TLS, named with the host
/// the request used (so a class reaches it by the same name), and the pin.
pub async fn info(
    axum::extract::State(https): axum::extract::State<Option<crate::HttpsPorts>>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(https) = https else {
        let reply = serde_json::json!({
            "error": "This lab serves no HTTPS: it was started with --https-port off. Start it with an HTTPS port to measure a TLS handshake.",
            "status": 404,
        });
        return (axum::http::StatusCode::NOT_FOUND, axum::Json(reply)).into_response();
    };
    // The name as the request gave it (the Host check let it in), if it is
    // a clean host name; else the loopback address.
    let name = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(crate::security::safe_host_name)
        .unwrap_or("127.0.0.1");
    let reply = roundtrip_model::lab::HttpsInfo {
        h2: format!("https://{name}:{}", https.h2),
        http11: https.http11.map(|p| format!("https://{name}:{p}")),
        pin: https.pin,
    };
    axum::Json(reply).into_response()
}

/// The default folder for a made certificate: the user's data folder, so
/// every copy of the lab on this machine shares one certificate to trust.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d).join("roundtrip-lab"),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(h) => PathBuf::from(h).join(".local/share/roundtrip-lab"),
            None => PathBuf::from("roundtrip-lab-tls"),
        },
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| format!("writing {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // An existing file keeps its mode on open: set it.
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    file.write_all(bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("roundtrip-tls-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_made_certificate_is_kept_and_reused_until_a_name_is_missing() {
        let dir = temp_dir("kept");
        let first = kept_or_made(&dir, &[]).unwrap();
        assert!(first.made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("lab-key.pem")).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the key is private");
        }
        let again = kept_or_made(&dir, &[]).unwrap();
        assert!(!again.made, "kept across restarts");
        assert_eq!(again.pin, first.pin, "so trust in it survives");
        let wider = kept_or_made(&dir, &["Lab.School.Example".into()]).unwrap();
        assert!(wider.made, "a new name needs a new certificate");
        assert_eq!(wider.pin, first.pin, "with the same key: the pin stays");
        assert!(std::fs::read_to_string(dir.join("lab-names.txt")).unwrap().lines().any(|l| l == "lab.school.example"));
        // Another network's address: added; the name from before stays covered.
        let moved = kept_or_made(&dir, &["192.168.7.20".into()]).unwrap();
        assert!(moved.made);
        assert_eq!(moved.pin, first.pin);
        let names = std::fs::read_to_string(dir.join("lab-names.txt")).unwrap();
        assert!(names.lines().any(|l| l == "lab.school.example") && names.lines().any(|l| l == "192.168.7.20"), "{names}");
        assert!(!kept_or_made(&dir, &["lab.school.example".into()]).unwrap().made, "both covered now");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_pin_is_the_sha256_of_the_subject_public_key_info() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap().self_signed(&key).unwrap();
        // rcgen gives the key's SubjectPublicKeyInfo: the pin read back
        // from the certificate must be its hash.
        let expected = roundtrip_model::base64::encode(&Sha256::digest(key.public_key_der()));
        assert_eq!(pin_of(cert.der()).unwrap(), expected);
        assert_eq!(expected.len(), 44, "base64 of 32 bytes");
    }

    #[test]
    fn brought_files_are_read_and_bad_ones_refused_with_the_file_named() {
        let dir = temp_dir("brought");
        let made = kept_or_made(&dir, &[]).unwrap();
        let read = brought(&dir.join("lab-cert.pem"), &dir.join("lab-key.pem")).unwrap();
        assert_eq!(read.pin, made.pin);
        std::fs::write(dir.join("junk.pem"), "not a certificate").unwrap();
        let err = brought(&dir.join("junk.pem"), &dir.join("lab-key.pem")).err().unwrap();
        assert!(err.contains("junk.pem"), "{err}");
        assert!(server_config(&read, Offer::H2AndHttp11).unwrap().alpn_protocols[0] == b"h2");
        assert_eq!(server_config(&read, Offer::Http11Only).unwrap().alpn_protocols, vec![b"http/1.1".to_vec()]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
