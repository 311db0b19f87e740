//! Committed proposals per second in a 3-node cluster driven in one thread, with
//! messages delivered FIFO in memory, and the cost of one election.
//!
//! `cargo bench -p raft-core` prints the throughput (elements/s = committed
//! proposals per second).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use raft_core::{Config, Message, Node, Role};
use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

type Cmd = u64;

struct Cluster {
    nodes: Vec<Node<Cmd>>,
    queue: VecDeque<Message<Cmd>>,
    applied: u64,
}

impl Cluster {
    fn new(n: u32) -> Cluster {
        Cluster::with(n, Config::default())
    }

    fn with(n: u32, config: Config) -> Cluster {
        let nodes = (1..=n)
            .map(|id| {
                let peers = (1..=n).filter(move |&p| p != id);
                Node::new(id, peers, config.clone(), id as u64, 0).expect("config")
            })
            .collect();
        Cluster {
            nodes,
            queue: VecDeque::new(),
            applied: 0,
        }
    }

    fn collect(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        self.queue.extend(node.drain_messages());
        let applied = &mut self.applied;
        node.apply_committed(|_, c| *applied = applied.wrapping_add(*c));
    }

    fn run(&mut self) {
        while let Some(m) = self.queue.pop_front() {
            let to = (m.to - 1) as usize;
            self.nodes[to].step(0, m).expect("valid");
            self.collect(to);
        }
    }

    fn elect(&mut self) {
        self.nodes[0].set_election_deadline(0);
        self.nodes[0].tick(0);
        self.collect(0);
        self.run();
        assert_eq!(self.nodes[0].role(), Role::Leader);
    }

    /// Proposes `count` commands one at a time, each sent as it is proposed (before
    /// any reply: a cluster under client load), then delivers until quiet.
    fn commit_each(&mut self, count: u64) -> u64 {
        for k in 0..count {
            self.nodes[0].propose(0, k).expect("leader");
            self.collect(0);
        }
        self.run();
        self.nodes[0].commit_index()
    }

    /// Proposes `batch` commands at the leader and delivers until quiet; returns the
    /// leader's commit index.
    fn commit(&mut self, batch: u64) -> u64 {
        let leader = &mut self.nodes[0];
        let target = leader.propose_batch(0, 0..batch).expect("leader");
        self.collect(0);
        self.run();
        let c = self.nodes[0].commit_index();
        debug_assert_eq!(c, target);
        c
    }
}

fn proposals(c: &mut Criterion) {
    let mut group = c.benchmark_group("commit_3_nodes");
    for batch in [1u64, 64] {
        group.throughput(Throughput::Elements(batch));
        group.bench_function(format!("batch_{batch}"), |b| {
            b.iter_custom(|iters| {
                // Fresh clusters every so often keep the logs (and memory) bounded.
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let mut cluster = Cluster::new(3);
                    cluster.elect();
                    let chunk = (iters - done).min(20_000 / batch + 1);
                    let start = Instant::now();
                    for _ in 0..chunk {
                        black_box(cluster.commit(batch));
                    }
                    total += start.elapsed();
                    done += chunk;
                    black_box(cluster.applied);
                }
                total
            })
        });
    }
    group.finish();
}

/// 64 proposals one at a time, with flow control (the default) and without (Figure 2
/// to the letter: each send carries everything from nextIndex).
fn one_at_a_time(c: &mut Criterion) {
    let mut group = c.benchmark_group("commit_3_nodes");
    group.throughput(Throughput::Elements(64));
    for (name, flow_control) in [
        ("64_one_at_a_time", true),
        ("64_one_at_a_time_figure2", false),
    ] {
        let config = Config {
            flow_control,
            ..Config::default()
        };
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let mut cluster = Cluster::with(3, config.clone());
                    cluster.elect();
                    let chunk = (iters - done).min(300);
                    let start = Instant::now();
                    for _ in 0..chunk {
                        black_box(cluster.commit_each(64));
                    }
                    total += start.elapsed();
                    done += chunk;
                }
                total
            })
        });
    }
    group.finish();
}

fn election(c: &mut Criterion) {
    let mut group = c.benchmark_group("election");
    for n in [3u32, 5] {
        group.bench_function(format!("{n}_nodes"), |b| {
            b.iter_batched(
                || Cluster::new(n),
                |mut cluster| {
                    cluster.elect();
                    cluster
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, proposals, one_at_a_time, election);
criterion_main!(benches);
