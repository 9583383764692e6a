//! The user's settings: what they are, their defaults, and how they are kept (`settings.json` in the config folder).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use crate::audio::{ChimeSet, ChimeSettings};
use crate::engine::EngineSettings;
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
    /// "system", "en", "de" or "es".
    pub language: String,
    pub keep_screen_awake: bool,
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
            language: "system".to_owned(),
            keep_screen_awake: true,
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

    /// The language to show: the chosen one, or the system's.
    pub fn effective_language(&self) -> &str {
        match self.language.as_str() {
            "system" | "" => crate::i18n::system_language(),
            chosen => chosen,
        }
    }
}

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

    /// The saved settings, or defaults. A file that cannot be read as settings is moved aside (never deleted) so
    /// the next save cannot overwrite what the user had; the message says where it went.
    pub fn load(&self) -> (Settings, Option<String>) {
        let Some(path) = &self.path else { return (Settings::default(), None) };
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
            Err(err) => return (Settings::default(), Some(format!("{}: cannot read settings: {err}", path.display()))),
        };
        match serde_json::from_str(&text) {
            Ok(settings) => (settings, None),
            Err(err) => {
                let aside = path.with_extension("json.unreadable");
                let moved = fs::rename(path, &aside).is_ok();
                let kept = if moved { format!("; kept as {}", aside.display()) } else { String::new() };
                (Settings::default(), Some(format!("{}: settings unreadable ({err}){kept}", path.display())))
            }
        }
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
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, "{ this is not json").unwrap();
        let store = SettingsStore::at(&path);
        let (settings, problem) = store.load();
        assert_eq!(settings, Settings::default());
        assert!(problem.unwrap().contains("settings.json.unreadable"));
        assert_eq!(fs::read_to_string(path.with_extension("json.unreadable")).unwrap(), "{ this is not json");
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
