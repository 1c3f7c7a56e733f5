//! HAR as the tools write it, not as the spec says: `null`, `-1`, numbers as
//! strings ("33163"), `"NaN"`, objects where a string belongs. Every field
//! here reads any JSON value and keeps what it can use, so one odd field
//! never costs a whole entry; the importer decides what the gaps mean. A
//! value that was there but is not of the field's kind is kept as `odd`, in
//! the words the import's notes show it with.

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A number: JSON numbers, and strings that hold one. `value` is `None` for
/// `null`, an empty string, and anything that is no finite number, which
/// is then kept in `odd` (`"NaN"`, `true`, `an array`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Num {
    pub value: Option<f64>,
    pub odd: Option<String>,
}

/// A string (numbers and booleans are written out as text). `None` for
/// `null`; arrays and objects are `odd`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Text {
    pub value: Option<String>,
    pub odd: Option<String>,
}

/// An object read as `T`; `None` when the value is `null` or absent, or not
/// an object (then `odd` says what it was).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Obj<T> {
    pub value: Option<T>,
    pub odd: Option<String>,
}

/// An array's elements; empty when the value is not an array (then `odd`
/// says what it was, unless it was `null`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct List<T> {
    pub items: Vec<T>,
    pub odd: Option<String>,
}

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj { value: None, odd: None }
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { items: Vec::new(), odd: None }
    }
}

/// How the notes quote a string from the file: at most 40 characters, in
/// quotes, any control character escaped (`"\u{1b}[31m"`).
pub(crate) fn shown_text(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}…", &s[..cut]),
        None => format!("{s:?}"),
    }
}

/// How the notes write a number from the file: `12.5`, `-3`, `1e300`.
pub(crate) fn shown_number(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

const AN_ARRAY: &str = "an array";
const AN_OBJECT: &str = "an object";

fn odd(s: &str) -> Option<String> {
    Some(s.to_owned())
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
                Ok(Num { value: Some(v as f64), odd: None })
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num { value: Some(v as f64), odd: None })
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(if v.is_finite() { Num { value: Some(v), odd: None } } else { Num { value: None, odd: Some(shown_number(v)) } })
            }
            fn visit_str<E>(self, v: &str) -> Result<Num, E> {
                if v.trim().is_empty() {
                    return Ok(Num::default());
                }
                Ok(match v.trim().parse::<f64>().ok().filter(|v| v.is_finite()) {
                    Some(n) => Num { value: Some(n), odd: None },
                    None => Num { value: None, odd: Some(shown_text(v)) },
                })
            }
            fn visit_bool<E>(self, v: bool) -> Result<Num, E> {
                Ok(Num { value: None, odd: Some(v.to_string()) })
            }
            fn visit_unit<E>(self) -> Result<Num, E> {
                Ok(Num::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Num, A::Error> {
                skip_seq(seq).map(|_| Num { value: None, odd: odd(AN_ARRAY) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Num, A::Error> {
                skip_map(map).map(|_| Num { value: None, odd: odd(AN_OBJECT) })
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        fn text(s: String) -> Text {
            Text { value: Some(s), odd: None }
        }
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Text, E> {
                Ok(text(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Text, E> {
                Ok(text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
                skip_seq(seq).map(|_| Text { value: None, odd: odd(AN_ARRAY) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
                skip_map(map).map(|_| Text { value: None, odd: odd(AN_OBJECT) })
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        fn not<T>(what: String) -> Obj<T> {
            Obj { value: None, odd: Some(what) }
        }
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj { value: Some(t), odd: None })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Obj<T>, A::Error> {
                skip_seq(seq).map(|_| not(AN_ARRAY.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Obj<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Obj<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Obj<T>, E> {
                Ok(not(shown_number(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Obj<T>, E> {
                Ok(not(shown_text(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Obj<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Obj<T>, E> {
                Ok(Obj::default())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        fn not<T>(what: String) -> List<T> {
            List { items: Vec::new(), odd: Some(what) }
        }
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    items.push(t);
                }
                Ok(List { items, odd: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
                skip_map(map).map(|_| not(AN_OBJECT.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<List<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<List<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<List<T>, E> {
                Ok(not(shown_number(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<List<T>, E> {
                Ok(not(shown_text(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<List<T>, E> {
                Ok(not(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<List<T>, E> {
                Ok(List::default())
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
    /// Neither an object nor a URL: what it was.
    pub odd: Option<String>,
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
        fn not(what: String) -> Initiator {
            Initiator { odd: Some(what), ..Initiator::default() }
        }
        impl<'de> Visitor<'de> for V {
            type Value = Initiator;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Initiator, E> {
                Ok(Initiator { url: Some(v.to_owned()).filter(|u| !u.is_empty()), ..Initiator::default() })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Initiator, A::Error> {
                let f = Fields::deserialize(MapAccessDeserializer::new(map))?;
                let odd =
                    f.kind.odd.map(|k| format!("an object whose type is {k}")).or(f.url.odd.map(|u| format!("an object whose url is {u}")));
                Ok(Initiator { kind: f.kind.value.filter(|k| !k.is_empty()), url: f.url.value.filter(|u| !u.is_empty()), odd })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Initiator, A::Error> {
                skip_seq(seq).map(|_| not(AN_ARRAY.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Initiator, E> {
                Ok(not(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Initiator, E> {
                Ok(not(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Initiator, E> {
                Ok(not(shown_number(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Initiator, E> {
                Ok(not(v.to_string()))
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
    fn scalars_read_anything_and_keep_what_was_odd() {
        let n = |s: &str| serde_json::from_str::<Num>(s).unwrap();
        assert_eq!(n("12.5").value, Some(12.5));
        assert_eq!(n("\"33163\"").value, Some(33163.0));
        for (none, odd) in [
            ("null", None),
            ("\"\"", None),
            ("\"NaN\"", Some("\"NaN\"")),
            ("\"inf\"", Some("\"inf\"")),
            ("\"-Infinity\"", Some("\"-Infinity\"")),
            ("true", Some("true")),
            ("[1]", Some("an array")),
            ("{\"a\": 1}", Some("an object")),
        ] {
            assert_eq!(n(none), Num { value: None, odd: odd.map(str::to_owned) }, "{none}");
        }
        // serde_json refuses an out-of-range literal; the importer names that entry.
        assert!(serde_json::from_str::<Num>("1e999").map_or(true, |n| n.value.is_none()));
        let t = |s: &str| serde_json::from_str::<Text>(s).unwrap();
        assert_eq!(t("\"GET\"").value, Some("GET".into()));
        assert_eq!(t("200").value, Some("200".into()));
        assert_eq!(t("null"), Text::default());
        assert_eq!(t("[\"x\"]"), Text { value: None, odd: Some("an array".into()) });
        assert_eq!(shown_text(&"\u{1b}".repeat(50)), format!("{:?}…", "\u{1b}".repeat(40)));
        assert_eq!((shown_number(1e300), shown_number(-2.0), shown_number(0.5)), ("1e300".into(), "-2".into(), "0.5".into()));
    }

    #[test]
    fn a_wrong_shape_leaves_the_field_empty_instead_of_failing_the_entry() {
        let e: RawEntry = serde_json::from_str(
            r#"{"request": "GET /", "response": {"headers": {"a": 1}, "content": null}, "timings": [1, 2], "_initiator": {"type": "parser", "url": "https://a/"}}"#,
        )
        .unwrap();
        assert!(e.request.value.is_none() && e.timings.value.is_none());
        assert_eq!((e.request.odd.as_deref(), e.timings.odd.as_deref()), (Some("\"GET /\""), Some("an array")));
        let r = e.response.value.unwrap();
        assert!(r.headers.items.is_empty() && r.content.value.is_none());
        assert_eq!((r.headers.odd.as_deref(), r.content.odd.as_deref()), (Some("an object"), None), "null is absent, not odd");
        assert_eq!(e.initiator, Initiator { kind: Some("parser".into()), url: Some("https://a/".into()), odd: None });
        let wpt: RawEntry = serde_json::from_str(r#"{"_initiator": "https://www.nytimes.com/"}"#).unwrap();
        assert_eq!(wpt.initiator.url.as_deref(), Some("https://www.nytimes.com/"));
    }
}
