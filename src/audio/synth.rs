//! Synthesized bell sounds: a rodio `Source` for one struck bell, and the motif each chime kind is built from.

use std::f64::consts::TAU;
use std::num::NonZero;
use std::sync::Arc;
use std::time::Duration;

use rodio::Source;

use crate::cues::ChimeKind;

/// Every chime is rendered at this rate; the output mixer converts if the device runs at another.
pub const SAMPLE_RATE: u32 = 48_000;
/// Loudest sample any chime may reach after mixing: −1 dBFS.
pub const CEILING: f32 = 0.891;

/// The two chime sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChimeSet {
    /// Warm and low, for quiet rooms.
    #[default]
    Bowl,
    /// Clear and higher, for rooms with music or a fan.
    Bright,
}

impl ChimeSet {
    pub const ALL: [ChimeSet; 2] = [ChimeSet::Bowl, ChimeSet::Bright];

    pub const fn name(self) -> &'static str {
        match self {
            ChimeSet::Bowl => "bowl",
            ChimeSet::Bright => "bright",
        }
    }

    pub fn from_name(name: &str) -> Option<ChimeSet> {
        ChimeSet::ALL.into_iter().find(|set| set.name() == name)
    }
}

/// One overtone of a bell: frequency as a ratio of the fundamental, relative loudness, and how fast it dies away.
#[derive(Debug, Clone, Copy)]
struct Partial {
    ratio: f64,
    gain: f64,
    /// Time for the partial to fall to 1/e, in seconds.
    decay: f64,
}

/// Singing-bowl-like: few, strongly inharmonic partials and a long hum.
const BOWL: [Partial; 4] = [
    Partial { ratio: 1.0, gain: 1.0, decay: 2.4 },
    Partial { ratio: 2.71, gain: 0.45, decay: 1.3 },
    Partial { ratio: 5.05, gain: 0.2, decay: 0.6 },
    Partial { ratio: 8.1, gain: 0.08, decay: 0.3 },
];

/// Hand-bell-like: brighter upper partials, shorter ring, cuts through background noise.
const BRIGHT: [Partial; 5] = [
    Partial { ratio: 1.0, gain: 1.0, decay: 1.1 },
    Partial { ratio: 2.0, gain: 0.55, decay: 0.8 },
    Partial { ratio: 2.76, gain: 0.5, decay: 0.55 },
    Partial { ratio: 4.07, gain: 0.3, decay: 0.35 },
    Partial { ratio: 5.4, gain: 0.18, decay: 0.22 },
];

/// Attack ramp: long enough that no chime starts with a click, short enough to feel struck.
const ATTACK: Duration = Duration::from_millis(6);
/// Each strike fades out over the last quarter of its length (at most this long), so the hum of a bowl dies away
/// instead of being cut off.
const RELEASE: Duration = Duration::from_millis(1500);

/// A single struck bell as a rodio `Source`: decaying partials under a raised-cosine attack.
#[derive(Debug, Clone)]
pub struct Strike {
    partials: Vec<Partial>,
    fundamental: f64,
    decay_scale: f64,
    gain: f64,
    index: u64,
    length: u64,
}

impl Strike {
    fn new(set: ChimeSet, fundamental: f64, gain: f64, decay_scale: f64, length: Duration) -> Self {
        let partials = match set {
            ChimeSet::Bowl => BOWL.to_vec(),
            ChimeSet::Bright => BRIGHT.to_vec(),
        };
        Self {
            partials,
            fundamental,
            decay_scale,
            gain,
            index: 0,
            length: (length.as_secs_f64() * f64::from(SAMPLE_RATE)) as u64,
        }
    }

    /// A short, dry tick for the metronome: one partial, 20 ms ring.
    fn tick(frequency: f64, gain: f64) -> Self {
        Self {
            partials: vec![Partial { ratio: 1.0, gain: 1.0, decay: 0.02 }],
            fundamental: frequency,
            decay_scale: 1.0,
            gain,
            index: 0,
            length: u64::from(SAMPLE_RATE) / 10,
        }
    }
}

impl Iterator for Strike {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.index >= self.length {
            return None;
        }
        let rate = f64::from(SAMPLE_RATE);
        let t = self.index as f64 / rate;
        let attack = ATTACK.as_secs_f64();
        let envelope = if t < attack { 0.5 - 0.5 * (std::f64::consts::PI * t / attack).cos() } else { 1.0 };
        let left = (self.length - self.index) as f64 / rate;
        let release_time = RELEASE.as_secs_f64().min(self.length as f64 / rate / 4.0);
        // Raised cosine: smooth at both ends of the fade.
        let release =
            if left >= release_time { 1.0 } else { 0.5 - 0.5 * (std::f64::consts::PI * left / release_time).cos() };
        let sum: f64 = self
            .partials
            .iter()
            .map(|p| p.gain * (-t / (p.decay * self.decay_scale)).exp() * (TAU * self.fundamental * p.ratio * t).sin())
            .sum();
        self.index += 1;
        Some((sum * envelope * release * self.gain) as f32)
    }
}

impl Source for Strike {
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
        Some(Duration::from_secs_f64(self.length as f64 / f64::from(SAMPLE_RATE)))
    }
}

/// Note frequencies used by the motifs (equal temperament, A4 = 440 Hz).
mod note {
    pub const G3: f64 = 196.00;
    pub const C4: f64 = 261.63;
    pub const D4: f64 = 293.66;
    pub const E4: f64 = 329.63;
    pub const G4: f64 = 392.00;
    pub const A4: f64 = 440.00;
    pub const C5: f64 = 523.25;
    pub const E5: f64 = 659.26;
    pub const C6: f64 = 1046.50;
}

/// One strike in a motif: when, which note, how loud, how long it rings (as a factor on the set's decays).
struct Hit(f64, f64, f64, f64);

/// The motif of a chime kind: its strikes, total length and peak level. Distinct by rhythm and pitch, so each can be
/// told apart without looking.
fn motif(kind: ChimeKind) -> (&'static [Hit], f64, f32) {
    use note::*;
    match kind {
        ChimeKind::StepStart => (&[Hit(0.0, D4, 1.0, 1.0)], 2.5, -6.0),
        ChimeKind::Halfway => (&[Hit(0.0, A4, 1.0, 0.8)], 2.0, -9.0),
        ChimeKind::Warning => (&[Hit(0.0, E5, 1.0, 0.25), Hit(0.3, E5, 0.9, 0.25), Hit(0.6, E5, 0.8, 0.35)], 1.6, -8.0),
        ChimeKind::Offset => (&[Hit(0.0, G4, 0.8, 0.6), Hit(0.35, C5, 1.0, 0.8)], 2.2, -9.0),
        ChimeKind::CheckIn => (&[Hit(0.0, C6, 1.0, 0.35)], 1.0, -18.0),
        ChimeKind::MinimumReached => (&[Hit(0.0, C5, 1.0, 0.7), Hit(0.45, G4, 0.9, 1.0)], 2.6, -7.0),
        ChimeKind::SideSwitch => {
            (&[Hit(0.0, D4, 1.0, 0.25), Hit(0.3, A4, 1.0, 0.25), Hit(0.6, D4, 1.0, 0.6)], 2.2, -6.0)
        }
        ChimeKind::StepEnd => (&[Hit(0.0, G3, 1.0, 1.2), Hit(0.0, D4, 0.7, 1.0)], 3.0, -6.0),
        ChimeKind::SessionEnd => (&[Hit(0.0, E4, 1.0, 1.6), Hit(0.6, C4, 1.0, 1.8), Hit(1.2, G3, 1.0, 2.2)], 6.5, -6.0),
        ChimeKind::RhythmTick => (&[], 0.1, -14.0),
    }
}

/// How long a chime of `kind` lasts (the same in every set).
pub fn chime_length(kind: ChimeKind) -> Duration {
    Duration::from_secs_f64(motif(kind).1)
}

/// The bright set plays the same motifs an octave higher, with shorter rings.
fn transpose(set: ChimeSet, frequency: f64) -> f64 {
    match set {
        ChimeSet::Bowl => frequency,
        ChimeSet::Bright => frequency * 2.0,
    }
}

/// Builds the chime as a rodio source graph (strikes delayed and mixed).
pub fn chime_source(kind: ChimeKind, set: ChimeSet) -> Box<dyn Source<Item = f32> + Send> {
    let (hits, length, _) = motif(kind);
    if kind == ChimeKind::RhythmTick {
        let frequency = match set {
            ChimeSet::Bowl => 1200.0,
            ChimeSet::Bright => 2000.0,
        };
        return Box::new(Strike::tick(frequency, 1.0));
    }
    let mut source: Option<Box<dyn Source<Item = f32> + Send>> = None;
    for Hit(at, frequency, gain, ring) in hits {
        let strike = Strike::new(set, transpose(set, *frequency), *gain, *ring, Duration::from_secs_f64(length - at))
            .delay(Duration::from_secs_f64(*at));
        source = Some(match source {
            None => Box::new(strike),
            Some(earlier) => Box::new(earlier.mix(strike)),
        });
    }
    source.unwrap_or_else(|| Box::new(rodio::source::Zero::new(NonZero::<u16>::MIN, NonZero::<u32>::MIN)))
}

/// Renders a chime to mono samples at [`SAMPLE_RATE`], normalised to its motif's peak level.
pub fn render(kind: ChimeKind, set: ChimeSet) -> Arc<[f32]> {
    let (_, _, peak_db) = motif(kind);
    let mut samples: Vec<f32> = chime_source(kind, set).collect();
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if peak > 0.0 {
        let target = 10f32.powf(peak_db / 20.0);
        samples.iter_mut().for_each(|s| *s *= target / peak);
    }
    samples.into()
}
