//! HAR as the tools write it, not as the spec says: `null`, `-1`, numbers as
//! strings ("33163"), `"NaN"`, objects where a string belongs. Every field
//! here reads any JSON value and keeps what it can use, so one odd field
//! never costs a whole entry; the importer decides what the gaps mean.

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A finite number: JSON numbers, and strings that hold one. `None` for
/// `null`, `"NaN"`, `"inf"`, and anything else.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Num(pub Option<f64>);

/// A string (numbers and booleans are written out as text). `None` for
/// `null`, arrays and objects.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Text(pub Option<String>);

/// An object read as `T`; `None` when the value is not an object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Obj<T>(pub Option<T>);

/// An array's elements; empty when the value is not an array.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct List<T>(pub Vec<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

/// Reads and drops whatever container the visitor was given.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num(Some(v).filter(|v| v.is_finite())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Num, E> {
                Ok(Num(v.trim().parse::<f64>().ok().filter(|v| v.is_finite())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_unit<E>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Num, A::Error> {
                skip_seq(seq).map(|_| Num(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Num, A::Error> {
                skip_map(map).map(|_| Num(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
                skip_seq(seq).map(|_| Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
                skip_map(map).map(|_| Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Obj<T>, A::Error> {
                skip_seq(seq).map(|_| Obj(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_unit<E>(self) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    out.push(t);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
                skip_map(map).map(|_| List(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_unit<E>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Chrome writes `_initiator` as an object (`{"type": "parser", "url": …}`),
/// WebPageTest and chrome-har as the initiating URL.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Initiator {
    pub kind: Option<String>,
    pub url: Option<String>,
}

impl<'de> Deserialize<'de> for Initiator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Initiator, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Fields {
            #[serde(rename = "type")]
            kind: Text,
            url: Text,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Initiator;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Initiator, E> {
                Ok(Initiator { kind: None, url: Some(v.to_owned()).filter(|u| !u.is_empty()) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Initiator, A::Error> {
                let f = Fields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Initiator { kind: f.kind.0.filter(|k| !k.is_empty()), url: f.url.0.filter(|u| !u.is_empty()) })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Initiator, A::Error> {
                skip_seq(seq).map(|_| Initiator::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Initiator, E> {
                Ok(Initiator::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Initiator, E> {
                Ok(Initiator::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Initiator, E> {
                Ok(Initiator::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Initiator, E> {
                Ok(Initiator::default())
            }
            fn visit_unit<E>(self) -> Result<Initiator, E> {
                Ok(Initiator::default())
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawNameValue {
    pub name: Text,
    pub value: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawEntry {
    pub pageref: Text,
    pub started_date_time: Text,
    pub time: Num,
    pub request: Obj<RawRequest>,
    pub response: Obj<RawResponse>,
    pub timings: Obj<RawTimings>,
    /// Chrome: `document`, `stylesheet`, `script`, `image`, `xhr`…
    #[serde(rename = "_resourceType")]
    pub resource_type: Text,
    #[serde(rename = "_initiator")]
    pub initiator: Initiator,
    /// Roundtrip's own exports: Resource Timing's `initiatorType`.
    #[serde(rename = "_initiatorType")]
    pub initiator_type: Text,
    /// Chrome: `memory` or `disk` for a response from the HTTP cache.
    #[serde(rename = "_fromCache")]
    pub from_cache: Text,
    /// Safari: `Network Load`, `Memory Cache`, `Disk Cache`.
    #[serde(rename = "_fetchType")]
    pub fetch_type: Text,
    /// WebPageTest: bytes received, often as a string.
    #[serde(rename = "_bytesIn")]
    pub bytes_in: Num,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawRequest {
    pub method: Text,
    pub url: Text,
    pub http_version: Text,
    pub headers: List<Obj<RawNameValue>>,
    pub headers_size: Num,
    pub body_size: Num,
    pub post_data: Obj<RawPostData>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawPostData {
    pub mime_type: Text,
    pub text: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawResponse {
    pub status: Num,
    pub status_text: Text,
    pub http_version: Text,
    pub headers: List<Obj<RawNameValue>>,
    pub content: Obj<RawContent>,
    pub headers_size: Num,
    pub body_size: Num,
    /// Chrome and Safari: bytes over the network, headers included.
    #[serde(rename = "_transferSize")]
    pub transfer_size: Num,
    /// Chrome: `net::ERR_…` for a request that failed.
    #[serde(rename = "_error")]
    pub error: Text,
    /// Roundtrip's exports: status 0 because the browser did not tell.
    #[serde(rename = "_statusNotExposed")]
    pub status_not_exposed: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawContent {
    pub size: Num,
    pub mime_type: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawTimings {
    pub blocked: Num,
    pub dns: Num,
    pub connect: Num,
    pub ssl: Num,
    pub send: Num,
    pub wait: Num,
    pub receive: Num,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawPage {
    pub id: Text,
    pub title: Text,
    pub started_date_time: Text,
    pub page_timings: Obj<RawPageTimings>,
    /// WebPageTest: the URL tested.
    #[serde(rename = "_URL")]
    pub url: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawPageTimings {
    pub on_content_load: Num,
    pub on_load: Num,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_anything() {
        let n = |s: &str| serde_json::from_str::<Num>(s).unwrap().0;
        assert_eq!(n("12.5"), Some(12.5));
        assert_eq!(n("\"33163\""), Some(33163.0));
        for none in ["null", "\"NaN\"", "\"inf\"", "\"-Infinity\"", "true", "[1]", "{\"a\": 1}", "\"\""] {
            assert_eq!(n(none), None, "{none}");
        }
        // serde_json refuses an out-of-range literal; the importer names that entry.
        assert!(serde_json::from_str::<Num>("1e999").map_or(true, |n| n.0.is_none()));
        let t = |s: &str| serde_json::from_str::<Text>(s).unwrap().0;
        assert_eq!(t("\"GET\""), Some("GET".into()));
        assert_eq!(t("200"), Some("200".into()));
        assert_eq!(t("null"), None);
        assert_eq!(t("[\"x\"]"), None);
    }

    #[test]
    fn a_wrong_shape_leaves_the_field_empty_instead_of_failing_the_entry() {
        let e: RawEntry = serde_json::from_str(
            r#"{"request": "GET /", "response": {"headers": {"a": 1}, "content": null}, "timings": [1, 2], "_initiator": {"type": "parser", "url": "https://a/"}}"#,
        )
        .unwrap();
        assert!(e.request.0.is_none() && e.timings.0.is_none());
        let r = e.response.0.unwrap();
        assert!(r.headers.0.is_empty() && r.content.0.is_none());
        assert_eq!(e.initiator, Initiator { kind: Some("parser".into()), url: Some("https://a/".into()) });
        let wpt: RawEntry = serde_json::from_str(r#"{"_initiator": "https://www.nytimes.com/"}"#).unwrap();
        assert_eq!(wpt.initiator.url.as_deref(), Some("https://www.nytimes.com/"));
    }
}
