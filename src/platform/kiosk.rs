//! The treatment-room panel: Slint's linuxkms backend drawing with the software renderer straight to DRM/KMS (or the
//! framebuffer), with touch and keys from libinput. No X, Wayland, seat daemon or cursor.

use super::KeepAwake;

/// The kiosk's backend. `SLINT_DRM_OUTPUT`, `SLINT_DRM_MODE` and `SLINT_KMS_ROTATION` still choose the output, the
/// mode and the rotation (see docs/kiosk.md).
pub fn select_backend() -> Result<(), slint::PlatformError> {
    slint::BackendSelector::new().backend_name("linuxkms".into()).renderer_name("software".into()).select()
}

/// Under KMS nothing but the kernel's console blanking can turn the panel off while Stillpoint holds the display, and
/// that is a boot setting (`consoleblank=0`). The first session checks it and says once if it is on.
#[derive(Default)]
pub struct PanelAwake {
    checked: bool,
}

impl KeepAwake for PanelAwake {
    fn set(&mut self, on: bool) {
        if !on || self.checked {
            return;
        }
        self.checked = true;
        // A single small sysfs read, once per run.
        if let Some(seconds) = console_blank_seconds().filter(|s| *s > 0) {
            eprintln!(
                "stillpoint: the console blanks after {seconds} s (kernel parameter consoleblank); add consoleblank=0 \
                 to cmdline.txt so the panel never goes dark during a hold (docs/kiosk.md)"
            );
        }
    }
}

fn console_blank_seconds() -> Option<u64> {
    std::fs::read_to_string("/sys/module/kernel/parameters/consoleblank").ok()?.trim().parse().ok()
}
