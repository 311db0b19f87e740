//! The page's one clock: real time from the browser's animation frames, turned into
//! simulated time at the chosen speed. Units: real time in milliseconds (as the
//! browser gives it), simulated time in microseconds ([`raft_sim::Time`]).

use raft_sim::{MILLIS, Time};

/// Longest real time one frame may account for (a hidden tab, a slow frame), in ms.
pub const MAX_FRAME_MS: f64 = 100.0;

/// Real time seen so far, and how much simulated time it is worth.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clock {
    /// The time of the last frame (ms), `None` after a pause.
    last: Option<f64>,
    /// Real time that has passed while the page ran (ms): what bubbles and notices
    /// expire by.
    pub wall: f64,
    /// Simulated microseconds owed but not yet given (a fraction of one), so that
    /// cutting time into frames never loses or gains any.
    carry: f64,
}

impl Clock {
    /// A frame at real time `t` (ms): returns the simulated microseconds to play at
    /// `speed` (0 when paused). Over any run of frames the total is the real time
    /// elapsed times the speed, to within one microsecond.
    pub fn frame(&mut self, t: f64, speed: f64, playing: bool) -> Time {
        let dt = self.last.map_or(0.0, |last| {
            crate::geometry::bound(t - last, 0.0, MAX_FRAME_MS)
        });
        self.last = Some(t);
        self.wall += dt;
        if !playing {
            self.carry = 0.0;
            return 0;
        }
        let owed = dt * speed * MILLIS as f64 + self.carry;
        let whole = owed.floor().max(0.0);
        self.carry = owed - whole;
        whole as Time
    }

    /// Forgets the last frame: the next one starts afresh (after a pause or a jump).
    pub fn restart(&mut self) {
        self.last = None;
        self.carry = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_time_does_not_drift_however_frames_fall() {
        // 1/1000 of real time in uneven frames (16 and 17 ms, as 60 Hz gives them):
        // rounding each frame on its own drifted by about 3 %.
        let mut c = Clock::default();
        let mut t = 0.0;
        let mut total = c.frame(t, 0.001, true);
        for k in 0..6_000 {
            t += if k % 3 == 0 { 17.0 } else { 16.0 } + 0.0;
            total += c.frame(t, 0.001, true);
        }
        let want = t * 0.001 * MILLIS as f64;
        assert!((total as f64 - want).abs() <= 1.0, "{total} µs for {want}");
    }

    #[test]
    fn a_pause_and_a_long_gap_give_no_time() {
        let mut c = Clock::default();
        c.frame(0.0, 1.0, true);
        assert_eq!(c.frame(16.0, 1.0, false), 0);
        assert_eq!(
            c.frame(10_000.0, 1.0, true),
            (MAX_FRAME_MS * 1_000.0) as Time
        );
        c.restart();
        assert_eq!(c.frame(20_000.0, 1.0, true), 0);
        assert!(c.wall > 100.0);
    }
}
