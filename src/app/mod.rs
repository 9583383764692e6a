//! The window: Slint views connected to plain-Rust controllers, one adapter per view (see `adapters/`), and a
//! `slint::Timer` that wakes the session exactly when something is due.

mod adapters;
mod controller;
mod editing;
mod history;
mod keys;
mod library;
mod prompt_recording;
mod resume;
mod screening;
mod screenshot;
mod session;
mod tasks;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use slint::ComponentHandle;

pub use controller::{AppController, ScreenId};
pub use editing::{EditorState, LeaveChoice};
pub use history::{Day, DayName, HistoryController, RatingPoint, SequenceSummary};
pub use keys::{KeyAction, key_action};
pub use library::{AudienceFilter, Card, LibraryController};
pub use prompt_recording::{RecorderMeter, RecorderPhase};
pub use resume::{ResumeOffer, ResumeProblem};
pub use screening::{Decision, Question, Screened, ScreeningController};
pub use screenshot::{ScreenshotRequest, encode_rgba_png, render_screenshot};
pub use session::{SessionController, SessionViewModel, StepState, clock_glyphs, clock_width_em};
pub use tasks::{Answer, LibraryDirs, Task};

use crate::audio::ChimePlayer;
use crate::clock::SystemClock;
use crate::platform::{KeepAwake, Surface};
use crate::sequence::Sequence;
use crate::sequence::library::Library;
use crate::store::Store;

/// The views and the types that cross into them, generated from `ui/`.
pub mod ui {
    slint::include_modules!();
}

pub use ui::AppWindow;

/// The running window and what drives it.
pub struct App {
    window: AppWindow,
    controller: RefCell<AppController>,
    timer: slint::Timer,
    /// Moves the recorder's meter while a prompt is recorded.
    recorder: slint::Timer,
    awake: RefCell<Box<dyn KeepAwake>>,
    /// The kiosk was left: the event loop was told to end.
    quit: std::cell::Cell<bool>,
}

impl App {
    /// Connects every view to `controller` and draws the first screen. `awake` keeps the screen on during sessions
    /// (when the user's setting asks for it).
    pub fn new(window: AppWindow, controller: AppController, awake: Box<dyn KeepAwake>) -> Rc<App> {
        let app = Rc::new(App {
            window,
            controller: RefCell::new(controller),
            timer: slint::Timer::default(),
            recorder: slint::Timer::default(),
            awake: RefCell::new(awake),
            quit: std::cell::Cell::new(false),
        });
        adapters::connect_all(&app);
        RUNNING.with(|running| *running.borrow_mut() = Rc::downgrade(&app));
        app.refresh();
        app
    }

    /// Whether the app was left (kiosk): the event loop ends and the process exits.
    pub fn has_quit(&self) -> bool {
        self.quit.get()
    }

    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    pub fn controller(&self) -> std::cell::Ref<'_, AppController> {
        self.controller.borrow()
    }

    /// Runs `action` on the controller, then redraws and re-arms the session timer.
    pub fn update(self: &Rc<Self>, action: impl FnOnce(&mut AppController)) {
        let (tasks, quit) = {
            let mut controller = self.controller.borrow_mut();
            action(&mut controller);
            controller.collect_store_problems();
            (controller.take_tasks(), controller.take_quit())
        };
        for task in tasks {
            self.hand_off(task);
        }
        if quit {
            self.controller.borrow_mut().save_state_now();
            self.quit.set(true);
            let _ = slint::quit_event_loop();
        }
        self.refresh();
        self.arm_timer();
        self.arm_recorder();
    }

    /// Runs `task` on a thread of its own and brings its answer back to the UI thread. Where no event loop can take
    /// the answer (tests, screenshots), it runs here instead.
    fn hand_off(self: &Rc<Self>, task: Task) {
        if slint::invoke_from_event_loop(|| {}).is_err() {
            let answer = task.run();
            self.update(|c| c.answer(answer));
            return;
        }
        let spawned = std::thread::Builder::new().name("background".into()).spawn(move || {
            let answer = task.run();
            let _ = slint::invoke_from_event_loop(move || {
                if let Some(app) = RUNNING.with(|running| running.borrow().upgrade()) {
                    app.update(|c| c.answer(answer));
                }
            });
        });
        if let Err(err) = spawned {
            eprintln!("stillpoint: cannot start a background thread: {err}");
        }
    }

    /// Pushes the current screen's view model into its adapter.
    pub fn refresh(&self) {
        adapters::show(self);
        let controller = self.controller.borrow();
        let in_session = controller.screen() == ScreenId::Session;
        self.awake.borrow_mut().set(in_session && controller.settings().keep_screen_awake);
    }

    /// Ten times a second while a take is recorded: the meter moves, and a take that stopped by itself (the limit,
    /// the microphone gone) is kept.
    fn arm_recorder(self: &Rc<Self>) {
        let recording = self.controller.borrow().recorder_meter().is_some();
        if !recording {
            self.recorder.stop();
        } else if !self.recorder.running() {
            let app = Rc::downgrade(self);
            self.recorder.start(slint::TimerMode::Repeated, std::time::Duration::from_millis(100), move || {
                let Some(app) = app.upgrade() else { return };
                let meter = app.controller.borrow().recorder_meter();
                match meter {
                    Some(meter) if meter.ended => app.update(AppController::stop_recording),
                    Some(meter) => adapters::show_meter(&app.window, meter),
                    None => app.recorder.stop(),
                }
            });
        }
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
    /// Where the library was read from, to read it again after the editor saves.
    pub library_dirs: LibraryDirs,
    /// A sequence to open straight to screening.
    pub sequence: Option<Arc<Sequence>>,
    pub store: Store,
    pub surface: Surface,
    /// The platform's screen-on service; `None` takes the surface's own.
    pub keep_awake: Option<Box<dyn KeepAwake>>,
    /// `--audio-device`: the sound output for this run, over the saved choice.
    pub audio_device: Option<String>,
    /// The platform's speech engine (Android's TextToSpeech); `None` takes eSpeak NG. Made on the voice's thread.
    pub speech_engine: Option<SpeechEngine>,
    /// How the platform opens the microphone (a phone asks for permission first); `None` opens the default one.
    pub microphone: Option<crate::voice::OpenMicrophone>,
}

/// Makes the engine that speaks prompts, on the voice worker's thread.
pub type SpeechEngine =
    Box<dyn FnOnce() -> Result<Box<dyn crate::voice::PromptVoice>, crate::voice::VoiceError> + Send + 'static>;

thread_local! {
    /// The running app, for platform events that arrive outside any view (Android's pause).
    static RUNNING: RefCell<Weak<App>> = const { RefCell::new(Weak::new()) };
}

/// Writes the resume checkpoint and any pending settings now and waits until they are on disk: the platform is
/// about to put the app away (Android's `SaveState`/`Pause`). Call it on the UI thread.
pub fn save_state_now() {
    if let Some(app) = RUNNING.with(|running| running.borrow().upgrade()) {
        app.controller.borrow_mut().save_state_now();
    }
}

/// Opens the window and runs until it is closed.
pub fn run(mut options: WindowOptions) -> Result<(), slint::PlatformError> {
    crate::platform::select_backend(options.surface)?;
    let window = AppWindow::new()?;
    let clock = SystemClock::new();
    let chimes = ChimePlayer::new(clock, Default::default());
    // The device opens on a thread of its own; its answer redraws whatever screen shows the sound's state.
    chimes.on_status_change(|_| {
        let _ = slint::invoke_from_event_loop(|| {
            if let Some(app) = RUNNING.with(|running| running.borrow().upgrade()) {
                app.refresh();
            }
        });
    });
    let prompts = match options.speech_engine.take() {
        Some(make) => crate::voice::VoicePrompts::with_voice(make),
        None => crate::voice::VoicePrompts::start(),
    };
    prompts.on_status_change(|_| {
        let _ = slint::invoke_from_event_loop(|| {
            if let Some(app) = RUNNING.with(|running| running.borrow().upgrade()) {
                app.refresh();
            }
        });
    });
    let first_run = options.store.data_dir().is_some_and(|dir| !dir.settings_file().exists());
    let mut controller = AppController::new(options.library, options.store, Rc::new(clock), Box::new(chimes));
    controller.set_kiosk(options.surface == Surface::Kiosk);
    controller.set_voice_prompts(prompts);
    if let Some(open) = options.microphone {
        controller.set_microphone(open);
    }
    controller.set_library_dirs(options.library_dirs);
    if options.audio_device.is_some() {
        controller.set_audio_device_override(options.audio_device);
    }
    if first_run && options.surface == Surface::Kiosk {
        // A treatment-room panel comes back from a power cut where it was, without a question nobody is there to
        // answer.
        controller.update_settings(|s| s.resume_after_power_cut = true);
    }
    if let Some(sequence) = options.sequence {
        controller.open_sequence(sequence);
    }
    if options.surface == Surface::Desktop
        && let Some(placement) = controller.settings().window
    {
        window.window().set_size(slint::LogicalSize::new(placement.width as f32, placement.height as f32));
        window.window().set_fullscreen(placement.fullscreen);
    }
    if options.surface == Surface::Kiosk {
        window.window().set_fullscreen(true);
    }
    let awake = options.keep_awake.unwrap_or_else(|| crate::platform::keep_awake(options.surface));
    let app = App::new(window, controller, awake);
    let weak = Rc::downgrade(&app);
    let surface = options.surface;
    app.window().window().on_close_requested(move || {
        if let Some(app) = weak.upgrade() {
            app.closing(surface);
        }
        slint::CloseRequestResponse::HideWindow
    });
    // Open the sound device now, long before the first chime, so it has settled by then.
    app.update(|c| {
        c.open_sound();
    });
    let result = app.window().run();
    app.closing(surface);
    result
}

impl App {
    /// The window is going away: remember its size (desktop) and write where a session is, so the next start offers
    /// to resume it.
    fn closing(&self, surface: Surface) {
        let mut controller = self.controller.borrow_mut();
        if surface == Surface::Desktop {
            let window = self.window.window();
            let size = window.size().to_logical(window.scale_factor());
            let placement = crate::store::WindowPlacement {
                width: size.width.round() as u32,
                height: size.height.round() as u32,
                fullscreen: window.is_fullscreen(),
            };
            if controller.settings().window != Some(placement) {
                controller.update_settings(|s| s.window = Some(placement));
            }
        }
        controller.save_state_now();
    }
}
