//! What Stillpoint keeps on the device, and the one place that owns its files: settings, the history of sessions
//! and the resume checkpoint, in one data folder. Files are JSON, written atomically (history: appended and synced),
//! readable by the owner only, and written on a thread of their own; nothing leaves the device.

mod atomic;
mod checkpoint;
mod files;
mod history;
mod location;
mod record;
mod settings;
mod writer;

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;

pub use atomic::{create_private_dir, write_atomically};
pub use checkpoint::{CHECKPOINT_EVERY, CHECKPOINT_FORMAT, Checkpoint, SavedHold, SavedPosition};
pub use files::move_aside;
pub use history::{HistoryRead, MAX_HISTORY_FILE};
pub use location::{DATA_DIR_ENV, DataDir};
pub use record::{
    RATING_MAX, RunInProgress, ScreeningAnswer, SessionOutcome, SessionRecord, StepEnd, StepRecord, now_local,
};
pub use settings::{Settings, SettingsStore, ThemeChoice, WindowPlacement};

use writer::{Targets, Writer};

/// 64 random bits from the standard library's per-process random keys (no extra crate for ids that only need to
/// differ).
pub(crate) fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish()
}

/// Every device's history in `dir`, merged, without making or changing anything there.
pub fn read_history(dir: &DataDir) -> HistoryRead {
    history::read(&dir.history_dir())
}

/// Reads the history on another thread, after the writes asked for before it was made.
pub struct HistoryReader {
    dir: Option<DataDir>,
    flush: Option<writer::FlushHandle>,
}

impl HistoryReader {
    pub fn read(self) -> HistoryRead {
        if let Some(flush) = &self.flush {
            flush.flush();
        }
        self.dir.as_ref().map(read_history).unwrap_or_default()
    }
}

/// The data folder and its writer.
pub struct Store {
    dir: Option<DataDir>,
    settings: SettingsStore,
    device: String,
    writer: Option<Writer>,
    notices: Vec<String>,
}

impl Store {
    /// Opens (and if need be makes) the data folder. A folder that cannot be made or written still gives a working
    /// app, with a notice: the session runs, nothing is kept.
    pub fn open(dir: DataDir) -> Store {
        let settings = SettingsStore::at(dir.settings_file());
        let prepared = dir.prepare().and_then(|()| dir.device_id());
        match prepared {
            Ok(device) => {
                let writer = Writer::spawn(Targets {
                    settings: settings.clone(),
                    checkpoint: dir.checkpoint_file(),
                    history_dir: dir.history_dir(),
                    device: device.clone(),
                });
                Store { dir: Some(dir), settings, device, writer: Some(writer), notices: Vec::new() }
            }
            Err(err) => {
                let notice =
                    format!("{}: cannot use the data folder ({err}); nothing will be kept", dir.root().display());
                let mut store = Store::in_memory();
                store.notices.push(notice);
                store
            }
        }
    }

    /// A store that keeps nothing (screenshots, tests).
    pub fn in_memory() -> Store {
        Store {
            dir: None,
            settings: SettingsStore::in_memory(),
            device: String::from("0000000000000000"),
            writer: None,
            notices: Vec::new(),
        }
    }

    pub fn data_dir(&self) -> Option<&DataDir> {
        self.dir.as_ref()
    }

    /// The user's sequence folder, read over the bundled library.
    pub fn sequences_dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(DataDir::sequences_dir)
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    pub fn settings_store(&self) -> &SettingsStore {
        &self.settings
    }

    /// The saved settings (or defaults); a problem becomes a notice.
    pub fn load_settings(&mut self) -> Settings {
        let (settings, problem) = self.settings.load();
        self.notices.extend(problem);
        settings
    }

    pub fn save_settings(&self, settings: &Settings) {
        if let Some(writer) = &self.writer {
            writer.save_settings(settings);
        }
    }

    /// The checkpoint of a session that did not end cleanly, if there is one. One whose session already has its
    /// final record in the history (the app stopped between the two writes) is removed instead.
    pub fn load_checkpoint(&mut self) -> Option<Checkpoint> {
        let dir = self.dir.as_ref()?;
        let (checkpoint, problem) = checkpoint::load(&dir.checkpoint_file());
        self.notices.extend(problem);
        let checkpoint = checkpoint?;
        let recorded = self.read_history().records.iter().any(|r| r.id == checkpoint.record.id && r.is_final());
        if recorded {
            self.clear_checkpoint();
            return None;
        }
        Some(checkpoint)
    }

    pub fn save_checkpoint(&self, checkpoint: Checkpoint) {
        if let Some(writer) = &self.writer {
            writer.save_checkpoint(checkpoint);
        }
    }

    pub fn clear_checkpoint(&self) {
        if let Some(writer) = &self.writer {
            writer.clear_checkpoint();
        }
    }

    /// Appends a record to this device's history (a second append with the same id and a higher revision supersedes
    /// the first).
    pub fn append(&self, record: SessionRecord) {
        if let Some(writer) = &self.writer {
            writer.append(record);
        }
    }

    /// Every device's history, merged. Reads files: call it off the UI thread.
    pub fn read_history(&self) -> HistoryRead {
        self.dir.as_ref().map(read_history).unwrap_or_default()
    }

    /// A reader of the history for another thread: it sees every record appended before it was made.
    pub fn history_reader(&self) -> HistoryReader {
        HistoryReader { dir: self.dir.clone(), flush: self.writer.as_ref().and_then(Writer::flush_handle) }
    }

    /// Waits until every write asked for so far is on disk.
    pub fn flush(&self) {
        if let Some(writer) = &self.writer {
            writer.flush();
        }
    }

    /// Problems worth telling the user once: unreadable files set aside, failed writes.
    pub fn take_notices(&mut self) -> Vec<String> {
        let mut notices = std::mem::take(&mut self.notices);
        if let Some(writer) = &self.writer {
            notices.extend(writer.take_problems());
        }
        notices
    }
}
