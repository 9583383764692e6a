//! Library view ↔ library controller.

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};

use super::{forward, model, shared};
use crate::app::{
    App, AppController, AppWindow, AudienceFilter, LibraryAdapter, LoadProblem, ResumeIssue, ResumeOffer,
    ResumeOfferView, ResumeProblem, SequenceCard,
};

pub fn connect(app: &Rc<App>) {
    forward!(app, LibraryAdapter, on_choose_sequence, |id| |c| c.choose_sequence(&id));
    forward!(app, LibraryAdapter, on_set_filter, |code| |c| c.set_filter(AudienceFilter::from_code(&code)));
    forward!(app, LibraryAdapter, on_open_path, |path| |c| c.open_path(&path));
    forward!(app, LibraryAdapter, on_open_settings, || |c| c.open_settings());
    forward!(app, LibraryAdapter, on_resume_session, || |c| c.resume());
    forward!(app, LibraryAdapter, on_discard_session, || |c| c.discard_resume());
    let weak = Rc::downgrade(app);
    app.window().global::<LibraryAdapter>().on_open_history(move || {
        if let Some(app) = weak.upgrade() {
            app.open_history();
        }
    });
}

fn resume_view(offer: Option<&ResumeOffer>) -> ResumeOfferView {
    let Some(offer) = offer else { return ResumeOfferView::default() };
    ResumeOfferView {
        shown: true,
        title: shared(offer.title()),
        step: i32::try_from(offer.step_number).unwrap_or(i32::MAX),
        steps: i32::try_from(offer.step_count).unwrap_or(i32::MAX),
        step_left: if offer.step_left.is_zero() {
            SharedString::new()
        } else {
            shared(crate::display::countdown(offer.step_left))
        },
        paused: offer.paused,
        issue: match offer.problem {
            None => ResumeIssue::None,
            Some(ResumeProblem::Vanished) => ResumeIssue::Vanished,
            Some(ResumeProblem::Changed) => ResumeIssue::Changed,
            Some(ResumeProblem::Unplayable(_)) => ResumeIssue::Unplayable,
        },
    }
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
    adapter.set_resume(resume_view(controller.resume_offer.as_ref()));
}
