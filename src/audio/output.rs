//! The output device: opened once and kept, reopened on request after it was missing or lost, never in the way of
//! the timer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rodio::{DeviceSinkBuilder, MixerDeviceSink};

use super::bank::ChimeBank;
use super::synth::ChimeSet;
use super::track::{CueTrack, MAPPING_WINDOW_SAMPLES, TrackHandle};
use crate::clock::SystemClock;
use crate::cues::ChimeKind;
use crate::engine::{Clock, MonotonicTime};

/// How far ahead of its due time a chime must reach the track to be placed on its exact sample: the device buffer
/// plus a margin for a late wake-up. Session drivers hand chimes over this early (see `crate::driver`); a chime that
/// arrives later still plays, a little late.
pub const LEAD: Duration = Duration::from_millis(40);

/// Why sound is unavailable, in words the settings screen translates.
pub const NO_DEVICE: &str = "no sound device found";
pub const CANNOT_OPEN: &str = "the sound device could not be opened";
pub const DEVICE_LOST: &str = "the sound device was lost";

/// What the user chose for sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChimeSettings {
    pub set: ChimeSet,
    /// 0 to 100, independent of the system volume.
    pub volume_percent: u8,
    pub muted: bool,
}

impl Default for ChimeSettings {
    fn default() -> Self {
        Self { set: ChimeSet::Bowl, volume_percent: 80, muted: false }
    }
}

impl ChimeSettings {
    /// Loudness follows the square of the slider, close to how loudness is heard.
    pub fn gain(&self) -> f32 {
        if self.muted { 0.0 } else { (f32::from(self.volume_percent.min(100)) / 100.0).powi(2) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioStatus {
    Ready,
    /// No device, or it went away. Visual cues carry on; `open` tries again.
    Unavailable(String),
}

/// Gives a new stream time to settle, so even the first chime (the session's start) is placed by the clock. A device
/// starts by pulling a burst to fill its buffers, which shows as a jump in the track's clock mapping once that burst
/// leaves the mapping's window. Waits for twice the window's worth of audio and then for the mapping to hold still,
/// at most a few seconds: a stalled device must not stall the app.
fn wait_until_settled(track: &TrackHandle) {
    const HOLD_STILL: Duration = Duration::from_millis(300);
    const POLL: Duration = Duration::from_millis(20);
    let give_up = std::time::Instant::now() + Duration::from_secs(3);
    let mut last = track.clock_mapping();
    let mut still_since = std::time::Instant::now();
    while std::time::Instant::now() < give_up {
        std::thread::sleep(POLL);
        let mapping = track.clock_mapping();
        let moved = match (last, mapping) {
            (Some(a), Some(b)) => a.abs_diff(b) > 2_000_000,
            _ => true,
        };
        if moved {
            still_since = std::time::Instant::now();
            last = mapping;
        } else if still_since.elapsed() >= HOLD_STILL && track.pulled() >= 2 * MAPPING_WINDOW_SAMPLES {
            return;
        }
    }
}

struct Output {
    sink: MixerDeviceSink,
    track: TrackHandle,
    lost: Arc<AtomicBool>,
}

/// Where the app sends chimes: the real player, or a recorder in tests.
pub trait ChimeOutput {
    /// Opens (or reopens) the device if needed; visual cues carry on whatever the answer.
    fn open(&mut self) -> AudioStatus;
    fn status(&self) -> AudioStatus;
    /// Plays `kind` so it is heard at `due`, a reading of the app's clock.
    fn play_at(&self, kind: ChimeKind, due: MonotonicTime);
    /// Forgets chimes handed over ahead of time that have not started: the schedule changed.
    fn cancel_unstarted(&self);
    fn apply_settings(&mut self, settings: ChimeSettings);
}

/// No sound at all: demos at a fast time scale, `--mute`, screenshots.
pub struct NoChimes;

impl ChimeOutput for NoChimes {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Unavailable(String::from("muted"))
    }

    fn status(&self) -> AudioStatus {
        AudioStatus::Unavailable(String::from("muted"))
    }

    fn play_at(&self, _: ChimeKind, _: MonotonicTime) {}

    fn cancel_unstarted(&self) {}

    fn apply_settings(&mut self, _: ChimeSettings) {}
}

impl ChimeOutput for ChimePlayer {
    fn open(&mut self) -> AudioStatus {
        ChimePlayer::open(self).clone()
    }

    fn status(&self) -> AudioStatus {
        ChimePlayer::status(self)
    }

    fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        ChimePlayer::play_at(self, kind, due);
    }

    fn cancel_unstarted(&self) {
        if let Some(output) = &self.output {
            output.track.cancel_unstarted();
        }
    }

    fn apply_settings(&mut self, settings: ChimeSettings) {
        self.set_settings(settings);
    }
}

/// Plays chimes on the default output device.
pub struct ChimePlayer {
    clock: SystemClock,
    /// Rendered when the device opens (or first needed), for the set chosen by then: rendering takes a moment, and
    /// doing it once, with the user's set, is enough.
    bank: std::cell::OnceCell<ChimeBank>,
    settings: ChimeSettings,
    output: Option<Output>,
    status: AudioStatus,
}

impl ChimePlayer {
    /// Touches neither the device nor the synthesizer until they are needed.
    pub fn new(clock: SystemClock, settings: ChimeSettings) -> Self {
        Self {
            clock,
            bank: std::cell::OnceCell::new(),
            settings,
            output: None,
            status: AudioStatus::Unavailable(NO_DEVICE.to_owned()),
        }
    }

    /// Opens the default device unless it is open and healthy. Warns once per failure on stderr. The chimes are
    /// rendered here too, before any is due: rendering on first use would make the session's first chime late.
    pub fn open(&mut self) -> &AudioStatus {
        self.bank();
        let healthy = self.output.as_ref().is_some_and(|o| !o.lost.load(Ordering::Relaxed));
        if healthy {
            return &self.status;
        }
        self.output = None;
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        // Only errors that end the stream count as a lost device; an underrun or a rerouting is a glitch the stream
        // survives, and must not silence the rest of a session.
        let on_error = move |err: rodio::cpal::Error| {
            use rodio::cpal::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DeviceNotAvailable | ErrorKind::HostUnavailable | ErrorKind::StreamInvalidated
            ) {
                flag.store(true, Ordering::Relaxed);
            }
        };
        let opened = DeviceSinkBuilder::from_default_device()
            .map(|builder| builder.with_error_callback(on_error))
            .and_then(|builder| builder.open_sink_or_fallback());
        match opened {
            Ok(mut sink) => {
                sink.log_on_drop(false);
                let clock = self.clock;
                let (track, handle) = CueTrack::new(move || clock.now().since_origin());
                handle.set_gain(self.settings.gain());
                sink.mixer().add(track);
                self.output = Some(Output { sink, track: handle, lost });
                self.status = AudioStatus::Ready;
            }
            Err(err) => {
                let reason = match err {
                    rodio::DeviceSinkError::NoDevice | rodio::DeviceSinkError::DefaultSinkConfigError(_) => {
                        NO_DEVICE.to_owned()
                    }
                    other => format!("{CANNOT_OPEN} ({other})"),
                };
                if self.status != AudioStatus::Unavailable(reason.clone()) {
                    eprintln!("stillpoint: {reason}; chimes are off, visual cues continue");
                }
                self.status = AudioStatus::Unavailable(reason);
            }
        }
        &self.status
    }

    /// Waits for a just-opened device to settle (see `wait_until_settled`), for a chime due right after opening. The
    /// window opens the device long before the first chime and does not need this.
    pub fn settle(&self) {
        if let Some(output) = &self.output {
            wait_until_settled(&output.track);
        }
    }

    /// Ready, or why not. A device lost since it was opened shows here.
    pub fn status(&self) -> AudioStatus {
        match &self.output {
            Some(output) if output.lost.load(Ordering::Relaxed) => AudioStatus::Unavailable(DEVICE_LOST.to_owned()),
            _ => self.status.clone(),
        }
    }

    /// The clock chimes are scheduled on: `play_at` takes readings of this clock.
    pub fn clock(&self) -> SystemClock {
        self.clock
    }

    /// Schedules a chime to be heard [`LEAD`] after `due` (minus the device buffer when it is known), `due` being a
    /// reading of [`ChimePlayer::clock`].
    pub fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        let Some(output) = &self.output else { return };
        if output.lost.load(Ordering::Relaxed) {
            return;
        }
        // The track places samples by when they are pulled; the device plays them a buffer later.
        let target = due.since_origin().saturating_sub(self.device_latency(output));
        output.track.schedule(self.bank().samples(kind), target);
    }

    /// Plays a chime now (test sound, `chimes --play`).
    pub fn play_now(&self, kind: ChimeKind) {
        self.play_at(kind, self.clock.now());
    }

    fn device_latency(&self, output: &Output) -> Duration {
        match output.sink.config().buffer_size() {
            rodio::cpal::BufferSize::Fixed(frames) => {
                Duration::from_secs_f64(f64::from(*frames) / f64::from(output.sink.config().sample_rate().get()))
            }
            rodio::cpal::BufferSize::Default => Duration::ZERO,
        }
    }

    pub fn settings(&self) -> ChimeSettings {
        self.settings
    }

    pub fn bank(&self) -> &ChimeBank {
        self.bank.get_or_init(|| ChimeBank::render(self.settings.set))
    }

    pub fn set_settings(&mut self, settings: ChimeSettings) {
        if self.bank.get().is_some_and(|bank| bank.set() != settings.set) {
            self.bank = std::cell::OnceCell::new();
        }
        self.settings = settings;
        if let Some(output) = &self.output {
            output.track.set_gain(settings.gain());
        }
    }
}
