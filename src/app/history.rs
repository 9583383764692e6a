//! The history screen's logic: sessions by day (newest first), this week's count and time, each sequence's sessions
//! and when it was last done, the before/after ratings of one sequence over time, and one session's steps.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{Datelike, Local, NaiveDate};

use crate::store::{HistoryRead, SessionRecord};

/// How many sessions the rating chart shows, newest last.
pub const TREND_LENGTH: usize = 12;

/// A day heading, named relative to today where that reads better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayName {
    Today,
    Yesterday,
    /// Within the last week: the weekday (0 Monday … 6 Sunday).
    Weekday(u8),
    Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub name: DayName,
    /// Indexes into [`HistoryController::sessions`].
    pub sessions: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceSummary {
    pub id: String,
    pub title: String,
    pub sessions: usize,
    pub last_done: NaiveDate,
    /// Sessions of it with a rating.
    pub rated: usize,
}

/// One point of the rating chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingPoint {
    pub date: NaiveDate,
    pub before: Option<u8>,
    pub after: Option<u8>,
}

#[derive(Debug, Default)]
pub struct HistoryController {
    /// Newest first.
    sessions: Vec<SessionRecord>,
    loaded: bool,
    notices: Vec<String>,
    /// The session chosen with keys or a tap, by index into `sessions`.
    selected: Option<usize>,
    /// The session whose steps are shown.
    open: Option<usize>,
    /// The sequence the rating chart is about.
    chart: Option<String>,
}

impl HistoryController {
    /// The screen shows "loading" until the files are read (off the UI thread).
    pub fn loading() -> Self {
        Self::default()
    }

    pub fn loaded(&mut self, read: HistoryRead) {
        self.sessions = read.records;
        self.sessions.reverse();
        self.notices = read.notices;
        self.loaded = true;
        self.selected = None;
        self.open = None;
        // The chart starts on the sequence with the most rated sessions (the most recent of equals), else the most
        // recent one.
        let summaries = self.per_sequence();
        self.chart = summaries
            .iter()
            .enumerate()
            .filter(|(_, s)| s.rated > 0)
            .max_by_key(|(order, s)| (s.rated, std::cmp::Reverse(*order)))
            .or(summaries.first().map(|s| (0, s)))
            .map(|(_, s)| s.id.clone());
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Newest first.
    pub fn sessions(&self) -> &[SessionRecord] {
        &self.sessions
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn open_session(&self) -> Option<&SessionRecord> {
        self.sessions.get(self.open?)
    }

    /// Moves the keyboard's choice through the sessions, newest first; the first press picks the newest.
    pub fn move_selection(&mut self, step: isize) {
        if self.sessions.is_empty() {
            return;
        }
        let last = self.sessions.len() as isize - 1;
        let next = match self.selected {
            Some(current) => (current as isize + step).clamp(0, last),
            None if step < 0 => last,
            None => 0,
        };
        self.selected = Some(next as usize);
    }

    /// Shows a session's steps (a tap, or Enter on the chosen one).
    pub fn open(&mut self, index: usize) {
        if index < self.sessions.len() {
            self.selected = Some(index);
            self.open = Some(index);
        }
    }

    pub fn open_selected(&mut self) -> bool {
        match self.selected {
            Some(index) => {
                self.open(index);
                true
            }
            None => false,
        }
    }

    /// Closes the session's steps; `false` when none was open (then Back leaves the screen).
    pub fn close(&mut self) -> bool {
        self.open.take().is_some()
    }

    pub fn chart_sequence(&self) -> Option<&str> {
        self.chart.as_deref()
    }

    pub fn choose_chart(&mut self, sequence_id: &str) {
        if self.sessions.iter().any(|r| r.sequence_id == sequence_id) {
            self.chart = Some(sequence_id.to_owned());
        }
    }

    /// Sessions grouped by the local day they started on, newest day first.
    pub fn days(&self, today: NaiveDate) -> Vec<Day> {
        let mut days: Vec<Day> = Vec::new();
        for (index, record) in self.sessions.iter().enumerate() {
            let date = local_date(record);
            match days.last_mut() {
                Some(day) if day.date == date => day.sessions.push(index),
                _ => days.push(Day { date, name: day_name(date, today), sessions: vec![index] }),
            }
        }
        days
    }

    /// Sessions started this week (Monday on) and their total time.
    pub fn this_week(&self, today: NaiveDate) -> (usize, Duration) {
        let monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
        self.sessions
            .iter()
            .filter(|r| (monday..=today).contains(&local_date(r)))
            .fold((0, Duration::ZERO), |(count, time), r| (count + 1, time + r.session_time))
    }

    /// Each sequence done, most recently done first.
    pub fn per_sequence(&self) -> Vec<SequenceSummary> {
        let mut by_id: BTreeMap<&str, (usize, SequenceSummary)> = BTreeMap::new();
        for (newest_first, record) in self.sessions.iter().enumerate() {
            let (_, summary) = by_id.entry(&record.sequence_id).or_insert_with(|| {
                let summary = SequenceSummary {
                    id: record.sequence_id.clone(),
                    // Newest first, so the title is the latest one the sequence had.
                    title: record.sequence_title.clone(),
                    sessions: 0,
                    last_done: local_date(record),
                    rated: 0,
                };
                (newest_first, summary)
            });
            summary.sessions += 1;
            if record.rating_before.is_some() || record.rating_after.is_some() {
                summary.rated += 1;
            }
        }
        let mut list: Vec<(usize, SequenceSummary)> = by_id.into_values().collect();
        list.sort_by_key(|(newest_first, _)| *newest_first);
        list.into_iter().map(|(_, summary)| summary).collect()
    }

    /// The chosen sequence's last sessions with a rating, oldest first.
    pub fn trend(&self) -> Vec<RatingPoint> {
        let Some(id) = &self.chart else { return Vec::new() };
        let mut points: Vec<RatingPoint> = self
            .sessions
            .iter()
            .filter(|r| &r.sequence_id == id && (r.rating_before.is_some() || r.rating_after.is_some()))
            .take(TREND_LENGTH)
            .map(|r| RatingPoint { date: local_date(r), before: r.rating_before, after: r.rating_after })
            .collect();
        points.reverse();
        points
    }
}

fn local_date(record: &SessionRecord) -> NaiveDate {
    record.started_at.with_timezone(&Local).date_naive()
}

fn day_name(date: NaiveDate, today: NaiveDate) -> DayName {
    match (today - date).num_days() {
        0 => DayName::Today,
        1 => DayName::Yesterday,
        2..=6 => DayName::Weekday(date.weekday().num_days_from_monday() as u8),
        _ => DayName::Date,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::SessionOutcome;

    fn session(
        id: &str,
        sequence: &str,
        day: u32,
        hour: u32,
        minutes: u64,
        ratings: (Option<u8>, Option<u8>),
    ) -> SessionRecord {
        let mut record = SessionRecord::new(sequence, &sequence.to_uppercase(), "", 4, "dev");
        record.id = id.to_owned();
        record.started_at = Local.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap().fixed_offset();
        record.session_time = Duration::from_secs(minutes * 60);
        record.outcome = SessionOutcome::Completed;
        (record.rating_before, record.rating_after) = ratings;
        record
    }

    fn controller() -> HistoryController {
        let mut history = HistoryController::loading();
        assert!(!history.is_loaded());
        history.loaded(HistoryRead {
            records: vec![
                session("a", "neck", 2, 9, 20, (Some(7), Some(4))),
                session("b", "feet", 23, 18, 10, (None, None)),
                session("c", "neck", 30, 8, 15, (Some(6), Some(3))),
                session("d", "neck", 30, 19, 15, (Some(5), None)),
            ],
            notices: Vec::new(),
        });
        history
    }

    #[test]
    fn sessions_group_by_day_newest_first() {
        let history = controller();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let days = history.days(today);
        let shape: Vec<(DayName, Vec<&str>)> = days
            .iter()
            .map(|d| (d.name, d.sessions.iter().map(|i| history.sessions()[*i].id.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![(DayName::Today, vec!["d", "c"]), (DayName::Date, vec!["b"]), (DayName::Date, vec!["a"])]
        );
        assert_eq!(day_name(today - chrono::Days::new(1), today), DayName::Yesterday);
        // 2026-11-26 is a Thursday.
        assert_eq!(day_name(today - chrono::Days::new(4), today), DayName::Weekday(3));
    }

    #[test]
    fn this_week_counts_from_monday() {
        let history = controller();
        // Monday 30 November: only that day's two sessions.
        assert_eq!(history.this_week(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()), (2, Duration::from_secs(1800)));
        // Sunday 29 November: the week of the 23rd.
        assert_eq!(history.this_week(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()), (1, Duration::from_secs(600)));
    }

    #[test]
    fn each_sequence_has_its_count_and_last_day_and_the_chart_follows_the_rated_one() {
        let mut history = controller();
        let summary = history.per_sequence();
        assert_eq!(
            summary.iter().map(|s| (s.id.as_str(), s.sessions, s.rated)).collect::<Vec<_>>(),
            [("neck", 3, 3), ("feet", 1, 0)]
        );
        assert_eq!(history.chart_sequence(), Some("neck"));
        let trend: Vec<(Option<u8>, Option<u8>)> = history.trend().iter().map(|p| (p.before, p.after)).collect();
        assert_eq!(trend, [(Some(7), Some(4)), (Some(6), Some(3)), (Some(5), None)], "oldest first");
        history.choose_chart("feet");
        assert!(history.trend().is_empty(), "no ratings kept for it");
        history.choose_chart("unknown");
        assert_eq!(history.chart_sequence(), Some("feet"));
    }

    #[test]
    fn keys_move_through_sessions_and_open_and_close_one() {
        let mut history = controller();
        assert!(!history.open_selected());
        history.move_selection(1);
        assert_eq!(history.selected(), Some(0));
        history.move_selection(10);
        assert_eq!(history.selected(), Some(3), "stops at the oldest");
        assert!(history.open_selected());
        assert_eq!(history.open_session().map(|r| r.id.as_str()), Some("a"));
        assert!(history.close());
        assert!(!history.close(), "nothing left to close: Back leaves the screen");
    }
}
