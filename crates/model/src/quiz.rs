//! Predict, then fire: a scenario, a guess, then the real request.

/// One scenario: what happens, the request that makes it happen at the lab,
/// and the code it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub prompt: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    /// A body of this many bytes, if any.
    pub body_bytes: usize,
    pub answer: u16,
    pub choices: [u16; 4],
    pub why: &'static str,
}

// One argument per column of the scenario table below: a struct literal per row would be longer.
#[allow(clippy::too_many_arguments)]
const fn s(
    prompt: &'static str,
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body_bytes: usize,
    answer: u16,
    choices: [u16; 4],
    why: &'static str,
) -> Scenario {
    Scenario { prompt, method, path, headers, body_bytes, answer, choices, why }
}

pub const SCENARIOS: &[Scenario] = &[
    s(
        "You ask for a page, and everything goes right.",
        "GET",
        "/lab/get",
        &[],
        0,
        200,
        [200, 201, 301, 404],
        "Success: the server did what was asked.",
    ),
    s(
        "You ask for an address that has nothing behind it.",
        "GET",
        "/lab/no-such-page",
        &[],
        0,
        404,
        [400, 403, 404, 500],
        "The server works; that URL simply does not exist.",
    ),
    s(
        "You open your account page without logging in.",
        "GET",
        "/lab/bearer",
        &[],
        0,
        401,
        [400, 401, 403, 404],
        "Who are you? Nothing in the request says, so the server asks you to authenticate.",
    ),
    s(
        "You are logged in as a guest and open the admin page.",
        "GET",
        "/lab/bearer?require=admin",
        &[("Authorization", "Bearer guest")],
        0,
        403,
        [401, 403, 404, 500],
        "The server knows who you are, and the answer is no.",
    ),
    s(
        "You ask the lab to wait 99 seconds, far beyond what it allows.",
        "GET",
        "/lab/delay/99",
        &[],
        0,
        400,
        [200, 400, 408, 504],
        "The request itself is wrong: a parameter out of range.",
    ),
    s(
        "You send a POST to an address that only accepts GET.",
        "POST",
        "/lab/get",
        &[],
        0,
        405,
        [400, 403, 404, 405],
        "The URL exists, but not for this method.",
    ),
    s(
        "You upload more than the server accepts in one request.",
        "POST",
        "/lab/anything",
        &[],
        1_100_000,
        413,
        [400, 413, 500, 507],
        "The body is larger than the server reads.",
    ),
    s(
        "The server crashes while handling your request.",
        "GET",
        "/lab/unstable?failure_rate=1",
        &[],
        0,
        500,
        [400, 404, 500, 503],
        "The request was fine; the server failed.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_is_answerable_and_registered() {
        for sc in SCENARIOS {
            assert!(sc.choices.contains(&sc.answer), "{}", sc.prompt);
            for c in sc.choices {
                assert!(crate::status::reason_phrase(c).is_some(), "{c} is not registered");
            }
            let mut unique = sc.choices.to_vec();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 4, "{}", sc.prompt);
            assert!(sc.path.starts_with("/lab/"));
        }
    }
}
