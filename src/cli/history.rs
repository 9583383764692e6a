//! `stillpoint history`: the sessions kept in the data folder, as a table, CSV for a spreadsheet, or JSON.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use clap::{Args, ValueEnum};

use super::Context;
use crate::display;
use crate::store::{SessionOutcome, SessionRecord, read_history};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// table (default), csv (a header row, opens in a spreadsheet) or json (an array of records).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only sessions from this day on: 2026-11-01, 7d (the last seven days) or today.
    #[arg(long, value_name = "WHEN", value_parser = parse_since)]
    pub since: Option<DateTime<Local>>,
    /// Only sessions of this sequence id.
    #[arg(long, value_name = "ID")]
    pub sequence: Option<String>,
}

/// The moment `--since` means, in local time.
pub fn parse_since(text: &str) -> Result<DateTime<Local>, String> {
    let text = text.trim();
    let midnight = |date: NaiveDate| {
        Local
            .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .ok_or_else(|| format!("{date} has no midnight in this time zone"))
    };
    let today = Local::now().date_naive();
    if text.eq_ignore_ascii_case("today") {
        return midnight(today);
    }
    if let Some(days) = text.strip_suffix(['d', 'D']).and_then(|n| n.parse::<u32>().ok()).filter(|n| *n > 0) {
        let first = today - chrono::Days::new(u64::from(days - 1));
        return midnight(first);
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => midnight(date),
        Err(_) => Err(format!("{text:?} is not a day: use 2026-11-01, 7d (the last seven days) or today")),
    }
}

pub fn run(context: &Context, args: &HistoryArgs) -> ExitCode {
    let Some(dir) = &context.data_dir else {
        eprintln!("stillpoint: no data folder on this system; give one with --data-dir DIR");
        return ExitCode::FAILURE;
    };
    let read = read_history(dir);
    for notice in &read.notices {
        eprintln!("stillpoint: {notice}");
    }
    let records: Vec<&SessionRecord> = read
        .records
        .iter()
        .filter(|r| args.since.is_none_or(|since| r.started_at >= since))
        .filter(|r| args.sequence.as_deref().is_none_or(|id| r.sequence_id == id))
        .collect();
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &records).map_err(io::Error::other).and_then(|()| writeln!(out))
        }
        Format::Csv => write_csv(&mut out, &records),
        Format::Table => write_table(&mut out, &records),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("stillpoint: {err}");
            ExitCode::FAILURE
        }
    }
}

/// "completed", or "stopped at 3/8".
pub fn outcome_words(record: &SessionRecord) -> String {
    match record.outcome {
        SessionOutcome::Completed => "completed".to_owned(),
        SessionOutcome::InProgress => "in progress".to_owned(),
        SessionOutcome::Stopped => {
            let at = record.stopped_at_step.map_or(String::new(), |n| format!(" at {n}/{}", record.steps_total));
            format!("{}{at}", if record.interrupted { "interrupted" } else { "stopped" })
        }
    }
}

fn rating_words(record: &SessionRecord) -> String {
    let one = |r: Option<u8>| r.map_or("–".to_owned(), |r| r.to_string());
    if record.rating_before.is_none() && record.rating_after.is_none() {
        String::new()
    } else {
        format!("{} → {}", one(record.rating_before), one(record.rating_after))
    }
}

fn write_table(out: &mut impl Write, records: &[&SessionRecord]) -> io::Result<()> {
    if records.is_empty() {
        return writeln!(out, "No sessions kept yet.");
    }
    let title_width = records.iter().map(|r| r.sequence_title.chars().count()).max().unwrap_or(8).max(8);
    writeln!(
        out,
        "{:16}  {:title_width$}  {:18}  {:>8}  {:>7}  RATING",
        "STARTED", "SEQUENCE", "OUTCOME", "TIME", "STEPS"
    )?;
    for record in records {
        writeln!(
            out,
            "{:16}  {:title_width$}  {:18}  {:>8}  {:>7}  {}",
            record.started_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            record.sequence_title,
            outcome_words(record),
            display::count_up(record.session_time),
            format!("{}/{}", record.steps_completed, record.steps_total),
            rating_words(record),
        )?;
    }
    let total: Duration = records.iter().map(|r| r.session_time).sum();
    writeln!(out, "{} session(s), {} in all", records.len(), display::length_words(total))
}

const CSV_HEADER: [&str; 20] = [
    "id",
    "device",
    "started_at",
    "ended_at",
    "sequence_id",
    "sequence_title",
    "sequence_hash",
    "outcome",
    "stopped_at_step",
    "steps_total",
    "steps_completed",
    "steps_skipped",
    "extensions",
    "extended_seconds",
    "releases",
    "session_seconds",
    "rating_before",
    "rating_after",
    "screening_yes",
    "proceeded_despite_yes",
];

fn write_csv(out: &mut impl Write, records: &[&SessionRecord]) -> io::Result<()> {
    writeln!(out, "{}", CSV_HEADER.join(","))?;
    for record in records {
        let outcome = match record.outcome {
            SessionOutcome::Completed => "completed",
            SessionOutcome::Stopped if record.interrupted => "interrupted",
            SessionOutcome::Stopped => "stopped",
            SessionOutcome::InProgress => "in_progress",
        };
        let optional = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
        let fields = [
            record.id.clone(),
            record.device.clone(),
            record.started_at.to_rfc3339(),
            record.ended_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            record.sequence_id.clone(),
            record.sequence_title.clone(),
            record.sequence_hash.clone(),
            outcome.to_owned(),
            record.stopped_at_step.map(|n| n.to_string()).unwrap_or_default(),
            record.steps_total.to_string(),
            record.steps_completed.to_string(),
            record.steps_skipped.to_string(),
            record.extensions.to_string(),
            format!("{:.3}", record.extended_by.as_secs_f64()),
            record.releases.to_string(),
            format!("{:.3}", record.session_time.as_secs_f64()),
            optional(record.rating_before),
            optional(record.rating_after),
            record.yes_answers().to_string(),
            record.proceeded_despite_yes.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180); a leading `=`, `+`, `-` or `@` is
/// prefixed with `'` so a spreadsheet never runs a title as a formula.
fn csv_field(field: &str) -> String {
    let guarded = if field.starts_with(['=', '+', '-', '@']) { format!("'{field}") } else { field.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("Neck, jaw"), "\"Neck, jaw\"");
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn since_takes_days_and_words() {
        let today = parse_since("today").unwrap();
        assert_eq!(today.date_naive(), Local::now().date_naive());
        assert_eq!(parse_since("1d").unwrap(), today);
        assert_eq!((today - parse_since("7d").unwrap()).num_days(), 6);
        assert_eq!(parse_since("2026-11-01").unwrap().date_naive(), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert!(parse_since("last week").is_err());
        assert!(parse_since("0d").is_err());
    }
}
