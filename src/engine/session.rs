//! The session state machine: which step runs, where it is in its time, and which events fall due.

use std::sync::Arc;
use std::time::Duration;

use super::clock::MonotonicTime;
use super::command::{Command, Rejection};
use super::event::{Event, EventKind, FinishReason};
use super::schedule::{Boundary, boundary, next_cues_after};
use super::snapshot::{Phase, Snapshot, Summary, ratio};
use crate::sequence::{Plan, PlannedStep, StepRole, Timing};

/// How a session behaves, from the user's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineSettings {
    /// Start the next step as soon as one ends; otherwise wait for "continue".
    pub auto_advance: bool,
    /// Cues noticed later than this (e.g. after the laptop slept) are dropped instead of played in a burst.
    pub stale_cue_after: Duration,
}

/// Cues noticed later than this are dropped rather than played in a burst.
pub const STALE_CUE_AFTER: Duration = Duration::from_secs(2);

impl Default for EngineSettings {
    fn default() -> Self {
        Self { auto_advance: true, stale_cue_after: STALE_CUE_AFTER }
    }
}

/// Whether a session in progress counts, is paused, or waits for "continue" after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    Running,
    Paused,
    Waiting,
}

/// Where a session in progress is: enough to put it back exactly after the app was closed or killed (the resume
/// checkpoint keeps one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub step_index: usize,
    /// Time into the step (its end, while waiting after it).
    pub step_elapsed: Duration,
    /// Time added to the step with "+1 min".
    pub extension: Duration,
    pub session_elapsed: Duration,
    pub hold: Hold,
    /// What the session has done so far.
    pub summary: Summary,
}

/// Why a position cannot be put back on a plan (the sequence changed since it was taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreError {
    NoSuchStep { index: usize, steps: usize },
    PastTheStep,
}

impl std::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreError::NoSuchStep { index, steps } => {
                write!(f, "step {} does not exist; the sequence has {steps}", index + 1)
            }
            RestoreError::PastTheStep => f.write_str("the time into the step is past the step's end"),
        }
    }
}

impl std::error::Error for RestoreError {}

/// What a command did: the events it caused (including any that fell due before it) and whether it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Event>,
    pub rejected: Option<Rejection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ready,
    Running,
    Paused,
    /// The current step has ended and the next waits for "continue".
    Waiting,
    Finished,
}

/// Maps monotonic time to session time: time since start with pauses and waits taken out.
#[derive(Debug, Clone, Copy, Default)]
struct SessionClock {
    origin: MonotonicTime,
    /// Session time at `origin`: zero for a new session, the checkpoint's time for a resumed one (whose session
    /// began before this process's clock did).
    base: Duration,
    frozen_at: Option<MonotonicTime>,
    frozen_total: Duration,
}

impl SessionClock {
    fn session_time(&self, now: MonotonicTime) -> Duration {
        let reading = self.frozen_at.unwrap_or(now);
        reading.saturating_since(self.origin).saturating_sub(self.frozen_total) + self.base
    }

    /// The monotonic time at which the running clock shows `session_time`.
    fn monotonic_at(&self, session_time: Duration) -> MonotonicTime {
        let since_origin = self.frozen_total + session_time;
        (self.origin + since_origin) - self.base
    }

    fn freeze_at_session_time(&mut self, session_time: Duration) {
        self.frozen_at = Some(self.monotonic_at(session_time));
    }

    fn thaw(&mut self, now: MonotonicTime) {
        if let Some(frozen_at) = self.frozen_at.take() {
            self.frozen_total += now.saturating_since(frozen_at);
        }
    }
}

/// The current run of a step. Rerunning a step (back, restart) starts a new run.
#[derive(Debug, Clone, Copy)]
struct StepRun {
    index: usize,
    /// Session time at which the run began.
    started: Duration,
    extension: Duration,
    /// Step-relative time up to which cues and boundaries have been handled.
    horizon: Duration,
    /// Step-relative time at which an open-ended hold reached its minimum and began counting up.
    minimum_at: Option<Duration>,
}

impl StepRun {
    fn new(index: usize, started: Duration) -> Self {
        Self { index, started, extension: Duration::ZERO, horizon: Duration::ZERO, minimum_at: None }
    }

    fn counting_up(&self) -> bool {
        self.minimum_at.is_some()
    }
}

/// A session over a plan. Every method that depends on time takes the current monotonic reading.
#[derive(Debug, Clone)]
pub struct Engine {
    plan: Arc<Plan>,
    settings: EngineSettings,
    state: State,
    clock: SessionClock,
    run: StepRun,
    latest_reading: MonotonicTime,
    summary: Summary,
    /// `expected_after[i]`: expected length of every step after step i, for "session time left". Shared, so cloning
    /// the engine to look ahead stays cheap.
    expected_after: Arc<[Duration]>,
}

impl Engine {
    pub fn new(plan: Arc<Plan>, settings: EngineSettings) -> Self {
        let mut expected_after = vec![Duration::ZERO; plan.steps.len()];
        for i in (0..plan.steps.len().saturating_sub(1)).rev() {
            expected_after[i] = expected_after[i + 1] + plan.steps[i + 1].timing.expected();
        }
        Self {
            expected_after: expected_after.into(),
            plan,
            settings,
            state: State::Ready,
            clock: SessionClock::default(),
            run: StepRun::new(0, Duration::ZERO),
            latest_reading: MonotonicTime::ZERO,
            summary: Summary::default(),
        }
    }

    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    pub fn settings(&self) -> EngineSettings {
        self.settings
    }

    /// Takes effect from the next step end.
    pub fn set_auto_advance(&mut self, auto_advance: bool) {
        self.settings.auto_advance = auto_advance;
    }

    pub fn summary(&self) -> Summary {
        self.summary
    }

    pub fn current_step(&self) -> Option<&PlannedStep> {
        self.plan.steps.get(self.run.index)
    }

    pub fn next_step(&self) -> Option<&PlannedStep> {
        self.plan.steps.get(self.run.index + 1)
    }

    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Readings never go backwards, whatever the caller passes.
    fn observe(&mut self, now: MonotonicTime) -> MonotonicTime {
        self.latest_reading = self.latest_reading.max(now);
        self.latest_reading
    }

    /// Reports everything that fell due up to `now`, in order. Call it whenever convenient: late or irregular calls
    /// change only how late events are noticed, never when they were due.
    pub fn advance(&mut self, now: MonotonicTime) -> Vec<Event> {
        let now = self.observe(now);
        let mut events = Vec::new();
        self.catch_up(now, &mut events);
        events
    }

    /// Applies a command at `now`, after reporting whatever fell due before it.
    pub fn apply(&mut self, command: Command, now: MonotonicTime) -> Outcome {
        let now = self.observe(now);
        let mut events = Vec::new();
        self.catch_up(now, &mut events);
        let rejected = self.execute(command, now, &mut events).err();
        Outcome { events, rejected }
    }

    /// When the next event falls due if nothing else happens, or `None` while nothing is running.
    pub fn next_deadline(&self) -> Option<MonotonicTime> {
        if self.state != State::Running {
            return None;
        }
        let step = self.current_step()?;
        let run = &self.run;
        let edge = boundary(step, run.extension, run.counting_up()).offset();
        let next = match next_cues_after(step, run.extension, run.horizon) {
            Some((cue, _)) if cue < edge => cue,
            _ => edge,
        };
        Some(self.clock.monotonic_at(run.started + next))
    }

    /// The monotonic time at which the session clock showed (or will show, if nothing pauses it) `session_time`.
    /// This is how an event's `scheduled` time becomes a moment to play its chime.
    pub fn monotonic_time_of(&self, session_time: Duration) -> MonotonicTime {
        self.clock.monotonic_at(session_time)
    }

    fn session_time(&self, now: MonotonicTime) -> Duration {
        match self.state {
            State::Ready => Duration::ZERO,
            _ => self.clock.session_time(now),
        }
    }

    fn event(&self, kind: EventKind, scheduled: Duration, actual: Duration) -> Event {
        Event { kind, step: self.run.index, scheduled, actual }
    }

    fn catch_up(&mut self, now: MonotonicTime, events: &mut Vec<Event>) {
        if self.state != State::Running {
            return;
        }
        let t = self.clock.session_time(now);
        while self.state == State::Running {
            let Some(step) = self.plan.steps.get(self.run.index) else { return };
            let run = self.run;
            let rel = t.saturating_sub(run.started);
            let edge = boundary(step, run.extension, run.counting_up());
            let mut horizon = run.horizon;
            while let Some((offset, cues)) = next_cues_after(step, run.extension, horizon) {
                // A cue on the very end is replaced by the end itself; one on the minimum rings with it.
                let inside = match edge {
                    Boundary::Minimum(min) => offset <= min,
                    Boundary::End(end) => offset < end,
                };
                if !inside || offset > rel {
                    break;
                }
                let scheduled = run.started + offset;
                if t.saturating_sub(scheduled) <= self.settings.stale_cue_after {
                    for cue in cues.as_slice() {
                        events.push(self.event(EventKind::Cue(*cue), scheduled, t));
                    }
                }
                horizon = offset;
            }
            self.run.horizon = horizon;
            if rel < edge.offset() {
                self.run.horizon = rel;
                return;
            }
            let scheduled = run.started + edge.offset();
            self.run.horizon = edge.offset();
            match edge {
                Boundary::Minimum(min) => {
                    self.run.minimum_at = Some(min);
                    events.push(self.event(EventKind::MinimumReached, scheduled, t));
                }
                Boundary::End(_) => {
                    let reason = match step.timing {
                        Timing::Fixed(_) => FinishReason::TimeUp,
                        Timing::UntilRelease { .. } => FinishReason::MaxReached,
                    };
                    self.finish_step(reason, scheduled, t, events);
                    self.after_step(scheduled, t, events);
                }
            }
        }
    }

    fn finish_step(&mut self, reason: FinishReason, scheduled: Duration, actual: Duration, events: &mut Vec<Event>) {
        if reason.is_completion() {
            self.summary.steps_completed += 1;
        } else if reason == FinishReason::Skipped {
            self.summary.steps_skipped += 1;
        }
        events.push(self.event(EventKind::StepFinished { reason }, scheduled, actual));
    }

    /// After a step ended on its own (time, release, maximum): finish, wait, or go on.
    fn after_step(&mut self, ended: Duration, actual: Duration, events: &mut Vec<Event>) {
        if self.run.index + 1 >= self.plan.steps.len() {
            self.finish_session(true, ended, actual, events);
        } else if self.settings.auto_advance {
            self.begin_step(self.run.index + 1, ended, actual, events);
        } else {
            self.state = State::Waiting;
            self.clock.freeze_at_session_time(ended);
            self.summary.session_elapsed = ended;
        }
    }

    fn finish_session(&mut self, completed: bool, at: Duration, actual: Duration, events: &mut Vec<Event>) {
        self.state = State::Finished;
        self.clock.freeze_at_session_time(at);
        self.summary.session_elapsed = at;
        self.summary.completed = completed;
        events.push(self.event(EventKind::SessionFinished { completed }, at, actual));
    }

    fn begin_step(&mut self, index: usize, at: Duration, actual: Duration, events: &mut Vec<Event>) {
        self.run = StepRun::new(index, at);
        self.state = State::Running;
        events.push(self.event(EventKind::StepStarted, at, actual));
        if let Some(StepRole::SideSwitch { to }) = self.plan.steps.get(index).map(|s| s.role) {
            events.push(self.event(EventKind::SideSwitch { to }, at, actual));
        }
    }

    /// Leaves the paused or waiting state so the clock runs again from `now`.
    fn thaw(&mut self, now: MonotonicTime) {
        self.clock.thaw(now);
        self.state = State::Running;
    }

    fn execute(&mut self, command: Command, now: MonotonicTime, events: &mut Vec<Event>) -> Result<(), Rejection> {
        let t = self.session_time(now);
        match (command, self.state) {
            (_, State::Finished) => Err(Rejection::SessionFinished),
            (Command::Start | Command::TogglePause, State::Ready) => {
                self.clock = SessionClock { origin: now, ..SessionClock::default() };
                if self.plan.steps.is_empty() {
                    // Nothing to play: finish at once rather than wait forever for a step that does not exist.
                    self.finish_session(true, Duration::ZERO, Duration::ZERO, events);
                } else {
                    self.begin_step(0, Duration::ZERO, Duration::ZERO, events);
                }
                Ok(())
            }
            (Command::Start, _) => Err(Rejection::AlreadyStarted),
            (_, State::Ready) => Err(Rejection::NotStarted),

            (Command::Pause | Command::TogglePause, State::Running) => {
                self.state = State::Paused;
                self.clock.frozen_at = Some(now);
                events.push(self.event(EventKind::Paused, t, t));
                Ok(())
            }
            (Command::Pause, State::Paused) => Err(Rejection::AlreadyPaused),
            (Command::Pause, State::Waiting) => Err(Rejection::Waiting),
            (Command::Resume | Command::TogglePause, State::Paused) => {
                self.thaw(now);
                events.push(self.event(EventKind::Resumed, t, t));
                Ok(())
            }
            (Command::Resume | Command::TogglePause | Command::Next, State::Waiting) => {
                self.thaw(now);
                self.begin_step(self.run.index + 1, t, t, events);
                Ok(())
            }
            (Command::Resume, State::Running) => Err(Rejection::NotPaused),

            (Command::Next, State::Running | State::Paused) => {
                self.resume_for_navigation(now, t, events);
                self.finish_step(FinishReason::Skipped, t, t, events);
                if self.run.index + 1 >= self.plan.steps.len() {
                    self.finish_session(true, t, t, events);
                } else {
                    self.begin_step(self.run.index + 1, t, t, events);
                }
                Ok(())
            }
            (Command::Previous, State::Running | State::Paused) => {
                self.resume_for_navigation(now, t, events);
                self.finish_step(FinishReason::Back, t, t, events);
                self.begin_step(self.previous_written_step(), t, t, events);
                Ok(())
            }
            (Command::RestartStep, State::Running | State::Paused) => {
                self.resume_for_navigation(now, t, events);
                self.finish_step(FinishReason::Restarted, t, t, events);
                self.begin_step(self.run.index, t, t, events);
                Ok(())
            }
            // Waiting: the step that just ended is the one "back" and "restart" return to.
            (Command::Previous | Command::RestartStep, State::Waiting) => {
                self.thaw(now);
                self.begin_step(self.run.index, t, t, events);
                Ok(())
            }

            (Command::Extend(by), _) if by.is_zero() => Err(Rejection::ZeroExtension),
            (Command::Extend(by), State::Running | State::Paused) => {
                self.run.extension += by;
                self.summary.extensions += 1;
                self.summary.extended_by += by;
                events.push(self.event(EventKind::Extended { by }, t, t));
                Ok(())
            }
            (Command::Extend(_), State::Waiting) => Err(Rejection::StepEnded),

            (Command::MarkReleased, State::Running | State::Paused) => {
                self.summary.releases += 1;
                events.push(self.event(EventKind::Released, t, t));
                let open_ended = self.current_step().is_some_and(|s| matches!(s.timing, Timing::UntilRelease { .. }));
                if open_ended {
                    self.resume_for_navigation(now, t, events);
                    self.finish_step(FinishReason::Released, t, t, events);
                    self.after_step(t, t, events);
                }
                Ok(())
            }
            (Command::MarkReleased, State::Waiting) => Err(Rejection::Waiting),

            (Command::Stop, State::Running | State::Paused) => {
                self.finish_step(FinishReason::Stopped, t, t, events);
                self.finish_session(false, t, t, events);
                Ok(())
            }
            (Command::Stop, State::Waiting) => {
                self.finish_session(false, t, t, events);
                Ok(())
            }
        }
    }

    /// The step "back" goes to: the one before, passing over side-switch pauses (back from the right side returns to
    /// the left side, not to the pause between them).
    fn previous_written_step(&self) -> usize {
        let mut index = self.run.index.saturating_sub(1);
        while index > 0 && self.plan.steps[index].is_side_switch() {
            index -= 1;
        }
        index
    }

    /// Moving between steps while paused resumes the session: a new step starting silently paused helps nobody.
    fn resume_for_navigation(&mut self, now: MonotonicTime, t: Duration, events: &mut Vec<Event>) {
        if self.state == State::Paused {
            self.thaw(now);
            events.push(self.event(EventKind::Resumed, t, t));
        }
    }

    /// Where the session is at `now`, while it is in progress (started, not finished).
    pub fn position(&self, now: MonotonicTime) -> Option<Position> {
        let hold = match self.state {
            State::Running => Hold::Running,
            State::Paused => Hold::Paused,
            State::Waiting => Hold::Waiting,
            State::Ready | State::Finished => return None,
        };
        let session_elapsed = self.session_time(self.latest_reading.max(now));
        Some(Position {
            step_index: self.run.index,
            step_elapsed: session_elapsed.saturating_sub(self.run.started),
            extension: self.run.extension,
            session_elapsed,
            hold,
            summary: Summary { session_elapsed, ..self.summary },
        })
    }

    /// A session put back where `position` says, as of `now`: the same step, time into it, extension, summary, and
    /// paused or waiting as it was. Nothing is reported for what happened before; cues due after the position ring as
    /// usual.
    pub fn restore(
        plan: Arc<Plan>,
        settings: EngineSettings,
        position: &Position,
        now: MonotonicTime,
    ) -> Result<Engine, RestoreError> {
        let mut engine = Engine::new(plan, settings);
        let steps = engine.plan.steps.len();
        let step = engine
            .plan
            .steps
            .get(position.step_index)
            .ok_or(RestoreError::NoSuchStep { index: position.step_index, steps })?;
        let mut run = StepRun::new(position.step_index, position.session_elapsed.saturating_sub(position.step_elapsed));
        run.extension = position.extension;
        if let Boundary::Minimum(minimum) = boundary(step, run.extension, false)
            && position.step_elapsed >= minimum
        {
            run.minimum_at = Some(minimum);
        }
        let end = boundary(step, run.extension, true).offset();
        if position.step_elapsed > end {
            return Err(RestoreError::PastTheStep);
        }
        run.horizon = position.step_elapsed;
        engine.run = run;
        engine.latest_reading = now;
        engine.summary = Summary { session_elapsed: position.session_elapsed, completed: false, ..position.summary };
        engine.clock = SessionClock { origin: now, base: position.session_elapsed, ..SessionClock::default() };
        engine.state = match position.hold {
            Hold::Running => State::Running,
            Hold::Paused => State::Paused,
            Hold::Waiting => State::Waiting,
        };
        if engine.state != State::Running {
            engine.clock.frozen_at = Some(now);
        }
        Ok(engine)
    }

    /// What a screen needs to draw the session at `now`.
    pub fn snapshot(&self, now: MonotonicTime) -> Snapshot {
        let now = self.latest_reading.max(now);
        let session_elapsed = self.session_time(now);
        let step_count = self.plan.steps.len();
        let index = self.run.index.min(step_count.saturating_sub(1));
        let later_steps = self.expected_after.get(index).copied().unwrap_or_default();
        let ended = matches!(self.state, State::Waiting | State::Finished);
        let run = if self.state == State::Ready { StepRun::new(0, Duration::ZERO) } else { self.run };
        let counting_up = run.counting_up() && !ended;

        let (step_elapsed, step_target) = match self.plan.steps.get(index) {
            Some(step) => {
                let target = boundary(step, run.extension, run.counting_up()).offset();
                (session_elapsed.saturating_sub(run.started).min(target), target)
            }
            None => (Duration::ZERO, Duration::ZERO),
        };
        let step_remaining = if ended { Duration::ZERO } else { step_target.saturating_sub(step_elapsed) };
        let step_progress = match (ended, run.minimum_at) {
            (true, _) => 1.0,
            // Past the minimum the countdown is done; the ring stays full while the hold counts up.
            (false, Some(_)) => 1.0,
            (false, None) => ratio(step_elapsed, step_target),
        };
        let count_up = run.minimum_at.filter(|_| !ended).map(|minimum| step_elapsed.saturating_sub(minimum));
        let countdown_left = if counting_up { Duration::ZERO } else { step_remaining };
        let session_remaining =
            if self.state == State::Finished { Duration::ZERO } else { countdown_left + later_steps };

        Snapshot {
            phase: match self.state {
                State::Ready => Phase::Ready,
                State::Running if counting_up => Phase::CountingUp,
                State::Running => Phase::Running,
                State::Paused => Phase::Paused,
                State::Waiting => Phase::Waiting,
                State::Finished => Phase::Finished,
            },
            step_index: index,
            step_count,
            next_step_index: (index + 1 < step_count && self.state != State::Finished).then_some(index + 1),
            step_elapsed,
            step_remaining,
            step_target,
            step_progress,
            counting_up,
            count_up,
            extension: run.extension,
            session_elapsed,
            session_remaining,
        }
    }
}
