//! The store: history merged across devices, torn and damaged files survived, nothing good lost, owner-only files,
//! and the resume checkpoint putting a session back exactly where it was.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use stillpoint::engine::{Command, Engine, EngineSettings, Event, MonotonicTime};
use stillpoint::sequence::library::Library;
use stillpoint::store::{
    Checkpoint, DataDir, HistoryRead, SessionOutcome, SessionRecord, Settings, StepEnd, Store, read_history,
};

mod common;
use common::{fixed, open, secs};

fn record(device: &str, title: &str, minutes_ago: i64) -> SessionRecord {
    let mut record = SessionRecord::new("some-id", title, "00", 3, device);
    record.started_at -= chrono::Duration::minutes(minutes_ago);
    record.id = format!("{device}-{minutes_ago}");
    record.outcome = SessionOutcome::Completed;
    record
}

fn open_store(root: &Path) -> Store {
    Store::open(DataDir::at(root))
}

fn history_of(root: &Path) -> HistoryRead {
    read_history(&DataDir::at(root))
}

fn history_file(root: &Path) -> std::path::PathBuf {
    let files: Vec<_> = fs::read_dir(root.join("history")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn two_devices_writing_into_one_folder_are_read_by_a_third_once_each_in_order() {
    let shared = tempfile::tempdir().unwrap();
    // Each device has its own id file in its own copy of the folder (a sync tool ignores it, see .stignore); here
    // two ids write into the one history folder, as a synced folder ends up.
    let laptop = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    for (device_dir, titles) in [(&laptop, ["A", "C"]), (&phone, ["B", "D"])] {
        let store = open_store(device_dir.path());
        for (i, title) in titles.iter().enumerate() {
            let minutes_ago = match *title {
                "A" => 40,
                "B" => 30,
                "C" => 20,
                _ => 10,
            };
            let mut r = record(store.device(), title, minutes_ago);
            r.id = format!("{}-{i}", store.device());
            store.append(r);
        }
        store.flush();
        let from = history_file(device_dir.path());
        let shared_history = shared.path().join("history");
        fs::create_dir_all(&shared_history).unwrap();
        fs::copy(&from, shared_history.join(from.file_name().unwrap())).unwrap();
    }
    let read = history_of(shared.path());
    assert!(read.notices.is_empty(), "{:?}", read.notices);
    let titles: Vec<&str> = read.records.iter().map(|r| r.sequence_title.as_str()).collect();
    assert_eq!(titles, ["A", "B", "C", "D"], "every record once, oldest first");
    let devices: std::collections::BTreeSet<&str> = read.records.iter().map(|r| r.device.as_str()).collect();
    assert_eq!(devices.len(), 2);
}

#[test]
fn a_later_revision_of_a_record_replaces_the_earlier_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let mut r = record(store.device(), "Rated", 5);
    store.append(r.clone());
    r.revision = 1;
    r.rating_after = Some(2);
    store.append(r);
    store.flush();
    let read = history_of(dir.path());
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.records[0].rating_after, Some(2));
}

#[test]
fn a_line_torn_at_any_byte_keeps_every_earlier_record_and_the_next_append_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    for i in 0..3 {
        store.append(record(store.device(), &format!("R{i}"), 30 - i));
    }
    store.flush();
    let file = history_file(dir.path());
    let whole = fs::read(&file).unwrap();
    let line_ends: Vec<usize> = whole.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
    for cut in 0..=whole.len() {
        fs::write(&file, &whole[..cut]).unwrap();
        // A record whose bytes are all there counts even when its newline is not.
        let complete = line_ends.iter().filter(|end| **end - 1 <= cut).count();
        let read = history_of(dir.path());
        assert!(read.notices.is_empty(), "cut at {cut}: {:?}", read.notices);
        assert_eq!(read.records.len(), complete, "cut at {cut}");

        store.append(record(store.device(), "After", 1));
        store.flush();
        let read = history_of(dir.path());
        assert_eq!(read.records.len(), complete + 1, "cut at {cut}: the new record reads too");
        assert!(read.notices.is_empty(), "cut at {cut}: {:?}", read.notices);
    }
}

#[test]
fn a_line_from_a_newer_version_with_extra_fields_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let mut value = serde_json::to_value(record(store.device(), "Newer", 3)).unwrap();
    value["heart_rate"] = serde_json::json!([61, 58]);
    value["steps_extra"] = serde_json::json!({"anything": true});
    fs::create_dir_all(dir.path().join("history")).unwrap();
    fs::write(dir.path().join("history/other-device.jsonl"), format!("{value}\n")).unwrap();
    let read = history_of(dir.path());
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.records[0].sequence_title, "Newer");
}

#[test]
fn garbage_history_lines_are_skipped_with_one_notice_and_a_garbage_file_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    fs::create_dir_all(&history).unwrap();
    let good = serde_json::to_string(&record("aaaa", "Good", 3)).unwrap();
    fs::write(history.join("mixed.jsonl"), format!("{good}\nnot json\n{{\"id\": 3}}\n")).unwrap();
    fs::write(history.join("binary.jsonl"), [0u8, 159, 146, 150, 10, 255, 254, 10]).unwrap();
    let read = history_of(dir.path());
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.notices.len(), 2, "{:?}", read.notices);
    assert!(read.notices.iter().any(|n| n.contains("mixed.jsonl") && n.contains("2 unreadable")), "{:?}", read.notices);
    assert!(read.notices.iter().any(|n| n.contains("binary.jsonl.corrupt-")), "{:?}", read.notices);
    assert!(history.join("mixed.jsonl").exists(), "a file with good records stays in place");
    assert!(!history.join("binary.jsonl").exists());
    let aside: Vec<_> = fs::read_dir(&history).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(aside.iter().any(|n| n.to_string_lossy().starts_with("binary.jsonl.corrupt-")));
}

#[test]
fn a_huge_history_file_is_refused_with_a_message_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    fs::create_dir_all(&history).unwrap();
    let huge = fs::File::create(history.join("huge.jsonl")).unwrap();
    huge.set_len(100_000_000).unwrap();
    let good = serde_json::to_string(&record("bbbb", "Kept", 3)).unwrap();
    fs::write(history.join("small.jsonl"), format!("{good}\n")).unwrap();
    let read = history_of(dir.path());
    assert_eq!(read.records.len(), 1, "the other files still load");
    assert_eq!(read.notices.len(), 1);
    assert!(read.notices[0].contains("100.0 MB") && read.notices[0].contains("refused"), "{}", read.notices[0]);
}

#[test]
fn damaged_checkpoints_are_moved_aside_with_a_notice_and_never_stop_the_app() {
    let cases: [&[u8]; 6] = [
        b"",
        b"{\"format\": 1, \"written_at\": ",
        b"\x00\x01\x02\xff",
        b"{\"format\": 99, \"anything\": true}",
        b"[]",
        b"{\"format\": 1, \"position\": {}, \"record\": {}}",
    ];
    for bytes in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("checkpoint.json"), bytes).unwrap();
        let mut store = open_store(dir.path());
        assert!(store.load_checkpoint().is_none());
        let notices = store.take_notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("checkpoint.json.corrupt-"), "{notices:?}");
        assert!(!dir.path().join("checkpoint.json").exists());
    }
    let dir = tempfile::tempdir().unwrap();
    fs::File::create(dir.path().join("checkpoint.json")).unwrap().set_len(100_000_000).unwrap();
    let mut store = open_store(dir.path());
    assert!(store.load_checkpoint().is_none());
    assert!(store.take_notices()[0].contains("too large"));
}

#[test]
fn damaged_settings_fall_back_to_defaults_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("settings.json"), b"\xff\xfe garbage").unwrap();
    let mut store = open_store(dir.path());
    assert_eq!(store.load_settings(), Settings::default());
    let notices = store.take_notices();
    assert!(notices.len() == 1 && notices[0].contains("settings.json.corrupt-"), "{notices:?}");
}

#[cfg(unix)]
#[test]
fn every_file_is_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("data");
    let store = open_store(&root);
    store.save_settings(&Settings::default());
    store.append(record(store.device(), "Private", 1));
    let engine = running_engine();
    let position = engine.position(MonotonicTime::from_millis(5_000)).unwrap();
    store.save_checkpoint(Checkpoint::new(&position, record(store.device(), "Private", 1), None));
    store.flush();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for folder in [root.clone(), root.join("history")] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    }
    for file in [root.join("settings.json"), root.join("checkpoint.json"), root.join("device-id"), history_file(&root)]
    {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

fn running_engine() -> Engine {
    let plan = stillpoint::sequence::Plan { steps: vec![fixed(60), open(30, 90), fixed(40)] };
    let mut engine = Engine::new(Arc::new(plan), EngineSettings::default());
    engine.apply(Command::Start, MonotonicTime::ZERO);
    engine
}

#[test]
fn a_checkpoint_round_trips_through_its_file_and_clears() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(dir.path());
    let mut engine = running_engine();
    engine.apply(Command::Extend(secs(60)), MonotonicTime::from_millis(10_000));
    engine.apply(Command::Pause, MonotonicTime::from_millis(12_000));
    let position = engine.position(MonotonicTime::from_millis(20_000)).unwrap();
    let checkpoint = Checkpoint::new(&position, record(store.device(), "Held", 1), None);
    store.save_checkpoint(checkpoint.clone());
    store.flush();
    let loaded = store.load_checkpoint().expect("the checkpoint reads back");
    // The summary travels in the record; the rest of the position in its own fields.
    assert_eq!(loaded.position(), stillpoint::engine::Position { summary: loaded.record.summary(), ..position });
    assert_eq!(loaded.record.id, checkpoint.record.id);
    store.clear_checkpoint();
    store.flush();
    assert!(store.load_checkpoint().is_none());
    assert!(store.take_notices().is_empty());
}

#[test]
fn a_checkpoint_whose_session_is_already_in_the_history_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(dir.path());
    let position = running_engine().position(MonotonicTime::from_millis(1_000)).unwrap();
    let finished = record(store.device(), "Done", 1);
    store.save_checkpoint(Checkpoint::new(&position, finished.clone(), None));
    store.append(finished);
    store.flush();
    assert!(store.load_checkpoint().is_none(), "the record is there: nothing to resume");
    store.flush();
    assert!(!dir.path().join("checkpoint.json").exists());
}

/// Events after the checkpoint, as (name, step, scheduled ms), for comparing a resumed session with the original.
fn rest_of(engine: &mut Engine, from: u64, to: u64) -> Vec<(&'static str, usize, u64)> {
    let mut events: Vec<Event> = Vec::new();
    let mut t = from;
    while t <= to && !engine.is_finished() {
        events.extend(engine.advance(MonotonicTime::from_millis(t)));
        t += 250;
    }
    common::brief(&events)
}

#[test]
fn a_restored_engine_plays_on_exactly_as_the_original_would_have() {
    // At every half second of a session with an extension, a pause and an open-ended hold counting up, a position
    // taken and put back under a different clock origin gives the same future.
    for at in (500..=200_000).step_by(500) {
        let mut original = running_engine();
        original.apply(Command::Extend(secs(30)), MonotonicTime::from_millis(5_000));
        original.apply(Command::Pause, MonotonicTime::from_millis(20_000));
        original.apply(Command::Resume, MonotonicTime::from_millis(26_000));
        original.advance(MonotonicTime::from_millis(at));
        let Some(position) = original.position(MonotonicTime::from_millis(at)) else { continue };
        let origin_shift = 7_777_000;
        let mut restored = Engine::restore(
            original.plan().clone(),
            EngineSettings::default(),
            &position,
            MonotonicTime::from_millis(origin_shift),
        )
        .unwrap();
        assert_eq!(restored.position(MonotonicTime::from_millis(origin_shift)), Some(position), "at {at}");
        let expected = rest_of(&mut original, at, 400_000);
        let actual = rest_of(&mut restored, origin_shift, origin_shift + 400_000 - at);
        assert_eq!(actual, expected, "resumed at {at} ms");
        assert_eq!(restored.summary(), original.summary(), "at {at}");
    }
}

#[test]
fn the_record_counts_what_the_engine_counts_and_each_step_run() {
    let plan = Arc::new(stillpoint::sequence::Plan { steps: vec![fixed(60), open(30, 90), fixed(40)] });
    let mut engine = Engine::new(plan.clone(), EngineSettings::default());
    let mut record = SessionRecord::new("t", "T", "", plan.steps.len(), "dev");
    let mut observe = |events: Vec<Event>| record.observe(&events, &plan);
    observe(engine.apply(Command::Start, MonotonicTime::ZERO).events);
    observe(engine.apply(Command::Extend(secs(60)), MonotonicTime::from_millis(10_000)).events);
    observe(engine.apply(Command::MarkReleased, MonotonicTime::from_millis(20_000)).events);
    observe(engine.advance(MonotonicTime::from_millis(120_000 + 30_000 + 10_000)));
    observe(engine.apply(Command::MarkReleased, MonotonicTime::from_millis(165_000)).events);
    observe(engine.apply(Command::Next, MonotonicTime::from_millis(170_000)).events);
    let summary = engine.summary();
    assert!(engine.is_finished());
    assert_eq!(record.outcome, SessionOutcome::Completed);
    assert_eq!(
        (record.steps_completed, record.steps_skipped, record.extensions, record.releases),
        (summary.steps_completed, summary.steps_skipped, summary.extensions, summary.releases)
    );
    let ends: Vec<StepEnd> = record.steps.iter().map(|s| s.ended).collect();
    assert_eq!(ends, [StepEnd::TimeUp, StepEnd::Released, StepEnd::Skipped]);
    assert_eq!(record.steps[0].actual_seconds, secs(120), "60 s plus the minute added");
    assert_eq!(record.steps[0].extensions, 1);
    assert_eq!(record.steps[1].released_at, Some(secs(45)), "released 45 s into the open-ended hold");
    assert!(record.steps[1].open_ended);
    assert_eq!(record.steps[2].actual_seconds, Duration::from_secs(5));
}

#[test]
fn the_bundled_library_gives_every_sequence_a_stable_content_hash() {
    let library = Library::bundled();
    let again = Library::bundled();
    for entry in library.entries() {
        let hash = entry.sequence.content_hash();
        assert_eq!(hash.len(), 16);
        assert_eq!(again.find(entry.sequence.id()).unwrap().sequence.content_hash(), hash);
    }
}
