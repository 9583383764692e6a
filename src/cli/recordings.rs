//! `stillpoint export` and `stillpoint import`: a sequence with its recorded prompts, as one folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Context;
use crate::sequence::library::{Source, bundled_files};
use crate::voice::{export_bundle, import_bundle};

/// The sequence's file text and the folder its recordings are in (`None` for a bundled sequence).
fn sequence_file(context: &Context, target: &str) -> Result<(Vec<u8>, String, Option<PathBuf>), String> {
    let read = |path: &Path| -> Result<(Vec<u8>, String, Option<PathBuf>), String> {
        let bytes = std::fs::read(path).map_err(|err| format!("{}: cannot read: {err}", path.display()))?;
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned();
        Ok((bytes, path.display().to_string(), Some(folder)))
    };
    let path = Path::new(target);
    if path.is_file() || target.ends_with(".json") {
        return read(path);
    }
    let library = context.library();
    let sequence = super::play::resolve_target(&library, target)?;
    match library.find(sequence.id()).map(|entry| &entry.source) {
        Some(Source::User(path)) => read(path),
        _ => {
            let name = sequence.origin().strip_prefix("bundled:").unwrap_or_default();
            let text = bundled_files().iter().find(|(file, _)| *file == name).map(|(_, text)| *text);
            text.map(|text| (text.as_bytes().to_vec(), sequence.origin().to_owned(), None))
                .ok_or_else(|| format!("cannot find the file of {}", sequence.id()))
        }
    }
}

pub fn export(context: &Context, target: &str, out: &Path, replace: bool) -> ExitCode {
    let (bytes, name, folder) = match sequence_file(context, target) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    match export_bundle(&bytes, &name, folder.as_deref(), out, replace) {
        Ok(files) => {
            let mut stdout = std::io::stdout().lock();
            for file in &files {
                let _ = writeln!(stdout, "{}", file.display());
            }
            eprintln!("exported {} file(s) to {}", files.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

pub fn import(context: &Context, bundle: &Path, replace: bool) -> ExitCode {
    let Some(sequences) = context.data_dir.as_ref().map(crate::store::DataDir::sequences_dir) else {
        eprintln!("stillpoint: no data folder to import into (--data-dir DIR)");
        return ExitCode::FAILURE;
    };
    match import_bundle(bundle, &sequences, replace) {
        Ok(path) => {
            let _ = writeln!(std::io::stdout(), "{}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
