//! Starting a playground: from the address (the stand-alone page, an iframe) or from
//! `mount`'s options (the JavaScript API, the custom element).

use crate::engine::Engine;
use crate::params::{self, Params};
use crate::{browser, i18n};

/// The engine for a page's parameters, in the browser's language unless one is given.
pub fn engine_for(params: &Params, notices: Vec<params::Notice>, bubbles: Option<bool>) -> Engine {
    let lang = params
        .lang
        .clone()
        .unwrap_or_else(|| i18n::pick(&browser::preferred_languages()).to_string());
    let mut engine = Engine::new(
        params,
        notices,
        i18n::Texts::pending(&lang),
        browser::reduced_motion(),
        browser::random_seed,
    );
    if let Some(b) = bubbles {
        engine.bubbles_on = b && !engine.reduced_motion;
    }
    engine
}

/// The engine of a page opened at an address, and the parameters it was given.
pub fn engine_from_url() -> (Engine, Params) {
    let scenes = crate::json::scene_ids();
    let scene_refs: Vec<&str> = scenes.iter().map(String::as_str).collect();
    let (params, notices) = params::parse(&browser::query_pairs(), &i18n::codes(), &scene_refs);
    (engine_for(&params, notices, None), params)
}
