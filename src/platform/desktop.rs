//! The desktop window: winit with the software renderer, and the screen kept on over the platform's own service
//! (D-Bus ScreenSaver and logind on Linux) while a session runs.

use std::sync::mpsc::{self, Sender};

use super::KeepAwake;

pub fn select_backend() -> Result<(), slint::PlatformError> {
    slint::BackendSelector::new().backend_name("winit".into()).renderer_name("software".into()).select()
}

/// Holds a screen-saver inhibition while a session runs. The calls go through a thread of their own: each is a
/// blocking D-Bus round trip, and a slow or missing session bus must not delay the window. On Windows the thread
/// also owns the execution state, which is per thread there.
#[derive(Default)]
pub struct SessionInhibitor {
    wanted: bool,
    worker: Option<Sender<bool>>,
}

impl KeepAwake for SessionInhibitor {
    fn set(&mut self, on: bool) {
        if on == self.wanted {
            return;
        }
        self.wanted = on;
        let worker = self.worker.get_or_insert_with(spawn_worker);
        let _ = worker.send(on);
    }
}

fn spawn_worker() -> Sender<bool> {
    let (sender, requests) = mpsc::channel::<bool>();
    let spawned = std::thread::Builder::new().name("keep-awake".into()).spawn(move || {
        #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
        {
            let mut guard = None;
            // Warn once per session, not on every failed try.
            let mut warned = false;
            for on in requests {
                if !on {
                    guard = None;
                    warned = false;
                    continue;
                }
                if guard.is_some() {
                    continue;
                }
                let created = keepawake::Builder::default()
                    .display(true)
                    .idle(true)
                    .reason("Session running")
                    .app_name("Stillpoint")
                    .app_reverse_domain("org.stillpoint.Stillpoint")
                    .create();
                match created {
                    Ok(created) => guard = Some(created),
                    Err(err) if !warned => {
                        warned = true;
                        eprintln!(
                            "stillpoint: cannot keep the screen awake ({err}); check the screen's own sleep setting"
                        );
                    }
                    Err(_) => {}
                }
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        for _ in requests {}
    });
    if let Err(err) = spawned {
        eprintln!("stillpoint: cannot keep the screen awake ({err})");
    }
    sender
}
