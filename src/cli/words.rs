//! The terminal's English wording for domain values. The window words the same values in its `.slint` files (with
//! `@tr`, in every language shipped); the terminal speaks English only, all of it here.

use crate::sequence::{BodySide, DirectionKind, PlannedStep, Precaution, PressureLevel, StepRole, Technique};

/// The aftercare card printed after every completed session. Wording follows the MFR reference's aftercare section;
/// no claims beyond it (drinking water is for thirst, not "flushing" anything).
pub const AFTERCARE: [&str; 4] = [
    "Mild soreness for 24–48 hours is common.",
    "Take it easy today.",
    "Drink water if you're thirsty.",
    "Seek care for a hot, swollen calf, a fever, or a wound that won't settle.",
];

pub const fn technique(technique: Technique) -> &'static str {
    match technique {
        Technique::SustainedHold => "Sustained hold",
        Technique::CrossHandStretch => "Cross-hand stretch",
        Technique::SkinRolling => "Skin rolling",
        Technique::Direct => "Direct technique",
        Technique::Indirect => "Indirect technique",
        Technique::Rebounding => "Rebounding",
        Technique::Rest => "Rest",
        Technique::Transition => "Transition",
        Technique::Assessment => "Assessment",
    }
}

pub const fn pressure_name(level: PressureLevel) -> &'static str {
    match level.value() {
        0 => "Contact only",
        1 => "Skin only",
        2 => "First barrier",
        3 => "Moderate",
        _ => "Firm",
    }
}

/// What a level means, for a step that gives no prompt of its own.
pub const fn pressure_description(level: PressureLevel) -> &'static str {
    match level.value() {
        0 => "Rest the hands; no depth.",
        1 => "Move the skin only, feather-light.",
        2 => "Sink to the first resistance and wait there.",
        3 => "About 3–4 out of 10; keep breathing easily.",
        _ => "At most 5–6 out of 10; ease off if you hold your breath.",
    }
}

pub const fn direction(kind: DirectionKind) -> &'static str {
    match kind {
        DirectionKind::Stationary => "Stay still",
        DirectionKind::Cephalad => "Toward the head",
        DirectionKind::Caudal => "Toward the feet",
        DirectionKind::Medial => "Toward the midline",
        DirectionKind::Lateral => "Away from the midline",
        DirectionKind::Proximal => "Toward the body",
        DirectionKind::Distal => "Away from the body",
        DirectionKind::Apart => "Hands apart",
        DirectionKind::Together => "Hands together",
        DirectionKind::Clockwise => "Clockwise",
        DirectionKind::CounterClockwise => "Counter-clockwise",
        DirectionKind::AlongFibres => "Along the fibres",
        DirectionKind::Across => "Across the fibres",
        DirectionKind::Ease => "Follow the ease",
        DirectionKind::IntoBarrier => "Into the barrier",
        DirectionKind::Rhythm => "With the rhythm",
    }
}

pub const fn side(side: BodySide) -> &'static str {
    match side {
        BodySide::Left => "left",
        BodySide::Right => "right",
        BodySide::Both => "both sides",
        BodySide::Midline => "midline",
    }
}

/// A step's heading: the author's title, "Switch sides", or the technique's name.
pub fn step_title(step: &PlannedStep) -> &str {
    match (&step.title, step.role) {
        (Some(title), _) => title,
        (None, StepRole::SideSwitch { .. }) => "Switch sides",
        (None, StepRole::Written) => technique(step.technique),
    }
}

/// A step's notes: the author's, or for a side switch where to settle next.
pub fn step_notes(step: &PlannedStep) -> Option<&str> {
    match (&step.notes, step.role) {
        (Some(notes), _) => Some(notes),
        (None, StepRole::SideSwitch { to: BodySide::Left }) => Some("Ease out slowly, then settle on the left side."),
        (None, StepRole::SideSwitch { .. }) => Some("Ease out slowly, then settle on the right side."),
        (None, StepRole::Written) => None,
    }
}

/// The screening question, worded for the person being treated.
pub const fn question(precaution: Precaution) -> &'static str {
    match precaution {
        Precaution::AcuteInjury => "Any injury in the last few days with swelling, heat or redness?",
        Precaution::FeverOrInfection => "Fever, infection or feeling unwell?",
        Precaution::OpenWound => "An open wound, rash, burn or fragile skin in the area?",
        Precaution::RecentSurgery => {
            "Surgery in the last 6–8 weeks, stitches or staples still in, or not yet cleared by your surgeon?"
        }
        Precaution::BloodClot => "A known or suspected blood clot, or one calf that is swollen, warm and painful?",
        Precaution::BloodThinners => "Blood thinners, a bleeding disorder, or bruising easily?",
        Precaution::Osteoporosis => "Osteoporosis, or a recent or healing fracture?",
        Precaution::Cancer => "Cancer now or under treatment?",
        Precaution::Aneurysm => "A known aneurysm or a serious circulation problem?",
        Precaution::Pregnancy => "Pregnant?",
        Precaution::ConnectiveTissueDisorder => {
            "A connective tissue disorder or hypermobility syndrome, or an inflammatory arthritis flare?"
        }
        Precaution::ReducedSensation => "Diabetes with reduced feeling, or new numbness, tingling or weakness?",
        Precaution::UnexplainedLump => "An unexplained lump?",
        Precaution::Dizziness => "Dizzy when standing up, or taking blood-pressure medicine?",
        Precaution::Implant => "A metal implant or joint replacement in the area?",
        Precaution::SevereHeadache => "A sudden, severe or unusual headache?",
    }
}

/// What a "yes" means. A sudden severe headache is not a clearance question but a reason to get care.
pub const fn advice(precaution: Precaution) -> &'static str {
    match precaution {
        Precaution::SevereHeadache => "Do not start: a sudden, severe or unusual headache needs medical care first.",
        Precaution::BloodClot => "Do not work on the area: get medical care first.",
        _ => "Skip this area or get clearance first.",
    }
}

/// What a file's translations lack, a line per language that is not complete (and one more for translations nothing
/// uses); nothing for a file whose translations are whole.
pub fn translation_gaps(sequence: &crate::sequence::Sequence) -> Vec<String> {
    use crate::sequence::shorten_to;
    let mut lines = Vec::new();
    for language in crate::sequence::coverage(sequence.document()) {
        let total = language.distinct_texts;
        let code = language.language;
        if !language.missing.is_empty() {
            let missing = &language.missing;
            let first: Vec<String> =
                missing.iter().take(3).map(|m| format!("{} {:?}", m.field, shorten_to(m.text, 40))).collect();
            let more = missing.len() - first.len();
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let done = total - missing.len();
            lines.push(format!("{code}: {done} of {total} texts translated; not yet: {}{more}", first.join(", ")));
        }
        if let Some(first) = language.unused.first() {
            let count = language.unused.len();
            let noun = if count == 1 { "translation matches" } else { "translations match" };
            lines.push(format!(
                "{code}: {count} {noun} no text (edited or removed since; kept, never shown): {:?}{}",
                shorten_to(first, 40),
                if count > 1 { ", …" } else { "" }
            ));
        }
    }
    lines
}
