//! The library screen's logic: cards for the chosen audience, files that did not load, and opening a file by path.

use std::path::Path;
use std::sync::Arc;

use std::time::Duration;

use crate::sequence::library::{Library, Source};
use crate::sequence::{Audience, Sequence, Technique};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AudienceFilter {
    #[default]
    All,
    Only(Audience),
}

/// A library card's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    /// Expected length (open-ended holds at their minimum).
    pub total: Duration,
    pub steps: usize,
    /// Treatment techniques used, in the format's order.
    pub techniques: Vec<Technique>,
    pub user_file: bool,
    /// A user file with a bundled sequence's id (an edited copy).
    pub edited_copy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub message: String,
}

pub struct LibraryController {
    library: Library,
    filter: AudienceFilter,
    open_error: String,
    open_needs_path: bool,
    /// The card chosen with the keyboard (arrow keys, pedal), by id so filtering cannot shift it to another card.
    selected: Option<String>,
    /// The language cards are shown in (the sequences' own translations), as a code such as "de".
    reader: &'static str,
}

impl LibraryController {
    pub fn new(library: Library) -> Self {
        Self {
            library,
            filter: AudienceFilter::All,
            open_error: String::new(),
            open_needs_path: false,
            selected: None,
            reader: "en",
        }
    }

    /// Shows the cards in `reader`'s language (where the sequences translate their texts), in its alphabetical order.
    pub fn set_reader(&mut self, reader: &'static str) {
        self.reader = reader;
    }

    pub fn selected_id(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// The keyboard's card, if it is still shown.
    pub fn selected(&self) -> Option<Arc<Sequence>> {
        let id = self.selected.as_deref()?;
        self.cards().iter().any(|c| c.id == id).then(|| self.find(id)).flatten()
    }

    /// Moves the keyboard's choice by `step` cards, wrapping round; the first press picks the first card.
    pub fn move_selection(&mut self, step: isize) {
        let cards = self.cards();
        if cards.is_empty() {
            return;
        }
        let count = cards.len() as isize;
        let next = match self.selected.as_deref().and_then(|id| cards.iter().position(|c| c.id == id)) {
            Some(current) => (current as isize + step).rem_euclid(count),
            None if step < 0 => count - 1,
            None => 0,
        };
        self.selected = Some(cards[next as usize].id.clone());
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The library as read again (after a save or a delete); the chosen card stays chosen if it is still there.
    pub fn replace_library(&mut self, library: Library) {
        self.library = library;
    }

    pub fn filter(&self) -> AudienceFilter {
        self.filter
    }

    pub fn set_filter(&mut self, filter: AudienceFilter) {
        self.filter = filter;
    }

    /// The cards shown, by title in the reader's language.
    pub fn cards(&self) -> Vec<Card> {
        let mut cards: Vec<Card> = self
            .library
            .entries()
            .into_iter()
            .filter(|entry| match self.filter {
                AudienceFilter::All => true,
                AudienceFilter::Only(audience) => entry.sequence.audience() == audience,
            })
            .map(|entry| card(&entry.sequence, &entry.source, entry.overrides_bundled, self.reader))
            .collect();
        // Case and accents aside ("Übungen" among the U, not after Z), which is as far as a sort without a
        // collation table can go.
        cards.sort_by_cached_key(|card| (sort_key(&card.title), card.id.clone()));
        cards
    }

    pub fn problems(&self) -> Vec<Problem> {
        self.library.problems().iter().map(|d| Problem { file: d.origin.clone(), message: d.to_string() }).collect()
    }

    /// The file a user sequence was read from (none for a bundled one).
    pub fn path_of(&self, sequence: &Sequence) -> Option<std::path::PathBuf> {
        match &self.library.find(sequence.id())?.source {
            Source::User(path) => Some(path.clone()),
            Source::Bundled => None,
        }
    }

    pub fn find(&self, id: &str) -> Option<Arc<Sequence>> {
        self.library.find(id).map(|entry| entry.sequence.clone())
    }

    /// Why the last file did not open, in the loader's words.
    pub fn open_error(&self) -> &str {
        &self.open_error
    }

    /// "Open file" was pressed with nothing typed.
    pub fn open_needs_path(&self) -> bool {
        self.open_needs_path
    }

    /// Loads a file the user named; on success it joins the library (replacing a sequence with the same id).
    pub fn open_path(&mut self, path: &str) -> Option<Arc<Sequence>> {
        let path = path.trim();
        self.open_needs_path = path.is_empty();
        if path.is_empty() {
            self.open_error.clear();
            return None;
        }
        match self.library.open_file(Path::new(path)) {
            Ok(sequence) => {
                self.open_error.clear();
                Some(sequence)
            }
            Err(problems) => {
                self.open_error = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
                None
            }
        }
    }
}

fn sort_key(title: &str) -> String {
    title
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'í' | 'ì' | 'î' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ß' => 's',
            other => other,
        })
        .collect()
}

fn card(sequence: &Sequence, source: &Source, edited_copy: bool, reader: &str) -> Card {
    let words = sequence.words_in(reader);
    Card {
        id: sequence.id().to_owned(),
        title: words.text(sequence.title()).to_owned(),
        summary: words.text(sequence.document().summary.as_str()).to_owned(),
        audience: sequence.audience(),
        total: sequence.expected_total(),
        steps: sequence.played_step_count(),
        techniques: sequence.techniques(),
        user_file: matches!(source, Source::User(_)),
        edited_copy,
    }
}
