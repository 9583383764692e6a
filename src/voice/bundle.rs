//! A sequence handed to a client with the therapist's recorded prompts: exported as one folder holding the sequence
//! file and every WAV file its steps name, imported from such a folder into the user's sequence folder. The folder
//! can be zipped, copied to a stick or sent as it is; nothing in it depends on where it was made.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::sequence::library::{read_sequence_file, sequence_files_in, with_voice_files};
use crate::sequence::parse_sequence;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// The sequence (or a recording it names) is not valid: the loader's diagnostics, one a line.
    Invalid(String),
    /// The folder holds no sequence file, or more than one.
    NotOneSequence(String),
    /// A different file of the same name is already there (`replace` overwrites it).
    Exists(PathBuf),
    Io(String),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Invalid(problems) => f.write_str(problems),
            BundleError::NotOneSequence(detail) => f.write_str(detail),
            BundleError::Exists(path) => {
                write!(f, "{} already exists and differs; --replace overwrites it", path.display())
            }
            BundleError::Io(detail) => f.write_str(detail),
        }
    }
}

impl std::error::Error for BundleError {}

fn io(path: &Path, err: std::io::Error) -> BundleError {
    BundleError::Io(format!("{}: {err}", path.display()))
}

fn invalid(problems: Vec<crate::sequence::Diagnostic>) -> BundleError {
    BundleError::Invalid(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

/// Copies `from` to `to` unless `to` already has the same bytes; a different file there is an error unless `replace`.
fn copy(from: &Path, to: &Path, replace: bool) -> Result<(), BundleError> {
    let bytes = fs::read(from).map_err(|e| io(from, e))?;
    match fs::read(to) {
        Ok(existing) if existing == bytes => return Ok(()),
        Ok(_) if !replace => return Err(BundleError::Exists(to.to_owned())),
        _ => {}
    }
    if let Some(folder) = to.parent() {
        fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
    }
    crate::store::write_atomically(to, &bytes).map_err(|e| io(to, e))
}

/// Writes the sequence `text` (its recordings looked for in `folder`, `None` for a bundled sequence) and the WAV
/// files its steps name into `out` (made if missing). Returns the files written, the sequence file first.
pub fn export_bundle(
    text: &[u8],
    file_name: &str,
    folder: Option<&Path>,
    out: &Path,
    replace: bool,
) -> Result<Vec<PathBuf>, BundleError> {
    let sequence = parse_sequence(file_name, text).map_err(invalid)?;
    let sequence = match folder {
        Some(folder) => with_voice_files(sequence, text, folder).map_err(invalid)?,
        None => sequence,
    };
    fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let target = out.join(format!("{}.json", sequence.id()));
    match fs::read(&target) {
        Ok(existing) if existing != text && !replace => return Err(BundleError::Exists(target)),
        _ => crate::store::write_atomically(&target, text).map_err(|e| io(&target, e))?,
    }
    let mut written = vec![target];
    let voices = sequence.document().steps.iter().filter_map(|step| step.voice.as_ref());
    for name in voices {
        let Some(folder) = folder else { continue };
        let to = out.join(name.as_str());
        if !written.contains(&to) {
            copy(&folder.join(name.as_str()), &to, replace)?;
            written.push(to);
        }
    }
    Ok(written)
}

/// Installs the sequence exported to `bundle` (with its recordings) into `sequences` (the user's sequence folder).
/// The sequence must be valid and every recording it names present. Returns the installed sequence file.
pub fn import_bundle(bundle: &Path, sequences: &Path, replace: bool) -> Result<PathBuf, BundleError> {
    let files = sequence_files_in(bundle).map_err(|problem| BundleError::Io(problem.to_string()))?;
    let [file] = files.as_slice() else {
        return Err(BundleError::NotOneSequence(format!(
            "{}: a sequence folder holds exactly one sequence file (*.json); found {}",
            bundle.display(),
            files.len()
        )));
    };
    let sequence = read_sequence_file(file).map_err(invalid)?;
    crate::store::create_private_dir(sequences).map_err(|e| io(sequences, e))?;
    let target = sequences.join(format!("{}.json", sequence.id()));
    // Recordings first: a sequence file is only installed once everything it names is in place.
    for name in sequence.document().steps.iter().filter_map(|step| step.voice.as_ref()) {
        copy(&bundle.join(name.as_str()), &sequences.join(name.as_str()), replace)?;
    }
    copy(file, &target, replace)?;
    Ok(target)
}
