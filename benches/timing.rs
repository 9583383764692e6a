//! Prints timing figures (not a pass/fail test): how close `play` lands events to their schedule at real time,
//! and how fast the engine simulates a long session. Run with `cargo bench --bench timing`.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use stillpoint::engine::{Command as EngineCommand, Engine, EngineSettings, MonotonicTime};
use stillpoint::sequence::CueDefaults;
use stillpoint::sequence::library::Library;

fn percentile(sorted: &[u64], p: f64) -> u64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn play_lateness() {
    let dir = std::env::temp_dir().join(format!("stillpoint-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let events_path = dir.join("events.jsonl");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/timing/thirty-seconds.json");
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_stillpoint"))
        .args(["play", fixture, "--no-window", "--events", events_path.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let wall = started.elapsed();
    let mut lateness: Vec<u64> = std::fs::read_to_string(&events_path)
        .unwrap()
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            let (scheduled, actual) = (event["scheduled_ms"].as_u64().unwrap(), event["actual_ms"].as_u64().unwrap());
            actual.abs_diff(scheduled)
        })
        .collect();
    lateness.sort_unstable();
    let _ = std::fs::remove_dir_all(&dir);
    println!("play, 30 s sequence at real time ({:.1} s wall):", wall.as_secs_f64());
    println!(
        "  {} events; |actual - scheduled| p50 {} ms, p99 {} ms, max {} ms (goal: every event within 5 ms)",
        lateness.len(),
        percentile(&lateness, 0.5),
        percentile(&lateness, 0.99),
        lateness.last().unwrap()
    );
}

fn engine_throughput() {
    let library = Library::bundled();
    let longest = library.entries().into_iter().max_by_key(|e| e.sequence.played_step_count()).unwrap();
    let plan = Arc::new(longest.sequence.plan(&CueDefaults::default()));
    let started = Instant::now();
    let mut ticks = 0u64;
    let mut events = 0usize;
    for _ in 0..20 {
        let mut engine = Engine::new(plan.clone(), EngineSettings::default());
        events += engine.apply(EngineCommand::Start, MonotonicTime::ZERO).events.len();
        let mut now = Duration::ZERO;
        while !engine.is_finished() {
            now += Duration::from_millis(250);
            events += engine.advance(MonotonicTime::from_duration(now)).len();
            let _ = engine.snapshot(MonotonicTime::from_duration(now));
            ticks += 1;
        }
    }
    let elapsed = started.elapsed();
    println!("engine, \"{}\" simulated 20 times at 4 ticks/s:", longest.sequence.id());
    println!(
        "  {ticks} ticks with snapshots, {events} events in {:.1} ms: {:.2} µs per tick",
        elapsed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1e6 / ticks as f64
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    engine_throughput();
    play_lateness();
}
