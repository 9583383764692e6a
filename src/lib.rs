//! Stillpoint: a guided-session timer for myofascial release. The library holds everything but the entry point.

pub mod app;
pub mod audio;
pub mod cli;
pub mod clock;
pub mod cues;
pub mod display;
pub mod driver;
pub mod editor;
pub mod engine;
pub mod i18n;
pub mod platform;
pub mod sequence;
pub mod store;
pub mod voice;
