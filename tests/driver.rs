//! The session driver hands each chime to the sound device ahead of its moment, exactly once, and withdraws chimes a
//! command has made wrong.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use stillpoint::audio::{AudioStatus, ChimeOutput, ChimeSettings};
use stillpoint::cues::ChimeKind;
use stillpoint::driver::{LOOKAHEAD, SessionDriver};
use stillpoint::engine::{Command, EngineSettings, ManualClock, MonotonicTime};
use stillpoint::sequence::{Plan, StepCues};
use stillpoint::store::SessionRecord;

#[derive(Debug, Clone, PartialEq)]
enum Call {
    Play(ChimeKind, u64),
    Cancel,
}

#[derive(Clone, Default)]
struct Device(Rc<RefCell<Vec<Call>>>);

impl ChimeOutput for Device {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn status(&self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        self.0.borrow_mut().push(Call::Play(kind, due.since_origin().as_millis() as u64));
    }
    fn cancel_unstarted(&self) {
        self.0.borrow_mut().push(Call::Cancel);
    }
    fn apply_settings(&mut self, _: ChimeSettings) {}
}

fn driver(clock: &ManualClock) -> SessionDriver {
    let cues = StepCues { halfway: true, ..StepCues::default() };
    let plan = Plan { steps: vec![with_cues(fixed(60), cues), fixed(30)] };
    let record = SessionRecord::new("test", "Test", "", plan.len(), "0123456789abcdef");
    SessionDriver::new(Arc::new(plan), EngineSettings::default(), Rc::new(clock.clone()), record)
}

fn plays(device: &Device) -> Vec<(ChimeKind, u64)> {
    device
        .0
        .borrow()
        .iter()
        .filter_map(|c| match c {
            Call::Play(kind, due) => Some((*kind, *due)),
            Call::Cancel => None,
        })
        .collect()
}

#[test]
fn each_chime_reaches_the_device_ahead_of_its_moment_and_only_once() {
    let clock = ManualClock::new();
    clock.set(MonotonicTime::from_millis(1_000));
    let mut device = Device::default();
    let mut session = driver(&clock);
    session.apply(Command::Start, &mut device);
    // The session begins a moment after the press, so the start chime too is handed over ahead of its time.
    assert_eq!(plays(&device), vec![(ChimeKind::StepStart, 1_100)]);

    // Wake when the driver asks: every 10 s of the hold to write the resume checkpoint, a little before halfway (to
    // queue it), then at it.
    let mut wakes = Vec::new();
    while !plays(&device).iter().any(|(kind, _)| *kind == ChimeKind::Halfway) {
        let wake = session.next_wake().unwrap();
        wakes.push(wake);
        clock.set(wake);
        session.tick(&mut device);
        assert!(wakes.len() < 10, "{wakes:?}");
    }
    let expected = [11_100, 21_100].map(MonotonicTime::from_millis);
    assert_eq!(wakes, [&expected[..], &[MonotonicTime::from_millis(31_100) - LOOKAHEAD]].concat());
    assert_eq!(plays(&device).last(), Some(&(ChimeKind::Halfway, 31_100)), "queued before it is due");
    assert_eq!(session.next_wake(), Some(MonotonicTime::from_millis(31_100)));
    clock.set(MonotonicTime::from_millis(31_100));
    let events = session.tick(&mut device);
    assert_eq!(names(&events), vec!["halfway"]);
    assert_eq!(plays(&device).iter().filter(|(k, _)| *k == ChimeKind::Halfway).count(), 1, "never twice");

    // The end of the session, through the same rhythm of wakes.
    while let Some(wake) = session.next_wake() {
        clock.set(wake);
        session.tick(&mut device);
    }
    assert_eq!(
        plays(&device),
        vec![
            (ChimeKind::StepStart, 1_100),
            (ChimeKind::Halfway, 31_100),
            (ChimeKind::StepEnd, 61_100),
            (ChimeKind::SessionEnd, 91_100)
        ]
    );
}

#[test]
fn a_command_withdraws_queued_chimes_and_the_new_schedule_is_queued_again() {
    let clock = ManualClock::new();
    let mut device = Device::default();
    let mut session = driver(&clock);
    session.apply(Command::Start, &mut device);
    clock.set(MonotonicTime::from_millis(30_100) - LOOKAHEAD);
    session.tick(&mut device);
    assert_eq!(plays(&device).last(), Some(&(ChimeKind::Halfway, 30_100)));

    // Paused 100 ms before halfway: the queued chime is withdrawn, and nothing rings while paused.
    clock.set(MonotonicTime::from_millis(30_000));
    session.apply(Command::Pause, &mut device);
    assert_eq!(device.0.borrow().last(), Some(&Call::Cancel));
    clock.advance(Duration::from_secs(60));
    session.tick(&mut device);
    assert_eq!(plays(&device).len(), 2, "nothing new while paused");

    // Resumed a minute later: halfway is due 100 ms on, and is handed over again at its new time.
    session.apply(Command::Resume, &mut device);
    assert_eq!(plays(&device).last(), Some(&(ChimeKind::Halfway, 90_100)));
}
