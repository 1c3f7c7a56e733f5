//! HTTP/1.1 against HTTP/2 on one page load, from the page's own Resource
//! Timing entries: how many connections it opened, how many requests waited
//! for one, and how long the load took.
//!
//! Over TLS every new connection runs a handshake inside its connect phase,
//! which takes a millisecond or more even on loopback, so it shows in
//! browsers that report whole milliseconds too; a reused connection's marks
//! all equal `fetchStart`.

use crate::timing::ResourceTiming;

/// What one page load over one protocol cost.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolRun {
    /// The protocol most requests used (`nextHopProtocol`), "" if not told.
    pub protocol: String,
    /// The document and every resource it fetched.
    pub requests: usize,
    /// Requests whose marks show a new connection.
    pub connections_opened: usize,
    /// The most requests under way at the same moment (sent, answer not
    /// yet complete): at most one per connection with HTTP/1.1.
    pub most_in_flight: usize,
    /// How long the page's files waited before going out: the median, the longest.
    pub median_wait_ms: f64,
    pub longest_wait_ms: f64,
    /// From navigation start to the end of the load event (or to the last
    /// response's end while the load event is not over).
    pub load_ms: f64,
}

/// Whether this request opened a connection of its own, by the one rule
/// the journey also uses ([`ResourceTiming::opened_connection`]); a frame's
/// entries carry no server word, so the marks decide.
pub fn opened_connection(e: &ResourceTiming) -> bool {
    e.opened_connection(false) == Some(true)
}

/// How long a request waited before it could go out, not counting the
/// setting up of a connection of its own (DNS, connect, TLS): the time it
/// queued for a free connection, or behind the browser's own work.
pub fn wait_ms(e: &ResourceTiming) -> f64 {
    if e.request_start <= 0.0 {
        return 0.0; // not exposed
    }
    let before = e.request_start - e.fetch_start;
    let own_setup = if opened_connection(e) { (e.connect_end - e.domain_lookup_start.max(e.fetch_start)).max(0.0) } else { 0.0 };
    (before - own_setup).max(0.0)
}

/// The run of `document` (the navigation entry) and its `resources`;
/// `load_event_end` is the navigation's (0: not over yet).
pub fn summarize(document: &ResourceTiming, load_event_end: f64, resources: &[ResourceTiming]) -> ProtocolRun {
    let all: Vec<&ResourceTiming> = std::iter::once(document).chain(resources).collect();
    let mut protocols: Vec<(&str, usize)> = Vec::new();
    for e in &all {
        if e.next_hop_protocol.is_empty() {
            continue;
        }
        match protocols.iter_mut().find(|(p, _)| *p == e.next_hop_protocol) {
            Some(p) => p.1 += 1,
            None => protocols.push((&e.next_hop_protocol, 1)),
        }
    }
    protocols.sort_by_key(|p| std::cmp::Reverse(p.1));
    let mut waits: Vec<f64> = resources.iter().map(wait_ms).collect();
    waits.sort_by(f64::total_cmp);
    let last_end = all.iter().map(|e| e.response_end).fold(0.0, f64::max);
    ProtocolRun {
        protocol: protocols.first().map(|(p, _)| (*p).to_owned()).unwrap_or_default(),
        requests: all.len(),
        connections_opened: all.iter().filter(|e| opened_connection(e)).count(),
        most_in_flight: most_in_flight(&all),
        median_wait_ms: waits.get(waits.len() / 2).copied().unwrap_or(0.0),
        longest_wait_ms: waits.last().copied().unwrap_or(0.0),
        load_ms: if load_event_end > 0.0 { load_event_end - document.start_time } else { last_end - document.start_time },
    }
}

/// The most requests in flight at once: from `requestStart` to
/// `responseEnd`, counted where they overlap (an end before a start at the
/// same instant: one connection handing over to the next request).
fn most_in_flight(entries: &[&ResourceTiming]) -> usize {
    let mut events: Vec<(f64, i32)> = Vec::new();
    for e in entries.iter().filter(|e| e.request_start > 0.0 && e.response_end >= e.request_start) {
        events.push((e.request_start, 1));
        events.push((e.response_end, -1));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, step) in events {
        now += step;
        most = most.max(now);
    }
    most as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fetch: f64, new_connection: bool, request: f64, protocol: &str) -> ResourceTiming {
        let (connect_start, connect_end, tls) =
            if new_connection { (fetch + 1.0, fetch + 3.0, fetch + 2.0) } else { (fetch, fetch, fetch) };
        ResourceTiming {
            name: "https://127.0.0.1:8443/lab/page/heavy/image/1.png".into(),
            next_hop_protocol: protocol.into(),
            start_time: fetch,
            fetch_start: fetch,
            domain_lookup_start: fetch,
            domain_lookup_end: fetch,
            connect_start,
            secure_connection_start: tls,
            connect_end,
            request_start: request,
            response_start: request + 2.0,
            response_end: request + 4.0,
            ..Default::default()
        }
    }

    #[test]
    fn http11_opens_six_connections_and_the_rest_wait_h2_opens_one() {
        let doc = entry(0.0, true, 4.0, "http/1.1");
        // Six new connections at once; the other 24 wait their turn.
        let mut h1: Vec<_> = (0..6).map(|_| entry(10.0, true, 13.0, "http/1.1")).collect();
        h1.extend((0..24).map(|i| entry(10.0, false, 20.0 + f64::from(i) * 4.0, "http/1.1")));
        let run = summarize(&doc, 150.0, &h1);
        assert_eq!((run.protocol.as_str(), run.requests, run.connections_opened), ("http/1.1", 31, 7));
        assert_eq!(run.longest_wait_ms, 20.0 + 23.0 * 4.0 - 10.0);
        assert_eq!(run.median_wait_ms, 20.0 + 9.0 * 4.0 - 10.0, "the 15th of 30 waits: the 10th queued request's");
        assert_eq!(run.load_ms, 150.0);

        let doc = entry(0.0, true, 4.0, "h2");
        let h2: Vec<_> = (0..30).map(|i| entry(10.0, false, 10.5 + f64::from(i) * 0.05, "h2")).collect();
        let run = summarize(&doc, 0.0, &h2);
        assert_eq!((run.protocol.as_str(), run.connections_opened), ("h2", 1), "one connection");
        assert!(run.longest_wait_ms < 2.0, "nobody waits long: {}", run.longest_wait_ms);
        assert_eq!(run.most_in_flight, 30, "all of them at once");
        assert_eq!(run.load_ms, 10.5 + 29.0 * 0.05 + 4.0, "the last response's end while load is not over");
    }

    #[test]
    fn a_new_connections_own_setup_is_not_waiting() {
        let e = entry(10.0, true, 13.0, "h2");
        assert!(opened_connection(&e));
        assert_eq!(wait_ms(&e), 0.0);
        // Whole milliseconds: connect rounds to 0, the TLS mark after fetchStart still says new.
        let whole = ResourceTiming { connect_start: 11.0, connect_end: 11.0, secure_connection_start: 11.0, ..e.clone() };
        assert!(opened_connection(&whole));
        // Reused: the Fetch standard sets every connection mark to fetchStart.
        let reused = ResourceTiming {
            domain_lookup_start: 10.0,
            connect_start: 10.0,
            connect_end: 10.0,
            secure_connection_start: 10.0,
            ..e.clone()
        };
        assert!(!opened_connection(&reused));
        assert_eq!(wait_ms(&ResourceTiming { request_start: 0.0, ..whole.clone() }), 0.0, "not exposed: no wait claimed");
    }
}
