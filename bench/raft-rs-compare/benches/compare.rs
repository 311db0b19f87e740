//! `cargo bench` here: committed proposals per second, raft-core beside raft-rs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use raft_rs_compare::{Core, RaftRs};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("commit_3_nodes");
    for batch in [1u64, 64] {
        group.throughput(Throughput::Elements(batch));
        group.bench_function(format!("raft-core/batch_{batch}"), |b| {
            b.iter_custom(|iters| {
                let (mut total, mut done) = (Duration::ZERO, 0);
                while done < iters {
                    let mut cluster = Core::new(3);
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
        group.bench_function(format!("raft-rs/batch_{batch}"), |b| {
            b.iter_custom(|iters| {
                let (mut total, mut done) = (Duration::ZERO, 0);
                while done < iters {
                    let mut cluster = RaftRs::new(3);
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

criterion_group!(benches, compare);
criterion_main!(benches);
