//! What the engine reports: each event once, in order, with the session time it was due and the time it was seen.

use std::time::Duration;

use crate::sequence::BodySide;

/// A timed cue inside a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Half of the step (or of the minimum of an open-ended hold) has passed.
    Halfway,
    /// The step ends soon (the warning time before its end).
    Warning,
    /// An offset cue from the sequence's `at` list, e.g. the first-release window at 90 s.
    Offset(Duration),
    /// The n-th periodic check-in (1-based).
    CheckIn(u32),
    /// The n-th metronome beat of a rhythmic step (1-based).
    RhythmBeat(u32),
}

/// Why a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinishReason {
    /// A fixed step ran its time.
    TimeUp,
    /// An open-ended hold was marked released.
    Released,
    /// An open-ended hold reached its maximum.
    MaxReached,
    /// The user moved on with "next".
    Skipped,
    /// The user went back with "previous".
    Back,
    /// The user restarted the step.
    Restarted,
    /// The user stopped the session.
    Stopped,
}

impl FinishReason {
    /// Whether the step counts as done (as opposed to cut short by the user).
    pub const fn is_completion(self) -> bool {
        matches!(self, FinishReason::TimeUp | FinishReason::Released | FinishReason::MaxReached)
    }

    pub const fn name(self) -> &'static str {
        match self {
            FinishReason::TimeUp => "time_up",
            FinishReason::Released => "released",
            FinishReason::MaxReached => "max_reached",
            FinishReason::Skipped => "skipped",
            FinishReason::Back => "back",
            FinishReason::Restarted => "restarted",
            FinishReason::Stopped => "stopped",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    StepStarted,
    Cue(Cue),
    /// An open-ended hold reached its minimum and now counts up.
    MinimumReached,
    /// The user marked a release.
    Released,
    /// A side-switch step began: ease out and move to the other side.
    SideSwitch {
        to: BodySide,
    },
    Extended {
        by: Duration,
    },
    Paused,
    Resumed,
    StepFinished {
        reason: FinishReason,
    },
    SessionFinished {
        completed: bool,
    },
}

impl EventKind {
    /// The snake-case name used in `--events` files.
    pub const fn name(&self) -> &'static str {
        match self {
            EventKind::StepStarted => "step_started",
            EventKind::Cue(Cue::Halfway) => "halfway",
            EventKind::Cue(Cue::Warning) => "warning",
            EventKind::Cue(Cue::Offset(_)) => "offset",
            EventKind::Cue(Cue::CheckIn(_)) => "check_in",
            EventKind::Cue(Cue::RhythmBeat(_)) => "rhythm",
            EventKind::MinimumReached => "minimum_reached",
            EventKind::Released => "released",
            EventKind::SideSwitch { .. } => "side_switch",
            EventKind::Extended { .. } => "extended",
            EventKind::Paused => "paused",
            EventKind::Resumed => "resumed",
            EventKind::StepFinished { .. } => "step_finished",
            EventKind::SessionFinished { .. } => "session_finished",
        }
    }

    /// Cues are the only events that may be dropped when stale; transitions are always reported.
    pub const fn is_cue(&self) -> bool {
        matches!(self, EventKind::Cue(_))
    }
}

/// One engine event. Times are session time: time since the session started, pauses and waits excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    pub kind: EventKind,
    /// Index of the played step the event belongs to.
    pub step: usize,
    /// When the event was due.
    pub scheduled: Duration,
    /// When the engine saw it (the tick or command that produced it).
    pub actual: Duration,
}

impl Event {
    /// How late the event was noticed.
    pub fn lateness(&self) -> Duration {
        self.actual.saturating_sub(self.scheduled)
    }
}
