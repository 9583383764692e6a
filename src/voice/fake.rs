//! A voice for tests: each word becomes a 250 ms tone (pitch by language) followed by 100 ms of silence, so the
//! length of a prompt is known exactly and a scheduling test can tell speech from chimes by ear-free arithmetic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::engine::{Lang, PromptVoice, VoiceError, VoiceOptions};
use crate::audio::SAMPLE_RATE;

/// Samples of one word's tone.
pub const FAKE_WORD: usize = SAMPLE_RATE as usize / 4;
/// Samples of silence after each word.
pub const FAKE_GAP: usize = SAMPLE_RATE as usize / 10;

/// The fake voice. Clones share their counters.
#[derive(Debug, Clone, Default)]
pub struct FakeVoice {
    renders: Arc<AtomicUsize>,
    said: Arc<Mutex<Vec<(String, Lang)>>>,
    /// How long each render takes (a slow machine).
    pub delay: Duration,
    /// Behave like a machine without the engine.
    pub unavailable: bool,
}

impl FakeVoice {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn unavailable() -> Self {
        Self { unavailable: true, ..Self::default() }
    }

    pub fn slow(delay: Duration) -> Self {
        Self { delay, ..Self::default() }
    }

    /// How many phrases have been rendered.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }

    /// Every phrase rendered, with its language, in order.
    pub fn said(&self) -> Vec<(String, Lang)> {
        self.said.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The tone frequency of `language`.
    pub fn pitch(language: Lang) -> f32 {
        match language {
            Lang::En => 200.0,
            Lang::De => 250.0,
            Lang::Es => 300.0,
        }
    }
}

impl PromptVoice for FakeVoice {
    fn render(&mut self, text: &str, language: Lang, _: &VoiceOptions) -> Result<Vec<f32>, VoiceError> {
        if self.unavailable {
            return Err(VoiceError::Unavailable("the fake engine is switched off".to_owned()));
        }
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        self.renders.fetch_add(1, Ordering::Relaxed);
        self.said.lock().unwrap_or_else(PoisonError::into_inner).push((text.to_owned(), language));
        let omega = std::f32::consts::TAU * Self::pitch(language) / SAMPLE_RATE as f32;
        let mut out = Vec::new();
        for _ in text.split_whitespace() {
            out.extend((0..FAKE_WORD).map(|n| (n as f32 * omega).sin() * 0.4));
            out.extend(std::iter::repeat_n(0.0, FAKE_GAP));
        }
        Ok(out)
    }

    fn describe(&self) -> String {
        "fake".to_owned()
    }
}
