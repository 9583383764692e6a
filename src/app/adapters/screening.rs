//! Screening view ↔ screening controller.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{forward, model, shared, typed};
use crate::app::ui::{ScreeningAdapter, ScreeningQuestion};
use crate::app::{App, AppController, AppWindow};

pub fn connect(app: &Rc<App>) {
    forward!(app, ScreeningAdapter, on_answer, |index, yes| |c| c
        .screening_answer(usize::try_from(index).unwrap_or(usize::MAX), yes));
    forward!(app, ScreeningAdapter, on_none_apply, || |c| c.none_apply());
    forward!(app, ScreeningAdapter, on_proceed, || |c| c.proceed());
    forward!(app, ScreeningAdapter, on_confirm_proceed_choice, |proceed| |c| c.answer_proceed(proceed));
    forward!(app, ScreeningAdapter, on_back, || |c| c.back_to_library());
    forward!(app, ScreeningAdapter, on_edit, || |c| c.edit_sequence());
    forward!(app, ScreeningAdapter, on_duplicate, |copy_word| |c| c.duplicate_sequence(&copy_word));
    forward!(app, ScreeningAdapter, on_delete_file, || |c| c.ask_to_delete());
    forward!(app, ScreeningAdapter, on_restore_original, || |c| c.ask_to_delete());
    forward!(app, ScreeningAdapter, on_confirm_delete_choice, |delete| |c| c.answer_delete(delete));
    forward!(app, ScreeningAdapter, on_rate, |rating| |c| c.screening_rating(rating_of(rating)));
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(screening) = &controller.screening else { return };
    let adapter = window.global::<ScreeningAdapter>();
    let sequence = screening.sequence();
    let document = sequence.document();
    let words = sequence.words_in(controller.settings().language.effective());
    adapter.set_title(shared(words.text(sequence.title())));
    adapter.set_summary(shared(words.text(document.summary.as_str())));
    adapter.set_position(shared(document.position.as_ref().map(|p| words.text(p.as_str())).unwrap_or_default()));
    let equipment: Vec<&str> = document.equipment.iter().map(|e| words.text(e.as_str())).collect();
    adapter.set_equipment(shared(equipment.join(", ")));
    adapter.set_questions(model(
        screening
            .questions()
            .into_iter()
            .map(|q| ScreeningQuestion { precaution: typed::precaution(q.precaution), answer: typed::answer(q.answer) })
            .collect(),
    ));
    adapter.set_yes_count(i32::try_from(screening.yes_count()).unwrap_or(i32::MAX));
    adapter.set_confirm_proceed(screening.confirm_proceed());
    adapter.set_rating(rating_value(screening.rating()));
    let (user_file, edited_copy) = controller.screening_file_kind();
    adapter.set_user_file(user_file);
    adapter.set_edited_copy(edited_copy);
    adapter.set_confirm_delete(controller.confirm_delete());
}

/// A 0–10 rating from the view (out-of-range values are clamped by the controller).
pub fn rating_of(value: i32) -> u8 {
    u8::try_from(value.max(0)).unwrap_or(u8::MAX)
}

/// A rating for the view: -1 for none.
pub fn rating_value(rating: Option<u8>) -> i32 {
    rating.map_or(-1, i32::from)
}
