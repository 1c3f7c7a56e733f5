//! The lab's echo: what the server received, as JSON. The lab writes it and the
//! app reads it with these same types.
//!
//! The shape follows httpbin's `/anything` (`args`, `data`, `headers`, `json`,
//! `method`, `origin`, `url`, …) so a learner's httpbin knowledge carries over,
//! plus what httpbin leaves out: the request line, the headers as an ordered
//! list (duplicates kept), cookies and the body's true size.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Name/value pairs that serialize as a JSON object in their own order. A
/// repeated name becomes an array of its values, as httpbin writes repeated
/// query arguments (`{"x": ["1", "2"]}`); reading accepts both forms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Groups repeated names, keeping the first one's place.
    fn grouped(&self) -> Vec<(&str, Vec<&str>)> {
        let mut out: Vec<(&str, Vec<&str>)> = Vec::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            match out.iter_mut().find(|(seen, _)| seen == k) {
                Some((_, values)) => values.push(v),
                None => out.push((k, vec![v])),
            }
        }
        out
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl Serialize for Pairs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.grouped().into_iter().map(|(k, mut values)| {
            let value = if values.len() == 1 { OneOrMany::One(values.remove(0)) } else { OneOrMany::Many(values) };
            (k, value)
        }))
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of strings or arrays of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, OneOrMany<String>>()? {
                    match v {
                        OneOrMany::One(v) => out.push((k, v)),
                        OneOrMany::Many(vs) => out.extend(vs.into_iter().map(|v| (k.clone(), v))),
                    }
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// What the lab received, as `/lab/anything` answers it. Missing fields read
/// as empty, so httpbin's own answers parse too.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Echo {
    /// Query parameters, in order.
    pub args: Pairs,
    /// The body as text (lossy UTF-8), cut at [`Echo::BODY_TEXT_CAP`].
    pub data: String,
    /// httpbin's form fields (urlencoded bodies).
    pub form: Pairs,
    /// httpbin's multipart file uploads; the lab does not parse multipart
    /// bodies, so this stays empty and `data` holds the raw body.
    pub files: Pairs,
    /// Headers as an object, httpbin's shape (a repeated header is an array).
    pub headers: Pairs,
    /// The body parsed as JSON when it is JSON, else null.
    pub json: Option<serde_json::Value>,
    pub method: String,
    /// The client's IP address as the server saw it.
    pub origin: String,
    /// The full URL the server reconstructed from the Host header.
    pub url: String,
    /// `GET /lab/anything?x=1 HTTP/1.1`
    pub request_line: String,
    /// Path without the query.
    pub path: String,
    /// Every header line as received, in order, duplicates kept. HTTP/1 header
    /// names are case-insensitive and the server reads them lower-cased.
    pub header_list: Vec<(String, String)>,
    /// Cookies from the `Cookie` header.
    pub cookies: Pairs,
    /// The body's real size in bytes, even when `data` was cut.
    pub body_size: u64,
    pub body_truncated: bool,
}

impl Echo {
    /// How much of a body the echo shows as text.
    pub const BODY_TEXT_CAP: usize = 64 * 1024;
}

/// Splits a `Cookie` header into name/value pairs.
pub fn parse_cookie_header(value: &str) -> Vec<(String, String)> {
    value
        .split(';')
        .filter_map(|part| {
            let part = part.trim();
            if part.is_empty() {
                return None;
            }
            let (name, val) = part.split_once('=').unwrap_or(("", part));
            Some((name.trim().to_owned(), val.trim().trim_matches('"').to_owned()))
        })
        .collect()
}

/// Decodes an `application/x-www-form-urlencoded` string (a query or a form
/// body) into pairs, in order, as the URL Standard says (the
/// `form_urlencoded` crate): `+` is a space, an invalid escape is kept as
/// written, invalid UTF-8 becomes U+FFFD.
pub fn parse_urlencoded(input: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(input.as_bytes()).into_owned().collect()
}

/// Percent-decodes a URL path (a `+` stays a `+`); invalid escapes are kept.
pub fn percent_decode_bytes(s: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_two_hex_digits_and_nothing_else() {
        // A hand-written from_str_radix once read "%+4" as byte 0x04.
        assert_eq!(percent_decode_bytes("%+4"), b"%+4");
        assert_eq!(percent_decode_bytes("a%2Fb%zz%4"), b"a/b%zz%4");
        assert_eq!(percent_decode_bytes("%41+"), b"A+");
        assert_eq!(
            parse_urlencoded("a=%41+b&&c&d=%+4"),
            vec![("a".into(), "A b".into()), ("c".into(), "".into()), ("d".into(), "% 4".into())]
        );
        assert_eq!(parse_urlencoded("x=%FF"), vec![("x".into(), "\u{FFFD}".into())]);
    }

    #[test]
    fn pairs_serialize_as_ordered_object_with_arrays_for_repeats() {
        let p = Pairs(vec![("zeta".into(), "1".into()), ("alpha".into(), "2".into()), ("zeta".into(), "3".into())]);
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"zeta":["1","3"],"alpha":"2"}"#);
        let text = serde_json::to_string(&p).unwrap();
        let again: Pairs = serde_json::from_str(&text).unwrap();
        assert_eq!(again.0, vec![("zeta".into(), "1".into()), ("zeta".into(), "3".into()), ("alpha".into(), "2".into())]);
        let back: Pairs = serde_json::from_str(r#"{"b":"x","a":"y"}"#).unwrap();
        assert_eq!(back.0, vec![("b".into(), "x".into()), ("a".into(), "y".into())]);
        assert_eq!(back.get("B"), Some("x"));
    }

    #[test]
    fn echo_round_trips_and_reads_httpbin_fields() {
        let echo = Echo {
            method: "POST".into(),
            request_line: "POST /lab/anything?q=1 HTTP/1.1".into(),
            args: Pairs(vec![("q".into(), "1".into())]),
            header_list: vec![("host".into(), "127.0.0.1".into())],
            json: Some(serde_json::json!({"a": 1})),
            ..Default::default()
        };
        let text = serde_json::to_string(&echo).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for key in ["args", "data", "form", "headers", "json", "method", "origin", "url"] {
            assert!(value.get(key).is_some(), "httpbin field {key} missing");
        }
        assert_eq!(serde_json::from_str::<Echo>(&text).unwrap(), echo);
    }

    #[test]
    fn cookies_and_urlencoded() {
        assert_eq!(
            parse_cookie_header("a=1; b=\"two\";c=; =lonely"),
            vec![("a".into(), "1".into()), ("b".into(), "two".into()), ("c".into(), "".into()), ("".into(), "lonely".into())]
        );
        assert_eq!(
            parse_urlencoded("q=caf%C3%A9+au+lait&empty=&flag&x=%zz&x=2"),
            vec![
                ("q".into(), "café au lait".into()),
                ("empty".into(), "".into()),
                ("flag".into(), "".into()),
                ("x".into(), "%zz".into()),
                ("x".into(), "2".into()),
            ]
        );
        assert_eq!(parse_urlencoded("a=%4"), vec![("a".into(), "%4".into())]);
        assert_eq!(percent_decode_bytes("/a+b%00%2F%zz"), b"/a+b\0/%zz");
    }
}
