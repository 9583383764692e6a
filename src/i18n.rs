//! Translations for text that Rust puts on screen (catalog names, questions, messages). The `.slint` views use
//! `@tr` with the same `lang/<code>/LC_MESSAGES/stillpoint.po` files, so one file per language holds everything.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Languages with a bundled translation, besides English (the source language).
pub const LANGUAGES: [&str; 2] = ["de", "es"];

static CATALOG_TEXTS: [(&str, &str); 2] = [
    ("de", include_str!("../lang/de/LC_MESSAGES/stillpoint.po")),
    ("es", include_str!("../lang/es/LC_MESSAGES/stillpoint.po")),
];

thread_local! {
    /// The language of this thread's user interface. Per thread, like Slint's own translation state: the window
    /// lives on one thread, and tests that each open a window on their own thread cannot disturb each other.
    static CURRENT: Cell<Option<&'static str>> = const { Cell::new(None) };
}

fn catalogs() -> &'static HashMap<&'static str, HashMap<String, String>> {
    static CATALOGS: OnceLock<HashMap<&'static str, HashMap<String, String>>> = OnceLock::new();
    CATALOGS.get_or_init(|| CATALOG_TEXTS.iter().map(|(code, text)| (*code, parse_po(text))).collect())
}

/// Chooses the language for [`tr`]: a bundled code, or anything else for English.
pub fn set_language(code: &str) {
    let chosen = LANGUAGES.into_iter().find(|l| *l == code);
    CURRENT.with(|current| current.set(chosen));
}

/// The current language code (`"en"` when untranslated).
pub fn language() -> &'static str {
    CURRENT.with(Cell::get).unwrap_or("en")
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

/// `text` in the current language, or unchanged when there is no translation.
pub fn tr(text: &str) -> String {
    let language = language();
    catalogs()
        .get(language)
        .and_then(|catalog| catalog.get(text))
        .filter(|translated| !translated.is_empty())
        .cloned()
        .unwrap_or_else(|| text.to_owned())
}

/// Like [`tr`], then fills each `{}` with the next argument, as `@tr` does in the views.
pub fn tr_args(text: &str, args: &[&dyn std::fmt::Display]) -> String {
    let template = tr(text);
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template.as_str();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(arg) = args.next() {
            out.push_str(&arg.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The `msgid → msgstr` pairs of a `.po` file (contexts and plurals are not used by Stillpoint).
pub fn parse_po(text: &str) -> HashMap<String, String> {
    #[derive(PartialEq)]
    enum Field {
        None,
        Id,
        Str,
    }
    let mut entries = HashMap::new();
    let (mut id, mut translated, mut field) = (String::new(), String::new(), Field::None);
    let mut flush = |id: &mut String, translated: &mut String| {
        if !id.is_empty() {
            entries.insert(std::mem::take(id), std::mem::take(translated));
        }
        id.clear();
        translated.clear();
    };
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("msgid ") {
            flush(&mut id, &mut translated);
            id = unquote(rest);
            field = Field::Id;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            translated = unquote(rest);
            field = Field::Str;
        } else if line.starts_with('"') {
            match field {
                Field::Id => id.push_str(&unquote(line)),
                Field::Str => translated.push_str(&unquote(line)),
                Field::None => {}
            }
        } else if line.is_empty() || line.starts_with('#') || line.starts_with("msgctxt") {
            field = Field::None;
        }
    }
    flush(&mut id, &mut translated);
    entries
}

fn unquote(text: &str) -> String {
    let inner = text.trim().strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_with_escapes_and_continuation_lines() {
        let po = "msgid \"\"\nmsgstr \"Language: de\\n\"\n\n# comment\nmsgid \"Say \\\"hi\\\"\"\nmsgstr \"\"\n\"Sag \\\"hallo\\\"\"\n\nmsgid \"{} left\"\nmsgstr \"noch {}\"\n";
        let entries = parse_po(po);
        assert_eq!(entries.get("Say \"hi\"").map(String::as_str), Some("Sag \"hallo\""));
        assert_eq!(entries.get("{} left").map(String::as_str), Some("noch {}"));
        assert!(!entries.contains_key(""), "the header is not an entry");
    }

    #[test]
    fn fills_placeholders_in_order() {
        assert_eq!(tr_args("Step {} of {}", &[&3, &8]), "Step 3 of 8");
    }
}
