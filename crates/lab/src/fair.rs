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
    next.run(req).await.map(|body| Body::new(Held { body, turn: Some((share, turn)) }))
}

/// A body that holds a turn in the slow lane until it ends (or is dropped,
/// when the client goes away).
struct Held {
    body: Body,
    turn: Option<(Share, OwnedSemaphorePermit)>,
}

impl http_body::Body for Held {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
            this.turn = None;
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
}
