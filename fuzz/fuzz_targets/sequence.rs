//! The sequence loader: any bytes as a sequence file, then what loading a valid one leads to (the plan, its totals).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stillpoint::sequence::{CueDefaults, parse_sequence};

fuzz_target!(|data: &[u8]| {
    match parse_sequence("fuzz.json", data) {
        Ok(sequence) => {
            let plan = sequence.plan(&CueDefaults::default());
            let _ = plan.len();
            let _ = plan.longest_total();
            let _ = sequence.played_step_count();
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                let _ = diagnostic.to_string();
            }
        }
    }
});
