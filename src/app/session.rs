//! The session as the window sees it: the session driver, the record, the stop question, and a view model of plain
//! strings and numbers. No Slint here, so it is tested without a display.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::audio::ChimeOutput;
use crate::cues::ChimeKind;
use crate::display;
use crate::driver::{Persist, SessionDriver};
use crate::engine::{Clock, Command, Engine, EngineSettings, Outcome, Phase, RestoreError};
use crate::sequence::{Plan, PlannedStep, Sequence, Timing};
use crate::store::{Checkpoint, SessionRecord};
use crate::voice::SessionVoice;

/// How long the countdown panel glows after a cue.
pub const FLASH_FOR: Duration = Duration::from_millis(1200);
/// How long a cue's words stay on screen.
pub const CUE_TEXT_FOR: Duration = Duration::from_secs(8);

/// Where a step of the outline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    Skipped,
    Current,
    Upcoming,
}

/// Everything the session screen shows, as typed values: the view words them.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionViewModel {
    pub sequence_title: String,
    pub step_number: usize,
    pub step_count: usize,
    pub step: Option<PlannedStep>,
    pub next: Option<PlannedStep>,
    pub clock_text: String,
    /// The clock in whole seconds, for a screen reader.
    pub clock_seconds: u64,
    pub phase: Phase,
    pub counting_up: bool,
    pub open_ended: bool,
    pub progress: f32,
    pub session_left: Duration,
    pub extension: Duration,
    /// The latest cue while its words stay on screen, with its offset for an offset cue.
    pub cue: Option<(ChimeKind, Option<Duration>)>,
    pub flash: bool,
    pub confirm_stop: bool,
}

pub struct SessionController {
    sequence: Arc<Sequence>,
    driver: SessionDriver,
    confirm_stop: bool,
}

impl SessionController {
    /// Starts `plan` (built from `sequence` with the user's cue defaults and language) at once: screening has just
    /// been passed.
    pub fn start(
        sequence: Arc<Sequence>,
        plan: Arc<Plan>,
        settings: EngineSettings,
        clock: Rc<dyn Clock>,
        record: SessionRecord,
        voice: Option<SessionVoice>,
        chimes: &mut dyn ChimeOutput,
    ) -> Self {
        let mut controller =
            Self { driver: SessionDriver::new(plan, settings, clock, record), sequence, confirm_stop: false };
        controller.driver.set_voice(voice);
        chimes.open();
        controller.command(Command::Start, chimes);
        controller
    }

    /// Puts a session of `plan` back from its checkpoint, as it was when the app went away.
    pub fn resume(
        sequence: Arc<Sequence>,
        plan: Arc<Plan>,
        settings: EngineSettings,
        clock: Rc<dyn Clock>,
        checkpoint: &Checkpoint,
        voice: Option<SessionVoice>,
        chimes: &mut dyn ChimeOutput,
    ) -> Result<Self, RestoreError> {
        let mut driver = SessionDriver::resume(plan, settings, clock, checkpoint)?;
        driver.set_voice(voice);
        chimes.open();
        Ok(Self { driver, sequence, confirm_stop: false })
    }

    pub fn sequence(&self) -> &Arc<Sequence> {
        &self.sequence
    }

    pub fn set_sequence_path(&mut self, path: Option<std::path::PathBuf>) {
        self.driver.set_sequence_path(path);
    }

    /// What to hand to the store now (see [`SessionDriver::take_persist`]).
    pub fn take_persist(&mut self) -> Option<Persist> {
        self.driver.take_persist()
    }

    pub fn checkpoint_now(&mut self) -> Option<Checkpoint> {
        self.driver.checkpoint_now()
    }

    pub fn engine(&self) -> &Engine {
        self.driver.engine()
    }

    pub fn is_finished(&self) -> bool {
        self.engine().is_finished()
    }

    /// What the session has done so far.
    pub fn record(&self) -> &SessionRecord {
        self.driver.record()
    }

    pub fn set_auto_advance(&mut self, auto_advance: bool, chimes: &mut dyn ChimeOutput) {
        self.driver.set_auto_advance(auto_advance, chimes);
    }

    pub fn command(&mut self, command: Command, chimes: &mut dyn ChimeOutput) -> Outcome {
        self.driver.apply(command, chimes)
    }

    /// Reports whatever fell due; call it when [`SessionController::next_wake`] says so.
    pub fn tick(&mut self, chimes: &mut dyn ChimeOutput) {
        self.driver.tick(chimes);
    }

    pub fn confirm_stop(&self) -> bool {
        self.confirm_stop
    }

    pub fn ask_to_stop(&mut self) {
        if !self.is_finished() {
            self.confirm_stop = true;
        }
    }

    pub fn answer_stop(&mut self, stop: bool, chimes: &mut dyn ChimeOutput) {
        self.confirm_stop = false;
        if stop {
            self.command(Command::Stop, chimes);
        }
    }

    /// Real time until the screen next needs a refresh: the next engine event (or the moment to queue its chime),
    /// the countdown's next second, or the end of a cue's glow. `None` when nothing will change by itself.
    pub fn next_wake(&self) -> Option<Duration> {
        let now = self.driver.now();
        let mut wake: Option<Duration> = None;
        let mut consider = |at: Option<Duration>| {
            if let Some(at) = at {
                wake = Some(wake.map_or(at, |w| w.min(at)));
            }
        };
        consider(self.driver.next_wake().map(|at| at.saturating_since(now)));
        let snapshot = self.engine().snapshot(now);
        if matches!(snapshot.phase, Phase::Running | Phase::CountingUp) {
            let clock_changes = match snapshot.count_up {
                Some(up) => Duration::from_secs(1) - Duration::from_nanos(u64::from(up.subsec_nanos())),
                None => display::until_countdown_changes(snapshot.step_remaining),
            };
            consider(Some(clock_changes));
        }
        if let Some(cue) = self.driver.last_cue() {
            let shown_for = now.saturating_since(cue.at);
            for limit in [FLASH_FOR, CUE_TEXT_FOR] {
                if shown_for < limit {
                    consider(Some(limit - shown_for));
                }
            }
        }
        wake
    }

    /// What the session screen shows now, with the sequence's title in `reader`'s language.
    pub fn view(&self, reader: &str) -> SessionViewModel {
        let now = self.driver.now();
        let snapshot = self.engine().snapshot(now);
        let plan = self.engine().plan();
        let step = plan.steps.get(snapshot.step_index);
        let (clock_text, clock_seconds) = match snapshot.count_up {
            Some(up) => (format!("+{}", display::count_up(up)), up.as_secs()),
            None => {
                (display::countdown(snapshot.step_remaining), snapshot.step_remaining.as_millis().div_ceil(1000) as u64)
            }
        };
        let cue = self.driver.last_cue();
        let shown_for = cue.map(|cue| now.saturating_since(cue.at));
        SessionViewModel {
            sequence_title: self.sequence.title_in(reader).to_owned(),
            step_number: snapshot.step_index + 1,
            step_count: snapshot.step_count,
            step: step.cloned(),
            next: snapshot.next_step_index.and_then(|i| plan.steps.get(i)).cloned(),
            clock_text,
            clock_seconds,
            phase: snapshot.phase,
            counting_up: snapshot.counting_up,
            open_ended: step.is_some_and(|s| matches!(s.timing, Timing::UntilRelease { .. })),
            progress: snapshot.step_progress,
            session_left: snapshot.session_remaining,
            extension: snapshot.extension,
            cue: match (shown_for, cue) {
                (Some(shown), Some(cue)) if shown < CUE_TEXT_FOR && cue.kind != ChimeKind::RhythmTick => {
                    Some((cue.kind, cue.offset))
                }
                _ => None,
            },
            flash: shown_for.is_some_and(|shown| shown < FLASH_FOR),
            confirm_stop: self.confirm_stop,
        }
    }

    /// Every step of the plan and where it stands: the last run of each step decides done or skipped.
    pub fn outline(&self) -> Vec<StepState> {
        let current = self.engine().snapshot(self.driver.now()).step_index;
        let mut states = vec![StepState::Upcoming; self.engine().plan().len()];
        for run in &self.record().steps {
            if let Some(state) = states.get_mut(run.step.saturating_sub(1)) {
                *state = if run.ended.is_completion() { StepState::Done } else { StepState::Skipped };
            }
        }
        if let Some(state) = states.get_mut(current) {
            *state = StepState::Current;
        }
        states
    }
}

/// The characters of a clock text, one per fixed-width cell in the view.
pub fn clock_glyphs(clock_text: &str) -> Vec<String> {
    clock_text.chars().map(String::from).collect()
}

/// The width of a clock text in em, with the view's cell widths (digit 0.64, colon 0.34, plus 0.6), so the view
/// can make the clock as large as its panel allows.
pub fn clock_width_em(clock_text: &str) -> f32 {
    clock_text
        .chars()
        .map(|c| match c {
            ':' => 0.34,
            '+' => 0.6,
            _ => 0.64,
        })
        .sum()
}
