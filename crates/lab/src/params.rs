//! Bounded parameters: every number the lab accepts has a range, and a value
//! outside it is a 400 that names the parameter and the range.

use crate::error::LabError;
use std::collections::HashMap;
use std::str::FromStr;

/// Parses `raw` as a `T` within `min..=max`.
pub fn bounded<T>(name: &'static str, raw: &str, min: T, max: T, allowed: &'static str) -> Result<T, LabError>
where
    T: FromStr + PartialOrd + Copy,
{
    raw.trim().parse::<T>().ok().filter(|v| *v >= min && *v <= max).ok_or_else(|| LabError::BadParam { name, value: clip(raw), allowed })
}

/// A query parameter parsed within bounds, or its default when absent.
pub fn query_or<T>(
    q: &HashMap<String, String>,
    name: &'static str,
    default: T,
    min: T,
    max: T,
    allowed: &'static str,
) -> Result<T, LabError>
where
    T: FromStr + PartialOrd + Copy,
{
    match q.get(name) {
        Some(raw) => bounded(name, raw, min, max, allowed),
        None => Ok(default),
    }
}

/// Error messages quote what was sent, but never more than a line of it.
pub fn clip(raw: &str) -> String {
    let mut s: String = raw.chars().take(80).collect();
    if s.len() < raw.len() {
        s.push('…');
    }
    s
}

/// A small, fast, non-cryptographic random source (xorshift64*), seeded from
/// the clock and a counter: for weighted statuses and random bytes, where
/// unpredictability does not matter.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Rng {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let seed = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced_and_named() {
        assert_eq!(bounded("n", "5", 0u32, 10, "0 to 10").unwrap(), 5);
        match bounded("n", "11", 0u32, 10, "a whole number from 0 to 10") {
            Err(LabError::BadParam { name, value, allowed }) => {
                assert_eq!((name, value.as_str(), allowed), ("n", "11", "a whole number from 0 to 10"))
            }
            other => panic!("{other:?}"),
        }
        assert!(bounded("x", "NaN", 0.0f64, 1.0, "").is_err());
        assert!(bounded("x", "inf", 0.0f64, 1.0, "").is_err());
        assert_eq!(clip(&"y".repeat(200)).chars().count(), 81);
    }

    #[test]
    fn random_units_stay_in_range() {
        let mut rng = Rng::new();
        for _ in 0..10_000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        let mut buf = [0u8; 13];
        rng.fill(&mut buf);
        assert!(buf.iter().any(|b| *b != 0));
    }
}
