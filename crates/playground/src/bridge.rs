//! The playground in an iframe: a course page drives it with `postMessage`
//! (`{type: "raft-playground", command: "stop", args: [3], id: 1}`) and hears back
//! `{type: "raft-playground", reply: 1, ok: true, result}`; events are announced as
//! `{type: "raft-playground", event: {...}, frame: "left"}`.
//!
//! Only the embedding page is listened to: a message from any other window (a
//! sibling frame, a popup) is ignored, and with `?origin=https://cours.example.edu`
//! only that origin is. Replies go to the sender's origin; events go to the allowed
//! origin, else to the origin of the page that loaded the frame.

use crate::store::Store;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &key.into(), value);
}

fn envelope() -> js_sys::Object {
    let obj = js_sys::Object::new();
    set(&obj, "type", &"raft-playground".into());
    obj
}

/// The origin to post events to: the one allowed, else the embedding page's.
fn event_origin(allowed: &[String]) -> String {
    if let Some(o) = allowed.first() {
        return o.clone();
    }
    let referrer = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.referrer())
        .unwrap_or_default();
    web_sys::Url::new(&referrer)
        .ok()
        .map(|u| u.origin())
        .filter(|o| o != "null" && !o.is_empty())
        .unwrap_or_else(|| "*".into())
}

/// Starts answering the parent window, if the page is in a frame. `allowed` are the
/// origins allowed to drive it (any, if empty); `frame` names this frame in events.
pub fn listen_to_parent(
    store: Rc<Store>,
    allowed: Vec<String>,
    frame: Option<String>,
) -> Option<Closure<dyn FnMut(web_sys::MessageEvent)>> {
    let w = web_sys::window()?;
    let parent = w.parent().ok().flatten()?;
    if js_sys::Object::is(&parent, &w) {
        return None;
    }
    let frame = frame.or_else(|| w.name().ok().filter(|n| !n.is_empty()));
    {
        let (parent, origin, frame) = (parent.clone(), event_origin(&allowed), frame.clone());
        store.add_sink(Box::new(move |_, value| {
            let msg = envelope();
            set(&msg, "event", value);
            if let Some(f) = &frame {
                set(&msg, "frame", &f.into());
            }
            let _ = parent.post_message(&msg, &origin);
        }));
    }
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let from_parent = ev.source().is_some_and(|s| js_sys::Object::is(&s, &parent));
            let origin = ev.origin();
            if !from_parent || (!allowed.is_empty() && !allowed.contains(&origin)) {
                return;
            }
            let data = ev.data();
            let get =
                |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            if !data.is_object() || get("type").as_string().as_deref() != Some("raft-playground") {
                return;
            }
            let Some(name) = get("command").as_string() else {
                return;
            };
            let raw_args = get("args");
            let args: Vec<JsValue> = if js_sys::Array::is_array(&raw_args) {
                js_sys::Array::from(&raw_args).iter().collect()
            } else {
                Vec::new()
            };
            let reply = envelope();
            set(&reply, "reply", &get("id"));
            if let Some(f) = &frame {
                set(&reply, "frame", &f.into());
            }
            match crate::api::command(&store, &name, &args) {
                Ok(result) => {
                    set(&reply, "ok", &true.into());
                    set(&reply, "result", &result);
                }
                Err(e) => {
                    set(&reply, "ok", &false.into());
                    set(&reply, "error", &e.into());
                }
            }
            // A page opened from a file has the origin "null", which postMessage cannot
            // target: it gets "*".
            let target = if origin == "null" {
                "*".to_string()
            } else {
                origin
            };
            let _ = parent.post_message(&reply, &target);
        });
    w.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref())
        .ok()?;
    Some(handler)
}
