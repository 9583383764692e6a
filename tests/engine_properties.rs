//! Property tests: for random plans and random tick and command patterns the engine's event stream stays sound.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use proptest::prelude::*;
use stillpoint::engine::{Command, Event, EventKind, FinishReason, Phase};
use stillpoint::sequence::{PlannedStep, StepCues, Timing};

fn arb_step() -> impl Strategy<Value = PlannedStep> {
    let timing = prop_oneof![
        (1u64..600).prop_map(|s| Timing::Fixed(secs(s))),
        (1u64..300, 0u64..300).prop_map(|(min, extra)| Timing::UntilRelease { min: secs(min), max: secs(min + extra) }),
    ];
    let cues = (
        any::<bool>(),
        proptest::option::of(1u64..60),
        proptest::option::of(10u64..120),
        proptest::collection::vec(1u64..400, 0..3),
        proptest::option::of(40u32..90),
    )
        .prop_map(|(halfway, warning, check_in, at, rhythm)| {
            let mut at: Vec<Duration> = at.into_iter().map(secs).collect();
            at.sort();
            at.dedup();
            StepCues { halfway, warning: warning.map(secs), check_in_every: check_in.map(secs), at, rhythm_bpm: rhythm }
        });
    (timing, cues).prop_map(|(timing, cues)| with_cues(step(timing), cues))
}

fn arb_command(navigation: bool) -> impl Strategy<Value = Option<Command>> {
    let mut choices = vec![
        Just(None).boxed(),
        Just(None).boxed(),
        Just(Some(Command::Pause)).boxed(),
        Just(Some(Command::Resume)).boxed(),
        Just(Some(Command::TogglePause)).boxed(),
        (1u64..120).prop_map(|s| Some(Command::Extend(secs(s)))).boxed(),
    ];
    if navigation {
        choices.extend([
            Just(Some(Command::Next)).boxed(),
            Just(Some(Command::Previous)).boxed(),
            Just(Some(Command::RestartStep)).boxed(),
            Just(Some(Command::MarkReleased)).boxed(),
        ]);
    }
    proptest::strategy::Union::new(choices)
}

/// Runs the plan with the given actions, then lets it run out; returns the events and whether time ever moved
/// while paused.
fn run(steps: Vec<PlannedStep>, actions: &[(u64, Option<Command>)], auto_advance: bool) -> (Vec<Event>, Vec<Event>) {
    let mut engine = if auto_advance { engine(steps) } else { waiting_engine(steps) };
    let mut all = ok(&mut engine, Command::Start, 0);
    let mut caused_by_commands = all.clone();
    let mut now = 0;
    for (gap, command) in actions {
        now += gap;
        let paused_before = engine.snapshot(at_ms(now)).phase == Phase::Paused;
        let elapsed_before = engine.snapshot(at_ms(now)).session_elapsed;
        let ticked = engine.advance(at_ms(now));
        if paused_before {
            assert!(ticked.is_empty(), "events fell due while paused: {ticked:?}");
            assert_eq!(engine.snapshot(at_ms(now)).session_elapsed, elapsed_before, "paused time moved");
        }
        all.extend(ticked);
        if let Some(command) = command {
            let outcome = engine.apply(*command, at_ms(now));
            caused_by_commands.extend(outcome.events.iter().copied());
            all.extend(outcome.events);
        }
    }
    // Let the session run out: resume whatever is paused or waiting, and step far ahead.
    for _ in 0..10_000 {
        if engine.is_finished() {
            break;
        }
        now += 3_600_000;
        if matches!(engine.snapshot(at_ms(now)).phase, Phase::Paused | Phase::Waiting) {
            let outcome = engine.apply(Command::TogglePause, at_ms(now));
            caused_by_commands.extend(outcome.events.iter().copied());
            all.extend(outcome.events);
        }
        all.extend(engine.advance(at_ms(now)));
    }
    assert!(engine.is_finished(), "the session never finished");
    (all, caused_by_commands)
}

fn is_time_driven(event: &Event) -> bool {
    matches!(
        event.kind,
        EventKind::Cue(_)
            | EventKind::MinimumReached
            | EventKind::StepFinished { reason: FinishReason::TimeUp | FinishReason::MaxReached }
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Drivers sleep until `next_deadline`: nothing may fall due before it, and waking at it must produce an event.
    #[test]
    fn the_next_deadline_is_exactly_when_the_next_event_falls_due(
        steps in proptest::collection::vec(arb_step(), 1..5),
        extensions in proptest::collection::vec((any::<bool>(), 1u64..90), 0..6),
    ) {
        let mut engine = engine(steps);
        ok(&mut engine, Command::Start, 0);
        let mut extensions = extensions.into_iter();
        let mut wakes = 0;
        while let Some(deadline) = engine.next_deadline() {
            wakes += 1;
            prop_assert!(wakes < 100_000, "the deadlines never led to the end");
            let just_before = deadline.since_origin().saturating_sub(Duration::from_millis(1));
            prop_assert!(engine.advance(stillpoint::engine::MonotonicTime::from_duration(just_before)).is_empty());
            let events = engine.advance(deadline);
            prop_assert!(!events.is_empty(), "woke at {deadline:?} for nothing");
            prop_assert!(events.iter().all(|e| e.lateness().is_zero()), "{events:?}");
            if let Some((true, by)) = extensions.next() {
                let _ = engine.apply(Command::Extend(secs(by)), deadline);
            }
        }
        prop_assert!(engine.is_finished());
    }

    #[test]
    fn events_are_ordered_never_early_and_never_duplicated(
        steps in proptest::collection::vec(arb_step(), 1..6),
        actions in proptest::collection::vec((0u64..120_000, arb_command(true)), 0..40),
        auto_advance in any::<bool>(),
    ) {
        let (events, _) = run(steps, &actions, auto_advance);
        for pair in events.windows(2) {
            prop_assert!(pair[0].scheduled <= pair[1].scheduled, "out of order: {:?} then {:?}", pair[0], pair[1]);
        }
        for event in &events {
            prop_assert!(event.actual >= event.scheduled, "reported before it was due: {event:?}");
            if event.kind.is_cue() {
                prop_assert!(event.lateness() <= secs(2), "stale cue played: {event:?}");
            }
        }
        let mut seen = HashSet::new();
        for event in events.iter().filter(|e| is_time_driven(e)) {
            prop_assert!(seen.insert((event.kind, event.step, event.scheduled)), "duplicate: {event:?}");
        }
        let finishes = events.iter().filter(|e| matches!(e.kind, EventKind::SessionFinished { .. })).count();
        prop_assert_eq!(finishes, 1);
    }

    #[test]
    fn total_elapsed_is_the_sum_of_lengths_plus_extensions(
        steps in proptest::collection::vec(arb_step(), 1..6),
        actions in proptest::collection::vec((0u64..200_000, arb_command(false)), 0..40),
        auto_advance in any::<bool>(),
    ) {
        let planned: Duration = steps.iter().map(|s| s.timing.longest()).sum();
        let (events, _) = run(steps, &actions, auto_advance);
        let extended: Duration = events
            .iter()
            .filter_map(|e| match e.kind { EventKind::Extended { by } => Some(by), _ => None })
            .sum();
        let finished = events.iter().find(|e| matches!(e.kind, EventKind::SessionFinished { .. })).unwrap();
        prop_assert_eq!(finished.scheduled, planned + extended);
    }
}
