//! What the cluster says: speech bubbles (the slides' lines) and the events a course
//! page listens to, both told from the simulator's notes, never worked out here.

use crate::i18n::Texts;
use raft_sim::{NodeId, Note, NoteKind, Simulation, Term};

/// How long a speech bubble stays up, in real milliseconds.
pub const BUBBLE_MS: f64 = 1_200.0;

/// A speech bubble.
#[derive(Clone, Debug, PartialEq)]
pub struct Bubble {
    /// Who speaks.
    pub node: NodeId,
    /// What it says.
    pub text: String,
    /// Until when (real ms).
    pub until: f64,
    /// It announces a commit (a plain heartbeat does not cover it).
    pub commit: bool,
}

/// Something a course page may want to hear about.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PageEvent {
    /// A server became leader.
    Leader {
        /// The server.
        leader: NodeId,
        /// Its term.
        term: Term,
    },
    /// The leader committed an entry.
    Commit {
        /// Log index.
        index: u64,
        /// The entry's term.
        term: Term,
        /// The command, as text.
        command: String,
    },
    /// A tour scene reached its checkpoint.
    Scene {
        /// The scene's id.
        scene: String,
        /// `reached` (or `failed`).
        state: String,
    },
    /// The student answered one of the tour's questions.
    #[cfg(feature = "exercises")]
    Answer {
        /// The scene it was asked in.
        scene: String,
        /// Its index in the tour's questions.
        question: usize,
        /// True if the answer was right.
        right: bool,
    },
    /// A puzzle's target holds, the first time.
    #[cfg(feature = "exercises")]
    #[serde(rename = "puzzle-solved")]
    PuzzleSolved {
        /// The puzzle's id.
        puzzle: String,
        /// When (simulated ms).
        #[serde(rename = "timeMs")]
        time_ms: f64,
        /// The student's actions until then.
        actions: usize,
    },
}

impl PageEvent {
    /// The event's name for listeners (`leader`, `commit`, `scene`).
    pub fn name(&self) -> &'static str {
        match self {
            PageEvent::Leader { .. } => "leader",
            PageEvent::Commit { .. } => "commit",
            PageEvent::Scene { .. } => "scene",
            #[cfg(feature = "exercises")]
            PageEvent::Answer { .. } => "answer",
            #[cfg(feature = "exercises")]
            PageEvent::PuzzleSolved { .. } => "puzzle-solved",
        }
    }
}

/// The bubbles on screen and the events not yet handed out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Narrator {
    /// Bubbles on screen.
    pub bubbles: Vec<Bubble>,
    /// Events for the page's listeners.
    pub events: Vec<PageEvent>,
}

impl Narrator {
    /// Tells what the notes say: events always, bubbles if `bubbles` is on. `wall` is
    /// the real time now (ms).
    pub fn hear(
        &mut self,
        notes: &[Note],
        sim: &Simulation,
        texts: &Texts,
        wall: f64,
        bubbles: bool,
    ) {
        for note in notes {
            let id = note.node;
            let log = sim.server(id).map(|s| s.node.log());
            let said = match note.kind {
                NoteKind::Candidate(_) => Some((texts.get("bubble_vote"), false)),
                NoteKind::PreCandidate(_) => Some((texts.get("bubble_pre_vote"), false)),
                NoteKind::Read { value: Some(v), .. } => Some((
                    texts.fill("bubble_read", &[("value", &v.to_string())]),
                    false,
                )),
                NoteKind::Read { value: None, .. } => {
                    Some((texts.get("bubble_read_failed"), false))
                }
                NoteKind::Leader(term) => {
                    self.events.push(PageEvent::Leader { leader: id, term });
                    self.forget(id);
                    None
                }
                NoteKind::Commit { from, to } => {
                    for index in from + 1..=to {
                        if let Some(e) = log.and_then(|l| l.get(index)) {
                            self.events.push(PageEvent::Commit {
                                index,
                                term: e.term,
                                command: e.command.to_string(),
                            });
                        }
                    }
                    log.and_then(|l| l.get(to)).map(|e| {
                        let args = [
                            ("index", &*to.to_string()),
                            ("command", &*e.command.to_string()),
                        ];
                        (texts.fill("bubble_commit", &args), true)
                    })
                }
                NoteKind::Heartbeat { repairing } => {
                    let key = if repairing {
                        "bubble_check"
                    } else {
                        "bubble_heartbeat"
                    };
                    Some((texts.get(key), false))
                }
                NoteKind::StepDown(_) | NoteKind::Crash | NoteKind::Restart => {
                    // A bubble belongs to the role that spoke it.
                    self.forget(id);
                    None
                }
            };
            if let Some((text, commit)) = said
                && bubbles
            {
                self.say(id, text, commit, wall);
            }
        }
    }

    fn say(&mut self, node: NodeId, text: String, commit: bool, wall: f64) {
        let until = wall + BUBBLE_MS;
        match self.bubbles.iter_mut().find(|b| b.node == node) {
            // A commit announcement is not covered by a plain heartbeat.
            Some(b) if b.commit && !commit => {}
            Some(b) => {
                *b = Bubble {
                    node,
                    text,
                    until,
                    commit,
                }
            }
            None => self.bubbles.push(Bubble {
                node,
                text,
                until,
                commit,
            }),
        }
    }

    fn forget(&mut self, node: NodeId) {
        self.bubbles.retain(|b| b.node != node);
    }

    /// Takes down the bubbles whose time is up; true if any was.
    pub fn expire(&mut self, wall: f64) -> bool {
        let before = self.bubbles.len();
        self.bubbles.retain(|b| b.until > wall);
        self.bubbles.len() != before
    }
}
