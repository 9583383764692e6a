//! The phone: the activity's entry point. It sets up Slint's android-activity backend, then runs the same app as the
//! desktop with the app's own files folder as the data folder and the activity's keep-screen-on flag.
//!
//! Checked (not linked) on every machine by `scripts/check-android.sh`; docs/android.md builds the APK.

use slint::android::AndroidApp;
use slint::android::android_activity::{MainEvent, PollEvent, WindowManagerFlags};

use super::{KeepAwake, Surface};

/// Called by the activity (NativeActivity) on a thread of its own, which becomes the UI thread. Android calls it
/// again, on a new thread, when the activity is made anew in a process that is still alive (after Back left the app,
/// say); Slint's platform and the app's running state are per thread, so each call starts afresh.
#[unsafe(no_mangle)]
fn android_main(app: AndroidApp) {
    let screen = ScreenOn { app: app.clone(), on: false };
    super::android_microphone::set_activity(activity_handles(&app));
    let data_dir = app.internal_data_path().as_deref().and_then(private_data_dir);
    let speech_engine = data_dir.as_ref().map(|dir| speech_engine(&app, dir.join("speech")));
    if let Err(err) = slint::android::init_with_event_listener(app, on_activity_event) {
        eprintln!("stillpoint: cannot start the Android backend: {err}");
        return;
    }
    // That one folder is the whole installation: settings, history, checkpoint, user sequences.
    let store = match data_dir {
        Some(dir) => crate::store::Store::open(crate::store::DataDir::at(dir)),
        None => crate::store::Store::in_memory(),
    };
    let library_dirs =
        crate::app::LibraryDirs { usual: store.sequences_dir().into_iter().collect(), named: Vec::new() };
    let options = crate::app::WindowOptions {
        library: library_dirs.load(),
        library_dirs,
        sequence: None,
        store,
        surface: Surface::Phone,
        keep_awake: Some(Box::new(screen)),
        audio_device: None,
        speech_engine,
        microphone: Some(super::android_microphone::open_microphone),
    };
    if let Err(err) = crate::app::run(options) {
        eprintln!("stillpoint: {err}");
    }
}

fn activity_handles(app: &AndroidApp) -> super::android_tts::ActivityHandles {
    super::android_tts::ActivityHandles { vm: app.vm_as_ptr() as usize, activity: app.activity_as_ptr() as usize }
}

/// Spoken prompts through the phone's own TextToSpeech, made on the voice's thread; phrases pass through `folder`.
fn speech_engine(app: &AndroidApp, folder: std::path::PathBuf) -> crate::app::SpeechEngine {
    let handles = activity_handles(app);
    Box::new(move || {
        super::android_tts::AndroidTts::start(handles, &folder)
            .map(|voice| Box::new(voice) as Box<dyn crate::voice::PromptVoice>)
    })
}

/// The app's data folder: `Context.getNoBackupFilesDir()` (`/data/user/0/<package>/no_backup`), beside the files
/// folder that `internal_data_path` gives (`.../files`). Both are private to the app, kept across updates and removed
/// with the app or "Clear storage"; but Android's Auto Backup copies `files/` to the user's cloud account, and the
/// session history is health data that stays on the phone. The APK tools cannot set `android:allowBackup="false"`.
fn private_data_dir(files_dir: &std::path::Path) -> Option<std::path::PathBuf> {
    Some(files_dir.parent()?.join("no_backup"))
}

/// Every event the activity's loop polls, after Slint has handled it, on the UI thread (between two events, never
/// inside a view's callback). Android may kill a paused or stopped app without another word: write where a session
/// is, and any settings still pending, before that can happen. `SaveState` is synchronous with Android's main
/// thread, which waits until this returns.
fn on_activity_event(event: &PollEvent<'_>) {
    if let PollEvent::Main(MainEvent::SaveState { .. } | MainEvent::Pause) = event {
        crate::app::save_state_now();
    }
}

/// The window flag that keeps a phone's screen on: set while a session runs, cleared after. No permission needed.
struct ScreenOn {
    app: AndroidApp,
    on: bool,
}

impl KeepAwake for ScreenOn {
    fn set(&mut self, on: bool) {
        if on == self.on {
            return;
        }
        self.on = on;
        // `ANativeActivity_setWindowFlags`: posted to Android's main thread, so cheap and never blocking here.
        if on {
            self.app.set_window_flags(WindowManagerFlags::KEEP_SCREEN_ON, WindowManagerFlags::empty());
        } else {
            self.app.set_window_flags(WindowManagerFlags::empty(), WindowManagerFlags::KEEP_SCREEN_ON);
        }
    }
}
