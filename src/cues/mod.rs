//! Which chime sounds for which engine events: one chime per moment, by priority, never twice, never stale.

use std::collections::VecDeque;
use std::time::Duration;

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

/// Chooses chimes for a stream of events.
#[derive(Debug, Clone)]
pub struct CuePlanner {
    stale_after: Duration,
    /// The chime currently holding the floor: when it started and which kind it is.
    sounding: Option<PlannedChime>,
    /// Recently planned chimes, to never plan the same one twice.
    recent: VecDeque<(ChimeKind, usize, Duration)>,
}

impl Default for CuePlanner {
    fn default() -> Self {
        Self::new(Duration::from_secs(2))
    }
}

impl CuePlanner {
    pub fn new(stale_after: Duration) -> Self {
        Self { stale_after, sounding: None, recent: VecDeque::with_capacity(16) }
    }

    /// Forgets what is sounding, e.g. when a new session starts.
    pub fn reset(&mut self) {
        self.sounding = None;
        self.recent.clear();
    }

    /// The chimes for a batch of events (as returned by one engine call): among events due at the same moment only
    /// the highest-priority chime sounds, and a lower-priority chime never cuts into a higher one still ringing.
    pub fn plan(&mut self, events: &[Event]) -> Vec<PlannedChime> {
        let mut planned: Vec<PlannedChime> = Vec::new();
        for event in events {
            let Some(kind) = chime_for(event) else { continue };
            if event.lateness() > self.stale_after {
                continue;
            }
            let candidate = PlannedChime { kind, step: event.step, scheduled: event.scheduled };
            match planned.last_mut() {
                Some(last) if last.scheduled == candidate.scheduled => {
                    if candidate.kind.priority() > last.kind.priority() {
                        *last = candidate;
                    }
                }
                _ => planned.push(candidate),
            }
        }
        planned.retain(|chime| self.admit(*chime));
        planned
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
