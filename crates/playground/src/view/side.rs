//! The panels beside the ring that change only with the run's options: what each
//! shape means, Raft's options, and "Break Raft". One component for the three (its
//! props compare equal until the options or a counterexample change), as each
//! component of its own weighs about half a kilobyte of wasm.

use crate::engine::{Breaking, Msg};
use crate::i18n::Texts;
use raft_sim::raft_core::Config;
use yew::prelude::*;

/// Props of [`Side`].
#[derive(Properties, PartialEq)]
pub struct SideProps {
    /// The interface's texts.
    pub texts: Texts,
    /// The options of the run on screen.
    pub raft: Config,
    /// The counterexample on screen ("Break Raft"), if one is.
    pub breaking: Option<Breaking>,
    /// Where changes go.
    pub send: Callback<Msg>,
}

/// The legend, the options and "Break Raft".
#[component]
pub fn Side(props: &SideProps) -> Html {
    let (t, raft, send) = (&props.texts, &props.raft, &props.send);
    html! {
        <>
            { super::panels::legend(t, raft) }
            { super::options::panel(t, raft, send) }
            { super::bugs::panel(t, raft, props.breaking.as_ref(), send) }
        </>
    }
}
