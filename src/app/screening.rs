//! Screening before a session: the questions for a sequence, the answers given, and whether it may start.

use std::sync::Arc;

use chrono::Utc;

use crate::i18n::tr;
use crate::sequence::{Precaution, Sequence};
use crate::store::{ScreeningAnswer, SessionRecord};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub precaution: Precaution,
    pub text: String,
    pub advice: String,
    pub answer: Option<bool>,
}

pub struct ScreeningController {
    sequence: Arc<Sequence>,
    answers: Vec<(Precaution, Option<bool>)>,
    confirm_proceed: bool,
}

/// What the user's choice on the screening screen leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Start the session with this record (screening answers included).
    Start(Box<SessionRecord>),
    /// Ask once more before starting: something was answered "yes".
    Confirm,
    Stay,
}

impl ScreeningController {
    pub fn new(sequence: Arc<Sequence>) -> Self {
        let answers = sequence.screening().into_iter().map(|p| (p, None)).collect();
        Self { sequence, answers, confirm_proceed: false }
    }

    pub fn sequence(&self) -> &Arc<Sequence> {
        &self.sequence
    }

    pub fn questions(&self) -> Vec<Question> {
        self.answers
            .iter()
            .map(|(precaution, answer)| Question {
                precaution: *precaution,
                text: tr(precaution.question()),
                advice: tr(precaution.advice()),
                answer: *answer,
            })
            .collect()
    }

    pub fn yes_count(&self) -> usize {
        self.answers.iter().filter(|(_, a)| *a == Some(true)).count()
    }

    pub fn confirm_proceed(&self) -> bool {
        self.confirm_proceed
    }

    pub fn answer(&mut self, index: usize, yes: bool) {
        if let Some((_, answer)) = self.answers.get_mut(index) {
            *answer = Some(yes);
        }
    }

    /// "None apply": every unanswered question counts as no. Starts unless something was already answered yes.
    pub fn none_apply(&mut self) -> Decision {
        if self.yes_count() > 0 {
            return self.proceed();
        }
        for (_, answer) in &mut self.answers {
            answer.get_or_insert(false);
        }
        Decision::Start(Box::new(self.record(false)))
    }

    /// "Proceed with care": asks for confirmation first.
    pub fn proceed(&mut self) -> Decision {
        if self.yes_count() == 0 {
            return self.none_apply();
        }
        self.confirm_proceed = true;
        Decision::Confirm
    }

    pub fn answer_confirmation(&mut self, proceed: bool) -> Decision {
        self.confirm_proceed = false;
        if proceed && self.yes_count() > 0 { Decision::Start(Box::new(self.record(true))) } else { Decision::Stay }
    }

    fn record(&self, proceeded_despite_yes: bool) -> SessionRecord {
        SessionRecord {
            sequence_id: self.sequence.id().to_owned(),
            sequence_title: self.sequence.title().to_owned(),
            started_at: Utc::now(),
            ended_at: None,
            screening: self
                .answers
                .iter()
                .map(|(precaution, yes)| ScreeningAnswer { precaution: *precaution, yes: *yes })
                .collect(),
            proceeded_despite_yes,
            steps_total: self.sequence.played_step_count(),
            steps_completed: 0,
            steps_skipped: 0,
            extensions: 0,
            extended_by: Default::default(),
            releases: 0,
            session_time: Default::default(),
            completed: false,
        }
    }
}
