//! The window's controllers as plain Rust, no window: the library, screening, the session's view model and outline,
//! settings, and what each key does where.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use stillpoint::app::{AppController, AudienceFilter, KeyAction, LibraryDirs, RecorderPhase, ScreenId, StepState};
use stillpoint::audio::{AudioStatus, ChimeOutput, ChimeSettings};
use stillpoint::cues::ChimeKind;
use stillpoint::editor::{Edit, Template};
use stillpoint::engine::{Command, ManualClock, MonotonicTime, Phase};
use stillpoint::sequence::library::{Library, sequence_files_in};
use stillpoint::sequence::{Audience, Precaution};
use stillpoint::store::{DataDir, Store};

#[derive(Clone, Default)]
struct Device {
    played: Rc<RefCell<Vec<ChimeKind>>>,
    settings: Rc<RefCell<Vec<ChimeSettings>>>,
    /// Lengths of the prompts played, in samples.
    spoken: Rc<RefCell<Vec<usize>>>,
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
    fn speak_at(&self, samples: std::sync::Arc<[f32]>, _: MonotonicTime) {
        self.spoken.borrow_mut().push(samples.len());
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
    let view = c.session.as_ref().unwrap().view("en");
    assert_eq!((view.step_number, view.step_count), (1, 6));
    assert_eq!(view.step.as_ref().unwrap().title.as_deref(), Some("Settle and scan"));
    assert_eq!(view.next.as_ref().unwrap().title.as_deref(), Some("Cross-hand over the low back"));
    assert_eq!(view.clock_text, "1:00");
    assert_eq!(view.phase, Phase::Running);
    assert_eq!(view.cue.map(|(kind, _)| kind), Some(ChimeKind::StepStart), "the start shows in words");
    clock.advance(Duration::from_secs(9));
    c.session_tick();
    assert_eq!(c.session.as_ref().unwrap().view("en").cue, None, "and fades after a few seconds");
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

/// Stands in for the microphone: 1.5 s of a steady tone at a speaking level.
fn voice_on_the_microphone() -> Result<Box<dyn rodio::Source>, stillpoint::voice::RecordError> {
    use rodio::Source;
    Ok(Box::new(rodio::source::SineWave::new(220.0).amplify(0.3).take_duration(Duration::from_millis(1500))))
}

fn no_microphone() -> Result<Box<dyn rodio::Source>, stillpoint::voice::RecordError> {
    Err(stillpoint::voice::RecordError::NoMicrophone)
}

/// Does what the window's worker threads do, at once.
fn run_tasks(c: &mut AppController) {
    loop {
        let tasks = c.take_tasks();
        if tasks.is_empty() {
            return;
        }
        for task in tasks {
            c.answer(task.run());
        }
    }
}

fn record_a_take(c: &mut AppController) {
    c.record_prompt();
    let give_up = std::time::Instant::now() + Duration::from_secs(10);
    while !c.recorder_meter().is_some_and(|m| m.ended) {
        assert!(std::time::Instant::now() < give_up, "the take never ended");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(c.recorder_meter().unwrap().elapsed >= Duration::from_millis(1400), "the meter counts the take");
    c.stop_recording();
    assert_eq!(c.recorder_phase(), RecorderPhase::Saving);
    run_tasks(c);
    assert_eq!(c.recorder_phase(), RecorderPhase::Idle);
}

fn step_voice(c: &AppController) -> Option<String> {
    c.editing().unwrap().editor.draft().steps[0].voice.as_ref().map(|v| v.as_str().to_owned())
}

#[test]
fn a_therapist_records_a_prompt_plays_it_back_records_again_and_keeps_the_take_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _, device) = controller(Store::open(DataDir::at(dir.path())));
    c.set_microphone(voice_on_the_microphone);
    let folder = c.user_sequence_dir().unwrap();
    c.set_library_dirs(LibraryDirs { usual: vec![folder.clone()], named: vec![] });
    c.new_sequence();
    c.choose_template(Template::Blank);
    c.edit(Edit::Title("Shoulder release".into()));
    c.editing_mut().unwrap().editor.select(0);

    record_a_take(&mut c);
    let first = step_voice(&c).expect("the step names its recording");
    assert_eq!(first, "shoulder-release.step-1.wav");
    let take = stillpoint::voice::decode_wav(&folder.join(&first)).unwrap();
    assert!((take.len() as f64 / 48_000.0 - 1.5).abs() < 0.1, "the whole take is kept: {} samples", take.len());

    c.play_prompt();
    run_tasks(&mut c);
    assert_eq!(*device.spoken.borrow(), vec![take.len()], "Play sends the take to the speaker");

    record_a_take(&mut c);
    let second = step_voice(&c).unwrap();
    assert_ne!(second, first, "a new take never overwrites the one before");
    assert!(folder.join(&first).exists(), "the first take stays while Undo can bring it back");
    c.editor_undo();
    assert_eq!(step_voice(&c).as_deref(), Some(first.as_str()));
    c.editor_redo();

    c.save_draft();
    run_tasks(&mut c);
    let entry = c.library.library().find("shoulder-release").expect("saved where the library finds it");
    let plan = entry.sequence.plan(&Default::default());
    assert_eq!(plan.steps[0].voice.as_deref(), Some(folder.join(&second).as_path()), "and it plays the recording");
    c.close_editor();
    run_tasks(&mut c);
    assert!(!folder.join(&first).exists(), "the take nothing names is tidied away as the editor closes");
    assert!(folder.join(&second).exists());
}

#[test]
fn using_the_spoken_prompt_again_is_undoable_and_a_missing_microphone_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _, _) = controller(Store::open(DataDir::at(dir.path())));
    c.set_microphone(no_microphone);
    c.new_sequence();
    c.choose_template(Template::Blank);
    c.editing_mut().unwrap().editor.select(0);
    c.record_prompt();
    let give_up = std::time::Instant::now() + Duration::from_secs(10);
    while !c.recorder_meter().is_some_and(|m| m.ended) {
        assert!(std::time::Instant::now() < give_up);
        std::thread::sleep(Duration::from_millis(5));
    }
    c.stop_recording();
    assert_eq!(c.voice_problem(), Some("no microphone found"));
    assert_eq!(c.recorder_phase(), RecorderPhase::Idle);
    assert_eq!(step_voice(&c), None, "nothing is named");

    c.set_microphone(voice_on_the_microphone);
    record_a_take(&mut c);
    assert!(step_voice(&c).is_some());
    assert_eq!(c.voice_problem(), None, "a good take clears the problem");
    c.remove_prompt();
    assert_eq!(step_voice(&c), None);
    c.editor_undo();
    assert!(step_voice(&c).is_some(), "Use the spoken prompt can be undone");
    let take = c.user_sequence_dir().unwrap().join(step_voice(&c).unwrap());
    c.answer_leave_editor(stillpoint::app::LeaveChoice::Discard);
    run_tasks(&mut c);
    assert!(!take.exists(), "discarding the draft discards its takes");
}
