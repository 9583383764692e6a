//! The sequence library: bundled sequences embedded in the binary, plus user files that may override them by id.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Sequence;
use super::diagnostic::{Diagnostic, FieldPath, Position};
use super::locate::locate;
use super::parse::{MAX_FILE_BYTES, parse_sequence};
use super::validate::check_voice_files;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_sequences.rs"));
}

/// Where a library entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Shipped inside the binary.
    Bundled,
    /// A file on disk: the data directory, `--sequences DIR`, or opened by the user.
    User(PathBuf),
}

impl Source {
    pub fn label(&self) -> &'static str {
        match self {
            Source::Bundled => "bundled",
            Source::User(_) => "user",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub sequence: Arc<Sequence>,
    pub source: Source,
    /// A user file with the id of a bundled sequence: an edited copy that replaces it.
    pub overrides_bundled: bool,
}

/// Valid sequences by id, and the diagnostics of every file that did not load (kept so screens can list them).
#[derive(Debug, Clone, Default)]
pub struct Library {
    entries: Vec<Entry>,
    problems: Vec<Diagnostic>,
}

/// The names of the files embedded at build time, with their text.
pub fn bundled_files() -> &'static [(&'static str, &'static str)] {
    bundled::BUNDLED_FILES
}

/// Reads and validates one file. Oversized files are refused before they are read into memory.
pub fn read_sequence_file(path: &Path) -> Result<Sequence, Vec<Diagnostic>> {
    let origin = path.display().to_string();
    let fail = |message: String| vec![Diagnostic::file_level(&origin, message)];
    let file = fs::File::open(path).map_err(|e| fail(format!("cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail("the file is larger than 1 MiB; sequence files are limited to 1 MiB".to_owned()));
    }
    let sequence = parse_sequence(&origin, &bytes)?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    with_voice_files(sequence, &bytes, folder)
}

/// The sequence with its recorded prompts found in `folder`, or a positioned error at each `steps[N].voice` whose
/// file is missing.
pub fn with_voice_files(sequence: Sequence, bytes: &[u8], folder: &Path) -> Result<Sequence, Vec<Diagnostic>> {
    let problems = check_voice_files(sequence.document(), folder);
    if problems.is_empty() {
        return Ok(sequence.with_voice_folder(folder.to_owned()));
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Err(problems
        .into_iter()
        .map(|problem| Diagnostic {
            origin: sequence.origin().to_owned(),
            position: Some(Position::of_offset(text, locate(text, problem.field.segments()))),
            field: problem.field,
            message: problem.message,
        })
        .collect())
}

/// The `*.json` files directly in `dir`, sorted by name so loading order (and so duplicate reports) is stable.
pub fn sequence_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let listing = fs::read_dir(dir)
        .map_err(|e| Diagnostic::file_level(dir.display().to_string(), format!("cannot list folder: {e}")))?;
    let mut files: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json") && path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

impl Library {
    /// Only the sequences shipped in the binary.
    pub fn bundled() -> Self {
        let mut library = Library::default();
        let mut seen = HashMap::new();
        for (name, text) in bundled_files() {
            let origin = format!("bundled:{name}");
            match parse_sequence(&origin, text.as_bytes()) {
                Ok(sequence) => library.insert_unique(sequence, Source::Bundled, &mut seen),
                Err(problems) => library.problems.extend(problems),
            }
        }
        library
    }

    /// The bundled library overlaid with the usual folders (the data folder's sequences, a kiosk's SD card and USB
    /// stick), then each folder named on the command line, in turn. A missing usual folder is normal (nothing saved
    /// yet, no stick inserted); a missing named folder was asked for, so it is reported. Within one folder an id may
    /// appear once; a later folder overrides earlier ones.
    pub fn load(usual_dirs: &[PathBuf], named_dirs: &[PathBuf]) -> Self {
        let mut library = Library::bundled();
        let usual = usual_dirs.iter().map(PathBuf::as_path).filter(|dir| dir.exists());
        let dirs = usual.chain(named_dirs.iter().map(PathBuf::as_path));
        for dir in dirs {
            match sequence_files_in(dir) {
                Ok(files) => library.overlay(&files),
                Err(problem) => library.problems.push(problem),
            }
        }
        library
    }

    /// Loads `files` as one group over the current entries: ids repeated inside the group are errors, ids already in
    /// the library are replaced.
    pub fn overlay(&mut self, files: &[PathBuf]) {
        let mut seen = HashMap::new();
        for path in files {
            match read_sequence_file(path) {
                Ok(sequence) => {
                    if seen.contains_key(sequence.id()) {
                        self.insert_unique(sequence, Source::User(path.clone()), &mut seen);
                    } else {
                        seen.insert(sequence.id().to_owned(), path.display().to_string());
                        self.replace(sequence, Source::User(path.clone()));
                    }
                }
                Err(problems) => self.problems.extend(problems),
            }
        }
    }

    /// Adds one file the user opened; it replaces any entry with the same id.
    pub fn open_file(&mut self, path: &Path) -> Result<Arc<Sequence>, Vec<Diagnostic>> {
        let sequence = Arc::new(read_sequence_file(path)?);
        self.entries.retain(|e| e.sequence.id() != sequence.id());
        self.entries.push(Entry {
            sequence: sequence.clone(),
            source: Source::User(path.to_owned()),
            overrides_bundled: false,
        });
        Ok(sequence)
    }

    fn insert_unique(&mut self, sequence: Sequence, source: Source, seen: &mut HashMap<String, String>) {
        if let Some(first) = seen.get(sequence.id()) {
            self.problems.push(Diagnostic {
                origin: sequence.origin().to_owned(),
                position: Some(sequence.id_position()),
                field: FieldPath::root().key("id"),
                message: format!("duplicate id \"{}\": {first} already uses it", sequence.id()),
            });
            return;
        }
        seen.insert(sequence.id().to_owned(), sequence.origin().to_owned());
        self.entries.push(Entry { sequence: Arc::new(sequence), source, overrides_bundled: false });
    }

    fn replace(&mut self, sequence: Sequence, source: Source) {
        let overrides_bundled = self
            .entries
            .iter()
            .any(|e| e.sequence.id() == sequence.id() && (e.source == Source::Bundled || e.overrides_bundled));
        self.entries.retain(|e| e.sequence.id() != sequence.id());
        self.entries.push(Entry { sequence: Arc::new(sequence), source, overrides_bundled });
    }

    /// Entries sorted by title, the order a person scans a list in.
    pub fn entries(&self) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort_by(|a, b| a.sequence.title().cmp(b.sequence.title()).then(a.sequence.id().cmp(b.sequence.id())));
        entries
    }

    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    pub fn find(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.sequence.id() == id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
