//! Every chime of a set rendered once into memory, so playing one costs nothing at the moment it is due; and the
//! cache that renders each set once per process and keeps it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::synth::{ChimeSet, SAMPLE_RATE, render};
use crate::cues::ChimeKind;

#[derive(Debug, Clone)]
pub struct ChimeBank {
    set: ChimeSet,
    sounds: Vec<Arc<[f32]>>,
}

impl ChimeBank {
    /// Synthesizes every chime of `set`: a noticeable moment of work (keep it off the UI thread; see [`ChimeBanks`]).
    pub fn render(set: ChimeSet) -> Self {
        Self::from_sounds(set, |kind| render(kind, set))
    }

    /// A bank from ready-made sounds, one per [`ChimeKind`] (tests use short stand-ins).
    pub fn from_sounds(set: ChimeSet, mut sound: impl FnMut(ChimeKind) -> Arc<[f32]>) -> Self {
        Self { set, sounds: ChimeKind::ALL.iter().map(|kind| sound(*kind)).collect() }
    }

    pub fn set(&self) -> ChimeSet {
        self.set
    }

    pub fn samples(&self, kind: ChimeKind) -> Arc<[f32]> {
        let index = ChimeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.sounds[index].clone()
    }

    pub fn length(&self, kind: ChimeKind) -> Duration {
        Duration::from_secs_f64(self.samples(kind).len() as f64 / f64::from(SAMPLE_RATE))
    }
}

type Renderer = dyn Fn(ChimeSet) -> ChimeBank + Send + Sync;

const SETS: usize = ChimeSet::ALL.len();

/// Each chime set rendered at most once and kept: switching sets back and forth never renders again. The app and the
/// terminal share one cache per process ([`ChimeBanks::shared`]); tests make their own with a stand-in renderer.
pub struct ChimeBanks {
    banks: [OnceLock<Arc<ChimeBank>>; SETS],
    renders: [AtomicUsize; SETS],
    renderer: Box<Renderer>,
}

impl Default for ChimeBanks {
    fn default() -> Self {
        Self::with_renderer(ChimeBank::render)
    }
}

impl ChimeBanks {
    /// The process's cache, synthesizing the real chimes.
    pub fn shared() -> Arc<ChimeBanks> {
        static SHARED: OnceLock<Arc<ChimeBanks>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(ChimeBanks::default())).clone()
    }

    /// A cache that renders with `renderer` (a test hook: count, delay or stand in for the synthesizer).
    pub fn with_renderer(renderer: impl Fn(ChimeSet) -> ChimeBank + Send + Sync + 'static) -> Self {
        Self {
            banks: [const { OnceLock::new() }; SETS],
            renders: [const { AtomicUsize::new(0) }; SETS],
            renderer: Box::new(renderer),
        }
    }

    /// The set's bank if it has been rendered. Never waits.
    pub fn get(&self, set: ChimeSet) -> Option<Arc<ChimeBank>> {
        self.banks[index(set)].get().cloned()
    }

    /// The set's bank, rendering it first if nobody has; if another thread is rendering it, waits for that render
    /// instead of starting a second one. Blocks: not for the UI thread.
    pub fn get_or_render(&self, set: ChimeSet) -> Arc<ChimeBank> {
        self.banks[index(set)]
            .get_or_init(|| {
                self.renders[index(set)].fetch_add(1, Ordering::Relaxed);
                Arc::new((self.renderer)(set))
            })
            .clone()
    }

    /// How many times `set` has been rendered by this cache: 0 or 1.
    pub fn render_count(&self, set: ChimeSet) -> usize {
        self.renders[index(set)].load(Ordering::Relaxed)
    }
}

fn index(set: ChimeSet) -> usize {
    ChimeSet::ALL.iter().position(|s| *s == set).unwrap_or(0)
}
