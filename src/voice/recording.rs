//! The therapist's own voice: a prompt recorded from the microphone (rodio's `recording` feature) on a thread of its
//! own, kept as a 48 kHz mono 16-bit WAV file next to the user's sequence file and named by its step's `voice` field.
//! No microphone is a clean error, never a panic or a hang.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use rodio::Source;

use super::resample::resample;
use crate::audio::SAMPLE_RATE;

/// A take stops by itself after this long.
pub const MAX_RECORDING: Duration = Duration::from_secs(120);

/// Why nothing was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// No input device at all.
    NoMicrophone,
    /// There is one, but it would not open (busy, no permission, unsupported): the detail says.
    CannotOpen(String),
    /// The person has not allowed the app to record yet (a phone's runtime permission): the system has just asked.
    NotAllowed,
    /// The take is silent or empty.
    Empty,
    /// The file could not be written or removed.
    File(String),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::NoMicrophone => f.write_str("no microphone found"),
            RecordError::CannotOpen(detail) => write!(f, "the microphone could not be opened ({detail})"),
            RecordError::NotAllowed => f.write_str(
                "Stillpoint may not use the microphone yet: allow it when the phone asks (or in its settings: \
                     Apps › Stillpoint › Permissions), then press Record again",
            ),
            RecordError::Empty => f.write_str("nothing was recorded"),
            RecordError::File(detail) => write!(f, "the recording could not be saved ({detail})"),
        }
    }
}

impl std::error::Error for RecordError {}

/// Where a take is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingState {
    /// The microphone is being opened.
    Opening,
    Recording,
    /// The source ended, the limit was reached, or `stop` was called.
    Finished,
    Failed(RecordError),
}

struct Shared {
    stop: AtomicBool,
    state: Mutex<RecordingState>,
    /// Mono samples at `rate`.
    samples: Mutex<Vec<f32>>,
    rate: AtomicU32,
    /// Peak of the last 50 ms, as f32 bits: for a level meter.
    level: AtomicU32,
    frames: AtomicU64,
}

/// A take under way. Dropping it stops the microphone.
pub struct Recording {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Recording {
    /// Starts recording from the default microphone on a thread of its own; returns at once ([`RecordingState::
    /// Opening`] until the microphone answers).
    pub fn start() -> Recording {
        Recording::start_from(open_microphone)
    }

    /// Records from whatever `open` returns (tests pass a generated signal standing in for the microphone). `open`
    /// runs on the recording thread.
    pub fn start_from<S, F>(open: F) -> Recording
    where
        S: Source + 'static,
        F: FnOnce() -> Result<S, RecordError> + Send + 'static,
    {
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            state: Mutex::new(RecordingState::Opening),
            samples: Mutex::new(Vec::new()),
            rate: AtomicU32::new(SAMPLE_RATE),
            level: AtomicU32::new(0),
            frames: AtomicU64::new(0),
        });
        let worker = shared.clone();
        let thread = std::thread::Builder::new().name("stillpoint-record".into()).spawn(move || {
            let state = match open() {
                Ok(source) => capture(source, &worker),
                Err(err) => RecordingState::Failed(err),
            };
            *worker.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
        });
        match thread {
            Ok(thread) => Recording { shared, thread: Some(thread) },
            Err(err) => {
                *shared.state.lock().unwrap_or_else(PoisonError::into_inner) =
                    RecordingState::Failed(RecordError::CannotOpen(format!("no recording thread: {err}")));
                Recording { shared, thread: None }
            }
        }
    }

    pub fn state(&self) -> RecordingState {
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Waits until the microphone is open (or failed), at most `patience`; for the terminal.
    pub fn wait_started(&self, patience: Duration) -> Result<(), RecordError> {
        let give_up = std::time::Instant::now() + patience;
        loop {
            match self.state() {
                RecordingState::Opening if std::time::Instant::now() < give_up => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                RecordingState::Failed(err) => return Err(err),
                _ => return Ok(()),
            }
        }
    }

    /// How loud the last 50 ms were (peak, 0 to 1): for a level meter.
    pub fn level(&self) -> f32 {
        f32::from_bits(self.shared.level.load(Ordering::Relaxed))
    }

    /// How long the take is so far.
    pub fn elapsed(&self) -> Duration {
        let rate = u64::from(self.shared.rate.load(Ordering::Relaxed).max(1));
        Duration::from_micros(self.shared.frames.load(Ordering::Relaxed) * 1_000_000 / rate)
    }

    /// Stops and returns the take as mono samples at the track's rate.
    pub fn stop(mut self) -> Result<Vec<f32>, RecordError> {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let RecordingState::Failed(err) = self.state() {
            return Err(err);
        }
        let samples = std::mem::take(&mut *self.shared.samples.lock().unwrap_or_else(PoisonError::into_inner));
        if samples.iter().all(|s| s.abs() < 1e-4) {
            return Err(RecordError::Empty);
        }
        Ok(resample(&samples, self.shared.rate.load(Ordering::Relaxed), SAMPLE_RATE))
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

/// Opens the sound source a take records from, on the recording thread: the default microphone in the app, a
/// generated signal in tests.
pub type OpenMicrophone = fn() -> Result<Box<dyn Source>, RecordError>;

/// The system's default microphone.
pub fn default_microphone() -> Result<Box<dyn Source>, RecordError> {
    open_microphone().map(|microphone| Box::new(microphone) as Box<dyn Source>)
}

/// A file name in `dir` for a new take of a step, never one that exists: a take made again gets a name of its own,
/// so the take a saved sequence names stays as it was until the new one is saved.
pub fn new_take_name(dir: &Path, sequence_id: &str, step_index: usize) -> String {
    let first = recording_file_name(if sequence_id.is_empty() { "prompt" } else { sequence_id }, step_index);
    let stem = first.trim_end_matches(".wav").to_owned();
    let mut name = first;
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{stem}-{n}.wav");
    }
    name
}

fn open_microphone() -> Result<rodio::microphone::Microphone, RecordError> {
    use rodio::microphone::{MicrophoneBuilder, available_inputs};
    let builder = MicrophoneBuilder::new().default_device().map_err(|err| {
        if available_inputs().is_ok_and(|inputs| inputs.is_empty()) {
            RecordError::NoMicrophone
        } else {
            RecordError::CannotOpen(detail(&err))
        }
    })?;
    let builder = builder.default_config().map_err(|err| RecordError::CannotOpen(detail(&err)))?;
    builder.open_stream().map_err(|err| RecordError::CannotOpen(detail(&err)))
}

/// An error with its causes, for the user ("…: device not available").
fn detail(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Pulls the source into the buffer, mixed to mono, until it ends, `stop` is asked or the limit is reached.
fn capture<S: Source>(mut source: S, shared: &Shared) -> RecordingState {
    let channels = usize::from(source.channels().get());
    let rate = source.sample_rate().get();
    shared.rate.store(rate, Ordering::Relaxed);
    *shared.state.lock().unwrap_or_else(PoisonError::into_inner) = RecordingState::Recording;
    let limit = MAX_RECORDING.as_secs() * u64::from(rate);
    let chunk = (rate as usize / 20).max(1);
    let mut block = Vec::with_capacity(chunk);
    loop {
        block.clear();
        let mut ended = false;
        while block.len() < chunk && !shared.stop.load(Ordering::Relaxed) {
            let (mut sum, mut got) = (0.0, 0);
            for sample in source.by_ref().take(channels) {
                sum += sample;
                got += 1;
            }
            if got < channels {
                ended = true;
                break;
            }
            block.push(sum / channels as f32);
        }
        let peak = block.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        shared.level.store(peak.to_bits(), Ordering::Relaxed);
        let frames = shared.frames.fetch_add(block.len() as u64, Ordering::Relaxed) + block.len() as u64;
        shared.samples.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(&block);
        if ended || shared.stop.load(Ordering::Relaxed) || frames >= limit {
            return RecordingState::Finished;
        }
    }
}

/// The file name a step's recording gets: `<sequence id>.step-<n>.wav`, `n` counting the file's steps from 1.
pub fn recording_file_name(sequence_id: &str, step_index: usize) -> String {
    format!("{sequence_id}.step-{}.wav", step_index + 1)
}

/// Writes `samples` (mono, the track's rate) as a 16-bit WAV file at `path`, through a temporary file so a crash
/// never leaves half a recording. Returns the path.
pub fn write_recording(samples: &[f32], path: &Path) -> Result<PathBuf, RecordError> {
    let fail = |err: &dyn fmt::Display| RecordError::File(format!("{}: {err}", path.display()));
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut bytes, spec).map_err(|e| fail(&e))?;
        for sample in samples {
            let value = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            writer.write_sample(value).map_err(|e| fail(&e))?;
        }
        writer.finalize().map_err(|e| fail(&e))?;
    }
    crate::store::write_atomically(path, bytes.get_ref()).map_err(|e| fail(&e))?;
    Ok(path.to_owned())
}

/// Removes a step's recording: the file named `file_name` next to `sequence_file`. A file already gone is fine.
pub fn delete_recording(sequence_file: &Path, file_name: &str) -> Result<(), RecordError> {
    let path = sequence_file.parent().unwrap_or(Path::new(".")).join(file_name);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(RecordError::File(format!("{}: {err}", path.display()))),
    }
}
