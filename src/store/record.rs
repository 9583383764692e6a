//! The record of one session, as the history keeps it: what was played, when, the screening answers and ratings,
//! and what happened at every step. It is built from the engine's events, so the window and the terminal keep the
//! same record.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local};
use serde::{Deserialize, Serialize};

use crate::engine::{Event, EventKind, FinishReason, Summary};
use crate::sequence::{Plan, Precaution, Sequence, Technique, Timing};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningAnswer {
    pub precaution: Precaution,
    /// `None` when the question was not answered ("none apply" was pressed).
    pub yes: Option<bool>,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SessionOutcome {
    /// Still running (only ever seen inside a resume checkpoint).
    #[default]
    InProgress,
    Completed,
    /// Stopped by the user, or never resumed after the app was killed (see `interrupted`).
    Stopped,
}

/// How one run of a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepEnd {
    TimeUp,
    Released,
    MaxReached,
    Skipped,
    Back,
    Restarted,
    Stopped,
}

impl From<FinishReason> for StepEnd {
    fn from(reason: FinishReason) -> Self {
        match reason {
            FinishReason::TimeUp => StepEnd::TimeUp,
            FinishReason::Released => StepEnd::Released,
            FinishReason::MaxReached => StepEnd::MaxReached,
            FinishReason::Skipped => StepEnd::Skipped,
            FinishReason::Back => StepEnd::Back,
            FinishReason::Restarted => StepEnd::Restarted,
            FinishReason::Stopped => StepEnd::Stopped,
        }
    }
}

impl StepEnd {
    /// Whether the step counts as done (as opposed to cut short by the user).
    pub const fn is_completion(self) -> bool {
        matches!(self, StepEnd::TimeUp | StepEnd::Released | StepEnd::MaxReached)
    }

    pub const fn code(self) -> &'static str {
        match self {
            StepEnd::TimeUp => "time_up",
            StepEnd::Released => "released",
            StepEnd::MaxReached => "max_reached",
            StepEnd::Skipped => "skipped",
            StepEnd::Back => "back",
            StepEnd::Restarted => "restarted",
            StepEnd::Stopped => "stopped",
        }
    }
}

/// One run of a step (a step played again after "back" or "restart" has a record per run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// The step as played, 1-based (sides and repeats expanded).
    pub step: usize,
    /// The author's title; none for an untitled step (named by its technique) and a side switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub technique: Technique,
    /// A pause to move to the other side, made by the player between the sides of a step.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub side_switch: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// The written length; for an open-ended hold, its minimum.
    #[serde(with = "seconds")]
    pub planned_seconds: Duration,
    #[serde(default)]
    pub open_ended: bool,
    #[serde(with = "seconds")]
    pub actual_seconds: Duration,
    #[serde(default)]
    pub extensions: u32,
    #[serde(default, with = "seconds")]
    pub extended_seconds: Duration,
    /// Time into the hold when a release was marked.
    #[serde(default, with = "optional_seconds", skip_serializing_if = "Option::is_none")]
    pub released_at: Option<Duration>,
    pub ended: StepEnd,
}

impl StepRecord {
    pub fn skipped(&self) -> bool {
        self.ended == StepEnd::Skipped
    }
}

/// The step run under way, kept so a checkpoint can carry it across a restart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunInProgress {
    /// Index of the played step, 0-based.
    pub index: usize,
    #[serde(with = "seconds")]
    pub started: Duration,
    pub extensions: u32,
    #[serde(with = "seconds")]
    pub extended: Duration,
    #[serde(default, with = "optional_seconds", skip_serializing_if = "Option::is_none")]
    pub released_at: Option<Duration>,
}

/// One line of a history file. Unknown fields are ignored, so lines written by newer versions still load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Unique across devices: the device id, the start time and a random part.
    pub id: String,
    /// A record written again (the after-rating given on the aftercare screen) supersedes the earlier line with
    /// the same id by a higher revision.
    #[serde(default)]
    pub revision: u32,
    #[serde(default)]
    pub device: String,
    pub sequence_id: String,
    pub sequence_title: String,
    /// Fingerprint of the sequence file the session played (see `Sequence::content_hash`).
    #[serde(default)]
    pub sequence_hash: String,
    pub started_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub ended_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub outcome: SessionOutcome,
    /// The step a stopped session ended on, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at_step: Option<usize>,
    pub steps_total: usize,
    /// Ended by the resume path (the app was closed or killed and the session was discarded, not stopped).
    #[serde(default)]
    pub interrupted: bool,
    #[serde(default)]
    pub steps: Vec<StepRecord>,
    #[serde(default)]
    pub screening: Vec<ScreeningAnswer>,
    /// Whether the therapist chose to go ahead despite a "yes".
    #[serde(default)]
    pub proceeded_despite_yes: bool,
    /// "How much tension or discomfort right now?", 0–10, before and after.
    #[serde(default)]
    pub rating_before: Option<u8>,
    #[serde(default)]
    pub rating_after: Option<u8>,
    #[serde(default)]
    pub steps_completed: u32,
    #[serde(default)]
    pub steps_skipped: u32,
    #[serde(default)]
    pub extensions: u32,
    #[serde(default, with = "seconds")]
    pub extended_by: Duration,
    #[serde(default)]
    pub releases: u32,
    #[serde(default, with = "seconds")]
    pub session_time: Duration,
    /// The run under way; only ever set inside a resume checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_run: Option<RunInProgress>,
}

/// The ratings scale's top: 0 is none, 10 the worst imaginable.
pub const RATING_MAX: u8 = 10;

impl SessionRecord {
    /// A record for a session of `sequence` that starts now on `device`, shown in `reader`'s language: the record
    /// keeps the title as the session showed it, like its steps.
    pub fn begin(sequence: &Sequence, device: &str, reader: &str) -> Self {
        let title = sequence.title_in(reader);
        Self::new(sequence.id(), title, sequence.content_hash(), sequence.played_step_count(), device)
    }

    /// A record for a session starting now, from its parts (for plans built without a file, as in tests).
    pub fn new(sequence_id: &str, title: &str, hash: &str, steps_total: usize, device: &str) -> Self {
        let started_at = now_local();
        Self {
            id: record_id(device, started_at),
            revision: 0,
            device: device.to_owned(),
            sequence_id: sequence_id.to_owned(),
            sequence_title: title.to_owned(),
            sequence_hash: hash.to_owned(),
            started_at,
            ended_at: None,
            outcome: SessionOutcome::InProgress,
            stopped_at_step: None,
            steps_total,
            interrupted: false,
            steps: Vec::new(),
            screening: Vec::new(),
            proceeded_despite_yes: false,
            rating_before: None,
            rating_after: None,
            steps_completed: 0,
            steps_skipped: 0,
            extensions: 0,
            extended_by: Duration::ZERO,
            releases: 0,
            session_time: Duration::ZERO,
            current_run: None,
        }
    }

    pub fn yes_answers(&self) -> usize {
        self.screening.iter().filter(|a| a.yes == Some(true)).count()
    }

    pub fn completed(&self) -> bool {
        self.outcome == SessionOutcome::Completed
    }

    /// Whether the session has ended (completed or stopped).
    pub fn is_final(&self) -> bool {
        self.outcome != SessionOutcome::InProgress
    }

    /// The summary the engine would give for what this record has seen: what a resumed engine starts from.
    pub fn summary(&self) -> Summary {
        Summary {
            steps_completed: self.steps_completed,
            steps_skipped: self.steps_skipped,
            extensions: self.extensions,
            extended_by: self.extended_by,
            releases: self.releases,
            session_elapsed: self.session_time,
            completed: self.completed(),
        }
    }

    /// Takes in what the engine reported: step runs, extensions, releases and the end.
    pub fn observe(&mut self, events: &[Event], plan: &Plan) {
        for event in events {
            self.session_time = self.session_time.max(event.scheduled);
            match event.kind {
                EventKind::StepStarted => {
                    self.current_run = Some(RunInProgress {
                        index: event.step,
                        started: event.scheduled,
                        extensions: 0,
                        extended: Duration::ZERO,
                        released_at: None,
                    });
                }
                EventKind::Extended { by } => {
                    self.extensions += 1;
                    self.extended_by += by;
                    if let Some(run) = &mut self.current_run {
                        run.extensions += 1;
                        run.extended += by;
                    }
                }
                EventKind::Released => {
                    self.releases += 1;
                    if let Some(run) = &mut self.current_run {
                        run.released_at.get_or_insert(event.scheduled.saturating_sub(run.started));
                    }
                }
                EventKind::StepFinished { reason } => {
                    if reason.is_completion() {
                        self.steps_completed += 1;
                    } else if reason == FinishReason::Skipped {
                        self.steps_skipped += 1;
                    }
                    let run = self.current_run.take().unwrap_or(RunInProgress {
                        index: event.step,
                        started: event.scheduled,
                        extensions: 0,
                        extended: Duration::ZERO,
                        released_at: None,
                    });
                    if let Some(step) = plan.steps.get(run.index) {
                        self.steps.push(StepRecord {
                            step: run.index + 1,
                            title: step.title.clone(),
                            technique: step.technique,
                            side_switch: step.is_side_switch(),
                            side: step.side.map(|side| side.code().to_owned()),
                            planned_seconds: step.timing.expected(),
                            open_ended: matches!(step.timing, Timing::UntilRelease { .. }),
                            actual_seconds: event.scheduled.saturating_sub(run.started),
                            extensions: run.extensions,
                            extended_seconds: run.extended,
                            released_at: run.released_at,
                            ended: reason.into(),
                        });
                    }
                    if reason == FinishReason::Stopped {
                        self.stopped_at_step = Some(event.step + 1);
                    }
                }
                EventKind::SessionFinished { completed } => {
                    self.current_run = None;
                    self.ended_at = Some(now_local());
                    if completed {
                        self.outcome = SessionOutcome::Completed;
                        self.stopped_at_step = None;
                    } else {
                        self.outcome = SessionOutcome::Stopped;
                        self.stopped_at_step.get_or_insert(event.step + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Ends a session that was never resumed (the app was closed or killed and the user discarded it): stopped at
    /// the step it was on.
    pub fn end_interrupted(&mut self) {
        if self.is_final() {
            return;
        }
        self.outcome = SessionOutcome::Stopped;
        self.interrupted = true;
        let step = self.current_run.take().map_or(self.steps.last().map_or(1, |s| s.step), |run| run.index + 1);
        self.stopped_at_step = Some(step);
        self.ended_at = Some(now_local());
    }
}

/// Now, with the local offset (history shows local days; the offset keeps the instant exact).
pub fn now_local() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

/// `<device>-<start in ms, hex>-<random>`: unique even for two sessions started in the same millisecond.
fn record_id(device: &str, started_at: DateTime<FixedOffset>) -> String {
    format!("{device}-{:x}-{:04x}", started_at.timestamp_millis(), super::random_u64() & 0xffff)
}

/// Durations as seconds with millisecond precision, readable in a spreadsheet.
pub(super) mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((d.as_millis() as f64) / 1000.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        // A damaged file must not be able to panic the app: anything unrepresentable reads as zero.
        Ok(Duration::try_from_secs_f64(secs).unwrap_or_default())
    }
}

mod optional_seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::seconds::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.map(|secs| Duration::try_from_secs_f64(secs).unwrap_or_default()))
    }
}
