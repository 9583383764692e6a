//! The record of one session: when, what, the screening answers and what happened. The aftercare screen shows it;
//! the history (a later issue) will keep it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::engine::Summary;
use crate::sequence::Precaution;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningAnswer {
    pub precaution: Precaution,
    /// `None` when the question was not answered ("none apply" was pressed).
    pub yes: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub sequence_id: String,
    pub sequence_title: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub screening: Vec<ScreeningAnswer>,
    /// Whether the therapist chose to go ahead despite a "yes".
    pub proceeded_despite_yes: bool,
    pub steps_total: usize,
    pub steps_completed: u32,
    pub steps_skipped: u32,
    pub extensions: u32,
    #[serde(with = "seconds")]
    pub extended_by: Duration,
    pub releases: u32,
    #[serde(with = "seconds")]
    pub session_time: Duration,
    pub completed: bool,
}

impl SessionRecord {
    pub fn yes_answers(&self) -> usize {
        self.screening.iter().filter(|a| a.yes == Some(true)).count()
    }

    /// Fills in what the engine's summary says happened.
    pub fn finish(&mut self, summary: &Summary, ended_at: DateTime<Utc>) {
        self.ended_at = Some(ended_at);
        self.steps_completed = summary.steps_completed;
        self.steps_skipped = summary.steps_skipped;
        self.extensions = summary.extensions;
        self.extended_by = summary.extended_by;
        self.releases = summary.releases;
        self.session_time = summary.session_elapsed;
        self.completed = summary.completed;
    }
}

mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        // A damaged file must not be able to panic the app: anything unrepresentable reads as zero.
        Ok(Duration::try_from_secs_f64(secs).unwrap_or_default())
    }
}
