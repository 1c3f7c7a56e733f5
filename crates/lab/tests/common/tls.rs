//! The lab over TLS for tests: a lab with its three listeners, and a client
//! that trusts its certificate by the pin, as the e2e browsers do
//! (`--ignore-certificate-errors-spki-list`).

use roundtrip_lab::server::Transport;
use roundtrip_lab::tls::{self, Offer};
use roundtrip_lab::{serve_all, Config, HttpsPorts};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Trusts exactly the certificate whose SubjectPublicKeyInfo hashes to the pin.
#[derive(Debug)]
struct Pinned(String, Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if tls::pin_of(end_entity).map_err(rustls::Error::General)? == self.0 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not the pinned certificate".into()))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.signature_verification_algorithms.supported_schemes()
    }
}

/// A lab on three loopback ports: plain HTTP, HTTPS with h2 and http/1.1,
/// HTTPS with http/1.1 only.
pub struct Lab {
    pub plain: SocketAddr,
    pub h2: SocketAddr,
    pub http11: SocketAddr,
    pub pin: String,
}

/// A lab with `config` (its `https` is filled in), its certificate kept in
/// a folder named after `name`.
pub async fn start_tls(name: &str, config: Config) -> Lab {
    let dir = std::env::temp_dir().join(format!("roundtrip-https-{name}-{}", std::process::id()));
    let id = tls::kept_or_made(&dir, &[]).unwrap();
    let bind = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap() };
    let (plain, h2, http11) = (bind().await, bind().await, bind().await);
    let addrs = (plain.local_addr().unwrap(), h2.local_addr().unwrap(), http11.local_addr().unwrap());
    let https = HttpsPorts { h2: addrs.1.port(), http11: Some(addrs.2.port()), pin: id.pin.clone() };
    let listeners = vec![
        (plain, Transport::Plain),
        (h2, Transport::Tls(tls::server_config(&id, Offer::H2AndHttp11).unwrap())),
        (http11, Transport::Tls(tls::server_config(&id, Offer::Http11Only).unwrap())),
    ];
    tokio::spawn(serve_all(listeners, Config { https: Some(https), ..config }, std::future::pending()));
    Lab { plain: addrs.0, h2: addrs.1, http11: addrs.2, pin: id.pin }
}

pub type TlsStream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

/// A TLS connection offering `alpn`, trusting the certificate by `pin`.
pub async fn connect(addr: SocketAddr, pin: &str, alpn: &[&[u8]]) -> Result<TlsStream, String> {
    connect_from(Ipv4Addr::LOCALHOST.into(), addr, pin, alpn).await
}

/// As [`connect`], from the loopback address `from` (another client).
pub async fn connect_from(from: IpAddr, addr: SocketAddr, pin: &str, alpn: &[&[u8]]) -> Result<TlsStream, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned(pin.to_owned(), provider)))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let tcp = super::connect_from(from, addr).await.map_err(|e| e.to_string())?;
    let name = ServerName::try_from("127.0.0.1").unwrap();
    tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.map_err(|e| e.to_string())
}
