//! Session view ↔ session controller.

use std::rc::Rc;

use slint::{ComponentHandle, Model, SharedString};

use super::typed;
use super::{forward, model, shared};
use crate::app::ui::{OutlineState, OutlineStep, SessionAdapter, SessionPhase, SoundState, StepView};
use crate::app::{App, AppController, AppWindow, StepState, clock_glyphs, clock_width_em};
use crate::audio::AudioStatus;
use crate::engine::{Command, Phase};
use crate::sequence::{PlannedStep, Timing};

pub fn connect(app: &Rc<App>) {
    forward!(app, SessionAdapter, on_toggle_pause, || |c| c.session_command(Command::TogglePause));
    forward!(app, SessionAdapter, on_back, || |c| c.session_command(Command::Previous));
    forward!(app, SessionAdapter, on_next, || |c| c.session_command(Command::Next));
    forward!(app, SessionAdapter, on_extend, || |c| c.session_command(Command::Extend(crate::driver::EXTEND_BY)));
    forward!(app, SessionAdapter, on_released, || |c| c.session_command(Command::MarkReleased));
    forward!(app, SessionAdapter, on_request_stop, || |c| c.ask_to_stop());
    forward!(app, SessionAdapter, on_confirm_stop_choice, |stop| |c| c.answer_stop(stop));
}

fn seconds(duration: std::time::Duration) -> i32 {
    i32::try_from(duration.as_secs()).unwrap_or(i32::MAX)
}

fn step_view(step: Option<&PlannedStep>) -> StepView {
    let Some(step) = step else { return StepView::default() };
    let text = |text: &Option<String>| shared(text.as_deref().unwrap_or_default());
    let (set_number, set_count) = step.repetition.map_or((0, 0), |(n, of)| (n, of));
    StepView {
        title: text(&step.title),
        technique: typed::technique(step.technique),
        switch_to: typed::switch_to(step),
        area: text(&step.area),
        side: typed::side(step.side),
        set_number: i32::try_from(set_number).unwrap_or(i32::MAX),
        set_count: i32::try_from(set_count).unwrap_or(i32::MAX),
        pressure_level: step.pressure.as_ref().map_or(-1, |p| i32::from(p.level.value())),
        pressure_prompt: step.pressure.as_ref().map_or_else(SharedString::new, |p| text(&p.prompt)),
        direction: typed::direction(step.direction.as_ref().map(|d| d.kind)),
        direction_prompt: step.direction.as_ref().map_or_else(SharedString::new, |d| text(&d.prompt)),
        notes: text(&step.notes),
    }
}

/// The view's sound badge: muted, starting, or why there is no sound.
pub fn sound_state(status: &AudioStatus, muted: bool) -> SoundState {
    match status {
        _ if muted => SoundState::Muted,
        AudioStatus::Ready => SoundState::Ready,
        _ if status.is_opening() => SoundState::Opening,
        AudioStatus::Unavailable(reason) if reason.starts_with(crate::audio::NO_DEVICE) => SoundState::NoDevice,
        AudioStatus::Unavailable(reason) if reason.starts_with(crate::audio::DEVICE_LOST) => SoundState::Lost,
        AudioStatus::Unavailable(_) => SoundState::CannotOpen,
    }
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(session) = &controller.session else { return };
    let view = session.view(controller.settings().language.effective());
    let adapter = window.global::<SessionAdapter>();
    let step_number = i32::try_from(view.step_number).unwrap_or(i32::MAX);
    let outline_stale =
        adapter.get_step_number() != step_number || adapter.get_outline().row_count() != session.engine().plan().len();
    adapter.set_sequence_title(shared(&view.sequence_title));
    adapter.set_step_number(step_number);
    adapter.set_step_count(i32::try_from(view.step_count).unwrap_or(i32::MAX));
    adapter.set_step(step_view(view.step.as_ref()));
    adapter.set_has_next(view.next.is_some());
    adapter.set_next_step(step_view(view.next.as_ref()));
    // Only push the clock when it changed: a property set redraws, and the countdown changes once a second.
    if adapter.get_clock_text() != view.clock_text.as_str() {
        // One cell per character: only the cells whose character changed are set, so a tick redraws those digits
        // and nothing else.
        let glyphs: Vec<SharedString> = clock_glyphs(&view.clock_text).into_iter().map(SharedString::from).collect();
        let current = adapter.get_clock_glyphs();
        match current.as_any().downcast_ref::<slint::VecModel<SharedString>>() {
            Some(cells) if cells.row_count() == glyphs.len() => {
                for (i, glyph) in glyphs.into_iter().enumerate() {
                    if cells.row_data(i).as_ref() != Some(&glyph) {
                        cells.set_row_data(i, glyph);
                    }
                }
            }
            _ => adapter.set_clock_glyphs(model(glyphs)),
        }
        adapter.set_clock_em(clock_width_em(&view.clock_text));
        adapter.set_clock_text(shared(&view.clock_text));
        adapter.set_clock_seconds(i32::try_from(view.clock_seconds).unwrap_or(i32::MAX));
    }
    adapter.set_phase(match view.phase {
        Phase::Ready => SessionPhase::Ready,
        Phase::Running => SessionPhase::Running,
        Phase::CountingUp => SessionPhase::CountingUp,
        Phase::Paused => SessionPhase::Paused,
        Phase::Waiting => SessionPhase::Waiting,
        Phase::Finished => SessionPhase::Finished,
    });
    adapter.set_counting_up(view.counting_up);
    adapter.set_open_ended(view.open_ended);
    adapter.set_progress(view.progress);
    adapter.set_session_left(shared(crate::display::countdown(view.session_left)));
    adapter.set_session_left_seconds(seconds(view.session_left));
    adapter.set_extension_seconds(seconds(view.extension));
    adapter.set_cue(typed::cue(view.cue.map(|(kind, _)| kind)));
    adapter.set_cue_offset_seconds(view.cue.and_then(|(_, offset)| offset).map_or(0, seconds));
    adapter.set_flash(view.flash);
    adapter.set_confirm_stop(view.confirm_stop);
    adapter.set_voice_unavailable(matches!(controller.voice_status(), Some(crate::voice::VoiceStatus::Unavailable(_))));
    adapter.set_sound(sound_state(&controller.sound_status(), controller.settings().muted));
    if outline_stale {
        let plan = session.engine().plan();
        adapter.set_outline(model(
            plan.steps
                .iter()
                .zip(session.outline())
                .map(|(step, state)| OutlineStep {
                    title: shared(step.title.as_deref().unwrap_or_default()),
                    technique: typed::technique(step.technique),
                    switch_to: typed::switch_to(step),
                    side: typed::side(step.side),
                    seconds: seconds(step.timing.expected()),
                    open_ended: matches!(step.timing, Timing::UntilRelease { .. }),
                    state: match state {
                        StepState::Done => OutlineState::Done,
                        StepState::Skipped => OutlineState::Skipped,
                        StepState::Current => OutlineState::Current,
                        StepState::Upcoming => OutlineState::Upcoming,
                    },
                })
                .collect(),
        ));
    }
}
