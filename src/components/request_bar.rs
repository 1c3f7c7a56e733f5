use leptos::prelude::*;
use roundtrip_model::exchange::{RequestSpec, DEFAULT_TIMEOUT_MS, METHODS};
use roundtrip_model::failure::Failure;
use roundtrip_model::link::Experiment;

/// The workbench's request, one for the tab's life (`App` provides it):
/// leaving the workbench through the nav and coming back finds it as it was.
#[derive(Clone, Copy)]
pub struct WorkbenchDraft(pub Draft);

/// The request bar's fields, as the learner typed them.
#[derive(Clone, Copy)]
pub struct Draft {
    pub method: RwSignal<String>,
    pub url: RwSignal<String>,
    pub headers: RwSignal<String>,
    pub body: RwSignal<String>,
    pub timeout_ms: RwSignal<String>,
}

impl Draft {
    pub const DEFAULT_URL: &'static str = "/lab/anything";

    /// The workbench's request: `GET /lab/anything`, no headers, no body.
    pub fn workbench() -> Draft {
        let draft = Draft {
            method: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            headers: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            timeout_ms: RwSignal::new(String::new()),
        };
        draft.load_link(|_| None);
        draft
    }

    /// Sets every field from a link's query (`?method=POST&url=…&headers=…&body=…&timeout=…`),
    /// read through `get`, with the defaults for whatever the link leaves out.
    pub fn load_link(&self, get: impl Fn(&str) -> Option<String>) {
        let field = |signal: RwSignal<String>, key: &str, default: &str| signal.set(get(key).unwrap_or_else(|| default.to_owned()));
        field(self.method, "method", "GET");
        field(self.url, "url", Self::DEFAULT_URL);
        field(self.headers, "headers", "");
        field(self.body, "body", "");
        field(self.timeout_ms, "timeout", &DEFAULT_TIMEOUT_MS.to_string());
    }

    /// Starts from a lesson's experiment (its default, or a share link's).
    pub fn from_experiment(e: &Experiment) -> Draft {
        Draft {
            method: RwSignal::new(e.method.clone()),
            url: RwSignal::new(e.url.clone()),
            headers: RwSignal::new(e.headers.clone()),
            body: RwSignal::new(e.body.clone()),
            timeout_ms: RwSignal::new(e.timeout_ms.to_string()),
        }
    }

    /// Sets every field from `e`.
    pub fn load(&self, e: &Experiment) {
        self.method.set(e.method.clone());
        self.url.set(e.url.clone());
        self.headers.set(e.headers.clone());
        self.body.set(e.body.clone());
        self.timeout_ms.set(e.timeout_ms.to_string());
    }

    /// What a link to these fields leaves out, and why (tracked: for a note
    /// beside the request).
    pub fn left_out(&self) -> Vec<String> {
        self.url
            .with(|u| self.headers.with(|h| self.body.with(|b| roundtrip_model::link::left_out(u, h, b))))
            .into_iter()
            .map(|(_, why)| why)
            .collect()
    }

    /// The request these fields describe, resolved against this page's
    /// address; or what is wrong with them.
    pub fn to_spec(&self) -> Result<RequestSpec, Failure> {
        crate::web::resolve_url(&self.url.get_untracked()).and_then(|url| {
            RequestSpec::from_draft(
                &self.method.get_untracked(),
                url,
                &self.headers.get_untracked(),
                &self.body.get_untracked(),
                &self.timeout_ms.get_untracked(),
            )
        })
    }

    /// The fields as query pairs, for a link that reopens this request.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("method", self.method.get_untracked())];
        // A field too long for a link is left out, and named for whoever
        // opens it.
        pairs.extend(self.url.with_untracked(|u| {
            self.headers.with_untracked(|h| self.body.with_untracked(|b| roundtrip_model::link::request_fields(u, h, b)))
        }));
        let timeout = self.timeout_ms.get_untracked();
        if timeout != DEFAULT_TIMEOUT_MS.to_string() {
            pairs.push(("timeout", timeout));
        }
        pairs
    }
}

/// Method, URL and Send, with headers, body and timeout one click away.
#[component]
pub fn RequestBar(
    /// The fields, shared with the page that sends the request.
    draft: Draft,
    /// True while a request is on its way.
    #[prop(into)]
    pending: Signal<bool>,
    /// Called when the learner presses Send (or Enter in the URL).
    on_send: Callback<()>,
    /// Called when the learner presses Send twice (no such button without it).
    #[prop(optional)]
    on_send_twice: Option<Callback<()>>,
) -> impl IntoView {
    let method_options = METHODS
        .iter()
        .map(|m| {
            let m = *m;
            view! { <option value=m selected=move || draft.method.get() == m>{m}</option> }
        })
        .collect_view();
    view! {
        <form
            class="request-bar card"
            aria-label="Compose a request"
            on:submit=move |ev| {
                ev.prevent_default();
                on_send.run(());
            }
        >
            <div class="line">
                <label class="visually-hidden" for="method">"Method"</label>
                // The options' `selected` attributes choose the first render's
                // method; after that the value property follows the draft:
                // once a select has been changed, Firefox ignores a
                // `selected` attribute set again (a lesson's tries showed GET
                // for a DELETE they had loaded).
                <select
                    id="method"
                    data-testid="method"
                    prop:value=move || draft.method.get()
                    on:change=move |ev| draft.method.set(event_target_value(&ev))
                >
                    {method_options}
                </select>
                <label class="visually-hidden" for="url">"URL"</label>
                <input
                    id="url"
                    data-testid="url"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="/lab/anything or https://…"
                    prop:value=move || draft.url.get()
                    on:input=move |ev| draft.url.set(event_target_value(&ev))
                />
                <button type="submit" class="send" data-testid="send" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send" }}
                </button>
                {on_send_twice.map(|twice| view! {
                    <button
                        type="button"
                        class="send secondary"
                        data-testid="send-twice"
                        disabled=move || pending.get()
                        on:click=move |_| twice.run(())
                    >
                        "Send twice"
                    </button>
                })}
            </div>
            <details class="options">
                <summary>"Headers, body and timeout"</summary>
                <div class="option-grid">
                    <label>
                        "Request headers, one " <code>"Name: value"</code> " per line"
                        <textarea
                            data-testid="headers"
                            rows="3"
                            spellcheck="false"
                            placeholder="X-Demo: hello"
                            prop:value=move || draft.headers.get()
                            on:input=move |ev| draft.headers.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <label>
                        "Body (POST, PUT, PATCH, DELETE)"
                        <textarea
                            data-testid="body-input"
                            rows="3"
                            spellcheck="false"
                            placeholder="{\"hello\": \"server\"}"
                            prop:value=move || draft.body.get()
                            on:input=move |ev| draft.body.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <label class="timeout">
                        "Give up after (ms)"
                        <input
                            data-testid="timeout"
                            type="number"
                            min="1"
                            inputmode="numeric"
                            prop:value=move || draft.timeout_ms.get()
                            on:input=move |ev| draft.timeout_ms.set(event_target_value(&ev))
                        />
                    </label>
                </div>
            </details>
            {move || {
                let owned = draft.headers.with(|h| roundtrip_model::headers::browser_owned(h));
                (!owned.is_empty()).then(|| view! {
                    // Not a live region: it changes as the learner types.
                    <p class="note" data-testid="owned-headers-note">
                        "The browser owns " {owned.join(", ")}
                        ": fetch drops a page's value for them without a word, so yours will not be sent. The result shows what was."
                    </p>
                })
            }}
        </form>
    }
}

/// Says what this page's address leaves out of the request (a field too
/// long for a link), so that a learner who shares it knows.
#[component]
pub fn LinkNote(
    /// The request being composed.
    draft: Draft,
) -> impl IntoView {
    move || {
        let left_out = draft.left_out();
        (!left_out.is_empty()).then(|| {
            view! {
                // Not a live region: its byte count changes at every key.
                <p class="note" data-testid="link-note">
                    "A link to this request leaves something out: " {left_out.join("; ")}
                    ". It is sent in full from this page; whoever opens the link is told what is missing."
                </p>
            }
        })
    }
}
