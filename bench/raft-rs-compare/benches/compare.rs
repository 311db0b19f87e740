//! `cargo bench` here: committed proposals per second, raft-core beside raft-rs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use raft_rs_compare::{Core, RaftRs};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// What the benchmark needs of a cluster.
trait Cluster {
    fn fresh() -> Self;
    fn commit_batch(&mut self, batch: u64) -> u64;
    fn commit_each(&mut self, count: u64) -> u64;
    fn applied(&self) -> u64;
}

impl Cluster for Core {
    fn fresh() -> Self {
        Core::new(3)
    }
    fn commit_batch(&mut self, batch: u64) -> u64 {
        self.commit(batch)
    }
    fn commit_each(&mut self, count: u64) -> u64 {
        Core::commit_each(self, count)
    }
    fn applied(&self) -> u64 {
        self.applied
    }
}

impl Cluster for RaftRs {
    fn fresh() -> Self {
        RaftRs::new(3)
    }
    fn commit_batch(&mut self, batch: u64) -> u64 {
        self.commit(batch)
    }
    fn commit_each(&mut self, count: u64) -> u64 {
        RaftRs::commit_each(self, count)
    }
    fn applied(&self) -> u64 {
        self.applied
    }
}

/// Times `iters` rounds of proposing `batch` commands and delivering until quiet, on
/// fresh clusters every so often so that logs (and memory) stay bounded.
fn rounds<C: Cluster>(iters: u64, batch: u64, each: bool) -> Duration {
    let (mut total, mut done) = (Duration::ZERO, 0);
    while done < iters {
        let mut cluster = C::fresh();
        let chunk = (iters - done).min(20_000 / batch + 1);
        let start = Instant::now();
        for _ in 0..chunk {
            black_box(if each {
                cluster.commit_each(batch)
            } else {
                cluster.commit_batch(batch)
            });
        }
        total += start.elapsed();
        done += chunk;
        black_box(cluster.applied());
    }
    total
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("commit_3_nodes");
    for (batch, each) in [(1u64, false), (64, false), (64, true)] {
        let name = if each {
            format!("{batch}_one_at_a_time")
        } else {
            format!("batch_{batch}")
        };
        group.throughput(Throughput::Elements(batch));
        group.bench_function(format!("raft-core/{name}"), |b| {
            b.iter_custom(|iters| rounds::<Core>(iters, batch, each))
        });
        group.bench_function(format!("raft-rs/{name}"), |b| {
            b.iter_custom(|iters| rounds::<RaftRs>(iters, batch, each))
        });
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
