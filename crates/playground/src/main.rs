//! The Raft playground: raft-sim's cluster drawn with Yew.

mod browser;
mod engine;
mod geometry;
mod guide;
mod i18n;
mod params;
mod view;

fn main() {
    browser::install_panic_hook();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<view::App>::with_root(root).render(),
        None => yew::Renderer::<view::App>::new().render(),
    };
}
