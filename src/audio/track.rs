//! The one endless source the output device plays: it mixes scheduled chimes and spoken prompts at exact sample
//! positions, so they land on time however the device groups its buffers, and the stream never goes quiet enough
//! for an amplifier to fall asleep.

use std::num::NonZero;
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rodio::Source;

use super::synth::{CEILING, SAMPLE_RATE};

/// Mixed samples above this are eased toward the ceiling instead of clipping.
const KNEE: f32 = 0.7;
/// How often (in samples) the track notes the time, to map clock time to sample positions: every 5 ms.
const OBSERVE_EVERY: u64 = 240;
/// How many observations the mapping keeps: half a second, several device buffers, short enough that the burst a
/// device pulls to fill its buffer when it starts is forgotten soon after.
const OBSERVATIONS: usize = 100;
/// The span of audio the clock mapping looks back over, in samples.
pub const MAPPING_WINDOW_SAMPLES: u64 = OBSERVATIONS as u64 * OBSERVE_EVERY;
/// A chime this late is dropped rather than played: the engine's stale-cue rule.
const STALE_AFTER: Duration = crate::engine::STALE_CUE_AFTER;
const UNKNOWN: i64 = i64::MIN;
/// A prompt stopped mid-word fades out over this many samples (20 ms): quick, and without a click.
pub const SPEECH_FADE: usize = SAMPLE_RATE as usize / 50;

/// A chime waiting for, or in the middle of, playback.
struct Voice {
    samples: Arc<[f32]>,
    /// Track sample at which it starts; `None` until the track can map clock time to samples (see `at`).
    start: Option<u64>,
    /// The clock reading it is due at: placed by the track once it knows the mapping, when it was handed over before
    /// the device pulled anything (a device opened just now).
    at: Duration,
    played: usize,
    /// Chimes scheduled before a cancellation with a higher number are dropped if they have not started.
    batch: u64,
    /// For speech: the stop count when it was scheduled (see `TrackHandle::stop_speech`); `None` for a chime.
    speech: Option<u64>,
    /// Samples left of the fade-out of a prompt being stopped.
    fading: Option<usize>,
}

struct Shared {
    incoming: Mutex<Vec<Voice>>,
    /// Nanoseconds of clock time at which sample 0 was pulled, as best estimated (see `CueTrack::observe`).
    origin_nanos: AtomicI64,
    gain_bits: AtomicU32,
    /// Samples pulled by the device so far.
    pulled: AtomicU64,
    /// Raised by `cancel_unstarted`: chimes of earlier batches that have not started are dropped.
    batch: AtomicU64,
    /// Raised by `stop_speech`: prompts scheduled before are faded out, or dropped if they have not started.
    speech_stops: AtomicU64,
}

/// The scheduling side of a track: hand it chimes and a gain from any thread.
#[derive(Clone)]
pub struct TrackHandle {
    shared: Arc<Shared>,
}

impl TrackHandle {
    /// Schedules `samples` to start when the clock reads `at`. Handed over before the device has pulled anything, a
    /// chime is placed by the track's first reading of the clock, when the device starts pulling.
    pub fn schedule(&self, samples: Arc<[f32]>, at: Duration) {
        self.push(samples, at, None);
    }

    /// Schedules a spoken prompt like a chime; unlike a chime, [`TrackHandle::stop_speech`] can stop it mid-way.
    pub fn schedule_speech(&self, samples: Arc<[f32]>, at: Duration) {
        self.push(samples, at, Some(self.shared.speech_stops.load(Ordering::Acquire)));
    }

    fn push(&self, samples: Arc<[f32]>, at: Duration, speech: Option<u64>) {
        let origin = self.shared.origin_nanos.load(Ordering::Acquire);
        let start = (origin != UNKNOWN).then(|| sample_at(origin, at));
        let batch = self.shared.batch.load(Ordering::Acquire);
        if let Ok(mut incoming) = self.shared.incoming.lock() {
            incoming.push(Voice { samples, start, at, played: 0, batch, speech, fading: None });
        }
    }

    /// Fades out (over [`SPEECH_FADE`]) the prompt speaking now and drops prompts not yet started: the user paused
    /// or left the step. Chimes are not touched.
    pub fn stop_speech(&self) {
        self.shared.speech_stops.fetch_add(1, Ordering::AcqRel);
    }

    /// Drops every scheduled chime that has not started sounding: the schedule changed (pause, next, extend...).
    /// Chimes already ringing finish naturally.
    pub fn cancel_unstarted(&self) {
        self.shared.batch.fetch_add(1, Ordering::AcqRel);
    }

    /// The clock reading at which sample 0 counts as pulled, once the device has pulled enough to tell; it moves
    /// when the device changes how far ahead it pulls.
    /// In nanoseconds, and negative when the device pulled ahead of the clock's own origin.
    pub fn clock_mapping(&self) -> Option<i64> {
        let origin = self.shared.origin_nanos.load(Ordering::Acquire);
        (origin != UNKNOWN).then_some(origin)
    }

    /// How many samples the device has pulled (updated every few milliseconds).
    pub fn pulled(&self) -> u64 {
        self.shared.pulled.load(Ordering::Relaxed)
    }

    /// Output gain, 0 (silent) to 1.
    pub fn set_gain(&self, gain: f32) {
        self.shared.gain_bits.store(gain.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }
}

/// The endless mono source. `now` reads the same monotonic clock the scheduler uses.
pub struct CueTrack {
    shared: Arc<Shared>,
    voices: Vec<Voice>,
    position: u64,
    now: Box<dyn FnMut() -> Duration + Send>,
    observations: Vec<i64>,
    next_observation: usize,
}

impl CueTrack {
    pub fn new(now: impl FnMut() -> Duration + Send + 'static) -> (CueTrack, TrackHandle) {
        let shared = Arc::new(Shared {
            incoming: Mutex::new(Vec::new()),
            origin_nanos: AtomicI64::new(UNKNOWN),
            gain_bits: AtomicU32::new(1.0f32.to_bits()),
            pulled: AtomicU64::new(0),
            batch: AtomicU64::new(0),
            speech_stops: AtomicU64::new(0),
        });
        let track = CueTrack {
            shared: shared.clone(),
            voices: Vec::with_capacity(8),
            position: 0,
            now: Box::new(now),
            observations: Vec::with_capacity(OBSERVATIONS),
            next_observation: 0,
        };
        (track, TrackHandle { shared })
    }

    /// Notes the clock against the sample position. The device pulls samples in bursts ahead of playback, so a single
    /// reading is off by up to a buffer; the earliest reading relative to its position over the last half second
    /// marks the bursts consistently, which is all relative timing needs, and follows any slow drift between the
    /// audio clock and the system clock.
    fn observe(&mut self) {
        let now = i64::try_from((self.now)().as_nanos()).unwrap_or(i64::MAX);
        let played = i64::try_from(u128::from(self.position) * 1_000_000_000 / u128::from(SAMPLE_RATE)).unwrap_or(0);
        let reading = now - played;
        if self.observations.len() < OBSERVATIONS {
            self.observations.push(reading);
        } else {
            self.observations[self.next_observation] = reading;
            self.next_observation = (self.next_observation + 1) % OBSERVATIONS;
        }
        let origin = self.observations.iter().copied().min().unwrap_or(reading);
        self.shared.origin_nanos.store(origin, Ordering::Release);
        self.shared.pulled.store(self.position, Ordering::Relaxed);
    }

    fn take_incoming(&mut self) {
        // Never wait for the scheduler in the audio thread: if it holds the lock, pick the chimes up next time.
        let Ok(mut incoming) = self.shared.incoming.try_lock() else { return };
        let stale = u64::try_from(STALE_AFTER.as_nanos() * u128::from(SAMPLE_RATE) / 1_000_000_000).unwrap_or(0);
        let batch = self.shared.batch.load(Ordering::Relaxed);
        // `observe` has just run: the mapping is known.
        let origin = self.shared.origin_nanos.load(Ordering::Relaxed);
        for mut voice in incoming.drain(..) {
            if voice.batch != batch {
                continue;
            }
            let start = voice.start.unwrap_or_else(|| sample_at(origin, voice.at));
            if start + stale < self.position {
                continue;
            }
            voice.start = Some(start.max(self.position));
            self.voices.push(voice);
        }
    }

    /// Fades out the prompts scheduled before the last `stop_speech` that have started, and drops the others.
    fn stop_speech_if_asked(&mut self) {
        let stops = self.shared.speech_stops.load(Ordering::Relaxed);
        let position = self.position;
        self.voices.retain_mut(|voice| match voice.speech {
            Some(scheduled) if scheduled < stops => {
                if voice.start.is_some_and(|start| start > position) {
                    return false;
                }
                voice.fading.get_or_insert(SPEECH_FADE);
                true
            }
            _ => true,
        });
    }
}

/// The track sample heard when the clock reads `at`, given the clock reading of sample 0.
fn sample_at(origin: i64, at: Duration) -> u64 {
    let offset = i128::try_from(at.as_nanos()).unwrap_or(i128::MAX) - i128::from(origin);
    u64::try_from(offset.max(0) * i128::from(SAMPLE_RATE) / 1_000_000_000).unwrap_or(u64::MAX)
}

/// Identity up to the knee, then a smooth curve that never reaches the ceiling, however many chimes overlap.
pub fn soft_limit(sample: f32) -> f32 {
    let magnitude = sample.abs();
    if magnitude <= KNEE {
        return sample;
    }
    // tanh rounds to exactly 1.0 in f32 for large inputs: aim a hair under the ceiling so it is never touched.
    let room = CEILING - 0.001 - KNEE;
    sample.signum() * (KNEE + room * ((magnitude - KNEE) / room).tanh())
}

impl Iterator for CueTrack {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.position.is_multiple_of(OBSERVE_EVERY) {
            self.observe();
            self.take_incoming();
            self.stop_speech_if_asked();
        }
        let position = self.position;
        let batch = self.shared.batch.load(Ordering::Relaxed);
        let mut sum = 0.0f32;
        self.voices.retain_mut(|voice| {
            if voice.start.is_some_and(|start| start > position) {
                return voice.batch == batch;
            }
            let Some(sample) = voice.samples.get(voice.played) else { return false };
            let gain = match &mut voice.fading {
                Some(0) => return false,
                Some(left) => {
                    *left -= 1;
                    *left as f32 / SPEECH_FADE as f32
                }
                None => 1.0,
            };
            sum += sample * gain;
            voice.played += 1;
            true
        });
        self.position += 1;
        let gain = f32::from_bits(self.shared.gain_bits.load(Ordering::Relaxed));
        Some(soft_limit(sum) * gain)
    }
}

impl Source for CueTrack {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> NonZero<u16> {
        NonZero::<u16>::MIN
    }

    fn sample_rate(&self) -> NonZero<u32> {
        NonZero::new(SAMPLE_RATE).unwrap_or(NonZero::<u32>::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}
