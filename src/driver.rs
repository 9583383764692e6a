//! Runs a session for any front end (the window, the terminal): the engine, the chimes it asks for, handed to the
//! sound device a little ahead of time so they sound on their scheduled moment, and the cue to show on screen.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::audio::{ChimeOutput, LEAD};
use crate::cues::{ChimeKind, CuePlanner};
use crate::engine::{Clock, Command, Cue, Engine, EngineSettings, Event, EventKind, MonotonicTime, Outcome};
use crate::sequence::Plan;

/// What "+1 min" (the `+` key, the pedal) adds to a step.
pub const EXTEND_BY: Duration = Duration::from_secs(60);
/// How far ahead chimes are handed to the device: more than [`LEAD`], so a wake-up that is a little late still
/// leaves each chime time to be placed on its exact sample.
pub const LOOKAHEAD: Duration = Duration::from_millis(250);

/// How long after "start" a session begins: enough for the start chime to be placed like every other.
pub const START_DELAY: Duration = Duration::from_millis(100);

const _: () = assert!(LOOKAHEAD.as_millis() > LEAD.as_millis() && START_DELAY.as_millis() > LEAD.as_millis());

/// The latest chime, for showing on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownCue {
    pub kind: ChimeKind,
    /// For an offset cue, its offset from the step's start.
    pub offset: Option<Duration>,
    /// When it was due.
    pub at: MonotonicTime,
}

pub struct SessionDriver {
    engine: Engine,
    planner: CuePlanner,
    clock: Rc<dyn Clock>,
    /// Chimes already handed to the device ahead of their time: `(kind, scheduled session time)`.
    queued: Vec<(ChimeKind, Duration)>,
    /// Session events up to this monotonic time have been looked ahead at.
    looked_ahead_to: MonotonicTime,
    cue: Option<ShownCue>,
}

impl SessionDriver {
    pub fn new(plan: Arc<Plan>, settings: EngineSettings, clock: Rc<dyn Clock>) -> Self {
        Self {
            engine: Engine::new(plan, settings),
            planner: CuePlanner::new(settings.stale_cue_after),
            clock,
            queued: Vec::new(),
            looked_ahead_to: MonotonicTime::ZERO,
            cue: None,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    pub fn now(&self) -> MonotonicTime {
        self.clock.now()
    }

    pub fn last_cue(&self) -> Option<ShownCue> {
        self.cue
    }

    /// Reports what fell due and hands the next chimes to the device. Returns the events, for printing or logging.
    pub fn tick(&mut self, chimes: &mut dyn ChimeOutput) -> Vec<Event> {
        let events = self.engine.advance(self.clock.now());
        self.react(&events, chimes);
        self.look_ahead(chimes);
        events
    }

    /// Applies a command. Chimes queued ahead no longer fit the new schedule, so they are withdrawn first.
    pub fn apply(&mut self, command: Command, chimes: &mut dyn ChimeOutput) -> Outcome {
        let mut events = self.engine.advance(self.clock.now());
        self.react(&events, chimes);
        chimes.cancel_unstarted();
        self.queued.clear();
        self.looked_ahead_to = MonotonicTime::ZERO;
        // A session begins a moment after the press, so even its start chime can be handed over ahead of time.
        let at = match command {
            Command::Start => self.clock.now() + START_DELAY,
            _ => self.clock.now(),
        };
        let outcome = self.engine.apply(command, at);
        self.react(&outcome.events, chimes);
        self.look_ahead(chimes);
        events.extend(outcome.events);
        Outcome { events, rejected: outcome.rejected }
    }

    /// When to call [`SessionDriver::tick`] next: a little before the next event (to queue its chime), and at it.
    pub fn next_wake(&self) -> Option<MonotonicTime> {
        let deadline = self.engine.next_deadline()?;
        let early = deadline - LOOKAHEAD;
        Some(if self.looked_ahead_to < deadline { early.max(self.clock.now()) } else { deadline })
    }

    fn react(&mut self, events: &[Event], chimes: &mut dyn ChimeOutput) {
        // A queued chime whose event came too late to count (the machine slept) is never matched: let it go.
        if let Some(latest) = events.last() {
            self.queued
                .retain(|(_, scheduled)| *scheduled + LOOKAHEAD + crate::engine::STALE_CUE_AFTER > latest.actual);
        }
        for chime in self.planner.plan(events) {
            let key = (chime.kind, chime.scheduled);
            let due = self.engine.monotonic_time_of(chime.scheduled);
            match self.queued.iter().position(|queued| *queued == key) {
                Some(index) => {
                    self.queued.swap_remove(index);
                }
                None => chimes.play_at(chime.kind, due),
            }
            if chime.kind != ChimeKind::RhythmTick {
                self.cue = Some(ShownCue { kind: chime.kind, offset: offset_of(events, chime.scheduled), at: due });
            }
        }
    }

    /// Plays forward on a copy of the engine and hands the chimes due in the next [`LOOKAHEAD`] to the device now,
    /// so each can be placed on its exact sample. A copy of the planner keeps the real one's choices unaffected.
    fn look_ahead(&mut self, chimes: &mut dyn ChimeOutput) {
        if self.engine.next_deadline().is_none() {
            return;
        }
        let horizon = self.clock.now() + LOOKAHEAD;
        let mut probe = self.engine.clone();
        let mut planner = self.planner.clone();
        for chime in planner.plan(&probe.advance(horizon)) {
            let key = (chime.kind, chime.scheduled);
            if !self.queued.contains(&key) {
                chimes.play_at(chime.kind, self.engine.monotonic_time_of(chime.scheduled));
                self.queued.push(key);
            }
        }
        self.looked_ahead_to = horizon;
    }
}

fn offset_of(events: &[Event], scheduled: Duration) -> Option<Duration> {
    events.iter().find_map(|e| match e.kind {
        EventKind::Cue(Cue::Offset(at)) if e.scheduled == scheduled => Some(at),
        _ => None,
    })
}
