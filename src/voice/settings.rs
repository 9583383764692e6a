//! What the user chooses about spoken prompts: a struct the app's `Settings` embeds (serde, every field defaulted,
//! so settings files from before voice prompts load unchanged).

use serde::{Deserialize, Serialize};

use super::engine::VoiceOptions;

/// eSpeak NG voice variants worth offering (a few of the ~100 in `espeak-ng-data/voices/!v`); `None` is the
/// language's own voice. The settings screen names them; any other variant name in the settings file works too.
pub const VOICE_VARIANTS: [&str; 6] = ["f2", "f3", "m3", "m7", "klatt", "whisper"];

/// Speaking rates the settings screen offers, in words per minute (eSpeak's normal is 175; calm prompts are slower).
pub const RATES_WPM: [u16; 5] = [120, 140, 160, 175, 200];

/// How loud the voice is next to the chimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Balance {
    /// Voice and chimes about equally loud.
    #[default]
    Even,
    /// The voice 6 dB under the chimes: chimes carry over music from other apps, the voice stays in the background.
    ChimesLouder,
}

impl Balance {
    /// The voice's gain relative to [`Balance::Even`].
    pub fn voice_gain(self) -> f32 {
        match self {
            Balance::Even => 1.0,
            Balance::ChimesLouder => 0.5,
        }
    }
}

/// Which parts of a prompt are spoken. Every part can be turned off on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceParts {
    /// The step prompt at each step's start (off: only the minimum, countdown and switch are spoken).
    pub step: bool,
    /// "Left side." at the start of a step with a side.
    pub side: bool,
    /// The step's title (or its technique's name).
    pub title: bool,
    /// The body area, unless the title already names it.
    pub area: bool,
    /// The pressure level and the author's pressure prompt.
    pub pressure: bool,
    /// The direction prompt (or the direction's name).
    pub direction: bool,
    /// The step's notes, first sentence only (off by default: notes are reading matter).
    pub notes: bool,
    /// What the side-switch pause says ("Ease out slowly, then settle on the right side.").
    pub switch: bool,
    /// "You can ease off when it softens." when an open-ended hold reaches its minimum.
    pub minimum: bool,
    /// "10 seconds." in the warning window.
    pub countdown: bool,
}

impl Default for VoiceParts {
    fn default() -> Self {
        Self {
            step: true,
            side: true,
            title: true,
            area: true,
            pressure: true,
            direction: true,
            notes: false,
            switch: true,
            minimum: true,
            countdown: false,
        }
    }
}

/// The voice settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceSettings {
    /// Speak prompts at all.
    pub enabled: bool,
    pub parts: VoiceParts,
    /// An eSpeak voice variant ([`VOICE_VARIANTS`]); `None` for the language's own voice.
    pub voice: Option<String>,
    /// Words per minute, 80 to 450.
    pub rate_wpm: u16,
    /// The voice's volume, 0 to 100, relative to the chimes (the main volume and mute apply to both).
    pub volume: u8,
    pub balance: Balance,
    /// Play a step's recorded prompt (the therapist's voice) instead of synthesized speech when it has one.
    pub recordings: bool,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            parts: VoiceParts::default(),
            voice: None,
            rate_wpm: 160,
            volume: 100,
            balance: Balance::Even,
            recordings: true,
        }
    }
}

impl VoiceSettings {
    /// What the engine needs to know.
    pub fn options(&self) -> VoiceOptions {
        VoiceOptions {
            variant: self.voice.clone().filter(|v| !v.trim().is_empty()),
            rate_wpm: self.rate_wpm.clamp(80, 450),
        }
    }

    /// The gain applied to rendered speech: the volume (squared, as the chime volume is) and the balance.
    pub fn gain(&self) -> f32 {
        (f32::from(self.volume.min(100)) / 100.0).powi(2) * self.balance.voice_gain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_settings_files_and_partial_ones_load_with_defaults() {
        let empty: VoiceSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, VoiceSettings::default());
        let partial: VoiceSettings =
            serde_json::from_str(r#"{"balance": "chimes-louder", "parts": {"countdown": true}}"#).unwrap();
        assert_eq!(partial.balance, Balance::ChimesLouder);
        assert!(partial.parts.countdown && partial.parts.side);
        assert!((partial.gain() - 0.5).abs() < 1e-6);
        let round_trip: VoiceSettings = serde_json::from_str(&serde_json::to_string(&partial).unwrap()).unwrap();
        assert_eq!(round_trip, partial);
    }
}
