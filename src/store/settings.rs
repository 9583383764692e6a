//! The user's settings: what they are, their defaults, and how they are kept (`settings.json` in the config folder).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use super::files::{Bounded, megabytes, read_bounded, set_aside_notice};
use crate::audio::{ChimeSet, ChimeSettings};
use crate::engine::EngineSettings;
use crate::i18n::Language;
use crate::sequence::CueDefaults;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeChoice {
    #[default]
    Dim,
    Light,
    Contrast,
}

impl ThemeChoice {
    pub const fn code(self) -> &'static str {
        match self {
            ThemeChoice::Dim => "dim",
            ThemeChoice::Light => "light",
            ThemeChoice::Contrast => "contrast",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ThemeChoice::Dim, ThemeChoice::Light, ThemeChoice::Contrast].into_iter().find(|t| t.code() == code)
    }
}

/// The desktop window's size (logical pixels) and whether it was full screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowPlacement {
    pub width: u32,
    pub height: u32,
    pub fullscreen: bool,
}

/// Everything the settings screen edits. Unknown fields in the file are ignored and missing ones take their
/// defaults, so files from older and newer versions both load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 0 to 100, independent of the system volume.
    pub volume: u8,
    pub muted: bool,
    #[serde(with = "chime_set_code")]
    pub chime_set: ChimeSet,
    /// Seconds before a step ends for the warning chime; 0 for none.
    pub warning_seconds: u32,
    pub auto_advance: bool,
    pub theme: ThemeChoice,
    pub language: Language,
    pub keep_screen_awake: bool,
    /// After the app was closed or killed mid-session (a power cut on the kiosk), resume without asking.
    pub resume_after_power_cut: bool,
    /// The sound output by name (as `stillpoint --audio-device` takes it); `None` for the system's default.
    pub audio_device: Option<String>,
    /// Spoken prompts: on or off, which parts, voice, rate, volume and balance with the chimes.
    pub voice: crate::voice::VoiceSettings,
    /// The desktop window as it was last closed.
    pub window: Option<WindowPlacement>,
    /// When the file was last written.
    pub saved_at: Option<DateTime<Utc>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            volume: 80,
            muted: false,
            chime_set: ChimeSet::Bowl,
            warning_seconds: 10,
            auto_advance: true,
            theme: ThemeChoice::Dim,
            language: Language::System,
            keep_screen_awake: true,
            resume_after_power_cut: false,
            audio_device: None,
            voice: crate::voice::VoiceSettings::default(),
            window: None,
            saved_at: None,
        }
    }
}

mod chime_set_code {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::audio::ChimeSet;

    pub fn serialize<S: Serializer>(set: &ChimeSet, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(set.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ChimeSet, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(ChimeSet::from_name(&name).unwrap_or_default())
    }
}

impl Settings {
    pub fn chimes(&self) -> ChimeSettings {
        ChimeSettings { set: self.chime_set, volume_percent: self.volume.min(100), muted: self.muted }
    }

    pub fn engine(&self) -> EngineSettings {
        EngineSettings { auto_advance: self.auto_advance, ..EngineSettings::default() }
    }

    pub fn cue_defaults(&self) -> CueDefaults {
        let warning = (self.warning_seconds > 0).then(|| Duration::from_secs(u64::from(self.warning_seconds)));
        CueDefaults { warning, ..CueDefaults::default() }
    }
}

/// Settings are a few hundred bytes; anything this large is not a settings file.
const MAX_SETTINGS_FILE: u64 = 1024 * 1024;

/// Where settings live and how they are read and written.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: Option<PathBuf>,
}

impl SettingsStore {
    /// `settings.json` in the platform's config folder (`~/.config/stillpoint` on Linux).
    pub fn default_location() -> Self {
        let path = directories::ProjectDirs::from("", "", "stillpoint").map(|d| d.config_dir().join("settings.json"));
        Self { path }
    }

    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: Some(path.into()) }
    }

    /// Settings that are never written anywhere (screenshots, tests).
    pub fn in_memory() -> Self {
        Self { path: None }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The saved settings, or defaults. Each field that can be read is kept; a field of the wrong type (a file from
    /// a newer version, a hand edit) falls back to its default with a notice. A file that is not settings at all is
    /// moved aside (never deleted), so the next save cannot overwrite what the user had.
    pub fn load(&self) -> (Settings, Option<String>) {
        let Some(path) = &self.path else { return (Settings::default(), None) };
        let bytes = match read_bounded(path, MAX_SETTINGS_FILE) {
            Ok(Bounded::Missing) => return (Settings::default(), None),
            Ok(Bounded::Read(bytes)) => bytes,
            Ok(Bounded::TooLarge(size)) => {
                let why = format!("{} is too large for settings", megabytes(size));
                return (Settings::default(), Some(set_aside_notice(path, "settings", &why)));
            }
            Err(err) => return (Settings::default(), Some(format!("{}: cannot read settings: {err}", path.display()))),
        };
        let fields = match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(_) => return (Settings::default(), Some(set_aside_notice(path, "settings", "not a JSON object"))),
            Err(err) => return (Settings::default(), Some(set_aside_notice(path, "settings", &err.to_string()))),
        };
        let mut kept = serde_json::Map::new();
        let mut dropped = Vec::new();
        for (key, value) in fields {
            let mut trial = kept.clone();
            trial.insert(key.clone(), value);
            if serde_json::from_value::<Settings>(serde_json::Value::Object(trial.clone())).is_ok() {
                kept = trial;
            } else {
                dropped.push(key);
            }
        }
        let settings = serde_json::from_value(serde_json::Value::Object(kept)).unwrap_or_default();
        let notice = (!dropped.is_empty())
            .then(|| format!("{}: settings {} unreadable and back to default", path.display(), dropped.join(", ")));
        (settings, notice)
    }

    pub fn save(&self, settings: &Settings) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        let mut stamped = settings.clone();
        stamped.saved_at = Some(Utc::now());
        let mut text = serde_json::to_string_pretty(&stamped).map_err(std::io::Error::other)?;
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn settings_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(dir.path().join("stillpoint/settings.json"));
        let changed =
            Settings { volume: 35, chime_set: ChimeSet::Bright, theme: ThemeChoice::Contrast, ..Settings::default() };
        store.save(&changed).unwrap();
        let (loaded, problem) = store.load();
        assert_eq!(problem, None);
        assert_eq!(Settings { saved_at: None, ..loaded.clone() }, changed);
        assert!(loaded.saved_at.is_some(), "saving stamps the time");
    }

    #[test]
    fn a_missing_file_gives_defaults_quietly() {
        let dir = tempfile::tempdir().unwrap();
        let (settings, problem) = SettingsStore::at(dir.path().join("none.json")).load();
        assert_eq!((settings, problem), (Settings::default(), None));
    }

    #[test]
    fn an_unreadable_file_is_kept_aside_not_overwritten() {
        for garbage in [&b"{ this is not json"[..], b"", b"\x00\xff\xfe binary", b"[1, 2, 3]", b"{\"volume\": 4"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("settings.json");
            fs::write(&path, garbage).unwrap();
            let store = SettingsStore::at(&path);
            let (settings, problem) = store.load();
            assert_eq!(settings, Settings::default());
            let problem = problem.unwrap();
            assert!(problem.contains("settings.json.corrupt-"), "{problem}");
            let aside: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
            assert_eq!(aside.len(), 1);
            assert_eq!(fs::read(&aside[0]).unwrap(), garbage, "the bytes are kept as they were");
        }
    }

    #[test]
    fn a_field_of_the_wrong_type_falls_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, r#"{"volume": "loud", "theme": "light", "muted": true}"#).unwrap();
        let (settings, problem) = SettingsStore::at(&path).load();
        assert_eq!(settings.volume, Settings::default().volume);
        assert_eq!(settings.theme, ThemeChoice::Light);
        assert!(settings.muted);
        assert!(problem.unwrap().contains("volume"));
        assert!(path.exists(), "a file with readable settings stays where it is");
    }

    #[test]
    fn a_huge_file_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, vec![b' '; 2 * 1024 * 1024]).unwrap();
        let (settings, problem) = SettingsStore::at(&path).load();
        assert_eq!(settings, Settings::default());
        assert!(problem.unwrap().contains("too large"));
    }

    #[test]
    fn older_and_newer_files_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, r#"{"volume": 20, "a_future_option": true}"#).unwrap();
        let (settings, problem) = SettingsStore::at(&path).load();
        assert_eq!(problem, None);
        assert_eq!(settings.volume, 20);
        assert!(settings.auto_advance, "missing fields take their defaults");
    }
}
