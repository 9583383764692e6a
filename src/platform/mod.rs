//! What differs between the desktop window, the treatment-room kiosk and the phone: which Slint backend draws the
//! window and how the screen is kept on. Everything else (controllers, views, store, audio) is shared.

#[cfg(all(feature = "android", target_os = "android"))]
pub mod android;
#[cfg(all(feature = "android", target_os = "android"))]
pub mod android_microphone;
#[cfg(all(feature = "android", target_os = "android"))]
pub mod android_tts;
#[cfg(feature = "desktop")]
pub mod desktop;
#[cfg(feature = "kiosk")]
pub mod kiosk;

/// Sequence folders a kiosk reads when they exist: the SD card's FAT boot partition (editable from any computer)
/// and a USB stick labelled STILLPOINT mounted read-only (see docs/kiosk.md), so a therapist updates the library
/// without a keyboard.
pub const KIOSK_SEQUENCE_DIRS: [&str; 2] = ["/boot/firmware/stillpoint/sequences", "/media/stillpoint/sequences"];

/// Where the window is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// A window among others (X11 or Wayland through winit).
    Desktop,
    /// The whole panel, straight on DRM/KMS (no X or Wayland), touch and keys through libinput; no cursor; leaving
    /// takes a long press or a key chord.
    Kiosk,
    /// The phone's activity.
    Phone,
}

impl Surface {
    /// What this build opens when nothing is asked for: a kiosk-only build is a kiosk.
    pub const fn default_for_build() -> Surface {
        if cfg!(target_os = "android") {
            Surface::Phone
        } else if cfg!(all(feature = "kiosk", not(feature = "desktop"))) {
            Surface::Kiosk
        } else {
            Surface::Desktop
        }
    }
}

/// Keeps the screen on while a session runs (the user's setting permitting), and lets it sleep again after.
pub trait KeepAwake {
    /// Holds the screen on while `on`, releases it otherwise. Called on every refresh: cheap when nothing changes,
    /// and never blocking (a slow system bus must not delay the countdown).
    fn set(&mut self, on: bool);
}

/// For windows whose screen is not ours to manage (screenshots, tests).
pub struct ScreenUnmanaged;

impl KeepAwake for ScreenUnmanaged {
    fn set(&mut self, _: bool) {}
}

/// Chooses the Slint backend for `surface` before the first window is made. `SLINT_BACKEND` still wins where the
/// backend allows, so a kiosk can be tried with `SLINT_BACKEND=linuxkms-software` on a desktop build with both.
pub fn select_backend(surface: Surface) -> Result<(), slint::PlatformError> {
    match surface {
        #[cfg(feature = "kiosk")]
        Surface::Kiosk => kiosk::select_backend(),
        #[cfg(not(feature = "kiosk"))]
        Surface::Kiosk => Err(slint::PlatformError::Other(
            "this build has no kiosk backend; build with `--features kiosk`".to_owned(),
        )),
        #[cfg(feature = "desktop")]
        Surface::Desktop => desktop::select_backend(),
        #[cfg(not(feature = "desktop"))]
        Surface::Desktop => Err(slint::PlatformError::Other(
            "this build has no desktop window; run `stillpoint --kiosk` or build with `--features desktop`".to_owned(),
        )),
        // The activity's backend is set up by `android_main` before the app runs.
        Surface::Phone => Ok(()),
    }
}

/// The screen-on service of `surface` in this build.
pub fn keep_awake(surface: Surface) -> Box<dyn KeepAwake> {
    match surface {
        #[cfg(feature = "desktop")]
        Surface::Desktop => Box::new(desktop::SessionInhibitor::default()),
        #[cfg(feature = "kiosk")]
        Surface::Kiosk => Box::new(kiosk::PanelAwake::default()),
        _ => Box::new(ScreenUnmanaged),
    }
}
