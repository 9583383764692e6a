//! Every chime of a set rendered once into memory, so playing one costs nothing at the moment it is due.

use std::sync::Arc;
use std::time::Duration;

use super::synth::{ChimeSet, SAMPLE_RATE, render};
use crate::cues::ChimeKind;

#[derive(Debug, Clone)]
pub struct ChimeBank {
    set: ChimeSet,
    sounds: Vec<Arc<[f32]>>,
}

impl ChimeBank {
    pub fn render(set: ChimeSet) -> Self {
        Self { set, sounds: ChimeKind::ALL.iter().map(|kind| render(*kind, set)).collect() }
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
