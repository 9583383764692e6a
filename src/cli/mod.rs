//! The `stillpoint` command line: argument parsing and the small commands (validate, list, schema).

mod chimes;
mod event_log;
mod history;
mod play;
mod recordings;
mod say;
mod screenshot;
mod terminal;
pub mod words;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::platform::Surface;
use crate::sequence::library::{self, Library};
use crate::sequence::{DurationSpec, Sequence, schema};
use crate::store::{DataDir, Store};

pub use play::PlayArgs;

#[derive(Debug, Parser)]
#[command(name = "stillpoint", version, about = "A calm, hands-free guided-session timer for myofascial release")]
pub struct Cli {
    /// Also load sequence files from this folder (may be given more than once); same id overrides.
    #[arg(long = "sequences", value_name = "DIR", global = true)]
    pub sequence_dirs: Vec<PathBuf>,

    /// Keep settings, history, the resume checkpoint and your own sequences in DIR: one folder, one complete
    /// installation (also STILLPOINT_DATA_DIR). Default: the platform's data and config folders.
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// The sound output by name (see `stillpoint audio-devices`), for this run; the window's settings keep a choice.
    #[arg(long, value_name = "NAME", global = true)]
    pub audio_device: Option<String>,

    /// Open full screen on a panel with no desktop (Slint's linuxkms backend): touch and keys, no cursor; leaving
    /// takes a long press or Ctrl+Alt+Q. The default of a kiosk-only build.
    #[arg(long, global = true)]
    pub kiosk: bool,

    /// A sequence id or file to open straight to screening (no command: open the window on the library).
    #[arg(value_name = "ID|PATH")]
    pub target: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check sequence files (or every *.json in a folder); prints one line per problem.
    Validate {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the sequences in the library.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the sequence format.
    Schema,
    /// Run a session in the terminal.
    Play(PlayArgs),
    /// Write the chimes as WAV files, or play them in turn.
    Chimes(chimes::ChimesArgs),
    /// Render a screen to a PNG without a display (software renderer).
    Screenshot(screenshot::ScreenshotArgs),
    /// Show the sessions kept in the history, as a table, CSV or JSON.
    History(history::HistoryArgs),
    /// Rewrite sequence files (or every *.json in a folder) in the canonical form the editor saves; invalid files are
    /// reported as `validate` does and left untouched.
    Fmt {
        /// Change nothing: name the files that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the sound outputs by name (for `--audio-device` and the kiosk's set-up).
    AudioDevices,
    /// Speak a step's prompt (recorded or synthesized), or write it to a WAV file.
    Say(say::SayArgs),
    /// Copy a sequence and the recorded prompts it names into one folder, to hand to a client.
    Export {
        #[arg(value_name = "ID|PATH")]
        target: String,
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite files of the same name that differ.
        #[arg(long)]
        replace: bool,
    },
    /// Install a sequence folder made by `export` (the sequence and its recordings) into the data folder.
    Import {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite files of the same name that differ.
        #[arg(long)]
        replace: bool,
    },
}

/// What every command shares: where files are, and which kind of screen the window is.
pub struct Context {
    pub data_dir: Option<DataDir>,
    pub audio_device: Option<String>,
    pub surface: Surface,
    pub sequence_dirs: Vec<PathBuf>,
}

impl Context {
    fn of(cli: &Cli) -> Self {
        Context {
            data_dir: DataDir::resolve(cli.data_dir.as_deref()),
            audio_device: cli.audio_device.clone(),
            surface: if cli.kiosk { Surface::Kiosk } else { Surface::default_for_build() },
            sequence_dirs: cli.sequence_dirs.clone(),
        }
    }

    /// The data folder, made if need be, with its writer.
    pub fn store(&self) -> Store {
        match &self.data_dir {
            Some(dir) => Store::open(dir.clone()),
            None => Store::in_memory(),
        }
    }

    /// Bundled sequences, then the data folder's (and on a kiosk the SD card's and USB stick's), then each
    /// `--sequences` folder, each overriding the one before.
    pub fn library(&self) -> Library {
        self.library_dirs().load()
    }

    pub fn library_dirs(&self) -> crate::app::LibraryDirs {
        let mut usual: Vec<PathBuf> = self.data_dir.iter().map(DataDir::sequences_dir).collect();
        if self.surface == Surface::Kiosk {
            usual.extend(crate::platform::KIOSK_SEQUENCE_DIRS.iter().map(PathBuf::from));
        }
        crate::app::LibraryDirs { usual, named: self.sequence_dirs.clone() }
    }
}

/// Parses the process arguments and runs the chosen command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let context = Context::of(&cli);
    match cli.command {
        Some(Command::Validate { paths }) => validate(&paths),
        Some(Command::List { json }) => list(&context.library(), json),
        Some(Command::Schema) => {
            let _ = write!(std::io::stdout(), "{}", schema::schema_json());
            ExitCode::SUCCESS
        }
        Some(Command::Play(args)) => play::run(&context, &args),
        Some(Command::Chimes(args)) => chimes::run(&args),
        Some(Command::Screenshot(args)) => screenshot::run(&context, &args),
        Some(Command::History(args)) => history::run(&context, &args),
        Some(Command::Fmt { check, paths }) => format_files(&paths, check),
        Some(Command::AudioDevices) => {
            let devices = crate::audio::output_device_list();
            if devices.is_empty() {
                eprintln!("no sound outputs found");
                return ExitCode::FAILURE;
            }
            let mut out = std::io::stdout().lock();
            for device in devices {
                let _ = writeln!(out, "{}\t{}", device.name, device.description);
            }
            ExitCode::SUCCESS
        }
        Some(Command::Say(args)) => say::run(&context, &args),
        Some(Command::Export { target, dir, replace }) => recordings::export(&context, &target, &dir, replace),
        Some(Command::Import { dir, replace }) => recordings::import(&context, &dir, replace),
        None => open_window(&context, context.library(), cli.target.as_deref()),
    }
}

/// Opens the window on the library, or on screening for `target`.
pub fn open_window(context: &Context, library: Library, target: Option<&str>) -> ExitCode {
    let sequence = match target.map(|t| play::resolve_target(&library, t)).transpose() {
        Ok(sequence) => sequence,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let options = crate::app::WindowOptions {
        library,
        library_dirs: context.library_dirs(),
        sequence,
        store: context.store(),
        surface: context.surface,
        keep_awake: None,
        audio_device: context.audio_device.clone(),
        speech_engine: None,
        microphone: None,
    };
    match crate::app::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "stillpoint: cannot open the window ({err}); `stillpoint play ID --no-window` runs in the terminal"
            );
            ExitCode::FAILURE
        }
    }
}

/// The files named, and every `*.json` directly in the folders named, each once; problems listing a folder are
/// printed to `out` and make `failed` true.
fn files_named(paths: &[PathBuf], out: &mut impl Write, failed: &mut bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.is_dir() {
            match library::sequence_files_in(path) {
                Ok(found) if found.is_empty() => {
                    let _ = writeln!(out, "{}: no *.json files in this folder", path.display());
                    *failed = true;
                }
                Ok(found) => files.extend(found),
                Err(problem) => {
                    let _ = writeln!(out, "{problem}");
                    *failed = true;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    // The same file named twice (`a.json dir/` with a.json in dir) is one file, not a duplicate id.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(file.canonicalize().unwrap_or_else(|_| file.clone())));
    files
}

fn validate(paths: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    let files = files_named(paths, &mut out, &mut failed);
    let mut checked = Library::default();
    checked.overlay(&files);
    for problem in checked.problems() {
        let _ = writeln!(out, "{problem}");
        failed = true;
    }
    // Gaps in a translation are notes, not failures: the text shows as written until it is translated.
    for entry in checked.entries() {
        for line in words::translation_gaps(&entry.sequence) {
            let _ = writeln!(out, "{}: {line}", entry.sequence.origin());
        }
    }
    let valid = checked.len();
    let _ = out.flush();
    eprintln!("{valid} of {} file(s) valid", files.len());
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn format_files(paths: &[PathBuf], check: bool) -> ExitCode {
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    let files = files_named(paths, &mut out, &mut failed);
    let mut changed = 0;
    for file in &files {
        let sequence = match library::read_sequence_file(file) {
            Ok(sequence) => sequence,
            Err(problems) => {
                for problem in problems {
                    let _ = writeln!(out, "{problem}");
                }
                failed = true;
                continue;
            }
        };
        let canonical = crate::sequence::write_sequence(sequence.document());
        if std::fs::read(file).is_ok_and(|bytes| bytes == canonical.as_bytes()) {
            continue;
        }
        changed += 1;
        if check {
            let _ = writeln!(out, "{}: not in canonical form", file.display());
            continue;
        }
        if let Err(err) = crate::store::write_atomically(file, canonical.as_bytes()) {
            let _ = writeln!(out, "{}: cannot write: {err}", file.display());
            failed = true;
        }
    }
    let _ = out.flush();
    let verb = if check { "would be rewritten" } else { "rewritten" };
    eprintln!("{changed} of {} file(s) {verb}", files.len());
    if failed || (check && changed > 0) { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// A summary row shared by the table and the JSON output of `list`.
#[derive(Debug, serde::Serialize)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    pub audience: &'static str,
    pub steps: usize,
    pub total_seconds: u64,
    pub source: &'static str,
}

impl ListRow {
    pub fn of(sequence: &Sequence, source: &library::Source) -> Self {
        ListRow {
            id: sequence.id().to_owned(),
            title: sequence.title().to_owned(),
            audience: sequence.audience().code(),
            steps: sequence.played_step_count(),
            total_seconds: sequence.expected_total().as_secs(),
            source: source.label(),
        }
    }
}

fn list(library: &Library, json: bool) -> ExitCode {
    let rows: Vec<ListRow> = library.entries().into_iter().map(|e| ListRow::of(&e.sequence, &e.source)).collect();
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
    } else {
        let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
        let title_width = rows.iter().map(|r| r.title.chars().count()).max().unwrap_or(5).max(5);
        let _ = writeln!(
            out,
            "{:id_width$}  {:title_width$}  {:9}  {:>5}  {:>8}  SOURCE",
            "ID", "TITLE", "AUDIENCE", "STEPS", "TOTAL"
        );
        for row in &rows {
            let total = DurationSpec::from_secs(row.total_seconds).to_string();
            let _ = writeln!(
                out,
                "{:id_width$}  {:title_width$}  {:9}  {:>5}  {:>8}  {}",
                row.id, row.title, row.audience, row.steps, total, row.source
            );
        }
    }
    for problem in library.problems() {
        eprintln!("skipped: {problem}");
    }
    ExitCode::SUCCESS
}
