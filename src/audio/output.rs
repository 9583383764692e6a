//! The output device: opened once and kept, reopened on request after it was missing or lost, never in the way of
//! the timer. Opening, reopening and rendering the chimes all happen on background threads; nothing the UI thread
//! calls here waits for the device, the disk or the synthesizer.

use std::any::Any;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use super::bank::{ChimeBank, ChimeBanks};
use super::device::{DeviceOpener, LostSignal, OpenError, OpenedDevice, SystemOutput};
use super::synth::ChimeSet;
use super::track::{CueTrack, MAPPING_WINDOW_SAMPLES, TrackHandle};
use crate::clock::SystemClock;
use crate::cues::ChimeKind;
use crate::engine::{Clock, MonotonicTime, STALE_CUE_AFTER};

// Lead time on a kiosk whose SD card stalls. `crate::driver::LOOKAHEAD` (250 ms) is how early the driver hands a
// chime over; once handed over, a chime plays on its sample whatever the UI thread does next, because the audio
// thread mixes it from memory. Nothing on that path touches the disk or waits for the device any more: the banks
// are rendered in the background and kept, the device is opened on the worker, `play_at` only queues. So a stalling
// SD card can make a chime late only by stalling the UI thread itself around hand-over time: page faults on the
// binary's evicted pages, a font or image load, anything left on that thread that reads or writes (reads queue
// behind a stalled write). Consumer SD cards stall writes for hundreds of milliseconds, and now and then for a second
// or more during their internal garbage collection; any stall longer than `LOOKAHEAD - LEAD` (210 ms) at hand-over
// time makes the chime late by the excess. Recommendation: `LOOKAHEAD = 1 s`. It covers the common stalls, stays well
// inside the 2 s stale-cue rule, and costs nothing in accuracy (a chime is placed by the clock mapping of its hand-over
// time; audio and system clocks drift apart by tens of microseconds a second) or in correctness, because every
// command withdraws the chimes not yet started (`cancel_unstarted`) and the driver hands over again. One condition:
// anything that changes the schedule without a command (switching auto-advance during a session, which now only
// sets the engine) must withdraw and re-queue too, or a chime queued up to 1 s earlier for the old schedule plays.
// Longer than 1 s buys little (stalls that long are rare and near the stale rule) and widens that window.

/// How far ahead of its due time a chime must reach the track to be placed on its exact sample: the device buffer
/// plus a margin for a late wake-up. Session drivers hand chimes over this early (see `crate::driver`); a chime that
/// arrives later still plays, a little late.
pub const LEAD: Duration = Duration::from_millis(40);

/// Why sound is unavailable, in words the settings screen translates (a detail may follow in brackets).
pub const NO_DEVICE: &str = "no sound device found";
pub const CANNOT_OPEN: &str = "the sound device could not be opened";
pub const DEVICE_LOST: &str = "the sound device was lost";
/// Not yet: the device is being opened in the background (see [`AudioStatus::is_opening`]).
pub const OPENING: &str = "the sound device is being opened";
/// A notice (see [`ChimePlayer::notice`]): the chosen device is not there, the default one plays instead. Its name
/// follows in brackets.
pub const DEVICE_MISSING: &str = "the chosen sound device was not found, the default device plays instead";

/// How long [`ChimePlayer::settle`] waits for the device to open before the terminal carries on with visual cues.
const OPEN_PATIENCE: Duration = Duration::from_secs(5);

/// What the user chose for sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChimeSettings {
    pub set: ChimeSet,
    /// 0 to 100, independent of the system volume.
    pub volume_percent: u8,
    pub muted: bool,
}

impl Default for ChimeSettings {
    fn default() -> Self {
        Self { set: ChimeSet::Bowl, volume_percent: 80, muted: false }
    }
}

impl ChimeSettings {
    /// Loudness follows the square of the slider, close to how loudness is heard.
    pub fn gain(&self) -> f32 {
        if self.muted { 0.0 } else { (f32::from(self.volume_percent.min(100)) / 100.0).powi(2) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioStatus {
    Ready,
    /// No device, or it went away, or it is still being opened ([`OPENING`]). Visual cues carry on; `open` tries
    /// again.
    Unavailable(String),
}

impl AudioStatus {
    /// The device is being opened in the background: ready soon, or unavailable with a reason.
    pub fn opening() -> Self {
        AudioStatus::Unavailable(OPENING.to_owned())
    }

    pub fn is_opening(&self) -> bool {
        matches!(self, AudioStatus::Unavailable(reason) if reason == OPENING)
    }

    pub fn is_ready(&self) -> bool {
        *self == AudioStatus::Ready
    }
}

/// Gives a new stream time to settle, so even the first chime (the session's start) is placed by the clock. A device
/// starts by pulling a burst to fill its buffers, which shows as a jump in the track's clock mapping once that burst
/// leaves the mapping's window. Waits for twice the window's worth of audio and then for the mapping to hold still,
/// at most a few seconds: a stalled device must not stall the app.
fn wait_until_settled(track: &TrackHandle) {
    const HOLD_STILL: Duration = Duration::from_millis(300);
    const POLL: Duration = Duration::from_millis(20);
    let give_up = std::time::Instant::now() + Duration::from_secs(3);
    let mut last = track.clock_mapping();
    let mut still_since = std::time::Instant::now();
    while std::time::Instant::now() < give_up {
        std::thread::sleep(POLL);
        let mapping = track.clock_mapping();
        let moved = match (last, mapping) {
            (Some(a), Some(b)) => a.abs_diff(b) > 2_000_000,
            _ => true,
        };
        if moved {
            still_since = std::time::Instant::now();
            last = mapping;
        } else if still_since.elapsed() >= HOLD_STILL && track.pulled() >= 2 * MAPPING_WINDOW_SAMPLES {
            return;
        }
    }
}

/// Where the app sends chimes: the real player, or a recorder in tests. No method may block.
pub trait ChimeOutput {
    /// Opens (or reopens) the device if needed, in the background: returns at once, [`AudioStatus::opening`] until
    /// the device answers. Visual cues carry on whatever the answer.
    fn open(&mut self) -> AudioStatus;
    fn status(&self) -> AudioStatus;
    /// Plays `kind` so it is heard at `due`, a reading of the app's clock.
    fn play_at(&self, kind: ChimeKind, due: MonotonicTime);
    /// Forgets chimes handed over ahead of time that have not started: the schedule changed.
    fn cancel_unstarted(&self);
    fn apply_settings(&mut self, settings: ChimeSettings);
    /// Chooses the output device by name (one of [`super::output_devices`], or what `--audio-device` was given);
    /// `None` for the system default. Reopens in the background if the device was opened already, otherwise
    /// takes effect at the next `open`.
    fn set_device(&mut self, _device: Option<String>) {}
    /// Something to tell the user while sound works ([`DEVICE_MISSING`] and the name).
    fn notice(&self) -> Option<String> {
        None
    }
    /// Plays a rendered prompt (mono, [`super::SAMPLE_RATE`]) so it starts at `due`. Withdrawn by
    /// `cancel_unstarted` like a chime.
    fn speak_at(&self, _samples: Arc<[f32]>, _due: MonotonicTime) {}
    /// Fades out the prompt speaking now and drops those not yet started: the user paused or left the step.
    fn stop_speech(&self) {}
}

/// Sound that works and is never heard: screenshots and the render benchmark draw the screen of a user whose sound
/// works, with no device opened.
pub struct SilentChimes;

impl ChimeOutput for SilentChimes {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Ready
    }

    fn status(&self) -> AudioStatus {
        AudioStatus::Ready
    }

    fn play_at(&self, _: ChimeKind, _: MonotonicTime) {}

    fn cancel_unstarted(&self) {}

    fn apply_settings(&mut self, _: ChimeSettings) {}
}

/// No sound at all: demos at a fast time scale, `--mute`.
pub struct NoChimes;

impl ChimeOutput for NoChimes {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Unavailable(String::from("muted"))
    }

    fn status(&self) -> AudioStatus {
        AudioStatus::Unavailable(String::from("muted"))
    }

    fn play_at(&self, _: ChimeKind, _: MonotonicTime) {}

    fn cancel_unstarted(&self) {}

    fn apply_settings(&mut self, _: ChimeSettings) {}
}

impl ChimeOutput for ChimePlayer {
    fn open(&mut self) -> AudioStatus {
        ChimePlayer::open(self).clone()
    }

    fn status(&self) -> AudioStatus {
        ChimePlayer::status(self)
    }

    fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        ChimePlayer::play_at(self, kind, due);
    }

    fn cancel_unstarted(&self) {
        ChimePlayer::cancel_unstarted(self);
    }

    fn apply_settings(&mut self, settings: ChimeSettings) {
        self.set_settings(settings);
    }

    fn set_device(&mut self, device: Option<String>) {
        ChimePlayer::set_device(self, device);
    }

    fn notice(&self) -> Option<String> {
        ChimePlayer::notice(self)
    }

    fn speak_at(&self, samples: Arc<[f32]>, due: MonotonicTime) {
        ChimePlayer::speak_at(self, samples, due);
    }

    fn stop_speech(&self) {
        ChimePlayer::stop_speech(self);
    }
}

/// What the player asks of its worker.
pub(super) enum Request {
    /// Open the wanted device unless it is open and healthy (several in a row count once).
    Open,
    /// The device opened as `generation` reported an error that ends its stream.
    Lost {
        generation: u64,
    },
    Shutdown,
}

/// The device playing now.
struct Live {
    track: TrackHandle,
    latency: Duration,
    lost: LostSignal,
    generation: u64,
    /// The device asked for when it was opened.
    requested: Option<String>,
    /// The device asked for was missing: this is the default one.
    fallback: bool,
}

impl Live {
    fn healthy(&self) -> bool {
        !self.lost.is_raised()
    }
}

/// What a queued sound is.
enum Sound {
    Chime(ChimeSet, ChimeKind),
    /// A rendered prompt.
    Speech(Arc<[f32]>),
}

/// A chime (or prompt) handed over: kept until it is placed on the device playing now, and until it is due, so a
/// device that opens (or replaces another) after the hand-over still plays it.
struct Queued {
    sound: Sound,
    /// When it should be heard, on the player's clock.
    due: Duration,
    /// The device (generation) it has been placed on.
    placed_on: Option<u64>,
}

/// What the UI thread and the worker share. Only short critical sections; the audio callback never takes it.
struct State {
    status: AudioStatus,
    notice: Option<String>,
    /// The device the user chose; `None` for the default.
    wanted: Option<String>,
    live: Option<Live>,
    gain: f32,
    /// `open` was called at least once: a new device choice then reopens at once.
    opened_once: bool,
    /// Open requests sent to the worker and not yet served.
    in_flight: usize,
    queue: Vec<Queued>,
}

impl State {
    fn status(&self) -> AudioStatus {
        match &self.live {
            Some(live) if !live.healthy() && self.status.is_ready() => AudioStatus::Unavailable(DEVICE_LOST.to_owned()),
            _ => self.status.clone(),
        }
    }

    /// The device playing now, if it is healthy and the one asked for (or the default standing in for it).
    fn settled(&self) -> Option<&Live> {
        self.live.as_ref().filter(|live| live.healthy() && live.requested == self.wanted)
    }

    /// Puts every handed-over chime whose sound is rendered on the device playing now, and forgets chimes long past
    /// due. A chime placed on an earlier device is placed again only if it has not started yet.
    fn place(&mut self, banks: &ChimeBanks, now: Duration) {
        self.queue.retain(|queued| queued.due + STALE_CUE_AFTER > now);
        let State { live, queue, .. } = self;
        let Some(live) = live.as_ref().filter(|live| live.healthy()) else { return };
        for queued in queue.iter_mut() {
            if queued.placed_on == Some(live.generation) || (queued.placed_on.is_some() && queued.due <= now) {
                continue;
            }
            // The track places samples by when they are pulled; the device plays them a buffer later.
            let at = queued.due.saturating_sub(live.latency);
            match &queued.sound {
                Sound::Chime(set, kind) => {
                    let Some(bank) = banks.get(*set) else { continue };
                    live.track.schedule(bank.samples(*kind), at);
                }
                Sound::Speech(samples) => live.track.schedule_speech(samples.clone(), at),
            }
            queued.placed_on = Some(live.generation);
        }
    }
}

type Listener = Box<dyn Fn(&AudioStatus) + Send>;

struct Shared {
    state: Mutex<State>,
    /// Signalled whenever the worker finishes a request.
    changed: Condvar,
    listener: Mutex<Option<Listener>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells whoever listens, from the worker thread, with no lock on the state held.
    fn announce(&self) {
        let status = self.lock().status();
        self.changed.notify_all();
        if let Some(listener) = self.listener.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            listener(&status);
        }
    }
}

/// Plays chimes on the chosen output device (the default one unless told otherwise). Never blocks its caller: the
/// device is opened on a worker thread, the chime sets are rendered on another, once per process.
pub struct ChimePlayer {
    clock: SystemClock,
    settings: ChimeSettings,
    banks: Arc<ChimeBanks>,
    shared: Arc<Shared>,
    /// To the worker; `None` if it could not be started.
    requests: Option<Sender<Request>>,
    /// What `open` last answered.
    answered: AudioStatus,
}

impl Drop for ChimePlayer {
    fn drop(&mut self) {
        // The worker closes the device on its own thread; a device that is slow to close holds up nobody.
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Shutdown);
        }
    }
}

impl ChimePlayer {
    /// Starts rendering the chime sets in the background at once (the chosen set first; sets already rendered in
    /// this process are reused) and waits for `open` to touch the device.
    pub fn new(clock: SystemClock, settings: ChimeSettings) -> Self {
        Self::with_opener(clock, settings, SystemOutput, ChimeBanks::shared())
    }

    /// As [`ChimePlayer::new`], opening devices with `opener` and taking chimes from `banks` (tests fake both).
    pub fn with_opener(
        clock: SystemClock,
        settings: ChimeSettings,
        opener: impl DeviceOpener,
        banks: Arc<ChimeBanks>,
    ) -> Self {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                status: AudioStatus::Unavailable(NO_DEVICE.to_owned()),
                notice: None,
                wanted: None,
                live: None,
                gain: settings.gain(),
                opened_once: false,
                in_flight: 0,
                queue: Vec::new(),
            }),
            changed: Condvar::new(),
            listener: Mutex::new(None),
        });
        let (sender, receiver) = mpsc::channel();
        let (weak, worker_banks, notify) = (Arc::downgrade(&shared), banks.clone(), sender.clone());
        let opener: Box<dyn DeviceOpener> = Box::new(opener);
        // The worker is made on its own thread: the streams it keeps need not be `Send`.
        let run = move || {
            let worker = Worker {
                opener,
                shared: weak,
                banks: worker_banks,
                clock,
                notify,
                stream: None,
                generation: 0,
                live_generation: 0,
                warned: None,
            };
            worker.run(&receiver);
        };
        let requests = std::thread::Builder::new().name("stillpoint-sound".into()).spawn(run).ok().map(|_| sender);
        render_in_background(&banks, settings.set, Arc::downgrade(&shared), clock);
        Self { clock, settings, banks, shared, requests, answered: AudioStatus::Unavailable(NO_DEVICE.to_owned()) }
    }

    /// Asks the worker to open the chosen device unless it is open and healthy, and returns at once: the status is
    /// then [`AudioStatus::opening`] until the device answers (see [`ChimePlayer::on_status_change`]). With the
    /// default standing in for a missing chosen device, asks the worker to look for the chosen one again and keeps
    /// the default playing if it is still missing. Warnings go to stderr, once per failure.
    pub fn open(&mut self) -> &AudioStatus {
        let ask = {
            let mut state = self.shared.lock();
            state.opened_once = true;
            let ask = match state.settled().map(|live| live.fallback) {
                Some(false) => false,
                _ if state.in_flight > 0 => false,
                Some(true) => true,
                None => {
                    state.status = AudioStatus::opening();
                    true
                }
            };
            // Counted before it is sent, so the worker's answer cannot overtake the count.
            state.in_flight += usize::from(ask);
            self.answered = state.status();
            ask
        };
        if ask {
            self.send(Request::Open);
        }
        &self.answered
    }

    /// Chooses the output device by name; `None` (or an empty name) for the system default. If the device was opened
    /// already, the worker reopens it on the new choice; otherwise the next `open` does. Never blocks.
    pub fn set_device(&mut self, device: Option<String>) {
        let device = device.filter(|name| !name.trim().is_empty());
        let ask = {
            let mut state = self.shared.lock();
            let ask = state.wanted != device && state.opened_once;
            state.wanted = device;
            if ask {
                state.status = AudioStatus::opening();
                state.in_flight += 1;
            }
            ask
        };
        if ask {
            self.send(Request::Open);
        }
    }

    /// Sends a request counted in `in_flight` to the worker.
    fn send(&mut self, request: Request) {
        let sent = self.requests.as_ref().is_some_and(|requests| requests.send(request).is_ok());
        if !sent {
            let mut state = self.shared.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            state.status = AudioStatus::Unavailable(format!("{CANNOT_OPEN} (no sound thread)"));
            self.answered = state.status();
        }
    }

    /// The device chosen with [`ChimePlayer::set_device`].
    pub fn device(&self) -> Option<String> {
        self.shared.lock().wanted.clone()
    }

    /// Calls `listener` on the worker thread whenever the worker has finished opening (ready, or why not), or the
    /// device was lost. Keep it short (hand over to the UI thread, e.g. with `slint::invoke_from_event_loop`).
    pub fn on_status_change(&self, listener: impl Fn(&AudioStatus) + Send + 'static) {
        *self.shared.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(listener));
    }

    /// Waits until the worker has answered the last open request, at most `patience`, and returns the status. For the
    /// terminal; the window never waits.
    pub fn wait_until_open(&self, patience: Duration) -> AudioStatus {
        let state = self.shared.lock();
        let (state, _) = self
            .shared
            .changed
            .wait_timeout_while(state, patience, |state| state.in_flight > 0)
            .unwrap_or_else(PoisonError::into_inner);
        state.status()
    }

    /// For a chime due right after opening (the terminal): waits for the chosen set to be rendered, for the device
    /// to open (a few seconds at most, then visual cues carry on) and for a just-opened stream to settle (see
    /// `wait_until_settled`). The window opens the device long before the first chime and does not need this.
    pub fn settle(&self) {
        self.bank();
        self.wait_until_open(OPEN_PATIENCE);
        let track = self.shared.lock().settled().map(|live| live.track.clone());
        if let Some(track) = track {
            wait_until_settled(&track);
        }
    }

    /// Ready, or why not. A device lost since it was opened shows here. Quick: a short lock, never held by audio.
    pub fn status(&self) -> AudioStatus {
        self.shared.lock().status()
    }

    /// Something to tell the user while sound works: the chosen device was missing and the default one plays
    /// ([`DEVICE_MISSING`] followed by the name in brackets).
    pub fn notice(&self) -> Option<String> {
        self.shared.lock().notice.clone()
    }

    /// The clock chimes are scheduled on: `play_at` takes readings of this clock.
    pub fn clock(&self) -> SystemClock {
        self.clock
    }

    /// Schedules a chime to be heard at `due` (the device buffer is allowed for when it is known), `due` being a
    /// reading of [`ChimePlayer::clock`]. Never waits: a chime whose set is still being rendered, or handed over
    /// while the device is opening, is placed as soon as both are there (late if it must, dropped once stale).
    pub fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        let now = self.clock.now().since_origin();
        let mut state = self.shared.lock();
        let sound = Sound::Chime(self.settings.set, kind);
        state.queue.push(Queued { sound, due: due.since_origin(), placed_on: None });
        state.place(&self.banks, now);
    }

    /// Schedules a rendered prompt to start at `due` (a reading of [`ChimePlayer::clock`]). Never waits.
    pub fn speak_at(&self, samples: Arc<[f32]>, due: MonotonicTime) {
        self.sounds().play_at(samples, due);
    }

    /// Fades out the prompt speaking now and forgets prompts handed over that have not started.
    pub fn stop_speech(&self) {
        let mut state = self.shared.lock();
        state.queue.retain(|queued| !matches!(queued.sound, Sound::Speech(_)));
        if let Some(live) = &state.live {
            live.track.stop_speech();
        }
    }

    /// A handle any thread can play rendered sounds with (the voice worker plays "Test voice" and recordings
    /// through it).
    pub fn sounds(&self) -> SoundHandle {
        SoundHandle { shared: self.shared.clone(), banks: self.banks.clone(), clock: self.clock }
    }

    /// Plays a chime now (test sound, `chimes --play`).
    pub fn play_now(&self, kind: ChimeKind) {
        self.play_at(kind, self.clock.now());
    }

    pub fn cancel_unstarted(&self) {
        let mut state = self.shared.lock();
        state.queue.clear();
        if let Some(live) = &state.live {
            live.track.cancel_unstarted();
        }
    }

    pub fn settings(&self) -> ChimeSettings {
        self.settings
    }

    /// The chosen set's chimes, rendering them first if the background render has not yet: blocks, for the
    /// terminal only (the lengths of the sounds).
    pub fn bank(&self) -> Arc<ChimeBank> {
        self.banks.get_or_render(self.settings.set)
    }

    /// Volume, mute and set take effect at once; a set is never rendered again once it was.
    pub fn set_settings(&mut self, settings: ChimeSettings) {
        self.settings = settings;
        let mut state = self.shared.lock();
        state.gain = settings.gain();
        if let Some(live) = &state.live {
            live.track.set_gain(state.gain);
        }
    }
}

/// Plays rendered sounds (prompts, recordings) through a [`ChimePlayer`] from any thread. Never waits.
#[derive(Clone)]
pub struct SoundHandle {
    shared: Arc<Shared>,
    banks: Arc<ChimeBanks>,
    clock: SystemClock,
}

impl SoundHandle {
    /// Plays `samples` (mono, [`super::SAMPLE_RATE`]) starting at `due`, on the speech side of the track: a later
    /// `stop_speech` or `cancel_unstarted` stops or withdraws it.
    pub fn play_at(&self, samples: Arc<[f32]>, due: MonotonicTime) {
        let now = self.clock.now().since_origin();
        let mut state = self.shared.lock();
        state.queue.push(Queued { sound: Sound::Speech(samples), due: due.since_origin(), placed_on: None });
        state.place(&self.banks, now);
    }

    /// Plays `samples` now: "Test voice", a recording played back.
    pub fn play_now(&self, samples: Arc<[f32]>) {
        self.play_at(samples, self.clock.now());
    }
}

/// Renders every set not yet in `banks`, `first` first, on a thread of its own, and places the chimes that were
/// waiting for each.
fn render_in_background(banks: &Arc<ChimeBanks>, first: ChimeSet, shared: Weak<Shared>, clock: SystemClock) {
    let order: Vec<ChimeSet> = std::iter::once(first)
        .chain(ChimeSet::ALL.into_iter().filter(|set| *set != first))
        .filter(|set| banks.get(*set).is_none())
        .collect();
    if order.is_empty() {
        return;
    }
    let banks = banks.clone();
    let job = move || {
        for set in order {
            banks.get_or_render(set);
            if let Some(shared) = shared.upgrade() {
                shared.lock().place(&banks, clock.now().since_origin());
            }
        }
    };
    // Without a thread, `ChimePlayer::bank` still renders on demand (the terminal); the window stays silent.
    let _ = std::thread::Builder::new().name("stillpoint-chimes".into()).spawn(job);
}

/// A device just opened, with its track.
struct Attempt {
    opened: OpenedDevice,
    track: TrackHandle,
    lost: LostSignal,
    generation: u64,
}

/// The worker thread: owns the open device (the stream is created and dropped here) and does every slow thing.
struct Worker {
    opener: Box<dyn DeviceOpener>,
    /// Weak: a player dropped while the device is still opening lets the worker end afterwards.
    shared: Weak<Shared>,
    banks: Arc<ChimeBanks>,
    clock: SystemClock,
    notify: Sender<Request>,
    stream: Option<Box<dyn Any>>,
    /// Counts the devices opened (or tried), so a late error from a replaced device is not taken for the current one.
    generation: u64,
    /// The generation of `stream`.
    live_generation: u64,
    /// The last warning printed, so each failure is reported once.
    warned: Option<String>,
}

impl Worker {
    fn run(mut self, requests: &Receiver<Request>) {
        while let Ok(request) = requests.recv() {
            let Some(shared) = self.shared.upgrade() else { return };
            match request {
                Request::Shutdown => return,
                Request::Lost { generation } if generation == self.live_generation => {
                    self.warn(&AudioStatus::Unavailable(DEVICE_LOST.to_owned()));
                    shared.announce();
                }
                Request::Lost { .. } => {}
                Request::Open => {
                    // Requests that piled up while the last one was served count once; a lost device shows in its
                    // flag, which the open below checks.
                    let mut served = 1;
                    loop {
                        match requests.try_recv() {
                            Ok(Request::Shutdown) => return,
                            Ok(Request::Open) => served += 1,
                            Ok(Request::Lost { .. }) => {}
                            Err(_) => break,
                        }
                    }
                    self.open(&shared);
                    {
                        let mut state = shared.lock();
                        state.in_flight = state.in_flight.saturating_sub(served);
                    }
                    shared.announce();
                }
            }
        }
    }

    fn open(&mut self, shared: &Shared) {
        let (wanted, settled) = {
            let state = shared.lock();
            (state.wanted.clone(), state.settled().map(|live| live.fallback))
        };
        match (settled, &wanted) {
            (Some(false), _) => {
                let mut state = shared.lock();
                state.status = AudioStatus::Ready;
            }
            // The default stands in for the chosen device: look for it again, and keep the default if it is still
            // missing or will not open.
            (Some(true), Some(name)) => {
                if let Ok(attempt) = self.attempt(shared, Some(name)) {
                    self.publish(shared, attempt, wanted.clone(), false, None);
                }
            }
            _ => {
                {
                    let mut state = shared.lock();
                    state.live = None;
                    state.status = AudioStatus::opening();
                }
                // Closing the old stream may take a moment: on this thread, with no lock held.
                self.stream = None;
                self.live_generation = 0;
                let (result, fallback) = match &wanted {
                    Some(name) => match self.attempt(shared, Some(name)) {
                        Err(OpenError::NotFound) => (self.attempt(shared, None), true),
                        other => (other, false),
                    },
                    None => (self.attempt(shared, None), false),
                };
                let notice = wanted.as_ref().filter(|_| fallback).map(|name| format!("{DEVICE_MISSING} ({name})"));
                match result {
                    Ok(attempt) => self.publish(shared, attempt, wanted.clone(), fallback, notice),
                    Err(err) => {
                        let reason = match err {
                            OpenError::NoDevice | OpenError::NotFound => NO_DEVICE.to_owned(),
                            OpenError::Failed(detail) => format!("{CANNOT_OPEN} ({detail})"),
                        };
                        let status = AudioStatus::Unavailable(reason);
                        self.warn(&status);
                        let mut state = shared.lock();
                        state.status = status;
                        state.notice = notice;
                    }
                }
            }
        }
    }

    /// Opens one device with a fresh track. Blocks for as long as the device takes.
    fn attempt(&mut self, shared: &Shared, name: Option<&str>) -> Result<Attempt, OpenError> {
        self.generation += 1;
        let generation = self.generation;
        let clock = self.clock;
        let (track, handle) = CueTrack::new(move || clock.now().since_origin());
        handle.set_gain(shared.lock().gain);
        let lost = LostSignal::new(Some(self.notify.clone()), generation);
        let opened = self.opener.open(name, track, lost.clone())?;
        Ok(Attempt { opened, track: handle, lost, generation })
    }

    /// Makes a freshly opened device the one chimes go to, places on it the chimes handed over and not yet heard,
    /// and closes the one it replaces.
    fn publish(
        &mut self,
        shared: &Shared,
        Attempt { opened, track, lost, generation }: Attempt,
        requested: Option<String>,
        fallback: bool,
        notice: Option<String>,
    ) {
        let replaced = self.stream.replace(opened.stream);
        self.live_generation = generation;
        {
            let mut state = shared.lock();
            track.set_gain(state.gain);
            state.live = Some(Live { track, latency: opened.latency, lost, generation, requested, fallback });
            state.status = AudioStatus::Ready;
            state.notice = notice.clone();
            state.place(&self.banks, self.clock.now().since_origin());
        }
        drop(replaced);
        if let Some(notice) = notice {
            self.warn(&AudioStatus::Unavailable(notice));
        } else {
            self.warned = None;
        }
    }

    fn warn(&mut self, status: &AudioStatus) {
        let AudioStatus::Unavailable(reason) = status else { return };
        if self.warned.as_ref() != Some(reason) {
            if reason.starts_with(DEVICE_MISSING) {
                eprintln!("stillpoint: {reason}");
            } else {
                eprintln!("stillpoint: {reason}; chimes are off, visual cues continue");
            }
            self.warned = Some(reason.clone());
        }
    }
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
