//! Chimes rendered into sample buffers, no device needed: length, level, clean starts, distinctness, and the track
//! that places them on exact samples.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stillpoint::audio::{CEILING, ChimeSet, CueTrack, SAMPLE_RATE, render, soft_limit};
use stillpoint::cues::{ChimeKind, CuePlanner};

const RATE: f64 = SAMPLE_RATE as f64;

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0, |m, s| m.max(s.abs()))
}

fn db(level: f32) -> f32 {
    20.0 * level.log10()
}

/// Onsets: 5 ms frames whose energy jumps well above the frame before and is not negligible.
fn onsets(samples: &[f32]) -> Vec<usize> {
    let frame = 240;
    let energy: Vec<f32> =
        samples.chunks(frame).map(|c| c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).collect();
    let loudest = energy.iter().copied().fold(0.0, f32::max);
    let mut found = Vec::new();
    for i in 1..energy.len() {
        let rising = energy[i] > 1.8 * energy[i - 1].max(loudest * 1e-4);
        let separated = found.last().is_none_or(|last: &usize| i - last > 12);
        if rising && energy[i] > loudest * 0.01 && separated {
            found.push(i);
        }
    }
    found
}

/// Strongest frequency (10 Hz resolution) in the 100 ms after the first onset.
fn dominant_frequency(samples: &[f32]) -> f64 {
    let start = onsets(samples).first().map_or(0, |frame| frame * 240);
    let window = &samples[start..(start + 4800).min(samples.len())];
    (5..500)
        .map(|step| {
            let frequency = f64::from(step) * 10.0;
            let omega = 2.0 * std::f64::consts::PI * frequency / RATE;
            let (mut re, mut im) = (0.0, 0.0);
            for (n, s) in window.iter().enumerate() {
                re += f64::from(*s) * (omega * n as f64).cos();
                im += f64::from(*s) * (omega * n as f64).sin();
            }
            (frequency, re * re + im * im)
        })
        .fold((0.0, 0.0), |best, candidate| if candidate.1 > best.1 { candidate } else { best })
        .0
}

#[test]
fn every_chime_has_its_length_level_and_a_click_free_start() {
    let expected_seconds = [
        (ChimeKind::StepStart, 2.5),
        (ChimeKind::Halfway, 2.0),
        (ChimeKind::Warning, 1.6),
        (ChimeKind::Offset, 2.2),
        (ChimeKind::CheckIn, 1.0),
        (ChimeKind::MinimumReached, 2.6),
        (ChimeKind::SideSwitch, 2.2),
        (ChimeKind::StepEnd, 3.0),
        (ChimeKind::SessionEnd, 6.5),
        (ChimeKind::RhythmTick, 0.1),
    ];
    for set in ChimeSet::ALL {
        for (kind, seconds) in expected_seconds {
            let samples = render(kind, set);
            let length = samples.len() as f64 / RATE;
            assert!((length - seconds).abs() < 0.01, "{set:?} {kind:?} lasts {length:.3} s");
            assert!(db(peak(&samples)) <= -1.0, "{set:?} {kind:?} peaks at {:.1} dBFS", db(peak(&samples)));
            assert!(samples[..10].iter().all(|s| s.abs() < 0.005), "{set:?} {kind:?} starts with a click");
            let rms = |part: &[f32]| (part.iter().map(|s| s * s).sum::<f32>() / part.len() as f32).sqrt();
            let (first_ms, settled) = (rms(&samples[..48]), rms(&samples[240..720]));
            assert!(first_ms < 0.1 * settled, "{set:?} {kind:?} starts at full level: {first_ms} vs {settled}");
            let tail = peak(&samples[samples.len() - samples.len() / 20..]);
            assert!(tail < 0.1 * peak(&samples), "{set:?} {kind:?} is cut off: its last 5% peaks at {tail}");
        }
        assert!(db(peak(&render(ChimeKind::CheckIn, set))) < -15.0, "check-ins are very soft");
        let longest = ChimeKind::ALL.iter().max_by_key(|k| render(**k, set).len()).unwrap();
        assert_eq!(*longest, ChimeKind::SessionEnd, "the session end is the longest sound");
    }
}

#[test]
fn chimes_are_pairwise_distinguishable_by_rhythm_pitch_or_length() {
    for set in ChimeSet::ALL {
        let features: Vec<(ChimeKind, usize, f64, f64)> = ChimeKind::ALL
            .iter()
            .map(|kind| {
                let samples = render(*kind, set);
                (*kind, onsets(&samples).len(), dominant_frequency(&samples), samples.len() as f64 / RATE)
            })
            .collect();
        for (i, a) in features.iter().enumerate() {
            for b in &features[i + 1..] {
                let other_rhythm = a.1 != b.1;
                let other_pitch = (a.2 - b.2).abs() > 0.06 * a.2.max(b.2);
                let other_length = (a.3 - b.3).abs() > 0.3;
                assert!(
                    other_rhythm || other_pitch || other_length,
                    "{set:?}: {a:?} sounds like {b:?} in {features:?}"
                );
            }
        }
    }
}

#[test]
fn the_sets_differ_bowl_low_and_bright_high() {
    for kind in [ChimeKind::StepStart, ChimeKind::StepEnd, ChimeKind::SessionEnd] {
        let bowl = dominant_frequency(&render(kind, ChimeSet::Bowl));
        let bright = dominant_frequency(&render(kind, ChimeSet::Bright));
        assert!(bright > bowl * 1.5, "{kind:?}: bright {bright} Hz vs bowl {bowl} Hz");
        assert!(bowl < 400.0, "{kind:?}: the bowl set is warm and low ({bowl} Hz)");
    }
}

#[test]
fn the_limiter_never_lets_a_mix_reach_the_ceiling() {
    for x in [0.0f32, 0.5, 0.7, 0.9, 1.5, 3.0, 100.0] {
        let limited = soft_limit(x);
        assert!(limited < CEILING, "{x} -> {limited}");
        assert_eq!(soft_limit(-x), -limited);
        if x <= 0.7 {
            assert_eq!(limited, x, "quiet samples pass untouched");
        }
    }
}

/// A fake device: pulls the track in bursts at given clock times, like an audio callback.
struct FakeDevice {
    clock: Arc<Mutex<Duration>>,
    track: CueTrack,
    output: Vec<f32>,
}

impl FakeDevice {
    fn new() -> (FakeDevice, stillpoint::audio::TrackHandle) {
        let clock = Arc::new(Mutex::new(Duration::ZERO));
        let reader = clock.clone();
        let (track, handle) = CueTrack::new(move || *reader.lock().unwrap());
        (FakeDevice { clock, track, output: Vec::new() }, handle)
    }

    /// Pulls `burst` samples at each period, `jitter_ms` cycling to mimic a busy machine, until the clock reads `until`.
    fn run_until(&mut self, until: Duration, burst: usize, jitter_ms: &[u64]) {
        let period = Duration::from_secs_f64(burst as f64 / RATE);
        let mut jitter = jitter_ms.iter().cycle();
        while *self.clock.lock().unwrap() < until {
            let due = Duration::from_secs_f64(self.output.len() as f64 / RATE) + period;
            *self.clock.lock().unwrap() = due + Duration::from_millis(*jitter.next().unwrap_or(&0));
            self.output.extend(self.track.by_ref().take(burst));
            let _ = period;
        }
    }
}

#[test]
fn chimes_land_on_exact_samples_whatever_the_buffer_bursts() {
    let (mut device, handle) = FakeDevice::new();
    let click: Arc<[f32]> = vec![0.5f32; 48].into();
    device.run_until(Duration::from_millis(500), 1024, &[0, 3, 1, 7]);
    let due = [Duration::from_millis(1000), Duration::from_millis(1750), Duration::from_millis(4321)];
    let mut scheduled = due.iter().peekable();
    while let Some(at) = scheduled.next() {
        // Scheduled a few milliseconds late, as a woken timer would be, but inside the lead time.
        device.run_until(*at - Duration::from_millis(80), 1024, &[0, 3, 1, 7]);
        handle.schedule(click.clone(), *at);
        if scheduled.peek().is_none() {
            device.run_until(*at + Duration::from_millis(500), 1024, &[0, 3, 1, 7]);
        }
    }
    let starts: Vec<usize> =
        device.output.windows(2).enumerate().filter(|(_, w)| w[0] == 0.0 && w[1] > 0.0).map(|(i, _)| i + 1).collect();
    assert_eq!(starts.len(), 3, "{starts:?}");
    for (pair, times) in starts.windows(2).zip(due.windows(2)) {
        let expected = ((times[1] - times[0]).as_secs_f64() * RATE).round() as i64;
        let actual = (pair[1] - pair[0]) as i64;
        assert!((actual - expected).abs() <= 48, "gap of {actual} samples, expected {expected} (±1 ms)");
    }
}

#[test]
fn a_chime_handed_over_before_the_device_starts_is_placed_by_the_clock() {
    // A device opened in the background may start pulling after the first chime was handed over: that chime still
    // sounds at its time, not as soon as the device starts.
    let (mut device, handle) = FakeDevice::new();
    let click: Arc<[f32]> = vec![0.5f32; 48].into();
    let due = Duration::from_millis(1000);
    handle.schedule(click, due);
    device.run_until(Duration::from_millis(1500), 1024, &[0]);
    let start = device.output.iter().position(|s| *s != 0.0).expect("the chime plays");
    // Sample 0 is pulled one burst in, so it counts as heard then; the chime starts `due` minus that burst later.
    let origin = 1024.0 / RATE;
    let expected = ((due.as_secs_f64() - origin) * RATE).round() as i64;
    assert!((start as i64 - expected).abs() <= 48, "starts at sample {start}, expected {expected} (±1 ms)");
}

#[test]
fn metronome_ticks_are_spaced_exactly_sixty_over_bpm() {
    use stillpoint::engine::{Command, Engine, EngineSettings, MonotonicTime};
    use stillpoint::sequence::{Plan, PlannedStep, StepCues, StepRole, Technique, Timing};

    let bpm = 65;
    let step = PlannedStep {
        source_index: 0,
        role: StepRole::Written,
        technique: Technique::Rebounding,
        title: Some("Rocking".into()),
        area: None,
        side: None,
        timing: Timing::Fixed(Duration::from_secs(10)),
        pressure: None,
        direction: None,
        notes: None,
        cues: StepCues { rhythm_bpm: Some(bpm), ..StepCues::default() },
        repetition: None,
        say: None,
        voice: None,
        text_language: None,
    };
    let mut engine = Engine::new(Arc::new(Plan { steps: vec![step] }), EngineSettings::default());
    let mut planner = CuePlanner::default();
    let tick: Arc<[f32]> = render(ChimeKind::RhythmTick, ChimeSet::Bowl);
    let (mut device, handle) = FakeDevice::new();
    device.run_until(Duration::from_millis(300), 512, &[0, 2]);
    let start = Duration::from_millis(400);
    let mut pending: VecDeque<_> =
        planner.plan(&engine.apply(Command::Start, MonotonicTime::from_duration(start)).events).into();
    let mut now = start;
    loop {
        for chime in pending.drain(..) {
            if chime.kind == ChimeKind::RhythmTick {
                // As the player does: every chime sounds a fixed lead after its due time.
                handle.schedule(tick.clone(), start + chime.scheduled + stillpoint::audio::LEAD);
            }
        }
        if engine.is_finished() {
            break;
        }
        // Wake at the engine's next deadline, a little late, as a real timer does.
        now = engine.next_deadline().map_or(now, |d| d.since_origin()) + Duration::from_millis(2);
        device.run_until(now, 512, &[0, 2]);
        pending.extend(planner.plan(&engine.advance(MonotonicTime::from_duration(now))));
    }
    device.run_until(now + Duration::from_millis(200), 512, &[0, 2]);
    let starts: Vec<usize> =
        device.output.windows(2).enumerate().filter(|(_, w)| w[0] == 0.0 && w[1] != 0.0).map(|(i, _)| i + 1).collect();
    // Beat 1 (0.92 s) falls inside the ringing start chime and gives way to it; beats 2 to 10 tick.
    let beats_after_start_chime =
        (1..).map(|n| f64::from(n) * 60.0 / f64::from(bpm)).take_while(|t| *t < 10.0).filter(|t| *t >= 1.2).count();
    assert_eq!(starts.len(), beats_after_start_chime, "every beat after the start chime ticks once");
    let spacing = 60.0 / f64::from(bpm) * RATE;
    for (n, pair) in starts.windows(2).enumerate() {
        let gap = (pair[1] - pair[0]) as f64;
        assert!((gap - spacing).abs() <= 1.0, "beat {n}: gap {gap} samples, expected {spacing:.1}");
    }
}

#[test]
fn a_stale_chime_is_dropped_and_gain_scales_the_output() {
    let (mut device, handle) = FakeDevice::new();
    let tone: Arc<[f32]> = vec![0.5f32; 4800].into();
    device.run_until(Duration::from_secs(5), 480, &[0]);
    handle.schedule(tone.clone(), Duration::from_secs(2));
    device.run_until(Duration::from_secs(6), 480, &[0]);
    assert!(device.output.iter().all(|s| *s == 0.0), "a chime three seconds late is not played");

    handle.set_gain(0.25);
    handle.schedule(tone, Duration::from_millis(6100));
    device.run_until(Duration::from_secs(7), 480, &[0]);
    assert_eq!(peak(&device.output), 0.5 * 0.25);
}

#[test]
fn the_system_lists_output_devices_by_unique_name_and_a_missing_one_is_not_found() {
    use stillpoint::audio::{CueTrack, DeviceOpener, LostSignal, OpenError, SystemOutput, output_device_list};

    // Whatever this machine has (often nothing at all on CI): names are what `--audio-device` takes, once each.
    let devices = output_device_list();
    for (i, device) in devices.iter().enumerate() {
        assert!(!device.name.is_empty() && !device.description.is_empty(), "{device:?}");
        assert!(devices[i + 1..].iter().all(|other| other.name != device.name), "{device:?} listed twice");
    }
    let (track, _) = CueTrack::new(|| Duration::ZERO);
    let opened = SystemOutput.open(Some("hw:CARD=NoSuchCard,DEV=7"), track, LostSignal::detached());
    assert_eq!(opened.err(), Some(OpenError::NotFound), "the player then falls back to the default device");
}

#[test]
fn a_named_device_opens_in_the_background_when_the_system_has_it() {
    use stillpoint::audio::{
        AudioStatus, ChimeBank, ChimeBanks, ChimePlayer, ChimeSettings, SystemOutput, output_devices,
    };
    use stillpoint::clock::SystemClock;

    // ALSA's "null" device discards what it is given: a real device, opened by name, on machines with no sound card.
    if !output_devices().iter().any(|name| name == "null") {
        return;
    }
    let banks = Arc::new(ChimeBanks::with_renderer(|set| ChimeBank::from_sounds(set, |_| vec![0.5f32; 48].into())));
    let mut player = ChimePlayer::with_opener(SystemClock::new(), ChimeSettings::default(), SystemOutput, banks);
    player.set_device(Some("null".into()));
    player.open();
    assert_eq!(player.wait_until_open(Duration::from_secs(30)), AudioStatus::Ready);
    assert_eq!(player.notice(), None);
    player.play_now(ChimeKind::StepStart);
}
