//! `stillpoint screenshot`: arguments for rendering one screen to a PNG.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::app::{ScreenId, ScreenshotRequest, render_screenshot};
use crate::sequence::parse_duration;
use crate::store::ThemeChoice;

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// The sequence shown (id or path); the library screen ignores it.
    #[arg(long, default_value = "cross-hand-low-back")]
    pub sequence: String,
    /// Which screen: library, screening, session, aftercare, settings, history (the data folder's) or editor.
    #[arg(long, default_value = "session", value_parser = parse_screen)]
    pub screen: ScreenId,
    /// The step (1-based) of the session screen.
    #[arg(long, default_value_t = 1)]
    pub step: usize,
    /// Time into that step, e.g. "90s".
    #[arg(long, default_value = "0s", value_parser = parse_elapsed)]
    pub elapsed: Duration,
    /// Window size in pixels, e.g. 800x480.
    #[arg(long, default_value = "800x480", value_parser = parse_size)]
    pub size: (u32, u32),
    /// dim, light or contrast.
    #[arg(long, default_value = "dim", value_parser = parse_theme)]
    pub theme: ThemeChoice,
    /// en, de or es.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Where to write the PNG.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

fn parse_screen(text: &str) -> Result<ScreenId, String> {
    Ok(match text {
        "library" => ScreenId::Library,
        "screening" => ScreenId::Screening,
        "session" => ScreenId::Session,
        "aftercare" => ScreenId::Aftercare,
        "settings" => ScreenId::Settings,
        "history" => ScreenId::History,
        "editor" => ScreenId::Editor,
        _ => {
            return Err(format!(
                "{text:?} is not a screen (library, screening, session, aftercare, settings, history, editor)"
            ));
        }
    })
}

fn parse_elapsed(text: &str) -> Result<Duration, String> {
    parse_duration(text).map(|d| d.duration()).map_err(|_| format!("{text:?} is not a duration (e.g. \"90s\")"))
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(|| format!("{text:?} is not a size like 800x480"))?;
    let parse = |v: &str| v.trim().parse::<u32>().ok().filter(|v| (100..=4096).contains(v));
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("{text:?} is not a size between 100x100 and 4096x4096")),
    }
}

fn parse_theme(text: &str) -> Result<ThemeChoice, String> {
    ThemeChoice::from_code(text).ok_or_else(|| format!("{text:?} is not a theme (dim, light, contrast)"))
}

pub fn run(context: &super::Context, args: &ScreenshotArgs) -> ExitCode {
    let library = context.library();
    let sequence = match super::play::resolve_target(&library, &args.sequence) {
        Ok(sequence) => sequence,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let request = ScreenshotRequest {
        sequence,
        screen: args.screen,
        step: args.step,
        elapsed: args.elapsed,
        size: args.size,
        theme: args.theme,
        language: args.language.clone(),
        output: args.output.clone(),
        history: context.data_dir.as_ref().map(crate::store::read_history).unwrap_or_default(),
    };
    match render_screenshot(library, &request) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stillpoint: {message}");
            ExitCode::FAILURE
        }
    }
}
