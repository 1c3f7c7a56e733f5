use crate::components::cookie_stepper::{lab_json, CookieStepper};
use leptos::prelude::*;
use roundtrip_model::cookies::{parse_document_cookie, SetCookie};
use roundtrip_model::replies::CookieJar;
use roundtrip_model::url::encode;

/// The cookie jar of the lab's origin, cookies set and deleted through the
/// lab, and the stepper that shows memory made from stateless HTTP.
#[component]
pub fn Cookies() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let recorder = expect_context::<crate::recorder::Recorder>();
    let js_jar = RwSignal::new(Vec::<(String, String)>::new());
    let server_jar = RwSignal::new(Vec::<(String, String)>::new());
    let message = RwSignal::new(None::<String>);
    let refresh = move || {
        js_jar.set(parse_document_cookie(&crate::web::document_cookie()));
        tasks.spawn(async move {
            match lab_json::<CookieJar>(recorder, "/lab/cookies").await {
                Ok(jar) => server_jar.set(jar.cookies.0),
                Err(e) => message.set(Some(e)),
            }
        });
    };
    refresh();

    let (name, value, max_age, same_site) = (
        RwSignal::new("flavour".to_string()),
        RwSignal::new("oat".to_string()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (http_only, secure) = (RwSignal::new(false), RwSignal::new(false));
    let path = RwSignal::new("/".to_string());
    let planned = Memo::new(move |_| SetCookie {
        name: name.get(),
        value: value.get(),
        path: Some(path.get()),
        max_age: max_age.get().trim().parse().ok(),
        same_site: Some(same_site.get()).filter(|s| !s.is_empty()),
        http_only: http_only.get(),
        secure: secure.get(),
        ..Default::default()
    });
    let set_cookie = move |_| {
        let q = planned.get_untracked().lab_query();
        message.set(None);
        tasks.spawn(async move {
            match lab_json::<CookieJar>(recorder, &format!("/lab/cookies/set?{q}")).await {
                // The redirect's target is /lab/cookies: what the browser sent back.
                Ok(jar) => server_jar.set(jar.cookies.0),
                Err(e) => message.set(Some(format!("The lab refused: {e}"))),
            }
            js_jar.set(parse_document_cookie(&crate::web::document_cookie()));
        });
    };
    let delete = move |name: String| {
        tasks.spawn(async move {
            match lab_json::<CookieJar>(recorder, &format!("/lab/cookies/delete?{}", encode(&name))).await {
                Ok(jar) => server_jar.set(jar.cookies.0),
                Err(e) => message.set(Some(e)),
            }
            js_jar.set(parse_document_cookie(&crate::web::document_cookie()));
        });
    };
    let jar_rows = move || {
        let js = js_jar.get();
        server_jar
            .get()
            .into_iter()
            .map(|(n, v)| {
                let visible = js.iter().any(|(jn, _)| *jn == n);
                let n2 = n.clone();
                view! {
                    <tr data-testid=format!("jar-{n}")>
                        <th scope="row">{n.clone()}</th>
                        <td>{v}</td>
                        <td>{if visible { "yes" } else { "no: it is HttpOnly (only the server sees it), or its Path does not cover this page (/cookies)" }}</td>
                        <td><button type="button" class="plain" on:click=move |_| delete(n2.clone())>"Delete"</button></td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <h1 class="page-title">{crate::routes::heading("/cookies").title}</h1>
        <crate::lab_status::NoLabNotice needs="Setting and reading cookies"/>
        {crate::routes::lead("/cookies")}
        <CookieStepper on_done=Callback::new(move |()| refresh())/>
        <section class="card">
            <h2>"The jar for this site"</h2>
            <p class="note">"What the server received on the last request to /lab/cookies, and whether this page's JavaScript can see each cookie."</p>
            <table class="headers jar" data-testid="jar">
                <thead><tr><th scope="col">"Cookie"</th><th scope="col">"Value"</th><th scope="col">"Visible to JavaScript"</th><th scope="col"></th></tr></thead>
                <tbody>{jar_rows}</tbody>
            </table>
            <button type="button" class="plain" on:click=move |_| refresh()>"Look again"</button>
        </section>
        <section class="card">
            <h2>"Set a cookie through the lab"</h2>
            <div class="cookie-form">
                <label>"Name " <input type="text" data-testid="cookie-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"Value " <input type="text" data-testid="cookie-value" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/></label>
                <label>"Path " <input type="text" data-testid="cookie-path" prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev))/></label>
                <label>"Max-Age (s) " <input type="number" placeholder="session" prop:value=move || max_age.get() on:input=move |ev| max_age.set(event_target_value(&ev))/></label>
                <label>"SameSite "
                    <select on:change=move |ev| same_site.set(event_target_value(&ev))>
                        <option value="">"(not set)"</option><option value="Lax">"Lax"</option><option value="Strict">"Strict"</option><option value="None">"None"</option>
                    </select>
                </label>
                <label class="chip"><input type="checkbox" data-testid="cookie-httponly" prop:checked=move || http_only.get() on:change=move |_| http_only.update(|v| *v = !*v)/>"HttpOnly"</label>
                <label class="chip"><input type="checkbox" prop:checked=move || secure.get() on:change=move |_| secure.update(|v| *v = !*v)/>"Secure"</label>
            </div>
            <p>"The lab will answer with " <code data-testid="planned">{move || format!("Set-Cookie: {}", planned.get().to_header())}</code></p>
            <ul class="problems">{move || planned.get().problems(crate::web::page_origin().starts_with("https:")).into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <button type="button" class="send" data-testid="set-cookie" on:click=set_cookie>"Set it"</button>
            {move || message.get().map(|m| view! { <p class="card failure" role="alert" data-testid="cookie-message">{m}</p> })}
        </section>
    }
}
