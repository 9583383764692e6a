//! Aftercare view ↔ the finished session's record.

use std::rc::Rc;

use slint::ComponentHandle;

use super::screening::{rating_of, rating_value};
use super::{forward, shared};
use crate::app::ui::AftercareAdapter;
use crate::app::{App, AppController, AppWindow};
use crate::display;

pub fn connect(app: &Rc<App>) {
    forward!(app, AftercareAdapter, on_done, || |c| c.aftercare_done());
    forward!(app, AftercareAdapter, on_again, || |c| c.aftercare_again());
    forward!(app, AftercareAdapter, on_rate, |rating| |c| c.aftercare_rating(rating_of(rating)));
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(record) = &controller.last_record else { return };
    let adapter = window.global::<AftercareAdapter>();
    adapter.set_completed(record.completed());
    adapter.set_sequence_title(shared(&record.sequence_title));
    adapter.set_steps_done(i32::try_from(record.steps_completed).unwrap_or(i32::MAX));
    adapter.set_steps_total(i32::try_from(record.steps_total).unwrap_or(i32::MAX));
    adapter.set_time_taken(shared(display::count_up(record.session_time)));
    adapter.set_extensions(i32::try_from(record.extensions).unwrap_or(i32::MAX));
    adapter.set_extended_seconds(i32::try_from(record.extended_by.as_secs()).unwrap_or(i32::MAX));
    adapter.set_releases(i32::try_from(record.releases).unwrap_or(i32::MAX));
    adapter.set_screening_yes(i32::try_from(record.yes_answers()).unwrap_or(i32::MAX));
    adapter.set_rating_before(rating_value(record.rating_before));
    adapter.set_rating_after(rating_value(record.rating_after));
}
