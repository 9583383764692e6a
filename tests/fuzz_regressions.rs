//! Every committed fuzz seed in `fuzz/corpus/<target>/` (and every crash reproducer kept there) replayed through the
//! reader its target fuzzes, as ordinary tests: what the fuzzers start from never panics, with or without
//! `cargo fuzz`. Fuzzing (`bench/fuzz.sh`, 10 minutes a target) has found no crash so far; a crash it finds is copied
//! into the target's corpus folder, so it is replayed here from then on.

use std::path::{Path, PathBuf};

use stillpoint::app::{HistoryController, LibraryController, ResumeOffer};
use stillpoint::engine::MonotonicTime;
use stillpoint::sequence::library::Library;
use stillpoint::sequence::{CueDefaults, parse_sequence};
use stillpoint::store::{DataDir, Settings, SettingsStore, Store, read_history};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

fn replay(target: &str, read: impl Fn(&[u8])) {
    for seed in seeds(target) {
        let bytes = std::fs::read(&seed).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(&bytes)));
        assert!(outcome.is_ok(), "{} panicked the {target} reader", seed.display());
    }
}

#[test]
fn sequence_seeds() {
    replay("sequence", |bytes| {
        if let Ok(sequence) = parse_sequence("seed.json", bytes) {
            let plan = sequence.plan(&CueDefaults::default());
            let _ = (plan.len(), plan.longest_total(), sequence.played_step_count());
        }
    });
}

#[test]
fn settings_seeds() {
    replay("settings", |bytes| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, bytes).unwrap();
        let (settings, _) = SettingsStore::at(&path).load();
        let _ = (settings.chimes(), settings.engine(), settings.cue_defaults());
    });
}

#[test]
fn history_seeds() {
    replay("history", |bytes| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("history")).unwrap();
        std::fs::write(dir.path().join("history").join("0123456789abcdef.jsonl"), bytes).unwrap();
        let read = read_history(&DataDir::at(dir.path()));
        let today = read.records.first().map(|r| r.started_at.with_timezone(&chrono::Local).date_naive());
        let mut history = HistoryController::loading();
        history.loaded(read);
        if let Some(today) = today {
            let _ = (history.days(today), history.this_week(today));
        }
        let _ = (history.per_sequence(), history.trend());
    });
}

#[test]
fn checkpoint_seeds() {
    let library = LibraryController::new(Library::bundled());
    replay("checkpoint", |bytes| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("checkpoint.json"), bytes).unwrap();
        let mut store = Store::open(DataDir::at(dir.path()));
        if let Some(checkpoint) = store.load_checkpoint() {
            let offer = ResumeOffer::new(checkpoint, &library, &Settings::default(), MonotonicTime::from_millis(5_000));
            let _ = offer.title();
        }
        let _ = store.take_notices();
    });
}
