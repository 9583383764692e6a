//! Runs a session for any front end (the window, the terminal): the engine, the chimes it asks for, handed to the
//! sound device a little ahead of time so they sound on their scheduled moment, the spoken prompts placed among
//! them (rendered ahead on the voice worker, see `crate::voice`), and the cue to show on screen.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::audio::{ChimeOutput, LEAD};
use crate::cues::{ChimeKind, CuePlanner, NoSpeech, Planned, PlannedSpeech, SpeechBook};
use crate::engine::{
    Clock, Command, Cue, Engine, EngineSettings, Event, EventKind, Hold, MonotonicTime, Outcome, RestoreError,
};
use crate::sequence::Plan;
use crate::store::{CHECKPOINT_EVERY, Checkpoint, SessionRecord};
use crate::voice::SessionVoice;

/// What "+1 min" (the `+` key, the pedal) adds to a step.
pub const EXTEND_BY: Duration = Duration::from_secs(60);
/// How far ahead chimes are handed to the device: more than [`LEAD`], so a wake-up that is a little late still
/// leaves each chime time to be placed on its exact sample. A whole second, because once handed over a chime plays
/// from memory whatever the UI thread does, and on a kiosk whose SD card stalls for hundreds of milliseconds (page
/// faults, reads queued behind a write) a shorter lead would make chimes late; every change of schedule withdraws
/// what was handed over, so the longer lead never plays a stale chime (see also `src/audio/output.rs`).
pub const LOOKAHEAD: Duration = Duration::from_secs(1);

/// How long after "start" a session begins: enough for the start chime to be placed like every other.
pub const START_DELAY: Duration = Duration::from_millis(100);

const _: () = assert!(LOOKAHEAD.as_millis() > LEAD.as_millis() && START_DELAY.as_millis() > LEAD.as_millis());

/// A prompt still rendering is placed once it is ready, or dropped if it is not this long before it would start.
pub const SPEECH_DECIDE_AHEAD: Duration = Duration::from_millis(300);
/// How often the driver looks for a prompt still rendering (a few milliseconds' work, usually done long before).
const SPEECH_POLL: Duration = Duration::from_millis(20);
const _: () = assert!(SPEECH_DECIDE_AHEAD.as_millis() > LEAD.as_millis() + SPEECH_POLL.as_millis());

/// The latest chime, for showing on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownCue {
    pub kind: ChimeKind,
    /// For an offset cue, its offset from the step's start.
    pub offset: Option<Duration>,
    /// When it was due.
    pub at: MonotonicTime,
}

/// What a front end should hand to the store after a tick or a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Persist {
    /// Write the resume checkpoint.
    Checkpoint(Box<Checkpoint>),
    /// The session ended: append its record to the history, then remove the checkpoint.
    Finished(Box<SessionRecord>),
}

pub struct SessionDriver {
    engine: Engine,
    /// What the session did, built from the engine's events; the history keeps it and the checkpoint carries it.
    record: SessionRecord,
    /// Where the sequence was read from when it is not found by id (a file opened by path), for resuming.
    sequence_path: Option<PathBuf>,
    /// Session time of the last checkpoint.
    checkpointed_at: Duration,
    checkpoint_due: bool,
    finish_reported: bool,
    planner: CuePlanner,
    clock: Rc<dyn Clock>,
    /// Chimes already handed to the device ahead of their time: `(kind, scheduled session time)`.
    queued: Vec<(ChimeKind, Duration)>,
    /// Session events up to this monotonic time have been looked ahead at.
    looked_ahead_to: MonotonicTime,
    cue: Option<ShownCue>,
    /// Spoken prompts, when the user wants them.
    voice: Option<SessionVoice>,
    /// Prompts handed to the device, to hand over again after a command that keeps them (extend).
    spoken: Vec<(PlannedSpeech, Arc<[f32]>)>,
}

impl SessionDriver {
    pub fn new(plan: Arc<Plan>, settings: EngineSettings, clock: Rc<dyn Clock>, record: SessionRecord) -> Self {
        Self::around(Engine::new(plan, settings), clock, record)
    }

    /// A session put back from its checkpoint, paused or running as it was. Cues before the position are not
    /// replayed; the next ones ring on time.
    pub fn resume(
        plan: Arc<Plan>,
        settings: EngineSettings,
        clock: Rc<dyn Clock>,
        checkpoint: &Checkpoint,
    ) -> Result<Self, RestoreError> {
        let position = checkpoint.position();
        let engine = Engine::restore(plan, settings, &position, clock.now())?;
        let mut driver = Self::around(engine, clock, checkpoint.record.clone());
        driver.sequence_path = checkpoint.sequence_path.clone();
        driver.checkpointed_at = position.session_elapsed;
        Ok(driver)
    }

    fn around(engine: Engine, clock: Rc<dyn Clock>, record: SessionRecord) -> Self {
        let settings = engine.settings();
        Self {
            engine,
            record,
            sequence_path: None,
            checkpointed_at: Duration::ZERO,
            checkpoint_due: false,
            finish_reported: false,
            planner: CuePlanner::new(settings.stale_cue_after),
            clock,
            queued: Vec::new(),
            looked_ahead_to: MonotonicTime::ZERO,
            cue: None,
            voice: None,
            spoken: Vec::new(),
        }
    }

    /// Speaks prompts from now on (`None`: chimes only). Renders the first steps' prompts in the background at once,
    /// so set it before the session starts.
    pub fn set_voice(&mut self, voice: Option<SessionVoice>) {
        self.voice = voice.map(|mut voice| {
            voice.attach(self.engine.plan().clone());
            voice.prefetch(self.engine.position(self.clock.now()).map_or(0, |position| position.step_index));
            voice
        });
    }

    pub fn voice(&self) -> Option<&SessionVoice> {
        self.voice.as_ref()
    }

    /// The session time now, while the session is in progress.
    fn session_now(&self) -> Option<Duration> {
        self.engine.position(self.clock.now()).map(|position| position.session_elapsed)
    }

    /// Hands a planned prompt to the device.
    fn speak(&mut self, speech: PlannedSpeech, chimes: &mut dyn ChimeOutput) {
        let Some(samples) = self.voice.as_ref().and_then(|voice| voice.samples(speech.cue)) else { return };
        chimes.speak_at(samples.clone(), self.engine.monotonic_time_of(speech.starts));
        let now = self.session_now().unwrap_or_default();
        self.spoken.retain(|(spoken, _)| spoken.ends() > now);
        self.spoken.push((speech, samples));
    }

    /// Hands over again the prompts not yet started, after `cancel_unstarted` withdrew them with the chimes.
    fn speak_again(&mut self, chimes: &mut dyn ChimeOutput) {
        let now = self.session_now().unwrap_or_default();
        self.spoken.retain(|(speech, _)| speech.starts > now);
        for (speech, samples) in &self.spoken {
            chimes.speak_at(samples.clone(), self.engine.monotonic_time_of(speech.starts));
        }
    }

    /// Places the prompts whose rendering has come since (or drops those too late for it).
    fn settle_speech(&mut self, chimes: &mut dyn ChimeOutput) {
        let (Some(voice), Some(now)) = (self.voice.as_mut(), self.engine.position(self.clock.now())) else { return };
        for speech in self.planner.settle(voice, now.session_elapsed + SPEECH_DECIDE_AHEAD) {
            self.speak(speech, chimes);
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Changes auto-advance mid-session: the schedule after the current step changes, so chimes handed over for
    /// it are withdrawn and handed over again.
    pub fn set_auto_advance(&mut self, auto_advance: bool, chimes: &mut dyn ChimeOutput) {
        if self.engine.settings().auto_advance == auto_advance {
            return;
        }
        self.engine.set_auto_advance(auto_advance);
        chimes.cancel_unstarted();
        self.queued.clear();
        self.looked_ahead_to = MonotonicTime::ZERO;
        self.speak_again(chimes);
        self.look_ahead(chimes);
    }

    pub fn now(&self) -> MonotonicTime {
        self.clock.now()
    }

    pub fn last_cue(&self) -> Option<ShownCue> {
        self.cue
    }

    pub fn record(&self) -> &SessionRecord {
        &self.record
    }

    pub fn set_sequence_path(&mut self, path: Option<PathBuf>) {
        self.sequence_path = path;
    }

    /// What to write now, if anything: the record once the session has ended, otherwise a checkpoint after a step
    /// change, a command, or [`CHECKPOINT_EVERY`] of a running hold.
    pub fn take_persist(&mut self) -> Option<Persist> {
        if self.engine.is_finished() {
            if self.finish_reported {
                return None;
            }
            self.finish_reported = true;
            return Some(Persist::Finished(Box::new(self.record.clone())));
        }
        if !self.checkpoint_due {
            return None;
        }
        self.checkpoint_due = false;
        let position = self.engine.position(self.clock.now())?;
        Some(Persist::Checkpoint(Box::new(Checkpoint::new(&position, self.record.clone(), self.sequence_path.clone()))))
    }

    /// A checkpoint of where the session is, whatever is due (the app is being put away).
    pub fn checkpoint_now(&mut self) -> Option<Checkpoint> {
        let position = self.engine.position(self.clock.now())?;
        self.checkpointed_at = position.session_elapsed;
        self.checkpoint_due = false;
        Some(Checkpoint::new(&position, self.record.clone(), self.sequence_path.clone()))
    }

    /// Sets the after-session rating on the record (the aftercare screen asks for it).
    pub fn record_mut(&mut self) -> &mut SessionRecord {
        &mut self.record
    }

    /// Reports what fell due and hands the next chimes to the device. Returns the events, for printing or logging.
    pub fn tick(&mut self, chimes: &mut dyn ChimeOutput) -> Vec<Event> {
        let events = self.engine.advance(self.clock.now());
        self.observe(&events);
        self.react(&events, chimes);
        self.settle_speech(chimes);
        self.look_ahead(chimes);
        events
    }

    /// Applies a command. Chimes queued ahead no longer fit the new schedule, so they are withdrawn first.
    pub fn apply(&mut self, command: Command, chimes: &mut dyn ChimeOutput) -> Outcome {
        let mut events = self.engine.advance(self.clock.now());
        self.observe(&events);
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
        // Any accepted command but "start" and "extend" pauses, leaves or restarts the step: the voice stops there. A
        // prompt queued for later is handed over again otherwise.
        if outcome.rejected.is_none() && !matches!(command, Command::Extend(_) | Command::Start) {
            chimes.stop_speech();
            self.planner.interrupt_speech(self.session_now().unwrap_or_default());
            self.spoken.clear();
        } else {
            self.speak_again(chimes);
        }
        self.observe(&outcome.events);
        self.checkpoint_due = true;
        self.react(&outcome.events, chimes);
        self.look_ahead(chimes);
        events.extend(outcome.events);
        Outcome { events, rejected: outcome.rejected }
    }

    /// When to call [`SessionDriver::tick`] next: a little before the next event (to queue its chime), at it, and
    /// when the next checkpoint of a running hold is due.
    pub fn next_wake(&self) -> Option<MonotonicTime> {
        let deadline = self.engine.next_deadline()?;
        let early = deadline - LOOKAHEAD;
        let event = if self.looked_ahead_to < deadline { early.max(self.clock.now()) } else { deadline };
        let checkpoint = self.engine.monotonic_time_of(self.checkpointed_at + CHECKPOINT_EVERY);
        let mut wake = event.min(checkpoint.max(self.clock.now()));
        if self.planner.waiting_speech().is_some() {
            wake = wake.min(self.clock.now() + SPEECH_POLL);
        }
        Some(wake)
    }

    fn observe(&mut self, events: &[Event]) {
        if events.iter().any(|e| e.kind == EventKind::StepStarted) {
            self.checkpoint_due = true;
        }
        self.record.observe(events, self.engine.plan());
        if let Some(position) = self.engine.position(self.clock.now()) {
            let hold_due =
                position.hold == Hold::Running && position.session_elapsed >= self.checkpointed_at + CHECKPOINT_EVERY;
            if hold_due || self.checkpoint_due {
                self.checkpoint_due = true;
                self.checkpointed_at = position.session_elapsed;
            }
        }
    }

    fn react(&mut self, events: &[Event], chimes: &mut dyn ChimeOutput) {
        // A queued chime whose event came too late to count (the machine slept) is never matched: let it go.
        if let Some(latest) = events.last() {
            self.queued
                .retain(|(_, scheduled)| *scheduled + LOOKAHEAD + crate::engine::STALE_CUE_AFTER > latest.actual);
        }
        if let Some(voice) = self.voice.as_mut() {
            for event in events.iter().filter(|e| e.kind == EventKind::StepStarted) {
                voice.prefetch(event.step);
            }
        }
        let book: &mut dyn SpeechBook = match self.voice.as_mut() {
            Some(voice) => voice,
            None => &mut NoSpeech,
        };
        for planned in self.planner.plan_with(events, book) {
            let chime = match planned {
                Planned::Chime(chime) => chime,
                Planned::Speech(speech) => {
                    self.speak(speech, chimes);
                    continue;
                }
            };
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
        let book: &mut dyn SpeechBook = match self.voice.as_mut() {
            Some(voice) => voice,
            None => &mut NoSpeech,
        };
        // Prompts are handed over by the real planner, after their event; the copy only learns where they fall.
        let planned = planner.plan_with(&probe.advance(horizon), book);
        for chime in planned.into_iter().filter_map(|planned| match planned {
            Planned::Chime(chime) => Some(chime),
            Planned::Speech(_) => None,
        }) {
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
