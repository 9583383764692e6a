//! Screening before a session: the questions for a sequence, the answers given, and whether it may start.

use std::sync::Arc;

use crate::sequence::{Precaution, Sequence};
use crate::store::{RATING_MAX, ScreeningAnswer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub precaution: Precaution,
    pub answer: Option<bool>,
}

pub struct ScreeningController {
    sequence: Arc<Sequence>,
    answers: Vec<(Precaution, Option<bool>)>,
    confirm_proceed: bool,
    rating: Option<u8>,
}

/// What screening hands to the session's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    pub answers: Vec<ScreeningAnswer>,
    /// Whether the therapist chose to go ahead despite a "yes".
    pub proceeded_despite_yes: bool,
    /// "How much tension or discomfort right now?", 0–10, when answered.
    pub rating_before: Option<u8>,
}

/// What the user's choice on the screening screen leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Start the session with these answers.
    Start(Screened),
    /// Ask once more before starting: something was answered "yes".
    Confirm,
    Stay,
}

impl ScreeningController {
    pub fn new(sequence: Arc<Sequence>) -> Self {
        let answers = sequence.screening().into_iter().map(|p| (p, None)).collect();
        Self { sequence, answers, confirm_proceed: false, rating: None }
    }

    /// The optional before-session rating; choosing the same number again clears it.
    pub fn set_rating(&mut self, rating: u8) {
        let rating = rating.min(RATING_MAX);
        self.rating = if self.rating == Some(rating) { None } else { Some(rating) };
    }

    pub fn rating(&self) -> Option<u8> {
        self.rating
    }

    pub fn sequence(&self) -> &Arc<Sequence> {
        &self.sequence
    }

    pub fn questions(&self) -> Vec<Question> {
        self.answers.iter().map(|(precaution, answer)| Question { precaution: *precaution, answer: *answer }).collect()
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
        Decision::Start(self.screened(false))
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
        if proceed && self.yes_count() > 0 { Decision::Start(self.screened(true)) } else { Decision::Stay }
    }

    fn screened(&self, proceeded_despite_yes: bool) -> Screened {
        Screened {
            answers: self
                .answers
                .iter()
                .map(|(precaution, yes)| ScreeningAnswer { precaution: *precaution, yes: *yes })
                .collect(),
            proceeded_despite_yes,
            rating_before: self.rating,
        }
    }
}
