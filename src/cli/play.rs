//! `stillpoint play --no-window`: a session in the terminal, driven by sleeping until the next scheduled moment.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use clap::Args;

use super::event_log::EventLog;
use super::terminal::{Key, KeyMode};
use crate::display;
use crate::engine::{Clock, Command, Engine, EngineSettings, Event, EventKind, Phase, ScaledClock};
use crate::sequence::library::{Library, read_sequence_file};
use crate::sequence::{CueDefaults, PlannedStep, Sequence, did_you_mean};

/// How much "+" adds to a step.
pub const EXTEND_BY: Duration = Duration::from_secs(60);

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// A sequence id from the library, or the path of a sequence file.
    #[arg(value_name = "ID|PATH")]
    pub target: String,
    /// Run in the terminal only (audio-only mode), without opening a window.
    #[arg(long)]
    pub no_window: bool,
    /// Run this many times faster than real time (60 runs a minute per second).
    #[arg(long, value_name = "N", default_value_t = 1.0, value_parser = parse_time_scale)]
    pub time_scale: f64,
    /// Write each engine event as a JSON line to FILE.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Wait for a key at the end of each step instead of moving on (needs a terminal).
    #[arg(long)]
    pub confirm_steps: bool,
}

fn parse_time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale.is_finite() && (0.01..=100_000.0).contains(&scale) => Ok(scale),
        _ => Err(format!("{text:?} is not a time scale between 0.01 and 100000")),
    }
}

/// Finds a sequence by path (anything that exists or ends in .json) or by id.
pub fn resolve_target(library: &Library, target: &str) -> Result<Arc<Sequence>, String> {
    let path = Path::new(target);
    if path.exists() || target.ends_with(".json") {
        return read_sequence_file(path)
            .map(Arc::new)
            .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
    if let Some(entry) = library.find(target) {
        return Ok(entry.sequence.clone());
    }
    let ids: Vec<&str> = library.entries().into_iter().map(|e| e.sequence.id()).collect();
    Err(match did_you_mean(target, ids.iter().copied()) {
        Some(id) => format!("no sequence \"{target}\" in the library; did you mean \"{id}\"?"),
        None => format!("no sequence \"{target}\" in the library (see `stillpoint list`)"),
    })
}

pub fn run(library: &Library, args: &PlayArgs) -> ExitCode {
    if !args.no_window {
        eprintln!("stillpoint: `play` without --no-window opens the window; run `stillpoint {}` for that", args.target);
        return ExitCode::from(2);
    }
    let sequence = match resolve_target(library, &args.target) {
        Ok(sequence) => sequence,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let log = match &args.events {
        Some(path) => match File::create(path) {
            Ok(file) => Some(EventLog::new(BufWriter::new(file))),
            Err(err) => {
                eprintln!("{}: cannot write events: {err}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let keys = KeyMode::enter();
    let settings =
        EngineSettings { auto_advance: !(args.confirm_steps && keys.is_some()), ..EngineSettings::default() };
    let mut driver = TerminalDriver {
        engine: Engine::new(Arc::new(sequence.plan(&CueDefaults::default())), settings),
        clock: ScaledClock::new(args.time_scale),
        log,
        out: io::stdout(),
        live: io::stdout().is_terminal(),
        interrupted: false,
    };
    driver.print_intro(&sequence, keys.is_some());
    let result = driver.drive(keys.as_ref());
    drop(keys);
    match result {
        Ok(()) if driver.interrupted => ExitCode::from(130),
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("stillpoint: {err}");
            ExitCode::FAILURE
        }
    }
}

enum Input {
    Key(Key),
    Interrupt,
}

struct TerminalDriver {
    engine: Engine,
    clock: ScaledClock,
    log: Option<EventLog<BufWriter<File>>>,
    out: io::Stdout,
    /// Whether to draw a live countdown line (only on a terminal).
    live: bool,
    interrupted: bool,
}

impl TerminalDriver {
    fn drive(&mut self, keys: Option<&KeyMode>) -> io::Result<()> {
        let (sender, inputs) = mpsc::channel();
        let interrupt = sender.clone();
        // A second handler cannot be installed in one process; the first one keeps working, so ignore that error.
        let _ = ctrlc::set_handler(move || {
            let _ = interrupt.send(Input::Interrupt);
        });
        if let Some(keys) = keys {
            let (key_sender, key_inputs) = mpsc::channel();
            keys.spawn_reader(key_sender);
            let forward = sender.clone();
            std::thread::spawn(move || {
                for key in key_inputs {
                    if forward.send(Input::Key(key)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);

        let outcome = self.engine.apply(Command::Start, self.clock.now());
        self.handle(&outcome.events)?;
        while !self.engine.is_finished() {
            let events = self.engine.advance(self.clock.now());
            self.handle(&events)?;
            if self.engine.is_finished() {
                break;
            }
            self.draw_live_line()?;
            let wake = self.wake_time();
            let input = match wake {
                Some(at) => inputs.recv_timeout(at.saturating_duration_since(Instant::now())),
                None => inputs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let command = match input {
                Ok(Input::Key(key)) => command_for(key),
                Ok(Input::Interrupt) => {
                    self.interrupted = true;
                    Some(Command::Stop)
                }
                Err(RecvTimeoutError::Timeout) => None,
                // Nothing can ever wake a paused or waiting session: end it rather than hang.
                Err(RecvTimeoutError::Disconnected) if wake.is_none() => Some(Command::Stop),
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(wake.map_or(Duration::ZERO, |at| at.saturating_duration_since(Instant::now())));
                    None
                }
            };
            if let Some(command) = command {
                let outcome = self.engine.apply(command, self.clock.now());
                self.handle(&outcome.events)?;
                if let Some(rejection) = outcome.rejected {
                    self.line(&format!("  ({rejection})"))?;
                }
            }
        }
        self.clear_live_line()?;
        let summary = self.engine.summary();
        self.line(&format!(
            "Session {} after {}: {} step(s) done, {} skipped, {} extension(s), {} release(s) marked.",
            if summary.completed { "complete" } else { "stopped" },
            display::count_up(summary.session_elapsed),
            summary.steps_completed,
            summary.steps_skipped,
            summary.extensions,
            summary.releases,
        ))?;
        if summary.completed {
            self.line(crate::AFTERCARE_TEXT)?;
        }
        Ok(())
    }

    /// The next moment something changes: a scheduled event, or the live countdown's next whole second.
    fn wake_time(&self) -> Option<Instant> {
        let deadline = self.engine.next_deadline()?;
        let mut wake = deadline;
        if self.live {
            let snapshot = self.engine.snapshot(self.clock.now());
            let redraw = self.clock.now() + display::until_countdown_changes(snapshot.step_remaining);
            wake = wake.min(redraw);
        }
        Some(self.clock.instant_at(wake))
    }

    fn handle(&mut self, events: &[Event]) -> io::Result<()> {
        for event in events {
            if let Some(log) = &mut self.log {
                log.write(event)?;
            }
            let step = self.engine.plan().steps.get(event.step).cloned();
            match (event.kind, step) {
                (EventKind::StepStarted, Some(step)) => {
                    let count = self.engine.plan().len();
                    self.print_step(event.step, count, &step)?;
                }
                (EventKind::SessionFinished { .. } | EventKind::StepFinished { .. }, _) => {}
                (kind, _) => self.line(&format!("  · {}", describe(kind)))?,
            }
        }
        Ok(())
    }

    fn print_intro(&mut self, sequence: &Sequence, keys: bool) {
        let document = sequence.document();
        let _ = self.line(&format!("{} ({})", sequence.title(), display::length_words(sequence.expected_total())));
        let _ = self.line("Before you start, a \"yes\" to any of these means: skip this area or get clearance first.");
        for precaution in sequence.screening() {
            let _ = self.line(&format!("  - {}", precaution.question()));
        }
        if let Some(position) = &document.position {
            let _ = self.line(&format!("Position: {position}"));
        }
        if !document.equipment.is_empty() {
            let equipment: Vec<&str> = document.equipment.iter().map(|e| e.as_str()).collect();
            let _ = self.line(&format!("Equipment: {}", equipment.join(", ")));
        }
        if keys {
            let _ = self.line("Keys: space pause/resume · n next · b back · + extend 1 min · r released · Ctrl-C stop");
        }
    }

    fn print_step(&mut self, index: usize, count: usize, step: &PlannedStep) -> io::Result<()> {
        let mut heading = format!("\nStep {}/{count} · {}", index + 1, step.title);
        if let Some(area) = &step.area {
            heading.push_str(&format!(" · {area}"));
        }
        if let Some(side) = step.side {
            heading.push_str(&format!(" · {}", side.code()));
        }
        if let Some((n, of)) = step.repetition {
            heading.push_str(&format!(" · set {n} of {of}"));
        }
        heading.push_str(&match step.timing {
            crate::sequence::Timing::Fixed(length) => format!(" · {}", display::countdown(length)),
            crate::sequence::Timing::UntilRelease { min, max } => {
                format!(" · {} until release (max {})", display::countdown(min), display::countdown(max))
            }
        });
        self.line(&heading)?;
        if let Some(pressure) = &step.pressure {
            let prompt = pressure.prompt.as_deref().unwrap_or(pressure.level.description());
            self.line(&format!("  Pressure {} ({}): {prompt}", pressure.level.value(), pressure.level.name()))?;
        }
        if let Some(direction) = &step.direction {
            match &direction.prompt {
                Some(prompt) => self.line(&format!("  Direction {}: {prompt}", direction.kind.code()))?,
                None => self.line(&format!("  Direction: {}", direction.kind.code()))?,
            }
        }
        if let Some(notes) = &step.notes {
            self.line(&format!("  {notes}"))?;
        }
        Ok(())
    }

    fn draw_live_line(&mut self) -> io::Result<()> {
        if !self.live {
            return Ok(());
        }
        let snapshot = self.engine.snapshot(self.clock.now());
        let clock = match snapshot.count_up {
            Some(up) => format!("+{} since minimum, press r on release", display::count_up(up)),
            None => format!("{} left", display::countdown(snapshot.step_remaining)),
        };
        let state = match snapshot.phase {
            Phase::Paused => " · paused (space resumes)",
            Phase::Waiting => " · ready: press space to continue",
            _ => "",
        };
        write!(
            self.out,
            "\r\x1b[2K  {clock} · session {} left{state}",
            display::countdown(snapshot.session_remaining)
        )?;
        self.out.flush()
    }

    fn clear_live_line(&mut self) -> io::Result<()> {
        if self.live {
            write!(self.out, "\r\x1b[2K")?;
        }
        Ok(())
    }

    fn line(&mut self, text: &str) -> io::Result<()> {
        self.clear_live_line()?;
        writeln!(self.out, "{text}")
    }
}

fn command_for(key: Key) -> Option<Command> {
    match key {
        Key::Space | Key::Enter => Some(Command::TogglePause),
        Key::Right | Key::Char('n') => Some(Command::Next),
        Key::Left | Key::Char('b') => Some(Command::Previous),
        Key::Char('+' | 'e') => Some(Command::Extend(EXTEND_BY)),
        Key::Char('r') => Some(Command::MarkReleased),
        Key::Char('q') => Some(Command::Stop),
        Key::Char(_) => None,
    }
}

fn describe(kind: EventKind) -> String {
    use crate::engine::Cue;
    match kind {
        EventKind::Cue(Cue::Halfway) => "halfway".to_owned(),
        EventKind::Cue(Cue::Warning) => "prepare to ease out".to_owned(),
        EventKind::Cue(Cue::Offset(at)) => format!("chime at {}", display::count_up(at)),
        EventKind::Cue(Cue::CheckIn(_)) => "check in: pressure OK? breathing easy?".to_owned(),
        EventKind::Cue(Cue::RhythmBeat(n)) => format!("beat {n}"),
        EventKind::MinimumReached => "minimum reached: hold until the tissue softens, then press r".to_owned(),
        EventKind::Released => "release marked".to_owned(),
        EventKind::SideSwitch { to } => format!("switch to the {} side", to.code()),
        EventKind::Extended { by } => format!("extended by {}", display::length_words(by)),
        EventKind::Paused => "paused".to_owned(),
        EventKind::Resumed => "resumed".to_owned(),
        other => other.name().replace('_', " "),
    }
}
