//! Starting points for a new sequence: blank, or shaped like the sequences people most often write.

use crate::sequence::{
    Audience, CueSpec, DirectionKind, DirectionSpec, DurationSpec, FormatVersion, PressureSpec, SequenceDocument, Side,
    StepSpec, Technique, Text, UntilRelease,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// One sustained hold to start from.
    Blank,
    /// Three long holds with the first-release window marked, for a therapist.
    SustainedHolds,
    /// One hold on the left, a switch, the same on the right.
    LeftThenRight,
    /// Ball holds for someone on their own: settle, two holds, rest.
    SelfCareBallRoutine,
}

impl Template {
    pub const ALL: [Template; 4] =
        [Template::Blank, Template::SustainedHolds, Template::LeftThenRight, Template::SelfCareBallRoutine];
}

pub fn step(technique: Technique, title: &str, seconds: u64) -> StepSpec {
    StepSpec {
        technique,
        title: (!title.is_empty()).then(|| Text::new(title)),
        area: None,
        side: None,
        switch: None,
        duration: Some(DurationSpec::from_secs(seconds)),
        until_release: None,
        pressure: None,
        direction: None,
        notes: None,
        say: None,
        voice: None,
        cues: None,
        repeat: None,
    }
}

fn pressure(level: u32, prompt: &str) -> Option<PressureSpec> {
    Some(PressureSpec { level, prompt: (!prompt.is_empty()).then(|| Text::new(prompt)) })
}

fn direction(kind: DirectionKind, prompt: &str) -> Option<DirectionSpec> {
    Some(DirectionSpec { kind, prompt: (!prompt.is_empty()).then(|| Text::new(prompt)) })
}

/// A document from `template`, titled `title`, with the id `id` (made unique by the caller).
pub fn document(template: Template, title: &str, id: &str) -> SequenceDocument {
    let (audience, summary, steps) = match template {
        Template::Blank => {
            (Audience::SelfCare, "What this sequence is for.", vec![step(Technique::SustainedHold, "", 90)])
        }
        Template::SustainedHolds => (
            Audience::Therapist,
            "Long sustained holds, waiting for the first release before moving on.",
            (1..=3)
                .map(|n| StepSpec {
                    until_release: Some(UntilRelease {
                        min: DurationSpec::from_secs(90),
                        max: DurationSpec::from_secs(300),
                    }),
                    duration: None,
                    pressure: pressure(2, "Sink to the first barrier and wait there."),
                    direction: direction(DirectionKind::Stationary, ""),
                    cues: Some(CueSpec { at: Some(vec![DurationSpec::from_secs(120)]), ..CueSpec::default() }),
                    ..step(Technique::SustainedHold, &format!("Hold {n}"), 90)
                })
                .collect(),
        ),
        Template::LeftThenRight => (
            Audience::Therapist,
            "The same hold on the left side, then on the right.",
            vec![StepSpec {
                side: Some(Side::LeftThenRight),
                switch: Some(DurationSpec::from_secs(10)),
                pressure: pressure(2, ""),
                ..step(Technique::CrossHandStretch, "Cross-hand stretch", 180)
            }],
        ),
        Template::SelfCareBallRoutine => (
            Audience::SelfCare,
            "Ball holds on your own: settle, hold, rest. Ease off if the feeling spreads or tingles.",
            vec![
                step(Technique::Rest, "Settle and breathe", 60),
                StepSpec {
                    area: Some(Text::new("upper back")),
                    side: Some(Side::LeftThenRight),
                    pressure: pressure(2, "Let your weight sink onto the ball and wait."),
                    direction: direction(DirectionKind::Stationary, ""),
                    ..step(Technique::SustainedHold, "Ball under the shoulder blade", 90)
                },
                step(Technique::Rest, "Rest", 60),
            ],
        ),
    };
    SequenceDocument {
        schema: Some(Text::new(crate::sequence::SCHEMA_REFERENCE)),
        format: FormatVersion,
        id: id.to_owned(),
        title: Text::new(title),
        summary: Text::new(summary),
        audience,
        position: None,
        equipment: Vec::new(),
        author: None,
        tags: Vec::new(),
        precautions: Vec::new(),
        cues: CueSpec::default(),
        steps,
    }
}
