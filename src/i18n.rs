//! Which language the window speaks: the user's choice, or the system's when Stillpoint has it. The words themselves
//! live in the `.slint` files (`@tr`) with their translations in `lang/<code>/LC_MESSAGES/stillpoint.po`, bundled
//! into the binary; Rust passes typed values and the sequence author's own text.

use serde::{Deserialize, Serialize};

/// Languages with a bundled translation, besides English (the source language).
pub const LANGUAGES: [&str; 2] = ["de", "es"];

/// The language setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// The system's language when Stillpoint has it, otherwise English.
    #[default]
    System,
    En,
    De,
    Es,
}

impl Language {
    /// The code of the translation to show: "en", "de" or "es".
    pub fn effective(self) -> &'static str {
        match self {
            Language::System => system_language(),
            Language::En => "en",
            Language::De => "de",
            Language::Es => "es",
        }
    }

    /// "en", "de" or "es" as a choice; anything else is the system's.
    pub fn from_code(code: &str) -> Language {
        match code {
            "en" => Language::En,
            "de" => Language::De,
            "es" => Language::Es,
            _ => Language::System,
        }
    }
}

/// The language the system asks for, if Stillpoint has it; otherwise English. `LANGUAGE` (a list of preferences,
/// as gettext reads it) comes first, then `LC_ALL`, `LC_MESSAGES` and `LANG`.
pub fn system_language() -> &'static str {
    let code_of = |value: &str| value.split(['_', '.', '@']).next().unwrap_or_default().to_ascii_lowercase();
    if let Ok(preferences) = std::env::var("LANGUAGE") {
        for preference in preferences.split(':').filter(|p| !p.is_empty()) {
            let code = code_of(preference);
            if code == "en" {
                return "en";
            }
            if let Some(found) = LANGUAGES.into_iter().find(|l| *l == code) {
                return found;
            }
        }
    }
    for variable in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(variable)
            && !value.is_empty()
        {
            let code = code_of(&value);
            return LANGUAGES.into_iter().find(|l| *l == code).unwrap_or("en");
        }
    }
    "en"
}
