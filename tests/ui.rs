//! The window, driven headless through Slint's testing backend and rendered with the software renderer: a person's
//! path from the library to aftercare, the hands-free keys, and the layout at the four target sizes.

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
use stillpoint::platform::ScreenUnmanaged;
use stillpoint::sequence::library::Library;
use stillpoint::store::Store;

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

fn open(size: (u32, u32)) -> Harness {
    // Each test runs on its own thread, and the testing platform is per thread.
    let _ = slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })));
    let window = AppWindow::new().unwrap();
    window.window().set_size(PhysicalSize::new(size.0, size.1));
    let chimes = Recorded::default();
    let controller =
        AppController::new(Library::bundled(), Store::in_memory(), Rc::new(MockedTime), Box::new(chimes.clone()));
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

    fn clock(&self) -> String {
        self.find("Time").accessible_value().unwrap_or_default().to_string()
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
    ui.start("Cross-hand release: low back and pelvis");
    assert_eq!(ui.clock(), "1:00");
    assert_eq!(ui.step(), "Settle and scan · both sides");
    wait(Duration::from_secs(10));
    assert_eq!(ui.clock(), "0:50");
    wait(Duration::from_secs(50));
    assert_eq!(ui.step(), "Cross-hand over the thoracolumbar junction · midline", "the next step began on time");
    assert_eq!(ui.clock(), "2:00", "an open-ended hold counts down to its minimum");
    assert_eq!(ui.chimes.0.borrow().first(), Some(&ChimeKind::StepStart));
    assert!(ui.chimes.0.borrow().contains(&ChimeKind::StepEnd), "{:?}", ui.chimes.0.borrow());
}

#[test]
fn next_back_extend_and_released_change_what_the_screen_shows() {
    let ui = open((800, 480));
    ui.start("Cross-hand release: low back and pelvis");
    ui.press("Next");
    assert_eq!(ui.step(), "Cross-hand over the thoracolumbar junction · midline");
    ui.press("Back");
    assert_eq!(ui.step(), "Settle and scan · both sides");
    ui.press("+1 min");
    assert_eq!(ui.clock(), "2:00");
    ui.press("Next");
    assert!(!ui.exists("Released"), "no Released button before the minimum");
    wait(Duration::from_secs(121));
    assert_eq!(ui.clock(), "+0:01", "past the minimum the hold counts up");
    ui.press("Released");
    assert_eq!(ui.step(), "Cross-hand from ribs to pelvis · left");
    assert_eq!(ui.app.controller().session.as_ref().unwrap().engine().summary().releases, 1);
}

#[test]
fn every_hands_free_key_does_its_job() {
    let ui = open((800, 480));
    ui.start("Cross-hand release: low back and pelvis");
    ui.key(' ');
    assert!(ui.exists("Resume"), "space pauses");
    wait(Duration::from_secs(5));
    assert_eq!(ui.clock(), "1:00", "paused time does not count");
    ui.key(Key::Return);
    assert!(ui.exists("Pause"), "enter resumes");
    ui.key(Key::RightArrow);
    assert_eq!(ui.step(), "Cross-hand over the thoracolumbar junction · midline");
    ui.key(Key::LeftArrow);
    assert_eq!(ui.step(), "Settle and scan · both sides");
    ui.key(Key::PageDown);
    assert_eq!(ui.step(), "Cross-hand over the thoracolumbar junction · midline");
    ui.key(Key::PageUp);
    ui.key('+');
    assert_eq!(ui.clock(), "2:00");
    ui.key('E');
    assert_eq!(ui.clock(), "3:00");
    ui.key(Key::RightArrow);
    wait(Duration::from_secs(121));
    ui.key('r');
    assert_eq!(ui.step(), "Cross-hand from ribs to pelvis · left", "R marks the release");
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
    ui.press("Desk posture: upper back and chest");
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
        ui.start("Cross-hand release: low back and pelvis");
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
        ui.press("Cross-hand release: low back and pelvis");
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
    ui.press("Healed scar: gentle mobilisation");
    check("screening");
    ui.press("None apply — start");
    check("session");
    assert!(ui.find("Time").accessible_value().is_some(), "the countdown has a value");
}

#[test]
fn the_language_setting_translates_the_window() {
    let ui = open((800, 480));
    ui.start("Cross-hand release: low back and pelvis");
    ui.app.update(|c| c.update_settings(|s| s.language = "de".into()));
    assert!(ui.exists("Weiter"), "German 'Next'");
    assert!(ui.exists("Zurück"), "German 'Back'");
    ui.app.update(|c| c.update_settings(|s| s.language = "es".into()));
    assert!(ui.exists("Siguiente"), "Spanish 'Next'");
    ui.app.update(|c| c.update_settings(|s| s.language = "en".into()));
    assert!(ui.exists("Next"));
}
