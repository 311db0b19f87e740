//! Everything the user (or a course page) can ask of the playground.

use crate::shortcuts::Command;
use raft_sim::timeline::Mark;
use raft_sim::{MsgId, NodeId, Property, Time};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame at this time (ms, from `performance.now()`).
    Frame(f64),
    /// A keyboard shortcut.
    Key(Command, Option<NodeId>),
    /// Play or pause.
    TogglePlay,
    /// Process exactly one event.
    Step,
    /// Let this much simulated time pass now, paused or not (the API's `advance`).
    Advance(Time),
    /// Next speed up.
    Faster,
    /// Next speed down.
    Slower,
    /// A speed from [`super::SPEEDS`].
    SetSpeed(usize),
    /// Start again, with this seed or a fresh one.
    Reset(Option<u64>),
    /// The seed box holds something that is not a seed.
    BadSeed,
    /// Start again with this many servers.
    SetNodes(usize),
    /// Largest latency, ms.
    SetLatency(u64),
    /// Loss, percent.
    SetLoss(u32),
    /// Open (or close) a server's menu.
    Select(Option<NodeId>),
    /// Stop a server.
    Crash(NodeId),
    /// Restart a server.
    Restart(NodeId),
    /// Make a server time out now.
    Timeout(NodeId),
    /// A client command typed for a server.
    Submit(NodeId, String),
    /// A client reads the register at a server.
    Read(NodeId),
    /// The leader hands leadership over to a server.
    Transfer(NodeId, NodeId),
    /// Start again, same seed, with these Raft options.
    SetRaft(raft_sim::raft_core::Config),
    /// Start drawing a split of the network, or give it up.
    SplitMode,
    /// Cut the network as drawn.
    ApplySplit,
    /// Split the network into these islands (from the API).
    Partition(Vec<Vec<NodeId>>),
    /// Restore every link.
    Heal,
    /// Cut or restore the link between two servers.
    ToggleLink(NodeId, NodeId),
    /// Lose a message in flight.
    DropMessage(MsgId),
    /// Make the followers time out together.
    Align,
    /// Make the followers time out one by one.
    Spread,
    /// Scroll the log table: older (positive) or newer (negative) by that many steps,
    /// `i64::MIN` for back to the newest entries.
    ScrollLogs(i64),
    /// Show or hide the keyboard help.
    ToggleHelp,
    /// Speech bubbles on or off.
    ToggleBubbles,
    /// Change the interface language.
    SetLang(String),
    /// A language's texts, loaded (by the store, in the page only).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    Texts(crate::i18n::Texts),
    /// No language's texts could be loaded: why.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    TextsFailed(String),
    /// Hide the URL notices.
    DismissNotices,
    /// Close whatever is open (menu, split drawing, help).
    Escape,
    /// Open the guided tour at scene k.
    TourGo(usize),
    /// Next scene.
    TourNext,
    /// Previous scene.
    TourBack,
    /// Play the current scene again from its start.
    TourReplay,
    /// Leave the tour and keep the cluster to play with.
    TourLeave,
    /// Come back to the tour, at the scene that was left.
    TourReturn,
    /// Move to a simulated time (the timeline slider).
    Seek(Time),
    /// Go back to just after the previous event.
    StepBack,
    /// Jump to a notable moment, forward or back.
    Jump(Mark, bool),
    /// Undo the last fork of the past.
    UndoFork,
    /// Highlight a message in both views (or none).
    Hover(Option<MsgId>),
    /// Open a saved run: the text of a trace file, or why it could not be read.
    ImportRun(Result<String, String>),
    /// Show the evidence of a safety property (or close it).
    ShowProperty(Option<Property>),
    /// Play a bug's counterexample from its start ("Break Raft").
    Break(raft_sim::bugs::Bug),
    /// Play the counterexample on screen again, with its rule restored (true) or not.
    BreakRestored(bool),
    /// A click on the Figure 16 panel.
    Figure16(super::figure16::F16),
    /// An answer to the tour's question, or going on after it.
    #[cfg(feature = "exercises")]
    Quiz(super::quiz::QuizMsg),
    /// Opening, restarting or leaving a puzzle.
    #[cfg(feature = "exercises")]
    Puzzle(super::puzzle::PuzzleMsg),
    /// The leader adds a server or takes one out (§6).
    #[cfg(feature = "membership")]
    Membership(super::membership::MembershipMsg),
    /// The threshold past which servers snapshot their state (§7), or none.
    #[cfg(feature = "compaction")]
    Compaction(Option<usize>),
}

impl Msg {
    /// True for the clicks that change the cluster or move through time: during the
    /// tour they mean "let me play" first.
    pub fn changes_cluster(&self) -> bool {
        matches!(
            self,
            Msg::Seek(_)
                | Msg::StepBack
                | Msg::Jump(..)
                | Msg::UndoFork
                | Msg::ImportRun(_)
                | Msg::Break(_)
                | Msg::BreakRestored(_)
                | Msg::Crash(_)
                | Msg::Restart(_)
                | Msg::Timeout(_)
                | Msg::Submit(..)
                | Msg::Read(_)
                | Msg::Transfer(..)
                | Msg::SetRaft(_)
                | Msg::ApplySplit
                | Msg::Partition(_)
                | Msg::Heal
                | Msg::ToggleLink(..)
                | Msg::DropMessage(_)
                | Msg::Align
                | Msg::Spread
                | Msg::SetLatency(_)
                | Msg::SetLoss(_)
                | Msg::Reset(_)
                | Msg::SetNodes(_)
        ) || self.changes_membership()
    }

    /// Membership changes and log compaction, where the page has them.
    #[cfg(any(feature = "membership", feature = "compaction"))]
    fn changes_membership(&self) -> bool {
        match self {
            #[cfg(feature = "membership")]
            Msg::Membership(_) => true,
            #[cfg(feature = "compaction")]
            Msg::Compaction(_) => true,
            _ => false,
        }
    }

    #[cfg(not(any(feature = "membership", feature = "compaction")))]
    fn changes_membership(&self) -> bool {
        false
    }
}
