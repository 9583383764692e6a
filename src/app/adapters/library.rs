//! Library view ↔ library controller.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{forward, model, shared};
use crate::app::{App, AppController, AppWindow, AudienceFilter, LibraryAdapter, LoadProblem, SequenceCard};

pub fn connect(app: &Rc<App>) {
    forward!(app, LibraryAdapter, on_choose_sequence, |id| |c| c.choose_sequence(&id));
    forward!(app, LibraryAdapter, on_set_filter, |code| |c| c.set_filter(AudienceFilter::from_code(&code)));
    forward!(app, LibraryAdapter, on_open_path, |path| |c| c.open_path(&path));
    forward!(app, LibraryAdapter, on_open_settings, || |c| c.open_settings());
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let adapter = window.global::<LibraryAdapter>();
    let library = &controller.library;
    adapter.set_filter(shared(library.filter().code()));
    adapter.set_selected_id(shared(library.selected_id().unwrap_or_default()));
    adapter.set_cards(model(
        library
            .cards()
            .into_iter()
            .map(|card| SequenceCard {
                id: shared(&card.id),
                title: shared(&card.title),
                summary: shared(&card.summary),
                audience: shared(card.audience.code()),
                audience_label: shared(&card.audience_label),
                total: shared(&card.total),
                steps: i32::try_from(card.steps).unwrap_or(i32::MAX),
                techniques: shared(&card.techniques),
                user_file: card.user_file,
            })
            .collect(),
    ));
    adapter.set_problems(model(
        library
            .problems()
            .into_iter()
            .map(|p| LoadProblem { file: shared(&p.file), message: shared(&p.message) })
            .collect(),
    ));
    adapter.set_open_error(shared(library.open_error()));
}
