//! # raft-sim
//!
//! The world around [`raft_core`]: a deterministic simulation of a whole cluster.
//!
//! * A discrete-event queue in simulated microseconds: message deliveries and timer
//!   wake-ups in time order, ties broken by insertion order. [`Simulation::step`]
//!   processes one event; [`Simulation::advance_to`] runs up to a time.
//! * A network ([`Network`]) with random latency, loss, duplication, reordering,
//!   partitions into islands and single cut links; every message is observable in
//!   flight ([`InFlight`]) and when lost ([`Dropped`], with its [`DropReason`]).
//! * Faults and the user's actions ([`Action`]): crash, restart, time out, align or
//!   spread timers, partition, cut a link, heal, drop a message, submit a command.
//! * The slides' state machine ([`Command`]: `Set n`, `Add n`; [`Register`]).
//! * A safety checker ([`checker`]) run after every event.
//! * Runs as data ([`Trace`]): (config, seed, actions) fully define a run, which
//!   serializes to versioned JSON and replays bit for bit.
//!
//! * With the `explore` feature (the CLI's, never the page's): the exhaustive search
//!   of small clusters ([`explore`]), whose counterexamples become traces.
//!
//! The library has no threads, no clock and no file I/O: it runs in the browser too
//! (the search, which runs on threads, only natively).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "deviations")]
pub mod bugs;
pub mod campaign;
pub mod checker;
mod command;
mod config;
pub mod election;
#[cfg(feature = "explore")]
pub mod explore;
pub mod facts;
pub mod json;
mod network;
#[cfg(feature = "exercises")]
pub mod puzzle;
#[cfg(feature = "exercises")]
pub mod quiz;
pub mod scenario;
mod sim;
pub mod timeline;
pub mod tour;
mod trace;

pub use checker::{Property, Violation};
pub use command::{Command, ParseCommandError, Register, entry_name};
pub use config::{ConfigError, MAX_DRIFT_PPM, MAX_NODES, SimConfig};
pub use facts::{Evidence, Status};
pub use network::Network;
pub use raft_core::{self, Index, MILLIS, MessageKind, NodeId, Role, Term, Time};
#[cfg(feature = "membership")]
pub use sim::MembershipRefusal;
pub use sim::{
    Action, ActionError, ClientOutcome, ClientRequest, DropReason, Dropped, InFlight, MsgId, Note,
    NoteKind, ReadRequest, ReadState, ReplayError, Server, Simulation, Stats, StepEvent,
    TimedAction, Trip,
};
pub use trace::{FORMAT, MAX_BYTES, MAX_SEED, Trace, TraceError, VERSION, hex};

/// Sorts a short list (a cluster's servers, its leaders, the corners of an island)
/// in place, stably, by `key`. An insertion sort: as quick as the standard sorts
/// for a handful of items, and a few dozen bytes of wasm where each instance of a
/// standard sort weighs kilobytes.
pub fn sort_few_by_key<T, K: PartialOrd>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j]) < key(&v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg32;

    #[test]
    fn sort_few_sorts_stably_like_the_standard_sort() {
        let mut rng = Pcg32::seed_from_u64(3);
        for len in 0..12 {
            for _ in 0..50 {
                let v: Vec<(u8, usize)> = (0..len).map(|k| (rng.random_range(0..4u8), k)).collect();
                let (mut a, mut b) = (v.clone(), v);
                a.sort_by_key(|p| p.0);
                crate::sort_few_by_key(&mut b, |p| p.0);
                assert_eq!(a, b);
            }
        }
    }
}
