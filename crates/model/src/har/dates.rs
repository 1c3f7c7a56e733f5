//! ISO 8601 dates, both ways, in checked arithmetic: a HAR file can carry
//! any text where a date belongs, and a year of `99999999999` (or
//! `+275760`, past what a JavaScript `Date` holds) must give "not a date",
//! not an overflow or an exception.

/// The latest date read or written: 9999-12-31T23:59:59.999Z.
const MAX_EPOCH_MS: f64 = 253_402_300_799_999.0;
/// The earliest date read: 0000-01-01T00:00:00.000Z.
const MIN_EPOCH_MS: f64 = -62_167_219_200_000.0;

/// `2026-11-24T13:52:41.123Z` for milliseconds since the Unix epoch
/// (clamped to years 1970 to 9999; NaN gives the epoch).
pub fn iso8601(epoch_ms: f64) -> String {
    let ms = if epoch_ms.is_nan() { 0 } else { epoch_ms.clamp(0.0, MAX_EPOCH_MS).round() as i64 };
    let (year, month, day, rem) = civil(ms);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000)
}

/// `2026-11-25 21:41:44 UTC` for a date [`parse_iso8601`] gave (years 0000
/// to 9999); `None` for any other number, so no caller needs the browser's
/// `Date` (which throws a RangeError past ±8.64e15 ms).
pub fn utc_label(epoch_ms: f64) -> Option<String> {
    if !(MIN_EPOCH_MS..=MAX_EPOCH_MS).contains(&epoch_ms) {
        return None;
    }
    let (year, month, day, rem) = civil(epoch_ms.floor() as i64);
    Some(format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60))
}

/// (year, month, day, ms into the day) of `ms` since the epoch, for years
/// 0000 to 9999.
fn civil(ms: i64) -> (i64, i64, i64, i64) {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's days → civil date; `days` is within ±3,000,000, so
    // nothing below can overflow.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem)
}

/// Milliseconds since the Unix epoch for an ISO 8601 date-time
/// (`2026-11-24T13:52:41.123Z`, `…+01:00`, `…+0100`; no offset is read as
/// UTC). `None` for anything else, including fields out of range and
/// instants outside the years 0000 to 9999.
pub fn parse_iso8601(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let (y, m, day) = (number(d.next()?, 4)?, number(d.next()?, 2)?, number(d.next()?, 2)?);
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_min) = if let Some(c) = time.strip_suffix('Z').or_else(|| time.strip_suffix('z')) {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, off) = time.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = &off[1..];
        let (h, mi) = match off.split_once(':') {
            Some((h, mi)) => (number(h, 2)?, number(mi, 2)?),
            None if off.len() == 4 => (number(&off[..2], 2)?, number(&off[2..], 2)?),
            None => (number(off, 2)?, 0),
        };
        if h > 23 || mi > 59 {
            return None;
        }
        (c, sign * (h * 60 + mi))
    } else {
        (time, 0)
    };
    let mut c = clock.split(':');
    let (hh, mm) = (number(c.next()?, 2)?, number(c.next()?, 2)?);
    let secs_text = c.next().unwrap_or("0");
    if c.next().is_some() || hh > 24 || mm > 59 || !secs_text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let secs: f64 = secs_text.parse().ok()?;
    if !(0.0..61.0).contains(&secs) {
        return None;
    }
    // Days from civil (Howard Hinnant); the year has at most four digits, so
    // these cannot overflow, but checked all the same.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era.checked_mul(146_097)?.checked_add(doe)?.checked_sub(719_468)?;
    let whole = days.checked_mul(86_400)?.checked_add(hh * 3600 + mm * 60)?.checked_sub(offset_min * 60)?;
    let ms = whole as f64 * 1000.0 + secs * 1000.0;
    (MIN_EPOCH_MS..=MAX_EPOCH_MS).contains(&ms).then_some(ms)
}

/// Up to `max_digits` ASCII digits (no sign, no spaces).
fn number(s: &str, max_digits: usize) -> Option<i64> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_back() {
        assert_eq!(parse_iso8601("2026-11-29T13:46:40.123Z"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601("2026-11-29T14:46:40.123+01:00"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601("2026-11-29T14:46:40.123+0100"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601("2026-11-29T06:46:40.123-07:00"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601(&iso8601(951_782_400_000.0)), Some(951_782_400_000.0));
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn dates_are_iso_8601_utc() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_795_960_000_123.4), "2026-11-29T13:46:40.123Z");
    }

    #[test]
    fn out_of_range_dates_are_refused_or_clamped_never_overflow() {
        for bad in [
            "99999999999999999999-01-01T00:00:00Z",
            "9223372036854775807-01-01T00:00:00Z",
            "2026-01-01T00:00:NaNZ",
            "2026-01-01T00:00:infZ",
            "2026-01-01T00:00:1e400Z",
            "2026-01-01T99:00:00Z",
            "2026-01-01T00:00:00+99:00",
            "2026-01-01T00:00:00+-1:00",
            "-2026-01-01T00:00:00Z",
            "+275760-09-13T00:00:00.001Z",
            "275760-09-13T00:00:00.001Z",
            "999999-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999-01:00",
            "0000-01-01T00:00:00+00:01",
            "2026-01-01-01T00:00:00Z",
            "2026-01-01T",
            "",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
        assert_eq!(iso8601(f64::NAN), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(f64::INFINITY), "9999-12-31T23:59:59.999Z");
        assert_eq!(iso8601(-5.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(i64::MAX as f64), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn the_labels_cover_every_date_read_and_nothing_else() {
        let label = |s: &str| utc_label(parse_iso8601(s).unwrap());
        assert_eq!(label("2026-11-25T21:41:44.999Z").as_deref(), Some("2026-11-25 21:41:44 UTC"));
        assert_eq!(label("9999-12-31T23:59:59.999Z").as_deref(), Some("9999-12-31 23:59:59 UTC"));
        assert_eq!(label("0000-01-01T00:00:00Z").as_deref(), Some("0000-01-01 00:00:00 UTC"));
        assert_eq!(label("1969-12-31T23:59:59.5Z").as_deref(), Some("1969-12-31 23:59:59 UTC"));
        for bad in [f64::NAN, f64::INFINITY, -f64::INFINITY, 8.64e15 + 1.0, -8.64e15, MAX_EPOCH_MS + 1.0, MIN_EPOCH_MS - 1.0] {
            assert_eq!(utc_label(bad), None, "{bad}");
        }
    }
}
