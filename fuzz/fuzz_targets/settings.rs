//! The settings reader: any bytes as settings.json.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use stillpoint::store::SettingsStore;

fuzz_target!(|data: &[u8]| {
    let dir = common::scratch();
    let path = dir.join("settings.json");
    std::fs::write(&path, data).unwrap();
    let (settings, _notice) = SettingsStore::at(&path).load();
    let _ = settings.chimes();
    let _ = settings.engine();
    let _ = settings.cue_defaults();
});
