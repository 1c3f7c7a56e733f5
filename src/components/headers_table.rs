use leptos::prelude::*;
use roundtrip_model::headers::explain;

/// Headers as a table, each with what it means and a link to its MDN page.
#[component]
pub fn HeadersTable(
    /// Name/value pairs, in order.
    headers: Vec<(String, String)>,
    /// For tests.
    testid: &'static str,
) -> impl IntoView {
    let rows = headers
        .into_iter()
        .map(|(name, value)| {
            let info = explain(&name);
            let meaning = match info {
                Some(info) => view! {
                    {info.meaning}
                    {info.mdn().map(|href| view! { " " <a href=href target="_blank" rel="noopener noreferrer">"MDN"</a> })}
                }
                .into_any(),
                None => view! { <span class="unknown">"no explanation yet"</span> }.into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td class="value">{value}</td>
                    <td class="meaning">{meaning}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="headers explained" data-testid=testid>
            <thead><tr><th scope="col">"Header"</th><th scope="col">"Value"</th><th scope="col">"What it means"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
