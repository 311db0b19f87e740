//! The page's buttons, sliders and lists, each drawn by one function: the same
//! markup and behaviour everywhere, and one copy of it in the wasm rather than one
//! per control.

use crate::engine::Msg;
use crate::i18n::Texts;
use crate::shortcuts::{self, Command};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A button that sends one intent.
#[derive(Clone, PartialEq)]
pub struct Button {
    action: &'static str,
    label: String,
    icon: Option<(&'static str, bool)>,
    msg: Msg,
    kbd: Option<String>,
    shortcut: &'static str,
    title: Option<String>,
    aria_label: Option<String>,
    pressed: Option<bool>,
    primary: bool,
    disabled: bool,
    autofocus: bool,
}

impl Button {
    /// A button named `action` (its `data-action`) showing `label`, sending `msg`.
    pub fn new(action: &'static str, label: String, msg: Msg) -> Self {
        Button {
            action,
            label,
            icon: None,
            msg,
            kbd: None,
            shortcut: "",
            title: None,
            aria_label: None,
            pressed: None,
            primary: false,
            disabled: false,
            autofocus: false,
        }
    }

    /// Its keyboard shortcut, shown on the button (as the help writes it) and
    /// announced to screen readers.
    pub fn shortcut(mut self, command: Command, texts: &Texts) -> Self {
        if let Some(s) = shortcuts::of(command) {
            self.kbd = Some(shortcuts::label(texts, s));
            self.shortcut = shortcuts::aria(s);
        }
        self
    }

    /// Its keyboard shortcut, announced but not shown.
    pub fn quiet_shortcut(mut self, command: Command) -> Self {
        if let Some(s) = shortcuts::of(command) {
            self.shortcut = shortcuts::aria(s);
        }
        self
    }

    /// A symbol before (or, with `after`, after) the label; narrow frames show the
    /// symbol alone, the label staying for screen readers.
    pub fn icon(mut self, icon: &'static str, after: bool) -> Self {
        self.icon = Some((icon, after));
        self
    }

    /// A tooltip.
    pub fn title(mut self, title: String) -> Self {
        self.title = Some(title);
        self
    }

    /// A name for screen readers, when the label is a symbol.
    pub fn aria_label(mut self, label: String) -> Self {
        self.aria_label = Some(label);
        self
    }

    /// A toggle, pressed or not.
    pub fn pressed(mut self, on: bool) -> Self {
        self.pressed = Some(on);
        self
    }

    /// The main action of its group.
    pub fn primary(mut self) -> Self {
        self.primary = true;
        self
    }

    /// Greyed out when `off`.
    pub fn disabled(mut self, off: bool) -> Self {
        self.disabled = off;
        self
    }

    /// Takes the focus when it appears.
    pub fn autofocus(mut self) -> Self {
        self.autofocus = true;
        self
    }

    /// The button, sending its intent to `send`.
    pub fn view(self, send: &Callback<Msg>) -> Html {
        let onclick = {
            let (send, msg) = (send.clone(), self.msg);
            Callback::from(move |_: MouseEvent| send.emit(msg.clone()))
        };
        let some = |s: &'static str| (!s.is_empty()).then_some(s);
        html! {
            <button class={self.primary.then_some("primary")} {onclick} data-action={self.action}
                aria-keyshortcuts={some(self.shortcut)} title={self.title} aria-label={self.aria_label}
                aria-pressed={self.pressed.map(|p| if p { "true" } else { "false" })}
                disabled={self.disabled} autofocus={self.autofocus}>
                if let Some((icon, false)) = self.icon { <span aria-hidden="true">{ icon }{ " " }</span> }
                if self.icon.is_some() { <span class="word">{ self.label }</span> } else { { self.label } }
                if let Some((icon, true)) = self.icon { <span aria-hidden="true">{ " " }{ icon }</span> }
                if let Some(k) = self.kbd { <kbd aria-hidden="true">{ k }</kbd> }
            </button>
        }
    }
}

/// A slider over the positions `0..=max`, labelled, with its value in words.
pub struct Slider {
    /// Its `data-control`.
    pub control: &'static str,
    /// What it sets.
    pub label: String,
    /// Last position.
    pub max: usize,
    /// Current position.
    pub value: usize,
    /// The value in words (shown, and read out).
    pub text: String,
    /// The intent for a position.
    pub msg: fn(usize) -> Msg,
}

impl Slider {
    /// The slider, sending its intent to `send`.
    pub fn view(self, send: &Callback<Msg>) -> Html {
        let oninput = {
            let (send, msg) = (send.clone(), self.msg);
            Callback::from(move |ev: InputEvent| {
                let v = ev.target_unchecked_into::<HtmlInputElement>().value();
                send.emit(msg(v.parse().unwrap_or(0)));
            })
        };
        html! {
            <label class="slider">
                <span>{ self.label }</span>
                <input type="range" min="0" max={self.max.to_string()} value={self.value.to_string()}
                    {oninput} data-control={self.control} aria-valuetext={self.text.clone()} />
                <output>{ self.text }</output>
            </label>
        }
    }
}

/// A labelled list of choices.
pub struct Choice {
    /// Its `data-control`.
    pub control: &'static str,
    /// What it chooses (shown unless `hidden_label`).
    pub label: String,
    /// Give the label to screen readers only.
    pub hidden_label: bool,
    /// (value, text) of each option.
    pub options: Vec<(String, String)>,
    /// The value chosen.
    pub selected: String,
    /// The intent for a value.
    pub msg: fn(String) -> Msg,
}

impl Choice {
    /// The list, sending its intent to `send`.
    pub fn view(self, send: &Callback<Msg>, class: &'static str) -> Html {
        let onchange = {
            let (send, msg) = (send.clone(), self.msg);
            Callback::from(move |ev: Event| {
                send.emit(msg(ev.target_unchecked_into::<HtmlSelectElement>().value()))
            })
        };
        let selected = self.selected;
        html! {
            <label class={(!class.is_empty()).then_some(class)}>
                <span class={self.hidden_label.then_some("sr-only")}>{ self.label }</span>
                <select {onchange} data-control={self.control}>
                    { for self.options.into_iter().map(|(value, text)| {
                        let on = value == selected;
                        html! { <option {value} selected={on}>{ text }</option> }
                    }) }
                </select>
            </label>
        }
    }
}
