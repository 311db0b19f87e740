//! Runs as files and links: export the run up to now, open a saved or shared one.

use super::{CHECKPOINT_INTERVAL, Engine, HISTORY_WINDOW};
use raft_sim::MILLIS;
use raft_sim::timeline::Timeline;

impl Engine {
    /// The run up to now, for a link: base64url of its compact JSON.
    pub fn run_param(&self) -> String {
        crate::json::base64url(&crate::json::stringify(&self.timeline.trace(), false))
    }

    /// Opens a run shared in a link, or says why not (and keeps the current run).
    pub fn open_run_param(&mut self, param: &str) -> Result<(), String> {
        let text = crate::json::from_base64url(param)
            .map_err(|why| format!("the link is damaged ({why})"))?;
        self.open_run(&text)
    }

    /// The run up to now, as a readable trace file.
    pub fn export_json(&self) -> String {
        crate::json::stringify(&self.timeline.trace(), true)
    }

    /// Replaces the run with a saved one, or says why not (and keeps the current run).
    pub fn open_run(&mut self, text: &str) -> Result<(), String> {
        let trace = crate::json::trace(text).map_err(|e| e.to_string())?;
        self.open_trace(&trace)
    }

    /// Replaces the run with `trace`, shown at its end, paused.
    pub(super) fn open_trace(&mut self, trace: &raft_sim::Trace) -> Result<(), String> {
        let timeline = Timeline::from_trace(trace, CHECKPOINT_INTERVAL, HISTORY_WINDOW)
            .map_err(|e| e.to_string())?;
        self.start_run(timeline, trace.seed);
        let c = self.timeline.sim().config();
        self.latency_ms = c.latency_max / MILLIS;
        self.loss_pct = (c.loss * 100.0).round() as u32;
        self.guide = None;
        self.playing = false;
        Ok(())
    }
}
