//! History view ↔ history controller: typed rows (days, sessions, steps, chart bars) for the view to word.

use std::rc::Rc;

use chrono::{Datelike, Local, NaiveDate};
use slint::ComponentHandle;

use super::screening::rating_value;
use super::typed;
use super::{forward, model, shared};
use crate::app::ui::{
    BodySide, DayKind, HistoryAdapter, HistoryDay, HistorySession, HistoryStep, RatingBar, SequenceTally,
    SessionEnding, StepEnding,
};
use crate::app::{App, AppController, AppWindow, DayName};
use crate::store::{SessionOutcome, SessionRecord, StepEnd};

pub fn connect(app: &Rc<App>) {
    forward!(app, HistoryAdapter, on_open_session, |index| |c| {
        if let Some(history) = &mut c.history {
            history.open(usize::try_from(index).unwrap_or(usize::MAX));
        }
    });
    forward!(app, HistoryAdapter, on_choose_chart, |id| |c| {
        if let Some(history) = &mut c.history {
            history.choose_chart(&id);
        }
    });
    forward!(app, HistoryAdapter, on_back, || |c| c.history_back());
}

fn side_of(code: Option<&str>) -> BodySide {
    match code {
        Some("left") => BodySide::Left,
        Some("right") => BodySide::Right,
        Some("both") => BodySide::Both,
        Some("midline") => BodySide::Midline,
        _ => BodySide::None,
    }
}

fn seconds(duration: std::time::Duration) -> i32 {
    i32::try_from(duration.as_secs()).unwrap_or(i32::MAX)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn session_row(index: usize, record: &SessionRecord, title: &str) -> HistorySession {
    HistorySession {
        index: count(index),
        time: shared(record.started_at.with_timezone(&Local).format("%H:%M").to_string()),
        title: shared(title),
        ending: match record.outcome {
            SessionOutcome::Completed => SessionEnding::Completed,
            _ if record.interrupted => SessionEnding::Interrupted,
            _ => SessionEnding::Stopped,
        },
        stopped_at: record.stopped_at_step.map_or(0, count),
        steps_total: count(record.steps_total),
        steps_done: i32::try_from(record.steps_completed).unwrap_or(i32::MAX),
        seconds: seconds(record.session_time),
        rating_before: rating_value(record.rating_before),
        rating_after: rating_value(record.rating_after),
    }
}

fn day_row(date: NaiveDate, name: DayName, sessions: Vec<HistorySession>) -> HistoryDay {
    let (kind, weekday) = match name {
        DayName::Today => (DayKind::Today, 0),
        DayName::Yesterday => (DayKind::Yesterday, 0),
        DayName::Weekday(day) => (DayKind::Weekday, i32::from(day)),
        DayName::Date => (DayKind::Date, 0),
    };
    HistoryDay {
        kind,
        weekday,
        day: date.day() as i32,
        month: date.month() as i32,
        year: date.year(),
        sessions: model(sessions),
    }
}

pub fn show(window: &AppWindow, controller: &AppController) {
    let Some(history) = &controller.history else { return };
    let adapter = window.global::<HistoryAdapter>();
    // A sequence still in the library is named as the library names it now, in the app's language; one that is gone
    // by the title its sessions recorded.
    let reader = controller.settings().language.effective();
    let title = |id: &str, recorded: &str| -> String {
        controller.library.find(id).map_or_else(|| recorded.to_owned(), |sequence| sequence.title_in(reader).to_owned())
    };
    let today = Local::now().date_naive();
    adapter.set_loaded(history.is_loaded());
    let sessions = history.sessions();
    let (week_count, week_time) = history.this_week(today);
    adapter.set_week_sessions(count(week_count));
    adapter.set_week_seconds(seconds(week_time));
    adapter.set_days(model(
        history
            .days(today)
            .into_iter()
            .map(|day| {
                let rows = day
                    .sessions
                    .iter()
                    .map(|i| {
                        session_row(*i, &sessions[*i], &title(&sessions[*i].sequence_id, &sessions[*i].sequence_title))
                    })
                    .collect();
                day_row(day.date, day.name, rows)
            })
            .collect(),
    ));
    let charted = history.chart_sequence();
    let tallies = history.per_sequence();
    adapter.set_chart_title(shared(
        tallies.iter().find(|t| Some(t.id.as_str()) == charted).map(|t| title(&t.id, &t.title)).unwrap_or_default(),
    ));
    adapter.set_sequences(model(
        tallies
            .iter()
            .map(|t| SequenceTally {
                id: shared(&t.id),
                title: shared(title(&t.id, &t.title)),
                sessions: count(t.sessions),
                last_day: t.last_done.day() as i32,
                last_month: t.last_done.month() as i32,
                last_year: t.last_done.year(),
                charted: Some(t.id.as_str()) == charted,
            })
            .collect(),
    ));
    adapter.set_chart(model(
        history
            .trend()
            .iter()
            .map(|p| RatingBar {
                before: rating_value(p.before),
                after: rating_value(p.after),
                day: p.date.day() as i32,
                month: p.date.month() as i32,
            })
            .collect(),
    ));
    adapter.set_selected(history.selected().map_or(-1, count));
    let open = history.open_session();
    adapter.set_detail_open(open.is_some());
    if let Some(record) = open {
        let index = sessions.iter().position(|r| r.id == record.id).unwrap_or_default();
        let date = record.started_at.with_timezone(&Local).date_naive();
        let name = history.days(today).into_iter().find(|d| d.date == date).map_or(DayName::Date, |d| d.name);
        adapter.set_detail(session_row(index, record, &title(&record.sequence_id, &record.sequence_title)));
        adapter.set_detail_day(day_row(date, name, Vec::new()));
        adapter.set_detail_yes_answers(count(record.yes_answers()));
        adapter.set_detail_steps(model(
            record
                .steps
                .iter()
                .map(|step| HistoryStep {
                    step: count(step.step),
                    title: shared(step.title.as_deref().unwrap_or_default()),
                    technique: typed::technique(step.technique),
                    switch_to: if step.side_switch { side_of(step.side.as_deref()) } else { BodySide::None },
                    side: side_of(step.side.as_deref()),
                    planned: seconds(step.planned_seconds),
                    actual: seconds(step.actual_seconds),
                    open_ended: step.open_ended,
                    extensions: i32::try_from(step.extensions).unwrap_or(i32::MAX),
                    extended: seconds(step.extended_seconds),
                    released_at: step.released_at.map_or(-1, seconds),
                    ending: match step.ended {
                        StepEnd::TimeUp => StepEnding::TimeUp,
                        StepEnd::Released => StepEnding::Released,
                        StepEnd::MaxReached => StepEnding::MaxReached,
                        StepEnd::Skipped => StepEnding::Skipped,
                        StepEnd::Back => StepEnding::Back,
                        StepEnd::Restarted => StepEnding::Restarted,
                        StepEnd::Stopped => StepEnding::Stopped,
                    },
                })
                .collect(),
        ));
    }
}
