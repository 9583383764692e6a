//! Words for domain values on screen (techniques, sides, pressure levels, directions, cues), in the chosen language.
//! The terminal uses the same English source strings.

use std::time::Duration;

use crate::cues::ChimeKind;
use crate::display;
use crate::i18n::{tr, tr_args};
use crate::sequence::{Audience, BodySide, DirectionKind, PlannedStep, Precaution, PressureLevel, Technique};

pub fn technique(technique: Technique) -> String {
    tr(technique.display_name())
}

pub fn audience(audience: Audience) -> String {
    tr(match audience {
        Audience::Therapist => "Therapist",
        Audience::SelfCare => "Self-care",
    })
}

pub fn side(side: BodySide) -> String {
    tr(match side {
        BodySide::Left => "left",
        BodySide::Right => "right",
        BodySide::Both => "both sides",
        BodySide::Midline => "midline",
    })
}

pub fn pressure_name(level: PressureLevel) -> String {
    tr(level.name())
}

pub fn pressure_description(level: PressureLevel) -> String {
    tr(level.description())
}

pub fn direction(kind: DirectionKind) -> String {
    tr(match kind {
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
    })
}

/// A step's heading: its own title from the file as written, or a generated one in the chosen language.
pub fn step_title(step: &PlannedStep) -> String {
    let generated = step.is_side_switch() || step.title == step.technique.display_name();
    if generated { tr(&step.title) } else { step.title.clone() }
}

pub fn step_notes(step: &PlannedStep) -> String {
    match (&step.notes, step.is_side_switch()) {
        (Some(notes), true) => tr(notes),
        (Some(notes), false) => notes.clone(),
        (None, _) => String::new(),
    }
}

pub fn repetition(step: &PlannedStep) -> String {
    step.repetition.map(|(n, of)| tr_args("set {} of {}", &[&n, &of])).unwrap_or_default()
}

/// What the screen says when a chime rings, so a silent room still works.
pub fn cue(kind: ChimeKind, offset: Option<Duration>) -> String {
    match kind {
        ChimeKind::StepStart => tr("Begin"),
        ChimeKind::Halfway => tr("Halfway"),
        ChimeKind::Warning => tr("Prepare to ease out"),
        ChimeKind::Offset => tr_args("Cue at {}", &[&display::count_up(offset.unwrap_or_default())]),
        ChimeKind::CheckIn => tr("Check in: pressure OK? Breathing easy?"),
        ChimeKind::MinimumReached => tr("Minimum reached: wait for the release"),
        ChimeKind::SideSwitch => tr("Switch sides"),
        ChimeKind::StepEnd => tr("Next step"),
        ChimeKind::SessionEnd => tr("Session complete"),
        ChimeKind::RhythmTick => String::new(),
    }
}

/// Every English source string this module can show, for the translation completeness test.
pub fn all_source_strings() -> Vec<&'static str> {
    let mut strings: Vec<&'static str> = Technique::ALL.iter().map(|t| t.display_name()).collect();
    strings.extend(["Therapist", "Self-care", "left", "right", "both sides", "midline", "set {} of {}"]);
    strings.extend((0..=PressureLevel::MAX).filter_map(PressureLevel::new).flat_map(|l| [l.name(), l.description()]));
    strings.extend([
        "Stay still",
        "Toward the head",
        "Toward the feet",
        "Toward the midline",
        "Away from the midline",
        "Toward the body",
        "Away from the body",
        "Hands apart",
        "Hands together",
        "Clockwise",
        "Counter-clockwise",
        "Along the fibres",
        "Across the fibres",
        "Follow the ease",
        "Into the barrier",
        "With the rhythm",
        "Begin",
        "Halfway",
        "Prepare to ease out",
        "Cue at {}",
        "Check in: pressure OK? Breathing easy?",
        "Minimum reached: wait for the release",
        "Switch sides",
        "Next step",
        "Session complete",
        "Ease out slowly, then settle on the left side.",
        "Ease out slowly, then settle on the right side.",
        "Type the path of a sequence file first.",
        "(+{} added)",
        "Sound is ready.",
        "Sound unavailable",
    ]);
    strings.extend(Precaution::ALL.iter().flat_map(|p| [p.question(), p.advice()]));
    strings.extend(crate::AFTERCARE_LINES);
    strings.extend([crate::audio::NO_DEVICE, crate::audio::CANNOT_OPEN, crate::audio::DEVICE_LOST]);
    strings.sort_unstable();
    strings.dedup();
    strings
}
