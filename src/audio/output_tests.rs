//! The player with a stand-in device and synthesizer: nothing here needs a sound card. Waits are for events (a
//! channel, a flag), never for a measured time; the long timeouts only keep a broken build from hanging.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::audio::device::{DeviceOpener, LostSignal, OpenError, OpenedDevice};

/// Far longer than anything here takes: only a hung test ever reaches it.
const PATIENCE: Duration = Duration::from_secs(30);

/// What the fake device saw and kept.
#[derive(Default)]
struct Seen {
    calls: Mutex<Vec<Option<String>>>,
    tracks: Mutex<Vec<CueTrack>>,
    lost: Mutex<Vec<LostSignal>>,
    /// Names that are not there (yet).
    missing: Mutex<Vec<String>>,
    finished: AtomicBool,
}

impl Seen {
    fn calls(&self) -> Vec<Option<String>> {
        self.calls.lock().unwrap().clone()
    }
}

/// A device that opens after a sleep, or when the test lets it.
#[derive(Default)]
struct FakeDevice {
    seen: Arc<Seen>,
    sleep: Duration,
    entered: Option<Sender<()>>,
    gate: Option<Receiver<()>>,
    no_device: bool,
}

impl DeviceOpener for FakeDevice {
    fn open(&mut self, name: Option<&str>, track: CueTrack, lost: LostSignal) -> Result<OpenedDevice, OpenError> {
        self.seen.calls.lock().unwrap().push(name.map(str::to_owned));
        if let Some(entered) = &self.entered {
            let _ = entered.send(());
        }
        std::thread::sleep(self.sleep);
        if let Some(gate) = &self.gate {
            let _ = gate.recv_timeout(PATIENCE);
        }
        self.seen.finished.store(true, Ordering::SeqCst);
        if self.no_device {
            return Err(OpenError::NoDevice);
        }
        if name.is_some_and(|name| self.seen.missing.lock().unwrap().iter().any(|m| m == name)) {
            return Err(OpenError::NotFound);
        }
        self.seen.tracks.lock().unwrap().push(track);
        self.seen.lost.lock().unwrap().push(lost);
        Ok(OpenedDevice { stream: Box::new(()), latency: Duration::ZERO })
    }
}

/// Short stand-in chimes, counted by the cache.
fn quick_banks() -> Arc<ChimeBanks> {
    Arc::new(ChimeBanks::with_renderer(|set| ChimeBank::from_sounds(set, |_| vec![0.5f32; 480].into())))
}

/// A cache whose renders wait until the test lets them.
fn gated_banks() -> (Arc<ChimeBanks>, Sender<()>) {
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let banks = ChimeBanks::with_renderer(move |set| {
        let _ = gate.lock().unwrap().recv_timeout(PATIENCE);
        ChimeBank::from_sounds(set, |_| vec![0.5f32; 480].into())
    });
    (Arc::new(banks), release)
}

fn player(device: FakeDevice, banks: Arc<ChimeBanks>) -> ChimePlayer {
    ChimePlayer::with_opener(SystemClock::new(), ChimeSettings::default(), device, banks)
}

fn ready(player: &ChimePlayer) {
    assert_eq!(player.wait_until_open(PATIENCE), AudioStatus::Ready);
}

/// Waits for a condition another thread makes true.
fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let give_up = Instant::now() + PATIENCE;
    while !condition() {
        assert!(Instant::now() < give_up, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn open_returns_before_a_slow_device_has_opened() {
    let seen = Arc::new(Seen::default());
    let (entered, inside) = mpsc::channel();
    let device =
        FakeDevice { seen: seen.clone(), sleep: Duration::from_secs(2), entered: Some(entered), ..Default::default() };
    let mut player = player(device, quick_banks());
    let (heard, statuses) = mpsc::channel();
    player.on_status_change(move |status| {
        let _ = heard.send(status.clone());
    });

    let answer = player.open().clone();
    assert!(!seen.finished.load(Ordering::SeqCst), "open waited for the device");
    assert!(answer.is_opening(), "{answer:?}");
    assert!(player.status().is_opening());
    inside.recv_timeout(PATIENCE).expect("the device is opened on the worker");
    // Asking again while it opens neither waits nor asks twice; chimes handed over meanwhile are kept.
    assert!(ChimeOutput::open(&mut player).is_opening());
    player.play_at(ChimeKind::StepStart, player.clock().now());
    assert!(!seen.finished.load(Ordering::SeqCst), "a call waited for the device");

    assert_eq!(statuses.recv_timeout(PATIENCE), Ok(AudioStatus::Ready), "the listener hears the answer");
    assert_eq!(player.status(), AudioStatus::Ready);
    assert_eq!(seen.calls(), [None], "one open for both requests");
    assert_eq!(player.notice(), None);
}

#[test]
fn nothing_waits_for_the_chimes_to_be_rendered() {
    let (banks, release) = gated_banks();
    let seen = Arc::new(Seen::default());
    let mut player = player(FakeDevice { seen: seen.clone(), ..Default::default() }, banks.clone());
    player.open();
    ready(&player);

    // The render is held up: handing over a chime, switching sets and cancelling all return at once.
    let now = player.clock().now();
    player.play_at(ChimeKind::StepStart, now);
    player.set_settings(ChimeSettings { set: ChimeSet::Bright, ..ChimeSettings::default() });
    player.set_settings(ChimeSettings::default());
    assert!(banks.get(ChimeSet::Bowl).is_none(), "the render is still held up");
    assert_eq!(player.shared.lock().queue.len(), 1, "the chime waits for its set");

    release.send(()).unwrap();
    eventually("the waiting chime is placed", || player.shared.lock().queue.iter().all(|q| q.placed_on.is_some()));
    let mut track = seen.tracks.lock().unwrap().pop().unwrap();
    let first: Vec<f32> = track.by_ref().take(480).collect();
    let gain = ChimeSettings::default().gain();
    assert!(first.iter().all(|s| (*s - 0.5 * gain).abs() < 1e-6), "the chime plays once its set is there");
    release.send(()).unwrap();
}

#[test]
fn each_set_is_rendered_once_however_often_it_is_chosen() {
    let banks = quick_banks();
    let mut first = player(FakeDevice::default(), banks.clone());
    // The terminal's call races the background render: still one render.
    first.bank();
    for set in ChimeSet::ALL {
        banks.get_or_render(set);
    }
    first.open();
    ready(&first);
    for _ in 0..3 {
        for set in [ChimeSet::Bright, ChimeSet::Bowl] {
            first.set_settings(ChimeSettings { set, ..ChimeSettings::default() });
            first.play_now(ChimeKind::CheckIn);
            assert_eq!(first.bank().set(), set);
        }
    }
    let second = player(FakeDevice::default(), banks.clone());
    second.bank();
    for set in ChimeSet::ALL {
        assert_eq!(banks.render_count(set), 1, "{set:?}");
    }
}

#[test]
fn a_missing_named_device_falls_back_to_the_default_and_says_why() {
    let seen = Arc::new(Seen::default());
    let gone = "hw:CARD=Speaker,DEV=0";
    seen.missing.lock().unwrap().push(gone.to_owned());
    let banks = quick_banks();
    // Rendered before any chime is handed over, so each is placed on the spot.
    banks.get_or_render(ChimeSet::Bowl);
    let mut player = player(FakeDevice { seen: seen.clone(), ..Default::default() }, banks);
    player.set_device(Some(gone.to_owned()));
    assert_eq!(seen.calls(), [], "choosing a device before opening opens nothing");
    player.open();
    ready(&player);
    assert_eq!(seen.calls(), [Some(gone.to_owned()), None]);
    let notice = player.notice().expect("a notice");
    assert!(notice.starts_with(DEVICE_MISSING) && notice.contains(gone), "{notice}");

    // Each open looks for the chosen device again, keeping the default while it is missing.
    player.play_at(ChimeKind::StepEnd, player.clock().now() + Duration::from_secs(10));
    let first = player.shared.lock().live.as_ref().unwrap().generation;
    assert!(player.shared.lock().queue.iter().all(|q| q.placed_on == Some(first)));
    player.open();
    ready(&player);
    assert_eq!(seen.calls().len(), 3);
    assert_eq!(seen.tracks.lock().unwrap().len(), 1, "the default keeps playing");
    assert!(player.notice().is_some());

    // Plugged in: the next open moves to it, with the chime handed over earlier.
    seen.missing.lock().unwrap().clear();
    player.open();
    ready(&player);
    assert_eq!(seen.calls().last(), Some(&Some(gone.to_owned())));
    assert_eq!(seen.tracks.lock().unwrap().len(), 2);
    assert_eq!(player.notice(), None);
    let state = player.shared.lock();
    let live = state.live.as_ref().unwrap().generation;
    assert!(state.queue.iter().all(|q| q.placed_on == Some(live)), "the chime moved to the new device");
}

#[test]
fn choosing_another_device_reopens_in_the_background() {
    let seen = Arc::new(Seen::default());
    let (release, gate) = mpsc::channel();
    let mut player = player(FakeDevice { seen: seen.clone(), gate: Some(gate), ..Default::default() }, quick_banks());
    release.send(()).unwrap();
    player.open();
    ready(&player);
    player.set_device(Some("plughw:CARD=1,DEV=0".to_owned()));
    assert!(player.status().is_opening());
    assert_eq!(player.device().as_deref(), Some("plughw:CARD=1,DEV=0"));
    release.send(()).unwrap();
    ready(&player);
    assert_eq!(seen.calls(), [None, Some("plughw:CARD=1,DEV=0".to_owned())]);
    // The same choice again changes nothing.
    player.set_device(Some("plughw:CARD=1,DEV=0".to_owned()));
    assert_eq!(player.open(), &AudioStatus::Ready);
    assert_eq!(seen.calls().len(), 2);
}

#[test]
fn a_lost_device_shows_and_the_next_open_tries_again() {
    let seen = Arc::new(Seen::default());
    let mut player = player(FakeDevice { seen: seen.clone(), ..Default::default() }, quick_banks());
    let (heard, statuses) = mpsc::channel();
    player.on_status_change(move |status| {
        let _ = heard.send(status.clone());
    });
    player.open();
    assert_eq!(statuses.recv_timeout(PATIENCE), Ok(AudioStatus::Ready));
    seen.lost.lock().unwrap()[0].raise();
    assert_eq!(player.status(), AudioStatus::Unavailable(DEVICE_LOST.to_owned()));
    assert_eq!(statuses.recv_timeout(PATIENCE), Ok(AudioStatus::Unavailable(DEVICE_LOST.to_owned())));
    assert!(player.open().is_opening());
    ready(&player);
    assert_eq!(seen.calls(), [None, None]);
}

#[test]
fn no_device_is_unavailable_with_the_reason() {
    let device = FakeDevice { no_device: true, ..Default::default() };
    let mut player = player(device, quick_banks());
    player.open();
    assert_eq!(player.wait_until_open(PATIENCE), AudioStatus::Unavailable(NO_DEVICE.to_owned()));
    player.play_now(ChimeKind::StepStart);
}

#[test]
fn settle_waits_for_the_device_the_terminal_asked_for() {
    let seen = Arc::new(Seen::default());
    let device = FakeDevice { seen: seen.clone(), sleep: Duration::from_millis(200), ..Default::default() };
    let mut player = player(device, quick_banks());
    player.open();
    player.settle();
    assert!(seen.finished.load(Ordering::SeqCst));
    assert_eq!(player.status(), AudioStatus::Ready);
}
