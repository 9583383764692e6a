//! Library view ↔ library controller.

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};

use super::{forward, model, shared, typed};
use crate::app::ui::{LibraryAdapter, LoadProblem, ResumeIssue, ResumeOfferView, SequenceCard, TemplateChoice};
use crate::app::{App, AppController, AppWindow, AudienceFilter, ResumeOffer, ResumeProblem};
use crate::editor::Template;
use crate::sequence::Audience;

pub fn connect(app: &Rc<App>) {
    forward!(app, LibraryAdapter, on_choose_sequence, |id| |c| c.choose_sequence(&id));
    forward!(app, LibraryAdapter, on_set_filter, |filter| |c| c.set_filter(match filter {
        crate::app::ui::AudienceFilter::All => AudienceFilter::All,
        crate::app::ui::AudienceFilter::Therapist => AudienceFilter::Only(Audience::Therapist),
        crate::app::ui::AudienceFilter::SelfCare => AudienceFilter::Only(Audience::SelfCare),
    }));
    forward!(app, LibraryAdapter, on_open_path, |path| |c| c.open_path(&path));
    forward!(app, LibraryAdapter, on_open_settings, || |c| c.open_settings());
    forward!(app, LibraryAdapter, on_resume_session, || |c| c.resume());
    forward!(app, LibraryAdapter, on_discard_session, || |c| c.discard_resume());
    forward!(app, LibraryAdapter, on_open_history, || |c| c.open_history());
    forward!(app, LibraryAdapter, on_long_press, || |c| c.request_leave_kiosk());
    forward!(app, LibraryAdapter, on_new_sequence, || |c| c.new_sequence());
    forward!(app, LibraryAdapter, on_cancel_template, || |c| c.cancel_template());
    forward!(app, LibraryAdapter, on_choose_template, |choice| |c| c.choose_template(match choice {
        TemplateChoice::Blank => Template::Blank,
        TemplateChoice::SustainedHolds => Template::SustainedHolds,
        TemplateChoice::LeftThenRight => Template::LeftThenRight,
        TemplateChoice::SelfCareBallRoutine => Template::SelfCareBallRoutine,
    }));
}

fn resume_view(offer: Option<&ResumeOffer>, reader: &str) -> ResumeOfferView {
    let Some(offer) = offer else { return ResumeOfferView::default() };
    ResumeOfferView {
        shown: true,
        title: shared(offer.title_in(reader)),
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
    adapter.set_filter(match library.filter() {
        AudienceFilter::All => crate::app::ui::AudienceFilter::All,
        AudienceFilter::Only(Audience::Therapist) => crate::app::ui::AudienceFilter::Therapist,
        AudienceFilter::Only(Audience::SelfCare) => crate::app::ui::AudienceFilter::SelfCare,
    });
    adapter.set_selected_id(shared(library.selected_id().unwrap_or_default()));
    let cards = library.cards();
    let selected = library.selected_id().and_then(|id| cards.iter().position(|c| c.id == id));
    adapter.set_selected_index(selected.map_or(-1, |i| i32::try_from(i).unwrap_or(i32::MAX)));
    adapter.set_cards(model(
        cards
            .into_iter()
            .map(|card| SequenceCard {
                id: shared(&card.id),
                title: shared(&card.title),
                summary: shared(&card.summary),
                audience: typed::audience(card.audience),
                total_seconds: i32::try_from(card.total.as_secs()).unwrap_or(i32::MAX),
                steps: i32::try_from(card.steps).unwrap_or(i32::MAX),
                techniques: model(card.techniques.iter().copied().map(typed::technique).collect()),
                user_file: card.user_file,
                edited_copy: card.edited_copy,
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
    adapter.set_open_needs_path(library.open_needs_path());
    adapter.set_resume(resume_view(controller.resume_offer.as_ref(), controller.settings().language.effective()));
    adapter.set_choosing_template(controller.is_choosing_template());
}
