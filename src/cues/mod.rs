//! Which chime sounds for which engine events: one chime per moment, by priority, never twice, never stale; and
//! where spoken prompts go among them (see `speech.rs`).

mod speech;

use std::collections::VecDeque;
use std::time::Duration;

use speech::SpeechSlot;
pub use speech::{
    NoSpeech, PlannedSpeech, Resolution, SPEECH_GAP, SPEECH_PRIORITY, SpeechBook, SpeechCue, SpeechMoment,
};

use crate::engine::{Cue, Event, EventKind};

/// A distinct sound, one per kind of moment a therapist paces a hold by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChimeKind {
    /// The first step starts, or a step starts after "continue".
    StepStart,
    Halfway,
    /// The last seconds of a step: prepare to ease out.
    Warning,
    /// An `at` offset, e.g. the first-release window.
    Offset,
    /// A very soft check-in.
    CheckIn,
    /// An open-ended hold reached its minimum and now counts up.
    MinimumReached,
    SideSwitch,
    /// One step ends and the next begins.
    StepEnd,
    /// The session is over (the longest sound).
    SessionEnd,
    /// A metronome tick for rebounding.
    RhythmTick,
}

impl ChimeKind {
    pub const ALL: [ChimeKind; 10] = [
        ChimeKind::StepStart,
        ChimeKind::Halfway,
        ChimeKind::Warning,
        ChimeKind::Offset,
        ChimeKind::CheckIn,
        ChimeKind::MinimumReached,
        ChimeKind::SideSwitch,
        ChimeKind::StepEnd,
        ChimeKind::SessionEnd,
        ChimeKind::RhythmTick,
    ];

    /// Transitions beat progress cues, which beat check-ins and beats.
    pub const fn priority(self) -> u8 {
        match self {
            ChimeKind::SessionEnd => 9,
            ChimeKind::SideSwitch => 8,
            ChimeKind::StepEnd => 7,
            ChimeKind::StepStart => 6,
            ChimeKind::MinimumReached => 5,
            ChimeKind::Warning => 4,
            ChimeKind::Offset => 3,
            ChimeKind::Halfway => 2,
            ChimeKind::CheckIn => 1,
            ChimeKind::RhythmTick => 0,
        }
    }

    /// File-friendly name, e.g. for `stillpoint chimes --write`.
    pub const fn name(self) -> &'static str {
        match self {
            ChimeKind::StepStart => "step-start",
            ChimeKind::Halfway => "halfway",
            ChimeKind::Warning => "warning",
            ChimeKind::Offset => "offset",
            ChimeKind::CheckIn => "check-in",
            ChimeKind::MinimumReached => "minimum-reached",
            ChimeKind::SideSwitch => "side-switch",
            ChimeKind::StepEnd => "step-end",
            ChimeKind::SessionEnd => "session-end",
            ChimeKind::RhythmTick => "rhythm-tick",
        }
    }

    /// How long a chime of this kind holds the floor against lower-priority ones.
    pub const fn holds_for(self) -> Duration {
        match self {
            ChimeKind::SessionEnd => Duration::from_millis(3000),
            ChimeKind::SideSwitch | ChimeKind::StepEnd | ChimeKind::StepStart | ChimeKind::MinimumReached => {
                Duration::from_millis(1200)
            }
            ChimeKind::Warning | ChimeKind::Offset | ChimeKind::Halfway => Duration::from_millis(800),
            ChimeKind::CheckIn | ChimeKind::RhythmTick => Duration::ZERO,
        }
    }
}

/// The chime an event asks for, if any. Commands (pause, extend, release) and finishes that the next step's start
/// already covers make no sound of their own.
pub fn chime_for(event: &Event) -> Option<ChimeKind> {
    Some(match event.kind {
        EventKind::StepStarted => ChimeKind::StepStart,
        EventKind::Cue(Cue::Halfway) => ChimeKind::Halfway,
        EventKind::Cue(Cue::Warning) => ChimeKind::Warning,
        EventKind::Cue(Cue::Offset(_)) => ChimeKind::Offset,
        EventKind::Cue(Cue::CheckIn(_)) => ChimeKind::CheckIn,
        EventKind::Cue(Cue::RhythmBeat(_)) => ChimeKind::RhythmTick,
        EventKind::MinimumReached => ChimeKind::MinimumReached,
        EventKind::SideSwitch { .. } => ChimeKind::SideSwitch,
        EventKind::StepFinished { reason } if reason.is_completion() => ChimeKind::StepEnd,
        EventKind::SessionFinished { completed: true } => ChimeKind::SessionEnd,
        _ => return None,
    })
}

/// A chime to play, at the session time its event was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedChime {
    pub kind: ChimeKind,
    pub step: usize,
    pub scheduled: Duration,
}

/// A chime or a prompt, as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    Chime(PlannedChime),
    Speech(PlannedSpeech),
}

/// Chooses chimes (and places spoken prompts) for a stream of events.
#[derive(Debug, Clone)]
pub struct CuePlanner {
    stale_after: Duration,
    /// The chime currently holding the floor: when it started and which kind it is.
    sounding: Option<PlannedChime>,
    /// Recently planned chimes, to never plan the same one twice.
    recent: VecDeque<(ChimeKind, usize, Duration)>,
    /// Prompts whose event has come and whose rendering has not.
    pending: Vec<SpeechSlot>,
    /// The last prompt planned: when it starts and ends.
    speaking: Option<(Duration, Duration)>,
    /// Prompts planned or dropped, so none is said twice.
    spoken: VecDeque<SpeechCue>,
}

impl Default for CuePlanner {
    fn default() -> Self {
        Self::new(Duration::from_secs(2))
    }
}

impl CuePlanner {
    pub fn new(stale_after: Duration) -> Self {
        Self {
            stale_after,
            sounding: None,
            recent: VecDeque::with_capacity(16),
            pending: Vec::new(),
            speaking: None,
            spoken: VecDeque::with_capacity(16),
        }
    }

    /// Forgets what is sounding, e.g. when a new session starts.
    pub fn reset(&mut self) {
        self.sounding = None;
        self.recent.clear();
        self.pending.clear();
        self.speaking = None;
        self.spoken.clear();
    }

    /// The chimes for a batch of events (as returned by one engine call): among events due at the same moment only
    /// the highest-priority chime sounds, and a lower-priority chime never cuts into a higher one still ringing.
    pub fn plan(&mut self, events: &[Event]) -> Vec<PlannedChime> {
        self.plan_with(events, &mut NoSpeech)
            .into_iter()
            .filter_map(|planned| match planned {
                Planned::Chime(chime) => Some(chime),
                Planned::Speech(_) => None,
            })
            .collect()
    }

    /// Chimes and prompts for a batch of events, in time order. A prompt is placed as soon as `book` has it
    /// rendered; until then it waits (see [`CuePlanner::settle`]), and a lower-priority chime that might fall inside
    /// it makes the book decide at once.
    pub fn plan_with(&mut self, events: &[Event], book: &mut dyn SpeechBook) -> Vec<Planned> {
        let mut chimes: Vec<PlannedChime> = Vec::new();
        let mut triggers: Vec<SpeechCue> = Vec::new();
        for event in events {
            if event.lateness() > self.stale_after {
                continue;
            }
            if let Some(moment) = SpeechMoment::of(event) {
                triggers.push(SpeechCue { step: event.step, moment, scheduled: event.scheduled });
            }
            let Some(kind) = chime_for(event) else { continue };
            let candidate = PlannedChime { kind, step: event.step, scheduled: event.scheduled };
            match chimes.last_mut() {
                Some(last) if last.scheduled == candidate.scheduled => {
                    if candidate.kind.priority() > last.kind.priority() {
                        *last = candidate;
                    }
                }
                _ => chimes.push(candidate),
            }
        }
        // In time order; at one moment its chime first, then the prompt that follows it.
        let mut out = Vec::new();
        let (mut chimes, mut triggers) = (chimes.into_iter().peekable(), triggers.into_iter().peekable());
        loop {
            let chime_first = match (chimes.peek(), triggers.peek()) {
                (Some(chime), Some(trigger)) => chime.scheduled <= trigger.scheduled,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if chime_first {
                let Some(chime) = chimes.next() else { break };
                if self.admit_among_speech(chime, book, &mut out) {
                    out.push(Planned::Chime(chime));
                }
            } else if let Some(cue) = triggers.next() {
                self.trigger(cue, book, &mut out);
            }
        }
        out
    }

    /// Places the prompts still waiting for their rendering that now have it, and decides (speak or drop) those due
    /// to start by `horizon` (session time).
    pub fn settle(&mut self, book: &mut dyn SpeechBook, horizon: Duration) -> Vec<PlannedSpeech> {
        let mut out = Vec::new();
        for slot in self.pending.clone() {
            self.place(slot, book, slot.earliest <= horizon, &mut out);
        }
        out.into_iter()
            .filter_map(|planned| match planned {
                Planned::Speech(speech) => Some(speech),
                Planned::Chime(_) => None,
            })
            .collect()
    }

    /// The earliest start of a prompt still waiting for its rendering, if any.
    pub fn waiting_speech(&self) -> Option<Duration> {
        self.pending.iter().map(|slot| slot.earliest).min()
    }

    /// The prompt speaking at `at` (and those waiting) stop there: a command paused or left the step.
    pub fn interrupt_speech(&mut self, at: Duration) {
        self.speaking = self.speaking.map(|(start, end)| (start.min(at), end.min(at)));
        for slot in self.pending.drain(..) {
            if self.spoken.len() == 16 {
                self.spoken.pop_front();
            }
            self.spoken.push_back(slot.cue);
        }
    }

    fn remember(&mut self, cue: SpeechCue) {
        self.pending.retain(|slot| slot.cue != cue);
        if self.spoken.len() == 16 {
            self.spoken.pop_front();
        }
        self.spoken.push_back(cue);
    }

    fn trigger(&mut self, cue: SpeechCue, book: &mut dyn SpeechBook, out: &mut Vec<Planned>) {
        if self.spoken.contains(&cue) || self.pending.iter().any(|slot| slot.cue == cue) {
            return;
        }
        let slot = SpeechSlot { cue, earliest: cue.scheduled + cue.moment.delay(), latest_end: book.latest_end(cue) };
        self.place(slot, book, false, out);
    }

    /// Places a prompt if the book has it, after the prompt speaking before it and any higher-priority chime still
    /// holding the floor; drops it if it would then run past its window.
    fn place(&mut self, slot: SpeechSlot, book: &mut dyn SpeechBook, decide: bool, out: &mut Vec<Planned>) {
        match book.resolve(slot.cue, decide) {
            Resolution::Pending => {
                if !self.pending.contains(&slot) {
                    self.pending.push(slot);
                }
            }
            Resolution::Skip => self.remember(slot.cue),
            Resolution::Speak(length) => {
                self.remember(slot.cue);
                let mut starts = slot.earliest;
                if let Some((_, end)) = self.speaking {
                    starts = starts.max(end + SPEECH_GAP);
                }
                if let Some(chime) = self.sounding.filter(|c| c.kind.priority() >= SPEECH_PRIORITY) {
                    starts = starts.max(chime.scheduled + chime.kind.holds_for());
                }
                if starts + length <= slot.latest_end {
                    self.speaking = Some((starts, starts + length));
                    out.push(Planned::Speech(PlannedSpeech { cue: slot.cue, starts, length }));
                }
            }
        }
    }

    /// A chime of lower priority than speech is dropped while a prompt speaks; a prompt still rendering whose window
    /// holds the chime is decided first.
    fn admit_among_speech(&mut self, chime: PlannedChime, book: &mut dyn SpeechBook, out: &mut Vec<Planned>) -> bool {
        if chime.kind.priority() < SPEECH_PRIORITY {
            let due: Vec<SpeechSlot> = self
                .pending
                .iter()
                .copied()
                .filter(|slot| slot.earliest <= chime.scheduled && chime.scheduled < slot.latest_end)
                .collect();
            for slot in due {
                self.place(slot, book, true, out);
            }
            if self.speaking.is_some_and(|(start, end)| start <= chime.scheduled && chime.scheduled < end) {
                return false;
            }
        }
        self.admit(chime)
    }

    fn admit(&mut self, chime: PlannedChime) -> bool {
        let key = (chime.kind, chime.step, chime.scheduled);
        if self.recent.contains(&key) {
            return false;
        }
        if let Some(sounding) = self.sounding {
            let still_ringing = chime.scheduled < sounding.scheduled + sounding.kind.holds_for();
            if still_ringing && chime.kind.priority() < sounding.kind.priority() {
                return false;
            }
        }
        if self.recent.len() == 16 {
            self.recent.pop_front();
        }
        self.recent.push_back(key);
        self.sounding = Some(chime);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::FinishReason;
    use crate::sequence::BodySide;

    fn event(kind: EventKind, step: usize, ms: u64) -> Event {
        Event { kind, step, scheduled: Duration::from_millis(ms), actual: Duration::from_millis(ms) }
    }

    fn kinds(chimes: &[PlannedChime]) -> Vec<ChimeKind> {
        chimes.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn a_step_boundary_rings_once_with_the_strongest_sound() {
        let mut planner = CuePlanner::default();
        let boundary = [
            event(EventKind::StepFinished { reason: FinishReason::TimeUp }, 0, 60_000),
            event(EventKind::StepStarted, 1, 60_000),
            event(EventKind::SideSwitch { to: BodySide::Right }, 1, 60_000),
        ];
        assert_eq!(kinds(&planner.plan(&boundary)), vec![ChimeKind::SideSwitch]);

        let end = [
            event(EventKind::StepFinished { reason: FinishReason::TimeUp }, 2, 90_000),
            event(EventKind::SessionFinished { completed: true }, 2, 90_000),
        ];
        assert_eq!(kinds(&planner.plan(&end)), vec![ChimeKind::SessionEnd]);
    }

    #[test]
    fn transitions_beat_halfway_which_beats_check_ins() {
        let mut planner = CuePlanner::default();
        let same_moment =
            [event(EventKind::Cue(Cue::CheckIn(2)), 0, 150_000), event(EventKind::Cue(Cue::Halfway), 0, 150_000)];
        assert_eq!(kinds(&planner.plan(&same_moment)), vec![ChimeKind::Halfway]);
        // A check-in 300 ms into a ringing transition chime would muddy it; a later one is fine.
        planner.plan(&[event(EventKind::StepStarted, 1, 200_000)]);
        assert!(planner.plan(&[event(EventKind::Cue(Cue::CheckIn(1)), 1, 200_300)]).is_empty());
        assert_eq!(
            kinds(&planner.plan(&[event(EventKind::Cue(Cue::CheckIn(1)), 1, 205_000)])),
            vec![ChimeKind::CheckIn]
        );
    }

    #[test]
    fn stale_and_repeated_events_stay_silent() {
        let mut planner = CuePlanner::default();
        let mut late = event(EventKind::StepStarted, 3, 60_000);
        late.actual = Duration::from_millis(62_500);
        assert!(planner.plan(&[late]).is_empty(), "a transition seen 2.5 s late is not played");
        let halfway = event(EventKind::Cue(Cue::Halfway), 0, 30_000);
        assert_eq!(planner.plan(&[halfway]).len(), 1);
        assert!(planner.plan(&[halfway]).is_empty(), "the same event is never played twice");
    }

    #[test]
    fn user_commands_and_cut_short_steps_are_silent() {
        let mut planner = CuePlanner::default();
        let quiet = [
            event(EventKind::Paused, 0, 1_000),
            event(EventKind::Extended { by: Duration::from_secs(60) }, 0, 2_000),
            event(EventKind::StepFinished { reason: FinishReason::Skipped }, 0, 3_000),
            event(EventKind::SessionFinished { completed: false }, 0, 4_000),
        ];
        assert!(planner.plan(&quiet).is_empty());
    }

    #[test]
    fn every_kind_has_a_distinct_priority_and_name() {
        let mut priorities: Vec<u8> = ChimeKind::ALL.iter().map(|k| k.priority()).collect();
        priorities.sort_unstable();
        priorities.dedup();
        assert_eq!(priorities.len(), ChimeKind::ALL.len());
        let mut names: Vec<&str> = ChimeKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ChimeKind::ALL.len());
    }
}
