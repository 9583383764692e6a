//! The offer to resume a session the app went away during: which sequence, where it was, and whether it can still
//! be played as it was (the file may have changed or gone since).

use std::sync::Arc;
use std::time::Duration;

use super::library::LibraryController;
use crate::engine::{Engine, MonotonicTime, RestoreError};
use crate::sequence::Sequence;
use crate::sequence::library::read_sequence_file;
use crate::store::{Checkpoint, Settings};

/// Why an interrupted session can only be discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeProblem {
    /// No sequence with its id is in the library any more.
    Vanished,
    /// The sequence file was edited since: its steps may not line up.
    Changed,
    /// The position does not fit the sequence.
    Unplayable(RestoreError),
}

#[derive(Debug, Clone)]
pub struct ResumeOffer {
    pub checkpoint: Checkpoint,
    /// The sequence, when it is still there.
    pub sequence: Option<Arc<Sequence>>,
    pub problem: Option<ResumeProblem>,
    /// 1-based step and the step count, for "step 3 of 8".
    pub step_number: usize,
    pub step_count: usize,
    /// What the countdown showed: time left in the step (zero for an open-ended hold counting up).
    pub step_left: Duration,
    pub session_left: Duration,
    pub paused: bool,
}

impl ResumeOffer {
    pub fn new(checkpoint: Checkpoint, library: &LibraryController, settings: &Settings, now: MonotonicTime) -> Self {
        let record = &checkpoint.record;
        let sequence = library.find(&record.sequence_id).or_else(|| {
            let path = checkpoint.sequence_path.as_ref()?;
            read_sequence_file(path).ok().filter(|s| s.id() == record.sequence_id).map(Arc::new)
        });
        let position = checkpoint.position();
        let mut offer = ResumeOffer {
            sequence: sequence.clone(),
            problem: None,
            step_number: position.step_index + 1,
            step_count: record.steps_total,
            step_left: Duration::ZERO,
            session_left: Duration::ZERO,
            paused: position.hold != crate::engine::Hold::Running,
            checkpoint,
        };
        let Some(sequence) = sequence else {
            offer.problem = Some(ResumeProblem::Vanished);
            return offer;
        };
        if sequence.content_hash() != offer.checkpoint.record.sequence_hash {
            offer.problem = Some(ResumeProblem::Changed);
            return offer;
        }
        let plan = Arc::new(sequence.plan(&settings.cue_defaults()));
        match Engine::restore(plan, settings.engine(), &position, now) {
            Ok(engine) => {
                let snapshot = engine.snapshot(now);
                offer.step_count = snapshot.step_count;
                offer.step_left = if snapshot.counting_up { Duration::ZERO } else { snapshot.step_remaining };
                offer.session_left = snapshot.session_remaining;
            }
            Err(err) => offer.problem = Some(ResumeProblem::Unplayable(err)),
        }
        offer
    }

    pub fn title(&self) -> &str {
        &self.checkpoint.record.sequence_title
    }

    /// The title in `reader`'s language when the sequence is still there and translates it.
    pub fn title_in(&self, reader: &str) -> &str {
        match &self.sequence {
            Some(sequence) if sequence.id() == self.checkpoint.record.sequence_id => sequence.title_in(reader),
            _ => self.title(),
        }
    }
}
