//! The seam between prompts and whatever speaks them: a [`PromptVoice`] renders one phrase of text, in one
//! language, to mono samples at the chime track's rate. The real engine is eSpeak NG (`espeak.rs`); tests use
//! `FakeVoice`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language prompts can be spoken in: the languages the app is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    De,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::De, Lang::Es];

    /// "en", "de" or "es".
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code.trim().to_ascii_lowercase())
    }

    /// The language the window shows now (the user's choice or the system's): see [`crate::i18n::Language`].
    pub fn of_app(language: crate::i18n::Language) -> Lang {
        Lang::from_code(language.effective()).unwrap_or(Lang::En)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a voice should sound, apart from its language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct VoiceOptions {
    /// An eSpeak NG voice variant (`f3`, `m3`, `klatt`...; see [`super::VOICE_VARIANTS`]); `None` for the default.
    pub variant: Option<String>,
    /// Words per minute (80 to 450; eSpeak's normal is 175).
    pub rate_wpm: u16,
}

/// Why nothing was spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceError {
    /// No speech engine: the library or its data is missing. Said once; chimes carry on.
    Unavailable(String),
    /// The engine is there but this render failed.
    Failed(String),
}

impl fmt::Display for VoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VoiceError::Unavailable(reason) => write!(f, "{} ({reason})", super::VOICE_UNAVAILABLE),
            VoiceError::Failed(reason) => write!(f, "speech failed: {reason}"),
        }
    }
}

impl std::error::Error for VoiceError {}

/// Something that turns text into speech samples, in process, without a sound device.
pub trait PromptVoice: Send {
    /// Renders `text` in `language`: mono samples at [`crate::audio::SAMPLE_RATE`], silence at either end included
    /// (the caller trims it). Blocking and a few milliseconds long: call it on a worker thread, never the UI thread.
    fn render(&mut self, text: &str, language: Lang, options: &VoiceOptions) -> Result<Vec<f32>, VoiceError>;

    /// What the engine is, for `say --verbose` and notices: "eSpeak NG 1.51", "fake".
    fn describe(&self) -> String;
}
