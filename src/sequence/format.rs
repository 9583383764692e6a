//! The on-disk shape of a sequence file (format 1): serde types whose doc comments become the JSON Schema's hover text.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::duration::DurationSpec;
use super::precaution::Precaution;

/// The only format version this build reads.
pub const FORMAT_VERSION: u32 = 1;
/// Longest text accepted in any string field, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// A guided myofascial-release session: metadata, screening precautions, default cues and the steps to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Stillpoint sequence")]
pub struct SequenceDocument {
    /// Optional link to this schema, for editors. Ignored by Stillpoint.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Text>,
    /// File format version. Must be 1.
    pub format: FormatVersion,
    /// Unique name of the sequence in the library, in kebab-case (lowercase words joined by hyphens).
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"), length(max = 80))]
    pub id: String,
    /// Title shown on the library card and the session screen.
    pub title: Text,
    /// One or two sentences on what the sequence is for.
    pub summary: Text,
    /// Who runs the sequence: a therapist working on a client, or a person on their own.
    pub audience: Audience,
    /// The language the texts are written in, as a two- or three-letter code ("en", "de", "es"). Without it they are
    /// taken to be in the language the app is shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z]{2,3}$"))]
    pub language: Option<String>,
    /// Body position for the session, e.g. "supine", "prone", "seated".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Text>,
    /// What is needed, e.g. "foam roller", "two tennis balls in a sock".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<Text>,
    /// Who wrote the sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Text>,
    /// Free keywords for searching and filtering.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Text>,
    /// Screening items asked before the session starts. The five core items (acute-injury, osteoporosis,
    /// open-wound, recent-surgery, connective-tissue-disorder) are always asked; list any others that apply.
    #[serde(default)]
    pub precautions: Vec<Precaution>,
    /// Default cues for every step; a step's own `cues` override them field by field.
    #[serde(default)]
    pub cues: CueSpec,
    /// The steps, in order (1 to 500).
    #[schemars(length(min = 1, max = 500))]
    pub steps: Vec<StepSpec>,
    /// The texts in other languages: for each language code, each text exactly as written above and its
    /// translation, e.g. `{ "de": { "Ball under the heel": "Ball unter der Ferse" } }`. Texts without a translation
    /// are shown as written; a step is shown translated only when all of its texts are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BTreeMap<String, Text>>,
}

/// Who the sequence is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// A therapist working on a client.
    Therapist,
    /// A person working on themselves with a ball, roller or their hands.
    SelfCare,
}

impl Audience {
    pub const fn code(self) -> &'static str {
        match self {
            Audience::Therapist => "therapist",
            Audience::SelfCare => "self-care",
        }
    }
}

/// One step as written in the file. `side` and `repeat` may expand it into several steps when played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// What the hands (or the ball) do during this step.
    pub technique: Technique,
    /// Heading for the step; defaults to the technique's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Body area worked, e.g. "thoracolumbar junction".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Text>,
    /// Which side. `left-then-right` and `right-then-left` play the step twice with a short switch between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// How long the side switch of `left-then-right`/`right-then-left` lasts (default "10s"; "0s" for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<DurationSpec>,
    /// Fixed length of the step, 1 s to 60 min. Give exactly one of `duration` and `until_release`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationSpec>,
    /// Open-ended hold: counts down to `min`, then counts up until a release is marked or `max` is reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_release: Option<UntilRelease>,
    /// How much pressure, as a level from 0 to 4 with an optional prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<PressureSpec>,
    /// Which way to move or hold, as a direction kind with an optional prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<DirectionSpec>,
    /// Extra guidance shown during the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text>,
    /// Words spoken aloud when the step starts, instead of the prompt Stillpoint makes from the side, title, area,
    /// pressure and direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub say: Option<Text>,
    /// A recorded prompt played when the step starts, instead of synthesized speech: a WAV file, named relative to
    /// the sequence file (e.g. "neck.step-2.wav").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[^/\\].*\.[wW][aA][vV]$"))]
    pub voice: Option<Text>,
    /// Cues for this step; each field given here overrides the sequence's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cues: Option<CueSpec>,
    /// How many times to play the step in a row (1 to 20, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 20))]
    pub repeat: Option<u32>,
}

/// The open-ended hold of Barnes-style work: no change is expected before `min`, and the hold ends at `max` at the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UntilRelease {
    /// Countdown before a release is expected (1 s to 60 min).
    pub min: DurationSpec,
    /// Longest the hold runs if no release is marked (at least `min`, at most 60 min).
    pub max: DurationSpec,
}

/// When to chime during a step. Every field is optional; unset fields fall back to the sequence's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CueSpec {
    /// Chime halfway through a fixed step (or halfway to `min` of an open-ended hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halfway: Option<bool>,
    /// Chime this long before the step ends, e.g. "10s" or "30s" ("0s" turns it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<DurationSpec>,
    /// A soft check-in chime at this interval ("pressure OK? breathing easy?"); "0s" turns it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in_every: Option<DurationSpec>,
    /// Chimes at these offsets from the step's start, e.g. ["90s", "120s"] for the first-release window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Vec<DurationSpec>>,
    /// Metronome beats per minute (20 to 200) for rebounding and rocking; default 65 on rhythmic steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 20, max = 200))]
    pub rhythm: Option<u32>,
}

/// The technique of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Technique {
    /// Sink to the first barrier and hold without sliding until the tissue softens.
    SustainedHold,
    /// Palms crossed on dry skin, hands separating along the restriction without sliding.
    CrossHandStretch,
    /// A fold of skin lifted between thumbs and fingers and walked forward.
    SkinRolling,
    /// Load into the restriction and hold steady force until it gives.
    Direct,
    /// Move the tissue the way it goes most easily and hold there, very lightly.
    Indirect,
    /// Gentle rhythmic oscillation (rocking, jostling).
    Rebounding,
    /// Stillness: hands resting or off.
    Rest,
    /// Repositioning between steps.
    Transition,
    /// Feel for ease and bind before or after treatment.
    Assessment,
}

impl Technique {
    pub const ALL: [Technique; 9] = [
        Technique::SustainedHold,
        Technique::CrossHandStretch,
        Technique::SkinRolling,
        Technique::Direct,
        Technique::Indirect,
        Technique::Rebounding,
        Technique::Rest,
        Technique::Transition,
        Technique::Assessment,
    ];

    /// The file code, e.g. `cross-hand-stretch`.
    pub const fn code(self) -> &'static str {
        match self {
            Technique::SustainedHold => "sustained-hold",
            Technique::CrossHandStretch => "cross-hand-stretch",
            Technique::SkinRolling => "skin-rolling",
            Technique::Direct => "direct",
            Technique::Indirect => "indirect",
            Technique::Rebounding => "rebounding",
            Technique::Rest => "rest",
            Technique::Transition => "transition",
            Technique::Assessment => "assessment",
        }
    }

    /// Whether the step is hands-on treatment (as opposed to rest, repositioning or assessment).
    pub const fn is_treatment(self) -> bool {
        !matches!(self, Technique::Rest | Technique::Transition | Technique::Assessment)
    }
}

/// Which side of the body a step works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The client's left side.
    Left,
    /// The client's right side.
    Right,
    /// Both sides at once.
    Both,
    /// On the midline (spine, sacrum, sternum).
    Midline,
    /// Play the step on the left, switch, then on the right.
    LeftThenRight,
    /// Play the step on the right, switch, then on the left.
    RightThenLeft,
}

/// How much pressure to use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PressureSpec {
    /// 0 contact only, 1 skin only (feather), 2 first barrier, 3 moderate (about 3–4 out of 10), 4 firm (at most 5–6 out of 10).
    #[schemars(range(min = 0, max = 4))]
    pub level: u32,
    /// What to say about pressure, e.g. "sink to the first resistance and wait".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
}

/// Which way to move, stretch or hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionSpec {
    /// The direction, drawn as a glyph on the session screen.
    pub kind: DirectionKind,
    /// What to say about direction, e.g. "sacrum hand toward the heels".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
}

/// A direction word. Anatomical terms are relative to the client's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DirectionKind {
    /// Hold still; no movement.
    Stationary,
    /// Toward the head.
    Cephalad,
    /// Toward the feet.
    Caudal,
    /// Toward the midline.
    Medial,
    /// Away from the midline.
    Lateral,
    /// Toward the trunk (limbs).
    Proximal,
    /// Away from the trunk (limbs).
    Distal,
    /// Hands separating (cross-hand).
    Apart,
    /// Hands drawing together.
    Together,
    /// Circling clockwise, as seen by the person doing the work.
    Clockwise,
    /// Circling counter-clockwise, as seen by the person doing the work.
    CounterClockwise,
    /// Along the muscle fibres or the length of a scar.
    AlongFibres,
    /// Across the fibres.
    Across,
    /// Indirect: follow the direction of ease.
    Ease,
    /// Direct: load into the barrier.
    IntoBarrier,
    /// Rhythmic oscillation, paced by the metronome.
    Rhythm,
}

impl DirectionKind {
    /// Every direction, in the order the format documents them.
    pub const ALL: [DirectionKind; 16] = [
        DirectionKind::Stationary,
        DirectionKind::Cephalad,
        DirectionKind::Caudal,
        DirectionKind::Medial,
        DirectionKind::Lateral,
        DirectionKind::Proximal,
        DirectionKind::Distal,
        DirectionKind::Apart,
        DirectionKind::Together,
        DirectionKind::Clockwise,
        DirectionKind::CounterClockwise,
        DirectionKind::AlongFibres,
        DirectionKind::Across,
        DirectionKind::Ease,
        DirectionKind::IntoBarrier,
        DirectionKind::Rhythm,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            DirectionKind::Stationary => "stationary",
            DirectionKind::Cephalad => "cephalad",
            DirectionKind::Caudal => "caudal",
            DirectionKind::Medial => "medial",
            DirectionKind::Lateral => "lateral",
            DirectionKind::Proximal => "proximal",
            DirectionKind::Distal => "distal",
            DirectionKind::Apart => "apart",
            DirectionKind::Together => "together",
            DirectionKind::Clockwise => "clockwise",
            DirectionKind::CounterClockwise => "counter-clockwise",
            DirectionKind::AlongFibres => "along-fibres",
            DirectionKind::Across => "across",
            DirectionKind::Ease => "ease",
            DirectionKind::IntoBarrier => "into-barrier",
            DirectionKind::Rhythm => "rhythm",
        }
    }
}

/// The `format` field: only version 1 exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatVersion;

impl Serialize for FormatVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(FORMAT_VERSION)
    }
}

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;

        impl Visitor<'_> for VersionVisitor {
            type Value = FormatVersion;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "the number {FORMAT_VERSION}")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FormatVersion, E> {
                self.visit_f64(v as f64)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FormatVersion, E> {
                self.visit_f64(v as f64)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FormatVersion, E> {
                // JSON does not tell 1 from 1.0, and neither does the schema.
                if v == f64::from(FORMAT_VERSION) {
                    Ok(FormatVersion)
                } else {
                    Err(E::custom(format_args!(
                        "format {v} is not supported: this Stillpoint reads format {FORMAT_VERSION}"
                    )))
                }
            }
        }

        deserializer.deserialize_any(VersionVisitor)
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> Cow<'static, str> {
        "FormatVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "const": FORMAT_VERSION })
    }
}

/// A string of at most [`MAX_TEXT_CHARS`] characters: longer text is a mistake (a pasted file), not guidance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text(String);

impl Text {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(de::Error::custom(format_args!(
                "text is {chars} characters long; the limit is {MAX_TEXT_CHARS}"
            )));
        }
        Ok(Text(text))
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "maxLength": MAX_TEXT_CHARS })
    }
}
