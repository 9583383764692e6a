//! "Record prompt" in the editor: the therapist's own words for a step, recorded from the microphone, played back,
//! recorded again or removed. A take is written beside the user's sequences under a name of its own and named by the
//! step's `voice` field (an undoable edit); takes the saved file does not name are removed when the editor closes.

use std::path::PathBuf;
use std::time::Duration;

use super::controller::AppController;
use super::tasks::Task;
use crate::editor::{Edit, StepEdit};
use crate::voice::{MAX_RECORDING, Recording, RecordingState};

/// A take under way, for one step.
pub struct PromptTake {
    step: usize,
    recording: Recording,
}

/// What the step form's recorder shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecorderPhase {
    Idle,
    /// The microphone is being opened.
    Opening,
    Recording,
    /// The take is being written.
    Saving,
}

/// The recorder's meter while a take runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecorderMeter {
    /// Peak of the last 50 ms, 0 to 1.
    pub level: f32,
    pub elapsed: Duration,
    /// The microphone is open (until then, the take is `Opening`).
    pub open: bool,
    /// The take stopped by itself (the microphone went away, or the limit was reached): it is to be kept now.
    pub ended: bool,
}

impl AppController {
    /// Starts recording the selected step's prompt.
    pub fn record_prompt(&mut self) {
        let has_folder = self.user_sequence_dir().is_some();
        let open = self.microphone;
        let Some(state) = &mut self.editing else { return };
        let Some(step) = state.editor.selected() else { return };
        if state.take.is_some() || state.saving_take {
            return;
        }
        if !has_folder {
            state.voice_problem = Some("there is no data folder to keep recordings in (see --data-dir)".to_owned());
            return;
        }
        state.voice_problem = None;
        state.take = Some(PromptTake { step, recording: Recording::start_from(open) });
    }

    /// Stops the take and keeps it (written off the UI thread); a take that failed says why.
    pub fn stop_recording(&mut self) {
        let dir = self.user_sequence_dir();
        let Some(state) = &mut self.editing else { return };
        let Some(take) = state.take.take() else { return };
        if let RecordingState::Failed(err) = take.recording.state() {
            state.voice_problem = Some(err.to_string());
            return;
        }
        let Some(dir) = dir else { return };
        state.saving_take = true;
        let id = state.editor.draft().id.clone();
        self.push_task(Task::SaveTake { recording: take.recording, step: take.step, id, dir });
    }

    /// The recorder's meter, while a take runs.
    pub fn recorder_meter(&self) -> Option<RecorderMeter> {
        let take = self.editing.as_ref()?.take.as_ref()?;
        let state = take.recording.state();
        Some(RecorderMeter {
            level: take.recording.level(),
            elapsed: take.recording.elapsed().min(MAX_RECORDING),
            open: state != RecordingState::Opening,
            ended: matches!(state, RecordingState::Finished | RecordingState::Failed(_)),
        })
    }

    pub fn recorder_phase(&self) -> RecorderPhase {
        let Some(state) = &self.editing else { return RecorderPhase::Idle };
        match &state.take {
            Some(take) => match take.recording.state() {
                RecordingState::Opening => RecorderPhase::Opening,
                _ => RecorderPhase::Recording,
            },
            None if state.saving_take => RecorderPhase::Saving,
            None => RecorderPhase::Idle,
        }
    }

    pub(super) fn take_saved(&mut self, step: usize, saved: Result<PathBuf, String>) {
        let Some(state) = &mut self.editing else {
            // The editor closed while the take was written: nothing names it.
            if let Ok(path) = saved {
                self.push_task(Task::RemoveTakes(vec![path]));
            }
            return;
        };
        state.saving_take = false;
        match saved {
            Ok(path) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                state.new_takes.push(path);
                self.edit(Edit::Step(step, StepEdit::Voice(Some(name))));
            }
            Err(err) => state.voice_problem = Some(err),
        }
    }

    /// Plays the selected step's recording as it is on disk.
    pub fn play_prompt(&mut self) {
        let dir = self.user_sequence_dir();
        let Some(state) = &mut self.editing else { return };
        let Some(step) = state.editor.selected().and_then(|i| state.editor.draft().steps.get(i)) else { return };
        let (Some(name), Some(dir)) = (step.voice.as_ref(), dir) else { return };
        let path = dir.join(name.as_str());
        self.open_sound();
        self.push_task(Task::LoadPrompt(path));
    }

    pub(super) fn prompt_loaded(&mut self, loaded: Result<std::sync::Arc<[f32]>, String>) {
        match loaded {
            Ok(samples) => self.play_rendered_voice(samples),
            Err(err) => {
                if let Some(state) = &mut self.editing {
                    state.voice_problem = Some(err);
                }
            }
        }
    }

    /// The step speaks its prompt again instead of the recording (undoable; the file stays where it is).
    pub fn remove_prompt(&mut self) {
        let Some(step) = self.editing.as_ref().and_then(|s| s.editor.selected()) else { return };
        self.edit(Edit::Step(step, StepEdit::Voice(None)));
    }

    pub fn voice_problem(&self) -> Option<&str> {
        self.editing.as_ref()?.voice_problem.as_deref()
    }

    /// Takes made while the editor was open that the saved file does not name; removed as the editor closes.
    pub(super) fn unsaved_takes(&self) -> Vec<PathBuf> {
        let Some(state) = &self.editing else { return Vec::new() };
        let kept = state.editor.saved_voices();
        state
            .new_takes
            .iter()
            .filter(|path| !path.file_name().is_some_and(|n| kept.contains(&n.to_string_lossy().as_ref())))
            .cloned()
            .collect()
    }
}
