//! The lab's JSON replies, as types both sides share: the lab serializes
//! them, the app deserializes them. (An untyped `Value` read once turned a
//! repeated cookie name into "" on screen.)

use crate::echo::Pairs;
use serde::{Deserialize, Serialize};

/// `/lab/cookies` (and where `/lab/cookies/set` and `/delete` redirect to):
/// the cookies the browser sent. A repeated name keeps every value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CookieJar {
    pub cookies: Pairs,
}

/// `/lab/counter`: how many times this browser has been counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub visits: u64,
    pub first_visit: bool,
    pub message: String,
}

/// Any refusal: what was wrong, and the status it came with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
    pub error: String,
    pub status: u16,
    /// The header `response-headers` refused, when that is the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

/// One note of `/lab/notes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: u32,
    pub text: String,
    pub done: bool,
}

/// `GET /lab/notes`: this visitor's list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteList {
    pub notes: Vec<Note>,
    pub count: usize,
    pub limit: usize,
}

/// One endpoint in the lab's index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEndpoint {
    pub route: String,
    pub example: String,
    pub meaning: String,
}

/// A group of the lab's index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexGroup {
    pub group: String,
    pub endpoints: Vec<IndexEndpoint>,
}

/// `GET /lab/`: the lab's name and its endpoints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabIndex {
    pub lab: String,
    pub groups: Vec<IndexGroup>,
}

impl LabIndex {
    /// The index as the lab serves it, from the shared endpoint table.
    pub fn of_the_lab() -> LabIndex {
        LabIndex {
            lab: crate::lab::LAB_NAME.to_owned(),
            groups: crate::lab::ENDPOINTS
                .iter()
                .map(|(group, list)| IndexGroup {
                    group: (*group).to_owned(),
                    endpoints: list
                        .iter()
                        .map(|e| IndexEndpoint { route: e.route.to_owned(), example: e.example.to_owned(), meaning: e.meaning.to_owned() })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_cookie_name_keeps_both_values() {
        let jar: CookieJar = serde_json::from_str(r#"{"cookies": {"a": ["1", "2"], "b": "x"}}"#).unwrap();
        assert_eq!(jar.cookies.0, vec![("a".into(), "1".into()), ("a".into(), "2".into()), ("b".into(), "x".into())]);
        let again: CookieJar = serde_json::from_str(&serde_json::to_string(&jar).unwrap()).unwrap();
        assert_eq!(again, jar);
    }

    #[test]
    fn replies_round_trip() {
        let c = Counter { visits: 3, first_visit: false, message: "again".into() };
        assert_eq!(serde_json::from_str::<Counter>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
        let e: ErrorReply = serde_json::from_str(r#"{"error": "no", "status": 400}"#).unwrap();
        assert_eq!(e.status, 400);
        let index = LabIndex::of_the_lab();
        assert!(crate::lab::is_lab_index(&serde_json::to_string(&index).unwrap()));
        assert!(index.groups.iter().any(|g| g.endpoints.iter().any(|e| e.route == "/lab/get")));
    }
}
