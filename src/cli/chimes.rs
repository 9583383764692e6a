//! `stillpoint chimes`: write every chime as a WAV file, or play them in turn with their names.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::audio::{AudioStatus, ChimeBank, ChimePlayer, ChimeSet, ChimeSettings, LEAD, write_wav};
use crate::clock::SystemClock;
use crate::cues::ChimeKind;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("action").required(true).args(["write", "play"]))]
pub struct ChimesArgs {
    /// Write each chime as a 48 kHz mono WAV file into DIR (`<set>-<chime>.wav`).
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
    /// Play each chime in turn, printing its name.
    #[arg(long)]
    pub play: bool,
    /// Which set: bowl (warm, low) or bright (clear). Writing without --set writes both.
    #[arg(long, value_parser = parse_set)]
    pub set: Option<ChimeSet>,
}

fn parse_set(text: &str) -> Result<ChimeSet, String> {
    ChimeSet::from_name(text).ok_or_else(|| format!("{text:?} is not a chime set (bowl or bright)"))
}

pub fn run(args: &ChimesArgs) -> ExitCode {
    if let Some(dir) = &args.write {
        if let Err(err) = std::fs::create_dir_all(dir) {
            eprintln!("{}: cannot create folder: {err}", dir.display());
            return ExitCode::FAILURE;
        }
        let sets = args.set.map_or(ChimeSet::ALL.to_vec(), |set| vec![set]);
        for set in sets {
            let bank = ChimeBank::render(set);
            for kind in ChimeKind::ALL {
                let path = dir.join(format!("{}-{}.wav", set.name(), kind.name()));
                if let Err(err) = write_wav(&path, &bank.samples(kind)) {
                    eprintln!("{}: cannot write: {err}", path.display());
                    return ExitCode::FAILURE;
                }
                let _ = writeln!(std::io::stdout(), "{} ({:.1} s)", path.display(), bank.length(kind).as_secs_f64());
            }
        }
    }
    if args.play {
        let settings = ChimeSettings { set: args.set.unwrap_or_default(), ..ChimeSettings::default() };
        let mut player = ChimePlayer::new(SystemClock::new(), settings);
        // Opening happens in the background: wait for the answer (and for the stream to settle) before judging it.
        player.open();
        player.settle();
        if let AudioStatus::Unavailable(reason) = player.status() {
            eprintln!("cannot play chimes: {reason}");
            return ExitCode::FAILURE;
        }
        for kind in ChimeKind::ALL {
            let _ = writeln!(std::io::stdout(), "{}", kind.name());
            player.play_now(kind);
            let pause =
                if kind == ChimeKind::RhythmTick { Duration::from_millis(900) } else { Duration::from_millis(600) };
            std::thread::sleep(player.bank().length(kind) + LEAD + pause);
        }
    }
    ExitCode::SUCCESS
}
