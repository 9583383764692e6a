//! Monotonic time as the engine sees it: a point on a clock that never jumps, supplied by the caller.

use std::ops::{Add, Sub};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A reading of a monotonic clock, as a duration since that clock's own origin. The engine never reads a clock
/// itself: every call takes the current reading, so tests can run hours of session in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonotonicTime(Duration);

impl MonotonicTime {
    pub const ZERO: MonotonicTime = MonotonicTime(Duration::ZERO);

    pub const fn from_duration(since_origin: Duration) -> Self {
        Self(since_origin)
    }

    pub const fn from_millis(ms: u64) -> Self {
        Self(Duration::from_millis(ms))
    }

    pub const fn since_origin(self) -> Duration {
        self.0
    }

    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_since(self, earlier: MonotonicTime) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<Duration> for MonotonicTime {
    type Output = MonotonicTime;

    fn add(self, rhs: Duration) -> MonotonicTime {
        MonotonicTime(self.0 + rhs)
    }
}

impl Sub<Duration> for MonotonicTime {
    type Output = MonotonicTime;

    fn sub(self, rhs: Duration) -> MonotonicTime {
        MonotonicTime(self.0.saturating_sub(rhs))
    }
}

/// Something that can be read for the current monotonic time.
pub trait Clock {
    fn now(&self) -> MonotonicTime;
}

/// A clock that only moves when told to; shareable across threads and clones.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    micros: Arc<AtomicU64>,
}

impl ManualClock {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn advance(&self, by: Duration) {
        self.micros.fetch_add(u64::try_from(by.as_micros()).unwrap_or(u64::MAX), Ordering::SeqCst);
    }

    pub fn set(&self, to: MonotonicTime) {
        self.micros.store(u64::try_from(to.since_origin().as_micros()).unwrap_or(u64::MAX), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> MonotonicTime {
        MonotonicTime(Duration::from_micros(self.micros.load(Ordering::SeqCst)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = ManualClock::new();
        let view = clock.clone();
        assert_eq!(view.now(), MonotonicTime::ZERO);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(view.now(), MonotonicTime::from_millis(1500));
        clock.set(MonotonicTime::from_millis(10));
        assert_eq!(view.now(), MonotonicTime::from_millis(10));
    }

    #[test]
    fn saturating_since_never_goes_negative() {
        let a = MonotonicTime::from_millis(5);
        let b = MonotonicTime::from_millis(9);
        assert_eq!(b.saturating_since(a), Duration::from_millis(4));
        assert_eq!(a.saturating_since(b), Duration::ZERO);
    }
}
