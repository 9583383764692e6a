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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub phase: Phase,
    pub step_index: usize,
    pub step_count: usize,
    pub step_elapsed: Duration,
    /// Time to the step's next boundary: its end, or the minimum of an open-ended hold still counting down.
    pub step_remaining: Duration,
    /// Step-relative time of that boundary (extensions included).
    pub step_target: Duration,
    /// True while an open-ended hold counts up, also when paused in that state.
    pub counting_up: bool,
    /// Time since the minimum of an open-ended hold was reached.
    pub count_up: Option<Duration>,
    /// Extension added to the current step.
    pub extension: Duration,
    pub session_elapsed: Duration,
    /// Expected time left: the current countdown plus the expected length of every later step.
    pub session_remaining: Duration,
}

impl Snapshot {
    /// Share of the current step done, 0 to 1.
    pub fn step_progress(&self) -> f32 {
        ratio(self.step_elapsed, self.step_target)
    }

    /// Share of the session done, 0 to 1, by expected time.
    pub fn session_progress(&self) -> f32 {
        ratio(self.session_elapsed, self.session_elapsed + self.session_remaining)
    }
}

fn ratio(part: Duration, whole: Duration) -> f32 {
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
