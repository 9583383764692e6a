//! Work the window hands to another thread (files, the sound system) and the answers it gets back: the UI thread
//! never waits on a disk or a device.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::audio::OutputDevice;
use crate::editor::{Origin, SaveOutcome, delete_user_file, save_draft};
use crate::sequence::library::Library;
use crate::store::{HistoryRead, HistoryReader};
use crate::voice::{
    PromptRequest, PromptState, RecordError, Recording, VoicePrompts, decode_wav, new_take_name, write_recording,
};

/// The folders the library is read from, to read it again after the user's folder changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryDirs {
    /// Read when they exist: the data folder's sequences, a kiosk's SD card and USB stick.
    pub usual: Vec<PathBuf>,
    /// Named on the command line.
    pub named: Vec<PathBuf>,
}

impl LibraryDirs {
    pub fn load(&self) -> Library {
        Library::load(&self.usual, &self.named)
    }
}

pub enum Task {
    ReadHistory(HistoryReader),
    ListOutputs,
    /// Writes a sequence into the user's folder, then reads the library again.
    SaveSequence {
        text: String,
        id: String,
        origin: Origin,
        dir: PathBuf,
        library: LibraryDirs,
    },
    /// Moves a user's sequence file aside, then reads the library again.
    DeleteSequence {
        file: PathBuf,
        dir: PathBuf,
        library: LibraryDirs,
    },
    /// Renders a prompt (the settings' "Test voice") to play when it is ready.
    RenderVoice {
        prompts: VoicePrompts,
        request: PromptRequest,
    },
    /// Stops a take of step `step`'s prompt and writes it into `dir` under a new name.
    SaveTake {
        recording: Recording,
        step: usize,
        id: String,
        dir: PathBuf,
    },
    /// Reads a recorded prompt to play it.
    LoadPrompt(PathBuf),
    /// Removes takes nothing names (made in the editor, then recorded again or discarded).
    RemoveTakes(Vec<PathBuf>),
}

pub enum Answer {
    History(HistoryRead),
    Outputs(Vec<OutputDevice>),
    Saved(Result<SaveOutcome, String>, Library),
    Deleted(Result<PathBuf, String>, Library),
    Voice(Option<Arc<[f32]>>),
    TakeSaved(usize, Result<PathBuf, String>),
    PromptLoaded(Result<Arc<[f32]>, String>),
    /// What could not be removed.
    TakesRemoved(Vec<String>),
}

impl Task {
    /// Does the work; blocking, so never on the UI thread (except where there is no other: tests, screenshots).
    pub fn run(self) -> Answer {
        match self {
            Task::ReadHistory(reader) => Answer::History(reader.read()),
            Task::ListOutputs => Answer::Outputs(crate::audio::output_device_list()),
            Task::SaveSequence { text, id, origin, dir, library } => {
                let saved = save_draft(&text, &id, &origin, &dir).map_err(|err| err.to_string());
                Answer::Saved(saved, library.load())
            }
            Task::DeleteSequence { file, dir, library } => {
                let moved = delete_user_file(&file, &dir).map_err(|err| err.to_string());
                Answer::Deleted(moved, library.load())
            }
            Task::RenderVoice { prompts, request } => {
                match prompts.render_blocking(&request, Duration::from_secs(10)) {
                    PromptState::Ready(samples) => Answer::Voice(Some(samples)),
                    _ => Answer::Voice(None),
                }
            }
            Task::SaveTake { recording, step, id, dir } => {
                let saved = recording.stop().and_then(|samples| {
                    crate::store::create_private_dir(&dir)
                        .map_err(|e| RecordError::File(format!("{}: {e}", dir.display())))?;
                    write_recording(&samples, &dir.join(new_take_name(&dir, &id, step)))
                });
                Answer::TakeSaved(step, saved.map_err(|err| err.to_string()))
            }
            Task::LoadPrompt(path) => Answer::PromptLoaded(match decode_wav(&path) {
                Ok(samples) if !samples.is_empty() => Ok(samples.into()),
                Ok(_) => Err(format!("{} is empty", path.display())),
                Err(err) => Err(err.to_string()),
            }),
            Task::RemoveTakes(paths) => Answer::TakesRemoved(
                paths
                    .iter()
                    .filter_map(|path| match std::fs::remove_file(path) {
                        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                            Some(format!("{}: {err}", path.display()))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }
}
