//! The window, driven headless through Slint's testing backend and rendered with the software renderer: a person's
//! path from the library to aftercare, the hands-free keys, resuming, ratings, the history, what a screen reader is
//! given, and the layout at the four target sizes in every language. Sequences come from `tests/fixtures/ui/`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, TestingBackend, TestingBackendOptions};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, PhysicalSize};
use stillpoint::app::{App, AppController, AppWindow, ScreenId};
use stillpoint::audio::{AudioStatus, ChimeOutput, ChimeSettings};
use stillpoint::cues::ChimeKind;
use stillpoint::engine::{Clock, MonotonicTime};
use stillpoint::i18n::Language;
use stillpoint::platform::ScreenUnmanaged;
use stillpoint::sequence::library::Library;
use stillpoint::store::{DataDir, Store};

const SIZES: [(u32, u32); 4] = [(480, 320), (800, 480), (360, 780), (1280, 800)];

/// The app's clock in tests: Slint's mocked time, so timers and the engine move together.
struct MockedTime;

impl Clock for MockedTime {
    fn now(&self) -> MonotonicTime {
        MonotonicTime::from_millis(i_slint_backend_testing::get_mocked_time())
    }
}

/// Chimes go into a list instead of a speaker.
#[derive(Clone, Default)]
struct Recorded(Rc<RefCell<Vec<ChimeKind>>>);

impl ChimeOutput for Recorded {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn status(&self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn play_at(&self, kind: ChimeKind, _: MonotonicTime) {
        self.0.borrow_mut().push(kind);
    }
    fn cancel_unstarted(&self) {}
    fn apply_settings(&mut self, _: ChimeSettings) {}
}

struct Harness {
    app: Rc<App>,
    chimes: Recorded,
}

/// The fixture sequences only: what the tests see does not change when the bundled library is edited.
fn fixtures() -> Library {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ui");
    let mut library = Library::default();
    library.overlay(&stillpoint::sequence::library::sequence_files_in(&dir).unwrap());
    assert!(library.problems().is_empty(), "{:?}", library.problems());
    library
}

fn open(size: (u32, u32)) -> Harness {
    open_with(size, fixtures(), Store::in_memory())
}

fn open_with(size: (u32, u32), library: Library, store: Store) -> Harness {
    // Each test runs on its own thread, and the testing platform is per thread.
    let _ = slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })));
    let window = AppWindow::new().unwrap();
    window.window().set_size(PhysicalSize::new(size.0, size.1));
    let chimes = Recorded::default();
    let controller = AppController::new(library, store, Rc::new(MockedTime), Box::new(chimes.clone()));
    let app = App::new(window, controller, Box::new(ScreenUnmanaged));
    app.window().show().unwrap();
    settle();
    Harness { app, chimes }
}

/// Lets Slint instantiate what changed and fire due timers, without moving time.
fn settle() {
    i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
}

/// Moves mocked time forward in small steps, so every one-shot timer re-armed on the way fires.
fn wait(duration: Duration) {
    let step = Duration::from_millis(100);
    let mut left = duration;
    while !left.is_zero() {
        let now = step.min(left);
        i_slint_backend_testing::mock_elapsed_time(now);
        left -= now;
    }
}

impl Harness {
    fn find(&self, label: &str) -> ElementHandle {
        settle();
        ElementHandle::find_by_accessible_label(self.app.window(), label)
            .next()
            .unwrap_or_else(|| panic!("nothing labelled {label:?} on {:?}", self.screen()))
    }

    /// The text box labelled `label` (its caption carries the same words).
    fn input(&self, label: &str) -> ElementHandle {
        settle();
        ElementHandle::find_by_accessible_label(self.app.window(), label)
            .find(|e| e.accessible_role() == Some(AccessibleRole::TextInput))
            .unwrap_or_else(|| panic!("no text box labelled {label:?}"))
    }

    fn exists(&self, label: &str) -> bool {
        settle();
        ElementHandle::find_by_accessible_label(self.app.window(), label).next().is_some()
    }

    fn press(&self, label: &str) {
        self.find(label).invoke_accessible_default_action();
        settle();
    }

    fn key(&self, key: impl Into<slint::SharedString>) {
        let text: slint::SharedString = key.into();
        self.app.window().window().dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        self.app.window().window().dispatch_event(WindowEvent::KeyReleased { text });
        settle();
    }

    fn screen(&self) -> ScreenId {
        self.app.controller().screen()
    }

    /// The clock as drawn (its digits), read from what the view was given.
    fn clock(&self) -> String {
        settle();
        self.app.window().global::<stillpoint::app::ui::SessionAdapter>().get_clock_text().to_string()
    }

    fn step(&self) -> String {
        let step = ElementHandle::find_by_accessible_label(self.app.window(), "Current step")
            .find_map(|e| e.accessible_value().filter(|v| !v.is_empty()));
        step.map(|v| v.to_string()).unwrap_or_default()
    }

    /// From the library to the session screen of a sequence, by accessible labels only.
    fn start(&self, title: &str) {
        self.press(title);
        assert_eq!(self.screen(), ScreenId::Screening);
        self.press("None apply — start");
        assert_eq!(self.screen(), ScreenId::Session);
        // The session begins a moment after the press (so its start chime can be placed exactly): from here on,
        // whole seconds of waiting show as whole seconds on the clock.
        wait(stillpoint::driver::START_DELAY);
    }
}

#[test]
fn a_sequence_starts_from_the_library_and_the_countdown_follows_time() {
    let ui = open((800, 480));
    ui.start("Back release (test)");
    assert_eq!(ui.clock(), "1:00");
    assert_eq!(ui.step(), "Settle and scan, both sides");
    wait(Duration::from_secs(10));
    assert_eq!(ui.clock(), "0:50");
    wait(Duration::from_secs(50));
    assert_eq!(ui.step(), "Cross-hand over the low back, midline", "the next step began on time");
    assert_eq!(ui.clock(), "2:00", "an open-ended hold counts down to its minimum");
    assert_eq!(ui.chimes.0.borrow().first(), Some(&ChimeKind::StepStart));
    assert!(ui.chimes.0.borrow().contains(&ChimeKind::StepEnd), "{:?}", ui.chimes.0.borrow());
}

#[test]
fn next_back_extend_and_released_change_what_the_screen_shows() {
    let ui = open((800, 480));
    ui.start("Back release (test)");
    ui.press("Next");
    assert_eq!(ui.step(), "Cross-hand over the low back, midline");
    ui.press("Back");
    assert_eq!(ui.step(), "Settle and scan, both sides");
    ui.press("+1 min");
    assert_eq!(ui.clock(), "2:00");
    ui.press("Next");
    assert!(!ui.exists("Released"), "no Released button before the minimum");
    wait(Duration::from_secs(121));
    assert_eq!(ui.clock(), "+0:01", "past the minimum the hold counts up");
    ui.press("Released");
    assert_eq!(ui.step(), "Ribs to pelvis, left");
    assert_eq!(ui.app.controller().session.as_ref().unwrap().engine().summary().releases, 1);
}

#[test]
fn every_hands_free_key_does_its_job() {
    let ui = open((800, 480));
    ui.start("Back release (test)");
    ui.key(' ');
    assert!(ui.exists("Resume"), "space pauses");
    wait(Duration::from_secs(5));
    assert_eq!(ui.clock(), "1:00", "paused time does not count");
    ui.key(Key::Return);
    assert!(ui.exists("Pause"), "enter resumes");
    ui.key(Key::RightArrow);
    assert_eq!(ui.step(), "Cross-hand over the low back, midline");
    ui.key(Key::LeftArrow);
    assert_eq!(ui.step(), "Settle and scan, both sides");
    ui.key(Key::PageDown);
    assert_eq!(ui.step(), "Cross-hand over the low back, midline");
    ui.key(Key::PageUp);
    ui.key('+');
    assert_eq!(ui.clock(), "2:00");
    ui.key('E');
    assert_eq!(ui.clock(), "3:00");
    ui.key(Key::RightArrow);
    wait(Duration::from_secs(121));
    ui.key('r');
    assert_eq!(ui.step(), "Ribs to pelvis, left", "R marks the release");
    ui.key('m');
    assert!(ui.exists("Muted"), "M mutes the chimes");
    ui.key('M');
    assert!(!ui.exists("Muted"));
    ui.key(Key::Escape);
    assert!(ui.exists("Stop the session?"), "escape asks before stopping");
    ui.key(Key::Escape);
    assert!(!ui.exists("Stop the session?"), "escape again keeps going");
    ui.key(Key::Escape);
    ui.key(' ');
    assert_eq!(ui.screen(), ScreenId::Session, "the pause pedal never confirms a stop");
    assert!(ui.exists("Pause"), "and the session is still running");
    ui.key(Key::Escape);
    ui.key(Key::Return);
    assert_eq!(ui.screen(), ScreenId::Aftercare);
    assert!(ui.exists("Aftercare"));
    ui.key(Key::Return);
    assert_eq!(ui.screen(), ScreenId::Library);
}

#[test]
fn a_sequence_is_chosen_and_started_with_the_keyboard_alone() {
    let ui = open((800, 480));
    ui.key(Key::RightArrow);
    ui.key(Key::RightArrow);
    ui.key(Key::LeftArrow);
    ui.key(Key::Return);
    assert_eq!(ui.screen(), ScreenId::Screening);
    let first = ui.app.controller().library.cards()[0].title.clone();
    assert_eq!(ui.app.controller().screening.as_ref().unwrap().sequence().title(), first);
    ui.key(Key::Return);
    assert_eq!(ui.screen(), ScreenId::Session, "Enter on screening means none apply");
}

#[test]
fn a_yes_in_screening_shows_the_advice_and_asks_before_starting() {
    let ui = open((800, 480));
    ui.press("Back release (test)");
    let yes = ElementHandle::find_by_accessible_label(ui.app.window(), "Yes").next().unwrap();
    yes.invoke_accessible_default_action();
    settle();
    assert!(!ui.exists("None apply — start"));
    ui.press("Proceed with care");
    assert_eq!(ui.screen(), ScreenId::Screening, "a yes never starts on one tap");
    ui.press("Proceed");
    assert_eq!(ui.screen(), ScreenId::Session);
    ui.press("Stop");
    ui.key(Key::Return);
    assert_eq!(ui.app.controller().last_record.as_ref().unwrap().yes_answers(), 1, "the answer is kept");
}

fn rect(element: &ElementHandle) -> (f32, f32, f32, f32) {
    let position = element.absolute_position();
    let size = element.size();
    (position.x, position.y, position.x + size.width, position.y + size.height)
}

fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5
}

/// Height in pixels of the lit digits inside `area`: what a person across the room actually sees.
fn ink_height(ui: &Harness, area: (f32, f32, f32, f32)) -> usize {
    let shot = ui.app.window().window().take_snapshot().unwrap();
    let width = shot.width() as usize;
    let pixels = shot.as_bytes();
    let lit_rows: Vec<usize> = (area.1 as usize..area.3 as usize)
        .filter(|&y| {
            // Inside the panel's edges, where a glowing border could be mistaken for digits.
            (area.0 as usize + 8..area.2 as usize - 8).any(|x| {
                let p = &pixels[(y * width + x) * 4..][..3];
                u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) > 3 * 150
            })
        })
        .collect();
    lit_rows.last().map_or(0, |last| last - lit_rows[0] + 1)
}

/// The countdown, the pressure prompt and the controls at one moment of a session: inside the window, apart, big
/// enough to hit, and on the kiosk panels digits a third of the screen tall.
fn check_layout(ui: &Harness, size: (u32, u32), state: &str, controls: &[&str], third_of_height: bool) {
    let (width, height) = (size.0 as f32, size.1 as f32);
    let countdown = rect(&ui.find("Time"));
    let pressure = rect(&ui.find("Pressure"));
    let mut named = vec![("countdown", countdown), ("pressure prompt", pressure)];
    for label in controls {
        named.push((label, rect(&ui.find(label))));
    }
    for (name, r) in &named {
        let inside = r.0 >= 0.0 && r.1 >= 0.0 && r.2 <= width && r.3 <= height;
        assert!(inside, "{size:?} {state}: {name} {r:?} leaves the window");
        assert!(r.2 - r.0 >= 1.0 && r.3 - r.1 >= 1.0, "{size:?} {state}: {name} has no size");
    }
    for (i, (a, ra)) in named.iter().enumerate() {
        for (b, rb) in &named[i + 1..] {
            assert!(!overlaps(*ra, *rb), "{size:?} {state}: {a} {ra:?} overlaps {b} {rb:?}");
        }
    }
    for label in controls {
        let (_, top, _, bottom) = rect(&ui.find(label));
        assert!(bottom - top >= 48.0, "{size:?} {state}: {label} is {} px tall, too small to hit", bottom - top);
    }
    let kiosk = size == (480, 320) || size == (800, 480);
    if kiosk && third_of_height {
        let digits = ink_height(ui, countdown);
        assert!(digits as f32 >= height / 3.0, "{size:?} {state}: the digits are {digits} px tall");
    }
}

#[test]
fn at_every_size_the_countdown_prompt_and_controls_fit_without_overlapping() {
    for size in SIZES {
        let ui = open(size);
        ui.start("Back release (test)");
        check_layout(&ui, size, "counting down", &["Back", "Pause", "Next", "+1 min", "Stop"], true);
        ui.press("Next");
        wait(Duration::from_secs(125));
        check_layout(&ui, size, "counting up", &["Back", "Pause", "Released", "+1 min", "Stop"], true);
        // A long hold (extended well past its maximum): the clock text grows to six characters and must still fit,
        // even if on the smallest panel that costs it some height.
        for _ in 0..10 {
            ui.press("+1 min");
        }
        wait(Duration::from_secs(600));
        assert!(ui.clock().starts_with("+10:"), "{}", ui.clock());
        check_layout(&ui, size, "a long count-up", &["Back", "Pause", "Released", "+1 min", "Stop"], false);
    }
}

#[test]
fn every_screen_renders_at_every_size() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for size in SIZES {
        let ui = open(size);
        let mut shots = vec![("library", ui.app.window().window().take_snapshot().unwrap())];
        ui.press("Back release (test)");
        shots.push(("screening", ui.app.window().window().take_snapshot().unwrap()));
        ui.press("None apply — start");
        wait(Duration::from_secs(75));
        shots.push(("session", ui.app.window().window().take_snapshot().unwrap()));
        ui.press("Stop");
        ui.key(Key::Return);
        shots.push(("aftercare", ui.app.window().window().take_snapshot().unwrap()));
        ui.press("Back to the library");
        ui.press("Settings");
        shots.push(("settings", ui.app.window().window().take_snapshot().unwrap()));
        for (name, shot) in shots {
            assert_eq!((shot.width(), shot.height()), size, "{name}");
            let pixels = shot.as_bytes();
            let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(4).step_by(97).collect();
            assert!(distinct.len() > 8, "{name} at {size:?} looks blank");
            let png = stillpoint::app::encode_rgba_png(pixels, size.0, size.1).unwrap();
            std::fs::write(dir.join(format!("{name}-{}x{}.png", size.0, size.1)), png).unwrap();
        }
    }
}

#[test]
fn every_control_is_labelled_for_assistive_technology() {
    let ui = open((800, 480));
    let check = |screen: &str| {
        settle();
        let buttons = i_slint_backend_testing::ElementQuery::from_root(ui.app.window())
            .match_accessible_role(AccessibleRole::Button)
            .find_all();
        assert!(!buttons.is_empty(), "{screen} has buttons");
        for button in buttons {
            let label = button.accessible_label().unwrap_or_default();
            assert!(!label.trim().is_empty(), "an unlabelled button on {screen}");
        }
    };
    check("library");
    ui.press("Back release (test)");
    check("screening");
    ui.press("None apply — start");
    check("session");
    assert!(ui.find("Time").accessible_value().is_some(), "the countdown has a value");
}

#[test]
fn the_language_setting_translates_the_window() {
    let ui = open((800, 480));
    ui.start("Back release (test)");
    ui.app.update(|c| c.update_settings(|s| s.language = Language::De));
    assert!(ui.exists("Weiter"), "German 'Next'");
    assert!(ui.exists("Zurück"), "German 'Back'");
    ui.app.update(|c| c.update_settings(|s| s.language = Language::Es));
    assert!(ui.exists("Siguiente"), "Spanish 'Next'");
    ui.app.update(|c| c.update_settings(|s| s.language = Language::En));
    assert!(ui.exists("Next"));
}

#[test]
fn a_sequence_that_translates_its_texts_is_shown_in_the_apps_language() {
    let dir = tempfile::tempdir().unwrap();
    let ui = open_with((800, 480), Library::bundled(), Store::open(DataDir::at(dir.path())));
    let desk = Library::bundled().find("desk-posture").unwrap().sequence.clone();
    ui.app.update(|c| c.update_settings(|s| s.language = Language::De));
    let german = desk.title_in("de").to_owned();
    assert!(!ui.exists(desk.title()), "the English title is gone from the library");
    ui.press(&german);
    assert_eq!(ui.screen(), ScreenId::Screening);
    let screening = ui.app.window().global::<stillpoint::app::ui::ScreeningAdapter>();
    assert_eq!(screening.get_title(), german.as_str());
    assert_eq!(screening.get_summary(), desk.words_in("de").text(desk.document().summary.as_str()));
    ui.key(Key::Return);
    wait(stillpoint::driver::START_DELAY);
    let session = ui.app.window().global::<stillpoint::app::ui::SessionAdapter>();
    let first = desk.plan_in(&Default::default(), "de").steps[0].clone();
    assert_eq!(session.get_sequence_title(), german.as_str());
    assert_eq!(session.get_step().title, first.title.unwrap().as_str());
    assert_eq!(session.get_step().pressure_prompt, first.pressure.unwrap().prompt.unwrap().as_str());

    // The history names the sequence as the library does, in whichever language the window shows now.
    ui.key(Key::Escape);
    ui.key(Key::Return);
    ui.key(Key::Return);
    ui.key('h');
    let history = ui.app.window().global::<stillpoint::app::ui::HistoryAdapter>();
    for _ in 0..100 {
        if history.get_loaded() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        settle();
    }
    let shown = || {
        use slint::Model;
        let days = history.get_days();
        let first_day = days.row_data(0).expect("today's sessions");
        first_day.sessions.row_data(0).expect("the session just stopped").title.to_string()
    };
    assert_eq!(shown(), german);
    ui.app.update(|c| c.update_settings(|s| s.language = Language::Es));
    assert_eq!(shown(), desk.title_in("es"));
}

#[test]
fn the_card_chosen_with_the_pedal_is_always_in_view() {
    // The whole bundled library: more cards than an 800×480 panel shows at once.
    let ui = open_with((800, 480), Library::bundled(), Store::in_memory());
    let cards = ui.app.controller().library.cards();
    assert!(cards.len() > 6, "enough cards to scroll");
    for _ in 0..cards.len() {
        ui.key(Key::RightArrow);
        let chosen = ui.app.controller().library.selected_id().unwrap().to_owned();
        let title = cards.iter().find(|c| c.id == chosen).unwrap().title.clone();
        let (_, top, _, bottom) = rect(&ui.find(&title));
        assert!(top >= 0.0 && bottom <= 480.0, "{title} is chosen but drawn at {top}..{bottom}");
    }
    // And back up from the last to the first.
    for _ in 0..cards.len() - 1 {
        ui.key(Key::LeftArrow);
    }
    let (_, top, _, _) = rect(&ui.find(&cards[0].title));
    assert!(top >= 0.0, "the first card scrolled back into view");
}

#[test]
fn an_interrupted_session_is_offered_and_resumes_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    // A first window runs a session and goes away mid-hold (as a power cut would leave it).
    {
        let ui = open_with((800, 480), fixtures(), Store::open(DataDir::at(dir.path())));
        ui.start("Back release (test)");
        ui.press("Next");
        wait(Duration::from_secs(45));
        ui.app.update(|c| c.save_state_now());
    }
    let ui = open_with((800, 480), fixtures(), Store::open(DataDir::at(dir.path())));
    assert!(ui.exists("Resume Back release (test)?"), "the library offers the interrupted session");
    ui.key(' ');
    assert_eq!(ui.screen(), ScreenId::Session);
    assert_eq!(ui.step(), "Cross-hand over the low back, midline");
    assert_eq!(ui.clock(), "1:15", "2:00 to the minimum, 45 s of it done");
    wait(Duration::from_secs(5));
    assert_eq!(ui.clock(), "1:10", "and it runs on");
}

#[test]
fn discarding_the_offer_keeps_the_session_in_the_history_as_stopped() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ui = open_with((800, 480), fixtures(), Store::open(DataDir::at(dir.path())));
        ui.start("Back release (test)");
        wait(Duration::from_secs(20));
        ui.app.update(|c| c.save_state_now());
    }
    let ui = open_with((800, 480), fixtures(), Store::open(DataDir::at(dir.path())));
    ui.press("Discard");
    assert!(!ui.exists("Resume Back release (test)?"));
    ui.app.controller().store().flush();
    let history = stillpoint::store::read_history(&DataDir::at(dir.path()));
    assert_eq!(history.records.len(), 1);
    assert!(history.records[0].interrupted && !history.records[0].completed());
}

#[test]
fn ratings_before_and_after_are_kept_with_the_session() {
    let dir = tempfile::tempdir().unwrap();
    // A tall window shows the whole screening list, the rating row included, without scrolling.
    let ui = open_with((1280, 1200), fixtures(), Store::open(DataDir::at(dir.path())));
    ui.press("Back release (test)");
    // The eleven buttons are labelled 0 to 10.
    ui.press("7");
    ui.press("None apply — start");
    ui.press("Stop");
    ui.key(Key::Return);
    assert_eq!(ui.screen(), ScreenId::Aftercare);
    assert!(ui.exists("And now? Before the session it was 7."), "aftercare asks again, with the earlier answer");
    ui.press("3");
    ui.app.controller().store().flush();
    let history = stillpoint::store::read_history(&DataDir::at(dir.path()));
    assert_eq!(history.records.len(), 1, "the rating updates the one record");
    assert_eq!((history.records[0].rating_before, history.records[0].rating_after), (Some(7), Some(3)));
}

#[test]
fn the_history_opens_by_key_and_its_sessions_are_chosen_with_the_pedal() {
    let dir = tempfile::tempdir().unwrap();
    let ui = open_with((800, 480), fixtures(), Store::open(DataDir::at(dir.path())));
    for _ in 0..3 {
        ui.start("Back release (test)");
        ui.key(Key::Escape);
        ui.key(Key::Return);
        ui.key(Key::Return);
    }
    assert_eq!(ui.screen(), ScreenId::Library);
    ui.key('h');
    assert_eq!(ui.screen(), ScreenId::History);
    assert!(ui.exists("This week"));
    ui.key(Key::RightArrow);
    ui.key(Key::RightArrow);
    assert_eq!(ui.app.controller().history.as_ref().unwrap().selected(), Some(1));
    ui.key(Key::Return);
    assert!(ui.exists("Step 1: Settle and scan"), "Enter shows the chosen session's steps");
    ui.key(Key::Escape);
    assert_eq!(ui.screen(), ScreenId::History, "Esc closes the steps first");
    ui.key(Key::Escape);
    assert_eq!(ui.screen(), ScreenId::Library);
}

#[test]
fn a_screen_reader_hears_the_clock_once_with_its_meaning() {
    let ui = open((800, 480));
    ui.start("Back release (test)");
    wait(Duration::from_secs(2));
    let texts = i_slint_backend_testing::ElementQuery::from_root(ui.app.window())
        .match_accessible_role(AccessibleRole::Text)
        .find_all();
    let labels: Vec<String> = texts.iter().filter_map(|t| t.accessible_label()).map(|l| l.to_string()).collect();
    for glyph in ["0", ":", "5", "8", "1"] {
        assert!(!labels.iter().any(|l| l == glyph), "a clock digit {glyph:?} is read on its own: {labels:?}");
    }
    assert_eq!(ui.find("Time").accessible_value().unwrap(), "58 seconds left in the step");
    let session = ui.find("Session time left").accessible_value().unwrap();
    assert!(session.ends_with("left in the session") && session.contains("minutes"), "{session}");
    assert_eq!(ui.find("Step progress").accessible_value().unwrap(), "3", "2 of 60 s, as a number");
    // A button's label is said once: its text is not a second element.
    let buttons: Vec<String> = i_slint_backend_testing::ElementQuery::from_root(ui.app.window())
        .match_accessible_role(AccessibleRole::Button)
        .find_all()
        .iter()
        .filter_map(|b| b.accessible_label())
        .map(|l| l.to_string())
        .collect();
    for button in &buttons {
        assert!(!labels.contains(button), "{button:?} is read twice");
    }
    assert_eq!(
        ui.find("Current step").accessible_live_region(),
        Some(i_slint_backend_testing::AccessibleLiveness::Polite),
        "step changes are announced"
    );
}

/// Visible text elements (and whether they are in a scrolling list) and buttons on screen, as rectangles.
#[allow(clippy::type_complexity)]
fn texts_and_buttons(ui: &Harness) -> (Vec<(String, (f32, f32, f32, f32), bool)>, Vec<(f32, f32, f32, f32)>) {
    settle();
    let root = ui.app.window();
    let in_scroller: Vec<(f32, f32, f32, f32)> = i_slint_backend_testing::ElementQuery::from_root(root)
        .match_type_name("Flickable")
        .find_all()
        .iter()
        .flat_map(|f| f.query_descendants().match_type_name("Text").find_all())
        .map(|t| rect(&t))
        .collect();
    let texts = i_slint_backend_testing::ElementQuery::from_root(root)
        .match_type_name("Text")
        .find_all()
        .into_iter()
        .filter(|t| t.computed_opacity() > 0.0 && t.size().width > 0.0 && t.size().height > 0.0)
        .filter(|t| !t.accessible_label().unwrap_or_default().trim().is_empty())
        .map(|t| {
            let r = rect(&t);
            (t.accessible_label().unwrap_or_default().to_string(), r, in_scroller.contains(&r))
        })
        .collect();
    let buttons = i_slint_backend_testing::ElementQuery::from_root(root)
        .match_accessible_role(AccessibleRole::Button)
        .find_all()
        .iter()
        .map(rect)
        .collect();
    (texts, buttons)
}

fn contains(outer: (f32, f32, f32, f32), inner: (f32, f32, f32, f32)) -> bool {
    inner.0 >= outer.0 - 0.5 && inner.1 >= outer.1 - 0.5 && inner.2 <= outer.2 + 0.5 && inner.3 <= outer.3 + 0.5
}

/// No text outside a scrolling list leaves the window or runs under a button it is not part of.
fn check_no_text_clipped(ui: &Harness, size: (u32, u32), where_: &str) {
    let window = (0.0, 0.0, size.0 as f32, size.1 as f32);
    let (texts, buttons) = texts_and_buttons(ui);
    assert!(!texts.is_empty(), "{where_} {size:?}: no text found");
    for (label, r, scrolls) in &texts {
        // A list that scrolls may hold text above or below the window, never beside it.
        if *scrolls {
            assert!(r.0 >= -0.5 && r.2 <= window.2 + 0.5, "{where_} {size:?}: {label:?} at {r:?} leaves the window");
            continue;
        }
        assert!(contains(window, *r), "{where_} {size:?}: {label:?} at {r:?} leaves the window");
        for button in &buttons {
            if overlaps(*r, *button) && !contains(*button, *r) {
                panic!("{where_} {size:?}: {label:?} at {r:?} runs under a button at {button:?}");
            }
        }
    }
}

#[test]
fn no_text_is_cut_at_any_size_on_any_screen_in_any_language() {
    let dir = tempfile::tempdir().unwrap();
    for language in [Language::En, Language::De, Language::Es] {
        for size in SIZES {
            let ui = open_with(size, fixtures(), Store::open(DataDir::at(dir.path())));
            ui.app.update(|c| c.update_settings(|s| s.language = language));
            let at = format!("{language:?}");
            check_no_text_clipped(&ui, size, &format!("{at} library"));
            ui.press("Ball under the shoulder blade with very long prompts (test)");
            check_no_text_clipped(&ui, size, &format!("{at} screening"));
            ui.key(Key::Return);
            // The fixture translates its steps: German and Spanish prompts (longer than English) are what is drawn.
            let step = ui.app.window().global::<stillpoint::app::ui::SessionAdapter>().get_step();
            let translated = ["Rückenlage", "boca arriba"].iter().any(|w| step.title.contains(w));
            assert_eq!(translated, language != Language::En, "{at}: {}", step.title);
            check_no_text_clipped(&ui, size, &format!("{at} session"));
            wait(Duration::from_secs(100));
            check_no_text_clipped(&ui, size, &format!("{at} side switch"));
            ui.key(' ');
            check_no_text_clipped(&ui, size, &format!("{at} paused"));
            ui.key(Key::Escape);
            ui.key(Key::Return);
            check_no_text_clipped(&ui, size, &format!("{at} aftercare"));
            ui.key(Key::Return);
            ui.key('h');
            check_no_text_clipped(&ui, size, &format!("{at} history"));
            ui.key(Key::Escape);
            ui.app.update(|c| c.open_settings());
            check_no_text_clipped(&ui, size, &format!("{at} settings"));
        }
    }
}

#[test]
fn a_kiosk_is_left_only_by_the_chord_and_a_confirmation() {
    let ui = open((800, 480));
    ui.app.update(|c| c.set_kiosk(true));
    let chord = |ui: &Harness| {
        let window = ui.app.window().window();
        for key in [Key::Control, Key::Alt] {
            window.dispatch_event(WindowEvent::KeyPressed { text: key.into() });
        }
        window.dispatch_event(WindowEvent::KeyPressed { text: "q".into() });
        window.dispatch_event(WindowEvent::KeyReleased { text: "q".into() });
        for key in [Key::Alt, Key::Control] {
            window.dispatch_event(WindowEvent::KeyReleased { text: key.into() });
        }
        settle();
    };
    ui.key('q');
    assert!(!ui.exists("Leave kiosk mode?"), "a single key never leaves");
    chord(&ui);
    assert!(ui.exists("Leave kiosk mode?"));
    ui.key(' ');
    assert!(!ui.exists("Leave kiosk mode?"), "the pause pedal dismisses the question");
    assert!(!ui.app.has_quit());
    chord(&ui);
    ui.key(Key::Return);
    assert!(!ui.exists("Leave kiosk mode?"));
    assert!(ui.app.has_quit(), "Enter on the question closes the app");

    // Outside a kiosk the chord means nothing.
    let desktop = open((800, 480));
    chord(&desktop);
    assert!(!desktop.exists("Leave kiosk mode?"));
}

#[test]
fn a_new_two_step_sequence_is_made_saved_and_found_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let ui = open_with((1280, 800), fixtures(), Store::open(DataDir::at(dir.path())));
    let sequences = dir.path().join("sequences");
    ui.app
        .update(|c| c.set_library_dirs(stillpoint::app::LibraryDirs { usual: vec![sequences.clone()], named: vec![] }));
    ui.press("New");
    ui.press("A blank sequence");
    assert_eq!(ui.screen(), ScreenId::Editor);
    assert!(!ui.find("Save").accessible_enabled().unwrap_or(true), "an untitled sequence cannot be saved yet");
    ui.input("Title").set_accessible_value("Evening neck release");
    settle();
    ui.press("Steps (1)");
    ui.press("Add a step");
    ui.input("Title (empty: the technique's name)").set_accessible_value("Second hold");
    settle();
    ui.press("Open-ended hold: count down to a minimum, then up until the release");
    assert!(
        ui.find("Save").accessible_enabled().unwrap(),
        "{:?}",
        ui.app.controller().editing().unwrap().editor.problems()
    );
    ui.press("Save");
    let file = sequences.join("evening-neck-release.json");
    assert!(file.exists(), "saved into the user's sequences folder");
    ui.press("Back");
    assert_eq!(ui.screen(), ScreenId::Library, "nothing unsaved: Back leaves at once");
    assert!(ui.exists("Evening neck release"), "the library shows the new sequence");
    let saved = stillpoint::sequence::library::read_sequence_file(&file).unwrap();
    assert_eq!(saved.document().steps.len(), 2);
    assert!(saved.document().steps[1].until_release.is_some());

    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for size in [(800, 480), (360, 780), (1280, 800)] {
        let ui = open_with(size, fixtures(), Store::open(DataDir::at(dir.path())));
        ui.press("Back release (test)");
        ui.press("Edit");
        assert_eq!(ui.screen(), ScreenId::Editor);
        let shot = ui.app.window().window().take_snapshot().unwrap();
        let png = stillpoint::app::encode_rgba_png(shot.as_bytes(), size.0, size.1).unwrap();
        std::fs::write(shots.join(format!("editor-{}x{}.png", size.0, size.1)), png).unwrap();
    }
}

#[test]
fn leaving_the_editor_with_changes_asks_save_discard_or_cancel() {
    let ui = open((800, 480));
    ui.press("Back release (test)");
    ui.press("Edit");
    ui.input("Title").set_accessible_value("Changed");
    settle();
    ui.press("Back");
    assert!(ui.exists("Save the changes?"));
    ui.press("Cancel");
    assert_eq!(ui.screen(), ScreenId::Editor);
    ui.key(Key::Escape);
    assert!(ui.exists("Save the changes?"), "Esc asks too");
    ui.press("Discard");
    assert_eq!(ui.screen(), ScreenId::Library);
    assert!(ui.exists("Back release (test)"), "discarded: the title is as it was");
}
