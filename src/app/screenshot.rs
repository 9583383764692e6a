//! `stillpoint screenshot`: renders any screen headless with the software renderer (no display needed), for the
//! README's images and for a person to check a layout at a given size.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel};

use super::{App, AppController, AppWindow, ScreenId};
use crate::audio::SilentChimes;
use crate::engine::{Command, ManualClock};
use crate::platform::ScreenUnmanaged;
use crate::sequence::Sequence;
use crate::sequence::library::Library;
use crate::store::{Store, ThemeChoice, write_atomically};

pub struct ScreenshotRequest {
    pub sequence: Arc<Sequence>,
    pub screen: ScreenId,
    /// 1-based step of the session screen.
    pub step: usize,
    /// Time into that step.
    pub elapsed: Duration,
    pub size: (u32, u32),
    pub theme: ThemeChoice,
    /// "en", "de", "es".
    pub language: String,
    /// What the history screen shows.
    pub history: crate::store::HistoryRead,
    pub output: PathBuf,
}

struct OffscreenPlatform {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for OffscreenPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }
}

/// Renders the requested screen into a PNG. Must be the first (and only) window of the process.
pub fn render_screenshot(library: Library, request: &ScreenshotRequest) -> Result<(), String> {
    let (width, height) = request.size;
    let minimal = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(OffscreenPlatform { window: minimal.clone() }))
        .map_err(|err| format!("cannot set up offscreen rendering: {err}"))?;
    let window = AppWindow::new().map_err(|err| err.to_string())?;
    minimal.set_size(PhysicalSize::new(width, height));

    let clock = ManualClock::new();
    let mut controller =
        AppController::new(library, Store::in_memory(), Rc::new(clock.clone()), Box::new(SilentChimes));
    controller.update_settings(|s| {
        s.theme = request.theme;
        s.language = crate::i18n::Language::from_code(&request.language);
    });
    arrange(&mut controller, &clock, request);
    let app = App::new(window, controller, Box::new(ScreenUnmanaged));
    app.window().show().map_err(|err| err.to_string())?;
    slint::platform::update_timers_and_animations();

    let mut pixels = vec![Rgb8Pixel::default(); width as usize * height as usize];
    minimal.draw_if_needed(|renderer| {
        renderer.render(&mut pixels, width as usize);
    });
    let png = encode_png(&pixels, width, height)?;
    write_atomically(&request.output, &png).map_err(|err| format!("{}: {err}", request.output.display()))
}

/// Walks the controller to the requested screen the way a user would.
fn arrange(controller: &mut AppController, clock: &ManualClock, request: &ScreenshotRequest) {
    match request.screen {
        ScreenId::Library => {}
        ScreenId::Editor => {
            controller.open_sequence(request.sequence.clone());
            controller.edit_sequence();
        }
        ScreenId::History => {
            controller.open_history();
            controller.history_loaded(request.history.clone());
        }
        ScreenId::Settings => controller.open_settings(),
        ScreenId::Screening => controller.open_sequence(request.sequence.clone()),
        ScreenId::Session | ScreenId::Aftercare => {
            controller.open_sequence(request.sequence.clone());
            controller.none_apply();
            // The session begins a moment after "start"; the requested time counts from its beginning.
            clock.advance(crate::driver::START_DELAY);
            for _ in 1..request.step.max(1) {
                controller.session_command(Command::Next);
            }
            if request.screen == ScreenId::Aftercare {
                clock.advance(Duration::from_secs(24 * 3600));
            } else {
                // Tick once a second, as the window does, so cues on the way are seen and the last one glows.
                let end = request.elapsed.as_secs();
                for _ in 0..end {
                    clock.advance(Duration::from_secs(1));
                    controller.session_tick();
                }
                clock.advance(request.elapsed - Duration::from_secs(end));
            }
            controller.session_tick();
        }
    }
}

pub fn encode_png(pixels: &[Rgb8Pixel], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let raw: Vec<u8> = pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    encode(&raw, width, height, png::ColorType::Rgb)
}

/// PNG bytes of an RGBA buffer (what `Window::take_snapshot` returns).
pub fn encode_rgba_png(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    encode(rgba, width, height, png::ColorType::Rgba)
}

fn encode(raw: &[u8], width: u32, height: u32, color: png::ColorType) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(raw).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}
