//! Keeping the screen on during a session, where the platform allows it. Failing to is a warning, never an error: a
//! kiosk without a session bus simply keeps its own screen settings.

#[derive(Default)]
pub struct KeepAwake {
    #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
    guard: Option<keepawake::KeepAwake>,
    /// Failed during this session: not retried on every refresh (each try is a blocking D-Bus call).
    warned: bool,
}

impl KeepAwake {
    /// Holds the screen awake while `on`, releases it otherwise.
    pub fn set(&mut self, on: bool) {
        #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
        {
            if !on {
                self.guard = None;
                // The next session may try again (a session bus may have appeared); not every refresh does.
                self.warned = false;
                return;
            }
            if self.guard.is_some() || self.warned {
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
                Err(err) => {
                    self.warned = true;
                    eprintln!("stillpoint: cannot keep the screen awake ({err}); check the screen's own sleep setting");
                }
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        {
            let _ = (on, &mut self.warned);
        }
    }
}
