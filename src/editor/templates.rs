//! Starting points for a new sequence: blank, or shaped like the sequences people most often write, with their
//! words in the user's language (a sequence's text is its author's, not the window's, so it is not in the `.po`
//! files; like the bundled sequences' translations, it lives with the content).

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

/// The template's texts in German and Spanish: (English, German, Spanish).
const WORDS: [(&str, &str, &str); 12] = [
    ("What this sequence is for.", "Wofür diese Sequenz gedacht ist.", "Para qué sirve esta secuencia."),
    (
        "Long sustained holds, waiting for the first release before moving on.",
        "Lange, gehaltene Griffe: auf die erste Lösung warten, bevor es weitergeht.",
        "Presiones mantenidas largas: espera la primera liberación antes de seguir.",
    ),
    (
        "Sink to the first barrier and wait there.",
        "Bis zur ersten Barriere einsinken und dort warten.",
        "Hunde hasta la primera barrera y espera ahí.",
    ),
    ("Hold", "Halten", "Presión"),
    (
        "The same hold on the left side, then on the right.",
        "Derselbe Griff links, dann rechts.",
        "La misma presión en el lado izquierdo y luego en el derecho.",
    ),
    ("Cross-hand stretch", "Dehnung mit gekreuzten Händen", "Estiramiento con manos cruzadas"),
    (
        "Ball holds on your own: settle, hold, rest. Ease off if the feeling spreads or tingles.",
        "Ballgriffe für dich allein: ankommen, halten, ruhen. Lass nach, wenn sich das Gefühl ausbreitet oder kribbelt.",
        "Presiones con pelota por tu cuenta: acomódate, mantén, descansa. Afloja si la sensación se extiende u hormiguea.",
    ),
    ("Settle and breathe", "Ankommen und atmen", "Acomódate y respira"),
    ("upper back", "oberer Rücken", "parte alta de la espalda"),
    (
        "Let your weight sink onto the ball and wait.",
        "Lass dein Gewicht auf den Ball sinken und warte.",
        "Deja que tu peso se hunda sobre la pelota y espera.",
    ),
    ("Ball under the shoulder blade", "Ball unter dem Schulterblatt", "Pelota bajo el omóplato"),
    ("Rest", "Ruhe", "Reposo"),
];

/// `english` in `language` ("de", "es"), or as it is for English and any language without the template's words.
fn word(english: &str, language: &str) -> String {
    let found = WORDS.iter().find(|(en, _, _)| *en == english);
    match (found, language) {
        (Some((_, de, _)), "de") => (*de).to_owned(),
        (Some((_, _, es)), "es") => (*es).to_owned(),
        _ => english.to_owned(),
    }
}

/// The language a template's words come out in for a user of `language`: one the app is translated into, or English.
fn written_language(language: &str) -> &'static str {
    crate::i18n::LANGUAGES.into_iter().find(|known| *known == language).unwrap_or("en")
}

/// A document from `template`, titled `title`, with the id `id` (made unique by the caller), its words in
/// `language` (a code such as "de") where the template has them, in English otherwise.
pub fn document(template: Template, title: &str, id: &str, language: &str) -> SequenceDocument {
    let language = written_language(language);
    let w = |english: &str| word(english, language);
    let (audience, summary, steps) = match template {
        Template::Blank => {
            (Audience::SelfCare, w("What this sequence is for."), vec![step(Technique::SustainedHold, "", 90)])
        }
        Template::SustainedHolds => (
            Audience::Therapist,
            w("Long sustained holds, waiting for the first release before moving on."),
            (1..=3)
                .map(|n| StepSpec {
                    until_release: Some(UntilRelease {
                        min: DurationSpec::from_secs(90),
                        max: DurationSpec::from_secs(300),
                    }),
                    duration: None,
                    pressure: pressure(2, &w("Sink to the first barrier and wait there.")),
                    direction: direction(DirectionKind::Stationary, ""),
                    cues: Some(CueSpec { at: Some(vec![DurationSpec::from_secs(120)]), ..CueSpec::default() }),
                    ..step(Technique::SustainedHold, &format!("{} {n}", w("Hold")), 90)
                })
                .collect(),
        ),
        Template::LeftThenRight => (
            Audience::Therapist,
            w("The same hold on the left side, then on the right."),
            vec![StepSpec {
                side: Some(Side::LeftThenRight),
                switch: Some(DurationSpec::from_secs(10)),
                pressure: pressure(2, ""),
                ..step(Technique::CrossHandStretch, &w("Cross-hand stretch"), 180)
            }],
        ),
        Template::SelfCareBallRoutine => (
            Audience::SelfCare,
            w("Ball holds on your own: settle, hold, rest. Ease off if the feeling spreads or tingles."),
            vec![
                step(Technique::Rest, &w("Settle and breathe"), 60),
                StepSpec {
                    area: Some(Text::new(w("upper back"))),
                    side: Some(Side::LeftThenRight),
                    pressure: pressure(2, &w("Let your weight sink onto the ball and wait.")),
                    direction: direction(DirectionKind::Stationary, ""),
                    ..step(Technique::SustainedHold, &w("Ball under the shoulder blade"), 90)
                },
                step(Technique::Rest, &w("Rest"), 60),
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
        language: Some(language.to_owned()),
        position: None,
        equipment: Vec::new(),
        author: None,
        tags: Vec::new(),
        precautions: Vec::new(),
        cues: CueSpec::default(),
        steps,
        translations: Default::default(),
    }
}
