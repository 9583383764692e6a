//! The `stillpoint` command line as a user runs it: exit codes, output lines and the events file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with an empty private data folder, so a developer's own sequences never leak into tests.
fn stillpoint(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_stillpoint"))
        .args(args)
        .current_dir(root())
        .env("XDG_DATA_HOME", home.path())
        .env("HOME", home.path())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn read_events(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn validate_passes_the_bundled_library() {
    let output = stillpoint(&["validate", "sequences"]);
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn validate_prints_one_positioned_line_per_broken_file_and_fails() {
    let output = stillpoint(&["validate", "tests/fixtures/broken", "sequences/cross-hand-low-back.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let broken = std::fs::read_dir(root().join("tests/fixtures/broken")).unwrap().count();
    assert_eq!(lines.len(), broken, "{text}");
    for line in lines {
        let rest = line.strip_prefix("tests/fixtures/broken/").unwrap_or_else(|| panic!("{line}"));
        let mut parts = rest.splitn(4, ':');
        let (file, row, column) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert!(file.ends_with(".json"), "{line}");
        assert!(row.parse::<u32>().is_ok() && column.parse::<u32>().is_ok(), "no line:column in {line}");
    }
}

#[test]
fn validate_notes_what_a_translation_lacks_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("sequences/desk-posture.json")).unwrap();
    let edited = text.replacen("Head and tailbone both on the roller", "Head and tailbone on the roller", 1);
    assert_ne!(edited, text);
    let file = dir.path().join("desk.json");
    std::fs::write(&file, edited).unwrap();
    let output = stillpoint(&["validate", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let path = file.display().to_string();
    for code in ["de", "es"] {
        let gap =
            format!("{path}: {code}: 28 of 29 texts translated; not yet: steps[0].notes \"Head and tailbone on the");
        assert!(text.contains(&gap), "{text}");
        assert!(text.contains(&format!("{path}: {code}: 1 translation matches no text")), "{text}");
    }
}

#[test]
fn validate_reports_the_same_id_in_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("sequences/cross-hand-low-back.json")).unwrap();
    std::fs::write(dir.path().join("a.json"), &text).unwrap();
    std::fs::write(dir.path().join("b.json"), &text).unwrap();
    let output = stillpoint(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("b.json:4:9: id: duplicate id \"cross-hand-low-back\""), "{}", stdout(&output));
}

#[test]
fn list_json_describes_every_sequence_and_marks_user_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("tests/fixtures/timing/thirty-seconds.json"), dir.path().join("t.json")).unwrap();
    let output = stillpoint(&["list", "--json", "--sequences", dir.path().to_str().unwrap()]);
    assert!(output.status.success());
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(rows.len() >= 13);
    for row in &rows {
        for key in ["id", "title", "audience", "steps", "total_seconds", "source"] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
    }
    let timing = rows.iter().find(|r| r["id"] == "thirty-seconds").unwrap();
    assert_eq!(timing["source"], "user");
    assert_eq!(timing["steps"], 5, "left-then-right expands into left, switch, right");
    assert_eq!(timing["total_seconds"], 8 + 2 + 8 + 6 + 6);
    assert!(rows.iter().filter(|r| r["source"] == "bundled").count() >= 12);
}

#[test]
fn the_sequences_option_works_before_or_after_the_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("tests/fixtures/timing/thirty-seconds.json"), dir.path().join("t.json")).unwrap();
    let folder = dir.path().to_str().unwrap();
    for args in [["--sequences", folder, "list"], ["list", "--sequences", folder]] {
        let output = stillpoint(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).contains("thirty-seconds"), "{args:?}");
    }
    let missing = stillpoint(&["list", "--sequences", "no/such/folder"]);
    assert!(stderr(&missing).contains("no/such/folder: cannot list folder"), "{}", stderr(&missing));
}

#[test]
fn validate_counts_a_file_named_twice_once() {
    let output = stillpoint(&["validate", "sequences/cross-hand-low-back.json", "sequences"]);
    assert!(output.status.success(), "{}", stdout(&output));
}

#[test]
fn fast_time_scales_drop_no_cues() {
    let dir = tempfile::tempdir().unwrap();
    let count_cues = |scale: &str| {
        let events_path = dir.path().join(format!("{scale}.jsonl"));
        let args = ["play", "skin-rolling-rebounding-back", "--no-window", "--time-scale", scale, "--events"];
        let output = stillpoint(&[&args[..], &[events_path.to_str().unwrap()]].concat());
        assert!(output.status.success());
        read_events(&events_path).len()
    };
    assert_eq!(count_cues("20000"), count_cues("600"), "stale means stale in real time, not in session time");
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = stillpoint(&["schema"]);
    let committed = std::fs::read_to_string(root().join("sequences/schema/sequence.schema.json")).unwrap();
    assert!(stdout(&output) == committed, "`stillpoint schema` differs from the committed schema");
}

#[test]
fn play_names_the_closest_id_when_one_is_mistyped() {
    let output = stillpoint(&["play", "cross-hand-low-bak", "--no-window"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("did you mean \"cross-hand-low-back\"?"), "{}", stderr(&output));
}

#[test]
fn every_bundled_sequence_plays_to_the_end_with_its_events_in_order() {
    let list = stillpoint(&["list", "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&stdout(&list)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let events_path = dir.path().join(format!("{id}.jsonl"));
        let output =
            stillpoint(&["play", id, "--no-window", "--time-scale", "600", "--events", events_path.to_str().unwrap()]);
        assert!(output.status.success(), "{id}: {}", stderr(&output));
        let events = read_events(&events_path);
        let scheduled: Vec<u64> = events.iter().map(|e| e["scheduled_ms"].as_u64().unwrap()).collect();
        assert!(scheduled.windows(2).all(|w| w[0] <= w[1]), "{id}: events out of order");
        assert_eq!(events[0]["event"], "step_started", "{id}");
        let last = events.last().unwrap();
        assert_eq!(
            (last["event"].as_str(), last["completed"].as_bool()),
            (Some("session_finished"), Some(true)),
            "{id}"
        );
        let started = events.iter().filter(|e| e["event"] == "step_started").count();
        assert_eq!(started as u64, row["steps"].as_u64().unwrap(), "{id}: every step started once");
        assert!(stdout(&output).contains("Mild soreness for 24–48 hours is common."), "{id}: aftercare shown");
    }
}

#[test]
fn a_sequence_file_plays_by_path_and_logs_every_event_with_times() {
    let dir = tempfile::tempdir().unwrap();
    let events_path = dir.path().join("events.jsonl");
    let output = stillpoint(&[
        "play",
        "tests/fixtures/timing/thirty-seconds.json",
        "--no-window",
        "--time-scale",
        "100",
        "--events",
        events_path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let events = read_events(&events_path);
    let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    for expected in
        ["step_started", "offset", "halfway", "warning", "side_switch", "rhythm", "step_finished", "session_finished"]
    {
        assert!(names.contains(&expected), "no {expected} in {names:?}");
    }
    assert_eq!(events.last().unwrap()["scheduled_ms"], 30_000);
    for event in &events {
        assert!(event["actual_ms"].as_u64().unwrap() >= event["scheduled_ms"].as_u64().unwrap(), "early: {event}");
    }
    let text = stdout(&output);
    assert!(text.contains("Step 3/5 · Hold · right"), "{text}");
    assert!(text.contains("Session complete after 0:30"), "{text}");
}
