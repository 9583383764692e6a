//! Keeping the screen on during a session, where the platform allows it. Failing to is a warning, never an error: a
//! kiosk without a session bus simply keeps its own screen settings.

#[derive(Default)]
pub struct KeepAwake {
    #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
    guard: Option<keepawake::KeepAwake>,
    warned: bool,
}

impl KeepAwake {
    /// Holds the screen awake while `on`, releases it otherwise.
    pub fn set(&mut self, on: bool) {
        #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
        {
            if !on {
                self.guard = None;
                return;
            }
            if self.guard.is_some() {
                return;
            }
            let guard = keepawake::Builder::default()
                .display(true)
                .idle(true)
                .reason("Session running")
                .app_name("Stillpoint")
                .app_reverse_domain("org.stillpoint.Stillpoint")
                .create();
            match guard {
                Ok(guard) => self.guard = Some(guard),
                Err(err) if !self.warned => {
                    self.warned = true;
                    eprintln!("stillpoint: cannot keep the screen awake ({err}); check the screen's own sleep setting");
                }
                Err(_) => {}
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        {
            let _ = (on, &mut self.warned);
        }
    }
}
