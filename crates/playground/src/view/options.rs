//! The Raft options beyond Figure 2: a switch for each, with one sentence on what it
//! does and the section it comes from. Changing one starts the run again with the
//! same seed. Drawn by [`super::side::Side`].

use crate::engine::Msg;
use crate::i18n::Texts;
use raft_sim::raft_core::{Config, ReadMode};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Which switch.
#[derive(Clone, Copy)]
enum Switch {
    Flow,
    NoOp,
    PreVote,
    CheckQuorum,
}

impl Switch {
    fn get(self, c: &Config) -> bool {
        match self {
            Switch::Flow => c.flow_control,
            Switch::NoOp => c.no_op,
            Switch::PreVote => c.pre_vote,
            Switch::CheckQuorum => c.check_quorum,
        }
    }

    fn set(self, c: &mut Config, on: bool) {
        match self {
            Switch::Flow => c.flow_control = on,
            Switch::NoOp => c.no_op = on,
            Switch::PreVote => c.pre_vote = on,
            Switch::CheckQuorum => c.check_quorum = on,
        }
    }

    /// Its `data-option` and the stem of its text keys.
    fn key(self) -> &'static str {
        match self {
            Switch::Flow => "flow",
            Switch::NoOp => "noop",
            Switch::PreVote => "prevote",
            Switch::CheckQuorum => "checkquorum",
        }
    }
}

static MODES: [(ReadMode, &str); 3] = [
    (ReadMode::ReadIndex, "read-index"),
    (ReadMode::Lease, "lease"),
    (ReadMode::Naive, "naive"),
];

/// What picking one of `choices` in a menu does: the run starts again with the Raft
/// configuration changed by `set`.
fn on_choice<T: Copy + 'static>(
    choices: &'static [(T, &'static str)],
    raft: &Config,
    send: &Callback<Msg>,
    set: impl Fn(&mut Config, T) + 'static,
) -> Callback<Event> {
    let (send, raft) = (send.clone(), raft.clone());
    Callback::from(move |ev: Event| {
        let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
        if let Some(&(choice, _)) = choices.iter().find(|(_, k)| *k == v) {
            let mut c = raft.clone();
            set(&mut c, choice);
            send.emit(Msg::SetRaft(c));
        }
    })
}

/// The options panel.
pub fn panel(t: &Texts, raft: &Config, send: &Callback<Msg>) -> Html {
    let switch = |s: Switch| {
        let onchange = {
            let (send, raft) = (send.clone(), raft.clone());
            Callback::from(move |ev: Event| {
                let mut c = raft.clone();
                s.set(
                    &mut c,
                    ev.target_unchecked_into::<HtmlInputElement>().checked(),
                );
                send.emit(Msg::SetRaft(c));
            })
        };
        let key = s.key();
        html! {
            <li>
                <label>
                    <input type="checkbox" checked={s.get(raft)} {onchange} data-option={key} />
                    <span class="name">{ t.get(&format!("opt_{key}")) }</span>
                </label>
                <span class="why">{ t.get(&format!("opt_{key}_why")) }</span>
            </li>
        }
    };
    let on_mode = on_choice(&MODES, raft, send, |c, mode| c.read_mode = mode);
    let mode = MODES
        .iter()
        .find(|(m, _)| *m == raft.read_mode)
        .map_or("read-index", |(_, k)| k);
    html! {
        <details class="options" data-panel="options">
            <summary>{ t.get("options") }</summary>
            <ul>
                { switch(Switch::NoOp) }
                { switch(Switch::PreVote) }
                { switch(Switch::CheckQuorum) }
                <li>
                    <label>
                        <span class="name">{ t.get("opt_read") }</span>
                        <select onchange={on_mode} data-option="read">
                            { for MODES.iter().map(|(_, k)| html! {
                                <option value={*k} selected={*k == mode}>{ t.get(&format!("opt_read_{k}")) }</option>
                            }) }
                        </select>
                    </label>
                    <span class="why">{ t.get(&format!("opt_read_{mode}_why")) }</span>
                </li>
                { switch(Switch::Flow) }
                { membership(t, raft, send) }
            </ul>
            <p class="hint">{ t.get("options_restart") }</p>
        </details>
    }
}

/// How the leader changes the configuration (§6: joint consensus, or one server at a
/// time), in the page with everything.
#[cfg(feature = "membership")]
fn membership(t: &Texts, raft: &Config, send: &Callback<Msg>) -> Html {
    use crate::engine::words::word;
    use raft_sim::raft_core::MembershipMode;
    static MODES: [(MembershipMode, &str); 2] = [
        (MembershipMode::Joint, "joint"),
        (MembershipMode::SingleServer, "single"),
    ];
    let onchange = on_choice(&MODES, raft, send, |c, mode| c.membership = mode);
    let mode = if raft.membership.is_joint() {
        "joint"
    } else {
        "single"
    };
    html! {
        <li>
            <label>
                <span class="name">{ word(t, "opt_membership") }</span>
                <select {onchange} data-option="membership">
                    { for MODES.iter().map(|(_, k)| html! {
                        <option value={*k} selected={*k == mode}>{ word(t, &format!("opt_membership_{k}")) }</option>
                    }) }
                </select>
            </label>
            <span class="why">{ word(t, &format!("opt_membership_{mode}_why")) }</span>
        </li>
    }
}

#[cfg(not(feature = "membership"))]
fn membership(_: &Texts, _: &Config, _: &Callback<Msg>) -> Html {
    html! {}
}
