//! Chime sound: synthesis (bell partials as rodio sources), a sample-accurate mixing track (chimes and spoken
//! prompts), and the output device.

mod bank;
mod device;
mod output;
mod synth;
mod track;
mod wav;

pub use bank::{ChimeBank, ChimeBanks};
pub use device::{
    DeviceOpener, LostSignal, OpenError, OpenedDevice, OutputDevice, SystemOutput, output_device_list, output_devices,
};
pub use output::{
    AudioStatus, CANNOT_OPEN, ChimeOutput, ChimePlayer, ChimeSettings, DEVICE_LOST, DEVICE_MISSING, LEAD, NO_DEVICE,
    NoChimes, OPENING, SilentChimes, SoundHandle,
};
pub use synth::{CEILING, ChimeSet, SAMPLE_RATE, Strike, chime_length, chime_source, render};
pub use track::{CueTrack, SPEECH_FADE, TrackHandle, soft_limit};
pub use wav::write_wav;
