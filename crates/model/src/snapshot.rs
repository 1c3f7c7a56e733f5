//! A measured run, packed into a link's fragment (`#run=…`), so that a teacher
//! can send what their browser measured and the learner can replay it, then
//! run the same request live and compare. The fragment never reaches a
//! server. The packing is compact (positional JSON, times rounded to a
//! microsecond, base64url), not compressed.
//!
//! A fragment is untrusted input: `decode` accepts any string and either
//! returns a snapshot whose every field is within bounds, or says why not.

use crate::base64;
use crate::exchange::{Exchange, METHODS};
use crate::server_timing::Metric;
use crate::timing::{ResourceTiming, Timeline};
use serde_json::{json, Value};

/// The longest `run=` value read.
pub const MAX_ENCODED: usize = 12 * 1024;
/// Where a replayed run starts on its own clock (any value above 0 would do:
/// 0 means "not exposed" in Resource Timing).
const TIME_ORIGIN: f64 = 1000.0;
/// Times past this (ten minutes) are not from one request.
const MAX_MS: f64 = 600_000.0;

/// What was measured of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub method: String,
    pub url: String,
    pub status: u16,
    pub status_text: String,
    pub elapsed_ms: f64,
    pub timing: Option<ResourceTiming>,
}

impl Snapshot {
    pub fn of(e: &Exchange) -> Snapshot {
        Snapshot {
            method: e.request.method.clone(),
            url: e.request.url.clone(),
            status: e.status,
            status_text: e.status_text.clone(),
            elapsed_ms: e.elapsed_ms,
            timing: e.timing.clone(),
        }
    }

    /// The value for `#run=`.
    pub fn encode(&self) -> String {
        let t = self.timing.as_ref().map(|t| {
            // Relative to the start; a timestamp the browser left at 0 (not
            // exposed, or nothing happened) stays absent.
            let times: Vec<Value> =
                times(t).into_iter().map(|v| if v > 0.0 { json!(round(v - t.start_time)) } else { Value::Null }).collect();
            let server: Vec<Value> = t.server_timing.iter().map(|m| json!([m.name, m.duration_ms.map(round), m.description])).collect();
            json!([
                t.next_hop_protocol,
                t.delivery_type,
                times,
                [t.transfer_size, t.encoded_body_size, t.decoded_body_size],
                t.response_status,
                server
            ])
        });
        let packed = json!([1, self.method, self.url, self.status, self.status_text, round(self.elapsed_ms), t]);
        base64::encode_url(packed.to_string().as_bytes())
    }

    /// Reads a `run=` value (or a whole fragment, `#run=…`).
    pub fn decode(input: &str) -> Result<Snapshot, String> {
        let input = input.trim_start_matches('#');
        let input = input.split('&').find_map(|p| p.strip_prefix("run=")).unwrap_or(input);
        if input.len() > MAX_ENCODED {
            return Err(format!("it is {} characters long, more than {MAX_ENCODED}", input.len()));
        }
        let bytes = base64::decode(input).ok_or("it is not base64url")?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|_| "it does not hold a recorded run")?;
        let bad = |what: &str| format!("its {what} is missing or out of range");
        if v[0] != 1 {
            return Err("it was made by another version of Roundtrip".into());
        }
        let method = v[1].as_str().filter(|m| METHODS.contains(m)).ok_or_else(|| bad("method"))?.to_owned();
        let url = v[2]
            .as_str()
            .filter(|u| !u.is_empty() && u.len() <= 2048 && !u.chars().any(char::is_control))
            .ok_or_else(|| bad("URL"))?
            .to_owned();
        let status = v[3].as_u64().filter(|s| (100..=599).contains(s)).ok_or_else(|| bad("status"))? as u16;
        let status_text = text(&v[4], 100).ok_or_else(|| bad("reason phrase"))?;
        let elapsed_ms = ms(&v[5]).ok_or_else(|| bad("elapsed time"))?;
        let timing = match &v[6] {
            Value::Null => None,
            t => Some(timing(t, &url).ok_or_else(|| bad("timing"))?),
        };
        Ok(Snapshot { method, url, status, status_text, elapsed_ms, timing })
    }
}

/// Every timestamp of an entry, in a fixed order.
fn times(t: &ResourceTiming) -> [f64; 13] {
    [
        t.start_time,
        t.redirect_start,
        t.redirect_end,
        t.fetch_start,
        t.domain_lookup_start,
        t.domain_lookup_end,
        t.connect_start,
        t.secure_connection_start,
        t.connect_end,
        t.request_start,
        t.response_start,
        t.response_end,
        t.start_time + t.duration,
    ]
}

fn timing(v: &Value, url: &str) -> Option<ResourceTiming> {
    let protocol = text(&v[0], 20)?;
    let delivery_type = text(&v[1], 20)?;
    let list = v[2].as_array().filter(|a| a.len() == 13)?;
    let mut t = [0.0; 13];
    for (slot, x) in t.iter_mut().zip(list) {
        *slot = match x {
            Value::Null => 0.0,
            x => TIME_ORIGIN + ms(x)?,
        };
    }
    let sizes = v[3].as_array().filter(|a| a.len() == 3)?;
    let size = |i: usize| sizes[i].as_f64().filter(|s| s.is_finite() && (0.0..=1e12).contains(s));
    let response_status = v[4].as_u64().filter(|s| *s <= 599)? as u16;
    let server = v[5].as_array().filter(|a| a.len() <= 20)?;
    let mut server_timing = Vec::new();
    for m in server {
        server_timing.push(Metric {
            name: text(&m[0], 64).filter(|n| !n.is_empty())?,
            duration_ms: match &m[1] {
                Value::Null => None,
                d => Some(ms(d)?),
            },
            description: text(&m[2], 200)?,
        });
    }
    Some(ResourceTiming {
        name: url.to_owned(),
        initiator_type: "fetch".into(),
        next_hop_protocol: protocol,
        delivery_type,
        start_time: t[0],
        redirect_start: t[1],
        redirect_end: t[2],
        fetch_start: t[3],
        domain_lookup_start: t[4],
        domain_lookup_end: t[5],
        connect_start: t[6],
        secure_connection_start: t[7],
        connect_end: t[8],
        request_start: t[9],
        response_start: t[10],
        response_end: t[11],
        duration: t[12] - t[0],
        transfer_size: size(0)?,
        encoded_body_size: size(1)?,
        decoded_body_size: size(2)?,
        response_status,
        server_timing,
        // A link carries the marks only; the reader's own rules judge them.
        connection: Default::default(),
    })
}

fn ms(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite() && (0.0..=MAX_MS).contains(x))
}

fn text(v: &Value, max: usize) -> Option<String> {
    v.as_str().filter(|s| s.chars().count() <= max && !s.chars().any(char::is_control)).map(str::to_owned)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One row of recorded vs live: the phase, and each run's duration (None
/// when that run did not measure it).
pub fn compare(recorded: &Timeline, live: &Timeline) -> Vec<(&'static str, Option<f64>, Option<f64>)> {
    use crate::timing::PhaseState;
    let measured = |t: &Timeline, kind| t.phases.iter().find(|p| p.kind == kind && p.state == PhaseState::Measured).map(|p| p.duration_ms);
    let mut rows: Vec<_> = recorded.phases.iter().map(|p| (p.kind.label(), measured(recorded, p.kind), measured(live, p.kind))).collect();
    rows.push(("Total", Some(recorded.total_ms), Some(live.total_ms)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::RequestSpec;

    fn entry() -> ResourceTiming {
        ResourceTiming {
            name: "http://127.0.0.1:8080/lab/delay/0.5".into(),
            initiator_type: "fetch".into(),
            next_hop_protocol: "http/1.1".into(),
            start_time: 1000.123456,
            fetch_start: 1000.2,
            domain_lookup_start: 1000.2,
            domain_lookup_end: 1000.2,
            connect_start: 1000.3,
            connect_end: 1001.1,
            request_start: 1001.2,
            response_start: 1503.4,
            response_end: 1504.0,
            duration: 503.876544,
            transfer_size: 900.0,
            encoded_body_size: 600.0,
            decoded_body_size: 600.0,
            response_status: 200,
            server_timing: vec![Metric { name: "delay".into(), duration_ms: Some(500.1), description: "Waiting on purpose".into() }],
            ..Default::default()
        }
    }

    fn snapshot() -> Snapshot {
        let exchange = Exchange {
            request: RequestSpec::get("http://127.0.0.1:8080/lab/delay/0.5".into()),
            status: 200,
            status_text: "OK".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: "{}".into(),
            body_size: 2,
            final_url: String::new(),
            redirected: false,
            response_type: "basic".into(),
            elapsed_ms: 506.3,
            timing: Some(entry()),
        };
        Snapshot::of(&exchange)
    }

    #[test]
    fn a_run_survives_the_fragment_with_the_same_phases() {
        let s = snapshot();
        let packed = s.encode();
        assert!(packed.len() < 600, "compact: {} characters", packed.len());
        assert!(packed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = Snapshot::decode(&format!("#run={packed}")).unwrap();
        assert_eq!((back.method.as_str(), back.url.as_str(), back.status, back.elapsed_ms), ("GET", s.url.as_str(), 200, 506.3));
        let (a, b) = (s.timing.unwrap().timeline(), back.timing.unwrap().timeline());
        for (x, y) in a.phases.iter().zip(&b.phases) {
            assert_eq!((x.kind, x.state), (y.kind, y.state));
            assert!((x.duration_ms - y.duration_ms).abs() < 0.002, "{:?}: {} vs {}", x.kind, x.duration_ms, y.duration_ms);
        }
        assert_eq!(b.server, a.server);
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert!(Snapshot::decode("run=%%%").unwrap_err().contains("base64"));
        assert!(Snapshot::decode(&base64::encode_url(b"[2]")).unwrap_err().contains("version"));
        assert!(Snapshot::decode(&base64::encode_url(br#"[1,"BREW","/x",200,"",1,null]"#)).unwrap_err().contains("method"));
        assert!(Snapshot::decode(&base64::encode_url(br#"[1,"GET","/x",200,"",-1,null]"#)).unwrap_err().contains("elapsed"));
        assert!(Snapshot::decode(&base64::encode_url(br#"[1,"GET","/x",99,"",1,null]"#)).unwrap_err().contains("status"));
        assert!(Snapshot::decode(&"A".repeat(MAX_ENCODED + 1)).unwrap_err().contains("long"));
        assert!(Snapshot::decode(&base64::encode_url(br#"[1,"GET","/x",200,"OK",1,null]"#)).is_ok());
    }

    #[test]
    fn property_mangled_fragments_never_panic() {
        let good = snapshot().encode();
        let mut x: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=%#&";
        for _ in 0..3000 {
            let mut bytes = good.clone().into_bytes();
            for _ in 0..1 + next() % 4 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            let cut = (next() % (bytes.len() as u64 + 1)) as usize;
            let mangled = String::from_utf8_lossy(&bytes[..cut]).into_owned();
            if let Ok(s) = Snapshot::decode(&mangled) {
                // Whatever decodes draws without panicking.
                let _ = s.timing.map(|t| t.timeline());
            }
        }
    }

    #[test]
    fn compare_lines_up_phases_and_totals() {
        let t = entry().timeline();
        let rows = compare(&t, &t);
        assert_eq!(rows.last().unwrap().0, "Total");
        assert!(rows.iter().all(|(_, a, b)| a == b));
    }
}
