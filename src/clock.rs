//! Real clocks for the drivers (terminal, window, audio). The engine itself never reads a clock.

use std::time::{Duration, Instant};

use crate::engine::{Clock, MonotonicTime};

/// The system's monotonic clock, counting from when this value was made.
///
/// On Linux and Android it is `CLOCK_BOOTTIME`, which keeps counting while the machine sleeps: a laptop closed during
/// a hold wakes to the real elapsed time, so step changes are reported and the stale cues of the sleep are dropped,
/// instead of the session silently acting as if it had been paused.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Duration,
}

impl SystemClock {
    pub fn new() -> Self {
        Self { origin: raw_now() }
    }

    /// How long, in real time, until this clock reads `time` (zero if it already has).
    pub fn until(&self, time: MonotonicTime) -> Duration {
        time.saturating_since(self.now())
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> MonotonicTime {
        MonotonicTime::from_duration(raw_now().saturating_sub(self.origin))
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn raw_now() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
    Duration::new(u64::try_from(now.tv_sec).unwrap_or(0), u32::try_from(now.tv_nsec).unwrap_or(0))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn raw_now() -> Duration {
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// A clock that runs `scale` times faster than real time, for demos and tests (`--time-scale 60`: a minute a second).
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    real: SystemClock,
    scale: f64,
}

impl ScaledClock {
    /// `scale` must be positive and finite; anything else is treated as 1.
    pub fn new(scale: f64) -> Self {
        Self::over(SystemClock::new(), scale)
    }

    /// Runs over an existing real clock, so at scale 1 both read the same (the chime player's clock, say).
    pub fn over(real: SystemClock, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        Self { real, scale }
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Real time until this clock reads `time`.
    pub fn until(&self, time: MonotonicTime) -> Duration {
        time.saturating_since(self.now()).div_f64(self.scale)
    }

    /// The real-time `Instant` at which this clock reads `time`, for timers that want one.
    pub fn instant_at(&self, time: MonotonicTime) -> Instant {
        Instant::now() + self.until(time)
    }

    /// A session-time span expressed in real time.
    pub fn to_real(&self, span: Duration) -> Duration {
        span.div_f64(self.scale)
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> MonotonicTime {
        MonotonicTime::from_duration(self.real.now().since_origin().mul_f64(self.scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_moves_forward_from_zero() {
        let clock = SystemClock::new();
        let first = clock.now();
        std::thread::sleep(Duration::from_millis(5));
        let second = clock.now();
        assert!(second.saturating_since(first) >= Duration::from_millis(5));
        assert!(first.since_origin() < Duration::from_secs(1));
    }

    #[test]
    fn a_scaled_clock_converts_session_spans_to_real_time() {
        let clock = ScaledClock::new(60.0);
        assert_eq!(clock.to_real(Duration::from_secs(60)), Duration::from_secs(1));
        let deadline = clock.now() + Duration::from_secs(120);
        assert!(clock.until(deadline) <= Duration::from_secs(2));
        assert!(clock.until(deadline) > Duration::from_millis(1900));
        assert_eq!(ScaledClock::new(-3.0).scale(), 1.0);
    }
}
