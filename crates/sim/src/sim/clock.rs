//! Each server's clock. Raft's timers run on the server's own clock; a clock may run
//! fast or slow by a few parts per million against simulated time (the drift a
//! lease must allow for, dissertation §6.4.1). With no drift, a server's time is
//! simulated time.

use raft_core::Time;

/// One in a million.
const PPM: i128 = 1_000_000;

/// A server's clock: it advances `1 + ppm / 10⁶` times as fast as simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    ppm: i64,
}

impl Clock {
    /// A clock off by `ppm` millionths (positive: fast).
    pub fn new(ppm: i64) -> Self {
        Clock { ppm }
    }

    /// Its rate against simulated time, in millionths (0: exact).
    pub fn ppm(self) -> i64 {
        self.ppm
    }

    /// Its reading at simulated time `t`.
    pub fn local(self, t: Time) -> Time {
        if self.ppm == 0 {
            return t;
        }
        let t = i128::from(t);
        let local = t + (t * i128::from(self.ppm)).div_euclid(PPM);
        local.clamp(0, i128::from(Time::MAX)) as Time
    }

    /// The first simulated time at which it reads `local` or more.
    pub fn global(self, local: Time) -> Time {
        if self.ppm == 0 {
            return local;
        }
        let rate = PPM + i128::from(self.ppm);
        let mut g =
            ((i128::from(local) * PPM + rate - 1) / rate).clamp(0, i128::from(Time::MAX)) as Time;
        while self.local(g) < local && g < Time::MAX {
            g += 1;
        }
        while g > 0 && self.local(g - 1) >= local {
            g -= 1;
        }
        g
    }

    /// The clocks of `n` servers whose rates differ by at most `spread` millionths:
    /// spread evenly from `-spread / 2` (S1) to `+spread / 2` (Sn).
    pub fn spread(n: usize, spread: u32) -> Vec<Clock> {
        let half = i64::from(spread) / 2;
        (0..n)
            .map(|k| match n {
                1 => Clock::new(0),
                _ => Clock::new(-half + (2 * half * k as i64) / (n as i64 - 1)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn servers_spread_from_slow_to_fast() {
        let c: Vec<i64> = Clock::spread(5, 20_000).iter().map(|c| c.ppm()).collect();
        assert_eq!(c, [-10_000, -5_000, 0, 5_000, 10_000]);
        assert_eq!(Clock::spread(1, 20_000)[0].ppm(), 0);
        assert_eq!(Clock::new(10_000).local(1_000_000), 1_010_000);
        assert_eq!(Clock::new(-10_000).local(1_000_000), 990_000);
    }

    proptest! {
        #[test]
        fn global_is_the_first_time_the_clock_reads_local(
            ppm in -200_000i64..200_000,
            local in 0u64..10_000_000_000,
        ) {
            let c = Clock::new(ppm);
            let g = c.global(local);
            prop_assert!(c.local(g) >= local);
            prop_assert!(g == 0 || c.local(g - 1) < local);
        }
    }
}
