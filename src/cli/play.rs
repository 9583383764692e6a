//! `stillpoint play --no-window`: a session in the terminal, driven by sleeping until the next scheduled moment.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use clap::Args;

use super::event_log::EventLog;
use super::terminal::{Key, KeyMode};
use super::{Context, words};
use crate::audio::{AudioStatus, ChimeOutput, ChimePlayer, ChimeSet, NoChimes};
use crate::clock::{ScaledClock, SystemClock};
use crate::display;
use crate::driver::{EXTEND_BY, Persist, SessionDriver};
use crate::engine::{Clock, Command, Cue, EngineSettings, Event, EventKind, MonotonicTime, Phase};
use crate::sequence::library::{Library, read_sequence_file};
use crate::sequence::{Plan, PlannedStep, Sequence, Timing, did_you_mean};
use crate::store::{Checkpoint, RATING_MAX, ScreeningAnswer, SessionRecord, Store};
use crate::voice::{Lang, SessionVoice, VOICE_UNAVAILABLE, VoicePrompts, VoiceSettings, VoiceStatus};

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// A sequence id from the library, or the path of a sequence file.
    #[arg(value_name = "ID|PATH", required_unless_present = "resume")]
    pub target: Option<String>,
    /// Resume the session that was under way when the app was closed or killed, where it was.
    #[arg(long, conflicts_with = "target")]
    pub resume: bool,
    /// "How much tension or discomfort right now?" before the session, 0 (none) to 10; asked when not given and
    /// there is a terminal.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub rating_before: Option<u8>,
    /// The same question after the session.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub rating_after: Option<u8>,
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
    /// No chimes. (Chimes play only at real time; any other time scale is silent.)
    #[arg(long)]
    pub mute: bool,
    /// Chime set: bowl (warm, low) or bright (clear); default from the settings.
    #[arg(long, value_name = "SET", value_parser = parse_chime_set)]
    pub chimes: Option<ChimeSet>,
    /// No spoken prompts, chimes only. (Like chimes, prompts are spoken at real time only.)
    #[arg(long)]
    pub no_voice: bool,
    /// The language of spoken prompts: en, de or es (default: the app's language).
    #[arg(long, value_name = "LANG", value_parser = super::say::parse_language)]
    pub language: Option<crate::voice::Lang>,
}

fn parse_time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale.is_finite() && (0.01..=100_000.0).contains(&scale) => Ok(scale),
        _ => Err(format!("{text:?} is not a time scale between 0.01 and 100000")),
    }
}

fn parse_chime_set(text: &str) -> Result<ChimeSet, String> {
    ChimeSet::from_name(text).ok_or_else(|| format!("{text:?} is not a chime set (bowl or bright)"))
}

/// Finds a sequence by path (an existing file, or anything ending in .json) or by id. When an id is missing, the
/// problems of files that failed to load are part of the answer: the sequence may be in one of them.
pub fn resolve_target(library: &Library, target: &str) -> Result<Arc<Sequence>, String> {
    let path = Path::new(target);
    if path.is_file() || target.ends_with(".json") {
        return read_sequence_file(path)
            .map(Arc::new)
            .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
    if let Some(entry) = library.find(target) {
        return Ok(entry.sequence.clone());
    }
    let ids: Vec<&str> = library.entries().into_iter().map(|e| e.sequence.id()).collect();
    let mut message = match did_you_mean(target, ids.iter().copied()) {
        Some(id) => format!("no sequence \"{target}\" in the library; did you mean \"{id}\"?"),
        None => format!("no sequence \"{target}\" in the library (see `stillpoint list`)"),
    };
    for problem in library.problems() {
        message.push_str(&format!("\nskipped: {problem}"));
    }
    Err(message)
}

pub fn run(context: &Context, args: &PlayArgs) -> ExitCode {
    let library = context.library();
    if !args.no_window {
        // With a window, a session always begins with screening (or the offer to resume).
        return super::open_window(context, library.clone(), args.target.as_deref());
    }
    let mut store = context.store();
    let mut checkpoint = store.load_checkpoint();
    for notice in store.take_notices() {
        eprintln!("stillpoint: {notice}");
    }
    let start = if args.resume {
        let Some(checkpoint) = checkpoint.take() else {
            eprintln!("stillpoint: there is no interrupted session to resume");
            return ExitCode::FAILURE;
        };
        match resumable(&library, checkpoint) {
            Ok(start) => start,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let target = args.target.as_deref().unwrap_or_default();
        let sequence = match resolve_target(&library, target) {
            Ok(sequence) => sequence,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        };
        if let Some(interrupted) = checkpoint.take() {
            let mut record = interrupted.record;
            println!(
                "The interrupted session of {} is kept in the history as stopped at step {} of {}.",
                record.sequence_title,
                interrupted.position.step_index + 1,
                record.steps_total
            );
            record.end_interrupted();
            store.append(record);
            store.clear_checkpoint();
        }
        let path = Path::new(target);
        let path = (path.is_file() || target.ends_with(".json")).then(|| path.to_owned());
        Start::New { sequence, path }
    };
    for problem in library.problems() {
        eprintln!("skipped: {problem}");
    }
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
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    let rating_before = match (&start, args.rating_before) {
        (_, Some(rating)) => Some(rating),
        (Start::New { .. }, None) if interactive => ask_rating("before"),
        _ => None,
    };

    // Ctrl-C (and SIGTERM) must reach the loop before the terminal changes mode, so it can always be restored.
    let (sender, inputs) = mpsc::channel();
    let interrupt = sender.clone();
    if let Err(err) = ctrlc::set_handler(move || {
        let _ = interrupt.send(Input::Interrupt);
    }) {
        eprintln!("stillpoint: Ctrl-C will not stop cleanly ({err})");
    }
    let keys = KeyMode::enter();
    if let Some(keys) = &keys {
        let (key_sender, key_inputs) = mpsc::channel();
        keys.spawn_reader(key_sender);
        std::thread::spawn(move || {
            for key in key_inputs {
                if sender.send(Input::Key(key)).is_err() {
                    return;
                }
            }
        });
    }
    if args.confirm_steps && keys.is_none() {
        eprintln!("stillpoint: --confirm-steps needs a terminal to confirm with; steps will move on by themselves");
    }

    // The same volume, chime set and warning time as the window; the command line can override the set and mute.
    let saved = store.load_settings();
    let mut chime_settings = saved.chimes();
    chime_settings.set = args.chimes.unwrap_or(chime_settings.set);
    // A chime is a real-time sound: at any other time scale they would pile up into noise.
    let player = (!args.mute && !chime_settings.muted && args.time_scale == 1.0).then(|| {
        let mut player = ChimePlayer::new(SystemClock::new(), chime_settings);
        player.set_device(context.audio_device.clone().or_else(|| saved.audio_device.clone()));
        player.open();
        // The session's first chime follows at once: let the device settle so it lands on time too.
        player.settle();
        player
    });
    let real = player.as_ref().map_or_else(SystemClock::new, ChimePlayer::clock);
    let clock = ScaledClock::over(real, args.time_scale);
    let settings = EngineSettings {
        auto_advance: !(args.confirm_steps && keys.is_some()),
        // "Stale" is about real time (a machine asleep), not about how fast a demo runs.
        stale_cue_after: EngineSettings::default().stale_cue_after.mul_f64(args.time_scale),
    };
    // The step texts are shown and spoken in the prompts' language where the file translates them.
    let language = args.language.unwrap_or_else(|| Lang::of_app(saved.language));
    let (sequence, plan, session, resumed) = match start {
        Start::New { sequence, path } => {
            let plan = Arc::new(sequence.plan_in(&saved.cue_defaults(), language.code()));
            let mut record = SessionRecord::begin(&sequence, store.device(), language.code());
            record.rating_before = rating_before;
            // The terminal shows the questions but takes no answers: none were given.
            record.screening =
                sequence.screening().into_iter().map(|precaution| ScreeningAnswer { precaution, yes: None }).collect();
            let mut session = SessionDriver::new(plan.clone(), settings, Rc::new(clock), record);
            session.set_sequence_path(path);
            (sequence, plan, session, false)
        }
        Start::Resume { sequence, checkpoint } => {
            let plan = Arc::new(sequence.plan_in(&saved.cue_defaults(), language.code()));
            match SessionDriver::resume(plan.clone(), settings, Rc::new(clock), &checkpoint) {
                Ok(mut session) => {
                    if let Some(rating) = rating_before {
                        session.record_mut().rating_before = Some(rating);
                    }
                    (sequence, plan, session, true)
                }
                Err(err) => {
                    drop(keys);
                    eprintln!("stillpoint: cannot resume {}: {err}", sequence.title());
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let mut session = session;
    if player.is_some() && !args.no_voice {
        session.set_voice(session_voice(language, &saved.voice));
    }
    let mut driver = TerminalDriver {
        session,
        plan,
        clock,
        log,
        out: io::stdout(),
        live: io::stdout().is_terminal(),
        interrupted: false,
        player,
        silent: NoChimes,
        store,
    };
    driver.print_intro(&sequence, language.code(), keys.is_some());
    let result = driver.drive(&inputs, resumed);
    drop(keys);
    if result.is_ok() {
        let rating_after = match args.rating_after {
            Some(rating) => Some(rating),
            None if interactive && !driver.interrupted => ask_rating("after"),
            None => None,
        };
        if let Some(rating) = rating_after {
            let mut record = driver.session.record().clone();
            record.rating_after = Some(rating);
            record.revision += 1;
            driver.store.append(record);
        }
    }
    driver.store.flush();
    for notice in driver.store.take_notices() {
        eprintln!("stillpoint: {notice}");
    }
    match result {
        Ok(()) if driver.interrupted => ExitCode::from(130),
        Ok(()) => ExitCode::SUCCESS,
        // A closed stdout (`| head`) is the reader's choice, not a failure worth a message.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("stillpoint: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The session's voice, or `None` (said once) when there is no speech engine. Waits for the engine to load, briefly:
/// the first prompt follows the first chime by three seconds.
fn session_voice(language: Lang, settings: &VoiceSettings) -> Option<SessionVoice> {
    let settings = settings.clone();
    if !settings.enabled {
        return None;
    }
    let prompts = VoicePrompts::start();
    match prompts.wait_until_loaded(Duration::from_secs(2)) {
        VoiceStatus::Unavailable(reason) => {
            eprintln!("stillpoint: {VOICE_UNAVAILABLE} ({reason}); chimes only");
            None
        }
        _ => Some(SessionVoice::new(prompts, settings, language)),
    }
}

enum Input {
    Key(Key),
    Interrupt,
}

/// How the session begins: new, or from the checkpoint of one the app went away during.
enum Start {
    New { sequence: Arc<Sequence>, path: Option<PathBuf> },
    Resume { sequence: Arc<Sequence>, checkpoint: Box<Checkpoint> },
}

/// The sequence of an interrupted session, if it can be played on from where it was.
fn resumable(library: &Library, checkpoint: Checkpoint) -> Result<Start, String> {
    let record = &checkpoint.record;
    let sequence = library.find(&record.sequence_id).map(|entry| entry.sequence.clone()).or_else(|| {
        let path = checkpoint.sequence_path.as_ref()?;
        read_sequence_file(path).ok().filter(|s| s.id() == record.sequence_id).map(Arc::new)
    });
    let Some(sequence) = sequence else {
        return Err(format!(
            "cannot resume {}: the sequence \"{}\" is no longer in the library; `stillpoint play ID` starts another \
             session and keeps this one in the history as stopped",
            record.sequence_title, record.sequence_id
        ));
    };
    if sequence.content_hash() != record.sequence_hash {
        return Err(format!(
            "cannot resume {}: the sequence file changed since the session began, so its steps may not line up; \
             `stillpoint play {}` starts again and keeps the interrupted session in the history as stopped",
            record.sequence_title, record.sequence_id
        ));
    }
    Ok(Start::Resume { sequence, checkpoint: Box::new(checkpoint) })
}

/// Asks the 0–10 rating on the terminal; Enter (or anything else) skips it.
fn ask_rating(when: &str) -> Option<u8> {
    print!("How much tension or discomfort right now ({when} the session)? 0 none … 10 worst; Enter skips: ");
    let _ = io::stdout().flush();
    let mut answer = String::new();
    io::stdin().read_line(&mut answer).ok()?;
    answer.trim().parse::<u8>().ok().filter(|rating| *rating <= RATING_MAX)
}

struct TerminalDriver {
    session: SessionDriver,
    plan: Arc<Plan>,
    clock: ScaledClock,
    log: Option<EventLog<BufWriter<File>>>,
    out: io::Stdout,
    /// Whether to draw a live countdown line (only on a terminal).
    live: bool,
    interrupted: bool,
    player: Option<ChimePlayer>,
    silent: NoChimes,
    store: Store,
}

impl TerminalDriver {
    fn command(&mut self, command: Command) -> io::Result<()> {
        let outcome = self.session.apply(command, output(&mut self.player, &mut self.silent));
        self.persist();
        self.handle(&outcome.events)?;
        if let Some(rejection) = outcome.rejected {
            self.line(&format!("  ({rejection})"))?;
        }
        Ok(())
    }

    fn tick(&mut self) -> io::Result<()> {
        let events = self.session.tick(output(&mut self.player, &mut self.silent));
        self.persist();
        self.handle(&events)
    }

    /// Hands the checkpoint, or the finished session's record, to the store's writer.
    fn persist(&mut self) {
        while let Some(persist) = self.session.take_persist() {
            match persist {
                Persist::Checkpoint(checkpoint) => self.store.save_checkpoint(*checkpoint),
                Persist::Finished(record) => {
                    self.store.append(*record);
                    self.store.clear_checkpoint();
                }
            }
        }
    }

    fn drive(&mut self, inputs: &Receiver<Input>, resumed: bool) -> io::Result<()> {
        if resumed {
            let now = self.clock.now();
            let snapshot = self.session.engine().snapshot(now);
            self.line(&format!(
                "Resuming at step {} of {}, {} left in the step{}.",
                snapshot.step_index + 1,
                snapshot.step_count,
                display::countdown(snapshot.step_remaining),
                if snapshot.phase == Phase::Paused { " (paused: space resumes)" } else { "" }
            ))?;
            self.print_step(snapshot.step_index)?;
        } else {
            self.command(Command::Start)?;
        }
        while !self.session.engine().is_finished() {
            self.tick()?;
            if self.session.engine().is_finished() {
                break;
            }
            self.draw_live_line()?;
            let input = match self.wake_time() {
                Some(at) => inputs.recv_timeout(self.clock.until(at)),
                // Paused or waiting: nothing changes until a key arrives.
                None => inputs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let command = match input {
                Ok(Input::Key(key)) => command_for(key),
                Ok(Input::Interrupt) => {
                    self.interrupted = true;
                    Some(Command::Stop)
                }
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Command::Stop),
            };
            if let Some(command) = command {
                self.command(command)?;
            }
        }
        self.clear_live_line()?;
        self.let_last_chime_ring();
        let summary = self.session.engine().summary();
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
            for line in words::AFTERCARE {
                self.line(line)?;
            }
        }
        Ok(())
    }

    /// The next moment something changes: a scheduled event (or the moment to queue its chime), or the live
    /// countdown's next whole second.
    fn wake_time(&self) -> Option<MonotonicTime> {
        let wake = self.session.next_wake()?;
        if !self.live {
            return Some(wake);
        }
        let now = self.clock.now();
        let remaining = self.session.engine().snapshot(now).step_remaining;
        Some(wake.min(now + display::until_countdown_changes(remaining)))
    }

    /// Waits for the final chime to finish ringing (the session-end bowl is the longest sound) before exiting.
    fn let_last_chime_ring(&self) {
        let (Some(player), Some(cue)) = (&self.player, self.session.last_cue()) else { return };
        if player.status() == AudioStatus::Ready {
            std::thread::sleep(player.clock().until(cue.at + player.bank().length(cue.kind)));
        }
    }

    fn handle(&mut self, events: &[Event]) -> io::Result<()> {
        for event in events {
            if let Some(log) = &mut self.log {
                log.write(event)?;
            }
            match event.kind {
                EventKind::StepStarted => self.print_step(event.step)?,
                // Beats belong on the live line, not in the scrollback; finishes are implied by the next step.
                EventKind::Cue(Cue::RhythmBeat(_))
                | EventKind::SessionFinished { .. }
                | EventKind::StepFinished { .. } => {}
                kind => self.line(&format!("  · {}", describe(kind)))?,
            }
        }
        Ok(())
    }

    /// The title (in the steps' language), the screening questions and the keys.
    fn print_intro(&mut self, sequence: &Sequence, language: &str, keys: bool) {
        let document = sequence.document();
        let _ = self.line(&format!(
            "{} ({})",
            sequence.title_in(language),
            display::length_words(sequence.expected_total())
        ));
        let _ = self.line("Before you start, a \"yes\" to any of these means: skip this area or get clearance first.");
        for precaution in sequence.screening() {
            let _ = self.line(&format!("  - {}", words::question(precaution)));
        }
        let texts = sequence.words_in(language);
        if let Some(position) = &document.position {
            let _ = self.line(&format!("Position: {}", texts.text(position.as_str())));
        }
        if !document.equipment.is_empty() {
            let equipment: Vec<&str> = document.equipment.iter().map(|e| texts.text(e.as_str())).collect();
            let _ = self.line(&format!("Equipment: {}", equipment.join(", ")));
        }
        if keys {
            let _ = self.line("Keys: space pause/resume · n next · b back · + extend 1 min · r released · Ctrl-C stop");
        }
        if let Some(AudioStatus::Unavailable(reason)) = self.player.as_ref().map(ChimePlayer::status) {
            let _ = self.line(&format!("Sound unavailable ({reason}): follow the prompts on screen."));
        }
    }

    fn print_step(&mut self, index: usize) -> io::Result<()> {
        let plan = self.plan.clone();
        let Some(step) = plan.steps.get(index) else { return Ok(()) };
        self.line(&step_heading(index, plan.len(), step))?;
        if let Some(pressure) = &step.pressure {
            let prompt = pressure.prompt.as_deref().unwrap_or(words::pressure_description(pressure.level));
            let name = words::pressure_name(pressure.level);
            self.line(&format!("  Pressure {} ({name}): {prompt}", pressure.level.value()))?;
        }
        if let Some(direction) = &step.direction {
            let name = words::direction(direction.kind);
            match &direction.prompt {
                Some(prompt) => self.line(&format!("  Direction ({name}): {prompt}"))?,
                None => self.line(&format!("  Direction: {name}"))?,
            }
        }
        if let Some(notes) = words::step_notes(step) {
            self.line(&format!("  {notes}"))?;
        }
        Ok(())
    }

    fn draw_live_line(&mut self) -> io::Result<()> {
        if !self.live {
            return Ok(());
        }
        let snapshot = self.session.engine().snapshot(self.clock.now());
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

fn step_heading(index: usize, count: usize, step: &PlannedStep) -> String {
    let mut heading = format!("\nStep {}/{count} · {}", index + 1, words::step_title(step));
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
        Timing::Fixed(length) => format!(" · {}", display::countdown(length)),
        Timing::UntilRelease { min, max } => {
            format!(" · {} until release (max {})", display::countdown(min), display::countdown(max))
        }
    });
    heading
}

/// Where chimes go: the player when there is one, otherwise nowhere. Takes the fields, not the driver, so the session
/// driver can be borrowed alongside.
fn output<'a>(player: &'a mut Option<ChimePlayer>, silent: &'a mut NoChimes) -> &'a mut dyn ChimeOutput {
    match player {
        Some(player) => player,
        None => silent,
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
    match kind {
        EventKind::Cue(Cue::Halfway) => "halfway".to_owned(),
        EventKind::Cue(Cue::Warning) => "prepare to ease out".to_owned(),
        EventKind::Cue(Cue::Offset(at)) => format!("chime at {}", display::count_up(at)),
        EventKind::Cue(Cue::CheckIn(_)) => "check in: pressure OK? breathing easy?".to_owned(),
        EventKind::MinimumReached => "minimum reached: hold until the tissue softens, then press r".to_owned(),
        EventKind::Released => "release marked".to_owned(),
        EventKind::SideSwitch { to } => format!("switch to the {} side", words::side(to)),
        EventKind::Extended { by } => format!("extended by {}", display::length_words(by)),
        EventKind::Paused => "paused".to_owned(),
        EventKind::Resumed => "resumed".to_owned(),
        other => other.name().replace('_', " "),
    }
}
