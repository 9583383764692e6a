//! The window: Slint views connected to plain-Rust controllers, one adapter per view (see `adapters/`), and a
//! `slint::Timer` that wakes the session exactly when something is due.

mod adapters;
mod controller;
mod keys;
mod library;
mod screening;
mod screenshot;
mod session;
mod text;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use slint::ComponentHandle;

pub use controller::{AppController, ScreenId};
pub use keys::{KeyAction, key_action};
pub use library::{AudienceFilter, Card, LibraryController};
pub use screening::{Decision, Question, ScreeningController};
pub use screenshot::{ScreenshotRequest, encode_rgba_png, render_screenshot};
pub use session::{SessionController, SessionViewModel, StepText, clock_glyphs, clock_width_em};
pub use text::all_source_strings;

use crate::audio::ChimePlayer;
use crate::clock::SystemClock;
use crate::platform::{KeepAwake, Surface};
use crate::sequence::Sequence;
use crate::sequence::library::Library;
use crate::store::SettingsStore;

slint::include_modules!();

/// The running window and what drives it.
pub struct App {
    window: AppWindow,
    controller: RefCell<AppController>,
    timer: slint::Timer,
    awake: RefCell<Box<dyn KeepAwake>>,
}

impl App {
    /// Connects every view to `controller` and draws the first screen. `awake` keeps the screen on during sessions
    /// (when the user's setting asks for it).
    pub fn new(window: AppWindow, controller: AppController, awake: Box<dyn KeepAwake>) -> Rc<App> {
        let app = Rc::new(App {
            window,
            controller: RefCell::new(controller),
            timer: slint::Timer::default(),
            awake: RefCell::new(awake),
        });
        adapters::connect_all(&app);
        app.refresh();
        app
    }

    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    pub fn controller(&self) -> std::cell::Ref<'_, AppController> {
        self.controller.borrow()
    }

    /// Runs `action` on the controller, then redraws and re-arms the session timer.
    pub fn update(self: &Rc<Self>, action: impl FnOnce(&mut AppController)) {
        action(&mut self.controller.borrow_mut());
        self.refresh();
        self.arm_timer();
    }

    /// Pushes the current screen's view model into its adapter.
    pub fn refresh(&self) {
        adapters::show(self);
        let controller = self.controller.borrow();
        let in_session = controller.screen() == ScreenId::Session;
        self.awake.borrow_mut().set(in_session && controller.settings().keep_screen_awake);
    }

    /// Wakes the session when its next event or visible change is due; a one-shot timer, so an idle or paused
    /// session costs nothing.
    fn arm_timer(self: &Rc<Self>) {
        let wake = self.controller.borrow().session.as_ref().and_then(SessionController::next_wake);
        match wake {
            Some(after) => {
                let app = Rc::downgrade(self);
                self.timer.start(slint::TimerMode::SingleShot, after, move || {
                    if let Some(app) = app.upgrade() {
                        app.update(AppController::session_tick);
                    }
                });
            }
            None => self.timer.stop(),
        }
    }
}

/// What `stillpoint` (with no command) and `stillpoint ID|PATH` open.
pub struct WindowOptions {
    pub library: Library,
    /// A sequence to open straight to screening.
    pub sequence: Option<Arc<Sequence>>,
    pub settings: SettingsStore,
    pub surface: Surface,
    /// The platform's screen-on service; `None` takes the surface's own.
    pub keep_awake: Option<Box<dyn KeepAwake>>,
}

/// Opens the window and runs until it is closed.
pub fn run(options: WindowOptions) -> Result<(), slint::PlatformError> {
    crate::platform::select_backend(options.surface)?;
    let window = AppWindow::new()?;
    let clock = SystemClock::new();
    let chimes = ChimePlayer::new(clock, Default::default());
    let mut controller = AppController::new(options.library, options.settings, Rc::new(clock), Box::new(chimes));
    for notice in controller.take_notices() {
        eprintln!("stillpoint: {notice}");
    }
    if let Some(sequence) = options.sequence {
        controller.open_sequence(sequence);
    }
    let awake = options.keep_awake.unwrap_or_else(|| crate::platform::keep_awake(options.surface));
    let app = App::new(window, controller, awake);
    // Open the sound device now, long before the first chime, so it has settled by then.
    app.update(|c| {
        c.open_sound();
    });
    app.window().run()
}
