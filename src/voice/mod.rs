//! Spoken prompts: what Stillpoint says at each step, rendered in process to samples and mixed into the chime track
//! on exact samples; and the therapist's own recorded prompts.
//!
//! - `engine.rs`: the [`PromptVoice`] trait (text in a language to 48 kHz mono samples) and its errors.
//! - `espeak.rs`: eSpeak NG loaded at run time (the only `unsafe` here). No library or data: the voice is
//!   unavailable, said once ([`VoiceStatus::Unavailable`]), chimes carry on.
//! - `fake.rs`: a voice for tests, with exactly known lengths.
//! - `resample.rs`: 22 050 Hz (eSpeak) or a microphone's rate to the track's 48 000 Hz.
//! - `phrases.rs`: every spoken word in English, German and Spanish, one table per language. Spoken wording is kept
//!   in Rust, not in the `.slint` files: it is audio rendered on a worker thread, not screen text.
//! - `script.rs`: what is said for a step (side, title, area, pressure, direction; `say` replaces it), at an
//!   open-ended hold's minimum and in the warning window; phrases ranked so a prompt can be shortened sensibly.
//! - `render.rs`: a script or a recording to samples: trimmed, joined, shortened to fit (whole phrases, then whole
//!   words; recordings only at a pause), evened in level, faded so nothing clicks.
//! - `prompts.rs`: the voice worker thread and its cache ([`VoicePrompts`]); nothing on the UI thread waits.
//! - `session.rs`: one session's prompts for the driver ([`SessionVoice`], the planner's `SpeechBook`).
//! - `settings.rs`: the user's choices ([`VoiceSettings`], embedded in the app's settings).
//! - `recording.rs`: recording a prompt from the microphone (rodio's `recording` feature) to a WAV file.
//! - `bundle.rs`: a sequence with its recordings exported to, and imported from, one folder.
//!
//! Other apps' music: Stillpoint plays on its own stream and cannot lower other apps' volume on Linux (no ducking);
//! the sound server mixes them. The "chimes louder than voice" balance keeps the voice under the chimes.

mod bundle;
mod engine;
mod espeak;
mod fake;
mod phrases;
mod prompts;
mod recording;
mod render;
mod resample;
mod script;
mod session;
mod settings;

pub use bundle::{BundleError, export_bundle, import_bundle};
pub use engine::{Lang, PromptVoice, VoiceError, VoiceOptions};
pub use espeak::Espeak;
pub use fake::{FAKE_GAP, FAKE_WORD, FakeVoice};
pub use phrases::{Phrases, phrases};
pub use prompts::{PromptKey, PromptRequest, PromptSource, PromptState, VoicePrompts, VoiceStatus};
pub use recording::{
    MAX_RECORDING, OpenMicrophone, RecordError, Recording, RecordingState, default_microphone, delete_recording,
    new_take_name, recording_file_name, write_recording,
};
pub use render::{
    PEAK_CEILING, TARGET_RMS, decode_wav, duration_of, render_recording, render_script, samples_for, shorten_at_pause,
    trim, voiced_rms, wav_is_complete,
};
pub use resample::resample;
pub use script::{Languages, PHRASE_GAP, Phrase, Script, countdown_script, minimum_script, step_script};
pub use session::{SPEECH_MARGIN, SessionVoice, speech_window};
pub use settings::{Balance, RATES_WPM, VOICE_VARIANTS, VoiceParts, VoiceSettings};

/// What the app says, once, when no speech engine is there ("sound unavailable" for the voice).
pub const VOICE_UNAVAILABLE: &str = "voice unavailable";
