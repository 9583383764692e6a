//! Spoken prompts, no audio device: the fake voice for the worker and the scheduling rules; eSpeak NG itself (skipped,
//! with the reason printed, only where libespeak-ng is not installed); a recording from a generated signal through
//! WAV, decoding and the track; `voice` files in sequences; export and import.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use stillpoint::audio::{AudioStatus, ChimeOutput, ChimeSettings, CueTrack, SAMPLE_RATE, chime_length};
use stillpoint::cues::ChimeKind;
use stillpoint::driver::SessionDriver;
use stillpoint::engine::{Clock, Command, EngineSettings, ManualClock, MonotonicTime};
use stillpoint::sequence::library::read_sequence_file;
use stillpoint::sequence::{CueDefaults, Plan, parse_sequence};
use stillpoint::store::SessionRecord;
use stillpoint::voice::{
    Espeak, FakeVoice, Lang, Languages, PEAK_CEILING, PromptRequest, PromptSource, PromptState, PromptVoice, Recording,
    RecordingState, SPEECH_MARGIN, Script, SessionVoice, TARGET_RMS, VoicePrompts, VoiceSettings, VoiceStatus,
    decode_wav, duration_of, export_bundle, import_bundle, render_recording, render_script, step_script, voiced_rms,
    write_recording,
};

const RATE: f64 = SAMPLE_RATE as f64;

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0, |m, s| m.max(s.abs()))
}

fn sequence_text(steps: &str) -> String {
    format!(
        r#"{{"format": 1, "id": "voice-test", "title": "Voice test", "summary": "S", "audience": "self-care",
            "steps": [{steps}]}}"#
    )
}

fn plan_of(steps: &str) -> Plan {
    parse_sequence("test.json", sequence_text(steps).as_bytes()).unwrap().plan(&CueDefaults::default())
}

/// The worker with the fake voice; an unavailable fake fails to load, as a missing eSpeak does.
fn fake_prompts(voice: FakeVoice) -> VoicePrompts {
    VoicePrompts::with_voice(move || {
        if voice.unavailable {
            return Err(stillpoint::voice::VoiceError::Unavailable("no engine in this test".to_owned()));
        }
        Ok(Box::new(voice) as Box<dyn PromptVoice>)
    })
}

// ---------------------------------------------------------------------------------------------------------------
// The worker and rendering, with the fake voice.

#[test]
fn the_worker_renders_off_the_calling_thread_and_keeps_what_it_rendered() {
    let voice = FakeVoice::slow(Duration::from_millis(30));
    let prompts = fake_prompts(voice.clone());
    let request = PromptRequest::new(
        PromptSource::Script(Script::single("Left side.", Lang::En)),
        &VoiceSettings::default(),
        None,
    );
    let asked = Instant::now();
    let key = prompts.request(&request);
    assert!(asked.elapsed() < Duration::from_millis(20), "asking never waits for the render");
    assert_eq!(prompts.state(key), PromptState::Pending);
    let PromptState::Ready(samples) = prompts.render_blocking(&request, Duration::from_secs(5)) else {
        panic!("rendered")
    };
    // Two words of 250 ms with 100 ms between, trimmed to 40 ms after the last.
    let length = duration_of(samples.len()).as_secs_f64();
    assert!((length - 0.64).abs() < 0.02, "{length}");
    assert_eq!(prompts.status(), VoiceStatus::Ready("fake".to_owned()));
    prompts.request(&request);
    assert_eq!(voice.renders(), 1, "asked twice, rendered once");
}

#[test]
fn without_an_engine_the_voice_says_so_once_and_nothing_hangs() {
    let prompts = fake_prompts(FakeVoice::unavailable());
    assert!(matches!(prompts.wait_until_loaded(Duration::from_secs(5)), VoiceStatus::Unavailable(_)));
    let request =
        PromptRequest::new(PromptSource::Script(Script::single("Hello.", Lang::En)), &VoiceSettings::default(), None);
    let started = Instant::now();
    assert!(matches!(prompts.render_blocking(&request, Duration::from_secs(5)), PromptState::Failed(_)));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_prompt_too_long_for_its_window_loses_phrases_then_words_never_part_of_a_word() {
    let plan = plan_of(
        r#"{"technique": "sustained-hold", "title": "Ball under the shoulder blade", "area": "upper back",
            "side": "left", "duration": "90s", "pressure": {"level": 2, "prompt": "Sink in and wait."},
            "direction": {"kind": "stationary", "prompt": "Let the ball do the work."}}"#,
    );
    let script = step_script(&plan, 0, Languages::same(Lang::En), &Default::default()).unwrap();
    let options = VoiceSettings::default().options();
    let mut voice = FakeVoice::new();
    let full = render_script(&mut voice, &script, &options, None, 1.0).unwrap().unwrap();
    // Whole phrases by importance: side and title stay, area and direction go first.
    let mut voice = FakeVoice::new();
    let fit = Duration::from_secs(4);
    let short = render_script(&mut voice, &script, &options, Some(fit), 1.0).unwrap().unwrap();
    assert!(duration_of(short.len()) <= fit && short.len() < full.len());
    let said: Vec<String> = voice.said().into_iter().map(|(text, _)| text).collect();
    assert_eq!(said.len(), script.phrases.len(), "each phrase rendered once");
    // Side (2 words) and title (5) take 7 × 350 ms − 2 × 60 ms + a 300 ms gap ≈ 2.63 s; the 6-word pressure and
    // direction phrases would pass 4 s, the 2-word area still fits: ≈ 3.57 s.
    let length = duration_of(short.len()).as_secs_f64();
    assert!((length - 3.57).abs() < 0.03, "side, title and area: {length}");

    // Not even the side fits whole: words of it, whole ones.
    let mut voice = FakeVoice::new();
    let tiny = Script::single("Ease out very slowly now.", Lang::En);
    let cut = render_script(&mut voice, &tiny, &options, Some(Duration::from_millis(1100)), 1.0).unwrap().unwrap();
    // The longest start in whole words: "Ease out very." (3 × 350 ms − 60 ms); four words would take 1.34 s.
    assert!(voice.said().iter().any(|(text, _)| text == "Ease out very."), "{:?}", voice.said());
    assert!((duration_of(cut.len()).as_secs_f64() - 0.99).abs() < 0.02, "{:?}", duration_of(cut.len()));
    let mut voice = FakeVoice::new();
    assert_eq!(render_script(&mut voice, &tiny, &options, Some(Duration::from_millis(100)), 1.0).unwrap(), None);
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduling: the session driver with a fake device and the fake voice.

#[derive(Debug, Clone, PartialEq)]
enum Call {
    Chime(ChimeKind, u64),
    /// Due (ms) and length (ms).
    Speak(u64, u64),
    Cancel,
    StopSpeech,
}

#[derive(Clone, Default)]
struct Device(Rc<RefCell<Vec<Call>>>);

impl Device {
    fn calls(&self) -> Vec<Call> {
        self.0.borrow().clone()
    }

    fn speech(&self) -> Vec<(u64, u64)> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Speak(at, len) => Some((at, len)),
                _ => None,
            })
            .collect()
    }

    fn chimes(&self) -> Vec<(ChimeKind, u64)> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Chime(kind, at) => Some((kind, at)),
                _ => None,
            })
            .collect()
    }
}

impl ChimeOutput for Device {
    fn open(&mut self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn status(&self) -> AudioStatus {
        AudioStatus::Ready
    }
    fn play_at(&self, kind: ChimeKind, due: MonotonicTime) {
        self.0.borrow_mut().push(Call::Chime(kind, due.since_origin().as_millis() as u64));
    }
    fn cancel_unstarted(&self) {
        self.0.borrow_mut().push(Call::Cancel);
    }
    fn apply_settings(&mut self, _: ChimeSettings) {}
    fn speak_at(&self, samples: Arc<[f32]>, due: MonotonicTime) {
        let length = (samples.len() as f64 / RATE * 1000.0).round() as u64;
        self.0.borrow_mut().push(Call::Speak(due.since_origin().as_millis() as u64, length));
    }
    fn stop_speech(&self) {
        self.0.borrow_mut().push(Call::StopSpeech);
    }
}

struct Session {
    clock: ManualClock,
    device: Device,
    driver: SessionDriver,
}

impl Session {
    fn new(steps: &str, settings: VoiceSettings, voice: FakeVoice) -> Session {
        let plan = Arc::new(plan_of(steps));
        let clock = ManualClock::new();
        clock.set(MonotonicTime::from_millis(1_000));
        let record = SessionRecord::new("voice-test", "Voice test", "", plan.len(), "0123456789abcdef");
        let mut driver = SessionDriver::new(plan, EngineSettings::default(), Rc::new(clock.clone()), record);
        driver.set_voice(Some(SessionVoice::new(fake_prompts(voice), settings, Lang::En)));
        Session { clock, device: Device::default(), driver }
    }

    fn command(&mut self, command: Command) {
        let outcome = self.driver.apply(command, &mut self.device);
        assert_eq!(outcome.rejected, None, "{command:?}");
    }

    /// Wakes when the driver asks until the clock reads `until_ms`, giving the voice worker a moment of real time
    /// whenever the driver is waiting for a prompt.
    fn run_until(&mut self, until_ms: u64) {
        let until = MonotonicTime::from_millis(until_ms);
        while let Some(wake) = self.driver.next_wake() {
            if wake > until {
                break;
            }
            if wake <= self.clock.now() + Duration::from_millis(20) {
                std::thread::sleep(Duration::from_millis(2));
            }
            self.clock.set(wake.max(self.clock.now()));
            if self.clock.now() < wake {
                // The manual clock keeps microseconds; a metronome beat falls between two.
                self.clock.advance(Duration::from_micros(1));
            }
            self.driver.tick(&mut self.device);
        }
        self.clock.set(until.max(self.clock.now()));
        self.driver.tick(&mut self.device);
    }
}

const SHOULDER: &str = r#"{"technique": "sustained-hold", "title": "Ball under the shoulder blade", "side": "left",
    "duration": "30s", "pressure": {"level": 2, "prompt": "Sink in and wait."}, "cues": {"halfway": false}},
    {"technique": "rest", "duration": "20s", "cues": {"halfway": false}}"#;

#[test]
fn a_step_is_spoken_at_its_start_once_its_chime_has_rung_out() {
    let mut session = Session::new(SHOULDER, VoiceSettings::default(), FakeVoice::new());
    session.command(Command::Start);
    session.run_until(60_000);
    let speech = session.device.speech();
    assert_eq!(session.device.chimes()[0], (ChimeKind::StepStart, 1_100));
    // Both steps spoken, each once, each after the longest chime a step can start with.
    assert_eq!(speech.len(), 2, "{:?}", session.device.calls());
    let delay = chime_length(ChimeKind::StepEnd).as_millis() as u64;
    assert_eq!(speech[0].0, 1_100 + delay);
    assert_eq!(speech[1].0, 31_100 + delay);
    // "Left side. Ball under the shoulder blade. Gentle pressure: sink in and wait." in the fake voice.
    assert!((4_000..5_500).contains(&speech[0].1), "{speech:?}");
    for (kind, at) in session.device.chimes() {
        if matches!(kind, ChimeKind::StepStart | ChimeKind::StepEnd | ChimeKind::SideSwitch) {
            for (start, length) in &speech {
                let chime_end = at + chime_length(kind).as_millis() as u64;
                assert!(start + length <= at || *start >= chime_end, "{kind:?} at {at} and speech at {start}");
            }
        }
    }
}

#[test]
fn speech_holds_the_floor_against_lesser_chimes_and_ends_before_greater_ones() {
    // A 14 s step: an offset chime at 4 s falls inside the prompt, the warning at 9 s and the end at 14 s outrank it.
    let steps = r#"{"technique": "direct", "title": "Forearm flexors, slow and steady into the first barrier",
        "area": "forearm", "duration": "14s", "pressure": {"level": 3, "prompt": "Load slowly, then wait."},
        "cues": {"halfway": false, "at": ["4s"], "warning": "5s"}},
        {"technique": "rest", "duration": "10s"}"#;
    let mut session = Session::new(steps, VoiceSettings::default(), FakeVoice::new());
    session.command(Command::Start);
    session.run_until(30_000);
    let chimes = session.device.chimes();
    let speech = session.device.speech();
    let (start, length) = speech[0];
    assert_eq!(start, 4_100);
    // Shortened to end half a second before the warning (at 10.1 s).
    assert!(start + length <= 10_100 - SPEECH_MARGIN.as_millis() as u64, "{speech:?}");
    assert!(length > 2_000, "still says something useful: {length} ms");
    assert!(!chimes.iter().any(|(kind, _)| *kind == ChimeKind::Offset), "the offset chime yields: {chimes:?}");
    assert!(chimes.contains(&(ChimeKind::Warning, 10_100)), "{chimes:?}");
    assert!(chimes.contains(&(ChimeKind::StepEnd, 15_100)), "{chimes:?}");
}

#[test]
fn a_short_step_gets_a_shortened_prompt_that_ends_before_the_next_step() {
    let steps = r#"{"technique": "transition", "title": "Roll slowly onto your left side and bring both knees up towards your chest",
        "duration": "7s"}, {"technique": "rest", "duration": "10s"}"#;
    let voice = FakeVoice::new();
    let mut session = Session::new(steps, VoiceSettings::default(), voice.clone());
    session.command(Command::Start);
    session.run_until(20_000);
    let (start, length) = session.device.speech()[0];
    assert!(start + length <= 8_100 - SPEECH_MARGIN.as_millis() as u64, "{start} + {length}");
    let said = voice.said();
    let shortest =
        said.iter().filter(|(text, _)| text.starts_with("Roll")).map(|(t, _)| t.clone()).min_by_key(String::len);
    let shortest = shortest.unwrap();
    assert!(shortest.len() < 40 && shortest.ends_with('.'), "whole words: {shortest:?}");
}

#[test]
fn pause_and_next_withdraw_speech_and_extend_keeps_it() {
    let mut session = Session::new(SHOULDER, VoiceSettings::default(), FakeVoice::new());
    session.command(Command::Start);
    session.run_until(2_000);
    let handed = session.device.speech();
    assert_eq!(handed.len(), 1, "handed over a second ahead: {handed:?}");
    // Extend: the prompt is withdrawn with the chimes and handed over again, at the same moment.
    let before = session.device.calls().len();
    session.command(Command::Extend(Duration::from_secs(60)));
    assert_eq!(session.device.speech(), vec![handed[0], handed[0]]);
    assert!(!session.device.calls()[before..].contains(&Call::StopSpeech));
    // Pause before it starts: withdrawn, stopped, not handed over again on resume.
    session.command(Command::Pause);
    let calls = session.device.calls();
    assert!(calls.ends_with(&[Call::Cancel, Call::StopSpeech]), "{calls:?}");
    session.clock.advance(Duration::from_secs(5));
    session.command(Command::Resume);
    session.run_until(20_000);
    assert_eq!(session.device.speech().len(), 2, "the withdrawn prompt is not said late");
    // Next: the voice stops, and the new step is spoken after its chime.
    session.command(Command::Next);
    assert!(session.device.calls().contains(&Call::StopSpeech));
    let now = session.clock.now().since_origin().as_millis() as u64;
    session.run_until(now + 6_000);
    let last = *session.device.speech().last().unwrap();
    assert_eq!(last.0, now + chime_length(ChimeKind::StepEnd).as_millis() as u64);
}

#[test]
fn with_no_engine_the_session_runs_on_chimes_alone() {
    let mut session = Session::new(SHOULDER, VoiceSettings::default(), FakeVoice::unavailable());
    session.command(Command::Start);
    session.run_until(60_000);
    assert!(session.device.speech().is_empty());
    let chimes: Vec<ChimeKind> = session.device.chimes().into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(chimes.first(), Some(&ChimeKind::StepStart));
    assert_eq!(chimes.last(), Some(&ChimeKind::SessionEnd));
    assert!(session.driver.engine().is_finished());
}

#[test]
fn the_minimum_and_countdown_are_spoken_when_turned_on_and_rhythm_waits_for_the_voice() {
    let steps = r#"{"technique": "sustained-hold", "title": "Hold", "until_release": {"min": "20s", "max": "40s"},
        "cues": {"halfway": false, "warning": "10s"}},
        {"technique": "rebounding", "title": "Rock", "duration": "20s", "cues": {"halfway": false, "warning": "0s"}}"#;
    let mut settings = VoiceSettings::default();
    settings.parts.countdown = true;
    let voice = FakeVoice::new();
    let mut session = Session::new(steps, settings, voice.clone());
    session.command(Command::Start);
    session.run_until(70_000);
    let said: Vec<String> = voice.said().into_iter().map(|(text, _)| text).collect();
    assert!(said.iter().any(|t| t == "You can ease off when it softens."), "{said:?}");
    assert!(said.iter().any(|t| t == "10 seconds."), "{said:?}");
    let speech = session.device.speech();
    assert!(speech.iter().any(|(at, _)| *at == 21_100 + chime_length(ChimeKind::MinimumReached).as_millis() as u64));
    assert!(speech.iter().any(|(at, _)| *at == 31_100 + ChimeKind::Warning.holds_for().as_millis() as u64));
    // The rocking step: no metronome tick while its prompt speaks, ticks after.
    let (start, length) = *speech.last().unwrap();
    let ticks: Vec<u64> =
        session.device.chimes().into_iter().filter(|(k, _)| *k == ChimeKind::RhythmTick).map(|(_, at)| at).collect();
    assert!(!ticks.is_empty());
    assert!(ticks.iter().all(|at| *at < start || *at >= start + length), "{ticks:?} vs {start}+{length}");
}

// ---------------------------------------------------------------------------------------------------------------
// eSpeak NG itself. CI installs libespeak-ng1 and espeak-ng-data; elsewhere these tests say why they skip.

fn espeak() -> Option<Espeak> {
    match Espeak::load() {
        Ok(voice) => Some(voice),
        Err(err) => {
            eprintln!("SKIPPED: eSpeak NG is not installed here ({err}); apt-get install libespeak-ng1 espeak-ng-data");
            None
        }
    }
}

/// Energy above `hz` as a share of the whole (a windowed DFT of 1024-sample frames, every 8th frame).
fn share_above(samples: &[f32], hz: f64) -> f64 {
    let frame = 1_024;
    let (mut high, mut total) = (0.0, 0.0);
    for chunk in samples.chunks(frame).step_by(8).filter(|c| c.len() == frame) {
        for bin in 1..frame / 2 {
            let omega = 2.0 * std::f64::consts::PI * bin as f64 / frame as f64;
            let (mut re, mut im) = (0.0, 0.0);
            for (n, s) in chunk.iter().enumerate() {
                // A Hann window, so a loud low tone does not leak into the high bins.
                let hann = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / frame as f64).cos();
                let s = f64::from(*s) * hann;
                re += s * (omega * n as f64).cos();
                im += s * (omega * n as f64).sin();
            }
            let power = re * re + im * im;
            total += power;
            if bin as f64 * RATE / frame as f64 > hz {
                high += power;
            }
        }
    }
    high / total.max(1e-12)
}

#[test]
fn espeak_renders_prompts_in_every_language_with_sane_length_level_and_clean_ends() {
    let Some(mut engine) = espeak() else { return };
    let settings = VoiceSettings::default();
    let plan = plan_of(
        r#"{"technique": "sustained-hold", "title": "Ball under the shoulder blade", "side": "left",
            "duration": "90s", "pressure": {"level": 2, "prompt": "Sink in and wait."}}"#,
    );
    for language in Lang::ALL {
        let script = step_script(&plan, 0, Languages::same(language), &settings.parts).unwrap();
        let started = Instant::now();
        let samples = render_script(&mut engine, &script, &settings.options(), None, settings.gain()).unwrap().unwrap();
        let took = started.elapsed();
        let seconds = samples.len() as f64 / RATE;
        eprintln!("{language}: {:?} -> {seconds:.2} s of speech in {} ms", script.text(), took.as_millis());
        // 13 words or so at 160 words a minute, with pauses: about 4 to 7 seconds.
        assert!((3.0..8.0).contains(&seconds), "{language}: {seconds:.2} s");
        assert!(peak(&samples) <= PEAK_CEILING + 1e-3, "{language}: no clipping ({})", peak(&samples));
        let level = voiced_rms(&samples);
        assert!(level > TARGET_RMS * 0.7 && level <= TARGET_RMS * 1.05, "{language}: voiced RMS {level}");
        // No click: silent first and last samples, and the first and last millisecond quiet.
        assert_eq!(samples[0], 0.0);
        assert!(samples.last().unwrap().abs() < 1e-4);
        assert!(peak(&samples[..48]) < 0.02 && peak(&samples[samples.len() - 48..]) < 0.02, "{language}");
        // Speech: most energy below 4 kHz (the resampler adds no image above eSpeak's 11 kHz).
        assert!(share_above(&samples, 4_000.0) < 0.1, "{language}: {}", share_above(&samples, 4_000.0));
        assert!(share_above(&samples, 11_500.0) < 1e-4, "{language}: imaging");
    }
}

#[test]
fn espeak_prompts_shorten_in_whole_words_and_a_missing_variant_falls_back() {
    let Some(mut engine) = espeak() else { return };
    let mut settings = VoiceSettings::default();
    let script =
        Script::single("Roll slowly onto your left side and bring both knees up towards your chest.", Lang::En);
    let fit = Duration::from_millis(1_800);
    let short = render_script(&mut engine, &script, &settings.options(), Some(fit), 1.0).unwrap().unwrap();
    assert!(duration_of(short.len()) <= fit && duration_of(short.len()) > Duration::from_millis(800));
    settings.voice = Some("no-such-variant".to_owned());
    let fallback = render_script(&mut engine, &script, &settings.options(), None, 1.0).unwrap().unwrap();
    assert!(fallback.len() > short.len());
}

// ---------------------------------------------------------------------------------------------------------------
// Recording: a generated signal stands in for the microphone.

/// Three bursts of a 300 Hz tone, 400 ms each with 300 ms of silence between, at 44.1 kHz stereo: "speech".
fn stand_in_microphone() -> rodio::buffer::SamplesBuffer {
    let rate = 44_100usize;
    let mut samples = Vec::new();
    for burst in 0..3 {
        let on = rate * 4 / 10;
        for n in 0..on {
            let envelope = ((n.min(on - n) as f32) / 441.0).min(1.0);
            let value = (2.0 * std::f32::consts::PI * 300.0 * n as f32 / rate as f32).sin() * 0.3 * envelope;
            samples.extend([value, value]);
        }
        if burst < 2 {
            samples.extend(std::iter::repeat_n(0.0, rate * 3 / 10 * 2));
        }
    }
    rodio::buffer::SamplesBuffer::new(
        std::num::NonZero::new(2).unwrap(),
        std::num::NonZero::new(rate as u32).unwrap(),
        samples,
    )
}

#[test]
fn a_recorded_prompt_goes_to_wav_decodes_and_plays_on_the_track() {
    let recording = Recording::start_from(|| Ok(stand_in_microphone()));
    recording.wait_started(Duration::from_secs(5)).unwrap();
    let give_up = Instant::now() + Duration::from_secs(5);
    while recording.state() != RecordingState::Finished && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(5));
    }
    let take = recording.stop().unwrap();
    assert!((take.len() as f64 / RATE - 1.8).abs() < 0.01, "{} samples at 48 kHz", take.len());

    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("voice-test.step-1.wav");
    write_recording(&take, &path).unwrap();
    let decoded = decode_wav(&path).unwrap();
    assert_eq!(decoded.len(), take.len());
    assert!(decoded.iter().zip(&take).all(|(a, b)| (a - b).abs() < 1e-3), "16-bit round trip");

    // Played as a prompt with room for it: evened, faded, whole.
    let played = render_recording(&path, Some(Duration::from_secs(5)), 1.0).unwrap().unwrap();
    assert!((played.len() as f64 / RATE - 1.8).abs() < 0.1);
    assert!(played[0].abs() < 1e-4 && played.last().unwrap().abs() < 1e-4);
    // Too long for a 1.2 s window: cut in the middle of the first pause (the second one's middle is at 1.25 s),
    // never inside a burst.
    let cut = render_recording(&path, Some(Duration::from_millis(1_200)), 1.0).unwrap().unwrap();
    let cut_at = cut.len() as f64 / RATE;
    assert!((0.5..=0.65).contains(&cut_at), "cut at {cut_at:.3} s");

    // On the track: it starts on its sample, stops with a fade when asked.
    let (mut track, handle) = CueTrack::new(|| Duration::ZERO);
    let _ = track.by_ref().take(480).count();
    handle.schedule_speech(played.clone().into(), Duration::from_millis(100));
    let out: Vec<f32> = track.by_ref().take(48_000).collect();
    let first = out.iter().position(|s| s.abs() > 1e-3).unwrap();
    assert!((first as i64 - 4_320).abs() < 480, "starts at sample {first}");
    handle.stop_speech();
    let after: Vec<f32> = track.by_ref().take(9_600).collect();
    assert!(after[2_400..].iter().all(|s| *s == 0.0), "stopped within the fade");
    let jump = after.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0.0f32, f32::max);
    assert!(jump < 0.05, "no click when stopped: largest step {jump}");
}

#[test]
fn no_microphone_is_a_clean_error() {
    let recording =
        Recording::start_from(|| Err::<rodio::buffer::SamplesBuffer, _>(stillpoint::voice::RecordError::NoMicrophone));
    assert_eq!(recording.wait_started(Duration::from_secs(5)), Err(stillpoint::voice::RecordError::NoMicrophone));
    assert_eq!(recording.stop(), Err(stillpoint::voice::RecordError::NoMicrophone));
    // The real microphone on a machine without one (CI): an error, never a panic or a hang.
    let real = Recording::start();
    let started = Instant::now();
    let answer = real.wait_started(Duration::from_secs(10));
    assert!(started.elapsed() < Duration::from_secs(10));
    if answer.is_ok() {
        let _ = real.stop();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// `voice` files in sequence files; export and import.

fn with_voice(voice: &str) -> String {
    sequence_text(&format!(
        r#"{{"technique": "rest", "duration": "30s"}},
           {{"technique": "sustained-hold", "title": "Hold", "duration": "60s", "say": "Hold here.", "voice": "{voice}"}}"#
    ))
}

#[test]
fn a_sequence_with_its_recordings_validates_and_a_missing_one_is_a_positioned_error() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("voice-test.json");
    std::fs::write(&file, with_voice("voice-test.step-2.wav")).unwrap();
    let problems = read_sequence_file(&file).unwrap_err();
    assert_eq!(problems.len(), 1);
    let line = problems[0].to_string();
    assert!(line.contains("steps[1].voice") && line.contains("missing"), "{line}");
    assert!(line.starts_with(&format!("{}:3:", file.display())), "positioned at the field: {line}");

    write_recording(&[0.1; 4_800], &folder.path().join("voice-test.step-2.wav")).unwrap();
    let sequence = read_sequence_file(&file).unwrap();
    let plan = sequence.plan(&CueDefaults::default());
    assert_eq!(plan.steps[1].voice.as_deref(), Some(folder.path().join("voice-test.step-2.wav").as_path()));
    assert_eq!(plan.steps[1].say.as_deref(), Some("Hold here."));

    for bad in ["../elsewhere.wav", "/etc/x.wav", "take.mp3", ""] {
        let problems = parse_sequence("x.json", with_voice(bad).as_bytes()).unwrap_err();
        assert!(problems[0].to_string().contains("steps[1].voice"), "{bad}: {problems:?}");
    }
    let empty_say = sequence_text(r#"{"technique": "rest", "duration": "30s", "say": " "}"#);
    assert!(parse_sequence("x.json", empty_say.as_bytes()).unwrap_err()[0].to_string().contains("steps[0].say"));
    // Format 1 files without the new fields are unchanged.
    assert!(parse_sequence("x.json", sequence_text(r#"{"technique": "rest", "duration": "30s"}"#).as_bytes()).is_ok());
}

#[test]
fn a_sequence_and_its_recordings_export_to_one_folder_and_import_from_it() {
    let home = tempfile::tempdir().unwrap();
    let own = home.path().join("own");
    std::fs::create_dir_all(&own).unwrap();
    let text = with_voice("voice-test.step-2.wav");
    std::fs::write(own.join("voice-test.json"), &text).unwrap();
    write_recording(&[0.2; 9_600], &own.join("voice-test.step-2.wav")).unwrap();

    let bundle = home.path().join("for-client");
    let files = export_bundle(text.as_bytes(), "voice-test.json", Some(&own), &bundle, false).unwrap();
    assert_eq!(files, vec![bundle.join("voice-test.json"), bundle.join("voice-test.step-2.wav")]);

    let client = home.path().join("client-sequences");
    let installed = import_bundle(&bundle, &client, false).unwrap();
    assert_eq!(installed, client.join("voice-test.json"));
    let sequence = read_sequence_file(&installed).unwrap();
    assert!(sequence.plan(&CueDefaults::default()).steps[1].voice.as_deref().is_some_and(Path::exists));
    // Importing again is a no-op; a different file of the same name is not overwritten unasked.
    assert!(import_bundle(&bundle, &client, false).is_ok());
    write_recording(&[0.3; 100], &client.join("voice-test.step-2.wav")).unwrap();
    assert!(import_bundle(&bundle, &client, false).is_err());
    assert!(import_bundle(&bundle, &client, true).is_ok());
    // A bundle whose recording went missing does not install.
    std::fs::remove_file(bundle.join("voice-test.step-2.wav")).unwrap();
    let error = import_bundle(&bundle, &home.path().join("elsewhere"), false).unwrap_err().to_string();
    assert!(error.contains("steps[1].voice"), "{error}");
}

#[test]
fn without_the_library_or_its_data_say_fails_cleanly_and_names_the_packages() {
    let folder = tempfile::tempdir().unwrap();
    for (variable, value) in [
        ("STILLPOINT_ESPEAK_LIBRARY", folder.path().join("libespeak-ng.so.1")),
        ("STILLPOINT_ESPEAK_DATA", folder.path().to_owned()),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_stillpoint"))
            .args(["--data-dir", &folder.path().display().to_string(), "say", "neck-and-headache", "--write"])
            .arg(folder.path().join("out.wav"))
            .env(variable, &value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if variable == "STILLPOINT_ESPEAK_DATA" && Espeak::load().is_err() {
            continue;
        }
        assert!(!output.status.success(), "{variable}: {stderr}");
        assert!(stderr.contains("voice unavailable") && stderr.contains("libespeak-ng1"), "{variable}: {stderr}");
        assert!(!folder.path().join("out.wav").exists());
    }
}
