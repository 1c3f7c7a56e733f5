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
}
