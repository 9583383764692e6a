//! The history: one JSON Lines file per device in `history/`, appended to and synced after every record, never
//! rewritten. Devices that share the folder through a sync tool each write only their own file, so syncing never
//! conflicts; reading merges every file, sorted by start time, one record per id.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::atomic::create_private_dir;
use super::files::{Bounded, megabytes, read_bounded, set_aside_notice};
use super::location::list;
use super::record::{RATING_MAX, SessionRecord};

/// A history file larger than this is refused unread: a decade of daily sessions is a few MB.
pub const MAX_HISTORY_FILE: u64 = 64 * 1024 * 1024;

/// What reading the history found: every record that could be read, and what could not.
#[derive(Debug, Clone, Default)]
pub struct HistoryRead {
    /// Oldest first, one per id (the highest revision).
    pub records: Vec<SessionRecord>,
    /// One sentence per file with a problem.
    pub notices: Vec<String>,
}

/// Appends `record` as one line to `history/<device>.jsonl` and syncs it. A last line torn by a power cut is closed
/// first, so the new record starts on a line of its own.
pub fn append(history_dir: &Path, device: &str, record: &SessionRecord) -> io::Result<()> {
    create_private_dir(history_dir)?;
    let path = history_dir.join(format!("{device}.jsonl"));
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
    line.push(b'\n');
    if !ends_with_newline(&mut file)? {
        line.insert(0, b'\n');
    }
    file.write_all(&line)?;
    file.sync_data()
}

fn ends_with_newline(file: &mut File) -> io::Result<bool> {
    let length = file.metadata()?.len();
    if length == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(length - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Reads and merges every `*.jsonl` in `history_dir`.
pub fn read(history_dir: &Path) -> HistoryRead {
    let mut read = HistoryRead::default();
    let mut files: Vec<PathBuf> = match list(history_dir) {
        Ok(files) => files,
        Err(err) => {
            read.notices.push(format!("{}: cannot read the history: {err}", history_dir.display()));
            return read;
        }
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "jsonl") && p.is_file());
    files.sort();
    let mut by_id: HashMap<String, SessionRecord> = HashMap::new();
    for path in files {
        for record in read_file(&path, &mut read.notices) {
            match by_id.get(&record.id) {
                Some(kept) if kept.revision > record.revision => {}
                _ => {
                    by_id.insert(record.id.clone(), record);
                }
            }
        }
    }
    read.records = by_id.into_values().collect();
    read.records.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    read
}

/// The records of one file. Unreadable lines are skipped with one notice for the file; a line cut short by a power
/// cut (the JSON simply ends early) is expected and skipped quietly. A file with no readable line at all is moved
/// aside.
fn read_file(path: &Path, notices: &mut Vec<String>) -> Vec<SessionRecord> {
    let bytes = match read_bounded(path, MAX_HISTORY_FILE) {
        Ok(Bounded::Read(bytes)) => bytes,
        Ok(Bounded::Missing) => return Vec::new(),
        Ok(Bounded::TooLarge(size)) => {
            notices.push(format!(
                "{}: history file of {} refused (a history file is at most {}); it was left as it is",
                path.display(),
                megabytes(size),
                megabytes(MAX_HISTORY_FILE)
            ));
            return Vec::new();
        }
        Err(err) => {
            notices.push(format!("{}: cannot read the history: {err}", path.display()));
            return Vec::new();
        }
    };
    let lines = bytes.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    let mut records = Vec::new();
    let mut unreadable = 0usize;
    let mut first_problem = None;
    for line in lines {
        match serde_json::from_slice::<SessionRecord>(line) {
            Ok(record) => records.push(sanitized(record)),
            Err(err) if err.classify() == serde_json::error::Category::Eof => {}
            Err(err) => {
                unreadable += 1;
                first_problem.get_or_insert_with(|| err.to_string());
            }
        }
    }
    if records.is_empty() && unreadable > 0 {
        notices.push(set_aside_notice(path, "history file", first_problem.as_deref().unwrap_or("no readable line")));
    } else if unreadable > 0 {
        notices.push(format!(
            "{}: {unreadable} unreadable history line(s) skipped ({}); the other {} record(s) are kept",
            path.display(),
            first_problem.unwrap_or_default(),
            records.len()
        ));
    }
    records
}

/// Values no screen can show are dropped rather than trusted.
fn sanitized(mut record: SessionRecord) -> SessionRecord {
    record.rating_before = record.rating_before.filter(|r| *r <= RATING_MAX);
    record.rating_after = record.rating_after.filter(|r| *r <= RATING_MAX);
    record
}
