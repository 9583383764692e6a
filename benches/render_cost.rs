//! What drawing the session screen costs with the software renderer, at 800×480 (the kiosk panel): the first frame,
//! and the once-a-second countdown update, drawn into a reused buffer as a real window does (only what changed is
//! redrawn). Prints, per phase, the allocations, and for the updates the redrawn rectangles; the instruction counts
//! come from running it under callgrind (`bench/render-cost.sh`), which reports the inclusive cost of the
//! `stillpoint_bench_*` functions below. Run alone with `cargo bench --bench render_cost`.
//!
//! The app is driven as the window drives it: the controller's clock and Slint's clock (timers, animations) are one
//! mocked clock, advanced in 10 ms steps; the session's one-shot timer fires, `App::update` runs the controller's
//! tick and pushes the view model into the adapters, and the frame is drawn when the window asks for it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel};
use stillpoint::app::{App, AppController, AppWindow};
use stillpoint::audio::SilentChimes;
use stillpoint::engine::{Clock, ManualClock, MonotonicTime};
use stillpoint::platform::ScreenUnmanaged;
use stillpoint::sequence::library::Library;
use stillpoint::store::Store;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 480;
const FIXTURE: &str = include_str!("../bench/fixtures/three-minutes.json");

/// Counts allocations, so a phase's allocations can be printed beside its instructions.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One clock for the app and for Slint.
struct Offscreen {
    window: Rc<MinimalSoftwareWindow>,
    now: Rc<Cell<Duration>>,
}

impl Platform for Offscreen {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.now.get()
    }
}

struct Bench {
    window: Rc<MinimalSoftwareWindow>,
    now: Rc<Cell<Duration>>,
    clock: ManualClock,
    app: Rc<App>,
    pixels: Vec<Rgb8Pixel>,
    session_start: MonotonicTime,
}

/// Draws if the window asks for it; the redrawn rectangles.
fn draw(window: &MinimalSoftwareWindow, pixels: &mut [Rgb8Pixel]) -> Rectangles {
    let mut rectangles = Vec::new();
    window.draw_if_needed(|renderer| {
        let region = renderer.render(pixels, WIDTH as usize);
        rectangles = region.iter().map(|(at, size)| (at.x, at.y, size.width, size.height)).collect();
    });
    rectangles
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn stillpoint_bench_first_frame(window: &MinimalSoftwareWindow, app: &App, pixels: &mut [Rgb8Pixel]) {
    app.window().show().unwrap();
    slint::platform::update_timers_and_animations();
    draw(window, pixels);
}

/// The part of a tick before drawing: the session's timer fires, the controller ticks, the adapters are set.
/// (One function per measured tick, so callgrind reports each once.)
#[unsafe(no_mangle)]
#[inline(never)]
pub fn stillpoint_bench_tick_update() {
    std::hint::black_box(1u8);
    slint::platform::update_timers_and_animations();
}

/// The drawing of a tick: bindings evaluated, items laid out again where they changed, dirty regions rendered.
#[unsafe(no_mangle)]
#[inline(never)]
pub fn stillpoint_bench_tick_render(window: &MinimalSoftwareWindow, pixels: &mut [Rgb8Pixel]) -> Rectangles {
    std::hint::black_box(3u8);
    draw(window, pixels)
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn stillpoint_bench_quiet_tick_update() {
    std::hint::black_box(2u8);
    slint::platform::update_timers_and_animations();
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn stillpoint_bench_quiet_tick_render(window: &MinimalSoftwareWindow, pixels: &mut [Rgb8Pixel]) -> Rectangles {
    std::hint::black_box(4u8);
    draw(window, pixels)
}

type Rectangles = Vec<(i32, i32, u32, u32)>;

impl Bench {
    fn new() -> Bench {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
        let now = Rc::new(Cell::new(Duration::ZERO));
        slint::platform::set_platform(Box::new(Offscreen { window: window.clone(), now: now.clone() })).unwrap();
        let app_window = AppWindow::new().unwrap();
        window.set_size(PhysicalSize::new(WIDTH, HEIGHT));
        let sequence =
            Arc::new(stillpoint::sequence::parse_sequence("three-minutes.json", FIXTURE.as_bytes()).unwrap());
        let clock = ManualClock::new();
        let mut controller =
            AppController::new(Library::bundled(), Store::in_memory(), Rc::new(clock.clone()), Box::new(SilentChimes));
        controller.open_sequence(sequence);
        controller.none_apply();
        let session_start = clock.now() + stillpoint::driver::START_DELAY;
        let app = App::new(app_window, controller, Box::new(ScreenUnmanaged));
        // As `stillpoint::app::run` does: an update after the first, which arms the session's timer.
        app.update(|_| {});
        let pixels = vec![Rgb8Pixel::default(); WIDTH as usize * HEIGHT as usize];
        Bench { window, now, clock, app, pixels, session_start }
    }

    /// Moves both clocks to `to` in 10 ms steps, firing timers and drawing frames on the way as the event loop would.
    fn run_until(&mut self, to: MonotonicTime) {
        while self.clock.now() < to {
            let step = Duration::from_millis(10).min(to.saturating_since(self.clock.now()));
            self.advance(step);
            slint::platform::update_timers_and_animations();
            draw(&self.window, &mut self.pixels);
        }
    }

    fn advance(&mut self, by: Duration) {
        self.clock.advance(by);
        self.now.set(self.now.get() + by);
    }

    fn clock_text(&self) -> String {
        self.app.controller().session.as_ref().map(|s| s.view("en").clock_text).unwrap_or_default()
    }

    /// One countdown change, measured: from just before the second turns to the frame that shows it.
    fn tick(
        &mut self,
        label: &str,
        at_session_seconds: u64,
        update: fn(),
        render: fn(&MinimalSoftwareWindow, &mut [Rgb8Pixel]) -> Rectangles,
    ) {
        self.run_until(self.session_start + Duration::from_secs(at_session_seconds) - Duration::from_millis(10));
        let before = self.clock_text();
        self.advance(Duration::from_millis(10));
        let allocations = ALLOCATIONS.load(Ordering::Relaxed);
        update();
        let update_allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations;
        let rectangles = render(&self.window, &mut self.pixels);
        let render_allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations - update_allocations;
        let area: u32 = rectangles.iter().map(|r| r.2 * r.3).sum();
        println!(
            "{label}: {before} -> {}; allocations: update {update_allocations}, render {render_allocations}; \
             redrawn {area} px ({:.1} % of the screen) in {} rectangle(s): {rectangles:?}",
            self.clock_text(),
            100.0 * f64::from(area) / f64::from(WIDTH * HEIGHT),
            rectangles.len(),
        );
    }

    fn save(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/render-cost");
        let _ = std::fs::create_dir_all(&dir);
        let rgba: Vec<u8> = self.pixels.iter().flat_map(|p| [p.r, p.g, p.b, 255]).collect();
        if let Ok(png) = stillpoint::app::encode_rgba_png(&rgba, WIDTH, HEIGHT) {
            let _ = std::fs::write(dir.join(name), png);
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a.starts_with("--format")) {
        return; // `cargo test --benches` asks a harness for its tests; this one has none.
    }
    let mut bench = Bench::new();
    // Into the session: the one-shot start delay, then the first second (the cue flash and its fade included).
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    stillpoint_bench_first_frame(&bench.window, &bench.app, &mut bench.pixels);
    println!(
        "first frame (show, lay out, render {WIDTH}x{HEIGHT}): {}, {} allocations",
        bench.clock_text(),
        ALLOCATIONS.load(Ordering::Relaxed) - allocations
    );
    bench.save("first-frame.png");
    // 2:59 -> 2:58: the "Begin" cue's words are still shown (8 s), its glow (1.2 s) and fade (450 ms) are over.
    bench.tick("tick at 2 s", 2, stillpoint_bench_tick_update, stillpoint_bench_tick_render);
    bench.save("tick-2-58.png");
    // A tick with nothing else going on: no cue words any more.
    bench.tick("quiet tick at 30 s", 30, stillpoint_bench_quiet_tick_update, stillpoint_bench_quiet_tick_render);
    bench.save("tick-2-30.png");
}
