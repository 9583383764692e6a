//! The engine's commands at their edges, and its timing under late, irregular and suspended ticks.

mod common;

use common::*;
use stillpoint::engine::{Command, Cue, EventKind, FinishReason, Phase, Rejection};
use stillpoint::sequence::{BodySide, StepCues};

#[test]
fn a_two_step_session_runs_to_the_end_on_one_late_tick() {
    let mut engine = engine(vec![fixed(60), fixed(30)]);
    assert_eq!(brief(&ok(&mut engine, Command::Start, 1_000)), vec![("step_started", 0, 0)]);
    let events = engine.advance(at_ms(1_000 + 90_000));
    assert_eq!(
        brief(&events),
        vec![
            ("step_finished", 0, 60_000),
            ("step_started", 1, 60_000),
            ("step_finished", 1, 90_000),
            ("session_finished", 1, 90_000),
        ]
    );
    assert!(engine.is_finished());
    assert_eq!(engine.summary().steps_completed, 2);
    assert!(engine.summary().completed);
}

#[test]
fn commands_before_the_start_and_after_the_end_are_refused_without_effect() {
    let mut engine = engine(vec![fixed(10)]);
    for command in [Command::Pause, Command::Next, Command::Extend(secs(60)), Command::MarkReleased, Command::Stop] {
        assert_eq!(engine.apply(command, at_ms(0)).rejected, Some(Rejection::NotStarted), "{command:?}");
    }
    assert_eq!(engine.snapshot(at_ms(5_000)).phase, Phase::Ready);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(engine.apply(Command::Start, at_ms(1)).rejected, Some(Rejection::AlreadyStarted));
    engine.advance(at_ms(20_000));
    assert_eq!(engine.apply(Command::Next, at_ms(20_001)).rejected, Some(Rejection::SessionFinished));
}

#[test]
fn pause_freezes_the_countdown_and_shifts_every_later_event() {
    let mut engine = engine(vec![with_cues(fixed(60), StepCues { halfway: true, ..StepCues::default() })]);
    ok(&mut engine, Command::Start, 0);
    ok(&mut engine, Command::Pause, 10_000);
    let frozen = engine.snapshot(at_ms(10_000));
    for later in [20_000, 500_000, 3_600_000] {
        assert!(engine.advance(at_ms(later)).is_empty(), "nothing falls due while paused");
        assert_eq!(engine.snapshot(at_ms(later)).step_remaining, frozen.step_remaining);
        assert_eq!(engine.snapshot(at_ms(later)).session_elapsed, secs(10));
    }
    assert_eq!(engine.snapshot(at_ms(3_600_000)).phase, Phase::Paused);
    ok(&mut engine, Command::Resume, 3_600_000);
    assert_eq!(brief(&engine.advance(at_ms(3_620_000))), vec![("halfway", 0, 30_000)]);
    assert_eq!(finished_at(&engine.advance(at_ms(3_650_000))), Some(60_000));
}

#[test]
fn next_on_the_last_step_finishes_the_session() {
    let mut engine = engine(vec![fixed(30), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    ok(&mut engine, Command::Next, 5_000);
    let events = ok(&mut engine, Command::Next, 7_000);
    assert_eq!(brief(&events), vec![("step_finished", 1, 7_000), ("session_finished", 1, 7_000)]);
    assert_eq!(events[0].kind, EventKind::StepFinished { reason: FinishReason::Skipped });
    assert_eq!(engine.summary().steps_skipped, 2);
    assert_eq!(engine.snapshot(at_ms(9_000)).phase, Phase::Finished);
}

#[test]
fn previous_on_the_first_step_restarts_it() {
    let mut engine = engine(vec![fixed(30), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    let events = ok(&mut engine, Command::Previous, 12_000);
    assert_eq!(brief(&events), vec![("step_finished", 0, 12_000), ("step_started", 0, 12_000)]);
    let snapshot = engine.snapshot(at_ms(12_000));
    assert_eq!((snapshot.step_index, snapshot.step_remaining), (0, secs(30)));
}

#[test]
fn previous_goes_back_one_step_and_runs_it_in_full() {
    let mut engine = engine(vec![fixed(30), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    engine.advance(at_ms(40_000));
    ok(&mut engine, Command::Previous, 40_000);
    let snapshot = engine.snapshot(at_ms(45_000));
    assert_eq!((snapshot.step_index, snapshot.step_remaining), (0, secs(25)));
}

#[test]
fn navigating_while_paused_resumes() {
    let mut engine = engine(vec![fixed(30), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    ok(&mut engine, Command::Pause, 5_000);
    let events = ok(&mut engine, Command::Next, 60_000);
    assert_eq!(names(&events), vec!["resumed", "step_finished", "step_started"]);
    assert_eq!(engine.snapshot(at_ms(70_000)).step_remaining, secs(20));
}

#[test]
fn extend_while_paused_adds_time_to_the_step() {
    let mut engine = engine(vec![fixed(60)]);
    ok(&mut engine, Command::Start, 0);
    ok(&mut engine, Command::Pause, 50_000);
    let events = ok(&mut engine, Command::Extend(secs(60)), 55_000);
    assert_eq!(events[0].kind, EventKind::Extended { by: secs(60) });
    assert_eq!(engine.snapshot(at_ms(55_000)).step_remaining, secs(70));
    ok(&mut engine, Command::Resume, 100_000);
    assert_eq!(finished_at(&engine.advance(at_ms(100_000 + 70_000))), Some(120_000));
    assert_eq!(engine.summary().extended_by, secs(60));
}

#[test]
fn extending_moves_the_warning_without_repeating_halfway() {
    let cues = StepCues { halfway: true, warning: Some(secs(10)), ..StepCues::default() };
    let mut engine = engine(vec![with_cues(fixed(60), cues)]);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(names(&engine.advance(at_ms(30_000))), vec!["halfway"]);
    assert_eq!(names(&engine.advance(at_ms(51_000))), vec!["warning"]);
    ok(&mut engine, Command::Extend(secs(60)), 51_000);
    assert_eq!(brief(&engine.advance(at_ms(111_000))), vec![("warning", 0, 110_000)]);
}

#[test]
fn release_before_the_minimum_ends_an_open_hold() {
    let mut engine = engine(vec![open(90, 300), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    let events = ok(&mut engine, Command::MarkReleased, 40_000);
    assert_eq!(names(&events), vec!["released", "step_finished", "step_started"]);
    assert_eq!(events[1].kind, EventKind::StepFinished { reason: FinishReason::Released });
    assert_eq!(engine.summary().releases, 1);
}

#[test]
fn an_open_hold_counts_down_then_up_until_released() {
    let mut engine = engine(vec![open(90, 300), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(engine.snapshot(at_ms(30_000)).step_remaining, secs(60));
    assert_eq!(brief(&engine.advance(at_ms(91_000))), vec![("minimum_reached", 0, 90_000)]);
    let counting = engine.snapshot(at_ms(150_000));
    assert_eq!(counting.phase, Phase::CountingUp);
    assert_eq!(counting.count_up, Some(secs(60)));
    let events = ok(&mut engine, Command::MarkReleased, 150_000);
    assert_eq!(
        brief(&events),
        vec![("released", 0, 150_000), ("step_finished", 0, 150_000), ("step_started", 1, 150_000)]
    );
}

#[test]
fn an_open_hold_ends_at_its_maximum() {
    let mut engine = engine(vec![open(60, 120)]);
    ok(&mut engine, Command::Start, 0);
    let events = engine.advance(at_ms(125_000));
    assert_eq!(names(&events), vec!["minimum_reached", "step_finished", "session_finished"]);
    assert_eq!(events[1].kind, EventKind::StepFinished { reason: FinishReason::MaxReached });
}

#[test]
fn a_release_on_a_fixed_step_is_recorded_and_the_hold_goes_on() {
    let mut engine = engine(vec![fixed(60)]);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(names(&ok(&mut engine, Command::MarkReleased, 20_000)), vec!["released"]);
    assert_eq!(engine.snapshot(at_ms(20_000)).step_remaining, secs(40));
}

#[test]
fn waiting_for_confirmation_freezes_time_until_continue() {
    let mut engine = waiting_engine(vec![fixed(60), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(brief(&engine.advance(at_ms(65_000))), vec![("step_finished", 0, 60_000)]);
    let waiting = engine.snapshot(at_ms(600_000));
    assert_eq!((waiting.phase, waiting.session_elapsed, waiting.step_remaining), (Phase::Waiting, secs(60), secs(0)));
    assert_eq!(engine.apply(Command::Extend(secs(60)), at_ms(600_000)).rejected, Some(Rejection::StepEnded));
    assert_eq!(brief(&ok(&mut engine, Command::TogglePause, 600_000)), vec![("step_started", 1, 60_000)]);
    assert_eq!(finished_at(&engine.advance(at_ms(630_000))), Some(90_000));
}

#[test]
fn back_while_waiting_repeats_the_step_that_ended() {
    let mut engine = waiting_engine(vec![fixed(60), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    engine.advance(at_ms(61_000));
    assert_eq!(brief(&ok(&mut engine, Command::Previous, 90_000)), vec![("step_started", 0, 60_000)]);
    assert_eq!(engine.snapshot(at_ms(90_000)).step_remaining, secs(60));
}

#[test]
fn stop_ends_the_session_as_not_completed() {
    let mut engine = engine(vec![fixed(60), fixed(60)]);
    ok(&mut engine, Command::Start, 0);
    let events = ok(&mut engine, Command::Stop, 30_000);
    assert_eq!(events[1].kind, EventKind::SessionFinished { completed: false });
    assert!(!engine.summary().completed);
    assert_eq!(engine.snapshot(at_ms(99_000)).session_elapsed, secs(30));
}

#[test]
fn after_a_long_suspend_transitions_arrive_in_order_and_stale_cues_are_dropped() {
    let cues = StepCues { halfway: true, check_in_every: Some(secs(20)), ..StepCues::default() };
    let mut engine = engine(vec![with_cues(fixed(60), cues.clone()), with_cues(fixed(60), cues)]);
    ok(&mut engine, Command::Start, 0);
    assert_eq!(brief(&engine.advance(at_ms(21_500))), vec![("check_in", 0, 20_000)], "1.5 s late still rings");
    let events = engine.advance(at_ms(100_000));
    assert_eq!(
        brief(&events),
        vec![("step_finished", 0, 60_000), ("step_started", 1, 60_000), ("check_in", 1, 100_000)],
        "cues from the suspended minute are not played in a burst"
    );
}

#[test]
fn the_side_switch_step_announces_the_new_side() {
    let mut engine = engine(vec![fixed(30), switch_to(BodySide::Right, 10), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    let events = engine.advance(at_ms(31_000));
    assert_eq!(names(&events), vec!["step_finished", "step_started", "side_switch"]);
    assert_eq!(events[2].kind, EventKind::SideSwitch { to: BodySide::Right });
}

#[test]
fn the_next_deadline_is_the_next_cue_or_boundary() {
    let cues = StepCues { at: vec![secs(20)], ..StepCues::default() };
    let mut engine = engine(vec![with_cues(fixed(60), cues), fixed(10)]);
    assert_eq!(engine.next_deadline(), None);
    ok(&mut engine, Command::Start, 5_000);
    assert_eq!(engine.next_deadline(), Some(at_ms(25_000)));
    assert_eq!(names(&engine.advance(at_ms(25_000))), vec!["offset"]);
    assert_eq!(engine.next_deadline(), Some(at_ms(65_000)));
    ok(&mut engine, Command::Pause, 30_000);
    assert_eq!(engine.next_deadline(), None);
    ok(&mut engine, Command::Resume, 40_000);
    assert_eq!(engine.next_deadline(), Some(at_ms(75_000)));
}

#[test]
fn rhythm_beats_follow_the_metronome_exactly() {
    let cues = StepCues { rhythm_bpm: Some(60), ..StepCues::default() };
    let mut engine = engine(vec![with_cues(fixed(5), cues)]);
    ok(&mut engine, Command::Start, 0);
    let mut beats = Vec::new();
    for ms in (0..=5_000).step_by(250) {
        beats.extend(
            engine.advance(at_ms(ms)).into_iter().filter(|e| matches!(e.kind, EventKind::Cue(Cue::RhythmBeat(_)))),
        );
    }
    assert_eq!(
        brief(&beats),
        vec![("rhythm", 0, 1_000), ("rhythm", 0, 2_000), ("rhythm", 0, 3_000), ("rhythm", 0, 4_000)]
    );
}

#[test]
fn extending_while_counting_up_moves_the_end_not_the_count() {
    let mut engine = engine(vec![open(90, 300)]);
    ok(&mut engine, Command::Start, 0);
    engine.advance(at_ms(120_000));
    assert_eq!(engine.snapshot(at_ms(120_000)).count_up, Some(secs(30)));
    ok(&mut engine, Command::Extend(secs(60)), 120_000);
    let after = engine.snapshot(at_ms(130_000));
    assert_eq!(after.count_up, Some(secs(40)), "the count-up keeps counting from the minimum");
    assert_eq!(after.step_target, secs(360), "the hold may now run to 6 min");
}

#[test]
fn the_progress_ring_never_runs_backwards_through_an_open_hold() {
    let mut engine = engine(vec![open(60, 180), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    let mut last = 0.0;
    for ms in (0..=200_000).step_by(5_000) {
        engine.advance(at_ms(ms));
        let progress = engine.snapshot(at_ms(ms)).step_progress;
        let step = engine.snapshot(at_ms(ms)).step_index;
        if step == 0 {
            assert!(progress >= last, "progress fell from {last} to {progress} at {ms} ms");
            last = progress;
        }
    }
}

#[test]
fn a_hold_that_ended_shows_no_count_up_while_waiting() {
    let mut engine = waiting_engine(vec![open(60, 90), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    engine.advance(at_ms(75_000));
    engine.advance(at_ms(95_000));
    let waiting = engine.snapshot(at_ms(95_000));
    assert_eq!((waiting.phase, waiting.count_up, waiting.step_progress), (Phase::Waiting, None, 1.0));
    assert_eq!(waiting.next_step_index, Some(1));
    assert_eq!(engine.apply(Command::MarkReleased, at_ms(95_000)).rejected, Some(Rejection::Waiting));
}

#[test]
fn back_from_the_second_side_returns_to_the_first_side_not_the_switch() {
    let mut engine = engine(vec![fixed(30), switch_to(BodySide::Right, 10), fixed(30)]);
    ok(&mut engine, Command::Start, 0);
    engine.advance(at_ms(45_000));
    assert_eq!(engine.snapshot(at_ms(45_000)).step_index, 2);
    let events = ok(&mut engine, Command::Previous, 45_000);
    assert_eq!(brief(&events), vec![("step_finished", 2, 45_000), ("step_started", 0, 45_000)]);
}

#[test]
fn an_empty_plan_finishes_at_once_instead_of_hanging() {
    let mut engine = engine(vec![]);
    assert_eq!(names(&ok(&mut engine, Command::Start, 0)), vec!["session_finished"]);
    assert!(engine.is_finished());
    assert_eq!(engine.next_deadline(), None);
}

#[test]
fn a_twelve_hour_session_ends_with_zero_drift() {
    // Twelve one-hour holds ticked at irregular, jittered intervals with pauses: the end lands to the millisecond.
    let mut engine = engine((0..12).map(|_| fixed(3600)).collect());
    let mut now: u64 = 123;
    ok(&mut engine, Command::Start, now);
    let mut paused_total = 0;
    let mut jitter: u64 = 7;
    let mut finished = None;
    let mut tick = 0u64;
    while finished.is_none() {
        jitter = jitter.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        now += 700 + (jitter >> 33) % 900;
        tick += 1;
        if tick.is_multiple_of(5000) {
            ok(&mut engine, Command::Pause, now);
            now += 45_000;
            paused_total += 45_000;
            ok(&mut engine, Command::Resume, now);
        }
        finished = finished_at(&engine.advance(at_ms(now)));
    }
    assert_eq!(finished, Some(12 * 3_600_000));
    let snapshot = engine.snapshot(at_ms(now));
    assert_eq!(snapshot.session_elapsed.as_millis(), 12 * 3_600_000);
    assert!(paused_total > 0);
    // The finish was noticed by the first tick at or after start + 12 h + pauses, and not a tick earlier: the clock
    // maths kept exact time over twelve hours of irregular ticks.
    let due = 123 + 12 * 3_600_000 + paused_total;
    assert!(now >= due && now < due + 1_600, "finished at {now} ms, due at {due} ms");
}
