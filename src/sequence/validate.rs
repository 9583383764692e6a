//! Rules a sequence must meet beyond its JSON shape: ranges, exactly-one-of fields, ids and the session's total length.

use std::path::{Component, Path};
use std::time::Duration;

use super::diagnostic::{FieldPath, shorten};
use super::duration::DurationSpec;
use super::format::{CueSpec, SequenceDocument, Side, StepSpec};
use super::plan::{CueDefaults, Plan};
use super::translate::is_language_code;

pub const MAX_STEPS: usize = 500;
pub const MAX_REPEAT: u32 = 20;
pub const MAX_PRESSURE_LEVEL: u32 = 4;
pub const MIN_STEP: Duration = Duration::from_secs(1);
pub const MAX_STEP: Duration = Duration::from_secs(60 * 60);
pub const MAX_SESSION: Duration = Duration::from_secs(8 * 60 * 60);
pub const MAX_SWITCH: Duration = Duration::from_secs(5 * 60);
pub const MIN_CHECK_IN: Duration = Duration::from_secs(10);
pub const RHYTHM_RANGE: std::ops::RangeInclusive<u32> = 20..=200;
pub const MAX_ID_CHARS: usize = 80;

/// A rule broken at a field. Turned into a positioned diagnostic by the parser, which has the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: FieldPath,
    pub message: String,
}

/// Every rule the document breaks, in document order.
pub fn validate(document: &SequenceDocument) -> Vec<Problem> {
    let mut problems = Problems::default();
    let root = FieldPath::root();

    if !is_kebab_case(&document.id) {
        problems.push(
            root.key("id"),
            format!(
                "{:?} is not a kebab-case id (lowercase letters and digits joined by single hyphens, e.g. \"neck-and-headache\")",
                shorten(&document.id)
            ),
        );
    } else if document.id.chars().count() > MAX_ID_CHARS {
        problems.push(root.key("id"), format!("id is longer than {MAX_ID_CHARS} characters"));
    }
    if document.title.as_str().trim().is_empty() {
        problems.push(root.key("title"), "title is empty".to_owned());
    }
    for (i, precaution) in document.precautions.iter().enumerate() {
        if document.precautions[..i].contains(precaution) {
            problems.push(root.key("precautions").index(i), format!("\"{}\" is listed twice", precaution.code()));
        }
    }
    check_cues(&document.cues, &root.key("cues"), None, &mut problems);
    check_languages(document, &mut problems);

    if document.steps.is_empty() {
        problems.push(root.key("steps"), "a sequence needs at least one step".to_owned());
    } else if document.steps.len() > MAX_STEPS {
        problems.push(root.key("steps"), format!("{} steps; the limit is {MAX_STEPS}", document.steps.len()));
    }
    for (i, step) in document.steps.iter().enumerate() {
        check_step(step, &root.key("steps").index(i), &mut problems);
    }

    if problems.0.is_empty() {
        let longest = Plan::build(document, &CueDefaults::default()).longest_total();
        if longest > MAX_SESSION {
            problems.push(
                root.key("steps"),
                format!(
                    "the session can last {} with every side, repeat and open-ended hold played in full; the limit is 8h",
                    DurationSpec::from_secs(longest.as_secs())
                ),
            );
        }
    }
    problems.0
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, field: FieldPath, message: String) {
        self.0.push(Problem { field, message });
    }
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

fn check_length(value: DurationSpec, field: FieldPath, what: &str, problems: &mut Problems) {
    let length = value.duration();
    if length < MIN_STEP || length > MAX_STEP {
        problems.push(field, format!("{what} is {value}; it must be between 1s and 60m"));
    }
}

fn check_step(step: &StepSpec, path: &FieldPath, problems: &mut Problems) {
    let length = match (step.duration, step.until_release) {
        (Some(_), Some(_)) => {
            problems.push(path.key("until_release"), "give either `duration` or `until_release`, not both".to_owned());
            None
        }
        (None, None) => {
            problems.push(
                path.clone(),
                "the step needs a `duration` (e.g. \"90s\") or an `until_release` hold (e.g. {\"min\": \"90s\", \"max\": \"5m\"})".to_owned(),
            );
            None
        }
        (Some(duration), None) => {
            check_length(duration, path.key("duration"), "duration", problems);
            Some(duration.duration())
        }
        (None, Some(hold)) => {
            check_length(hold.min, path.key("until_release").key("min"), "min", problems);
            check_length(hold.max, path.key("until_release").key("max"), "max", problems);
            if hold.max < hold.min {
                problems.push(
                    path.key("until_release").key("max"),
                    format!("max ({}) is shorter than min ({})", hold.max, hold.min),
                );
            }
            Some(hold.max.duration())
        }
    };

    if let Some(switch) = step.switch {
        if !matches!(step.side, Some(Side::LeftThenRight | Side::RightThenLeft)) {
            problems.push(
                path.key("switch"),
                "`switch` only applies to side \"left-then-right\" or \"right-then-left\"".to_owned(),
            );
        } else if switch.duration() > MAX_SWITCH {
            problems.push(path.key("switch"), format!("switch is {switch}; it must be at most 5m"));
        }
    }
    if let Some(pressure) = &step.pressure
        && pressure.level > MAX_PRESSURE_LEVEL
    {
        problems.push(
            path.key("pressure").key("level"),
            format!("level {} is out of range: use 0 (contact only) to 4 (firm)", pressure.level),
        );
    }
    if let Some(repeat) = step.repeat
        && !(1..=MAX_REPEAT).contains(&repeat)
    {
        problems.push(path.key("repeat"), format!("repeat is {repeat}; it must be 1 to {MAX_REPEAT}"));
    }
    if let Some(cues) = &step.cues {
        check_cues(cues, &path.key("cues"), length, problems);
    }
    if step.say.as_ref().is_some_and(|say| say.as_str().trim().is_empty()) {
        problems.push(path.key("say"), "`say` is empty; leave it out to hear the prompt made from the step".to_owned());
    }
    if let Some(voice) = &step.voice
        && let Err(message) = check_voice_name(voice.as_str())
    {
        problems.push(path.key("voice"), message);
    }
}

const LANGUAGE_HINT: &str = "two or three lowercase letters, e.g. \"en\", \"de\" or \"es\"";

fn check_languages(document: &SequenceDocument, problems: &mut Problems) {
    let root = FieldPath::root();
    if let Some(language) = &document.language
        && !is_language_code(language)
    {
        problems
            .push(root.key("language"), format!("{:?} is not a language code ({LANGUAGE_HINT})", shorten(language)));
    }
    for (language, entries) in &document.translations {
        let path = root.key("translations").key(language);
        if !is_language_code(language) {
            problems.push(path.clone(), format!("{:?} is not a language code ({LANGUAGE_HINT})", shorten(language)));
        } else if document.language.as_deref() == Some(language.as_str()) {
            problems.push(
                path.clone(),
                format!(
                    "the texts are written in \"{language}\" already (see `language`); translate into another language"
                ),
            );
        }
        for (written, translation) in entries {
            if translation.as_str().trim().is_empty() {
                problems.push(
                    path.key(written),
                    format!(
                        "the translation of {:?} is empty; leave it out to show the text as written",
                        shorten(written)
                    ),
                );
            }
        }
    }
}

/// A `voice` names a WAV file beside the sequence file or in a folder below it: never elsewhere.
fn check_voice_name(name: &str) -> Result<(), String> {
    let path = Path::new(name);
    if name.trim().is_empty() {
        return Err("`voice` is empty; name a WAV file beside the sequence file".to_owned());
    }
    if name.contains('\\') || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!(
            "{:?} is not a file name beside the sequence file (no absolute paths, \"..\" or backslashes)",
            shorten(name)
        ));
    }
    if !path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("wav")) {
        return Err(format!("{:?} is not a WAV file: recorded prompts are .wav files", shorten(name)));
    }
    Ok(())
}

/// Every step's `voice` file that is not in `folder` (the sequence file's folder): the loader knows where the file
/// is, the format does not.
pub fn check_voice_files(document: &SequenceDocument, folder: &Path) -> Vec<Problem> {
    let mut problems = Problems::default();
    for (i, step) in document.steps.iter().enumerate() {
        let Some(voice) = &step.voice else { continue };
        if check_voice_name(voice.as_str()).is_ok() && !folder.join(voice.as_str()).is_file() {
            problems.push(
                FieldPath::root().key("steps").index(i).key("voice"),
                format!("the recording {:?} is missing (looked in {})", shorten(voice.as_str()), folder.display()),
            );
        }
    }
    problems.0
}

/// `step_length` is known for a step's own cues, which must then fit inside the step; the sequence's defaults must
/// at least fit inside the longest possible step.
fn check_cues(cues: &CueSpec, path: &FieldPath, step_length: Option<Duration>, problems: &mut Problems) {
    for (field, value) in [("warning", cues.warning), ("check_in_every", cues.check_in_every)] {
        if let Some(value) = value
            && step_length.is_none()
            && value.duration() > MAX_STEP
        {
            problems.push(path.key(field), format!("{field} is {value}; it must be at most 60m"));
        }
    }
    if let Some(rhythm) = cues.rhythm
        && !RHYTHM_RANGE.contains(&rhythm)
    {
        problems.push(path.key("rhythm"), format!("rhythm is {rhythm} beats per minute; use 20 to 200"));
    }
    if let Some(every) = cues.check_in_every
        && !every.duration().is_zero()
        && every.duration() < MIN_CHECK_IN
    {
        problems.push(
            path.key("check_in_every"),
            format!("check-ins every {every} would chime constantly; use at least 10s (or \"0s\" for none)"),
        );
    }
    if let (Some(warning), Some(length)) = (cues.warning, step_length)
        && warning.duration() >= length
    {
        problems.push(
            path.key("warning"),
            format!(
                "warning {warning} before the end is not inside a step of {}",
                DurationSpec::from_secs(length.as_secs())
            ),
        );
    }
    for (i, offset) in cues.at.iter().flatten().enumerate() {
        let field = path.key("at").index(i);
        if offset.duration().is_zero() {
            problems.push(field, "a cue at 0s would ring with the step's start; use an offset after it".to_owned());
            continue;
        }
        match step_length {
            Some(length) if offset.duration() >= length => problems.push(
                field,
                format!("a cue at {offset} is not inside a step of {}", DurationSpec::from_secs(length.as_secs())),
            ),
            None if offset.duration() > MAX_STEP => {
                problems.push(field, format!("a cue at {offset} is beyond the longest step (60m)"))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids() {
        for good in ["neck", "neck-and-headache", "tmj-2"] {
            assert!(is_kebab_case(good), "{good}");
        }
        for bad in ["", "Neck", "neck_headache", "-neck", "neck-", "neck--x", "nack ache", "ä"] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
    }
}
