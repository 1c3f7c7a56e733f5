//! What the lab watches on each connection and each HTTP/2 stream, so that
//! HTTP/2 keeps the promises HTTP/1.1 keeps:
//!
//! - a connection with no request under way is closed after the idle
//!   timeout (HTTP/2 gets a GOAWAY where an idle keep-alive HTTP/1.1
//!   connection is closed by hyper's header-read timeout), whatever PINGs
//!   the client sends;
//! - a stream whose response the client does not take (its flow-control
//!   window stays closed while the socket itself could take bytes) gives
//!   back its slow-lane turn once it has waited `stall_grace`, and is reset
//!   after `stall_timeout`, as an HTTP/1.1 response the client stops
//!   reading is abandoned; past `max_stalled_streams` on one connection, or
//!   `PER_CLIENT` times that over one client's connections, a newly
//!   stalled stream is reset at once;
//! - a response that waits holds a piece of its body and often a file: one
//!   client may have at most `max_waiting_per_client` of them waiting at
//!   once, whatever the socket is doing (a client that reads its socket
//!   slowly is not counted as stalled, so this is what bounds it); one more
//!   is reset at once;
//! - when a connection ends, every stream task it started ends with it (a
//!   stream waiting on a window that can no longer open would otherwise
//!   keep its file and its memory).
//!
//! hyper spawns one task per HTTP/2 stream through the connection's
//! executor; [`Streams`] is that executor. Inside a stream's task the
//! stream's [`Stream`] is a task-local, which the response body and the
//! slow lane use to say "the response waits on the client" and "give this
//! back when the stream stalls". Over HTTP/1.1 there is no such task-local
//! and those calls do nothing (the socket's write deadline applies there).

use crate::fair::{PerClient, Share};
use std::future::Future;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The limits of this module, from the lab's [`crate::Limits`].
#[derive(Clone, Copy, Debug)]
pub struct StreamLimits {
    /// How long a response may wait on the client's window before it
    /// counts as stalled (its slow-lane turn is given back).
    pub stall_grace: Duration,
    /// How long a response may wait on the client's window in all before
    /// its stream is reset.
    pub stall_timeout: Duration,
    /// Streams of one connection that may be stalled at once.
    pub max_stalled_streams: usize,
    /// Responses of one client that may wait on it at once, over all its
    /// connections to a listener.
    pub max_waiting_per_client: usize,
}

/// One client's share of stalled responses, over all its connections to a
/// listener, in connections' worth.
pub const PER_CLIENT: usize = 4;

/// What one client holds over all its connections to a listener.
pub struct ClientShares {
    waiting: Arc<PerClient>,
    stalled: Arc<PerClient>,
}

impl ClientShares {
    pub fn new(limits: StreamLimits) -> ClientShares {
        ClientShares {
            waiting: PerClient::new(limits.max_waiting_per_client),
            stalled: PerClient::new(PER_CLIENT * limits.max_stalled_streams),
        }
    }
}

/// One connection's requests under way and stalled streams.
pub struct Connection {
    limits: StreamLimits,
    in_flight: watch::Sender<usize>,
    /// Responses waiting on the client now (for tests), and those of them
    /// counted as stalled.
    waiting: AtomicUsize,
    stalled: AtomicUsize,
    /// Pieces hyper has taken on any stream of this connection: a stream
    /// that waits while others move is waiting its turn for the
    /// connection's window, not stalled by its own.
    progress: AtomicU64,
    /// Set while a write to the socket waits (the client's TCP window, not
    /// its HTTP/2 one): then a waiting stream is not the client's doing.
    socket_blocked: Arc<AtomicBool>,
    client: IpAddr,
    waiting_shares: Arc<PerClient>,
    stalled_shares: Arc<PerClient>,
}

impl Connection {
    pub fn new(limits: StreamLimits, socket_blocked: Arc<AtomicBool>, client: IpAddr, shares: &ClientShares) -> Arc<Connection> {
        Arc::new(Connection {
            limits,
            in_flight: watch::Sender::new(0),
            waiting: AtomicUsize::new(0),
            stalled: AtomicUsize::new(0),
            progress: AtomicU64::new(0),
            socket_blocked,
            client,
            waiting_shares: shares.waiting.clone(),
            stalled_shares: shares.stalled.clone(),
        })
    }

    /// A request has started; it is under way until the guard is dropped
    /// (with its response body, once sent or abandoned).
    pub fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.send_modify(|n| *n += 1);
        InFlight(self.clone())
    }

    /// Completes once the connection has had no request under way for
    /// `timeout` in one stretch.
    pub async fn idle_for(&self, timeout: Duration) {
        let mut count = self.in_flight.subscribe();
        loop {
            let _ = count.wait_for(|n| *n == 0).await;
            if tokio::time::timeout(timeout, count.wait_for(|n| *n > 0)).await.is_err() {
                return;
            }
        }
    }

    /// Requests under way now.
    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        *self.in_flight.borrow()
    }
}

/// A request under way on a connection.
pub struct InFlight(Arc<Connection>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// One HTTP/2 stream, seen from inside its task.
pub struct Stream {
    connection: Arc<Connection>,
    /// Whether the response waits for hyper to take its next piece (which
    /// hyper does as soon as the client's window has room), and how often
    /// hyper has taken one.
    progress: watch::Sender<Progress>,
    /// What to give back if the stream stalls.
    on_stall: Mutex<Vec<Box<dyn FnOnce() + Send>>>,
    /// While the response waits: its client's share of waiting responses,
    /// or None if the client had none left.
    waiting_share: Mutex<Option<Share>>,
}

impl Stream {
    fn new(connection: Arc<Connection>) -> Stream {
        Stream { connection, progress: watch::Sender::default(), on_stall: Mutex::default(), waiting_share: Mutex::default() }
    }

    fn stall(&self) {
        let given_back = std::mem::take(&mut *self.on_stall.lock().unwrap_or_else(|e| e.into_inner()));
        for give_back in given_back {
            give_back();
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if self.progress.borrow().waiting {
            self.connection.waiting.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Progress {
    waiting: bool,
    /// Counts hyper's requests for a piece: a piece taken and the next one
    /// offered within one poll still shows as progress.
    taken: u64,
}

tokio::task_local! {
    static STREAM: Arc<Stream>;
}

/// The response (or its next piece) is ready: from now it waits on the client.
pub fn response_waits() {
    let _ = STREAM.try_with(|s| {
        if s.progress.send_if_modified(|p| !std::mem::replace(&mut p.waiting, true)) {
            s.connection.waiting.fetch_add(1, Ordering::Relaxed);
            *s.waiting_share.lock().unwrap_or_else(|e| e.into_inner()) = s.connection.waiting_shares.take(s.connection.client);
        }
    });
}

/// hyper asked for the response's next piece: the client took the last one.
pub fn response_moves() {
    let _ = STREAM.try_with(|s| {
        let mut was_waiting = false;
        s.progress.send_modify(|p| {
            was_waiting = std::mem::replace(&mut p.waiting, false);
            p.taken += 1;
        });
        s.connection.progress.fetch_add(1, Ordering::Relaxed);
        if was_waiting {
            s.connection.waiting.fetch_sub(1, Ordering::Relaxed);
            s.waiting_share.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    });
}

/// Runs `give_back` when the current HTTP/2 stream stalls on the client's
/// window, unless it is dropped first. Returns false (and drops it) outside
/// an HTTP/2 stream.
pub fn on_stall(give_back: impl FnOnce() + Send + 'static) -> bool {
    STREAM.try_with(|s| s.on_stall.lock().unwrap_or_else(|e| e.into_inner()).push(Box::new(give_back))).is_ok()
}

/// The executor hyper spawns one connection's HTTP/2 stream tasks with.
#[derive(Clone)]
pub struct Streams {
    connection: Arc<Connection>,
    /// Closed when the connection's task ends.
    gone: watch::Receiver<()>,
}

impl Streams {
    /// The executor for `connection`'s streams, and what its task holds
    /// until it ends (dropping it ends every stream task left).
    pub fn new(connection: Arc<Connection>) -> (Streams, watch::Sender<()>) {
        let (alive, gone) = watch::channel(());
        (Streams { connection, gone }, alive)
    }
}

impl<F> hyper::rt::Executor<F> for Streams
where
    F: Future<Output = ()> + Send + 'static,
{
    fn execute(&self, fut: F) {
        let stream = Arc::new(Stream::new(self.connection.clone()));
        let connection = self.connection.clone();
        let mut gone = self.gone.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = STREAM.scope(stream.clone(), fut) => {}
                _ = gone.changed() => {}
                () = watch_stall(&stream, &connection) => {}
            }
        });
    }
}

/// Completes when `stream` must be reset: it stalled on the client's
/// window for `stall_timeout`, or while its connection already had
/// `max_stalled_streams` stalled. Gives back the stream's turns once it has
/// stalled for `stall_grace`.
async fn watch_stall(stream: &Stream, connection: &Connection) {
    let limits = connection.limits;
    let mut progress = stream.progress.subscribe();
    loop {
        let Ok(seen) = progress.wait_for(|p| p.waiting).await.map(|p| p.taken) else { return };
        let moved = |p: &Progress| !p.waiting || p.taken != seen;
        if stream.waiting_share.lock().unwrap_or_else(|e| e.into_inner()).is_none() {
            return;
        }
        let others = connection.progress.load(Ordering::Relaxed);
        if tokio::time::timeout(limits.stall_grace, progress.wait_for(moved)).await.is_ok() {
            continue;
        }
        // The socket is full: the client is slow to read, not holding its
        // window shut (the socket's write deadline deals with that).
        if connection.socket_blocked.load(Ordering::Relaxed) {
            continue;
        }
        // Its turn in the slow lane goes back now, whatever the reason.
        stream.stall();
        // Other streams of the connection moved meanwhile: this one waits
        // its turn for the connection's window (a client with a small one
        // downloading many files at once), not on a window of its own.
        if connection.progress.load(Ordering::Relaxed) != others {
            continue;
        }
        let _counted = Stalled::count(connection);
        if _counted.over {
            return;
        }
        let others = connection.progress.load(Ordering::Relaxed);
        let rest = limits.stall_timeout.saturating_sub(limits.stall_grace);
        if tokio::time::timeout(rest, progress.wait_for(moved)).await.is_err() && connection.progress.load(Ordering::Relaxed) == others {
            return;
        }
    }
}

/// A stream counted among its connection's and its client's stalled ones.
struct Stalled<'a> {
    connection: &'a Connection,
    over: bool,
    _share: Option<Share>,
}

impl Stalled<'_> {
    fn count(connection: &Connection) -> Stalled<'_> {
        let before = connection.stalled.fetch_add(1, Ordering::Relaxed);
        let share = connection.stalled_shares.take(connection.client);
        Stalled { connection, over: before >= connection.limits.max_stalled_streams || share.is_none(), _share: share }
    }
}

impl Drop for Stalled<'_> {
    fn drop(&mut self) {
        self.connection.stalled.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Executor;

    fn limits() -> StreamLimits {
        StreamLimits {
            stall_grace: Duration::from_secs(1),
            stall_timeout: Duration::from_secs(10),
            max_stalled_streams: 2,
            max_waiting_per_client: 12,
        }
    }

    fn connection(socket_blocked: Arc<AtomicBool>) -> Arc<Connection> {
        Connection::new(limits(), socket_blocked, IpAddr::from([127, 0, 0, 1]), &ClientShares::new(limits()))
    }

    /// A stream task that says its response is ready and then waits for
    /// ever (as hyper does on a window that never opens); it reports when
    /// it is dropped and lets the test give it a turn to give back.
    fn stalled_stream(streams: &Streams, ended: tokio::sync::mpsc::UnboundedSender<&'static str>, turn: tokio::sync::oneshot::Sender<()>) {
        struct Ended(tokio::sync::mpsc::UnboundedSender<&'static str>);
        impl Drop for Ended {
            fn drop(&mut self) {
                let _ = self.0.send("ended");
            }
        }
        streams.execute(async move {
            let _ended = Ended(ended);
            assert!(on_stall(move || {
                let _ = turn.send(());
            }));
            response_waits();
            std::future::pending::<()>().await;
        });
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_stream_gives_back_its_turn_after_the_grace_and_is_reset_after_the_timeout() {
        let connection = connection(Arc::default());
        let (streams, _alive) = Streams::new(connection.clone());
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        let (turn, given_back) = tokio::sync::oneshot::channel();
        let started = tokio::time::Instant::now();
        stalled_stream(&streams, ended, turn);
        given_back.await.unwrap();
        assert_eq!(started.elapsed(), limits().stall_grace, "the turn comes back after the grace");
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), limits().stall_timeout, "the stream is reset after the timeout");
    }

    #[tokio::test(start_paused = true)]
    async fn past_the_cap_a_stalled_stream_is_reset_at_once() {
        let connection = connection(Arc::default());
        let (streams, _alive) = Streams::new(connection.clone());
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        let started = tokio::time::Instant::now();
        let mut turns = Vec::new();
        for _ in 0..3 {
            let (turn, given_back) = tokio::sync::oneshot::channel();
            stalled_stream(&streams, ended.clone(), turn);
            turns.push(given_back);
        }
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), limits().stall_grace, "the third stalled stream goes once it counts");
        for given_back in turns {
            given_back.await.unwrap();
        }
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), limits().stall_timeout);
    }

    #[tokio::test(start_paused = true)]
    async fn a_response_past_its_clients_waiting_share_is_reset_at_once_even_behind_a_full_socket() {
        let shares = ClientShares::new(limits());
        let client = IpAddr::from([127, 0, 0, 2]);
        let blocked = Arc::new(AtomicBool::new(true));
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        // Two connections, their socket full: the waits are not stalls, but
        // together they may hold no more than the client's share.
        let mut alive = Vec::new();
        for _ in 0..2 {
            let (streams, keep) = Streams::new(Connection::new(limits(), blocked.clone(), client, &shares));
            for _ in 0..limits().max_waiting_per_client / 2 {
                let (turn, _given_back) = tokio::sync::oneshot::channel();
                stalled_stream(&streams, ended.clone(), turn);
            }
            alive.push((streams, keep));
        }
        let (turn, _given_back) = tokio::sync::oneshot::channel();
        stalled_stream(&alive[1].0, ended.clone(), turn);
        let started = tokio::time::Instant::now();
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), Duration::ZERO, "one past the share goes before any grace");
        tokio::time::sleep(limits().stall_timeout * 3).await;
        assert!(ends.try_recv().is_err(), "those within the share wait behind the socket");
    }

    #[tokio::test(start_paused = true)]
    async fn one_clients_connections_share_its_stalled_streams() {
        let shares = ClientShares::new(limits());
        let client = IpAddr::from([127, 0, 0, 2]);
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        let mut kept = Vec::new();
        // Each connection within its own cap; together one more than the client's.
        for _ in 0..PER_CLIENT {
            let (streams, alive) = Streams::new(Connection::new(limits(), Arc::default(), client, &shares));
            for _ in 0..limits().max_stalled_streams {
                let (turn, _given_back) = tokio::sync::oneshot::channel();
                stalled_stream(&streams, ended.clone(), turn);
            }
            kept.push(alive);
        }
        let (streams, _alive) = Streams::new(Connection::new(limits(), Arc::default(), client, &shares));
        let (turn, _given_back) = tokio::sync::oneshot::channel();
        stalled_stream(&streams, ended.clone(), turn);
        let started = tokio::time::Instant::now();
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), limits().stall_grace, "the client's one too many goes once it counts");
        let other = IpAddr::from([127, 0, 0, 3]);
        let (streams, _other_alive) = Streams::new(Connection::new(limits(), Arc::default(), other, &shares));
        let (turn, given_back) = tokio::sync::oneshot::channel();
        stalled_stream(&streams, ended.clone(), turn);
        given_back.await.unwrap();
        assert!(ends.try_recv().is_err(), "another client is not held back");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stream_waiting_its_turn_while_others_on_its_connection_move_is_not_reset() {
        let connection = connection(Arc::default());
        let (streams, _alive) = Streams::new(connection.clone());
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        // More waiting streams than may stall, on a connection that moves:
        // one stream takes a piece every half grace (the client releases
        // its connection window as it reads).
        for _ in 0..limits().max_stalled_streams + 2 {
            stalled_stream(&streams, ended.clone(), turn_for_test());
        }
        let (done, finished) = tokio::sync::oneshot::channel();
        streams.execute(async move {
            for _ in 0..60 {
                response_waits();
                tokio::time::sleep(limits().stall_grace / 2).await;
                response_moves();
            }
            let _ = done.send(());
        });
        finished.await.unwrap();
        assert!(ends.try_recv().is_err(), "none was reset while the connection moved");
        // Once nothing moves, they are.
        assert_eq!(ends.recv().await, Some("ended"));
    }

    fn turn_for_test() -> tokio::sync::oneshot::Sender<()> {
        tokio::sync::oneshot::channel().0
    }

    #[tokio::test(start_paused = true)]
    async fn a_response_the_client_keeps_taking_is_never_stalled() {
        let connection = connection(Arc::default());
        let (streams, _alive) = Streams::new(connection.clone());
        let (done, finished) = tokio::sync::oneshot::channel();
        streams.execute(async move {
            assert!(on_stall(|| panic!("a moving response never stalls")));
            // Thirty pieces, each taken half a grace after it was offered.
            for _ in 0..30 {
                response_waits();
                tokio::time::sleep(limits().stall_grace / 2).await;
                response_moves();
            }
            let _ = done.send(());
        });
        finished.await.expect("the stream ran to its end");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stream_waiting_on_a_full_socket_is_left_to_the_write_deadline() {
        let blocked = Arc::new(AtomicBool::new(true));
        let connection = connection(blocked.clone());
        let (streams, _alive) = Streams::new(connection.clone());
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        let (turn, _given_back) = tokio::sync::oneshot::channel();
        stalled_stream(&streams, ended, turn);
        tokio::time::sleep(limits().stall_timeout * 3).await;
        assert!(ends.try_recv().is_err(), "not reset while the socket is what waits");
        blocked.store(false, Ordering::Relaxed);
        assert_eq!(ends.recv().await, Some("ended"));
    }

    #[tokio::test(start_paused = true)]
    async fn the_streams_end_with_their_connection() {
        let connection = connection(Arc::default());
        let (streams, alive) = Streams::new(connection.clone());
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        let (turn, _given_back) = tokio::sync::oneshot::channel();
        stalled_stream(&streams, ended, turn);
        tokio::task::yield_now().await;
        let started = tokio::time::Instant::now();
        drop(alive);
        assert_eq!(ends.recv().await, Some("ended"));
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_is_idle_once_no_request_has_been_under_way_for_the_timeout() {
        let connection = connection(Arc::default());
        let timeout = Duration::from_secs(10);
        let started = tokio::time::Instant::now();
        let request = connection.request_started();
        let idle = tokio::spawn({
            let connection = connection.clone();
            async move { connection.idle_for(timeout).await }
        });
        tokio::time::sleep(timeout * 2).await;
        assert!(!idle.is_finished(), "a request under way keeps it open");
        drop(request);
        idle.await.unwrap();
        assert_eq!(started.elapsed(), timeout * 3);
        assert_eq!(connection.in_flight(), 0);
    }
}
