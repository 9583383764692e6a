//! Expands a validated document into the flat list of steps the engine plays: sides, repeats and cue defaults resolved.

use std::path::PathBuf;
use std::time::Duration;

use super::format::{CueSpec, DirectionKind, SequenceDocument, Side, StepSpec, Technique, Text};
use super::translate::Catalog;

/// Metronome rate for rebounding when neither the step nor the sequence gives one: ~1.1 Hz, the rate measured for
/// osteopathic harmonic technique (see the MFR reference, §1).
pub const DEFAULT_RHYTHM_BPM: u32 = 65;
/// Side-switch length when a `left-then-right` step gives no `switch`.
pub const DEFAULT_SWITCH: Duration = Duration::from_secs(10);
/// Steps shorter than this get no halfway chime from defaults: on a short step it is noise, not information.
pub const MIN_STEP_FOR_DEFAULT_HALFWAY: Duration = Duration::from_secs(30);

/// The cue defaults that come from the user's settings, below the sequence's and the step's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueDefaults {
    pub halfway: bool,
    pub warning: Option<Duration>,
}

impl Default for CueDefaults {
    fn default() -> Self {
        Self { halfway: true, warning: Some(Duration::from_secs(10)) }
    }
}

/// A body side as played (the `-then-` forms are already expanded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodySide {
    Left,
    Right,
    Both,
    Midline,
}

impl BodySide {
    pub const fn code(self) -> &'static str {
        match self {
            BodySide::Left => "left",
            BodySide::Right => "right",
            BodySide::Both => "both",
            BodySide::Midline => "midline",
        }
    }
}

/// How a step ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Counts down and ends.
    Fixed(Duration),
    /// Counts down to `min`, then up until a release is marked or `max` is reached.
    UntilRelease { min: Duration, max: Duration },
}

impl Timing {
    /// The length a planner should expect: the fixed length, or `min` for an open-ended hold.
    pub const fn expected(self) -> Duration {
        match self {
            Timing::Fixed(d) => d,
            Timing::UntilRelease { min, .. } => min,
        }
    }

    /// The longest the step can run without extensions.
    pub const fn longest(self) -> Duration {
        match self {
            Timing::Fixed(d) => d,
            Timing::UntilRelease { max, .. } => max,
        }
    }
}

/// A pressure level 0–4 with the words screens and prompts use for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PressureLevel(u8);

impl PressureLevel {
    pub const MAX: u8 = 4;

    pub fn new(level: u8) -> Option<Self> {
        (level <= Self::MAX).then_some(Self(level))
    }

    pub const fn value(self) -> u8 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pressure {
    pub level: PressureLevel,
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction {
    pub kind: DirectionKind,
    pub prompt: Option<String>,
}

/// The cues one played step gets, after step, sequence and user defaults are layered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepCues {
    pub halfway: bool,
    pub warning: Option<Duration>,
    pub check_in_every: Option<Duration>,
    pub at: Vec<Duration>,
    pub rhythm_bpm: Option<u32>,
}

/// Why a step is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRole {
    /// A step written in the file.
    Written,
    /// The pause inserted between the two sides of a `left-then-right`/`right-then-left` step.
    SideSwitch { to: BodySide },
}

/// One step as played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// Index of the step in the file's `steps` array.
    pub source_index: usize,
    pub role: StepRole,
    pub technique: Technique,
    /// The author's title; screens name an untitled step by its technique, a side switch as such.
    pub title: Option<String>,
    pub area: Option<String>,
    pub side: Option<BodySide>,
    pub timing: Timing,
    pub pressure: Option<Pressure>,
    pub direction: Option<Direction>,
    pub notes: Option<String>,
    pub cues: StepCues,
    /// `(n, of)` when the step repeats, 1-based.
    pub repetition: Option<(u32, u32)>,
    /// The author's words to speak at the step's start, instead of the generated prompt.
    pub say: Option<String>,
    /// The recorded prompt to play at the step's start: the `voice` file, joined to the sequence file's folder when
    /// the sequence came from one (see `Sequence::plan`).
    pub voice: Option<PathBuf>,
    /// The language the step's texts are in: the reader's when the file translates all of them, else the file's
    /// `language` (`None` when the file does not say).
    pub text_language: Option<String>,
}

impl PlannedStep {
    pub fn is_side_switch(&self) -> bool {
        matches!(self.role, StepRole::SideSwitch { .. })
    }
}

/// The steps of a session in the order they play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<PlannedStep>,
}

impl Plan {
    /// Expands a document that passed validation, with its texts as written. Unvalidated input still yields a
    /// plan, never a panic.
    pub fn build(document: &SequenceDocument, defaults: &CueDefaults) -> Plan {
        Self::build_in(document, defaults, None)
    }

    /// As [`Plan::build`], with each step's texts in `reader`'s language where the file translates all of them.
    pub fn build_in(document: &SequenceDocument, defaults: &CueDefaults, reader: Option<&str>) -> Plan {
        let catalog = Catalog::for_reader(document, reader);
        let mut steps = Vec::new();
        for (source_index, spec) in document.steps.iter().enumerate() {
            let (words, language) = match catalog.covers(spec) {
                true => (catalog, catalog.language()),
                false => (Catalog::for_reader(document, None), document.language.as_deref()),
            };
            let texts = StepWords { catalog: words, language };
            expand_step(source_index, spec, &document.cues, defaults, texts, &mut steps);
        }
        Plan { steps }
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Total of the expected step lengths (open-ended holds count their minimum).
    pub fn expected_total(&self) -> Duration {
        self.steps.iter().map(|s| s.timing.expected()).sum()
    }

    /// Total if every open-ended hold runs to its maximum.
    pub fn longest_total(&self) -> Duration {
        self.steps.iter().map(|s| s.timing.longest()).sum()
    }
}

fn sides_of(side: Option<Side>) -> Vec<Option<BodySide>> {
    match side {
        None => vec![None],
        Some(Side::Left) => vec![Some(BodySide::Left)],
        Some(Side::Right) => vec![Some(BodySide::Right)],
        Some(Side::Both) => vec![Some(BodySide::Both)],
        Some(Side::Midline) => vec![Some(BodySide::Midline)],
        Some(Side::LeftThenRight) => vec![Some(BodySide::Left), Some(BodySide::Right)],
        Some(Side::RightThenLeft) => vec![Some(BodySide::Right), Some(BodySide::Left)],
    }
}

/// The words one step is shown in.
struct StepWords<'a> {
    catalog: Catalog<'a>,
    language: Option<&'a str>,
}

fn expand_step(
    source_index: usize,
    spec: &StepSpec,
    sequence_cues: &CueSpec,
    defaults: &CueDefaults,
    words: StepWords<'_>,
    out: &mut Vec<PlannedStep>,
) {
    let text = |text: &Option<Text>| text.as_ref().map(|t| words.catalog.text(t.as_str()).to_owned());
    let timing = match (spec.duration, spec.until_release) {
        (_, Some(hold)) => {
            Timing::UntilRelease { min: hold.min.duration(), max: hold.max.duration().max(hold.min.duration()) }
        }
        (Some(duration), None) => Timing::Fixed(duration.duration()),
        (None, None) => Timing::Fixed(Duration::from_secs(1)),
    };
    let repeat = spec.repeat.unwrap_or(1).max(1);
    let sides = sides_of(spec.side);
    let switch = spec.switch.map_or(DEFAULT_SWITCH, |s| s.duration());
    let cues = resolve_cues(spec, sequence_cues, defaults, timing);
    let base = PlannedStep {
        source_index,
        role: StepRole::Written,
        technique: spec.technique,
        title: text(&spec.title),
        area: text(&spec.area),
        side: None,
        timing,
        pressure: spec.pressure.as_ref().and_then(|p| {
            Some(Pressure { level: PressureLevel::new(u8::try_from(p.level).ok()?)?, prompt: text(&p.prompt) })
        }),
        direction: spec.direction.as_ref().map(|d| Direction { kind: d.kind, prompt: text(&d.prompt) }),
        notes: text(&spec.notes),
        cues,
        repetition: (repeat > 1).then_some((1, repeat)),
        say: text(&spec.say),
        voice: spec.voice.as_ref().map(|name| PathBuf::from(name.as_str())),
        text_language: words.language.map(str::to_owned),
    };
    let mut previous_side = None;
    for n in 1..=repeat {
        for side in &sides {
            if let (Some(prev), Some(next)) = (previous_side, *side)
                && prev != next
                && !switch.is_zero()
            {
                out.push(side_switch_step(source_index, next, switch));
            }
            out.push(PlannedStep { side: *side, repetition: base.repetition.map(|(_, of)| (n, of)), ..base.clone() });
            previous_side = *side;
        }
    }
}

fn side_switch_step(source_index: usize, to: BodySide, length: Duration) -> PlannedStep {
    PlannedStep {
        source_index,
        role: StepRole::SideSwitch { to },
        technique: Technique::Transition,
        title: None,
        area: None,
        side: Some(to),
        timing: Timing::Fixed(length),
        pressure: None,
        direction: None,
        notes: None,
        cues: StepCues::default(),
        repetition: None,
        say: None,
        voice: None,
        text_language: None,
    }
}

fn resolve_cues(spec: &StepSpec, sequence: &CueSpec, defaults: &CueDefaults, timing: Timing) -> StepCues {
    let own = spec.cues.clone().unwrap_or_default();
    let length = timing.longest();
    let countdown = timing.expected();
    let rhythmic = spec.technique == Technique::Rebounding
        || spec.direction.as_ref().is_some_and(|d| d.kind == DirectionKind::Rhythm);
    let non_zero = |d: Duration| (!d.is_zero()).then_some(d);

    let halfway = own.halfway.or(sequence.halfway).unwrap_or(
        defaults.halfway && countdown >= MIN_STEP_FOR_DEFAULT_HALFWAY && spec.technique != Technique::Transition,
    );
    let warning = match (own.warning, sequence.warning) {
        (Some(w), _) => non_zero(w.duration()),
        // Inherited warnings only where they leave most of the step alone.
        (None, Some(w)) => non_zero(w.duration()).filter(|w| *w * 2 <= length),
        (None, None) => defaults.warning.filter(|w| *w * 2 <= length && spec.technique != Technique::Transition),
    };
    let check_in_every = own.check_in_every.or(sequence.check_in_every).and_then(|d| non_zero(d.duration()));
    let mut at: Vec<Duration> = own
        .at
        .or_else(|| sequence.at.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.duration())
        .filter(|d| !d.is_zero() && *d < length)
        .collect();
    at.sort();
    at.dedup();
    let rhythm_bpm = own.rhythm.or_else(|| rhythmic.then(|| sequence.rhythm.unwrap_or(DEFAULT_RHYTHM_BPM)));
    StepCues { halfway, warning, check_in_every, at, rhythm_bpm }
}
