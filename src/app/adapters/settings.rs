//! Settings view ↔ the settings store.

use std::rc::Rc;

use slint::{ComponentHandle, Model};

use super::session::sound_state;
use super::{forward, model, shared, typed};
use crate::app::ui::{AudioOutputView, SettingsAdapter};
use crate::app::{App, AppController, AppWindow};
use crate::audio::AudioStatus;

pub fn connect(app: &Rc<App>) {
    forward!(app, SettingsAdapter, on_set_volume, |volume| |c| c
        .update_settings(|s| s.volume = u8::try_from(volume.clamp(0, 100)).unwrap_or(100)));
    forward!(app, SettingsAdapter, on_set_muted, |muted| |c| c.update_settings(|s| s.muted = muted));
    forward!(app, SettingsAdapter, on_set_chime_set, |choice| |c| c
        .update_settings(|s| s.chime_set = typed::chime_set_choice(choice)));
    forward!(app, SettingsAdapter, on_set_warning_seconds, |seconds| |c| c
        .update_settings(|s| s.warning_seconds = u32::try_from(seconds).unwrap_or(0)));
    forward!(app, SettingsAdapter, on_set_auto_advance, |on| |c| c.update_settings(|s| s.auto_advance = on));
    forward!(app, SettingsAdapter, on_set_theme, |mode| |c| c.update_settings(|s| s.theme = typed::theme_choice(mode)));
    forward!(app, SettingsAdapter, on_set_language, |choice| |c| c
        .update_settings(|s| s.language = typed::language_choice(choice)));
    forward!(app, SettingsAdapter, on_set_resume_after_power_cut, |on| |c| c
        .update_settings(|s| s.resume_after_power_cut = on));
    forward!(app, SettingsAdapter, on_set_keep_awake, |on| |c| c.update_settings(|s| s.keep_screen_awake = on));
    forward!(app, SettingsAdapter, on_test_sound, || |c| c.test_sound());
    forward!(app, SettingsAdapter, on_test_voice, || |c| c.test_voice());
    forward!(app, SettingsAdapter, on_set_voice_enabled, |on| |c| c.update_settings(|s| s.voice.enabled = on));
    forward!(app, SettingsAdapter, on_set_voice_countdown, |on| |c| c
        .update_settings(|s| s.voice.parts.countdown = on));
    forward!(app, SettingsAdapter, on_set_voice_notes, |on| |c| c.update_settings(|s| s.voice.parts.notes = on));
    forward!(app, SettingsAdapter, on_set_voice_recordings, |on| |c| c.update_settings(|s| s.voice.recordings = on));
    forward!(app, SettingsAdapter, on_set_voice_chimes_louder, |on| |c| c.update_settings(|s| {
        s.voice.balance = if on { crate::voice::Balance::ChimesLouder } else { crate::voice::Balance::Even }
    }));
    forward!(app, SettingsAdapter, on_set_voice_rate, |rate| |c| c
        .update_settings(|s| s.voice.rate_wpm = u16::try_from(rate).unwrap_or(160)));
    forward!(app, SettingsAdapter, on_choose_output, |name| |c| c
        .update_settings(|s| s.audio_device = (!name.is_empty()).then(|| name.to_string())));
    forward!(app, SettingsAdapter, on_close, || |c| c.close_settings());
}

/// The device's own words after our known reason (e.g. an ALSA error), which stay as the device gave them.
fn sound_detail(status: &AudioStatus) -> String {
    let AudioStatus::Unavailable(reason) = status else { return String::new() };
    for known in [crate::audio::NO_DEVICE, crate::audio::CANNOT_OPEN, crate::audio::DEVICE_LOST] {
        if let Some(rest) = reason.strip_prefix(known) {
            return rest.trim().trim_start_matches('(').trim_end_matches(')').to_owned();
        }
    }
    reason.clone()
}

/// The voice's state for the view, with the engine's own reason when it is missing.
pub fn voice_state(status: Option<crate::voice::VoiceStatus>) -> (crate::app::ui::VoiceState, String) {
    use crate::app::ui::VoiceState;
    use crate::voice::VoiceStatus;
    match status {
        None => (VoiceState::Off, String::new()),
        Some(VoiceStatus::Loading) => (VoiceState::Loading, String::new()),
        Some(VoiceStatus::Ready(_)) => (VoiceState::Ready, String::new()),
        Some(VoiceStatus::Unavailable(reason)) => (VoiceState::Unavailable, reason),
    }
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let adapter = window.global::<SettingsAdapter>();
    let settings = controller.settings();
    adapter.set_volume(i32::from(settings.volume));
    adapter.set_muted(settings.muted);
    adapter.set_chime_set(typed::chime_set(settings.chime_set));
    adapter.set_warning_seconds(i32::try_from(settings.warning_seconds).unwrap_or(0));
    adapter.set_auto_advance(settings.auto_advance);
    adapter.set_theme(typed::theme(settings.theme));
    adapter.set_language(typed::language(settings.language));
    adapter.set_keep_awake(settings.keep_screen_awake);
    adapter.set_resume_after_power_cut(settings.resume_after_power_cut);
    let status = controller.sound_status();
    adapter.set_sound(sound_state(&status, settings.muted));
    adapter.set_sound_detail(shared(sound_detail(&status)));
    let voice = &settings.voice;
    adapter.set_voice_enabled(voice.enabled);
    adapter.set_voice_countdown(voice.parts.countdown);
    adapter.set_voice_notes(voice.parts.notes);
    adapter.set_voice_recordings(voice.recordings);
    adapter.set_voice_chimes_louder(voice.balance == crate::voice::Balance::ChimesLouder);
    adapter.set_voice_rate(i32::from(voice.rate_wpm));
    let (state, detail) = voice_state(controller.voice_status());
    adapter.set_voice_state(state);
    adapter.set_voice_detail(shared(detail));
    adapter.set_output_missing(controller.sound_notice().is_some());
    adapter.set_output(shared(settings.audio_device.as_deref().unwrap_or_default()));
    adapter.set_outputs_listed(controller.audio_outputs.is_some());
    if let Some(outputs) = &controller.audio_outputs
        && adapter.get_outputs().row_count() != outputs.len()
    {
        adapter.set_outputs(model(
            outputs
                .iter()
                .map(|o| AudioOutputView { name: shared(&o.name), description: shared(&o.description) })
                .collect(),
        ));
    }
    adapter.set_save_problem(shared(controller.save_problem().unwrap_or_default()));
}
