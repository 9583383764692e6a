//! The window's controllers as plain Rust, no window: the library, screening, the session's view model and outline,
//! settings, and what each key does where.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use stillpoint::app::{AppController, AudienceFilter, KeyAction, ScreenId, StepState};
use stillpoint::audio::{AudioStatus, ChimeOutput, ChimeSettings};
use stillpoint::cues::ChimeKind;
use stillpoint::engine::{Command, ManualClock, MonotonicTime, Phase};
use stillpoint::sequence::library::{Library, sequence_files_in};
use stillpoint::sequence::{Audience, Precaution};
use stillpoint::store::{DataDir, Store};

#[derive(Clone, Default)]
struct Device {
    played: Rc<RefCell<Vec<ChimeKind>>>,
    settings: Rc<RefCell<Vec<ChimeSettings>>>,
}

impl ChimeOutput for Device {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn status(&self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn play_at(&self, kind: ChimeKind, _: MonotonicTime) {
        self.played.borrow_mut().push(kind);
    }
    fn cancel_unstarted(&self) {}
    fn apply_settings(&mut self, settings: ChimeSettings) {
        self.settings.borrow_mut().push(settings);
    }
}

fn fixtures() -> Library {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ui");
    let mut library = Library::default();
    library.overlay(&sequence_files_in(&dir).unwrap());
    library
}

fn controller(store: Store) -> (AppController, ManualClock, Device) {
    let clock = ManualClock::new();
    let device = Device::default();
    let controller = AppController::new(fixtures(), store, Rc::new(clock.clone()), Box::new(device.clone()));
    (controller, clock, device)
}

fn start(c: &mut AppController, clock: &ManualClock, id: &str) {
    c.choose_sequence(id);
    c.none_apply();
    clock.advance(stillpoint::driver::START_DELAY);
    c.session_tick();
}

#[test]
fn the_library_filters_chooses_by_keys_and_wraps() {
    let (mut c, _, _) = controller(Store::in_memory());
    let titles = |c: &AppController| c.library.cards().iter().map(|card| card.id.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&c), ["back-release", "long-prompts"], "sorted by title");
    c.set_filter(AudienceFilter::Only(Audience::SelfCare));
    assert_eq!(titles(&c), ["long-prompts"]);
    c.set_filter(AudienceFilter::All);
    assert!(c.key(KeyAction::Back), "the first press backwards picks the last card");
    assert_eq!(c.library.selected_id(), Some("long-prompts"));
    c.key(KeyAction::Next);
    assert_eq!(c.library.selected_id(), Some("back-release"), "and wraps round");
    c.key(KeyAction::Confirm);
    assert_eq!(c.screen(), ScreenId::Screening);
    let card = &c.library.cards()[0];
    assert_eq!((card.steps, card.total), (6, Duration::from_secs(10 * 60 + 10)), "steps as played, minimum length");
}

#[test]
fn opening_a_file_by_path_says_why_it_did_not_open() {
    let (mut c, _, _) = controller(Store::in_memory());
    c.open_path("   ");
    assert!(c.library.open_needs_path());
    c.open_path("/nowhere/missing.json");
    assert!(c.library.open_error().contains("cannot open"), "{}", c.library.open_error());
    assert!(!c.library.open_needs_path());
    assert_eq!(c.screen(), ScreenId::Library);
}

#[test]
fn screening_starts_on_none_apply_and_asks_twice_after_a_yes() {
    let (mut c, _, _) = controller(Store::in_memory());
    c.choose_sequence("back-release");
    let questions = c.screening.as_ref().unwrap().questions();
    assert_eq!(questions.len(), 6, "the core five and the sequence's own");
    assert!(questions.iter().any(|q| q.precaution == Precaution::Pregnancy));
    c.screening_rating(4);
    c.screening_rating(4);
    assert_eq!(c.screening.as_ref().unwrap().rating(), None, "tapping the chosen number again clears it");
    c.screening_rating(6);
    c.screening_answer(0, true);
    c.none_apply();
    assert_eq!(c.screen(), ScreenId::Screening, "a yes never starts on one tap");
    assert!(c.screening.as_ref().unwrap().confirm_proceed());
    c.key(KeyAction::Primary);
    assert_eq!(c.screen(), ScreenId::Screening, "Space dismisses the question");
    c.proceed();
    c.key(KeyAction::Confirm);
    assert_eq!(c.screen(), ScreenId::Session);
    let record = c.session.as_ref().unwrap().record();
    assert!(record.proceeded_despite_yes);
    assert_eq!(record.rating_before, Some(6));
}

#[test]
fn the_session_view_gives_typed_values_and_the_outline_ticks_steps() {
    let (mut c, clock, device) = controller(Store::in_memory());
    start(&mut c, &clock, "back-release");
    let view = c.session.as_ref().unwrap().view();
    assert_eq!((view.step_number, view.step_count), (1, 6));
    assert_eq!(view.step.as_ref().unwrap().title.as_deref(), Some("Settle and scan"));
    assert_eq!(view.next.as_ref().unwrap().title.as_deref(), Some("Cross-hand over the low back"));
    assert_eq!(view.clock_text, "1:00");
    assert_eq!(view.phase, Phase::Running);
    assert_eq!(view.cue.map(|(kind, _)| kind), Some(ChimeKind::StepStart), "the start shows in words");
    clock.advance(Duration::from_secs(9));
    c.session_tick();
    assert_eq!(c.session.as_ref().unwrap().view().cue, None, "and fades after a few seconds");
    assert_eq!(device.played.borrow().first(), Some(&ChimeKind::StepStart));

    c.session_command(Command::Next);
    c.session_command(Command::Next);
    let outline = c.session.as_ref().unwrap().outline();
    assert_eq!(&outline[..4], [StepState::Skipped, StepState::Skipped, StepState::Current, StepState::Upcoming]);
    clock.advance(Duration::from_secs(181));
    c.session_tick();
    let outline = c.session.as_ref().unwrap().outline();
    assert_eq!(outline[2], StepState::Done, "a step that ran its time is ticked");
    assert_eq!(outline[3], StepState::Current);
}

#[test]
fn settings_apply_at_once_and_are_written_off_the_ui_thread() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _, device) = controller(Store::open(DataDir::at(dir.path())));
    c.update_settings(|s| s.volume = 35);
    assert_eq!(device.settings.borrow().last().unwrap().volume_percent, 35, "the chimes follow at once");
    c.key(KeyAction::Mute);
    assert!(c.settings().muted);
    assert!(device.settings.borrow().last().unwrap().muted);
    c.store().flush();
    let saved = stillpoint::store::SettingsStore::at(dir.path().join("settings.json")).load().0;
    assert_eq!((saved.volume, saved.muted), (35, true), "and reach the file");
}

#[test]
fn a_settings_file_that_cannot_be_written_is_reported_on_the_settings_screen() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the settings file should be: writing it fails.
    std::fs::create_dir_all(dir.path().join("settings.json")).unwrap();
    let (mut c, _, _) = controller(Store::open(DataDir::at(dir.path())));
    c.take_notices();
    c.open_settings();
    c.update_settings(|s| s.volume = 10);
    c.store().flush();
    c.collect_store_problems();
    assert!(c.save_problem().is_some_and(|p| p.starts_with("settings not saved")), "{:?}", c.save_problem());
    assert_eq!(c.settings().volume, 10, "the change still applies for this run");
}

#[test]
fn esc_leaves_each_screen_but_only_asks_during_a_session() {
    let (mut c, clock, _) = controller(Store::in_memory());
    c.open_settings();
    c.key(KeyAction::Escape);
    assert_eq!(c.screen(), ScreenId::Library);
    c.choose_sequence("back-release");
    c.key(KeyAction::Escape);
    assert_eq!(c.screen(), ScreenId::Library);
    start(&mut c, &clock, "back-release");
    c.key(KeyAction::Escape);
    assert_eq!(c.screen(), ScreenId::Session);
    assert!(c.session.as_ref().unwrap().confirm_stop());
    c.key(KeyAction::Escape);
    assert!(!c.session.as_ref().unwrap().confirm_stop(), "Esc again keeps going");
    c.key(KeyAction::Escape);
    c.key(KeyAction::Confirm);
    assert_eq!(c.screen(), ScreenId::Aftercare);
    assert!(!c.key(KeyAction::Extend), "a key that means nothing here is not taken");
}
