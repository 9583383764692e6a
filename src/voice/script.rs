//! What to say, and when it may be shortened: a step's prompt as a list of phrases, each in one language and with
//! an importance, so a prompt that does not fit before the next chime loses its least important phrases first (then
//! words, never part of one). Words come from `phrases.rs`; the author's text is spoken as written, first sentence
//! only.

use std::time::Duration;

use super::engine::Lang;
use super::phrases::{Phrases, phrases};
use super::settings::VoiceParts;
use crate::sequence::{Plan, PlannedStep, PressureLevel, StepRole, Timing};

/// The pause between two phrases.
pub const PHRASE_GAP: Duration = Duration::from_millis(300);

/// One sentence or clause, spoken in one language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phrase {
    pub text: String,
    pub language: Lang,
    /// Higher is kept longer when time is short.
    pub importance: u8,
}

/// Everything said at one moment, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Script {
    pub phrases: Vec<Phrase>,
}

impl Script {
    fn push(&mut self, text: impl Into<String>, language: Lang, importance: u8) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.phrases.push(Phrase { text, language, importance });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The words, as one line (for `say --verbose`, logs and tests).
    pub fn text(&self) -> String {
        self.phrases.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// A single phrase of plain text.
    pub fn single(text: &str, language: Lang) -> Script {
        let mut script = Script::default();
        script.push(text, language, IMPORTANT);
        script
    }
}

const IMPORTANT: u8 = 9;
const TITLE: u8 = 8;
const PRESSURE: u8 = 6;
const PRESSURE_PROMPT: u8 = 5;
const DIRECTION: u8 = 4;
const AREA: u8 = 3;
const NOTES: u8 = 2;

/// The languages a prompt mixes: the app's (`speech`) for Stillpoint's own words, the sequence author's (`text`) for
/// titles, prompts and `say`. `text` is what a step's words are taken to be in when the step does not say (its file
/// has no `language`); a step that does say is spoken in its own (see `PlannedStep::text_language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Languages {
    pub speech: Lang,
    pub text: Lang,
}

impl Languages {
    pub fn same(language: Lang) -> Self {
        Self { speech: language, text: language }
    }
}

/// What is said when step `index` of `plan` starts (a side switch included), or `None` when nothing is.
pub fn step_script(plan: &Plan, index: usize, languages: Languages, parts: &VoiceParts) -> Option<Script> {
    let step = plan.steps.get(index)?;
    // A language the app has no voice phrases for is read by the app's voice: the best eSpeak can do without one.
    let languages = Languages {
        text: step.text_language.as_deref().and_then(Lang::from_code).unwrap_or(languages.text),
        ..languages
    };
    let words = phrases(languages.speech);
    let mut script = Script::default();
    if let StepRole::SideSwitch { to } = step.role {
        if parts.switch {
            script.push(words.switch_to(to), languages.speech, IMPORTANT);
        }
        return (!script.is_empty()).then_some(script);
    }
    if !parts.step {
        return None;
    }
    let alternating = plan.steps.iter().any(|s| s.source_index == step.source_index && s.is_side_switch());
    if let Some(say) = step.say.as_deref() {
        // The author's words replace the generated ones; a `left-then-right` step's single text cannot name the
        // side, so the side is still said first.
        if alternating && parts.side {
            push_side(&mut script, step, words, languages.speech);
        }
        script.push(clean(say, phrases(languages.text)), languages.text, IMPORTANT);
        return Some(script);
    }
    if parts.side {
        push_side(&mut script, step, words, languages.speech);
    }
    if parts.title {
        match &step.title {
            Some(title) => script.push(sentence(title, phrases(languages.text)), languages.text, TITLE),
            None => script.push(words.technique(step.technique), languages.speech, TITLE),
        }
    }
    // A step played again (its second side, its next set) gets the short form: the details were just said.
    if repeats_previous(plan, index) {
        return (!script.is_empty()).then_some(script);
    }
    if parts.area
        && let Some(area) = &step.area
        && !title_names_area(step.title.as_deref(), area)
    {
        script.push(sentence(area, phrases(languages.text)), languages.text, AREA);
    }
    if parts.pressure
        && let Some(pressure) = &step.pressure
    {
        let name = words.pressure(pressure.level);
        match pressure.prompt.as_deref().map(|p| first_sentence(p, phrases(languages.text))) {
            // "Firm but bearable: …" needs no "Firm pressure" before it.
            Some(prompt) if languages.text == languages.speech && names_level(&prompt, words, pressure.level) => {
                script.push(prompt, languages.speech, PRESSURE)
            }
            Some(prompt) if languages.text == languages.speech => {
                script.push(format!("{name}: {}", lower_first(&prompt, languages.text)), languages.speech, PRESSURE)
            }
            Some(prompt) => {
                script.push(format!("{name}."), languages.speech, PRESSURE);
                script.push(prompt, languages.text, PRESSURE_PROMPT);
            }
            None => script.push(format!("{name}."), languages.speech, PRESSURE),
        }
    }
    if parts.direction
        && let Some(direction) = &step.direction
    {
        match &direction.prompt {
            Some(prompt) => script.push(first_sentence(prompt, phrases(languages.text)), languages.text, DIRECTION),
            None => script.push(words.direction(direction.kind), languages.speech, DIRECTION),
        }
    }
    if parts.notes
        && let Some(notes) = &step.notes
    {
        script.push(first_sentence(notes, phrases(languages.text)), languages.text, NOTES);
    }
    (!script.is_empty()).then_some(script)
}

/// What is said when an open-ended hold reaches its minimum.
pub fn minimum_script(step: &PlannedStep, language: Lang, parts: &VoiceParts) -> Option<Script> {
    (parts.minimum && matches!(step.timing, Timing::UntilRelease { .. }))
        .then(|| Script::single(phrases(language).minimum, language))
}

/// What is said at the warning: how long is left.
pub fn countdown_script(step: &PlannedStep, language: Lang, parts: &VoiceParts) -> Option<Script> {
    let warning = step.cues.warning.filter(|w| parts.countdown && !w.is_zero())?;
    Some(Script::single(&phrases(language).countdown(warning.as_secs().max(1)), language))
}

fn push_side(script: &mut Script, step: &PlannedStep, words: &Phrases, language: Lang) {
    if let Some(side) = step.side {
        script.push(words.side(side), language, IMPORTANT);
    }
}

/// Whether step `index` plays the same written step as the last treatment step before it (a second side, a repeat).
fn repeats_previous(plan: &Plan, index: usize) -> bool {
    let Some(step) = plan.steps.get(index) else { return false };
    plan.steps[..index]
        .iter()
        .rev()
        .find(|s| !s.is_side_switch())
        .is_some_and(|previous| previous.source_index == step.source_index)
}

/// The title already says where: "Ball under the shoulder blade" needs no "Shoulder blade." after it.
fn title_names_area(title: Option<&str>, area: &str) -> bool {
    let Some(title) = title else { return false };
    let title = title.to_lowercase();
    let words: Vec<String> =
        area.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 3).map(str::to_owned).collect();
    !words.is_empty() && words.iter().all(|word| title.contains(word.as_str()))
}

/// Whether `prompt` starts by naming the pressure `level` in its own words ("Firm but bearable", "Fest, aber
/// erträglich", "Firme pero soportable"): its first word shares a stem with the level's own word, leaving out the words
/// every level name has ("pressure", "Druck", "only").
fn names_level(prompt: &str, words: &Phrases, level: PressureLevel) -> bool {
    let stem = |word: &str| word.to_lowercase().chars().filter(|c| c.is_alphabetic()).take(4).collect::<String>();
    let Some(first) = prompt.split_whitespace().next().map(stem).filter(|s| s.chars().count() == 4) else {
        return false;
    };
    let names: Vec<String> = (0..=PressureLevel::MAX)
        .filter_map(PressureLevel::new)
        .flat_map(|l| words.pressure(l).split_whitespace().map(stem).collect::<Vec<_>>())
        .collect();
    words
        .pressure(level)
        .split_whitespace()
        .map(stem)
        .filter(|own| names.iter().filter(|name| *name == own).count() < 3)
        .any(|own| own == first)
}

/// The first sentence of the author's text, made ready to speak.
fn first_sentence(text: &str, words: &Phrases) -> String {
    let text = text.trim();
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && text[i + c.len_utf8()..].starts_with(char::is_whitespace) {
            end = i + c.len_utf8();
            break;
        }
    }
    sentence(&text[..end], words)
}

/// `text` with a full stop at the end (a falling tone) and number ranges spoken: "3–4" is "3 to 4".
fn sentence(text: &str, words: &Phrases) -> String {
    let text = clean(text, words);
    let text = text.trim_end_matches([',', ';', ':', ' ']);
    let mut chars = text.chars();
    let text: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if text.ends_with(['.', '!', '?']) { text } else { format!("{text}.") }
}

/// Number ranges spoken ("3–4" as "3 to 4"), white space made single.
fn clean(text: &str, words: &Phrases) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let between_digits =
            i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if matches!(c, '–' | '-') && between_digits {
            out.push(' ');
            out.push_str(words.range);
            out.push(' ');
        } else {
            out.push(*c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Sink in and wait." after a colon reads "sink in and wait." (German keeps its capitals: nouns are written so).
fn lower_first(text: &str, language: Lang) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(first), Some(second)) if language != Lang::De && first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::{BodySide, CueDefaults, Pressure, PressureLevel, StepCues, Technique, parse_sequence};

    fn plan(json_steps: &str) -> Plan {
        let text = format!(
            r#"{{"format": 1, "id": "t", "title": "T", "summary": "S", "audience": "self-care", "steps": [{json_steps}]}}"#
        );
        parse_sequence("test", text.as_bytes()).unwrap().plan(&CueDefaults::default())
    }

    #[test]
    fn a_pressure_prompt_that_names_its_level_is_not_preceded_by_the_level() {
        let plan = plan(
            r#"{"technique": "sustained-hold", "duration": "60s",
                "pressure": {"level": 4, "prompt": "Firm but bearable: 5–6 out of 10 at most."}},
               {"technique": "direct", "duration": "60s", "pressure": {"level": 4, "prompt": "Lean in slowly."}}"#,
        );
        let said = |i| step_script(&plan, i, Languages::same(Lang::En), &VoiceParts::default()).unwrap().text();
        assert_eq!(said(0), "Sustained hold. Firm but bearable: 5 to 6 out of 10 at most.");
        assert!(said(1).contains("Firm pressure: lean in slowly."), "{}", said(1));
    }

    #[test]
    fn a_step_is_said_side_title_pressure_in_short_sentences() {
        let plan = plan(
            r#"{"technique": "sustained-hold", "title": "Ball under the shoulder blade", "area": "shoulder blade",
                "side": "left", "duration": "90s",
                "pressure": {"level": 2, "prompt": "Sink in and wait. Breathe out slowly."}}"#,
        );
        let script = step_script(&plan, 0, Languages::same(Lang::En), &VoiceParts::default()).unwrap();
        assert_eq!(script.text(), "Left side. Ball under the shoulder blade. Gentle pressure: sink in and wait.");
        let german = step_script(&plan, 0, Languages { speech: Lang::De, text: Lang::En }, &VoiceParts::default());
        let german = german.unwrap();
        assert_eq!(german.text(), "Linke Seite. Ball under the shoulder blade. Sanfter Druck. Sink in and wait.");
        assert_eq!(german.phrases[1].language, Lang::En);
        assert_eq!(german.phrases[2].language, Lang::De);
    }

    #[test]
    fn parts_switch_off_and_say_replaces_the_generated_prompt() {
        let plan = plan(
            r#"{"technique": "direct", "title": "Calf", "side": "left-then-right", "duration": "60s",
                "say": "Both hands on the calf – 3-4 out of 10"},
               {"technique": "rest", "duration": "30s", "direction": {"kind": "cephalad"}, "area": "back"}"#,
        );
        let en = Languages::same(Lang::En);
        let parts = VoiceParts::default();
        assert_eq!(
            step_script(&plan, 0, en, &parts).unwrap().text(),
            "Left side. Both hands on the calf – 3 to 4 out of 10"
        );
        assert_eq!(
            step_script(&plan, 1, en, &parts).unwrap().text(),
            "Ease out slowly, then settle on the right side."
        );
        assert_eq!(step_script(&plan, 3, en, &parts).unwrap().text(), "Rest. Back. Toward the head.");
        let quiet = VoiceParts { title: false, area: false, ..parts };
        assert_eq!(step_script(&plan, 3, en, &quiet).unwrap().text(), "Toward the head.");
        assert_eq!(step_script(&plan, 3, en, &VoiceParts { step: false, ..parts }), None);
        assert_eq!(step_script(&plan, 1, en, &VoiceParts { switch: false, ..parts }), None);
    }

    #[test]
    fn a_second_side_gets_the_short_form() {
        let plan = plan(
            r#"{"technique": "sustained-hold", "title": "Glute hold", "side": "left-then-right", "duration": "60s",
                "pressure": {"level": 3}, "direction": {"kind": "stationary"}}"#,
        );
        let en = Languages::same(Lang::En);
        let parts = VoiceParts::default();
        assert_eq!(
            step_script(&plan, 0, en, &parts).unwrap().text(),
            "Left side. Glute hold. Moderate pressure. Stay still."
        );
        assert_eq!(step_script(&plan, 2, en, &parts).unwrap().text(), "Right side. Glute hold.");
    }

    #[test]
    fn minimum_and_countdown_in_every_language() {
        let mut step = crate::sequence::PlannedStep {
            source_index: 0,
            role: StepRole::Written,
            technique: Technique::SustainedHold,
            title: None,
            area: None,
            side: Some(BodySide::Both),
            timing: Timing::UntilRelease { min: Duration::from_secs(90), max: Duration::from_secs(300) },
            pressure: Some(Pressure { level: PressureLevel::new(1).unwrap(), prompt: None }),
            direction: None,
            notes: None,
            cues: StepCues { warning: Some(Duration::from_secs(10)), ..StepCues::default() },
            repetition: None,
            say: None,
            voice: None,
            text_language: None,
        };
        let on = VoiceParts { countdown: true, ..VoiceParts::default() };
        assert_eq!(minimum_script(&step, Lang::En, &on).unwrap().text(), "You can ease off when it softens.");
        assert_eq!(countdown_script(&step, Lang::De, &on).unwrap().text(), "Noch 10 Sekunden.");
        assert_eq!(countdown_script(&step, Lang::En, &VoiceParts::default()), None);
        step.timing = Timing::Fixed(Duration::from_secs(60));
        assert_eq!(minimum_script(&step, Lang::Es, &on), None);
        let plan = Plan { steps: vec![step] };
        assert_eq!(
            step_script(&plan, 0, Languages::same(Lang::Es), &on).unwrap().text(),
            "Ambos lados. Presión mantenida. Solo la piel."
        );
    }
}
