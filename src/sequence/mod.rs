//! Sequence files: the format, parsing with positioned errors, validation, expansion into a plan, and the library.

mod diagnostic;
mod duration;
mod format;
mod locate;
mod parse;
mod plan;
mod precaution;
mod shape;
mod suggest;
mod translate;
mod validate;
mod wording;
mod write;

pub mod library;
pub mod schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use diagnostic::{Diagnostic, FieldPath, Position, Segment, shorten_to};
pub use duration::{DURATION_HINT, DurationSpec, parse_duration};
pub use format::{
    Audience, CueSpec, DirectionKind, DirectionSpec, FORMAT_VERSION, FormatVersion, MAX_TEXT_CHARS, PressureSpec,
    SequenceDocument, Side, StepSpec, Technique, Text, UntilRelease,
};
pub use parse::{MAX_FILE_BYTES, parse_sequence};
pub use plan::{
    BodySide, CueDefaults, DEFAULT_RHYTHM_BPM, DEFAULT_SWITCH, Direction, Plan, PlannedStep, Pressure, PressureLevel,
    StepCues, StepRole, Timing,
};
pub use precaution::Precaution;
pub use suggest::did_you_mean;
pub use translate::{Catalog, Coverage, TextAt, coverage, written_in};
pub use validate::{MAX_ID_CHARS, MAX_SESSION, MAX_STEP, MAX_STEPS};
pub use write::{SCHEMA_REFERENCE, write_sequence};

/// FNV-1a (64-bit) of a file's bytes, as 16 hex digits: enough to tell an edited file from the one a session used
/// (this is not a security check, so no cryptographic hash is needed).
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

/// A sequence that parsed and passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    origin: String,
    document: SequenceDocument,
    /// Where the `id` value is in the file, for pointing at a clash with another file's id.
    id_position: Position,
    played_step_count: usize,
    expected_total: Duration,
    content_hash: String,
    /// The folder of the file it was read from, where its recorded prompts (`voice`) are.
    voice_folder: Option<PathBuf>,
}

impl Sequence {
    fn new(origin: String, document: SequenceDocument, id_position: Position, content_hash: String) -> Self {
        // Sides and repeats do not depend on cue defaults, so these summaries can be taken once.
        let plan = Plan::build(&document, &CueDefaults::default());
        Self {
            origin,
            id_position,
            played_step_count: plan.len(),
            expected_total: plan.expected_total(),
            document,
            content_hash,
            voice_folder: None,
        }
    }

    /// The same sequence with its recorded prompts looked up in `folder` (a draft tried before it is saved there).
    pub fn with_voice_folder(mut self, folder: PathBuf) -> Self {
        self.voice_folder = Some(folder);
        self
    }

    /// The folder its recorded prompts are in: the sequence file's (`None` for bundled sequences).
    pub fn voice_folder(&self) -> Option<&Path> {
        self.voice_folder.as_deref()
    }

    /// A fingerprint of the file's bytes: history and the resume checkpoint keep it, so a sequence edited since a
    /// session shows as changed.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }

    pub fn id_position(&self) -> Position {
        self.id_position
    }

    /// How the file was named when loaded (a path, or `bundled:name.json`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn document(&self) -> &SequenceDocument {
        &self.document
    }

    pub fn id(&self) -> &str {
        &self.document.id
    }

    pub fn title(&self) -> &str {
        self.document.title.as_str()
    }

    pub fn audience(&self) -> Audience {
        self.document.audience
    }

    /// The title in `reader`'s language (a code such as "de") where the file translates it.
    pub fn title_in(&self, reader: &str) -> &str {
        self.words_in(reader).text(self.title())
    }

    /// The file's translations into `reader`'s language, for its other texts (summary, position, equipment).
    pub fn words_in(&self, reader: &str) -> Catalog<'_> {
        Catalog::for_reader(&self.document, Some(reader))
    }

    /// The language its texts are written in, when the file says.
    pub fn language(&self) -> Option<&str> {
        self.document.language.as_deref()
    }

    /// The steps as played, with the user's cue defaults layered under the file's own cues, and texts as written.
    pub fn plan(&self, defaults: &CueDefaults) -> Plan {
        self.plan_for(defaults, None)
    }

    /// As [`Sequence::plan`], with each step's texts in `reader`'s language where the file translates them all.
    pub fn plan_in(&self, defaults: &CueDefaults, reader: &str) -> Plan {
        self.plan_for(defaults, Some(reader))
    }

    fn plan_for(&self, defaults: &CueDefaults, reader: Option<&str>) -> Plan {
        let mut plan = Plan::build_in(&self.document, defaults, reader);
        if let Some(folder) = &self.voice_folder {
            for step in &mut plan.steps {
                step.voice = step.voice.take().map(|name| folder.join(name));
            }
        }
        plan
    }

    /// Number of steps as played (sides and repeats expanded).
    pub fn played_step_count(&self) -> usize {
        self.played_step_count
    }

    /// Expected total length (open-ended holds count their minimum).
    pub fn expected_total(&self) -> Duration {
        self.expected_total
    }

    /// Treatment techniques used, in the order `Technique::ALL` lists them.
    pub fn techniques(&self) -> Vec<Technique> {
        let used: BTreeSet<usize> = self
            .document
            .steps
            .iter()
            .filter(|s| s.technique.is_treatment())
            .filter_map(|s| Technique::ALL.iter().position(|t| *t == s.technique))
            .collect();
        used.into_iter().map(|i| Technique::ALL[i]).collect()
    }

    /// The screening questions for this sequence: the core five plus its own precautions.
    pub fn screening(&self) -> Vec<Precaution> {
        Precaution::screening_for(&self.document.precautions)
    }
}
