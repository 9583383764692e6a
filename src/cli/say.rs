//! `stillpoint say`: a step's prompt, recorded or synthesized, rendered as the session would speak it, written to a
//! WAV file or played.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use super::Context;
use crate::audio::{AudioStatus, ChimePlayer, write_wav};
use crate::clock::SystemClock;
use crate::cues::SpeechMoment;
use crate::voice::{
    Lang, PromptSource, PromptState, SessionVoice, VoiceError, VoicePrompts, VoiceSettings, duration_of,
};

#[derive(Debug, Args)]
pub struct SayArgs {
    /// A sequence id from the library, or the path of a sequence file.
    #[arg(value_name = "ID|PATH")]
    pub target: String,
    /// The step, as `play` numbers them (1-based, sides and repeats counted).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub step: usize,
    /// Which prompt: at the step's start, at an open-ended hold's minimum, or the countdown in the warning window.
    #[arg(long, value_enum, default_value_t = Moment::Start)]
    pub moment: Moment,
    /// en, de or es (default: the app's language).
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    pub language: Option<Lang>,
    /// Write the prompt as a 48 kHz mono WAV file instead of playing it.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// An eSpeak voice variant (f3, m3, klatt...).
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    /// Words per minute (80 to 450).
    #[arg(long, value_name = "WPM", value_parser = clap::value_parser!(u16).range(80..=450))]
    pub rate: Option<u16>,
    /// The whole prompt, not shortened to fit before the step's next chime.
    #[arg(long)]
    pub full: bool,
    /// Synthesize even if the step has a recorded prompt.
    #[arg(long)]
    pub synthesized: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Moment {
    Start,
    Minimum,
    Countdown,
}

pub fn parse_language(text: &str) -> Result<Lang, String> {
    Lang::from_code(text).ok_or_else(|| format!("{text:?} is not a prompt language (en, de or es)"))
}

pub fn run(context: &Context, args: &SayArgs) -> ExitCode {
    let library = context.library();
    let sequence = match super::play::resolve_target(&library, &args.target) {
        Ok(sequence) => sequence,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let saved = context.store().load_settings();
    let language = args.language.unwrap_or_else(|| Lang::of_app(saved.language));
    // The saved voice, rate and balance; a prompt asked for by name is spoken even when voice is off in the window.
    let mut settings = VoiceSettings { enabled: true, ..saved.voice.clone() };
    settings.voice = args.voice.clone().or(settings.voice);
    settings.rate_wpm = args.rate.unwrap_or(settings.rate_wpm);
    settings.recordings = !args.synthesized;
    let moment = match args.moment {
        Moment::Start => SpeechMoment::StepStart,
        Moment::Minimum => SpeechMoment::Minimum,
        Moment::Countdown => {
            settings.parts.countdown = true;
            SpeechMoment::Countdown
        }
    };
    let plan = std::sync::Arc::new(sequence.plan_in(&saved.cue_defaults(), language.code()));
    let Some(index) = args.step.checked_sub(1).filter(|i| *i < plan.len()) else {
        eprintln!("{} has steps 1 to {}; there is no step {}", sequence.id(), plan.len(), args.step);
        return ExitCode::FAILURE;
    };
    let prompts = VoicePrompts::start();
    let mut voice = SessionVoice::new(prompts.clone(), settings, language);
    voice.attach(plan);
    let Some(mut request) = voice.request(index, moment) else {
        eprintln!("step {} says nothing at that moment (or has no time to)", args.step);
        return ExitCode::FAILURE;
    };
    if args.full {
        request.fit = None;
    }
    let mut out = std::io::stdout().lock();
    match &request.source {
        PromptSource::Script(script) => {
            let _ = writeln!(out, "{}", script.text());
        }
        PromptSource::Recording { path, .. } => {
            let _ = writeln!(out, "(recording) {}", path.display());
        }
    }
    let loading = Instant::now();
    prompts.wait_until_loaded(Duration::from_secs(10));
    let loaded = loading.elapsed();
    let started = Instant::now();
    let state = prompts.render_blocking(&request, Duration::from_secs(20));
    let took = started.elapsed();
    let samples = match state {
        PromptState::Ready(samples) => samples,
        PromptState::Failed(VoiceError::Unavailable(reason)) => {
            eprintln!(
                "stillpoint: {} ({reason}); install libespeak-ng1 and espeak-ng-data",
                crate::voice::VOICE_UNAVAILABLE
            );
            return ExitCode::FAILURE;
        }
        PromptState::Failed(err) => {
            eprintln!("stillpoint: {err}");
            return ExitCode::FAILURE;
        }
        PromptState::Silent => {
            eprintln!("not one word of the prompt fits in the time before the step's next chime (--full says it all)");
            return ExitCode::FAILURE;
        }
        PromptState::Pending | PromptState::Unknown => {
            eprintln!("stillpoint: the voice did not answer in time");
            return ExitCode::FAILURE;
        }
    };
    let length = duration_of(samples.len());
    eprintln!(
        "{:.2} s of speech, rendered in {:.1} ms (engine loaded in {:.1} ms)",
        length.as_secs_f64(),
        took.as_secs_f64() * 1000.0,
        loaded.as_secs_f64() * 1000.0
    );
    if let Some(path) = &args.write {
        if let Err(err) = write_wav(path, &samples) {
            eprintln!("{}: cannot write: {err}", path.display());
            return ExitCode::FAILURE;
        }
        let _ = writeln!(out, "{}", path.display());
        return ExitCode::SUCCESS;
    }
    let mut player = ChimePlayer::new(SystemClock::new(), saved.chimes());
    player.set_device(context.audio_device.clone().or_else(|| saved.audio_device.clone()));
    player.open();
    player.settle();
    if let AudioStatus::Unavailable(reason) = player.status() {
        eprintln!("cannot play the prompt: {reason} (--write FILE writes it instead)");
        return ExitCode::FAILURE;
    }
    player.sounds().play_now(samples);
    std::thread::sleep(length + Duration::from_millis(300));
    ExitCode::SUCCESS
}
