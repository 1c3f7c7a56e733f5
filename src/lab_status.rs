//! Is Roundtrip's lab behind this page? The built app also works from any
//! static host, against any server that allows cross-origin requests; what
//! needs the lab then says so instead of failing request by request.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabStatus {
    Unknown,
    Checking,
    Here,
    Absent,
}

/// The shared status, checked once, on the first page that needs to know.
#[derive(Clone, Copy)]
pub struct Lab(RwSignal<LabStatus>, crate::tasks::Tasks);

impl Default for Lab {
    fn default() -> Self {
        Lab::new()
    }
}

impl Lab {
    /// Call in the app's body: the check belongs to the app, not to the page
    /// that first asked.
    pub fn new() -> Lab {
        Lab(RwSignal::new(LabStatus::Unknown), crate::tasks::Tasks::new())
    }

    fn status(self) -> LabStatus {
        if self.0.get_untracked() == LabStatus::Unknown && crate::web::page::served_by_lab() == Some(true) {
            self.0.set(LabStatus::Here);
        }
        if self.0.get_untracked() == LabStatus::Unknown {
            self.0.set(LabStatus::Checking);
            let status = self.0;
            let recorder = expect_context::<crate::recorder::Recorder>();
            self.1.spawn(async move {
                let here = recorder.get("/lab/").await.is_ok_and(|e| e.status == 200 && roundtrip_model::lab::is_lab_index(&e.body));
                status.set(if here { LabStatus::Here } else { LabStatus::Absent });
            });
        }
        self.0.get()
    }
}

/// Says clearly, when the lab is not behind this page, what will not work and
/// how to start it.
#[component]
pub fn NoLabNotice(
    /// What on this page needs the lab.
    needs: &'static str,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    move || {
        (lab.status() == LabStatus::Absent).then(|| {
            view! {
                <section class="card no-lab" role="status" data-testid="no-lab">
                    <h2>"Roundtrip's lab is not running behind this page"</h2>
                    <p>{needs} " needs the lab's endpoints under " <code>"/lab/"</code> ", and this server does not have them."</p>
                    <p>
                        "Start the lab with " <code>"cargo xtask serve"</code> " and open the address it prints. "
                        "Meanwhile you can still send requests to any server that allows cross-origin requests (CORS): "
                        "type its full URL, e.g. " <code>"http://127.0.0.1:8080/lab/anything"</code> " if a lab runs there."
                    </p>
                </section>
            }
        })
    }
}
