//! The sequence editor's model: a draft document, its edits with undo and redo, live checking with the loader's own
//! rules, and where saving puts the file. Plain Rust, tested without a window; the JSON format stays the single
//! source of truth (the draft is written and read back exactly as a file would be).

mod files;
mod id;
mod templates;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use files::{SaveOutcome, delete_user_file, save_draft};
pub use id::{kebab_case, unique};
pub use templates::Template;

use crate::sequence::{
    Audience, CueSpec, Diagnostic, DirectionKind, DirectionSpec, DurationSpec, MAX_SESSION, Precaution, PressureSpec,
    Sequence, SequenceDocument, Side, StepSpec, Technique, Text, UntilRelease, parse_duration, parse_sequence,
    write_sequence,
};

/// How many edits can be undone.
const UNDO_DEPTH: usize = 200;

/// Where the draft came from, which decides where Save writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A new sequence (blank, from a template, or a duplicate): a new file in the user's folder.
    New,
    /// The user's own file: saved over it (and moved aside if the id changes).
    UserFile(PathBuf),
    /// A bundled sequence, or a file outside the user's folder (`--sequences`, a USB stick): saved as a copy with the
    /// same id in the user's folder, which then overrides it; the original is never touched.
    Bundled,
}

/// A change to the sequence as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Title(String),
    Id(String),
    Summary(String),
    Audience(Audience),
    Position(String),
    /// Comma-separated.
    Equipment(String),
    TogglePrecaution(Precaution),
    Halfway(Option<bool>),
    /// `None` for the app's default, zero for none.
    Warning(Option<u64>),
    CheckInEvery(Option<u64>),
    /// Offsets from each step's start, as typed ("90s, 2m").
    OffsetChimes(String),
    AddStep,
    DuplicateStep(usize),
    DeleteStep(usize),
    MoveStep {
        index: usize,
        up: bool,
    },
    Step(usize, StepEdit),
}

/// A change to one step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepEdit {
    Technique(Technique),
    Title(String),
    Area(String),
    Side(Option<Side>),
    /// The side switch of left-then-right, in seconds.
    Switch(u64),
    /// A fixed length in seconds (makes the step fixed).
    Seconds(u64),
    /// A length as typed ("2m30s"): checked with the format's own duration rules.
    DurationText(String),
    /// Open-ended (until release) or fixed.
    OpenEnded(bool),
    MinSeconds(u64),
    MaxSeconds(u64),
    /// 0–4, or none.
    Pressure(Option<u32>),
    PressurePrompt(String),
    Direction(Option<DirectionKind>),
    DirectionPrompt(String),
    Notes(String),
    Repeat(u32),
    Halfway(Option<bool>),
    Warning(Option<u64>),
    /// The recorded prompt: a WAV file's name beside the sequence file, or none (speech, or nothing).
    Voice(Option<String>),
}

/// A problem beside a field, in the loader's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's path as the loader names it: `title`, `steps[2].duration`.
    pub field: String,
    pub message: String,
}

pub struct Editor {
    draft: SequenceDocument,
    origin: Origin,
    /// The draft as last saved or opened, to tell whether there is anything to lose.
    saved: SequenceDocument,
    undo: Vec<SequenceDocument>,
    redo: Vec<SequenceDocument>,
    selected: Option<usize>,
    /// The id follows the title until the user types one.
    id_follows_title: bool,
    /// Ids of every other sequence in the library, and of the bundled ones.
    taken: Vec<String>,
    bundled: Vec<String>,
    problems: Vec<FieldProblem>,
    /// Texts that could not become a value yet (a duration typed wrong), by field, with the reason.
    unparsed: BTreeMap<String, FieldProblem>,
    /// What the user typed into fields that are read into values (durations, lists), shown as typed while they
    /// type: "roller, " must not lose its comma on the way to "roller, ball".
    typed: BTreeMap<String, String>,
    /// The text field the last edit typed into: further typing there is the same undoable change.
    typing_in: Option<String>,
}

impl Editor {
    /// A new sequence from a template, its words in `language` (the app's, as a code such as "de"). `taken` are
    /// the ids already in the library.
    pub fn new(template: Template, title: &str, language: &str, taken: Vec<String>, bundled: Vec<String>) -> Self {
        let id = unique(&kebab_case(title), &taken);
        let draft = templates::document(template, title, &id, language);
        Self::open(draft, Origin::New, true, taken, bundled)
    }

    /// A copy of `sequence` to change and save as a new one ("… (copy)", its own id). The copy is written in
    /// `language` (the app's) when the sequence translates every text into it, its own words kept as a translation:
    /// the person changing it reads and types in their language, and the voice reads it in theirs.
    pub fn duplicate(
        sequence: &Sequence,
        copy_word: &str,
        language: &str,
        taken: Vec<String>,
        bundled: Vec<String>,
    ) -> Self {
        let original = sequence.document();
        let mut draft = crate::sequence::written_in(original, language).unwrap_or_else(|| original.clone());
        let title = format!("{} ({copy_word})", draft.title);
        draft.id = unique(&kebab_case(&title), &taken);
        draft.title = Text::new(title);
        Self::open(draft, Origin::New, true, taken, bundled)
    }

    /// `sequence` itself, to change: a user file in place, as it is written; a bundled one as an overriding copy,
    /// written in `language` (the app's) like a duplicate, when it translates every text into it.
    pub fn edit(
        sequence: &Sequence,
        file: Option<PathBuf>,
        language: &str,
        taken: Vec<String>,
        bundled: Vec<String>,
    ) -> Self {
        let original = sequence.document();
        let (origin, draft) = match file {
            Some(path) => (Origin::UserFile(path), original.clone()),
            None => {
                (Origin::Bundled, crate::sequence::written_in(original, language).unwrap_or_else(|| original.clone()))
            }
        };
        let taken = taken.into_iter().filter(|id| id != sequence.id()).collect();
        Self::open(draft, origin, false, taken, bundled)
    }

    fn open(
        draft: SequenceDocument,
        origin: Origin,
        id_follows_title: bool,
        taken: Vec<String>,
        bundled: Vec<String>,
    ) -> Self {
        let mut editor = Self {
            saved: draft.clone(),
            draft,
            origin,
            undo: Vec::new(),
            redo: Vec::new(),
            selected: Some(0),
            id_follows_title,
            taken,
            bundled,
            problems: Vec::new(),
            unparsed: BTreeMap::new(),
            typed: BTreeMap::new(),
            typing_in: None,
        };
        editor.check();
        editor
    }

    pub fn draft(&self) -> &SequenceDocument {
        &self.draft
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected.filter(|i| *i < self.draft.steps.len())
    }

    pub fn select(&mut self, index: usize) {
        if index < self.draft.steps.len() {
            self.selected = Some(index);
        }
    }

    /// Moves the selection through the steps (keys, pedal).
    pub fn move_selection(&mut self, step: isize) {
        let count = self.draft.steps.len() as isize;
        if count == 0 {
            return;
        }
        let next = self.selected.map_or(0, |i| (i as isize + step).clamp(0, count - 1));
        self.selected = Some(next as usize);
    }

    /// Everything the loader would say about the draft, and what could not be read, by field.
    pub fn problems(&self) -> Vec<FieldProblem> {
        self.unparsed.values().cloned().chain(self.problems.iter().cloned()).collect()
    }

    /// The first problem of a field (`title`, `steps[1].duration`) or of anything inside it.
    pub fn problem_at(&self, field: &str) -> Option<String> {
        self.problems()
            .into_iter()
            .find(|p| {
                p.field == field
                    || p.field.starts_with(&format!("{field}."))
                    || p.field.starts_with(&format!("{field}["))
            })
            .map(|p| p.message)
    }

    /// Save is possible only when the loader would accept the file.
    pub fn can_save(&self) -> bool {
        self.problems.is_empty() && self.unparsed.is_empty()
    }

    /// Whether there are changes that Save would keep.
    pub fn is_dirty(&self) -> bool {
        self.draft != self.saved || !self.unparsed.is_empty() || self.origin == Origin::New
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many other languages the draft carries its text in, and how many of its texts lack a translation in at
    /// least one of them (a text changed here is shown as typed there until its translation is updated).
    pub fn translations(&self) -> (usize, usize) {
        let coverage = crate::sequence::coverage(&self.draft);
        let untranslated: std::collections::BTreeSet<&str> =
            coverage.iter().flat_map(|language| language.missing.iter().map(|m| m.text)).collect();
        (coverage.len(), untranslated.len())
    }

    /// The session's expected length (open-ended holds at their minimum) and its longest possible length, which
    /// must stay within the 8-hour limit.
    pub fn totals(&self) -> (Duration, Duration) {
        let plan = crate::sequence::Plan::build(&self.draft, &Default::default());
        (plan.expected_total(), plan.longest_total())
    }

    pub fn session_limit() -> Duration {
        MAX_SESSION
    }

    /// The draft as the loader reads it, for trying it out without saving.
    pub fn as_sequence(&self) -> Result<Sequence, Vec<Diagnostic>> {
        parse_sequence(&format!("{} (not saved)", self.draft.id), write_sequence(&self.draft).as_bytes())
    }

    /// The file Save writes, in canonical form.
    pub fn text(&self) -> String {
        write_sequence(&self.draft)
    }

    /// The draft is on disk as it is now.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.draft.clone();
        self.origin = Origin::UserFile(path);
        self.id_follows_title = false;
    }

    /// The recorded prompts the file on disk names (as last saved or opened): takes made since and not among them
    /// are the editor's to tidy away when it closes.
    pub fn saved_voices(&self) -> Vec<&str> {
        self.saved.steps.iter().filter_map(|step| step.voice.as_ref().map(|v| v.as_str())).collect()
    }

    /// What the user typed into `field` (`equipment`, `cues.at`, `steps[1].duration`), if it is being typed.
    pub fn typed(&self, field: &str) -> Option<&str> {
        self.typed.get(field).map(String::as_str)
    }

    pub fn undo(&mut self) {
        if let Some(previous) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.draft, previous));
            self.forget_typing();
            self.check();
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.draft, next));
            self.forget_typing();
            self.check();
        }
    }

    fn forget_typing(&mut self) {
        self.unparsed.clear();
        self.typed.clear();
        self.typing_in = None;
    }

    /// Applies one edit as one undoable change (typing on in the same field adds to the last one), then checks the
    /// draft again.
    pub fn apply(&mut self, edit: Edit) {
        let before = self.draft.clone();
        let field = text_field(&edit);
        let continues_typing = field.is_some() && field == self.typing_in;
        // A length set with the stepper replaces whatever was being typed for it.
        if let Edit::Step(index, StepEdit::Seconds(_)) = &edit {
            self.typed.remove(&format!("steps[{index}].duration"));
        }
        if matches!(edit, Edit::AddStep | Edit::DuplicateStep(_) | Edit::DeleteStep(_) | Edit::MoveStep { .. }) {
            self.typed.retain(|field, _| !field.starts_with("steps["));
        }
        self.change(edit);
        if self.draft != before && !continues_typing {
            self.undo.push(before);
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.redo.clear();
        } else if self.draft != before {
            self.redo.clear();
        }
        self.typing_in = field;
        self.check();
    }

    fn change(&mut self, edit: Edit) {
        // Kept as typed (spaces too): what the field shows is what it holds.
        let text = |value: &str| (!value.trim().is_empty()).then(|| Text::new(value));
        let draft = &mut self.draft;
        match edit {
            Edit::Title(title) => {
                draft.title = Text::new(title.clone());
                if self.id_follows_title {
                    draft.id = unique(&kebab_case(&title), &self.taken);
                }
            }
            Edit::Id(id) => {
                draft.id = id.trim().to_owned();
                self.id_follows_title = false;
            }
            Edit::Summary(summary) => draft.summary = Text::new(summary),
            Edit::Audience(audience) => draft.audience = audience,
            Edit::Position(position) => draft.position = text(&position),
            Edit::Equipment(list) => {
                draft.equipment =
                    list.split(',').filter(|item| !item.trim().is_empty()).map(|item| Text::new(item.trim())).collect();
                self.typed.insert("equipment".to_owned(), list);
            }
            Edit::TogglePrecaution(precaution) => {
                if let Some(at) = draft.precautions.iter().position(|p| *p == precaution) {
                    draft.precautions.remove(at);
                } else {
                    draft.precautions.push(precaution);
                    draft.precautions.sort_by_key(|p| Precaution::ALL.iter().position(|q| q == p));
                }
            }
            Edit::Halfway(halfway) => draft.cues.halfway = halfway,
            Edit::Warning(seconds) => draft.cues.warning = seconds.map(DurationSpec::from_secs),
            Edit::CheckInEvery(seconds) => draft.cues.check_in_every = seconds.map(DurationSpec::from_secs),
            Edit::OffsetChimes(typed) => {
                let field = "cues.at".to_owned();
                self.typed.insert(field.clone(), typed.clone());
                match parse_offsets(&typed) {
                    Ok(offsets) => {
                        self.unparsed.remove(&field);
                        draft.cues.at = (!offsets.is_empty()).then_some(offsets);
                    }
                    Err(message) => {
                        self.unparsed.insert(field.clone(), FieldProblem { field, message });
                    }
                }
            }
            Edit::AddStep => {
                let at = self.selected.map_or(draft.steps.len(), |i| (i + 1).min(draft.steps.len()));
                draft.steps.insert(at, templates::step(Technique::SustainedHold, "", 90));
                self.selected = Some(at);
            }
            Edit::DuplicateStep(index) => {
                if let Some(step) = draft.steps.get(index).cloned() {
                    draft.steps.insert(index + 1, step);
                    self.selected = Some(index + 1);
                }
            }
            Edit::DeleteStep(index) => {
                if index < draft.steps.len() {
                    draft.steps.remove(index);
                    self.unparsed.retain(|field, _| !field.starts_with("steps["));
                    self.selected = Some(index.min(draft.steps.len().saturating_sub(1)));
                }
            }
            Edit::MoveStep { index, up } => {
                let other = if up { index.checked_sub(1) } else { Some(index + 1) };
                if let Some(other) = other.filter(|o| *o < draft.steps.len() && index < draft.steps.len()) {
                    draft.steps.swap(index, other);
                    self.selected = Some(other);
                }
            }
            Edit::Step(index, edit) => {
                let Some(step) = draft.steps.get_mut(index) else { return };
                self.selected = Some(index);
                let field = format!("steps[{index}].duration");
                if let StepEdit::DurationText(typed) = &edit {
                    self.typed.insert(field.clone(), typed.clone());
                }
                match edit_step(step, edit) {
                    Ok(()) => {
                        self.unparsed.remove(&field);
                    }
                    Err(message) => {
                        self.unparsed.insert(field.clone(), FieldProblem { field, message });
                    }
                }
            }
        }
    }

    /// Checks the draft as the loader would read its file, and that its id is not another sequence's.
    fn check(&mut self) {
        self.problems = match parse_sequence("draft", write_sequence(&self.draft).as_bytes()) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics
                .into_iter()
                .map(|d| FieldProblem { field: d.field.to_string(), message: d.message })
                .collect(),
        };
        let id = &self.draft.id;
        let overrides_bundled = self.origin == Origin::Bundled && self.bundled.contains(id);
        if self.taken.contains(id) && !overrides_bundled {
            self.problems.push(FieldProblem {
                field: "id".to_owned(),
                message: format!("duplicate id \"{id}\": another sequence in the library already uses it"),
            });
        }
    }
}

/// "90s, 2m" → offsets, or the format's own complaint.
fn parse_offsets(typed: &str) -> Result<Vec<DurationSpec>, String> {
    typed
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            parse_duration(part).map_err(|_| format!("{part:?} is not a duration; {}", crate::sequence::DURATION_HINT))
        })
        .collect()
}

/// The text field an edit types into, for grouping keystrokes into one undoable change.
fn text_field(edit: &Edit) -> Option<String> {
    Some(match edit {
        Edit::Title(_) => "title".to_owned(),
        Edit::Id(_) => "id".to_owned(),
        Edit::Summary(_) => "summary".to_owned(),
        Edit::Position(_) => "position".to_owned(),
        Edit::Equipment(_) => "equipment".to_owned(),
        Edit::OffsetChimes(_) => "cues.at".to_owned(),
        Edit::Step(index, edit) => {
            let name = match edit {
                StepEdit::Title(_) => "title",
                StepEdit::Area(_) => "area",
                StepEdit::DurationText(_) => "duration",
                StepEdit::PressurePrompt(_) => "pressure.prompt",
                StepEdit::DirectionPrompt(_) => "direction.prompt",
                StepEdit::Notes(_) => "notes",
                _ => return None,
            };
            format!("steps[{index}].{name}")
        }
        _ => return None,
    })
}

fn edit_step(step: &mut StepSpec, edit: StepEdit) -> Result<(), String> {
    let text = |value: &str| (!value.trim().is_empty()).then(|| Text::new(value));
    match edit {
        StepEdit::Technique(technique) => step.technique = technique,
        StepEdit::Title(title) => step.title = text(&title),
        StepEdit::Area(area) => step.area = text(&area),
        StepEdit::Side(side) => {
            step.side = side;
            if !matches!(side, Some(Side::LeftThenRight | Side::RightThenLeft)) {
                step.switch = None;
            }
        }
        StepEdit::Switch(seconds) => step.switch = Some(DurationSpec::from_secs(seconds)),
        StepEdit::Seconds(seconds) => {
            step.until_release = None;
            step.duration = Some(DurationSpec::from_secs(seconds));
        }
        StepEdit::DurationText(typed) => {
            let length = parse_duration(&typed)
                .map_err(|_| format!("{:?} is not a duration; {}", typed.trim(), crate::sequence::DURATION_HINT))?;
            step.until_release = None;
            step.duration = Some(length);
        }
        StepEdit::OpenEnded(open) => {
            let current = step.duration.or(step.until_release.map(|u| u.min)).unwrap_or(DurationSpec::from_secs(90));
            if open && step.until_release.is_none() {
                let max = DurationSpec::from_secs((current.as_secs() * 3).max(current.as_secs() + 60));
                step.until_release = Some(UntilRelease { min: current, max });
                step.duration = None;
            } else if !open && step.until_release.is_some() {
                step.duration = Some(current);
                step.until_release = None;
            }
        }
        StepEdit::MinSeconds(seconds) => {
            if let Some(until) = &mut step.until_release {
                until.min = DurationSpec::from_secs(seconds);
            }
        }
        StepEdit::MaxSeconds(seconds) => {
            if let Some(until) = &mut step.until_release {
                until.max = DurationSpec::from_secs(seconds);
            }
        }
        StepEdit::Pressure(level) => {
            step.pressure = level
                .map(|level| PressureSpec { level, prompt: step.pressure.as_ref().and_then(|p| p.prompt.clone()) });
        }
        StepEdit::PressurePrompt(prompt) => {
            if let Some(pressure) = &mut step.pressure {
                pressure.prompt = text(&prompt);
            }
        }
        StepEdit::Direction(kind) => {
            step.direction =
                kind.map(|kind| DirectionSpec { kind, prompt: step.direction.as_ref().and_then(|d| d.prompt.clone()) });
        }
        StepEdit::DirectionPrompt(prompt) => {
            if let Some(direction) = &mut step.direction {
                direction.prompt = text(&prompt);
            }
        }
        StepEdit::Notes(notes) => step.notes = text(&notes),
        StepEdit::Repeat(times) => step.repeat = (times > 1).then_some(times),
        StepEdit::Voice(name) => step.voice = name.map(Text::new),
        StepEdit::Halfway(halfway) => {
            let mut cues = step.cues.take().unwrap_or_default();
            cues.halfway = halfway;
            step.cues = (cues != CueSpec::default()).then_some(cues);
        }
        StepEdit::Warning(seconds) => {
            let mut cues = step.cues.take().unwrap_or_default();
            cues.warning = seconds.map(DurationSpec::from_secs);
            step.cues = (cues != CueSpec::default()).then_some(cues);
        }
    }
    Ok(())
}
