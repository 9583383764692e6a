//! Spoken prompts on the same timeline as the chimes. A prompt follows the chime of the moment it belongs to (a
//! step's start or side switch, an open-ended hold's minimum, the warning) once that chime has held the floor, and
//! holds the floor itself while it speaks: lower-priority chimes due meanwhile are dropped (the planner's existing
//! rule), and a prompt due while another speaks waits for it. A prompt never reaches the next transition: the book
//! that answers for prompts renders each one short enough for its window, and the planner drops one that waiting
//! would push past it.

use std::time::Duration;

use super::ChimeKind;
use crate::audio::chime_length;
use crate::engine::{Cue, Event, EventKind};

/// Chimes below this priority (warning, offset, halfway, check-in, rhythm) yield to speech.
pub const SPEECH_PRIORITY: u8 = ChimeKind::MinimumReached.priority();
/// Silence between two prompts when one waits for the other.
pub const SPEECH_GAP: Duration = Duration::from_millis(400);

/// When a prompt is spoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeechMoment {
    /// A step starts (a side-switch pause included): what to do now.
    StepStart,
    /// An open-ended hold reached its minimum.
    Minimum,
    /// The warning before a step ends: how long is left.
    Countdown,
}

impl SpeechMoment {
    /// The moment an event is, if a prompt belongs to it.
    pub fn of(event: &Event) -> Option<SpeechMoment> {
        match event.kind {
            EventKind::StepStarted => Some(SpeechMoment::StepStart),
            EventKind::MinimumReached => Some(SpeechMoment::Minimum),
            EventKind::Cue(Cue::Warning) => Some(SpeechMoment::Countdown),
            _ => None,
        }
    }

    /// How long after its event a prompt starts. A step's prompt waits for the longest chime a step can start with
    /// (the step-end chime of a boundary, 3 s) to ring out: speech never covers a transition chime. The minimum's
    /// prompt waits for its chime too; the countdown follows the warning chime's strikes (its tail is quiet), so
    /// "10 seconds" is said close to when it is true.
    pub fn delay(self) -> Duration {
        match self {
            SpeechMoment::StepStart => [ChimeKind::StepStart, ChimeKind::StepEnd, ChimeKind::SideSwitch]
                .into_iter()
                .map(chime_length)
                .max()
                .unwrap_or_default(),
            SpeechMoment::Minimum => chime_length(ChimeKind::MinimumReached),
            SpeechMoment::Countdown => ChimeKind::Warning.holds_for(),
        }
    }
}

/// One prompt of one session: which step, which moment, and when its event was due (session time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpeechCue {
    pub step: usize,
    pub moment: SpeechMoment,
    pub scheduled: Duration,
}

/// What the book says about a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Say it; it lasts this long.
    Speak(Duration),
    /// Nothing to say (turned off, no engine, nothing fits).
    Skip,
    /// Still being rendered: ask again.
    Pending,
}

/// Answers for prompts: whether each is said and how long it lasts. Once it has answered `Speak` or `Skip` for a
/// cue it must give the same answer again (the session driver asks from a look-ahead copy and from the real planner).
pub trait SpeechBook {
    /// `decide`: the answer is needed now; `Pending` is then taken as `Skip` and must stay so.
    fn resolve(&mut self, cue: SpeechCue, decide: bool) -> Resolution;
    /// The session time by which the prompt must have ended: a little before the next moment a chime of higher
    /// priority than speech is due.
    fn latest_end(&self, cue: SpeechCue) -> Duration;
}

/// No prompts at all.
pub struct NoSpeech;

impl SpeechBook for NoSpeech {
    fn resolve(&mut self, _: SpeechCue, _: bool) -> Resolution {
        Resolution::Skip
    }

    fn latest_end(&self, cue: SpeechCue) -> Duration {
        cue.scheduled
    }
}

/// A prompt to play: from `starts` (session time) for `length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSpeech {
    pub cue: SpeechCue,
    pub starts: Duration,
    pub length: Duration,
}

impl PlannedSpeech {
    pub fn ends(&self) -> Duration {
        self.starts + self.length
    }
}

/// A prompt whose event has come, waiting for its rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SpeechSlot {
    pub cue: SpeechCue,
    /// When it may start at the earliest.
    pub earliest: Duration,
    pub latest_end: Duration,
}
