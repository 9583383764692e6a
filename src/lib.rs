//! Stillpoint: a guided-session timer for myofascial release. The library holds everything but the entry point.

pub mod app;
pub mod audio;
pub mod cli;
pub mod clock;
pub mod cues;
pub mod display;
pub mod driver;
pub mod engine;
pub mod i18n;
pub mod platform;
pub mod sequence;
pub mod store;

/// The aftercare card shown (and printed) after every session, one line each. Wording follows the MFR reference's
/// aftercare section; no claims beyond it (drinking water is for thirst, not "flushing" anything).
pub const AFTERCARE_LINES: [&str; 4] = [
    "Mild soreness for 24–48 hours is common.",
    "Take it easy today.",
    "Drink water if you're thirsty.",
    "Seek care for a hot, swollen calf, a fever, or a wound that won't settle.",
];
