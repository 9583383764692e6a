//! The voice worker: renders prompts on a thread of its own ("stillpoint-voice") and keeps the recent ones, so the
//! session driver (on the UI thread) only asks and looks, never waits. The engine is loaded on that thread when the
//! worker starts, so the first prompt is quick and a missing engine is known (and said) once, early.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::engine::{Lang, PromptVoice, VoiceError, VoiceOptions};
use super::espeak::Espeak;
use super::phrases::phrases;
use super::render::{render_recording, render_script};
use super::script::Script;
use super::settings::VoiceSettings;

/// How many rendered prompts are kept (a few steps ahead and behind; about 1 MB each).
const KEEP: usize = 24;

/// What to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PromptSource {
    /// Synthesized speech.
    Script(Script),
    /// A recorded prompt (a WAV file). `fallback` is spoken instead when the file cannot be played, is silent, or
    /// is too long and has no pause to shorten it at.
    Recording { path: PathBuf, fallback: Option<Script> },
}

/// A prompt to render: what, how, and how long it may last.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PromptRequest {
    pub source: PromptSource,
    pub options: VoiceOptions,
    /// The longest it may last: it is shortened to fit (see `render.rs`).
    pub fit: Option<Duration>,
    /// The voice's gain in thousandths (an integer, so requests can be compared and hashed).
    pub gain_milli: u16,
}

impl PromptRequest {
    pub fn new(source: PromptSource, settings: &VoiceSettings, fit: Option<Duration>) -> Self {
        Self { source, options: settings.options(), fit, gain_milli: (settings.gain() * 1000.0).round() as u16 }
    }

    /// What the settings screen's "Test voice" says, in `language`.
    pub fn test(language: Lang, settings: &VoiceSettings) -> Self {
        Self::new(PromptSource::Script(Script::single(phrases(language).test, language)), settings, None)
    }

    /// Identifies the request (and so its rendering) in the worker's cache.
    pub fn key(&self) -> PromptKey {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        PromptKey(hasher.finish())
    }

    fn gain(&self) -> f32 {
        f32::from(self.gain_milli) / 1000.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PromptKey(u64);

/// Where a prompt is.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptState {
    /// Rendered: mono samples at the track's rate.
    Ready(Arc<[f32]>),
    /// Asked for, not yet rendered.
    Pending,
    /// Nothing to say in the time given (not one word fits).
    Silent,
    Failed(VoiceError),
    /// Never asked for, or forgotten since.
    Unknown,
}

/// Whether prompts can be spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceStatus {
    /// The engine is being loaded.
    Loading,
    /// Ready; what the engine is ("eSpeak NG 1.51").
    Ready(String),
    /// No engine (recorded prompts still play): why, to show once.
    Unavailable(String),
}

type Listener = Box<dyn Fn(&VoiceStatus) + Send>;
type Done = Box<dyn FnOnce(PromptState) + Send>;

enum Job {
    Render(PromptKey, PromptRequest, Option<Done>),
    Shutdown,
}

struct Slot {
    state: PromptState,
    used: u64,
}

struct Shared {
    cache: Mutex<(HashMap<PromptKey, Slot>, u64)>,
    status: Mutex<VoiceStatus>,
    changed: Condvar,
    listener: Mutex<Option<Listener>>,
}

impl Shared {
    fn cache(&self) -> MutexGuard<'_, (HashMap<PromptKey, Slot>, u64)> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_status(&self, status: VoiceStatus) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = status.clone();
        if let Some(listener) = self.listener.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            listener(&status);
        }
    }
}

/// The handle to the voice worker. Cheap to clone; the worker stops when the last clone is dropped.
#[derive(Clone)]
pub struct VoicePrompts {
    shared: Arc<Shared>,
    jobs: Sender<Job>,
    _owner: Arc<Owner>,
}

/// Stops the worker when the last handle goes.
struct Owner(Sender<Job>);

impl Drop for Owner {
    fn drop(&mut self) {
        let _ = self.0.send(Job::Shutdown);
    }
}

impl VoicePrompts {
    /// The worker with eSpeak NG, loaded at once on the worker's thread.
    pub fn start() -> Self {
        Self::with_voice(|| Espeak::load().map(|voice| Box::new(voice) as Box<dyn PromptVoice>))
    }

    /// The worker with the voice `make` returns (tests pass a fake); `make` runs on the worker's thread.
    pub fn with_voice(make: impl FnOnce() -> Result<Box<dyn PromptVoice>, VoiceError> + Send + 'static) -> Self {
        let shared = Arc::new(Shared {
            cache: Mutex::new((HashMap::new(), 0)),
            status: Mutex::new(VoiceStatus::Loading),
            changed: Condvar::new(),
            listener: Mutex::new(None),
        });
        let (jobs, receiver) = mpsc::channel();
        let worker_shared = shared.clone();
        let started = std::thread::Builder::new()
            .name("stillpoint-voice".into())
            .spawn(move || run(make, &worker_shared, &receiver));
        if let Err(err) = started {
            shared.set_status(VoiceStatus::Unavailable(format!("no voice thread ({err})")));
        }
        Self { shared, _owner: Arc::new(Owner(jobs.clone())), jobs }
    }

    /// Ready, loading, or why not.
    pub fn status(&self) -> VoiceStatus {
        self.shared.status.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Calls `listener` on the worker thread when the engine has loaded or failed to. Keep it short (hand over to the
    /// UI thread).
    pub fn on_status_change(&self, listener: impl Fn(&VoiceStatus) + Send + 'static) {
        *self.shared.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(listener));
    }

    /// Waits until the engine has loaded or failed, at most `patience` (the terminal; the window never waits).
    pub fn wait_until_loaded(&self, patience: Duration) -> VoiceStatus {
        let give_up = Instant::now() + patience;
        loop {
            let status = self.status();
            if status != VoiceStatus::Loading || Instant::now() >= give_up {
                return status;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Asks for `request` to be rendered, unless it is already (or is being). Never waits.
    pub fn request(&self, request: &PromptRequest) -> PromptKey {
        self.submit(request, None)
    }

    /// Renders `request` and calls `done` with the result, on the worker thread (for "Test voice" and playing back a
    /// recording: hand the samples to the player from there).
    pub fn render_then(&self, request: &PromptRequest, done: impl FnOnce(PromptState) + Send + 'static) {
        self.submit(request, Some(Box::new(done)));
    }

    fn submit(&self, request: &PromptRequest, done: Option<Done>) -> PromptKey {
        let key = request.key();
        let fresh = {
            let mut guard = self.shared.cache();
            let (cache, clock) = &mut *guard;
            *clock += 1;
            match cache.get_mut(&key) {
                Some(slot) => {
                    slot.used = *clock;
                    false
                }
                None => {
                    cache.insert(key, Slot { state: PromptState::Pending, used: *clock });
                    true
                }
            }
        };
        if (fresh || done.is_some()) && self.jobs.send(Job::Render(key, request.clone(), done)).is_err() {
            let mut guard = self.shared.cache();
            guard.0.insert(
                key,
                Slot { state: PromptState::Failed(VoiceError::Unavailable("no voice thread".to_owned())), used: 0 },
            );
        }
        key
    }

    /// Where the prompt is. Never waits.
    pub fn state(&self, key: PromptKey) -> PromptState {
        self.shared.cache().0.get(&key).map_or(PromptState::Unknown, |slot| slot.state.clone())
    }

    /// Renders `request` and waits for it, at most `patience` (the terminal's `say`; never the UI thread).
    pub fn render_blocking(&self, request: &PromptRequest, patience: Duration) -> PromptState {
        let key = self.request(request);
        let guard = self.shared.cache();
        let (guard, _) = self
            .shared
            .changed
            .wait_timeout_while(guard, patience, |(cache, _)| {
                cache.get(&key).is_some_and(|slot| slot.state == PromptState::Pending)
            })
            .unwrap_or_else(PoisonError::into_inner);
        guard.0.get(&key).map_or(PromptState::Unknown, |slot| slot.state.clone())
    }
}

fn run(make: impl FnOnce() -> Result<Box<dyn PromptVoice>, VoiceError>, shared: &Shared, jobs: &Receiver<Job>) {
    let mut voice = match make() {
        Ok(voice) => {
            shared.set_status(VoiceStatus::Ready(voice.describe()));
            Some(voice)
        }
        Err(err) => {
            let reason = match err {
                VoiceError::Unavailable(reason) | VoiceError::Failed(reason) => reason,
            };
            shared.set_status(VoiceStatus::Unavailable(reason));
            None
        }
    };
    while let Ok(job) = jobs.recv() {
        let Job::Render(key, request, done) = job else { return };
        let cached = shared.cache().0.get(&key).map(|slot| slot.state.clone());
        let state = match cached {
            Some(PromptState::Pending) | None => render(voice.as_deref_mut(), &request, shared),
            Some(state) => state,
        };
        {
            let mut guard = shared.cache();
            let (cache, clock) = &mut *guard;
            *clock += 1;
            cache.insert(key, Slot { state: state.clone(), used: *clock });
            if cache.len() > KEEP {
                let oldest = cache
                    .iter()
                    .filter(|(k, slot)| **k != key && slot.state != PromptState::Pending)
                    .min_by_key(|(_, slot)| slot.used)
                    .map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    cache.remove(&oldest);
                }
            }
        }
        shared.changed.notify_all();
        if let Some(done) = done {
            done(state);
        }
    }
}

fn render(voice: Option<&mut (dyn PromptVoice + 'static)>, request: &PromptRequest, shared: &Shared) -> PromptState {
    let gain = request.gain();
    let speak = |voice: Option<&mut (dyn PromptVoice + 'static)>, script: &Script| -> PromptState {
        let Some(voice) = voice else {
            let reason = match &*shared.status.lock().unwrap_or_else(PoisonError::into_inner) {
                VoiceStatus::Unavailable(reason) => reason.clone(),
                _ => "no speech engine".to_owned(),
            };
            return PromptState::Failed(VoiceError::Unavailable(reason));
        };
        match render_script(voice, script, &request.options, request.fit, gain) {
            Ok(Some(samples)) => PromptState::Ready(samples.into()),
            Ok(None) => PromptState::Silent,
            Err(err) => PromptState::Failed(err),
        }
    };
    match &request.source {
        PromptSource::Script(script) => speak(voice, script),
        PromptSource::Recording { path, fallback } => match render_recording(path, request.fit, gain) {
            Ok(Some(samples)) => PromptState::Ready(samples.into()),
            result => match fallback {
                Some(script) => speak(voice, script),
                None => match result {
                    Err(err) => PromptState::Failed(err),
                    _ => PromptState::Silent,
                },
            },
        },
    }
}
