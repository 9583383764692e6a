//! Where a step's cues fall: offsets from the step's start, computed on demand so extensions move them correctly.

use std::time::Duration;

use super::event::Cue;
use crate::sequence::{PlannedStep, Timing};

/// The point a running step is heading for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// An open-ended hold reaches its minimum and starts counting up.
    Minimum(Duration),
    /// The step ends.
    End(Duration),
}

impl Boundary {
    pub const fn offset(self) -> Duration {
        match self {
            Boundary::Minimum(d) | Boundary::End(d) => d,
        }
    }
}

/// The next boundary of a step with `extension` added, given whether its minimum has been reached.
pub fn boundary(step: &PlannedStep, extension: Duration, counting_up: bool) -> Boundary {
    match step.timing {
        Timing::Fixed(length) => Boundary::End(length + extension),
        Timing::UntilRelease { min, .. } if !counting_up => Boundary::Minimum(min + extension),
        Timing::UntilRelease { max, .. } => Boundary::End(max + extension),
    }
}

/// Where the step ends at the latest, with `extension`.
pub fn end_offset(step: &PlannedStep, extension: Duration) -> Duration {
    step.timing.longest() + extension
}

/// The cues due at one offset: at most one of each source, so a fixed array holds them without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueCues {
    cues: [Cue; 5],
    len: usize,
}

impl DueCues {
    fn push(&mut self, cue: Cue) {
        self.cues[self.len] = cue;
        self.len += 1;
    }

    pub fn as_slice(&self) -> &[Cue] {
        &self.cues[..self.len]
    }
}

/// The earliest cues strictly after `after`, all of them if several share that offset, in a fixed order.
pub fn next_cues_after(step: &PlannedStep, extension: Duration, after: Duration) -> Option<(Duration, DueCues)> {
    let cues = &step.cues;
    let end = end_offset(step, extension);
    // In rank order, so cues sharing an offset come out sorted.
    let mut candidates: [Option<(Duration, Cue)>; 5] = [None; 5];

    if cues.halfway {
        // Halfway of what was planned: extending a step must not ring a second halfway chime.
        let halfway = step.timing.expected() / 2;
        if halfway > after {
            candidates[0] = Some((halfway, Cue::Halfway));
        }
    }
    if let Some(&at) = cues.at.iter().find(|at| **at > after) {
        candidates[1] = Some((at, Cue::Offset(at)));
    }
    if let Some(every) = cues.check_in_every.filter(|d| !d.is_zero()) {
        let n = next_multiple(after, every.as_nanos());
        candidates[2] = Some((multiple(every.as_nanos(), n), Cue::CheckIn(n)));
    }
    if let Some(warning) = cues.warning
        && warning < end
        && end - warning > after
    {
        candidates[3] = Some((end - warning, Cue::Warning));
    }
    if let Some(bpm) = cues.rhythm_bpm.filter(|b| *b > 0) {
        // Beat n lands at n·60/bpm s exactly (computed per beat, so rounding never accumulates).
        let mut n = u32::try_from(after.as_nanos() * u128::from(bpm) / 60_000_000_000).unwrap_or(u32::MAX);
        while beat(n, bpm) <= after {
            n = n.saturating_add(1);
        }
        candidates[4] = Some((beat(n, bpm), Cue::RhythmBeat(n)));
    }

    let earliest = candidates.iter().flatten().map(|(offset, _)| *offset).min()?;
    let mut due = DueCues { cues: [Cue::Halfway; 5], len: 0 };
    for (offset, cue) in candidates.into_iter().flatten() {
        if offset == earliest {
            due.push(cue);
        }
    }
    Some((earliest, due))
}

fn beat(n: u32, bpm: u32) -> Duration {
    let nanos = u128::from(n) * 60_000_000_000 / u128::from(bpm);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// The smallest n ≥ 1 with n·period > after.
fn next_multiple(after: Duration, period_nanos: u128) -> u32 {
    u32::try_from(after.as_nanos() / period_nanos + 1).unwrap_or(u32::MAX)
}

fn multiple(period_nanos: u128, n: u32) -> Duration {
    Duration::from_nanos(u64::try_from(period_nanos * u128::from(n)).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::{StepCues, StepRole, Technique};

    fn step(timing: Timing, cues: StepCues) -> PlannedStep {
        PlannedStep {
            source_index: 0,
            role: StepRole::Written,
            technique: Technique::SustainedHold,
            title: Some("Hold".into()),
            area: None,
            side: None,
            timing,
            pressure: None,
            direction: None,
            notes: None,
            cues,
            repetition: None,
            say: None,
            voice: None,
            text_language: None,
        }
    }

    fn all_cues(step: &PlannedStep, extension: Duration) -> Vec<(u64, Cue)> {
        let end = end_offset(step, extension);
        let mut after = Duration::ZERO;
        let mut out = Vec::new();
        while let Some((offset, cues)) = next_cues_after(step, extension, after) {
            if offset >= end {
                break;
            }
            out.extend(cues.as_slice().iter().map(|c| (offset.as_millis() as u64, *c)));
            after = offset;
        }
        out
    }

    #[test]
    fn a_five_minute_hold_with_the_reference_cues() {
        let cues = StepCues {
            halfway: true,
            warning: Some(Duration::from_secs(30)),
            check_in_every: Some(Duration::from_secs(75)),
            at: vec![Duration::from_secs(90), Duration::from_secs(120)],
            rhythm_bpm: None,
        };
        let hold = step(Timing::Fixed(Duration::from_secs(300)), cues);
        assert_eq!(
            all_cues(&hold, Duration::ZERO),
            vec![
                (75_000, Cue::CheckIn(1)),
                (90_000, Cue::Offset(Duration::from_secs(90))),
                (120_000, Cue::Offset(Duration::from_secs(120))),
                (150_000, Cue::Halfway),
                (150_000, Cue::CheckIn(2)),
                (225_000, Cue::CheckIn(3)),
                (270_000, Cue::Warning),
            ]
        );
    }

    #[test]
    fn extending_moves_the_warning_but_not_halfway() {
        let cues = StepCues { halfway: true, warning: Some(Duration::from_secs(10)), ..StepCues::default() };
        let hold = step(Timing::Fixed(Duration::from_secs(60)), cues);
        assert_eq!(all_cues(&hold, Duration::from_secs(60)), vec![(30_000, Cue::Halfway), (110_000, Cue::Warning)]);
    }

    #[test]
    fn metronome_beats_do_not_drift() {
        let cues = StepCues { rhythm_bpm: Some(65), ..StepCues::default() };
        let rocking = step(Timing::Fixed(Duration::from_secs(120)), cues);
        let beats = all_cues(&rocking, Duration::ZERO);
        assert_eq!(
            beats.len(),
            129,
            "65 bpm for two minutes; beat 130 falls exactly on the end and the end chime replaces it"
        );
        let (last_ms, last) = beats[beats.len() - 1];
        assert_eq!(last, Cue::RhythmBeat(129));
        assert_eq!(last_ms, 129 * 60_000 / 65);
    }

    #[test]
    fn open_ended_holds_warn_before_their_maximum() {
        let cues = StepCues { halfway: true, warning: Some(Duration::from_secs(30)), ..StepCues::default() };
        let hold = step(Timing::UntilRelease { min: Duration::from_secs(90), max: Duration::from_secs(300) }, cues);
        assert_eq!(all_cues(&hold, Duration::ZERO), vec![(45_000, Cue::Halfway), (270_000, Cue::Warning)]);
        assert_eq!(boundary(&hold, Duration::ZERO, false), Boundary::Minimum(Duration::from_secs(90)));
        assert_eq!(boundary(&hold, Duration::ZERO, true), Boundary::End(Duration::from_secs(300)));
    }
}
