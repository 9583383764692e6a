//! Settings view ↔ the settings store.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{forward, shared};
use crate::app::{App, AppController, AppWindow, SettingsAdapter};
use crate::audio::{AudioStatus, ChimeSet};
use crate::i18n::tr;
use crate::store::ThemeChoice;

pub fn connect(app: &Rc<App>) {
    forward!(app, SettingsAdapter, on_set_volume, |volume| |c| c
        .update_settings(|s| s.volume = u8::try_from(volume.clamp(0, 100)).unwrap_or(100)));
    forward!(app, SettingsAdapter, on_set_muted, |muted| |c| c.update_settings(|s| s.muted = muted));
    forward!(app, SettingsAdapter, on_set_chime_set, |name| |c| c
        .update_settings(|s| s.chime_set = ChimeSet::from_name(&name).unwrap_or_default()));
    forward!(app, SettingsAdapter, on_set_warning_seconds, |seconds| |c| c
        .update_settings(|s| s.warning_seconds = u32::try_from(seconds).unwrap_or(0)));
    forward!(app, SettingsAdapter, on_set_auto_advance, |on| |c| c.update_settings(|s| s.auto_advance = on));
    forward!(app, SettingsAdapter, on_set_theme, |code| |c| c
        .update_settings(|s| s.theme = ThemeChoice::from_code(&code).unwrap_or_default()));
    forward!(app, SettingsAdapter, on_set_language, |code| |c| c.update_settings(|s| s.language = code.to_string()));
    forward!(app, SettingsAdapter, on_set_keep_awake, |on| |c| c.update_settings(|s| s.keep_screen_awake = on));
    forward!(app, SettingsAdapter, on_test_sound, || |c| c.test_sound());
    forward!(app, SettingsAdapter, on_close, || |c| c.close_settings());
}

/// The reason in the chosen language; a device's own error text after it stays as the device gave it.
fn sound_reason(reason: &str) -> String {
    for known in [crate::audio::NO_DEVICE, crate::audio::CANNOT_OPEN, crate::audio::DEVICE_LOST] {
        if let Some(rest) = reason.strip_prefix(known) {
            return format!("{}{rest}", tr(known));
        }
    }
    reason.to_owned()
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let adapter = window.global::<SettingsAdapter>();
    let settings = controller.settings();
    adapter.set_volume(i32::from(settings.volume));
    adapter.set_muted(settings.muted);
    adapter.set_chime_set(shared(settings.chime_set.name()));
    adapter.set_warning_seconds(i32::try_from(settings.warning_seconds).unwrap_or(0));
    adapter.set_auto_advance(settings.auto_advance);
    adapter.set_theme(shared(settings.theme.code()));
    adapter.set_language(shared(&settings.language));
    adapter.set_keep_awake(settings.keep_screen_awake);
    adapter.set_sound_status(shared(match controller.sound_status() {
        AudioStatus::Ready => tr("Sound is ready."),
        AudioStatus::Unavailable(reason) => format!("{} ({})", tr("Sound unavailable"), sound_reason(&reason)),
    }));
    adapter.set_save_problem(shared(controller.save_problem().unwrap_or_default()));
}
