//! Every string the window can show is in a `.slint` file with `@tr`, and has a German and a Spanish translation with
//! the same placeholders (plural forms included). A new string added untranslated fails here.

use std::collections::HashMap;
use std::path::Path;

use stillpoint::i18n::LANGUAGES;

/// One `@tr(...)`: its text, and the plural text when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Wording {
    singular: String,
    plural: Option<String>,
}

/// Reads a string literal starting at `chars` (just after its opening quote).
fn literal(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            '"' => break,
            c => text.push(c),
        }
    }
    text
}

/// The `@tr` texts of every view, found the way the extractor would.
fn slint_wordings() -> Vec<Wording> {
    let mut found = Vec::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("@tr(\"").skip(1) {
                    let mut chars = piece.chars().peekable();
                    let singular = literal(&mut chars);
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    let plural = (chars.peek() == Some(&'|')).then(|| {
                        chars.by_ref().take_while(|c| *c != '"').for_each(drop);
                        literal(&mut chars)
                    });
                    found.push(Wording { singular, plural });
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// A `.po` entry: its translations (one, or one per plural form).
#[derive(Debug, Default)]
struct Entry {
    plural: Option<String>,
    translations: Vec<String>,
}

fn unquote(text: &str) -> String {
    let inner = text.trim().strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    let mut chars = inner.chars().peekable();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some(_)) => out.extend(chars.next()),
            (c, _) => out.push(c),
        }
    }
    out
}

/// `msgid → entry` of a `.po` file, with `msgid_plural` and `msgstr[n]`.
fn parse_po(text: &str) -> HashMap<String, Entry> {
    let mut entries = HashMap::new();
    let mut id = String::new();
    let mut entry = Entry::default();
    enum Field {
        None,
        Id,
        Plural,
        Str(usize),
    }
    let mut field = Field::None;
    let mut flush = |id: &mut String, entry: &mut Entry| {
        if !id.is_empty() {
            entries.insert(std::mem::take(id), std::mem::take(entry));
        }
    };
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("msgid_plural ") {
            entry.plural = Some(unquote(rest));
            field = Field::Plural;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            flush(&mut id, &mut entry);
            id = unquote(rest);
            field = Field::Id;
        } else if let Some(rest) = line.strip_prefix("msgstr") {
            let (index, value) = match rest.strip_prefix('[') {
                Some(indexed) => {
                    let (n, value) = indexed.split_once(']').unwrap();
                    (n.parse().unwrap(), value)
                }
                None => (0, rest),
            };
            if entry.translations.len() <= index {
                entry.translations.resize(index + 1, String::new());
            }
            entry.translations[index] = unquote(value);
            field = Field::Str(index);
        } else if line.starts_with('"') {
            let more = unquote(line);
            match field {
                Field::Id => id.push_str(&more),
                Field::Plural => entry.plural.get_or_insert_default().push_str(&more),
                Field::Str(n) => entry.translations[n].push_str(&more),
                Field::None => {}
            }
        } else if line.is_empty() || line.starts_with('#') {
            field = Field::None;
        }
    }
    flush(&mut id, &mut entry);
    entries
}

fn placeholders(text: &str) -> (usize, usize) {
    (text.matches("{}").count(), text.matches("{n}").count() + text.matches("{0}").count())
}

#[test]
fn every_shown_string_is_translated_with_matching_placeholders() {
    let wanted = slint_wordings();
    assert!(wanted.len() > 150, "found {} @tr strings", wanted.len());
    for language in LANGUAGES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("lang/{language}/LC_MESSAGES/stillpoint.po"));
        let catalog = parse_po(&std::fs::read_to_string(&path).unwrap());
        let mut missing = Vec::new();
        for wording in &wanted {
            let Some(entry) = catalog.get(&wording.singular) else {
                missing.push(wording.singular.as_str());
                continue;
            };
            let forms = if wording.plural.is_some() { 2 } else { 1 };
            if entry.plural != wording.plural
                || entry.translations.len() < forms
                || entry.translations.iter().any(String::is_empty)
            {
                missing.push(wording.singular.as_str());
                continue;
            }
            for translated in &entry.translations {
                let (positional, counted) = placeholders(&wording.singular);
                let (t_positional, t_counted) = placeholders(translated);
                assert_eq!(
                    (t_positional, t_counted.min(1)),
                    (positional, counted.min(1)),
                    "{language}: {:?} → {translated:?} changes the placeholders",
                    wording.singular
                );
            }
        }
        assert!(missing.is_empty(), "{language} lacks translations for {missing:#?}");
    }
}

#[test]
fn the_catalogs_hold_nothing_the_views_no_longer_show() {
    let wanted: Vec<String> = slint_wordings().into_iter().map(|w| w.singular).collect();
    for language in LANGUAGES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("lang/{language}/LC_MESSAGES/stillpoint.po"));
        let catalog = parse_po(&std::fs::read_to_string(&path).unwrap());
        let mut stale: Vec<&String> = catalog.keys().filter(|id| !wanted.contains(id)).collect();
        stale.sort();
        assert!(stale.is_empty(), "{language} translates strings no view shows: {stale:#?}");
    }
}
