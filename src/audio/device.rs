//! Output devices: listing them by name, and opening one for the chime track. Everything here may block (ALSA probes
//! cards, a busy or stalled device can take seconds to open): call it off the UI thread. `ChimePlayer` runs it on
//! its worker.

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::{DeviceSinkBuilder, DeviceSinkError, MixerDeviceSink};

/// The device period asked for (see `SystemOutput::open`).
const FRAMES_PER_PERIOD: u32 = 4096;

use super::track::CueTrack;

/// An output the user can choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputDevice {
    /// What the settings store and `--audio-device` take: on Linux the ALSA name (`default`, `hw:CARD=…,DEV=…`,
    /// `plughw:…`, `sysdefault:CARD=…`, `dmix:…`), elsewhere the system's identifier for the device.
    pub name: String,
    /// For people: the card and device as the system describes them ("HDA Intel PCH, ALC3246 Analog").
    pub description: String,
}

/// The output devices of the system's audio host, in the host's order, without duplicates. May take a moment (it
/// asks every sound card): call it off the UI thread. Empty when there is no audio system at all.
pub fn output_device_list() -> Vec<OutputDevice> {
    let host = rodio::cpal::default_host();
    let Ok(devices) = host.output_devices() else { return Vec::new() };
    let mut list: Vec<OutputDevice> = Vec::new();
    for device in devices {
        let Ok(id) = device.id() else { continue };
        let name = id.id().to_owned();
        if list.iter().any(|known| known.name == name) {
            continue;
        }
        let description = device.description().map_or_else(|_| name.clone(), |d| d.name().to_owned());
        list.push(OutputDevice { name, description });
    }
    list
}

/// The names of [`output_device_list`]: what `--audio-device` and the settings take. Blocks: off the UI thread.
pub fn output_devices() -> Vec<String> {
    output_device_list().into_iter().map(|device| device.name).collect()
}

/// The device called `name`: its name as listed, in the host's own spelling (`alsa:hw:CARD=0,DEV=0`), in ALSA's
/// short form (`hw:0,0`, which cpal maps to `hw:CARD=0,DEV=0`), or its description.
fn find_output_device(name: &str) -> Option<rodio::cpal::Device> {
    let host = rodio::cpal::default_host();
    let bare = name.strip_prefix(&format!("{}:", host.id())).unwrap_or(name);
    if let Some(device) = host.device_by_id(&rodio::cpal::DeviceId::new(host.id(), bare)) {
        return Some(device);
    }
    host.output_devices().ok()?.find(|device| device.description().is_ok_and(|d| d.name() == name))
}

/// Why a device did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// No device has the name asked for: the player falls back to the default device.
    NotFound,
    /// No output device at all (or the default one has no usable configuration).
    NoDevice,
    /// The device exists but would not open (busy, permissions, unsupported format…), in the system's words.
    Failed(String),
}

/// Tells the player its device has gone (unplugged, the sound server stopped). Cloneable into an error callback;
/// raising it never blocks.
#[derive(Clone)]
pub struct LostSignal {
    flag: Arc<AtomicBool>,
    notify: Option<Sender<super::output::Request>>,
    generation: u64,
}

impl LostSignal {
    pub(super) fn new(notify: Option<Sender<super::output::Request>>, generation: u64) -> Self {
        Self { flag: Arc::new(AtomicBool::new(false)), notify, generation }
    }

    /// A signal that goes nowhere but its flag (for tests of an opener).
    pub fn detached() -> Self {
        Self::new(None, 0)
    }

    pub fn raise(&self) {
        if !self.flag.swap(true, Ordering::AcqRel)
            && let Some(notify) = &self.notify
        {
            let _ = notify.send(super::output::Request::Lost { generation: self.generation });
        }
    }

    pub fn is_raised(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }
}

/// A device opened and playing the chime track.
pub struct OpenedDevice {
    /// Plays for as long as it is kept; dropped on the thread that opened it.
    pub stream: Box<dyn Any>,
    /// How long after the track hands a sample over it is heard, when the device says (its fixed buffer).
    pub latency: Duration,
}

/// Opens output devices for the player's worker thread: the system's through rodio, or a stand-in in tests.
pub trait DeviceOpener: Send + 'static {
    /// Opens `name` (`None`: the system default) and starts it playing `track`. May block for as long as the device
    /// takes. Raise `lost` if the device goes away later.
    fn open(&mut self, name: Option<&str>, track: CueTrack, lost: LostSignal) -> Result<OpenedDevice, OpenError>;
}

/// The system's output devices, through rodio and cpal.
pub struct SystemOutput;

impl DeviceOpener for SystemOutput {
    fn open(&mut self, name: Option<&str>, track: CueTrack, lost: LostSignal) -> Result<OpenedDevice, OpenError> {
        let builder = match name {
            None => DeviceSinkBuilder::from_default_device(),
            Some(name) => match find_output_device(name) {
                Some(device) => DeviceSinkBuilder::from_device(device),
                // `default` is not always among the names ALSA lists, yet always opens.
                None if name == "default" => DeviceSinkBuilder::from_default_device(),
                None => return Err(OpenError::NotFound),
            },
        };
        // Only errors that end the stream count as a lost device; an underrun or a rerouting is a glitch the stream
        // survives, and must not silence the rest of a session.
        let on_error = move |err: rodio::cpal::Error| {
            use rodio::cpal::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DeviceNotAvailable | ErrorKind::HostUnavailable | ErrorKind::StreamInvalidated
            ) {
                lost.raise();
            }
        };
        let mut sink = builder
            // A 4096-frame period (85 ms at 48 kHz) instead of what the system picks: the stream stays open all
            // session so amplifiers never doze, and each period is a wake-up. Through PulseAudio (README,
            // performance) the system's size meant ~180 wake-ups a second and 0.5 % + 0.7 % of a core (app + sound
            // server); 1024 frames doubled that; 4096 halves it, with chime onsets still within 1 ms of the
            // schedule (the driver hands chimes over a second ahead and the track takes the device's latency off).
            // The price: Pause or Next fades a prompt, and withdraws a chime, one period later. A device that refuses
            // the size gets its default config.
            .map(|builder| builder.with_buffer_size(rodio::cpal::BufferSize::Fixed(FRAMES_PER_PERIOD)))
            .map(|builder| builder.with_error_callback(on_error))
            .and_then(|builder| builder.open_sink_or_fallback())
            .map_err(|err| match err {
                DeviceSinkError::NoDevice | DeviceSinkError::DefaultSinkConfigError(_) if name.is_none() => {
                    OpenError::NoDevice
                }
                other => OpenError::Failed(describe(&other)),
            })?;
        sink.log_on_drop(false);
        let latency = buffer_latency(&sink);
        sink.mixer().add(track);
        Ok(OpenedDevice { stream: Box::new(sink), latency })
    }
}

/// rodio's error with its cause (cpal's words carry the useful part: "Device or resource busy").
fn describe(err: &DeviceSinkError) -> String {
    match std::error::Error::source(err) {
        Some(source) => format!("{err}: {source}"),
        None => err.to_string(),
    }
}

fn buffer_latency(sink: &MixerDeviceSink) -> Duration {
    match sink.config().buffer_size() {
        rodio::cpal::BufferSize::Fixed(frames) => {
            Duration::from_secs_f64(f64::from(*frames) / f64::from(sink.config().sample_rate().get()))
        }
        rodio::cpal::BufferSize::Default => Duration::ZERO,
    }
}
