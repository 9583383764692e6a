//! The voice of one session: which prompt each moment of the plan gets, how long it may last, rendered ahead on the
//! voice worker; the answers the chime planner asks for (`SpeechBook`), kept once given.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::engine::Lang;
use super::prompts::{PromptRequest, PromptSource, PromptState, VoicePrompts};
use super::render::duration_of;
use super::script::{Languages, countdown_script, minimum_script, step_script};
use super::settings::VoiceSettings;
use crate::cues::{Resolution, SpeechBook, SpeechCue, SpeechMoment};
use crate::sequence::{Plan, PlannedStep, Timing};

/// A prompt ends at least this long before the next chime that outranks speech.
pub const SPEECH_MARGIN: Duration = Duration::from_millis(500);
/// A window shorter than this gets no prompt: not even a word would fit.
const MIN_FIT: Duration = Duration::from_millis(400);
/// Answers kept for this many prompts (older ones are long past).
const KEEP_ANSWERS: usize = 64;

/// The time from a moment's event to the latest end of its prompt: a margin before the step's next boundary that a
/// chime outranking speech marks (the warning, an open-ended hold's minimum, the step's end). `None` if the moment
/// has no such boundary after it (a fixed step has no minimum).
pub fn speech_window(step: &PlannedStep, moment: SpeechMoment) -> Option<Duration> {
    let end = step.timing.longest();
    let warning = step.cues.warning.filter(|w| !w.is_zero() && *w < end).map(|w| end - w);
    let minimum = match step.timing {
        Timing::UntilRelease { min, .. } => Some(min),
        Timing::Fixed(_) => None,
    };
    let (from, until) = match moment {
        SpeechMoment::StepStart => (Duration::ZERO, [warning, minimum, Some(end)].into_iter().flatten().min()?),
        SpeechMoment::Minimum => {
            let min = minimum?;
            (min, [warning.filter(|w| *w > min), Some(end)].into_iter().flatten().min()?)
        }
        SpeechMoment::Countdown => (warning?, end),
    };
    until.checked_sub(from)?.checked_sub(SPEECH_MARGIN)
}

/// What the session driver holds to speak prompts.
pub struct SessionVoice {
    prompts: VoicePrompts,
    settings: VoiceSettings,
    languages: Languages,
    plan: Arc<Plan>,
    answers: HashMap<SpeechCue, Option<Arc<[f32]>>>,
}

impl SessionVoice {
    /// Prompts in `speech` (the app's language); each step's own words in the language its plan step gives, or in
    /// `speech` where its file does not say.
    pub fn new(prompts: VoicePrompts, settings: VoiceSettings, speech: Lang) -> Self {
        Self {
            prompts,
            settings,
            languages: Languages::same(speech),
            plan: Arc::new(Plan { steps: Vec::new() }),
            answers: HashMap::new(),
        }
    }

    /// Speaks over `plan` from now on (the driver calls this; then [`SessionVoice::prefetch`]).
    pub fn attach(&mut self, plan: Arc<Plan>) {
        self.plan = plan;
        self.answers.clear();
    }

    pub fn prompts(&self) -> &VoicePrompts {
        &self.prompts
    }

    pub fn settings(&self) -> &VoiceSettings {
        &self.settings
    }

    /// Asks the worker for the prompts of steps `from` and the two after it, so they are ready when due.
    pub fn prefetch(&mut self, from: usize) {
        for step in from..(from + 3).min(self.plan.steps.len()) {
            for moment in [SpeechMoment::StepStart, SpeechMoment::Minimum, SpeechMoment::Countdown] {
                if let Some(request) = self.request(step, moment) {
                    self.prompts.request(&request);
                }
            }
        }
    }

    /// The rendered prompt the planner was told to speak for `cue`.
    pub fn samples(&self, cue: SpeechCue) -> Option<Arc<[f32]>> {
        self.answers.get(&cue).cloned().flatten()
    }

    /// What to render for `moment` of step `index`, if anything is said then.
    pub fn request(&self, index: usize, moment: SpeechMoment) -> Option<PromptRequest> {
        if !self.settings.enabled {
            return None;
        }
        let step = self.plan.steps.get(index)?;
        let fit = speech_window(step, moment)?.checked_sub(moment.delay()).filter(|fit| *fit >= MIN_FIT)?;
        let parts = &self.settings.parts;
        let source = match moment {
            SpeechMoment::StepStart => {
                let script = step_script(&self.plan, index, self.languages, parts);
                match &step.voice {
                    Some(path) if self.settings.recordings && parts.step && !step.is_side_switch() => {
                        PromptSource::Recording { path: path.clone(), fallback: script }
                    }
                    _ => PromptSource::Script(script?),
                }
            }
            SpeechMoment::Minimum => PromptSource::Script(minimum_script(step, self.languages.speech, parts)?),
            SpeechMoment::Countdown => PromptSource::Script(countdown_script(step, self.languages.speech, parts)?),
        };
        Some(PromptRequest::new(source, &self.settings, Some(fit)))
    }

    fn answer(&mut self, cue: SpeechCue, samples: Option<Arc<[f32]>>) -> Resolution {
        if self.answers.len() >= KEEP_ANSWERS
            && let Some(oldest) = self.answers.keys().min_by_key(|cue| cue.scheduled).copied()
        {
            self.answers.remove(&oldest);
        }
        let resolution = match &samples {
            Some(samples) => Resolution::Speak(duration_of(samples.len())),
            None => Resolution::Skip,
        };
        self.answers.insert(cue, samples);
        resolution
    }
}

impl SpeechBook for SessionVoice {
    fn resolve(&mut self, cue: SpeechCue, decide: bool) -> Resolution {
        if let Some(answer) = self.answers.get(&cue) {
            return match answer {
                Some(samples) => Resolution::Speak(duration_of(samples.len())),
                None => Resolution::Skip,
            };
        }
        let Some(request) = self.request(cue.step, cue.moment) else { return self.answer(cue, None) };
        let key = self.prompts.request(&request);
        match self.prompts.state(key) {
            PromptState::Ready(samples) => self.answer(cue, Some(samples)),
            PromptState::Pending | PromptState::Unknown if !decide => Resolution::Pending,
            _ => self.answer(cue, None),
        }
    }

    fn latest_end(&self, cue: SpeechCue) -> Duration {
        let window = self.plan.steps.get(cue.step).and_then(|step| speech_window(step, cue.moment));
        cue.scheduled + window.unwrap_or_default()
    }
}
