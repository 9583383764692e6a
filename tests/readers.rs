//! Every reader of a file survives any input: arbitrary bytes, arbitrary JSON values, valid documents with one value
//! replaced by an arbitrary one, and valid documents with a few bytes changed never panic the sequence parser, the
//! settings, history or checkpoint readers, nor what the app does next with what they read (planning a sequence,
//! the history screen's days, week and per-sequence figures, the resume offer that restores an engine at a saved
//! position). The fuzz targets in `fuzz/`
//! do the same for longer; this is the quick version that runs with every `cargo test`.

use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;
use stillpoint::app::{HistoryController, LibraryController, ResumeOffer};
use stillpoint::engine::MonotonicTime;
use stillpoint::sequence::library::Library;
use stillpoint::sequence::{CueDefaults, parse_sequence};
use stillpoint::store::{DataDir, SessionRecord, Settings, SettingsStore, Store, read_history};

const SEQUENCE: &str = include_str!("../sequences/neck-and-headache.json");
const CUES_SEQUENCE: &str = include_str!("../bench/fixtures/timing-three-minutes.json");
/// A checkpoint written by a real session of the bundled `neck-and-headache`, killed mid-way (its sequence hash
/// matches, so the resume offer restores an engine from it).
const CHECKPOINT: &str = include_str!("../fuzz/corpus/checkpoint/neck-and-headache.json");
/// A history line written by a real session.
const HISTORY_LINE: &str = include_str!("../fuzz/corpus/history/line-0.jsonl");

/// 128 cases per property keeps the whole file near a second; `PROPTEST_CASES=20000` searches longer.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Strings that mean something to one reader or another, so arbitrary values hit real branches.
const WORDS: &[&str] = &[
    "",
    "0s",
    "1s",
    "90s",
    "2m30s",
    "1h",
    "8h",
    "60m",
    "4294967296s",
    "sustained-hold",
    "rebounding",
    "left-then-right",
    "both",
    "rhythm",
    "stationary",
    "pregnancy",
    "self-care",
    "therapist",
    "running",
    "paused",
    "waiting",
    "bowl",
    "bright",
    "dim",
    "contrast",
    "de",
    "system",
    "completed",
    "stopped",
    "in_progress",
    "time_up",
    "released",
    "2026-11-30T18:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "neck-and-headache",
    "c547b8342a64b7c1",
];

/// Field names of the four file kinds.
const KEYS: &[&str] = &[
    "format",
    "id",
    "title",
    "summary",
    "audience",
    "steps",
    "technique",
    "duration",
    "until_release",
    "min",
    "max",
    "side",
    "switch",
    "repeat",
    "cues",
    "halfway",
    "warning",
    "check_in_every",
    "at",
    "rhythm",
    "pressure",
    "level",
    "direction",
    "kind",
    "prompt",
    "precautions",
    "volume",
    "muted",
    "chime_set",
    "warning_seconds",
    "theme",
    "language",
    "window",
    "width",
    "height",
    "saved_at",
    "position",
    "step_index",
    "step_elapsed",
    "extension",
    "session_elapsed",
    "hold",
    "record",
    "revision",
    "device",
    "sequence_id",
    "sequence_hash",
    "started_at",
    "ended_at",
    "outcome",
    "steps_total",
    "rating_before",
    "rating_after",
    "planned_seconds",
    "actual_seconds",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![any::<f64>(), -1e20f64..1e20, Just(1e19), Just(-0.5), Just(f64::MAX)]
            .prop_filter_map("JSON has no NaN or infinity", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        prop::sample::select(WORDS).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS).prop_map(String::from), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Every place in a document a value can be put: the pointer of each value, and of one new key in each object.
fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            into.push(format!("{at}/fuzzed"));
            for (key, child) in fields {
                let path = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                into.push(path.clone());
                pointers(child, path, into);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let path = format!("{at}/{i}");
                into.push(path.clone());
                pointers(child, path, into);
            }
        }
        _ => {}
    }
}

/// `document` with the value at one of its places (chosen by `pick`) replaced by `replacement`.
fn replaced(document: &str, pick: usize, replacement: Value) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(document).unwrap();
    let mut places = Vec::new();
    pointers(&value, String::new(), &mut places);
    let place = &places[pick % places.len()];
    if let Some(new_key) = place.strip_suffix("/fuzzed") {
        let target = if new_key.is_empty() { Some(&mut value) } else { value.pointer_mut(new_key) };
        if let Some(Value::Object(fields)) = target {
            fields.insert("fuzzed".into(), replacement);
        }
    } else if let Some(slot) = value.pointer_mut(place) {
        *slot = replacement;
    }
    serde_json::to_vec_pretty(&value).unwrap()
}

/// `document` with a few bytes overwritten, inserted or removed.
fn edited(document: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = document.as_bytes().to_vec();
    for &(at, byte, how) in edits {
        let at = at % (bytes.len() + 1);
        match how % 3 {
            0 if at < bytes.len() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            _ if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)
}

fn read_sequence(bytes: &[u8]) {
    match parse_sequence("fuzzed.json", bytes) {
        Ok(sequence) => {
            let plan = sequence.plan(&CueDefaults::default());
            let _ = (plan.len(), plan.longest_total(), sequence.played_step_count());
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error without a diagnostic");
            for diagnostic in diagnostics {
                let _ = diagnostic.to_string();
            }
        }
    }
}

fn read_settings(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    std::fs::write(&path, bytes).unwrap();
    let (settings, _notice) = SettingsStore::at(&path).load();
    let _ = (settings.chimes(), settings.engine(), settings.cue_defaults());
}

fn read_history_file(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("history")).unwrap();
    std::fs::write(dir.path().join("history").join("0123456789abcdef.jsonl"), bytes).unwrap();
    let read = read_history(&DataDir::at(dir.path()));
    for record in &read.records {
        let _ = (record.summary(), record.is_final());
    }
    // As the history screen shows it; "today" is the first record's day, so this week holds what the input holds.
    let today = read.records.first().map(|r| r.started_at.with_timezone(&chrono::Local).date_naive());
    let mut history = HistoryController::loading();
    history.loaded(read);
    if let Some(today) = today {
        let _ = (history.days(today), history.this_week(today));
    }
    let _ = (history.per_sequence(), history.trend());
}

thread_local! {
    static LIBRARY: LibraryController = LibraryController::new(Library::bundled());
}

fn read_checkpoint(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("checkpoint.json"), bytes).unwrap();
    offer_from(dir.path());
}

/// What the app does at start: load the checkpoint and offer to resume it.
fn offer_from(root: &Path) {
    let mut store = Store::open(DataDir::at(root));
    if let Some(checkpoint) = store.load_checkpoint() {
        let now = MonotonicTime::from_millis(5_000);
        let offer = LIBRARY.with(|library| ResumeOffer::new(checkpoint, library, &Settings::default(), now));
        let _ = offer.title();
    }
    let _ = store.take_notices();
}

fn settings_document() -> String {
    serde_json::to_string_pretty(&Settings::default()).unwrap()
}

fn history_document() -> String {
    let record = SessionRecord::new("neck-and-headache", "Neck and tension headache", "c547b8342a64b7c1", 8, "ab");
    format!("{}\n{}", HISTORY_LINE.trim_end(), serde_json::to_string(&record).unwrap())
}

#[test]
fn the_seed_documents_are_read() {
    assert!(parse_sequence("seq.json", SEQUENCE.as_bytes()).is_ok());
    assert!(parse_sequence("cues.json", CUES_SEQUENCE.as_bytes()).is_ok());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("history")).unwrap();
    std::fs::write(dir.path().join("history").join("0123456789abcdef.jsonl"), history_document()).unwrap();
    assert_eq!(read_history(&DataDir::at(dir.path())).records.len(), 2);
    std::fs::write(dir.path().join("checkpoint.json"), CHECKPOINT).unwrap();
    let checkpoint = Store::open(DataDir::at(dir.path())).load_checkpoint().expect("the checkpoint seed is read");
    let offer = LIBRARY
        .with(|library| ResumeOffer::new(checkpoint, library, &Settings::default(), MonotonicTime::from_millis(5_000)));
    // If this fails, the bundled sequence changed: write the seed again (`stillpoint --data-dir D play
    // neck-and-headache --no-window --mute --time-scale 100`, kill -9 it after a few seconds, copy D/checkpoint.json).
    assert_eq!(
        offer.problem, None,
        "fuzz/corpus/checkpoint/neck-and-headache.json no longer matches the bundled sequence"
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic_a_reader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_sequence(&bytes);
        read_settings(&bytes);
        read_history_file(&bytes);
        read_checkpoint(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics_a_reader(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        read_sequence(&bytes);
        read_settings(&bytes);
        read_history_file(&bytes);
        read_checkpoint(&bytes);
    }

    #[test]
    fn a_sequence_with_any_value_anywhere_is_read_or_refused(pick in any::<usize>(), value in json_value(), cues in any::<bool>()) {
        read_sequence(&replaced(if cues { CUES_SEQUENCE } else { SEQUENCE }, pick, value));
    }

    #[test]
    fn settings_with_any_value_anywhere_are_read(pick in any::<usize>(), value in json_value()) {
        read_settings(&replaced(&settings_document(), pick, value));
    }

    #[test]
    fn a_history_line_with_any_value_anywhere_is_read_or_skipped(pick in any::<usize>(), value in json_value()) {
        let mut bytes = replaced(HISTORY_LINE, pick, value);
        bytes.retain(|b| *b != b'\n');
        bytes.push(b'\n');
        bytes.extend_from_slice(HISTORY_LINE.as_bytes());
        read_history_file(&bytes);
    }

    #[test]
    fn a_checkpoint_with_any_value_anywhere_is_resumed_or_refused(pick in any::<usize>(), value in json_value()) {
        read_checkpoint(&replaced(CHECKPOINT, pick, value));
    }

    #[test]
    fn documents_with_bytes_changed_never_panic_a_reader(edits in edits()) {
        read_sequence(&edited(SEQUENCE, &edits));
        read_settings(&edited(&settings_document(), &edits));
        read_history_file(&edited(&history_document(), &edits));
        read_checkpoint(&edited(CHECKPOINT, &edits));
    }
}
