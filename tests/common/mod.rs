//! Builders shared by the integration tests: plans written in a line, times in milliseconds.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use stillpoint::engine::{Command, Engine, EngineSettings, Event, EventKind, MonotonicTime, Outcome};
use stillpoint::sequence::{BodySide, Plan, PlannedStep, StepCues, StepRole, Technique, Timing};

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub fn at_ms(ms: u64) -> MonotonicTime {
    MonotonicTime::from_millis(ms)
}

pub fn step(timing: Timing) -> PlannedStep {
    PlannedStep {
        source_index: 0,
        role: StepRole::Written,
        technique: Technique::SustainedHold,
        title: Some("Hold".into()),
        area: None,
        side: None,
        timing,
        pressure: None,
        direction: None,
        notes: None,
        cues: StepCues::default(),
        repetition: None,
        say: None,
        voice: None,
        text_language: None,
    }
}

pub fn fixed(seconds: u64) -> PlannedStep {
    step(Timing::Fixed(secs(seconds)))
}

pub fn open(min: u64, max: u64) -> PlannedStep {
    step(Timing::UntilRelease { min: secs(min), max: secs(max) })
}

pub fn switch_to(side: BodySide, seconds: u64) -> PlannedStep {
    PlannedStep { role: StepRole::SideSwitch { to: side }, technique: Technique::Transition, ..fixed(seconds) }
}

pub fn with_cues(mut step: PlannedStep, cues: StepCues) -> PlannedStep {
    step.cues = cues;
    step
}

pub fn engine(steps: Vec<PlannedStep>) -> Engine {
    Engine::new(Arc::new(Plan { steps }), EngineSettings::default())
}

pub fn waiting_engine(steps: Vec<PlannedStep>) -> Engine {
    Engine::new(Arc::new(Plan { steps }), EngineSettings { auto_advance: false, ..EngineSettings::default() })
}

/// Applies a command that must be accepted and returns its events.
pub fn ok(engine: &mut Engine, command: Command, ms: u64) -> Vec<Event> {
    let Outcome { events, rejected } = engine.apply(command, at_ms(ms));
    assert_eq!(rejected, None, "{command:?} at {ms} ms was refused");
    events
}

/// `(name, step, scheduled ms)` triples: the part of an event a test usually cares about.
pub fn brief(events: &[Event]) -> Vec<(&'static str, usize, u64)> {
    events.iter().map(|e| (e.kind.name(), e.step, e.scheduled.as_millis() as u64)).collect()
}

pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

pub fn finished_at(events: &[Event]) -> Option<u64> {
    events.iter().find_map(|e| match e.kind {
        EventKind::SessionFinished { .. } => Some(e.scheduled.as_millis() as u64),
        _ => None,
    })
}
