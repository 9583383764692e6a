//! The session engine: a pure state machine over a plan. No UI, audio or I/O; time comes in as an argument.

mod clock;
mod command;
mod event;
mod schedule;
mod session;
mod snapshot;

pub use clock::{Clock, ManualClock, MonotonicTime};
pub use command::{Command, Rejection};
pub use event::{Cue, Event, EventKind, FinishReason};
pub use session::{Engine, EngineSettings, Hold, Outcome, Position, RestoreError, STALE_CUE_AFTER};
pub use snapshot::{Phase, Snapshot, Summary};
