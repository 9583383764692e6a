//! Writing chimes as 48 kHz WAV files, atomically, so anyone can audition or analyse them.

use std::fs;
use std::io;
use std::path::Path;

use super::synth::SAMPLE_RATE;

/// Writes mono samples as 16-bit PCM. The file appears complete or not at all.
pub fn write_wav(path: &Path, samples: &[f32]) -> io::Result<()> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let temporary = path.with_extension("wav.partial");
    let result = (|| {
        let mut writer = hound::WavWriter::create(&temporary, spec).map_err(io::Error::other)?;
        for sample in samples {
            let value = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            writer.write_sample(value).map_err(io::Error::other)?;
        }
        writer.finalize().map_err(io::Error::other)
    })();
    match result {
        Ok(()) => fs::rename(&temporary, path),
        Err(err) => {
            let _ = fs::remove_file(&temporary);
            Err(err)
        }
    }
}
