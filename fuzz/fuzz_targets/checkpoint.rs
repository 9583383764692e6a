//! The resume checkpoint reader: any bytes as checkpoint.json, loaded as the app loads it at start, then offered for
//! resuming against the bundled library as the app does (which restores an engine at the saved position when the
//! sequence and its hash match).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use stillpoint::app::{LibraryController, ResumeOffer};
use stillpoint::engine::MonotonicTime;
use stillpoint::sequence::library::Library;
use stillpoint::store::{DataDir, Settings, Store};

thread_local! {
    static LIBRARY: LibraryController = LibraryController::new(Library::bundled());
}

fuzz_target!(|data: &[u8]| {
    let dir = common::scratch();
    std::fs::write(dir.join("checkpoint.json"), data).unwrap();
    let mut store = Store::open(DataDir::at(&dir));
    if let Some(checkpoint) = store.load_checkpoint() {
        let now = MonotonicTime::from_millis(5_000);
        let offer = LIBRARY.with(|library| ResumeOffer::new(checkpoint, library, &Settings::default(), now));
        let _ = offer.title();
    }
    let _ = store.take_notices();
});
