//! The app's state and navigation: which screen shows, and what each user action does. Plain Rust: the Slint
//! adapters call into it and draw what it says, and tests drive it without a window.

use std::rc::Rc;
use std::sync::Arc;

use super::history::HistoryController;
use super::keys::KeyAction;
use super::library::{AudienceFilter, LibraryController};
use super::resume::{ResumeOffer, ResumeProblem};
use super::screening::{Decision, Screened, ScreeningController};
use super::session::SessionController;
use super::tasks::{Answer, Task};
use crate::audio::{AudioStatus, ChimeOutput};
use crate::cues::ChimeKind;
use crate::driver::{EXTEND_BY, Persist};
use crate::engine::{Clock, Command};
use crate::sequence::Sequence;
use crate::sequence::library::Library;
use crate::store::{HistoryRead, RATING_MAX, SessionRecord, Settings, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Library,
    Screening,
    Session,
    Aftercare,
    Settings,
    History,
    Editor,
}

pub struct AppController {
    pub library: LibraryController,
    pub screening: Option<ScreeningController>,
    pub session: Option<SessionController>,
    pub last_record: Option<SessionRecord>,
    /// A session the app went away during, offered on the library until resumed or discarded.
    pub resume_offer: Option<ResumeOffer>,
    pub history: Option<HistoryController>,
    /// Work waiting to be handed to another thread.
    tasks: Vec<Task>,
    voice: Option<crate::voice::VoicePrompts>,
    /// Where "Record prompt" records from.
    pub(super) microphone: crate::voice::OpenMicrophone,
    /// The editor, while it is open (see `editing.rs`).
    pub(super) editing: Option<super::editing::EditorState>,
    pub(super) choosing_template: bool,
    pub(super) confirm_delete: bool,
    /// A draft is being tried: aftercare goes back to the editor.
    pub(super) return_to_editor: bool,
    /// Where the library is read from, to read it again after a save or a delete.
    pub(super) library_dirs: super::tasks::LibraryDirs,
    /// A treatment-room panel: leaving takes a long press or a key chord, and a question.
    kiosk: bool,
    confirm_leave: bool,
    quit: bool,
    audio_device_override: Option<String>,
    /// The output devices the settings screen offers, once listed (off this thread).
    pub audio_outputs: Option<Vec<crate::audio::OutputDevice>>,
    settings: Settings,
    store: Store,
    clock: Rc<dyn Clock>,
    chimes: Box<dyn ChimeOutput>,
    pub(super) screen: ScreenId,
    /// Where closing the settings returns to.
    before_settings: ScreenId,
    /// Where leaving the history returns to.
    before_history: ScreenId,
    notices: Vec<String>,
    save_problem: Option<String>,
}

impl AppController {
    pub fn new(library: Library, mut store: Store, clock: Rc<dyn Clock>, chimes: Box<dyn ChimeOutput>) -> Self {
        let settings = store.load_settings();
        let checkpoint = store.load_checkpoint();
        let notices = store.take_notices();
        let mut controller = Self {
            library: LibraryController::new(library),
            screening: None,
            session: None,
            last_record: None,
            resume_offer: None,
            history: None,
            tasks: Vec::new(),
            voice: None,
            microphone: crate::voice::default_microphone,
            editing: None,
            choosing_template: false,
            confirm_delete: false,
            return_to_editor: false,
            library_dirs: Default::default(),
            kiosk: false,
            confirm_leave: false,
            quit: false,
            audio_device_override: None,
            audio_outputs: None,
            settings,
            store,
            clock,
            chimes,
            screen: ScreenId::Library,
            before_settings: ScreenId::Library,
            before_history: ScreenId::Library,
            notices,
            save_problem: None,
        };
        controller.apply_settings();
        if let Some(checkpoint) = checkpoint {
            let offer = ResumeOffer::new(checkpoint, &controller.library, &controller.settings, controller.clock.now());
            let automatic = controller.settings.resume_after_power_cut && offer.problem.is_none();
            controller.resume_offer = Some(offer);
            if automatic {
                controller.resume();
            }
        }
        controller
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    // Resume

    /// Puts the interrupted session back, as it was, on the session screen.
    pub fn resume(&mut self) {
        let Some(offer) = self.resume_offer.take() else { return };
        let Some(sequence) = offer.sequence.clone().filter(|_| offer.problem.is_none()) else {
            self.resume_offer = Some(offer);
            return;
        };
        let voice = self.session_voice();
        let resumed = SessionController::resume(
            sequence.clone(),
            self.plan_of(&sequence),
            self.settings.engine(),
            self.clock.clone(),
            &offer.checkpoint,
            voice,
            self.chimes.as_mut(),
        );
        match resumed {
            Ok(session) => {
                self.screening = Some(ScreeningController::new(sequence));
                self.session = Some(session);
                self.screen = ScreenId::Session;
            }
            Err(err) => {
                self.resume_offer = Some(ResumeOffer { problem: Some(ResumeProblem::Unplayable(err)), ..offer });
            }
        }
    }

    /// Gives up the interrupted session: its record goes to the history as stopped where it was.
    pub fn discard_resume(&mut self) {
        let Some(offer) = self.resume_offer.take() else { return };
        let mut record = offer.checkpoint.record;
        record.end_interrupted();
        self.store.append(record);
        self.store.clear_checkpoint();
    }

    /// Writes where the session is now, whatever is due: the app is being put away (Android's pause, a window
    /// closing). Returns once it is on disk.
    pub fn save_state_now(&mut self) {
        if let Some(checkpoint) = self.session.as_mut().and_then(SessionController::checkpoint_now) {
            self.store.save_checkpoint(checkpoint);
        }
        self.store.flush();
    }

    /// Hands what the session asks to keep to the store's writer.
    fn persist_session(&mut self) {
        let Some(session) = &mut self.session else { return };
        while let Some(persist) = session.take_persist() {
            match persist {
                Persist::Checkpoint(checkpoint) => self.store.save_checkpoint(*checkpoint),
                Persist::Finished(record) => {
                    self.store.append(*record);
                    self.store.clear_checkpoint();
                }
            }
        }
    }

    pub fn screen(&self) -> ScreenId {
        self.screen
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn sound_status(&self) -> AudioStatus {
        self.chimes.status()
    }

    /// Problems worth telling the user once (an unreadable settings file, a failed save), until dismissed.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub(super) fn push_notice(&mut self, notice: String) {
        self.notices.push(notice);
    }

    pub fn dismiss_notices(&mut self) {
        self.notices.clear();
    }

    // Voice

    /// The speech engine, loaded on a thread of its own (the window's; tests and screenshots have none).
    pub fn set_voice_prompts(&mut self, prompts: crate::voice::VoicePrompts) {
        self.voice = Some(prompts);
    }

    /// Whether prompts can be spoken: `None` when voice is off or there is no engine at all.
    pub fn voice_status(&self) -> Option<crate::voice::VoiceStatus> {
        self.voice.as_ref().filter(|_| self.settings.voice.enabled).map(crate::voice::VoicePrompts::status)
    }

    /// The steps of a session of `sequence`, with the user's cue defaults and in the user's language.
    fn plan_of(&self, sequence: &Sequence) -> Arc<crate::sequence::Plan> {
        Arc::new(sequence.plan_in(&self.settings.cue_defaults(), self.settings.language.effective()))
    }

    /// The voice for a session, when voice is on and the engine is there (recordings play without it).
    fn session_voice(&self) -> Option<crate::voice::SessionVoice> {
        let prompts = self.voice.clone().filter(|_| self.settings.voice.enabled)?;
        let speech = crate::voice::Lang::of_app(self.settings.language);
        Some(crate::voice::SessionVoice::new(prompts, self.settings.voice.clone(), speech))
    }

    /// "Test voice": a sentence in the app's language with the chosen voice, rate and volume.
    pub fn test_voice(&mut self) {
        let Some(prompts) = self.voice.clone() else { return };
        let request =
            crate::voice::PromptRequest::test(crate::voice::Lang::of_app(self.settings.language), &self.settings.voice);
        self.chimes.open();
        self.tasks.push(Task::RenderVoice { prompts, request });
    }

    /// Records prompts from `open` instead of the default microphone (tests: a generated signal).
    pub fn set_microphone(&mut self, open: crate::voice::OpenMicrophone) {
        self.microphone = open;
    }

    pub(super) fn play_rendered_voice(&mut self, samples: std::sync::Arc<[f32]>) {
        self.chimes.speak_at(samples, self.clock.now());
    }

    // Kiosk

    pub fn set_kiosk(&mut self, kiosk: bool) {
        self.kiosk = kiosk;
    }

    pub fn is_kiosk(&self) -> bool {
        self.kiosk
    }

    /// The long press or Ctrl+Alt+Q: asks before leaving (only a kiosk can be left this way).
    pub fn request_leave_kiosk(&mut self) {
        self.confirm_leave = self.kiosk;
    }

    pub fn confirm_leave(&self) -> bool {
        self.confirm_leave
    }

    pub fn answer_leave(&mut self, leave: bool) {
        self.confirm_leave = false;
        self.quit = leave;
    }

    /// Whether the app should close now (the kiosk was left).
    pub fn take_quit(&mut self) -> bool {
        std::mem::take(&mut self.quit)
    }

    // History

    /// Shows the history screen, empty until [`AppController::history_loaded`] brings what the files hold.
    pub fn open_history(&mut self) {
        if self.session.is_some() {
            return;
        }
        if self.screen != ScreenId::History {
            self.before_history = self.screen;
        }
        self.history = Some(HistoryController::loading());
        self.tasks.push(Task::ReadHistory(self.store.history_reader()));
        self.screen = ScreenId::History;
    }

    /// Work for another thread: reading and writing files, asking the sound system.
    pub fn take_tasks(&mut self) -> Vec<Task> {
        std::mem::take(&mut self.tasks)
    }

    pub(super) fn push_task(&mut self, task: Task) {
        self.tasks.push(task);
    }

    /// What another thread's work came back with.
    pub fn answer(&mut self, answer: Answer) {
        match answer {
            Answer::History(read) => self.history_loaded(read),
            Answer::Outputs(outputs) => self.audio_outputs = Some(outputs),
            Answer::Saved(saved, library) => self.sequence_saved(saved, library),
            Answer::Deleted(moved, library) => self.sequence_deleted(moved, library),
            Answer::Voice(Some(samples)) => self.play_rendered_voice(samples),
            Answer::Voice(None) => {}
            Answer::TakeSaved(step, saved) => self.take_saved(step, saved),
            Answer::PromptLoaded(loaded) => self.prompt_loaded(loaded),
            Answer::TakesRemoved(problems) => {
                for problem in problems {
                    self.push_notice(format!("a recording was not removed: {problem}"));
                }
            }
        }
    }

    pub fn history_loaded(&mut self, read: HistoryRead) {
        if let Some(history) = &mut self.history {
            self.notices.extend(read.notices.iter().cloned());
            history.loaded(read);
        }
    }

    /// Back from the history: closes a session's steps first, then the screen.
    pub fn history_back(&mut self) {
        if self.history.as_mut().is_some_and(HistoryController::close) {
            return;
        }
        self.history = None;
        self.screen = if self.before_history == ScreenId::History { ScreenId::Library } else { self.before_history };
    }

    // Library

    pub fn set_filter(&mut self, filter: AudienceFilter) {
        self.library.set_filter(filter);
    }

    pub fn choose_sequence(&mut self, id: &str) {
        if let Some(sequence) = self.library.find(id) {
            self.open_sequence(sequence);
        }
    }

    pub fn open_path(&mut self, path: &str) {
        if let Some(sequence) = self.library.open_path(path) {
            self.open_sequence(sequence);
        }
    }

    /// Goes to screening for `sequence` (what `stillpoint ID|PATH` opens straight into).
    pub fn open_sequence(&mut self, sequence: Arc<Sequence>) {
        if self.session.is_some() {
            return;
        }
        self.screening = Some(ScreeningController::new(sequence));
        self.screen = ScreenId::Screening;
    }

    /// The optional before-session rating (tapping the chosen number again clears it).
    pub fn screening_rating(&mut self, rating: u8) {
        if let Some(screening) = &mut self.screening {
            screening.set_rating(rating);
        }
    }

    // Screening

    pub fn screening_answer(&mut self, index: usize, yes: bool) {
        if let Some(screening) = &mut self.screening {
            screening.answer(index, yes);
        }
    }

    pub fn none_apply(&mut self) {
        let decision = self.screening.as_mut().map(ScreeningController::none_apply);
        self.follow(decision);
    }

    pub fn proceed(&mut self) {
        let decision = self.screening.as_mut().map(ScreeningController::proceed);
        self.follow(decision);
    }

    pub fn answer_proceed(&mut self, proceed: bool) {
        let decision = self.screening.as_mut().map(|s| s.answer_confirmation(proceed));
        self.follow(decision);
    }

    pub fn back_to_library(&mut self) {
        self.screening = None;
        self.screen = ScreenId::Library;
    }

    fn follow(&mut self, decision: Option<Decision>) {
        if let Some(Decision::Start(screened)) = decision {
            let Some(sequence) = self.screening.as_ref().map(|s| s.sequence().clone()) else { return };
            // Starting anew gives up a session still on offer: it is kept in the history as stopped.
            self.discard_resume();
            let Screened { answers, proceeded_despite_yes, rating_before } = screened;
            let mut record = SessionRecord::begin(&sequence, self.store.device(), self.settings.language.effective());
            record.screening = answers;
            record.proceeded_despite_yes = proceeded_despite_yes;
            record.rating_before = rating_before;
            let path = self.library.path_of(&sequence);
            let voice = self.session_voice();
            let mut session = SessionController::start(
                sequence.clone(),
                self.plan_of(&sequence),
                self.settings.engine(),
                self.clock.clone(),
                record,
                voice,
                self.chimes.as_mut(),
            );
            session.set_sequence_path(path);
            self.session = Some(session);
            self.screen = ScreenId::Session;
            self.persist_session();
        }
    }

    // Session

    pub fn session_command(&mut self, command: Command) {
        if let Some(session) = &mut self.session {
            session.command(command, self.chimes.as_mut());
        }
        self.leave_finished_session();
    }

    pub fn session_tick(&mut self) {
        if let Some(session) = &mut self.session {
            session.tick(self.chimes.as_mut());
        }
        self.leave_finished_session();
    }

    pub fn ask_to_stop(&mut self) {
        if let Some(session) = &mut self.session {
            session.ask_to_stop();
        }
    }

    pub fn answer_stop(&mut self, stop: bool) {
        if let Some(session) = &mut self.session {
            session.answer_stop(stop, self.chimes.as_mut());
        }
        self.leave_finished_session();
    }

    fn leave_finished_session(&mut self) {
        self.persist_session();
        if self.session.as_ref().is_some_and(SessionController::is_finished) {
            self.last_record = self.session.take().map(|s| s.record().clone());
            self.screen = ScreenId::Aftercare;
        }
    }

    /// The after-session rating; the record is written again with it (a later revision of the same record).
    pub fn aftercare_rating(&mut self, rating: u8) {
        let Some(record) = &mut self.last_record else { return };
        let rating = rating.min(RATING_MAX);
        record.rating_after = if record.rating_after == Some(rating) { None } else { Some(rating) };
        record.revision += 1;
        self.store.append(record.clone());
    }

    // Aftercare

    pub fn aftercare_done(&mut self) {
        if self.after_trying() {
            return;
        }
        self.screening = None;
        self.screen = ScreenId::Library;
    }

    /// Runs the same sequence again, through screening: answers can change between sessions.
    pub fn aftercare_again(&mut self) {
        match self.screening.as_ref().map(|s| s.sequence().clone()) {
            Some(sequence) => self.open_sequence(sequence),
            None => self.aftercare_done(),
        }
    }

    // Settings

    pub fn open_settings(&mut self) {
        if self.screen != ScreenId::Settings && self.session.is_none() {
            self.before_settings = self.screen;
            self.screen = ScreenId::Settings;
            self.tasks.push(Task::ListOutputs);
        }
    }

    pub fn close_settings(&mut self) {
        if self.screen == ScreenId::Settings {
            self.screen = self.before_settings;
        }
    }

    /// Changes settings, saves them at once, and applies them. A failed save is reported on the settings screen
    /// (and on stderr), and the changed settings still apply for this run.
    /// Changes settings and applies them at once; the file is written by the store's writer, off this thread.
    pub fn update_settings(&mut self, change: impl FnOnce(&mut Settings)) {
        change(&mut self.settings);
        self.store.save_settings(&self.settings);
        self.apply_settings();
    }

    /// Why the last change of settings could not be saved, if it could not (reported by the writer since).
    pub fn save_problem(&self) -> Option<&str> {
        self.save_problem.as_deref()
    }

    /// Collects what the store's writer reported since the last look, for the notice and the settings screen.
    pub fn collect_store_problems(&mut self) {
        for problem in self.store.take_notices() {
            if problem.starts_with("settings not saved") {
                self.save_problem = Some(problem.clone());
            }
            self.notices.push(problem);
        }
    }

    fn apply_settings(&mut self) {
        self.library.set_reader(self.settings.language.effective());
        self.chimes.apply_settings(self.settings.chimes());
        self.chimes.set_device(self.audio_device_override.clone().or_else(|| self.settings.audio_device.clone()));
        if let Some(session) = &mut self.session {
            session.set_auto_advance(self.settings.auto_advance, self.chimes.as_mut());
        }
    }

    /// Opens the sound device if it is not open (at start-up, and before each session: a speaker plugged in since
    /// is found then).
    pub fn open_sound(&mut self) -> AudioStatus {
        self.chimes.open()
    }

    /// Plays the step-start chime now, reopening the device first if it was missing.
    /// It plays as soon as the device is open (at once, if it is).
    pub fn test_sound(&mut self) {
        self.chimes.open();
        self.chimes.play_at(ChimeKind::StepStart, self.clock.now());
    }

    /// Something to say about sound while it works (the chosen device is missing, the default plays).
    pub fn sound_notice(&self) -> Option<String> {
        self.chimes.notice()
    }

    /// The output for this run only (`--audio-device`), over the saved choice.
    pub fn set_audio_device_override(&mut self, device: Option<String>) {
        self.audio_device_override = device;
        self.apply_settings();
    }

    /// What a key does on the current screen. `false` when it means nothing here.
    pub fn key(&mut self, action: KeyAction) -> bool {
        if self.confirm_leave {
            match action {
                KeyAction::Confirm => self.answer_leave(true),
                KeyAction::Primary | KeyAction::Escape => self.answer_leave(false),
                _ => {}
            }
            return true;
        }
        if action == KeyAction::Mute {
            self.update_settings(|s| s.muted = !s.muted);
            return true;
        }
        // Enter does what Space does, except where it confirms something Space would dismiss.
        let main = matches!(action, KeyAction::Primary | KeyAction::Confirm);
        match self.screen {
            ScreenId::Session => self.session_key(action),
            ScreenId::Screening => {
                let confirming = self.screening.as_ref().is_some_and(ScreeningController::confirm_proceed);
                match (action, confirming) {
                    (KeyAction::Confirm, true) => self.answer_proceed(true),
                    (KeyAction::Escape | KeyAction::Primary, true) => self.answer_proceed(false),
                    (_, false) if main => self.none_apply(),
                    (KeyAction::Escape, false) => self.back_to_library(),
                    _ => return false,
                }
                true
            }
            ScreenId::Aftercare => {
                if main || action == KeyAction::Escape {
                    self.aftercare_done();
                    return true;
                }
                false
            }
            ScreenId::Editor => {
                let Some(state) = &mut self.editing else { return false };
                if state.confirm_leave {
                    match action {
                        KeyAction::Escape | KeyAction::Primary => self.answer_leave_editor(super::LeaveChoice::Cancel),
                        KeyAction::Confirm => self.answer_leave_editor(super::LeaveChoice::Save),
                        _ => return false,
                    }
                    return true;
                }
                match action {
                    KeyAction::Escape => self.close_editor(),
                    KeyAction::Next => state.editor.move_selection(1),
                    KeyAction::Back => state.editor.move_selection(-1),
                    _ => return false,
                }
                true
            }
            ScreenId::History => {
                let Some(history) = &mut self.history else { return false };
                match action {
                    KeyAction::Next => history.move_selection(1),
                    KeyAction::Back => history.move_selection(-1),
                    KeyAction::Escape => self.history_back(),
                    _ if main => return history.open_selected(),
                    _ => return false,
                }
                true
            }
            ScreenId::Settings => match action {
                KeyAction::Escape => {
                    self.close_settings();
                    true
                }
                _ => false,
            },
            // The offer to resume comes first: Enter or Space resumes, Esc keeps it in the history as stopped.
            ScreenId::Library if self.resume_offer.is_some() => match action {
                _ if main => {
                    self.resume();
                    true
                }
                KeyAction::Escape => {
                    self.discard_resume();
                    true
                }
                _ => false,
            },
            ScreenId::Library => match action {
                KeyAction::History => {
                    self.open_history();
                    true
                }
                KeyAction::Next => {
                    self.library.move_selection(1);
                    true
                }
                KeyAction::Back => {
                    self.library.move_selection(-1);
                    true
                }
                _ if main => match self.library.selected() {
                    Some(sequence) => {
                        self.open_sequence(sequence);
                        true
                    }
                    None => false,
                },
                _ => false,
            },
        }
    }

    fn session_key(&mut self, action: KeyAction) -> bool {
        if self.session.as_ref().is_some_and(SessionController::confirm_stop) {
            // Only a deliberate Enter stops: the pause pedal (Space) and Esc keep the session going.
            match action {
                KeyAction::Confirm => self.answer_stop(true),
                KeyAction::Primary | KeyAction::Escape => self.answer_stop(false),
                _ => {}
            }
            return true;
        }
        match action {
            KeyAction::Primary | KeyAction::Confirm => self.session_command(Command::TogglePause),
            KeyAction::Next => self.session_command(Command::Next),
            KeyAction::Back => self.session_command(Command::Previous),
            KeyAction::Extend => self.session_command(Command::Extend(EXTEND_BY)),
            KeyAction::Released => self.session_command(Command::MarkReleased),
            KeyAction::Escape => self.ask_to_stop(),
            KeyAction::Fullscreen | KeyAction::Mute | KeyAction::History => return false,
        }
        true
    }
}
