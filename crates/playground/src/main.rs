//! The Raft playground: raft-sim's cluster drawn with Yew.

mod api;
mod browser;
mod engine;
mod geometry;
mod guide;
mod i18n;
mod json;
mod params;
mod view;

fn main() {
    browser::install_panic_hook();
    // The stand-alone page mounts itself into #raft-playground; a course page that
    // loads the module without that element mounts it with the API (`mount`).
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("raft-playground"))
    else {
        return;
    };
    let shared = api::Shared::new(view::engine_from_url(), None);
    if let Some(listener) = api::listen_to_parent(shared.clone()) {
        shared.post_to_parent.set(true);
        // It lives as long as the page.
        listener.forget();
    }
    yew::Renderer::<view::App>::with_root_and_props(root, view::AppProps { shared }).render();
}
