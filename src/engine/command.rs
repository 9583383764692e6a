//! What a user (or a foot pedal) can ask of a running session, and why a request may be refused.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Start,
    Pause,
    Resume,
    /// One button for everything: start, pause, resume, or continue after a step that waits for confirmation.
    TogglePause,
    Next,
    Previous,
    RestartStep,
    Extend(Duration),
    MarkReleased,
    Stop,
}

/// Why a command did nothing. The state is unchanged when a command is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    NotStarted,
    AlreadyStarted,
    SessionFinished,
    AlreadyPaused,
    NotPaused,
    /// The step has ended and waits for "continue"; extending it is no longer possible (restart it instead).
    StepEnded,
    /// The step has ended and waits for "continue"; there is nothing to pause or release.
    Waiting,
    ZeroExtension,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejection::NotStarted => "the session has not started",
            Rejection::AlreadyStarted => "the session has already started",
            Rejection::SessionFinished => "the session has finished",
            Rejection::AlreadyPaused => "the session is already paused",
            Rejection::NotPaused => "the session is not paused",
            Rejection::StepEnded => "the step has ended; restart it to hold longer",
            Rejection::Waiting => "the step has ended and waits for you to continue",
            Rejection::ZeroExtension => "an extension must be longer than zero",
        })
    }
}

impl std::error::Error for Rejection {}
