//! The `stillpoint` command line: argument parsing and the small commands (validate, list, schema).

mod chimes;
mod event_log;
mod play;
mod screenshot;
mod terminal;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::platform::Surface;
use crate::sequence::library::{self, Library};
use crate::sequence::{DurationSpec, Sequence, schema};

pub use play::PlayArgs;

#[derive(Debug, Parser)]
#[command(name = "stillpoint", version, about = "A calm, hands-free guided-session timer for myofascial release")]
pub struct Cli {
    /// Also load sequence files from this folder (may be given more than once); same id overrides.
    #[arg(long = "sequences", value_name = "DIR", global = true)]
    pub sequence_dirs: Vec<PathBuf>,

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
}

/// Parses the process arguments and runs the chosen command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Validate { paths }) => validate(&paths),
        Some(Command::List { json }) => list(&load_library(&cli.sequence_dirs), json),
        Some(Command::Schema) => {
            let _ = write!(std::io::stdout(), "{}", schema::schema_json());
            ExitCode::SUCCESS
        }
        Some(Command::Play(args)) => play::run(&load_library(&cli.sequence_dirs), &args, surface(cli.kiosk)),
        Some(Command::Chimes(args)) => chimes::run(&args),
        Some(Command::Screenshot(args)) => screenshot::run(load_library(&cli.sequence_dirs), &args),
        None => open_window(load_library(&cli.sequence_dirs), cli.target.as_deref(), surface(cli.kiosk)),
    }
}

fn surface(kiosk: bool) -> Surface {
    if kiosk { Surface::Kiosk } else { Surface::default_for_build() }
}

/// Opens the window on the library, or on screening for `target`.
pub fn open_window(library: Library, target: Option<&str>, surface: Surface) -> ExitCode {
    let sequence = match target.map(|t| play::resolve_target(&library, t)).transpose() {
        Ok(sequence) => sequence,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let options = crate::app::WindowOptions {
        library,
        sequence,
        settings: crate::store::SettingsStore::default_location(),
        surface,
        keep_awake: None,
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

/// Bundled sequences, then the user's data folder, then `--sequences` folders, each overriding the one before.
pub fn load_library(extra_dirs: &[PathBuf]) -> Library {
    Library::load(library::user_sequence_dir().as_deref(), extra_dirs)
}

fn validate(paths: &[PathBuf]) -> ExitCode {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for path in paths {
        if path.is_dir() {
            match library::sequence_files_in(path) {
                Ok(found) if found.is_empty() => {
                    let _ = writeln!(out, "{}: no *.json files in this folder", path.display());
                    failed = true;
                }
                Ok(found) => files.extend(found),
                Err(problem) => {
                    let _ = writeln!(out, "{problem}");
                    failed = true;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    // The same file named twice (`a.json dir/` with a.json in dir) is one file, not a duplicate id.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(file.canonicalize().unwrap_or_else(|_| file.clone())));
    let mut checked = Library::default();
    checked.overlay(&files);
    for problem in checked.problems() {
        let _ = writeln!(out, "{problem}");
        failed = true;
    }
    let valid = checked.len();
    let _ = out.flush();
    eprintln!("{valid} of {} file(s) valid", files.len());
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
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
