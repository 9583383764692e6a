//! Session view ↔ session controller.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{forward, model, shared};
use crate::app::{App, AppController, AppWindow, SessionAdapter, SessionPhase, StepView, clock_glyphs, clock_width_em};
use crate::audio::AudioStatus;
use crate::engine::{Command, Phase};

pub fn connect(app: &Rc<App>) {
    forward!(app, SessionAdapter, on_toggle_pause, || |c| c.session_command(Command::TogglePause));
    forward!(app, SessionAdapter, on_back, || |c| c.session_command(Command::Previous));
    forward!(app, SessionAdapter, on_next, || |c| c.session_command(Command::Next));
    forward!(app, SessionAdapter, on_extend, || |c| c.session_command(Command::Extend(crate::driver::EXTEND_BY)));
    forward!(app, SessionAdapter, on_released, || |c| c.session_command(Command::MarkReleased));
    forward!(app, SessionAdapter, on_request_stop, || |c| c.ask_to_stop());
    forward!(app, SessionAdapter, on_confirm_stop_choice, |stop| |c| c.answer_stop(stop));
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(session) = &controller.session else { return };
    let view = session.view();
    let adapter = window.global::<SessionAdapter>();
    adapter.set_sequence_title(shared(&view.sequence_title));
    adapter.set_step_number(i32::try_from(view.step_number).unwrap_or(i32::MAX));
    adapter.set_step_count(i32::try_from(view.step_count).unwrap_or(i32::MAX));
    let step = &view.step;
    adapter.set_step(StepView {
        title: shared(&step.title),
        technique: shared(&step.technique),
        area: shared(&step.area),
        side: shared(&step.side),
        repetition: shared(&step.repetition),
        pressure_level: step.pressure_level,
        pressure_name: shared(&step.pressure_name),
        pressure_prompt: shared(&step.pressure_prompt),
        direction_kind: shared(&step.direction_kind),
        direction_name: shared(&step.direction_name),
        direction_prompt: shared(&step.direction_prompt),
        notes: shared(&step.notes),
    });
    adapter.set_next_title(shared(&view.next_title));
    // Only push the clock when it changed: a property set redraws, and the countdown changes once a second.
    if adapter.get_clock_text() != view.clock_text.as_str() {
        adapter.set_clock_glyphs(model(
            clock_glyphs(&view.clock_text).into_iter().map(slint::SharedString::from).collect(),
        ));
        adapter.set_clock_em(clock_width_em(&view.clock_text));
        adapter.set_clock_text(shared(&view.clock_text));
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
    adapter.set_session_left(shared(&view.session_left));
    adapter.set_extension_text(shared(&view.extension_text));
    adapter.set_cue_text(shared(&view.cue_text));
    adapter.set_flash(view.flash);
    adapter.set_confirm_stop(view.confirm_stop);
    adapter.set_sound_available(controller.sound_status() == AudioStatus::Ready);
    adapter.set_muted(controller.settings().muted);
}
