//! Read-only views of a session for screens and summaries.

use std::time::Duration;

/// Where the session is, as a screen names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Loaded, not started.
    Ready,
    /// Counting down.
    Running,
    /// An open-ended hold past its minimum, counting up until a release is marked.
    CountingUp,
    Paused,
    /// A step ended and the next one waits for "continue".
    Waiting,
    Finished,
}

/// The state of a session at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    pub phase: Phase,
    /// The step on screen: the running one, or the one that just ended while waiting.
    pub step_index: usize,
    pub step_count: usize,
    /// The step that plays after it, if any.
    pub next_step_index: Option<usize>,
    pub step_elapsed: Duration,
    /// Time to the step's next boundary: its end, or the minimum of an open-ended hold still counting down.
    pub step_remaining: Duration,
    /// Step-relative time of that boundary (extensions included).
    pub step_target: Duration,
    /// Share of the countdown done, 0 to 1: full once an open-ended hold counts up and once a step has ended.
    pub step_progress: f32,
    /// True while an open-ended hold counts up, also when paused in that state.
    pub counting_up: bool,
    /// Time since the minimum of an open-ended hold was reached, while that hold runs (or is paused).
    pub count_up: Option<Duration>,
    /// Extension added to the current step.
    pub extension: Duration,
    pub session_elapsed: Duration,
    /// Expected time left: the current countdown plus the expected length of every later step.
    pub session_remaining: Duration,
}

impl Snapshot {
    /// Share of the session done, 0 to 1, by expected time.
    pub fn session_progress(&self) -> f32 {
        ratio(self.session_elapsed, self.session_elapsed + self.session_remaining)
    }
}

pub(super) fn ratio(part: Duration, whole: Duration) -> f32 {
    if whole.is_zero() { 1.0 } else { (part.as_secs_f64() / whole.as_secs_f64()).clamp(0.0, 1.0) as f32 }
}

/// What happened in a session, for the aftercare screen and the history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub steps_completed: u32,
    pub steps_skipped: u32,
    pub extensions: u32,
    pub extended_by: Duration,
    pub releases: u32,
    /// Session time when the session ended (or when the step that waits ended).
    pub session_elapsed: Duration,
    /// Whether the session ran to its end (as opposed to being stopped).
    pub completed: bool,
}
