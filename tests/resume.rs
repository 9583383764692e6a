//! Killing the app at any moment loses at most one checkpoint interval of position and no history: `play` is killed
//! with SIGKILL at random moments, resumed with `play --resume`, and the history holds every session exactly once.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use stillpoint::store::{CHECKPOINT_EVERY, Checkpoint, SessionRecord};

const SCALE: f64 = 60.0;
/// How much later a checkpoint write may land than the moment it describes, on a busy 2-core machine: the writer
/// thread and the file system get this much real time (in session time at 60×: 3 s).
const SCHEDULING_SLACK: Duration = Duration::from_millis(50);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resume/short-routine.json")
}

fn play(data: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stillpoint"));
    command
        .args(["play", "--no-window", "--mute", "--time-scale", "60", "--data-dir"])
        .arg(data)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A small deterministic generator, seeded from the clock and printed, so a failing run can be repeated.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Waits until the session has begun (its first event is in the events file) and returns when that was seen.
fn wait_for_start(child: &mut Child, events: &Path) -> Instant {
    let give_up = Instant::now() + Duration::from_secs(30);
    loop {
        if std::fs::read_to_string(events).is_ok_and(|text| text.contains("step_started")) {
            return Instant::now();
        }
        assert!(child.try_wait().unwrap().is_none(), "play exited before the session began");
        assert!(Instant::now() < give_up, "the session did not begin");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn read_checkpoint(data: &Path) -> Option<Checkpoint> {
    let text = std::fs::read_to_string(data.join("checkpoint.json")).ok()?;
    Some(serde_json::from_str(&text).expect("the checkpoint is whole: it is written atomically"))
}

fn history(data: &Path) -> Vec<SessionRecord> {
    let output = Command::new(env!("CARGO_BIN_EXE_stillpoint"))
        .args(["history", "--format", "json", "--data-dir"])
        .arg(data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_session_killed_at_any_moment_resumes_where_it_was_and_is_kept_once() {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("seed {seed}");
    let mut random = Lcg(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let events = dir.path().join("events.jsonl");
    let fixture = fixture();
    let runs = 5;
    for run in 0..runs {
        let mut child =
            play(&data, &["--events", events.to_str().unwrap(), fixture.to_str().unwrap()]).spawn().unwrap();
        let started = wait_for_start(&mut child, &events);
        // Anywhere in the session's 170 s (2.8 s at 60×), except its very end.
        let wait = Duration::from_millis(100 + random.next() % 2_400);
        std::thread::sleep(wait.saturating_sub(started.elapsed()));
        let before_kill = Instant::now();
        child.kill().unwrap();
        child.wait().unwrap();
        // The session was at least this far (it began before its start was seen) when it died.
        let at_least = (before_kill - started).mul_f64(SCALE);

        let checkpoint = read_checkpoint(&data).unwrap_or_else(|| panic!("run {run}: no checkpoint after a kill"));
        let saved = checkpoint.position.session_elapsed;
        let lost = at_least.saturating_sub(saved);
        assert!(
            lost <= CHECKPOINT_EVERY + SCHEDULING_SLACK.mul_f64(SCALE),
            "run {run} (seed {seed}): killed at ≥ {at_least:?} of session time, checkpoint at {saved:?}"
        );

        // Resume: the session carries on from the checkpoint's step and time.
        let resumed = play(&data, &["--resume"]).output().unwrap();
        let text = String::from_utf8_lossy(&resumed.stdout);
        assert!(resumed.status.success(), "run {run}: {text}\n{}", String::from_utf8_lossy(&resumed.stderr));
        let position = checkpoint.position;
        let plan = stillpoint::sequence::library::read_sequence_file(&fixture).unwrap().plan(&Default::default());
        let step = &plan.steps[position.step_index];
        let expected_left = match step.timing {
            stillpoint::sequence::Timing::Fixed(length) => length + position.extension,
            stillpoint::sequence::Timing::UntilRelease { min, .. } if position.step_elapsed < min => {
                min + position.extension
            }
            stillpoint::sequence::Timing::UntilRelease { max, .. } => max + position.extension,
        }
        .saturating_sub(position.step_elapsed);
        let wanted = format!(
            "Resuming at step {} of {}, {} left in the step",
            position.step_index + 1,
            plan.steps.len(),
            stillpoint::display::countdown(expected_left)
        );
        assert!(text.contains(&wanted), "run {run}: wanted {wanted:?} in\n{text}");
        assert!(text.contains("Session complete"), "run {run}: {text}");
        assert!(read_checkpoint(&data).is_none(), "run {run}: a finished session leaves no checkpoint");

        let kept = history(&data);
        assert_eq!(kept.len(), run + 1, "run {run}: every finished session exactly once");
        assert_eq!(kept.last().unwrap().id, checkpoint.record.id, "the resumed session is the one recorded");
        assert!(kept.iter().all(SessionRecord::completed));
    }
}

#[test]
fn starting_anew_keeps_the_interrupted_session_as_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let events = dir.path().join("events.jsonl");
    let fixture = fixture();
    let mut child = play(&data, &["--events", events.to_str().unwrap(), fixture.to_str().unwrap()]).spawn().unwrap();
    let started = wait_for_start(&mut child, &events);
    std::thread::sleep(Duration::from_millis(1_200).saturating_sub(started.elapsed()));
    child.kill().unwrap();
    child.wait().unwrap();
    let interrupted = read_checkpoint(&data).expect("a checkpoint");

    let again = play(&data, &[fixture.to_str().unwrap()]).output().unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("is kept in the history as stopped at step"));
    let kept = history(&data);
    assert_eq!(kept.len(), 2);
    let old = kept.iter().find(|r| r.id == interrupted.record.id).expect("the interrupted session is kept");
    assert!(old.interrupted && !old.completed());
    assert_eq!(old.stopped_at_step, Some(interrupted.position.step_index + 1));
    assert!(kept.iter().any(|r| r.id != old.id && r.completed()));

    let nothing = play(&data, &["--resume"]).output().unwrap();
    assert!(!nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("no interrupted session"));
}
