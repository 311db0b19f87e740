//! The little the page needs from the browser: the URL, the preferred languages,
//! reduced motion, randomness, the animation clock, and a visible panic message.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen::JsCast;

static SEED: AtomicU64 = AtomicU64::new(0);
static PANIC_TEXT: Mutex<String> = Mutex::new(String::new());

/// Remembers what a panic message must say (the seed to reproduce, in the user's
/// language).
pub fn remember(seed: u64, panic_text: &str) {
    SEED.store(seed, Ordering::Relaxed);
    if let Ok(mut t) = PANIC_TEXT.lock()
        && *t != panic_text
    {
        *t = panic_text.to_string();
    }
}

/// On a panic, shows a visible message with the seed instead of a frozen page. Set
/// through Yew: a hook set with `std::panic::set_hook` alone would be replaced by
/// Yew's own (console only) when the app is rendered.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let seed = SEED.load(Ordering::Relaxed).to_string();
        let template = PANIC_TEXT.lock().map(|t| t.clone()).unwrap_or_default();
        let text = if template.is_empty() {
            format!(
                "Something went wrong and the simulation stopped. Reload the page; to reproduce, use seed {seed}."
            )
        } else {
            crate::i18n::fill_in(&template, &[("seed", &seed)])
        };
        web_sys::console::error_1(&format!("raft playground: {info}").into());
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(div) = doc.create_element("div") {
            div.set_id("panic");
            let _ = div.set_attribute("role", "alert");
            div.set_text_content(Some(&text));
            if let Some(body) = doc.body() {
                let _ = body.append_child(&div);
            }
        }
    }));
}

/// The query string's (name, value) pairs.
pub fn query_pairs() -> Vec<(String, String)> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&params) {
        for pair in iter.flatten() {
            let pair: js_sys::Array = pair.unchecked_into();
            let name = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1).as_string().unwrap_or_default();
            out.push((name, value));
        }
    }
    out
}

/// Puts `scene=<id>` in the address (or removes it), keeping every other parameter,
/// without reloading or adding to the history.
pub fn set_scene_in_url(scene: Option<&str>) {
    set_url_param("scene", scene);
}

/// Puts `name=<value>` in the address (or removes it), keeping every other
/// parameter, without reloading or adding to the history.
pub fn set_url_param(name: &str, value: Option<&str>) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let loc = w.location();
    let (Ok(path), Ok(search), Ok(hash)) = (loc.pathname(), loc.search(), loc.hash()) else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    match value {
        Some(v) => params.set(name, v),
        None => params.delete(name),
    }
    let query: String = params.to_string().into();
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if url != format!("{path}{search}{hash}")
        && let Ok(history) = w.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// True if the user asked for less motion.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// A fresh seed, short enough to type: six digits from the browser's `Math.random`
/// (a seed names a run to replay; it guards no secret, so the cryptographic source
/// and the getrandom crate's glue for it are not needed).
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 1_000_000.0) as u64 % 1_000_000
}

thread_local! {
    /// Start time and callback duration of the last animation frame not yet rendered.
    static PENDING_FRAME: Cell<Option<(f64, f64)>> = const { Cell::new(None) };
    /// Work per animation frame (ms): the frame callback plus the render it caused.
    static FRAME_TIMES: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    /// The window and its clock, looked up once: every frame uses them.
    static WINDOW: Option<web_sys::Window> = web_sys::window();
    static PERFORMANCE: Option<web_sys::Performance> =
        WINDOW.with(|w| w.as_ref().and_then(|w| w.performance()));
}

fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

fn record(ms: f64) {
    FRAME_TIMES.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() < 100_000 {
            t.push(ms);
        }
    });
}

/// Called after every render: closes the measurement of the frame that caused it.
pub fn frame_rendered() {
    if let Some((start, _)) = PENDING_FRAME.take() {
        record(now_ms() - start);
    }
}

/// The work of each animation frame so far, in ms (simulation plus render), for the
/// browser benchmark (`web/bench/frame-bench.mjs`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn frame_times() -> Vec<f64> {
    FRAME_TIMES.with(|t| t.borrow().clone())
}

/// Forgets the frame times measured so far.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn reset_frame_times() {
    FRAME_TIMES.with(|t| t.borrow_mut().clear());
}

/// Calls `tick` at every animation frame until dropped.
pub struct Animation {
    frame: Rc<RefCell<Option<gloo_render::AnimationFrame>>>,
}

/// Asks for the next frame; the frame's callback asks for the one after.
fn next_frame(
    slot: &Rc<RefCell<Option<gloo_render::AnimationFrame>>>,
    tick: Rc<RefCell<dyn FnMut(f64)>>,
) {
    let again = slot.clone();
    let frame = gloo_render::request_animation_frame(move |t| {
        // A frame that caused no render costs just its callback.
        if let Some((_, callback)) = PENDING_FRAME.take() {
            record(callback);
        }
        let start = now_ms();
        (tick.borrow_mut())(t);
        PENDING_FRAME.set(Some((start, now_ms() - start)));
        // Stopped meanwhile: the slot was emptied, and stays so.
        if again.borrow().is_some() {
            next_frame(&again, tick);
        }
    });
    *slot.borrow_mut() = Some(frame);
}

impl Animation {
    /// Starts the loop.
    pub fn start(tick: impl FnMut(f64) + 'static) -> Animation {
        let frame = Rc::new(RefCell::new(None));
        next_frame(&frame, Rc::new(RefCell::new(tick)));
        Animation { frame }
    }
}

impl Drop for Animation {
    fn drop(&mut self) {
        // Dropping the pending frame cancels it, and with it the loop.
        self.frame.borrow_mut().take();
    }
}

/// Listens to key presses on `scope`, or on the whole document, until dropped.
pub fn on_keys(
    scope: Option<web_sys::Element>,
    mut handler: impl FnMut(&web_sys::KeyboardEvent) + 'static,
) -> Option<gloo_events::EventListener> {
    let target: web_sys::EventTarget = match scope {
        Some(el) => el.into(),
        None => web_sys::window()?.document()?.into(),
    };
    // Not passive: a shortcut's key must not also scroll the page.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    Some(gloo_events::EventListener::new_with_options(
        &target,
        "keydown",
        options,
        move |ev| {
            if let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() {
                handler(k);
            }
        },
    ))
}

/// The document speaks `lang` and its title is `title`.
pub fn set_document_language(lang: &str, title: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", lang);
    }
    doc.set_title(title);
}

/// This page's address with the language and `query` (`run=…` to share a run,
/// `puzzle=…`).
pub fn page_url(query: &str, lang: &str) -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}?lang={lang}&{query}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Puts text on the clipboard, if the browser allows it (the link is shown anyway).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let blob = gloo_file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo_file::ObjectUrl::from(blob);
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
}

/// Reads the first file chosen in `input` as text, then calls `done` with it, or with
/// why it was not read (too large to be a trace, or unreadable).
pub fn read_file(
    input: &web_sys::HtmlInputElement,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    // Too big a file is refused before reading (raft-sim would refuse it anyway).
    let size = file.size();
    if size > raft_sim::MAX_BYTES as f64 {
        done(Err(
            raft_sim::TraceError::TooLarge(size as usize).to_string()
        ));
        return;
    }
    // The browser's own `Blob.text()`: gloo-file's reader (a FileReader, a channel and
    // their futures) weighed 1.9 KB gzipped more in the page for the same result.
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        done(match text.map(|t| t.as_string()) {
            Ok(Some(t)) => Ok(t),
            _ => Err("the file could not be read as text".to_string()),
        });
    });
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function asset_url(p) { return new URL('../../' + p, import.meta.url).href; }"
)]
extern "C" {
    /// `p` next to the page's script (this snippet sits two folders below it, in
    /// `snippets/<crate>/`), wherever the page that loads the script is.
    fn asset_url(p: &str) -> String;
}

/// The address of `path` (such as `i18n/fr.json`) beside the playground's script, so
/// that a course page elsewhere that loads the script finds it too.
#[cfg(target_arch = "wasm32")]
pub fn asset(path: &str) -> String {
    asset_url(path)
}
