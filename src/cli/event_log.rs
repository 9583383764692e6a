//! The `--events FILE` format: one JSON object per engine event, for scripts that check timing.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::engine::{Cue, Event, EventKind};

/// One event as a JSON object with `event`, `step`, `scheduled_ms`, `actual_ms` and the event's own details.
pub fn event_record(event: &Event) -> Value {
    let mut record = Map::new();
    record.insert("event".into(), json!(event.kind.name()));
    record.insert("step".into(), json!(event.step));
    record.insert("scheduled_ms".into(), json!(event.scheduled.as_millis() as u64));
    record.insert("actual_ms".into(), json!(event.actual.as_millis() as u64));
    match event.kind {
        EventKind::Cue(Cue::Offset(at)) => {
            record.insert("at_ms".into(), json!(at.as_millis() as u64));
        }
        EventKind::Cue(Cue::CheckIn(n) | Cue::RhythmBeat(n)) => {
            record.insert("n".into(), json!(n));
        }
        EventKind::SideSwitch { to } => {
            record.insert("to".into(), json!(to.code()));
        }
        EventKind::Extended { by } => {
            record.insert("by_ms".into(), json!(by.as_millis() as u64));
        }
        EventKind::StepFinished { reason } => {
            record.insert("reason".into(), json!(reason.name()));
        }
        EventKind::SessionFinished { completed } => {
            record.insert("completed".into(), json!(completed));
        }
        _ => {}
    }
    Value::Object(record)
}

/// Writes records line by line, flushing each so a reader following the file sees events as they happen.
pub struct EventLog<W: Write> {
    out: W,
}

impl<W: Write> EventLog<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    pub fn write(&mut self, event: &Event) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &event_record(event))?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::FinishReason;

    #[test]
    fn records_carry_names_times_and_details() {
        let event = Event {
            kind: EventKind::StepFinished { reason: FinishReason::TimeUp },
            step: 2,
            scheduled: Duration::from_millis(90_000),
            actual: Duration::from_millis(90_003),
        };
        assert_eq!(
            event_record(&event),
            json!({"event": "step_finished", "step": 2, "scheduled_ms": 90000, "actual_ms": 90003, "reason": "time_up"})
        );
        let mut log = EventLog::new(Vec::new());
        log.write(&event).unwrap();
        log.write(&Event { kind: EventKind::Cue(Cue::CheckIn(3)), ..event }).unwrap();
        let text = String::from_utf8(log.out).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().nth(1).unwrap().contains("\"n\":3"));
    }
}
