//! Simulated events per second, and the whole Figure 16 reproduction.
//!
//! `cargo bench -p raft-sim`: `events/…` reports events per second (elements/s);
//! `figure16/6x1000` is the paper's six timeout ranges, 1000 trials each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use raft_sim::election::{Experiment, PAPER_RANGES};
use raft_sim::{Action, Command, MILLIS, SimConfig, Simulation};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A 5-server cluster under client load: every 10 ms a command to the leader.
fn loaded(checking: bool, events: u64) -> Duration {
    let mut sim = Simulation::new(SimConfig::default(), 7).expect("config");
    sim.set_checking(checking);
    sim.advance_to(1_000 * MILLIS);
    let start = Instant::now();
    let target = sim.stats().events + events;
    let mut k = 0;
    while sim.stats().events < target {
        sim.advance_by(10 * MILLIS);
        if let Some(l) = sim.leader() {
            k += 1;
            let _ = sim.apply(Action::Submit {
                node: l,
                command: Command::Add(k),
            });
        }
    }
    let took = start.elapsed();
    black_box(sim.trace_hash());
    took
}

fn events(c: &mut Criterion) {
    let mut group = c.benchmark_group("events");
    const N: u64 = 100_000;
    group.throughput(Throughput::Elements(N));
    group.sample_size(20);
    for (name, checking) in [("with_checker", true), ("without_checker", false)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| loaded(checking, N)).sum())
        });
    }
    group.finish();
}

fn figure16(c: &mut Criterion) {
    let mut group = c.benchmark_group("figure16");
    group.sample_size(10);
    group.bench_function("6x1000", |b| {
        b.iter(|| {
            for (lo, hi) in PAPER_RANGES {
                let r = Experiment::paper(lo, hi)
                    .run(1000, 1, |_| {})
                    .expect("config");
                black_box(r);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, events, figure16);
criterion_main!(benches);
