//! The history reader: any bytes as one device's history file (JSON Lines), merged as the history screen reads it,
//! then shown as the history screen shows it (by day, this week, per sequence, the rating chart).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use stillpoint::app::HistoryController;
use stillpoint::store::{DataDir, read_history};

fuzz_target!(|data: &[u8]| {
    let dir = common::scratch();
    std::fs::create_dir_all(dir.join("history")).unwrap();
    std::fs::write(dir.join("history").join("0123456789abcdef.jsonl"), data).unwrap();
    let read = read_history(&DataDir::at(&dir));
    for record in &read.records {
        let _ = record.summary();
        let _ = record.is_final();
    }
    // "Today" is the day of the first record, so this week holds what the input holds, whenever the fuzzer runs.
    let today = read.records.first().map(|r| r.started_at.with_timezone(&chrono::Local).date_naive());
    let mut history = HistoryController::loading();
    history.loaded(read);
    if let Some(today) = today {
        let _ = history.days(today);
        let _ = history.this_week(today);
    }
    let _ = history.per_sequence();
    let _ = history.trend();
});
