//! Domain values to the views' enums and back. Each mapping is a `match` over every variant, so a value added on
//! either side fails to compile until it is handled here.

use crate::app::ui;
use crate::audio::ChimeSet;
use crate::cues::ChimeKind;
use crate::i18n::Language;
use crate::sequence::{Audience, BodySide, DirectionKind, PlannedStep, Precaution, StepRole, Technique};
use crate::store::ThemeChoice;

pub fn technique(technique: Technique) -> ui::Technique {
    match technique {
        Technique::SustainedHold => ui::Technique::SustainedHold,
        Technique::CrossHandStretch => ui::Technique::CrossHandStretch,
        Technique::SkinRolling => ui::Technique::SkinRolling,
        Technique::Direct => ui::Technique::Direct,
        Technique::Indirect => ui::Technique::Indirect,
        Technique::Rebounding => ui::Technique::Rebounding,
        Technique::Rest => ui::Technique::Rest,
        Technique::Transition => ui::Technique::Transition,
        Technique::Assessment => ui::Technique::Assessment,
    }
}

pub fn audience(audience: Audience) -> ui::Audience {
    match audience {
        Audience::Therapist => ui::Audience::Therapist,
        Audience::SelfCare => ui::Audience::SelfCare,
    }
}

pub fn side(side: Option<BodySide>) -> ui::BodySide {
    match side {
        None => ui::BodySide::None,
        Some(BodySide::Left) => ui::BodySide::Left,
        Some(BodySide::Right) => ui::BodySide::Right,
        Some(BodySide::Both) => ui::BodySide::Both,
        Some(BodySide::Midline) => ui::BodySide::Midline,
    }
}

/// The side a side-switch step moves to; none for a written step.
pub fn switch_to(step: &PlannedStep) -> ui::BodySide {
    match step.role {
        StepRole::SideSwitch { to } => side(Some(to)),
        StepRole::Written => ui::BodySide::None,
    }
}

pub fn direction(kind: Option<DirectionKind>) -> ui::DirectionKind {
    match kind {
        None => ui::DirectionKind::None,
        Some(DirectionKind::Stationary) => ui::DirectionKind::Stationary,
        Some(DirectionKind::Cephalad) => ui::DirectionKind::Cephalad,
        Some(DirectionKind::Caudal) => ui::DirectionKind::Caudal,
        Some(DirectionKind::Medial) => ui::DirectionKind::Medial,
        Some(DirectionKind::Lateral) => ui::DirectionKind::Lateral,
        Some(DirectionKind::Proximal) => ui::DirectionKind::Proximal,
        Some(DirectionKind::Distal) => ui::DirectionKind::Distal,
        Some(DirectionKind::Apart) => ui::DirectionKind::Apart,
        Some(DirectionKind::Together) => ui::DirectionKind::Together,
        Some(DirectionKind::Clockwise) => ui::DirectionKind::Clockwise,
        Some(DirectionKind::CounterClockwise) => ui::DirectionKind::CounterClockwise,
        Some(DirectionKind::AlongFibres) => ui::DirectionKind::AlongFibres,
        Some(DirectionKind::Across) => ui::DirectionKind::Across,
        Some(DirectionKind::Ease) => ui::DirectionKind::Ease,
        Some(DirectionKind::IntoBarrier) => ui::DirectionKind::IntoBarrier,
        Some(DirectionKind::Rhythm) => ui::DirectionKind::Rhythm,
    }
}

pub fn precaution(precaution: Precaution) -> ui::Precaution {
    match precaution {
        Precaution::AcuteInjury => ui::Precaution::AcuteInjury,
        Precaution::FeverOrInfection => ui::Precaution::FeverOrInfection,
        Precaution::OpenWound => ui::Precaution::OpenWound,
        Precaution::RecentSurgery => ui::Precaution::RecentSurgery,
        Precaution::BloodClot => ui::Precaution::BloodClot,
        Precaution::BloodThinners => ui::Precaution::BloodThinners,
        Precaution::Osteoporosis => ui::Precaution::Osteoporosis,
        Precaution::Cancer => ui::Precaution::Cancer,
        Precaution::Aneurysm => ui::Precaution::Aneurysm,
        Precaution::Pregnancy => ui::Precaution::Pregnancy,
        Precaution::ConnectiveTissueDisorder => ui::Precaution::ConnectiveTissueDisorder,
        Precaution::ReducedSensation => ui::Precaution::ReducedSensation,
        Precaution::UnexplainedLump => ui::Precaution::UnexplainedLump,
        Precaution::Dizziness => ui::Precaution::Dizziness,
        Precaution::Implant => ui::Precaution::Implant,
        Precaution::SevereHeadache => ui::Precaution::SevereHeadache,
    }
}

pub fn answer(answer: Option<bool>) -> ui::Answer {
    match answer {
        None => ui::Answer::Unanswered,
        Some(false) => ui::Answer::No,
        Some(true) => ui::Answer::Yes,
    }
}

pub fn cue(kind: Option<ChimeKind>) -> ui::CueKind {
    match kind {
        None | Some(ChimeKind::RhythmTick) => ui::CueKind::None,
        Some(ChimeKind::StepStart) => ui::CueKind::Begin,
        Some(ChimeKind::Halfway) => ui::CueKind::Halfway,
        Some(ChimeKind::Warning) => ui::CueKind::Warning,
        Some(ChimeKind::Offset) => ui::CueKind::Offset,
        Some(ChimeKind::CheckIn) => ui::CueKind::CheckIn,
        Some(ChimeKind::MinimumReached) => ui::CueKind::MinimumReached,
        Some(ChimeKind::SideSwitch) => ui::CueKind::SideSwitch,
        Some(ChimeKind::StepEnd) => ui::CueKind::StepEnd,
        Some(ChimeKind::SessionEnd) => ui::CueKind::SessionEnd,
    }
}

pub fn theme(theme: ThemeChoice) -> ui::ThemeMode {
    match theme {
        ThemeChoice::Dim => ui::ThemeMode::Dim,
        ThemeChoice::Light => ui::ThemeMode::Light,
        ThemeChoice::Contrast => ui::ThemeMode::Contrast,
    }
}

pub fn theme_choice(mode: ui::ThemeMode) -> ThemeChoice {
    match mode {
        ui::ThemeMode::Dim => ThemeChoice::Dim,
        ui::ThemeMode::Light => ThemeChoice::Light,
        ui::ThemeMode::Contrast => ThemeChoice::Contrast,
    }
}

pub fn chime_set(set: ChimeSet) -> ui::ChimeSetChoice {
    match set {
        ChimeSet::Bowl => ui::ChimeSetChoice::Bowl,
        ChimeSet::Bright => ui::ChimeSetChoice::Bright,
    }
}

pub fn chime_set_choice(choice: ui::ChimeSetChoice) -> ChimeSet {
    match choice {
        ui::ChimeSetChoice::Bowl => ChimeSet::Bowl,
        ui::ChimeSetChoice::Bright => ChimeSet::Bright,
    }
}

pub fn language(language: Language) -> ui::LanguageChoice {
    match language {
        Language::System => ui::LanguageChoice::System,
        Language::En => ui::LanguageChoice::En,
        Language::De => ui::LanguageChoice::De,
        Language::Es => ui::LanguageChoice::Es,
    }
}

pub fn language_choice(choice: ui::LanguageChoice) -> Language {
    match choice {
        ui::LanguageChoice::System => Language::System,
        ui::LanguageChoice::En => Language::En,
        ui::LanguageChoice::De => Language::De,
        ui::LanguageChoice::Es => Language::Es,
    }
}
