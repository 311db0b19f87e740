//! The one place the page's state lives: the engine, how to redraw the view, and who
//! listens to its events. The Yew view and the JavaScript API both hold it.

use crate::engine::{Engine, Msg, PageEvent};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// Where events go besides the listeners (the parent window of an iframe, the custom
/// element's DOM events).
pub type Sink = Box<dyn Fn(&PageEvent, &JsValue)>;

/// The page's state and its listeners.
pub struct Store {
    /// The page's state.
    pub engine: Rc<RefCell<Engine>>,
    redraw: RefCell<Option<Rc<dyn Fn()>>>,
    listeners: RefCell<Vec<(u32, String, js_sys::Function)>>,
    next_listener: Cell<u32>,
    sinks: RefCell<Vec<Sink>>,
    /// Where keyboard shortcuts are heard: the mount element, or the whole document.
    pub key_scope: Option<web_sys::Element>,
    destroyed: Cell<bool>,
    /// Itself, for the work it leaves for later (fetching a language's texts).
    me: Weak<Store>,
}

impl Store {
    /// Wraps an engine.
    pub fn new(engine: Engine, key_scope: Option<web_sys::Element>) -> Rc<Store> {
        let store = Rc::new_cyclic(|me| Store {
            engine: Rc::new(RefCell::new(engine)),
            redraw: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(1),
            sinks: RefCell::new(Vec::new()),
            key_scope,
            destroyed: Cell::new(false),
            me: me.clone(),
        });
        store.fetch_texts();
        store
    }

    /// Fetches the language the engine asks for, then hands it the texts (English if
    /// that language's file cannot be had; if neither can, the page says why).
    fn fetch_texts(&self) {
        let Some(code) = self.engine.borrow_mut().wanted_lang.take() else {
            return;
        };
        #[cfg(target_arch = "wasm32")]
        {
            let me = self.me.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let texts = match crate::i18n::load(&code).await {
                    Ok(t) => Ok(t),
                    Err(first) => crate::i18n::load(crate::i18n::DEFAULT)
                        .await
                        .map_err(|_| first),
                };
                if let Some(store) = me.upgrade() {
                    let msg = match texts {
                        Ok(t) => Msg::Texts(t),
                        Err(why) => Msg::TextsFailed(why),
                    };
                    let _ = store.dispatch(msg);
                }
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (code, &self.me);
    }

    /// The view tells how to redraw it.
    pub fn set_redraw(&self, redraw: Rc<dyn Fn()>) {
        *self.redraw.borrow_mut() = Some(redraw);
    }

    /// Sends events to `sink` too.
    pub fn add_sink(&self, sink: Sink) {
        self.sinks.borrow_mut().push(sink);
    }

    /// Handles a message: updates the engine, redraws, hands out events. Returns the
    /// message's error, if it failed.
    pub fn dispatch(&self, msg: Msg) -> Result<(), String> {
        if self.destroyed.get() {
            return Err("raft-playground: this playground was destroyed".into());
        }
        let (changed, error, events) = {
            let mut e = self.engine.borrow_mut();
            let changed = e.update(msg);
            (
                changed,
                e.last_error.clone(),
                std::mem::take(&mut e.narrator.events),
            )
        };
        self.fetch_texts();
        if changed {
            let redraw = self.redraw.borrow().clone();
            if let Some(r) = redraw {
                r();
            }
        }
        for ev in events {
            self.emit(&ev);
        }
        error.map_or(Ok(()), Err)
    }

    fn emit(&self, ev: &PageEvent) {
        let Ok(value) = crate::json::to_js(ev) else {
            return;
        };
        let kind = ev.name();
        let targets: Vec<js_sys::Function> = self
            .listeners
            .borrow()
            .iter()
            .filter(|(_, t, _)| t == kind || t == "*")
            .map(|(_, _, f)| f.clone())
            .collect();
        for f in targets {
            let _ = f.call1(&JsValue::NULL, &value);
        }
        for sink in self.sinks.borrow().iter() {
            sink(ev, &value);
        }
    }

    /// Calls `callback` for events of `kind` (or every event for `"*"`); returns an
    /// id for [`Store::unlisten`].
    pub fn listen(&self, kind: String, callback: js_sys::Function) -> u32 {
        let id = self.next_listener.get();
        self.next_listener.set(id + 1);
        self.listeners.borrow_mut().push((id, kind, callback));
        id
    }

    /// Stops calling listener `id`.
    pub fn unlisten(&self, id: u32) {
        self.listeners.borrow_mut().retain(|(i, _, _)| *i != id);
    }

    /// The playground is gone: every later call is refused.
    pub fn destroy(&self) {
        self.destroyed.set(true);
        self.listeners.borrow_mut().clear();
        self.sinks.borrow_mut().clear();
        self.redraw.borrow_mut().take();
    }

    /// True once destroyed.
    pub fn is_destroyed(&self) -> bool {
        self.destroyed.get()
    }
}
