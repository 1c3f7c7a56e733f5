//! Fair shares: who a client is, how much of a limited thing each client may
//! hold at once, and the slow lane, whose turn lasts until the whole body is
//! sent (not only until the headers).

use crate::error::LabError;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Who a client is: its IP address; for IPv6 its /64, the block one machine
/// is usually given (it may pick any address inside it).
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6([s[0], s[1], s[2], s[3], 0, 0, 0, 0].into())
            }
        },
        v4 => v4,
    }
}

/// The client a request came from (one "unknown" client without a socket,
/// as when tests call the router directly).
pub fn client_of_request(req: &Request) -> IpAddr {
    client_of_extensions(req.extensions())
}

pub fn client_of_extensions(extensions: &axum::http::Extensions) -> IpAddr {
    extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| client_of(c.0.ip()))
}

/// At most `limit` of something per client at once.
pub struct PerClient {
    limit: usize,
    held: Mutex<HashMap<IpAddr, usize>>,
}

/// One unit a client holds; given back when dropped.
pub struct Share {
    owner: Arc<PerClient>,
    client: IpAddr,
}

impl PerClient {
    pub fn new(limit: usize) -> Arc<PerClient> {
        Arc::new(PerClient { limit, held: Mutex::new(HashMap::new()) })
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// One more for `client`, unless it already holds its limit.
    pub fn take(self: &Arc<Self>, client: IpAddr) -> Option<Share> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(client).or_insert(0);
        if *n >= self.limit {
            return None;
        }
        *n += 1;
        Some(Share { owner: self.clone(), client })
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut held = self.owner.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.client);
            }
        }
    }
}

/// The slow endpoints' lane: `total` turns for everyone, at most
/// `per_client` of them for one client.
#[derive(Clone)]
pub struct SlowLane {
    total: Arc<Semaphore>,
    per_client: Arc<PerClient>,
}

impl SlowLane {
    pub fn new(total: usize, per_client: usize) -> SlowLane {
        SlowLane { total: Arc::new(Semaphore::new(total)), per_client: PerClient::new(per_client) }
    }
}

/// A client past its own share is told so at once (429, with when to try
/// again); within it, a request waits its turn in the shared lane, and keeps
/// the turn until the last byte of its body is sent.
pub async fn slow_lane(State(lane): State<SlowLane>, req: Request, next: Next) -> Response {
    let Some(share) = lane.per_client.take(client_of_request(&req)) else {
        let n = lane.per_client.limit();
        return LabError::Busy {
            message: format!(
                "You already have {n} slow requests running (delay, drip, slow-server, stream). The lab runs at most {n} at once for each client, so that every learner gets a turn: wait for one to finish."
            ),
            retry_after: 1,
        }
        .into_response();
    };
    let Ok(turn) = lane.total.clone().acquire_owned().await else {
        unreachable!("the lane's semaphore is never closed");
    };
    // Over HTTP/2 a client can hold a response by never opening its
    // flow-control window: the turn is given back once the stream stalls.
    let turn = Arc::new(Mutex::new(Some((share, turn))));
    let given_back = Arc::downgrade(&turn);
    crate::streams::on_stall(move || {
        if let Some(turn) = given_back.upgrade() {
            turn.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    });
    next.run(req).await.map(|body| Body::new(Held { body, turn }))
}

/// A body that holds a turn in the slow lane until it ends (or is dropped,
/// when the client goes away, or its HTTP/2 stream stalls).
struct Held {
    body: Body,
    turn: Arc<Mutex<Option<(Share, OwnedSemaphorePermit)>>>,
}

impl http_body::Body for Held {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
            this.turn.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Who may open a connection: at most `total` at once, `per_client` from
/// one client, `handshakes_per_client` of them still in their TLS handshake;
/// and the last quarter of `total` only for clients that hold fewer than an
/// eighth of `per_client`, so that a few addresses cannot take every
/// connection (eight clients at their share would otherwise fill 512).
pub struct Admission {
    total: usize,
    per_client: usize,
    handshakes_per_client: usize,
    held: Mutex<Admitted>,
}

#[derive(Default)]
struct Admitted {
    open: usize,
    clients: HashMap<IpAddr, Holding>,
}

#[derive(Default, Clone, Copy)]
struct Holding {
    open: usize,
    handshaking: usize,
}

/// Why a connection was turned away, in words for the learner.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Client(usize),
    Handshakes(usize),
    Full,
    Reserved,
}

impl Refused {
    pub fn reason(&self) -> String {
        match self {
            Refused::Client(n) => format!(
                "This address already has {n} connections open to the lab, the most one client may hold. Close some, or wait for idle ones to time out."
            ),
            Refused::Handshakes(n) => format!(
                "This address already has {n} connections in their TLS handshake with the lab, the most one client may start at once. Wait for them to finish."
            ),
            Refused::Full => "The lab has as many connections open as it serves at once. Try again in a moment.".to_owned(),
            Refused::Reserved => "The lab is nearly full, and keeps its last connections for clients that hold few: this address holds many already. Close some, or try again in a moment.".to_owned(),
        }
    }
}

/// One admitted connection; given back when dropped.
pub struct Ticket {
    owner: Arc<Admission>,
    client: IpAddr,
    handshaking: bool,
}

impl Admission {
    pub fn new(total: usize, per_client: usize, handshakes_per_client: usize) -> Arc<Admission> {
        Arc::new(Admission { total, per_client, handshakes_per_client, held: Mutex::default() })
    }

    /// A connection from `client`, which will start with a TLS handshake
    /// if `handshake`, unless a rule refuses it.
    pub fn admit(self: &Arc<Self>, client: IpAddr, handshake: bool) -> Result<Ticket, Refused> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let mine = held.clients.get(&client).copied().unwrap_or_default();
        if mine.open >= self.per_client {
            return Err(Refused::Client(self.per_client));
        }
        if handshake && mine.handshaking >= self.handshakes_per_client {
            return Err(Refused::Handshakes(self.handshakes_per_client));
        }
        if held.open >= self.total {
            return Err(Refused::Full);
        }
        let reserve = self.total / 4;
        let few = (self.per_client / 8).max(1);
        if held.open >= self.total - reserve && mine.open >= few {
            return Err(Refused::Reserved);
        }
        held.open += 1;
        let entry = held.clients.entry(client).or_default();
        entry.open += 1;
        entry.handshaking += usize::from(handshake);
        Ok(Ticket { owner: self.clone(), client, handshaking: handshake })
    }

    /// Connections open now (for tests and the lab's own reports).
    #[cfg(test)]
    pub fn open(&self) -> usize {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).open
    }
}

impl Ticket {
    /// The TLS handshake is over: the connection no longer counts among
    /// its client's handshakes.
    pub fn handshake_done(&mut self) {
        if std::mem::take(&mut self.handshaking) {
            let mut held = self.owner.held.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = held.clients.get_mut(&self.client) {
                c.handshaking -= 1;
            }
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.handshake_done();
        let mut held = self.owner.held.lock().unwrap_or_else(|e| e.into_inner());
        held.open -= 1;
        if let Some(c) = held.clients.get_mut(&self.client) {
            c.open -= 1;
            if c.open == 0 {
                held.clients.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_counted_per_client_and_given_back() {
        let shares = PerClient::new(2);
        let (a, b) = (IpAddr::from([127, 0, 0, 2]), IpAddr::from([127, 0, 0, 3]));
        let first = shares.take(a).unwrap();
        let _second = shares.take(a).unwrap();
        assert!(shares.take(a).is_none(), "a holds its limit");
        assert!(shares.take(b).is_some(), "b is not held back by a");
        drop(first);
        assert!(shares.take(a).is_some(), "given back on drop");
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_of(one), client_of(other));
        assert_eq!(client_of("::ffff:10.0.0.7".parse().unwrap()), IpAddr::from([10, 0, 0, 7]));
    }

    #[test]
    fn a_few_addresses_cannot_take_every_connection() {
        let admission = Admission::new(512, 64, 16);
        let mut held = Vec::new();
        let mut refused = Vec::new();
        for n in 1..=8u8 {
            for _ in 0..64 {
                match admission.admit(IpAddr::from([127, 0, 0, n]), false) {
                    Ok(t) => held.push(t),
                    Err(r) => refused.push(r),
                }
            }
        }
        // Six fill three quarters; past that each holds no more than a few.
        assert_eq!(admission.open(), 6 * 64 + 2 * 8);
        assert!(refused.iter().all(|r| *r == Refused::Reserved), "{refused:?}");
        let ninth = admission.admit(IpAddr::from([127, 0, 0, 9]), true);
        assert!(ninth.is_ok(), "a ninth address still gets in");
    }

    #[test]
    fn handshakes_are_capped_per_client_and_given_back_when_done() {
        let admission = Admission::new(512, 64, 2);
        let a = IpAddr::from([127, 0, 0, 2]);
        let mut first = admission.admit(a, true).unwrap();
        let _second = admission.admit(a, true).unwrap();
        assert_eq!(admission.admit(a, true).err(), Some(Refused::Handshakes(2)));
        let _plain = admission.admit(a, false).expect("plain connections are not handshakes");
        first.handshake_done();
        let _third = admission.admit(a, true).expect("a finished handshake is given back");
        drop(first);
        assert_eq!(admission.open(), 3);
    }

    #[test]
    fn the_per_client_share_and_the_total_still_hold() {
        let admission = Admission::new(4, 2, 2);
        let (a, b, c) = (IpAddr::from([127, 0, 0, 2]), IpAddr::from([127, 0, 0, 3]), IpAddr::from([127, 0, 0, 4]));
        let _a = (admission.admit(a, false).unwrap(), admission.admit(a, false).unwrap());
        assert_eq!(admission.admit(a, false).err(), Some(Refused::Client(2)));
        let _b = admission.admit(b, false).unwrap();
        let _c = admission.admit(c, false).unwrap();
        assert_eq!(admission.admit(IpAddr::from([127, 0, 0, 5]), false).err(), Some(Refused::Full));
    }
}
