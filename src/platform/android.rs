//! The phone: the activity's entry point. It sets up Slint's android-activity backend, then runs the same app as the
//! desktop with the app's own files folder as the data folder and the activity's keep-screen-on flag.

use slint::android::AndroidApp;
use slint::android::android_activity::WindowManagerFlags;

use super::{KeepAwake, Surface};

/// Called by the activity (NativeActivity) on its own thread, which becomes the UI thread.
#[unsafe(no_mangle)]
fn android_main(app: AndroidApp) {
    let screen = ScreenOn { app: app.clone(), on: false };
    let data_dir = app.internal_data_path();
    if let Err(err) = slint::android::init(app) {
        eprintln!("stillpoint: cannot start the Android backend: {err}");
        return;
    }
    // The app's private files folder is the whole installation: settings, history, checkpoint, user sequences.
    let store = match data_dir {
        Some(dir) => crate::store::Store::open(crate::store::DataDir::at(dir)),
        None => crate::store::Store::in_memory(),
    };
    let library = crate::sequence::library::Library::load(store.sequences_dir().as_slice(), &[]);
    let options = crate::app::WindowOptions {
        library,
        sequence: None,
        store,
        surface: Surface::Phone,
        keep_awake: Some(Box::new(screen)),
    };
    if let Err(err) = crate::app::run(options) {
        eprintln!("stillpoint: {err}");
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
        if on {
            self.app.set_window_flags(WindowManagerFlags::KEEP_SCREEN_ON, WindowManagerFlags::empty());
        } else {
            self.app.set_window_flags(WindowManagerFlags::empty(), WindowManagerFlags::KEEP_SCREEN_ON);
        }
    }
}
