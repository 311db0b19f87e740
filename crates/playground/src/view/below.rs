//! The panels under the run that change only with what they show: the safety panel
//! and Figure 16. One component for both (its props compare equal until the checker's
//! verdicts, the evidence shown or the experiment change), as each component of its
//! own weighs about half a kilobyte of wasm.

use super::figure16::{self, Figure16View};
use super::safety::{self, SafetyView};
use crate::engine::Msg;
use yew::prelude::*;

/// Props of [`Below`].
#[derive(Properties, PartialEq)]
pub struct BelowProps {
    /// What the safety panel shows.
    pub safety: SafetyView,
    /// What the Figure 16 panel shows.
    pub figure16: Figure16View,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

/// The safety panel, then Figure 16.
#[component]
pub fn Below(props: &BelowProps) -> Html {
    html! {
        <>
            { safety::panel(&props.safety, &props.send) }
            { figure16::panel(&props.figure16, &props.send) }
        </>
    }
}
