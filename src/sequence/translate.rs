//! A sequence's own texts in other languages: which texts a file has, which of them its `translations` cover, and
//! the words to show and speak in the reader's language.
//!
//! A translation is keyed by the text exactly as written, the way gettext keys by the message: steps can be moved,
//! added and removed without touching the translations, and a text edited since it was translated is shown as
//! written (in the file's language) instead of with words that no longer match it.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::FieldPath;
use super::format::{SequenceDocument, StepSpec, Text};

/// One of a document's texts and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAt<'a> {
    pub field: FieldPath,
    pub text: &'a str,
}

/// Every text a translation can cover, in document order: the sequence's title, summary, position and equipment,
/// then each step's title, area, prompts, notes and `say`. Ids, tags and codes are not words anyone reads aloud.
pub fn texts(document: &SequenceDocument) -> Vec<TextAt<'_>> {
    let root = FieldPath::root();
    let mut out = vec![at(root.key("title"), &document.title), at(root.key("summary"), &document.summary)];
    out.extend(document.position.iter().map(|position| at(root.key("position"), position)));
    out.extend(document.equipment.iter().enumerate().map(|(i, item)| at(root.key("equipment").index(i), item)));
    for (i, step) in document.steps.iter().enumerate() {
        let path = root.key("steps").index(i);
        out.extend(
            step_texts(step).map(|(field, text)| at(field.iter().fold(path.clone(), |p, key| p.key(key)), text)),
        );
    }
    // An empty text (a new sequence's title before it is typed) has nothing to translate.
    out.retain(|text| !text.text.trim().is_empty());
    out
}

fn at(field: FieldPath, text: &Text) -> TextAt<'_> {
    TextAt { field, text: text.as_str() }
}

/// A step's texts with their field names below the step.
fn step_texts(step: &StepSpec) -> impl Iterator<Item = (&'static [&'static str], &Text)> {
    [
        (&["title"][..], step.title.as_ref()),
        (&["area"][..], step.area.as_ref()),
        (&["pressure", "prompt"][..], step.pressure.as_ref().and_then(|p| p.prompt.as_ref())),
        (&["direction", "prompt"][..], step.direction.as_ref().and_then(|d| d.prompt.as_ref())),
        (&["notes"][..], step.notes.as_ref()),
        (&["say"][..], step.say.as_ref()),
    ]
    .into_iter()
    .filter_map(|(field, text)| Some((field, text?)))
}

/// The translations into the reader's language, if the file has them.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'a> {
    language: Option<&'a str>,
    entries: Option<&'a BTreeMap<String, Text>>,
}

impl<'a> Catalog<'a> {
    /// What `document` offers a reader of `reader` (a language code); `None` reads the file as written.
    pub fn for_reader(document: &'a SequenceDocument, reader: Option<&str>) -> Self {
        let Some(reader) = reader.filter(|reader| Some(*reader) != document.language.as_deref()) else {
            return Self { language: None, entries: None };
        };
        match document.translations.get_key_value(reader) {
            Some((language, entries)) => Self { language: Some(language.as_str()), entries: Some(entries) },
            None => Self { language: None, entries: None },
        }
    }

    /// The translation of `written`, if there is one.
    pub fn get(&self, written: &str) -> Option<&'a str> {
        self.entries?.get(written).map(Text::as_str)
    }

    /// `written` in the reader's language where the file translates it, else as written.
    pub fn text<'t>(&self, written: &'t str) -> &'t str
    where
        'a: 't,
    {
        self.get(written).unwrap_or(written)
    }

    /// The language the translations are in (`None` when the file is read as written).
    pub fn language(&self) -> Option<&'a str> {
        self.language
    }

    /// Whether every text of `step` has a translation: a step is shown in one language, never half in each.
    pub fn covers(&self, step: &StepSpec) -> bool {
        self.entries.is_some() && step_texts(step).all(|(_, text)| self.get(text.as_str()).is_some())
    }
}

/// How far a file's translation into one language goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage<'a> {
    pub language: &'a str,
    /// Different texts in the file (a text written twice counts once).
    pub distinct_texts: usize,
    /// Texts without a translation, where each is first written.
    pub missing: Vec<TextAt<'a>>,
    /// Translations of texts the file no longer has (edited or removed since): kept, never used.
    pub unused: Vec<&'a str>,
}

/// The coverage of each language in `translations`, in code order.
pub fn coverage(document: &SequenceDocument) -> Vec<Coverage<'_>> {
    let all = texts(document);
    let written: BTreeSet<&str> = all.iter().map(|t| t.text).collect();
    document
        .translations
        .iter()
        .map(|(language, entries)| {
            let mut seen = BTreeSet::new();
            let missing =
                all.iter().filter(|t| !entries.contains_key(t.text) && seen.insert(t.text)).cloned().collect();
            let unused = entries.keys().map(String::as_str).filter(|key| !written.contains(key)).collect();
            Coverage { language, distinct_texts: written.len(), missing, unused }
        })
        .collect()
}

/// Whether `code` is a language code the format accepts: two or three lowercase letters (ISO 639).
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Every translatable text of `document`, changed in place by `change` where it returns new words.
fn map_texts(document: &mut SequenceDocument, mut change: impl FnMut(&str) -> Option<String>) {
    let mut apply = |text: &mut Text| {
        if let Some(new) = change(text.as_str()) {
            *text = Text::new(new);
        }
    };
    apply(&mut document.title);
    apply(&mut document.summary);
    document.position.iter_mut().for_each(&mut apply);
    document.equipment.iter_mut().for_each(&mut apply);
    for step in &mut document.steps {
        let prompts = [
            step.pressure.as_mut().and_then(|p| p.prompt.as_mut()),
            step.direction.as_mut().and_then(|d| d.prompt.as_mut()),
        ];
        let texts = [step.title.as_mut(), step.area.as_mut(), step.notes.as_mut(), step.say.as_mut()];
        texts.into_iter().chain(prompts).flatten().for_each(&mut apply);
    }
}

/// `document` written in `reader`'s language instead: its translation into `reader` becomes the text, and the
/// words it was written in become a translation like the others. `None` unless the file says what language it is
/// written in and translates every text into `reader`: a copy is never half in one language.
///
/// This is how a copy starts in the editor, so the person changing it reads and writes their own language.
pub fn written_in(document: &SequenceDocument, reader: &str) -> Option<SequenceDocument> {
    let written = document.language.as_deref().filter(|language| *language != reader)?;
    let catalog = document.translations.get(reader)?;
    let all = texts(document);
    if all.iter().any(|t| !catalog.contains_key(t.text)) {
        return None;
    }
    let mut translations: BTreeMap<String, BTreeMap<String, Text>> = BTreeMap::new();
    for text in &all {
        let key = catalog[text.text].as_str().to_owned();
        let original = translations.entry(written.to_owned()).or_default();
        original.entry(key.clone()).or_insert_with(|| Text::new(text.text));
        for (language, entries) in document.translations.iter().filter(|(language, _)| *language != reader) {
            if let Some(words) = entries.get(text.text) {
                translations.entry(language.clone()).or_default().entry(key.clone()).or_insert_with(|| words.clone());
            }
        }
    }
    let mut copy = document.clone();
    map_texts(&mut copy, |text| catalog.get(text).map(|t| t.as_str().to_owned()));
    copy.language = Some(reader.to_owned());
    copy.translations = translations;
    Some(copy)
}
