//! The resume checkpoint: where the session in progress is, written atomically at every step change, every command
//! and every few seconds of a hold, so a crash, a power cut or a phone killing the app loses at most a few seconds.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use super::files::{Bounded, megabytes, read_bounded, set_aside_notice};
use super::record::{SessionRecord, now_local, seconds};
use crate::engine::{Hold, Position};

/// The checkpoint layout this version writes and reads.
pub const CHECKPOINT_FORMAT: u32 = 1;
/// Larger than any real checkpoint (a record of a few hundred step runs is well under 1 MiB).
const MAX_CHECKPOINT_FILE: u64 = 4 * 1024 * 1024;
/// How often a running hold is written down, in session time: the most position a kill can lose.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedHold {
    Running,
    Paused,
    Waiting,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SavedPosition {
    /// 0-based index of the played step.
    pub step_index: usize,
    #[serde(with = "seconds")]
    pub step_elapsed: Duration,
    #[serde(with = "seconds")]
    pub extension: Duration,
    #[serde(with = "seconds")]
    pub session_elapsed: Duration,
    pub hold: SavedHold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: u32,
    pub written_at: DateTime<FixedOffset>,
    /// The file the sequence was read from, when it was not found by id in the library (opened by path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_path: Option<PathBuf>,
    pub position: SavedPosition,
    /// The session's record so far: id, sequence and its hash, screening, ratings, steps done.
    pub record: SessionRecord,
}

impl Checkpoint {
    pub fn new(position: &Position, record: SessionRecord, sequence_path: Option<PathBuf>) -> Self {
        Self {
            format: CHECKPOINT_FORMAT,
            written_at: now_local(),
            sequence_path,
            position: SavedPosition {
                step_index: position.step_index,
                step_elapsed: position.step_elapsed,
                extension: position.extension,
                session_elapsed: position.session_elapsed,
                hold: match position.hold {
                    Hold::Running => SavedHold::Running,
                    Hold::Paused => SavedHold::Paused,
                    Hold::Waiting => SavedHold::Waiting,
                },
            },
            record,
        }
    }

    /// The engine position to resume from.
    pub fn position(&self) -> Position {
        let saved = &self.position;
        Position {
            step_index: saved.step_index,
            step_elapsed: saved.step_elapsed,
            extension: saved.extension,
            session_elapsed: saved.session_elapsed,
            hold: match saved.hold {
                SavedHold::Running => Hold::Running,
                SavedHold::Paused => Hold::Paused,
                SavedHold::Waiting => Hold::Waiting,
            },
            summary: self.record.summary(),
        }
    }
}

/// The checkpoint on disk, if there is a readable one. An unreadable, oversized or newer-format file is moved aside
/// with a notice: it can never stop the app, and never be overwritten unseen.
pub fn load(path: &Path) -> (Option<Checkpoint>, Option<String>) {
    let bytes = match read_bounded(path, MAX_CHECKPOINT_FILE) {
        Ok(Bounded::Missing) => return (None, None),
        Ok(Bounded::Read(bytes)) => bytes,
        Ok(Bounded::TooLarge(size)) => {
            let why = format!("{} is too large for a checkpoint", megabytes(size));
            return (None, Some(set_aside_notice(path, "resume checkpoint", &why)));
        }
        Err(err) => return (None, Some(format!("{}: cannot read the resume checkpoint: {err}", path.display()))),
    };
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    match serde_json::from_slice::<Version>(&bytes) {
        Ok(Version { format }) if format != CHECKPOINT_FORMAT => {
            let why = format!("format {format}; this version reads format {CHECKPOINT_FORMAT}");
            return (None, Some(set_aside_notice(path, "resume checkpoint", &why)));
        }
        _ => {}
    }
    match serde_json::from_slice::<Checkpoint>(&bytes) {
        Ok(checkpoint) => (Some(checkpoint), None),
        Err(err) => (None, Some(set_aside_notice(path, "resume checkpoint", &err.to_string()))),
    }
}

pub fn save(path: &Path, checkpoint: &Checkpoint) -> io::Result<()> {
    let bytes = serde_json::to_vec_pretty(checkpoint).map_err(io::Error::other)?;
    write_atomically(path, &bytes)
}

/// Removes the checkpoint: the session ended cleanly (its record is in the history).
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {
            if let Some(folder) = path.parent()
                && let Ok(dir) = fs::File::open(folder)
            {
                let _ = dir.sync_all();
            }
            Ok(())
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}
