//! Work the window hands to another thread (files, the sound system) and the answers it gets back: the UI thread
//! never waits on a disk or a device.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::audio::OutputDevice;
use crate::editor::{Origin, SaveOutcome, delete_user_file, save_draft};
use crate::sequence::library::Library;
use crate::store::{HistoryRead, HistoryReader};
use crate::voice::{PromptRequest, PromptState, VoicePrompts};

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
}

pub enum Answer {
    History(HistoryRead),
    Outputs(Vec<OutputDevice>),
    Saved(Result<SaveOutcome, String>, Library),
    Deleted(Result<PathBuf, String>, Library),
    Voice(Option<Arc<[f32]>>),
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
        }
    }
}
