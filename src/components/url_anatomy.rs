use leptos::prelude::*;
use roundtrip_model::url::anatomy;

/// The URL in the request bar, split live into its parts; the query is a
/// table that rewrites the URL as it is edited.
#[component]
pub fn UrlAnatomy(
    /// The request bar's URL field.
    url: RwSignal<String>,
) -> impl IntoView {
    let origin = crate::web::page_origin();
    let parsed = Memo::new(move |_| anatomy(&url.get(), &origin));
    let params = Memo::new(move |_| parsed.with(|p| p.as_ref().map(|a| a.params.clone()).unwrap_or_default()));
    let set_params = move |new: Vec<(String, String)>| {
        if let Ok(a) = parsed.get_untracked() {
            url.set(a.with_params(&new));
        }
    };
    let edit = move |i: usize, key: bool, text: String| {
        let mut p = params.get_untracked();
        if let Some(pair) = p.get_mut(i) {
            if key {
                pair.0 = text
            } else {
                pair.1 = text
            }
        }
        set_params(p);
    };
    let parts = move || match parsed.get() {
        Err(problem) => {
            let input = url.get();
            let chars: Vec<char> = input.chars().collect();
            let at = problem.at.min(chars.len());
            let before: String = chars[..at].iter().collect();
            let here: String = chars.get(at).map_or(" ".into(), |c| c.to_string());
            let after: String = chars.get(at + 1..).map_or(String::new(), |r| r.iter().collect());
            view! {
                <p class="url-problem" role="alert" data-testid="url-problem">
                    "This URL cannot be sent: " {problem.message} ", here:"
                    <code class="url-marked">{before}<mark>{here}</mark>{after}</code>
                </p>
            }
            .into_any()
        }
        Ok(a) => {
            let part = |class: &'static str, label: &'static str, text: String| {
                view! {
                    <span class=format!("part part-{class}") data-testid=format!("part-{class}")>
                        <span class="part-text">{text}</span>
                        <span class="part-label">{label}</span>
                    </span>
                }
            };
            let host = if a.ipv6 { format!("[{}]", a.host) } else { a.host.clone() };
            let port_note = match (a.port, a.default_port()) {
                (Some(p), _) => format!("port {p}"),
                (None, Some(d)) => format!("no port written: {} means {d}", a.scheme),
                (None, None) => String::new(),
            };
            view! {
                <p class="url-parts">
                    {part("scheme", "scheme", format!("{}://", a.scheme))}
                    {a.userinfo.clone().map(|u| part("userinfo", "user info", format!("{u}@")))}
                    {part("host", "host", host)}
                    {a.port.map(|p| part("port", "port", format!(":{p}")))}
                    {part("path", "path", a.path.clone())}
                    {a.query.clone().map(|q| part("query", "query", format!("?{q}")))}
                    {a.fragment.clone().map(|f| part("fragment", "fragment", format!("#{f}")))}
                </p>
                <ul class="url-notes">
                    {a.relative.then(|| view! { <li>"You typed a path: the browser completes it with this page's scheme, host and port."</li> })}
                    <li>"The scheme says how to talk: " {a.scheme.clone()} {if a.scheme == "https" { " (HTTP inside TLS: encrypted)" } else { " (plain text: anyone on the way can read it)" }} "."</li>
                    <li>"The host says which server (DNS turns it into an IP address); " {port_note} "."</li>
                    {a.non_ascii_host.then(|| view! { <li>"The host has non-ASCII letters: the browser sends it in punycode (xn--…)."</li> })}
                    <li>"The path says which resource on that server; the query filters or tunes it; the fragment never leaves the browser."</li>
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card url-anatomy" data-testid="url-anatomy" aria-label="The URL, part by part">
            <h2>"URL anatomy"</h2>
            <p class="note">"URL = where · query parameters = filters · headers = metadata · cookies = memory"</p>
            {parts}
            <table class="headers params" data-testid="query-params">
                <thead><tr><th scope="col">"Query parameter"</th><th scope="col">"Value (decoded)"</th><th scope="col"></th></tr></thead>
                <tbody>
                    <For each=move || 0..params.with(|p| p.len()) key=|i| *i let:i>
                        <tr>
                            <td><input type="text" aria-label=format!("Name of parameter {}", i + 1) data-testid=format!("param-key-{i}")
                                prop:value=move || params.with(|p| p.get(i).map(|x| x.0.clone()).unwrap_or_default())
                                on:input=move |ev| edit(i, true, event_target_value(&ev))/></td>
                            <td><input type="text" aria-label=format!("Value of parameter {}", i + 1) data-testid=format!("param-value-{i}")
                                prop:value=move || params.with(|p| p.get(i).map(|x| x.1.clone()).unwrap_or_default())
                                on:input=move |ev| edit(i, false, event_target_value(&ev))/></td>
                            <td><button type="button" aria-label=format!("Remove parameter {}", i + 1) on:click=move |_| {
                                let mut p = params.get_untracked();
                                if i < p.len() { p.remove(i); }
                                set_params(p);
                            }>"Remove"</button></td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <button type="button" data-testid="add-param" disabled=move || parsed.with(|p| p.is_err())
                on:click=move |_| { let mut p = params.get_untracked(); p.push((format!("key{}", p.len() + 1), String::new())); set_params(p); }>
                "Add a query parameter"
            </button>
        </section>
    }
}
