//! Prompts as sound: each phrase rendered by the voice, trimmed of its silence, joined with short pauses, shortened
//! to fit the time before the next chime (whole phrases first, least important first, then words: never part of a
//! word), evened in level and faded in and out so it starts and ends without a click. Recorded prompts (WAV files)
//! are decoded, resampled and evened the same way, and shortened only at a pause.

use std::path::Path;
use std::time::Duration;

use super::engine::{PromptVoice, VoiceError, VoiceOptions};
use super::resample::resample;
use super::script::{PHRASE_GAP, Script};
use crate::audio::SAMPLE_RATE;

/// Speech is evened so its voiced parts have this RMS level (-19 dBFS) before the voice's gain: about as loud as a
/// chime (the bowl's step-start chime is -17 dBFS RMS over its 2.5 s).
pub const TARGET_RMS: f32 = 0.11;
/// ... without peaks above this (-2 dBFS): speech is peakier than a bell.
pub const PEAK_CEILING: f32 = 0.8;
/// A quiet recording is raised by at most this much (24 dB), so a near-silent take does not become loud hiss.
const MAX_RAISE: f32 = 16.0;
const FADE_IN: usize = SAMPLE_RATE as usize * 3 / 1000;
const FADE_OUT: usize = SAMPLE_RATE as usize * 15 / 1000;

pub fn samples_for(duration: Duration) -> usize {
    usize::try_from(duration.as_nanos() * u128::from(SAMPLE_RATE) / 1_000_000_000).unwrap_or(usize::MAX)
}

pub fn duration_of(samples: usize) -> Duration {
    Duration::from_nanos(u64::try_from(samples as u128 * 1_000_000_000 / u128::from(SAMPLE_RATE)).unwrap_or(u64::MAX))
}

/// Renders `script`, shortened to last at most `fit` if given. `Ok(None)` when not even one word fits.
pub fn render_script(
    voice: &mut dyn PromptVoice,
    script: &Script,
    options: &VoiceOptions,
    fit: Option<Duration>,
    gain: f32,
) -> Result<Option<Vec<f32>>, VoiceError> {
    let mut parts = Vec::with_capacity(script.phrases.len());
    for phrase in &script.phrases {
        let samples = voice.render(&phrase.text, phrase.language, options)?;
        parts.push(trim(&samples, 0.02, 0.004).to_vec());
    }
    let gap = samples_for(PHRASE_GAP);
    let budget = fit.map_or(usize::MAX, samples_for);
    let length = |chosen: &[usize]| -> usize {
        chosen.iter().map(|i| parts[*i].len()).sum::<usize>() + gap * chosen.len().saturating_sub(1)
    };
    let all: Vec<usize> = (0..parts.len()).filter(|i| !parts[*i].is_empty()).collect();
    let chosen = if length(&all) <= budget {
        all
    } else {
        // Most important first (earlier first among equals); each taken if it still fits; spoken in script order.
        let mut by_importance = all.clone();
        by_importance.sort_by_key(|i| std::cmp::Reverse(script.phrases[*i].importance));
        let mut chosen: Vec<usize> = Vec::new();
        for index in by_importance {
            let mut candidate = chosen.clone();
            candidate.push(index);
            candidate.sort_unstable();
            if length(&candidate) <= budget {
                chosen = candidate;
            }
        }
        if chosen.is_empty() {
            // Not even the most important phrase fits whole: as many of its words as fit.
            let Some(first) = (0..parts.len()).max_by_key(|i| (script.phrases[*i].importance, std::cmp::Reverse(*i)))
            else {
                return Ok(None);
            };
            let phrase = &script.phrases[first];
            return match fewer_words(voice, &phrase.text, phrase.language, options, budget)? {
                Some(samples) => Ok(Some(finish(samples, gain))),
                None => Ok(None),
            };
        }
        chosen
    };
    if chosen.is_empty() {
        return Ok(None);
    }
    let mut joined = Vec::with_capacity(length(&chosen));
    for (n, index) in chosen.iter().enumerate() {
        if n > 0 {
            joined.resize(joined.len() + gap, 0.0);
        }
        joined.extend_from_slice(&parts[*index]);
    }
    Ok(Some(finish(joined, gain)))
}

/// The longest start of `text`, in whole words, that lasts at most `budget` samples.
fn fewer_words(
    voice: &mut dyn PromptVoice,
    text: &str,
    language: super::Lang,
    options: &VoiceOptions,
    budget: usize,
) -> Result<Option<Vec<f32>>, VoiceError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (mut low, mut high) = (0usize, words.len().saturating_sub(1));
    let mut best = None;
    while low < high {
        let count = (low + high).div_ceil(2);
        let mut shorter = words[..count].join(" ");
        shorter = shorter.trim_end_matches([',', ';', ':', '–', '-']).trim_end().to_owned();
        if !shorter.ends_with(['.', '!', '?']) {
            shorter.push('.');
        }
        let samples = trim(&voice.render(&shorter, language, options)?, 0.02, 0.004).to_vec();
        if !samples.is_empty() && samples.len() <= budget {
            best = Some(samples);
            low = count;
        } else {
            high = count - 1;
        }
    }
    Ok(best)
}

/// Evened to [`TARGET_RMS`] (peaks at most [`PEAK_CEILING`]) times `gain`, faded in and out.
fn finish(mut samples: Vec<f32>, gain: f32) -> Vec<f32> {
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    let voiced = voiced_rms(&samples);
    if peak > 0.0 && voiced > 0.0 {
        let scale = (TARGET_RMS / voiced).min(PEAK_CEILING / peak).min(MAX_RAISE) * gain.clamp(0.0, 1.0);
        samples.iter_mut().for_each(|s| *s *= scale);
    }
    fade(&mut samples);
    samples
}

/// The RMS level of the voiced parts: 20 ms frames within 20 dB of the loudest, pauses left out.
pub fn voiced_rms(samples: &[f32]) -> f32 {
    let frames: Vec<f32> = samples
        .chunks(SAMPLE_RATE as usize / 50)
        .map(|frame| frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32)
        .collect();
    let loudest = frames.iter().copied().fold(0.0f32, f32::max);
    let voiced: Vec<f32> = frames.into_iter().filter(|energy| *energy >= loudest * 0.01).collect();
    if voiced.is_empty() { 0.0 } else { (voiced.iter().sum::<f32>() / voiced.len() as f32).sqrt() }
}

fn fade(samples: &mut [f32]) {
    for (i, sample) in samples.iter_mut().take(FADE_IN).enumerate() {
        *sample *= i as f32 / FADE_IN as f32;
    }
    for (i, sample) in samples.iter_mut().rev().take(FADE_OUT).enumerate() {
        *sample *= i as f32 / FADE_OUT as f32;
    }
}

/// `samples` without the silence at either end: from a little before the first sample louder than `start` times
/// the peak to a little after the last one louder than `end` times the peak (a soft final consonant is kept).
pub fn trim(samples: &[f32], start: f32, end: f32) -> &[f32] {
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if peak <= 1e-6 {
        return &[];
    }
    let before = SAMPLE_RATE as usize / 100;
    let after = SAMPLE_RATE as usize * 40 / 1000;
    let first = samples.iter().position(|s| s.abs() > start * peak).unwrap_or(0);
    let last = samples.iter().rposition(|s| s.abs() > end * peak).unwrap_or(samples.len() - 1);
    &samples[first.saturating_sub(before)..(last + after).min(samples.len())]
}

/// A recording cut to at most `budget` samples at a pause (80 ms or more well below the speech around it), faded
/// out; `None` if it has no pause early enough. Never cuts inside a word.
pub fn shorten_at_pause(samples: &[f32], budget: usize) -> Option<Vec<f32>> {
    if samples.len() <= budget {
        return Some(samples.to_vec());
    }
    const FRAME: usize = SAMPLE_RATE as usize / 100;
    const PAUSE_FRAMES: usize = 8;
    let energy: Vec<f32> =
        samples.chunks(FRAME).map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt()).collect();
    let loud = energy.iter().copied().fold(0.0f32, f32::max);
    let quiet = loud * 0.1;
    let mut best = None;
    let mut run = 0;
    for (i, e) in energy.iter().enumerate() {
        if *e < quiet {
            run += 1;
            continue;
        }
        if run >= PAUSE_FRAMES {
            // The middle of the pause that just ended.
            let cut = (i - run / 2) * FRAME;
            if cut <= budget {
                best = Some(cut);
            }
        }
        run = 0;
    }
    let cut = best?;
    let speech = trim(&samples[..cut], 0.05, 0.01);
    (!speech.is_empty()).then(|| {
        let mut out = samples[..cut].to_vec();
        fade(&mut out);
        out
    })
}

/// Whether a WAV file another writer is filling is finished: Android's TextToSpeech writes a zeroed header first and
/// the real RIFF header last, when the phrase is complete, so the file is done once it starts with "RIFF…WAVE" and
/// its RIFF size matches its length.
pub fn wav_is_complete(bytes: &[u8]) -> bool {
    bytes.len() > 44
        && &bytes[0..4] == b"RIFF"
        && &bytes[8..12] == b"WAVE"
        && u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize == bytes.len() - 8
}

/// Decodes a WAV file (8/16/24/32-bit integer or 32-bit float, any channels and rate) to mono at [`SAMPLE_RATE`].
pub fn decode_wav(path: &Path) -> Result<Vec<f32>, VoiceError> {
    let fail = |err: &dyn std::fmt::Display| VoiceError::Failed(format!("{}: {err}", path.display()));
    let mut reader = hound::WavReader::open(path).map_err(|e| fail(&e))?;
    let spec = reader.spec();
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>().map_err(|e| fail(&e))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|s| s as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| fail(&e))?
        }
    };
    let channels = usize::from(spec.channels.max(1));
    let mono: Vec<f32> =
        interleaved.chunks(channels).map(|frame| frame.iter().sum::<f32>() / frame.len() as f32).collect();
    Ok(resample(&mono, spec.sample_rate, SAMPLE_RATE))
}

/// A recorded prompt ready to play: trimmed, evened, shortened to `fit` at a pause. `Ok(None)` when it is silent or
/// has no pause early enough (the caller then speaks the synthesized prompt instead).
pub fn render_recording(path: &Path, fit: Option<Duration>, gain: f32) -> Result<Option<Vec<f32>>, VoiceError> {
    let decoded = decode_wav(path)?;
    let speech = trim(&decoded, 0.05, 0.01);
    if speech.is_empty() {
        return Ok(None);
    }
    let fitted = match fit {
        Some(fit) => match shorten_at_pause(speech, samples_for(fit)) {
            Some(fitted) => fitted,
            None => return Ok(None),
        },
        None => speech.to_vec(),
    };
    Ok(Some(finish(fitted, gain)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 300 ms of tone per word, 200 ms pauses between words.
    fn words(count: usize) -> Vec<f32> {
        let mut out = Vec::new();
        for _ in 0..count {
            out.extend((0..14_400).map(|n| (n as f32 * 0.05).sin() * 0.3));
            out.extend(std::iter::repeat_n(0.0, 9_600));
        }
        out
    }

    #[test]
    fn a_phrase_file_counts_as_written_only_once_its_header_is_final() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("phrase.wav");
        crate::voice::write_recording(&words(1), &path).unwrap();
        let finished = std::fs::read(&path).unwrap();
        assert!(wav_is_complete(&finished));
        // How Android's writer leaves it mid-phrase: a zeroed header, samples after it.
        let mut writing = finished.clone();
        writing[..44].fill(0);
        assert!(!wav_is_complete(&writing));
        // A header written, but the samples still coming.
        assert!(!wav_is_complete(&finished[..finished.len() - 100]));
        assert!(!wav_is_complete(b"RIFF"));
    }

    #[test]
    fn recordings_are_cut_only_in_a_pause() {
        let speech = words(5);
        let cut = shorten_at_pause(&speech, 48_000 + 24_000).unwrap();
        // Three whole words (500 ms each with their pause) fit in 1.5 s; the cut falls in the third pause.
        assert!(cut.len() > 72_000 - 9_600 && cut.len() <= 72_000, "{}", cut.len());
        assert!(cut[cut.len() - 1].abs() < 1e-3);
        let one_word = (0..96_000).map(|n| (n as f32 * 0.05).sin() * 0.3).collect::<Vec<_>>();
        assert_eq!(shorten_at_pause(&one_word, 48_000), None, "no pause: no cut");
        assert_eq!(shorten_at_pause(&speech, speech.len()).unwrap().len(), speech.len());
    }

    #[test]
    fn trimming_keeps_a_little_room_and_finishing_evens_and_fades() {
        let mut padded = vec![0.0f32; 4_800];
        padded.extend(words(1));
        let trimmed = trim(&padded, 0.02, 0.004);
        assert!(trimmed.len() < padded.len() - 4_000);
        let finished = finish(trimmed.to_vec(), 1.0);
        // A steady tone is not peaky: it is evened to the RMS target.
        assert!((voiced_rms(&finished) - TARGET_RMS).abs() < 0.005, "{}", voiced_rms(&finished));
        assert_eq!(finished[0], 0.0);
        assert!(finished.last().unwrap().abs() < 1e-6);
    }
}
