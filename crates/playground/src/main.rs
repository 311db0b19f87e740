//! The Raft playground: raft-sim's cluster drawn with Yew.

mod api;
mod bridge;
mod browser;
mod engine;
mod geometry;
mod guide;
mod i18n;
mod json;
mod page;
mod params;
mod shortcuts;
mod store;
mod view;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

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
    let (engine, params) = page::engine_from_url();
    let store = store::Store::new(engine, None);
    if let Some(listener) = bridge::listen_to_parent(store.clone(), params.origins, params.frame) {
        // It lives as long as the page.
        listener.forget();
    }
    // The stand-alone page lives as long as the page too.
    std::mem::forget(view::mount(root, store.clone()));
    // `raftPlayground.stop(2)` from the console, or a test that steps the run.
    if let Some(w) = web_sys::window() {
        let handle = wasm_bindgen::JsValue::from(api::handle(store));
        let _ = js_sys::Reflect::set(&w, &"raftPlayground".into(), &handle);
    }
}

// Talc instead of Rust's default dlmalloc in the page: about 3 KB gzipped less wasm
// (measured), and faster allocation.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
