//! Editor view ↔ the editor model: every callback is one `Edit`, and the draft goes back to the view as typed values.

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};

use super::{forward, model, shared, typed};
use crate::app::ui::{
    Choice3, EditorAdapter, EditorField, EditorStep, EditorStepRow, LeaveChoice as ViewLeave, PrecautionChoice,
    RecorderState, SideChoice,
};
use crate::app::{App, AppController, AppWindow, LeaveChoice, RecorderMeter, RecorderPhase};
use crate::editor::{Edit, Origin, StepEdit};
use crate::sequence::{Audience, DirectionKind, Precaution, Side, StepSpec, Technique};

pub fn connect(app: &Rc<App>) {
    forward!(app, EditorAdapter, on_set_text, |field, text| |c| c.edit(text_edit(field, text.to_string(), c)));
    forward!(app, EditorAdapter, on_set_audience, |audience| |c| c.edit(Edit::Audience(match audience {
        crate::app::ui::Audience::Therapist => Audience::Therapist,
        crate::app::ui::Audience::SelfCare => Audience::SelfCare,
    })));
    forward!(app, EditorAdapter, on_toggle_precaution, |precaution| |c| c
        .edit(Edit::TogglePrecaution(precaution_of(precaution))));
    forward!(app, EditorAdapter, on_set_halfway, |choice| |c| c.edit(Edit::Halfway(tri(choice))));
    forward!(app, EditorAdapter, on_set_warning, |seconds| |c| c.edit(Edit::Warning(optional_seconds(seconds))));
    forward!(app, EditorAdapter, on_set_check_in, |seconds| |c| c.edit(Edit::CheckInEvery(optional_seconds(seconds))));
    forward!(app, EditorAdapter, on_add_step, || |c| c.edit(Edit::AddStep));
    forward!(app, EditorAdapter, on_duplicate_step, |index| |c| c.edit(Edit::DuplicateStep(index_of(index))));
    forward!(app, EditorAdapter, on_delete_step, |index| |c| c.edit(Edit::DeleteStep(index_of(index))));
    forward!(app, EditorAdapter, on_move_step, |index, up| |c| c.edit(Edit::MoveStep { index: index_of(index), up }));
    forward!(app, EditorAdapter, on_select_step, |index| |c| {
        if let Some(state) = &mut c.editing_mut() {
            state.editor.select(index_of(index));
        }
    });
    forward!(app, EditorAdapter, on_step_technique, |technique| |c| step_edit(
        c,
        StepEdit::Technique(technique_of(technique))
    ));
    forward!(app, EditorAdapter, on_step_side, |side| |c| step_edit(c, StepEdit::Side(side_of(side))));
    forward!(app, EditorAdapter, on_step_switch, |seconds| |c| step_edit(c, StepEdit::Switch(whole(seconds))));
    forward!(app, EditorAdapter, on_step_seconds, |seconds| |c| step_edit(c, StepEdit::Seconds(whole(seconds))));
    forward!(app, EditorAdapter, on_step_open_ended, |open| |c| step_edit(c, StepEdit::OpenEnded(open)));
    forward!(app, EditorAdapter, on_step_min, |seconds| |c| step_edit(c, StepEdit::MinSeconds(whole(seconds))));
    forward!(app, EditorAdapter, on_step_max, |seconds| |c| step_edit(c, StepEdit::MaxSeconds(whole(seconds))));
    forward!(app, EditorAdapter, on_step_pressure, |level| |c| step_edit(
        c,
        StepEdit::Pressure(u32::try_from(level).ok())
    ));
    forward!(app, EditorAdapter, on_step_direction, |kind| |c| step_edit(c, StepEdit::Direction(direction_of(kind))));
    forward!(app, EditorAdapter, on_step_repeat, |times| |c| step_edit(
        c,
        StepEdit::Repeat(u32::try_from(times).unwrap_or(1))
    ));
    forward!(app, EditorAdapter, on_step_halfway, |choice| |c| step_edit(c, StepEdit::Halfway(tri(choice))));
    forward!(app, EditorAdapter, on_step_warning, |seconds| |c| step_edit(
        c,
        StepEdit::Warning(optional_seconds(seconds))
    ));
    forward!(app, EditorAdapter, on_record_prompt, || |c| c.record_prompt());
    forward!(app, EditorAdapter, on_stop_recording, || |c| c.stop_recording());
    forward!(app, EditorAdapter, on_play_prompt, || |c| c.play_prompt());
    forward!(app, EditorAdapter, on_remove_prompt, || |c| c.remove_prompt());
    forward!(app, EditorAdapter, on_undo, || |c| c.editor_undo());
    forward!(app, EditorAdapter, on_redo, || |c| c.editor_redo());
    forward!(app, EditorAdapter, on_save, || |c| c.save_draft());
    forward!(app, EditorAdapter, on_try_it, || |c| c.try_draft());
    forward!(app, EditorAdapter, on_close, || |c| c.close_editor());
    forward!(app, EditorAdapter, on_answer_leave, |choice| |c| c.answer_leave_editor(match choice {
        ViewLeave::Save => LeaveChoice::Save,
        ViewLeave::Discard => LeaveChoice::Discard,
        ViewLeave::Cancel => LeaveChoice::Cancel,
    }));
}

fn index_of(index: i32) -> usize {
    usize::try_from(index).unwrap_or(usize::MAX)
}

fn whole(seconds: i32) -> u64 {
    u64::try_from(seconds.max(0)).unwrap_or(0)
}

/// -1 means "as set elsewhere".
fn optional_seconds(seconds: i32) -> Option<u64> {
    u64::try_from(seconds).ok()
}

fn tri(choice: Choice3) -> Option<bool> {
    match choice {
        Choice3::Default => None,
        Choice3::On => Some(true),
        Choice3::Off => Some(false),
    }
}

fn tri_of(value: Option<bool>) -> Choice3 {
    match value {
        None => Choice3::Default,
        Some(true) => Choice3::On,
        Some(false) => Choice3::Off,
    }
}

fn step_edit(c: &mut AppController, edit: StepEdit) {
    let index = c.editing().and_then(|s| s.editor.selected()).unwrap_or(0);
    c.edit(Edit::Step(index, edit));
}

fn text_edit(field: EditorField, text: String, c: &AppController) -> Edit {
    let index = c.editing().and_then(|s| s.editor.selected()).unwrap_or(0);
    let step = |edit| Edit::Step(index, edit);
    match field {
        EditorField::Title => Edit::Title(text),
        EditorField::Id => Edit::Id(text),
        EditorField::Summary => Edit::Summary(text),
        EditorField::Position => Edit::Position(text),
        EditorField::Equipment => Edit::Equipment(text),
        EditorField::Offsets => Edit::OffsetChimes(text),
        EditorField::StepTitle => step(StepEdit::Title(text)),
        EditorField::StepArea => step(StepEdit::Area(text)),
        EditorField::StepDuration => step(StepEdit::DurationText(text)),
        EditorField::StepPressurePrompt => step(StepEdit::PressurePrompt(text)),
        EditorField::StepDirectionPrompt => step(StepEdit::DirectionPrompt(text)),
        EditorField::StepNotes => step(StepEdit::Notes(text)),
    }
}

fn technique_of(technique: crate::app::ui::Technique) -> Technique {
    Technique::ALL.into_iter().find(|t| typed::technique(*t) == technique).unwrap_or(Technique::SustainedHold)
}

fn precaution_of(precaution: crate::app::ui::Precaution) -> Precaution {
    Precaution::ALL.into_iter().find(|p| typed::precaution(*p) == precaution).unwrap_or(Precaution::AcuteInjury)
}

fn direction_of(kind: crate::app::ui::DirectionKind) -> Option<DirectionKind> {
    DirectionKind::ALL.into_iter().find(|d| typed::direction(Some(*d)) == kind)
}

fn side_of(side: SideChoice) -> Option<Side> {
    match side {
        SideChoice::None => None,
        SideChoice::Left => Some(Side::Left),
        SideChoice::Right => Some(Side::Right),
        SideChoice::Both => Some(Side::Both),
        SideChoice::Midline => Some(Side::Midline),
        SideChoice::LeftThenRight => Some(Side::LeftThenRight),
        SideChoice::RightThenLeft => Some(Side::RightThenLeft),
    }
}

fn side_choice(side: Option<Side>) -> SideChoice {
    match side {
        None => SideChoice::None,
        Some(Side::Left) => SideChoice::Left,
        Some(Side::Right) => SideChoice::Right,
        Some(Side::Both) => SideChoice::Both,
        Some(Side::Midline) => SideChoice::Midline,
        Some(Side::LeftThenRight) => SideChoice::LeftThenRight,
        Some(Side::RightThenLeft) => SideChoice::RightThenLeft,
    }
}

fn seconds_i32(seconds: u64) -> i32 {
    i32::try_from(seconds).unwrap_or(i32::MAX)
}

/// The written length: a fixed one, or an open-ended hold's minimum.
fn length_of(step: &StepSpec) -> u64 {
    step.duration.or(step.until_release.map(|u| u.min)).map_or(0, |d| d.as_secs())
}

fn text_of(text: &Option<crate::sequence::Text>) -> SharedString {
    shared(text.as_ref().map(|t| t.as_str()).unwrap_or_default())
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(state) = controller.editing() else { return };
    let editor = &state.editor;
    let draft = editor.draft();
    let adapter = window.global::<EditorAdapter>();
    adapter.set_new_sequence(*editor.origin() == Origin::New);
    adapter.set_bundled_copy(*editor.origin() == Origin::Bundled);
    adapter.set_title(shared(draft.title.as_str()));
    adapter.set_id(shared(&draft.id));
    adapter.set_summary(shared(draft.summary.as_str()));
    let (languages, untranslated) = editor.translations();
    adapter.set_translation_languages(i32::try_from(languages).unwrap_or(i32::MAX));
    adapter.set_untranslated_texts(i32::try_from(untranslated).unwrap_or(i32::MAX));
    adapter.set_audience(typed::audience(draft.audience));
    adapter.set_position(text_of(&draft.position));
    adapter.set_equipment(shared(
        editor
            .typed("equipment")
            .map_or_else(|| draft.equipment.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "), str::to_owned),
    ));
    adapter.set_precautions(model(
        Precaution::ALL
            .into_iter()
            .filter(|p| !Precaution::CORE.contains(p))
            .map(|p| PrecautionChoice { precaution: typed::precaution(p), checked: draft.precautions.contains(&p) })
            .collect(),
    ));
    adapter.set_halfway(tri_of(draft.cues.halfway));
    adapter.set_warning_seconds(draft.cues.warning.map_or(-1, |w| seconds_i32(w.as_secs())));
    adapter.set_check_in_seconds(draft.cues.check_in_every.map_or(-1, |w| seconds_i32(w.as_secs())));
    adapter.set_offsets(shared(editor.typed("cues.at").map_or_else(
        || draft.cues.at.iter().flatten().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        str::to_owned,
    )));
    adapter.set_steps(model(
        draft
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| EditorStepRow {
                title: text_of(&step.title),
                technique: typed::technique(step.technique),
                side: side_choice(step.side),
                seconds: seconds_i32(length_of(step)),
                open_ended: step.until_release.is_some(),
                repeat: i32::try_from(step.repeat.unwrap_or(1)).unwrap_or(1),
                has_problem: editor.problem_at(&format!("steps[{i}]")).is_some(),
                has_voice: step.voice.is_some(),
            })
            .collect(),
    ));
    let selected = editor.selected();
    adapter.set_selected(selected.map_or(-1, |i| i32::try_from(i).unwrap_or(-1)));
    if let Some((index, step)) = selected.and_then(|i| draft.steps.get(i).map(|s| (i, s))) {
        let field = |name: &str| format!("steps[{index}].{name}");
        let cues = step.cues.clone().unwrap_or_default();
        adapter.set_step(EditorStep {
            technique: typed::technique(step.technique),
            title: text_of(&step.title),
            area: text_of(&step.area),
            side: side_choice(step.side),
            switch_seconds: seconds_i32(step.switch.map_or(10, |s| s.as_secs())),
            open_ended: step.until_release.is_some(),
            seconds: seconds_i32(length_of(step)),
            duration_text: shared(
                editor
                    .typed(&field("duration"))
                    .map_or_else(|| step.duration.map(|d| d.to_string()).unwrap_or_default(), str::to_owned),
            ),
            min_seconds: seconds_i32(step.until_release.map_or(0, |u| u.min.as_secs())),
            max_seconds: seconds_i32(step.until_release.map_or(0, |u| u.max.as_secs())),
            pressure: step.pressure.as_ref().map_or(-1, |p| i32::try_from(p.level).unwrap_or(-1)),
            pressure_prompt: step.pressure.as_ref().map_or_else(SharedString::new, |p| text_of(&p.prompt)),
            direction: typed::direction(step.direction.as_ref().map(|d| d.kind)),
            direction_prompt: step.direction.as_ref().map_or_else(SharedString::new, |d| text_of(&d.prompt)),
            notes: text_of(&step.notes),
            repeat: i32::try_from(step.repeat.unwrap_or(1)).unwrap_or(1),
            halfway: tri_of(cues.halfway),
            warning_seconds: cues.warning.map_or(-1, |w| seconds_i32(w.as_secs())),
        });
        adapter.set_step_voice(text_of(&step.voice));
        let duration_problem =
            editor.problem_at(&field("duration")).or_else(|| editor.problem_at(&field("until_release")));
        adapter.set_step_duration_problem(shared(duration_problem.clone().unwrap_or_default()));
        let other = editor
            .problems()
            .into_iter()
            .find(|p| p.field.starts_with(&format!("steps[{index}]")) && Some(&p.message) != duration_problem.as_ref())
            .map(|p| format!("{}: {}", p.field, p.message));
        adapter.set_step_problem(shared(other.unwrap_or_default()));
    }
    let problem = |field: &str| shared(editor.problem_at(field).unwrap_or_default());
    adapter.set_title_problem(problem("title"));
    adapter.set_id_problem(problem("id"));
    adapter.set_summary_problem(problem("summary"));
    adapter.set_cues_problem(problem("cues"));
    adapter.set_steps_problem(shared(
        editor.problems().into_iter().find(|p| p.field == "steps").map(|p| p.message).unwrap_or_default(),
    ));
    adapter.set_problem_count(i32::try_from(editor.problems().len()).unwrap_or(i32::MAX));
    let (expected, longest) = editor.totals();
    adapter.set_expected_seconds(seconds_i32(expected.as_secs()));
    adapter.set_longest_seconds(seconds_i32(longest.as_secs()));
    adapter.set_over_limit(longest > crate::editor::Editor::session_limit());
    adapter.set_can_save(editor.can_save() && !state.saving);
    adapter.set_dirty(editor.is_dirty());
    adapter.set_can_undo(editor.can_undo());
    adapter.set_can_redo(editor.can_redo());
    adapter.set_confirm_leave(state.confirm_leave);
    adapter.set_save_error(shared(state.save_error.as_deref().unwrap_or_default()));
    adapter.set_recorder(match controller.recorder_phase() {
        RecorderPhase::Idle => RecorderState::Idle,
        RecorderPhase::Opening => RecorderState::Opening,
        RecorderPhase::Recording => RecorderState::Recording,
        RecorderPhase::Saving => RecorderState::Saving,
    });
    adapter.set_record_limit_seconds(seconds_i32(crate::voice::MAX_RECORDING.as_secs()));
    adapter.set_voice_problem(shared(controller.voice_problem().unwrap_or_default()));
    if let Some(meter) = controller.recorder_meter() {
        show_meter(window, meter);
    }
}

/// The recorder's level and length, ten times a second while a take runs (nothing else on the screen changes).
pub fn show_meter(window: &AppWindow, meter: RecorderMeter) {
    let adapter = window.global::<EditorAdapter>();
    adapter.set_recorder(if meter.open { RecorderState::Recording } else { RecorderState::Opening });
    adapter.set_record_level(meter.level);
    adapter.set_record_seconds(seconds_i32(meter.elapsed.as_secs()));
}
