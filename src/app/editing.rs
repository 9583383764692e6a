//! Making and changing sequences from the window: new (from a template), duplicate, edit, delete and restore, the
//! editor screen's own flow (save, try it, leave with unsaved changes). The editing itself is `crate::editor`.

use std::path::PathBuf;
use std::sync::Arc;

use super::controller::{AppController, ScreenId};
use super::tasks::{LibraryDirs, Task};
use crate::editor::{Edit, Editor, Origin, SaveOutcome, Template};
use crate::sequence::Sequence;
use crate::sequence::library::{Library, Source};

/// The editor screen: the model and what the screen around it is doing.
pub struct EditorState {
    pub editor: Editor,
    /// "Save / Discard / Cancel" is showing.
    pub confirm_leave: bool,
    /// Why the last save failed, if it did.
    pub save_error: Option<String>,
    /// A save is on its way to disk.
    pub saving: bool,
    /// Leave once the save in progress has landed.
    close_after_save: bool,
    /// "Record prompt": the take under way.
    pub(super) take: Option<super::prompt_recording::PromptTake>,
    /// A take is being written.
    pub(super) saving_take: bool,
    /// Why the last take, or playing it, failed.
    pub(super) voice_problem: Option<String>,
    /// Takes written while the editor was open.
    pub(super) new_takes: Vec<PathBuf>,
}

/// What leaving the editor with unsaved changes does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveChoice {
    Save,
    Discard,
    Cancel,
}

impl AppController {
    /// Where new and edited sequences are saved (the data folder's `sequences/`), when there is one.
    pub fn user_sequence_dir(&self) -> Option<PathBuf> {
        self.store().sequences_dir()
    }

    pub fn set_library_dirs(&mut self, dirs: LibraryDirs) {
        self.library_dirs = dirs;
    }

    fn ids(&self) -> (Vec<String>, Vec<String>) {
        let library = self.library.library();
        let all = library.entries().iter().map(|e| e.sequence.id().to_owned()).collect();
        let bundled = Library::bundled().entries().iter().map(|e| e.sequence.id().to_owned()).collect();
        (all, bundled)
    }

    // From the library and screening

    /// "New": asks which template to start from.
    pub fn new_sequence(&mut self) {
        self.choosing_template = true;
    }

    pub fn cancel_template(&mut self) {
        self.choosing_template = false;
    }

    pub fn choose_template(&mut self, template: Template) {
        self.choosing_template = false;
        let (taken, bundled) = self.ids();
        self.open_editor(Editor::new(template, "", self.settings().language.effective(), taken, bundled));
    }

    /// Edits the sequence on the screening screen: the user's own file in place, a bundled one as a copy.
    pub fn edit_sequence(&mut self) {
        let Some(sequence) = self.screening.as_ref().map(|s| s.sequence().clone()) else { return };
        let file = self.user_file_of(&sequence);
        let (taken, bundled) = self.ids();
        let language = self.settings().language.effective();
        self.open_editor(Editor::edit(&sequence, file, language, taken, bundled));
    }

    /// A new sequence from the one on the screening screen; `copy_word` ("copy", in the user's language) marks its
    /// title.
    pub fn duplicate_sequence(&mut self, copy_word: &str) {
        let Some(sequence) = self.screening.as_ref().map(|s| s.sequence().clone()) else { return };
        let (taken, bundled) = self.ids();
        let language = self.settings().language.effective();
        self.open_editor(Editor::duplicate(&sequence, copy_word, language, taken, bundled));
    }

    /// Delete (a user's file) or Restore original (an edited copy): asks first.
    pub fn ask_to_delete(&mut self) {
        let has_file = self.screening.as_ref().is_some_and(|s| self.user_file_of(s.sequence()).is_some());
        self.confirm_delete = has_file;
    }

    pub fn answer_delete(&mut self, delete: bool) {
        self.confirm_delete = false;
        if !delete {
            return;
        }
        let Some(sequence) = self.screening.as_ref().map(|s| s.sequence().clone()) else { return };
        let (Some(file), Some(dir)) = (self.user_file_of(&sequence), self.user_sequence_dir()) else { return };
        let library = self.library_dirs.clone();
        self.push_task(Task::DeleteSequence { file, dir, library });
        self.back_to_library();
    }

    pub(super) fn sequence_deleted(&mut self, moved: Result<PathBuf, String>, library: Library) {
        match moved {
            Ok(_) => self.library.replace_library(library),
            Err(err) => self.push_notice(format!("the sequence was not deleted: {err}")),
        }
    }

    /// The file in the user's own folder a sequence was read from. None for a bundled one, and for files elsewhere
    /// (`--sequences`, a USB stick): editing those saves a copy into the user's folder, and they are never moved.
    fn user_file_of(&self, sequence: &Sequence) -> Option<PathBuf> {
        let dir = self.user_sequence_dir()?;
        let entry = self.library.library().find(sequence.id())?;
        match &entry.source {
            Source::User(path) if path.starts_with(&dir) && entry.sequence.document() == sequence.document() => {
                Some(path.clone())
            }
            _ => None,
        }
    }

    /// Whether the sequence on the screening screen is the user's own file, and whether it overrides a bundled one.
    pub fn screening_file_kind(&self) -> (bool, bool) {
        let Some(sequence) = self.screening.as_ref().map(|s| s.sequence()) else { return (false, false) };
        let entry = self.library.library().find(sequence.id());
        let user = self.user_file_of(sequence).is_some();
        (user, user && entry.is_some_and(|e| e.overrides_bundled))
    }

    fn open_editor(&mut self, editor: Editor) {
        self.editing = Some(EditorState {
            editor,
            confirm_leave: false,
            save_error: None,
            saving: false,
            close_after_save: false,
            take: None,
            saving_take: false,
            voice_problem: None,
            new_takes: Vec::new(),
        });
        self.screen = ScreenId::Editor;
    }

    // The editor screen

    pub fn edit(&mut self, edit: Edit) {
        if let Some(state) = &mut self.editing {
            state.editor.apply(edit);
            state.save_error = None;
        }
    }

    pub fn editor_undo(&mut self) {
        if let Some(state) = &mut self.editing {
            state.editor.undo();
        }
    }

    pub fn editor_redo(&mut self) {
        if let Some(state) = &mut self.editing {
            state.editor.redo();
        }
    }

    /// Saves the draft (when the loader would accept it) into the user's folder, off the UI thread.
    pub fn save_draft(&mut self) {
        let dir = self.user_sequence_dir();
        let library = self.library_dirs.clone();
        let Some(state) = &mut self.editing else { return };
        if !state.editor.can_save() || state.saving {
            return;
        }
        let Some(dir) = dir else {
            state.save_error = Some("there is no data folder to save into (see --data-dir)".to_owned());
            return;
        };
        state.saving = true;
        let task = Task::SaveSequence {
            text: state.editor.text(),
            id: state.editor.draft().id.clone(),
            origin: state.editor.origin().clone(),
            dir,
            library,
        };
        self.push_task(task);
    }

    pub(super) fn sequence_saved(&mut self, saved: Result<SaveOutcome, String>, library: Library) {
        self.library.replace_library(library);
        let Some(state) = &mut self.editing else { return };
        state.saving = false;
        match saved {
            Ok(outcome) => {
                state.editor.mark_saved(outcome.path);
                state.save_error = None;
                if state.close_after_save {
                    self.close_editor_now();
                }
            }
            Err(err) => {
                state.close_after_save = false;
                state.save_error = Some(format!("not saved: {err}"));
            }
        }
    }

    /// Plays the draft as it is, without saving it; the editor is there again after the session.
    pub fn try_draft(&mut self) {
        let folder = self.store().sequences_dir();
        let Some(state) = &mut self.editing else { return };
        match state.editor.as_sequence() {
            Ok(sequence) => {
                // Recorded prompts are where the draft will be saved.
                let sequence = match folder {
                    Some(folder) => sequence.with_voice_folder(folder),
                    None => sequence,
                };
                self.return_to_editor = true;
                self.open_sequence(Arc::new(sequence));
            }
            Err(problems) => {
                state.save_error = problems.first().map(|p| p.message.clone());
            }
        }
    }

    /// Back from the editor: asks first when there are changes Save would keep.
    pub fn close_editor(&mut self) {
        let Some(state) = &mut self.editing else { return };
        if state.editor.is_dirty() {
            state.confirm_leave = true;
        } else {
            self.close_editor_now();
        }
    }

    pub fn answer_leave_editor(&mut self, choice: LeaveChoice) {
        let Some(state) = &mut self.editing else { return };
        state.confirm_leave = false;
        match choice {
            LeaveChoice::Cancel => {}
            LeaveChoice::Discard => self.close_editor_now(),
            LeaveChoice::Save => {
                if state.editor.can_save() {
                    state.close_after_save = true;
                    self.save_draft();
                }
            }
        }
    }

    fn close_editor_now(&mut self) {
        let unsaved = self.unsaved_takes();
        if !unsaved.is_empty() {
            self.push_task(Task::RemoveTakes(unsaved));
        }
        self.editing = None;
        self.return_to_editor = false;
        self.screening = None;
        self.screen = ScreenId::Library;
    }

    /// Where aftercare's "Done" goes: back to the editor after trying a draft.
    pub(super) fn after_trying(&mut self) -> bool {
        if self.return_to_editor && self.editing.is_some() {
            self.return_to_editor = false;
            self.screening = None;
            self.screen = ScreenId::Editor;
            return true;
        }
        false
    }

    /// What the template names mean, for the view.
    pub fn templates() -> [Template; 4] {
        Template::ALL
    }

    /// The editor's state for the view, if the editor is open.
    pub fn editing(&self) -> Option<&EditorState> {
        self.editing.as_ref()
    }

    pub fn editing_mut(&mut self) -> Option<&mut EditorState> {
        self.editing.as_mut()
    }

    pub fn is_choosing_template(&self) -> bool {
        self.choosing_template
    }

    pub fn confirm_delete(&self) -> bool {
        self.confirm_delete
    }

    /// Whether the draft being edited is a new sequence (as opposed to an existing file or a bundled copy).
    pub fn editing_origin(&self) -> Option<&Origin> {
        self.editing.as_ref().map(|s| s.editor.origin())
    }
}
