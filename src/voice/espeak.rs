//! eSpeak NG, loaded at run time: `dlopen` of `libespeak-ng.so.1` on first use, so Stillpoint builds and starts
//! without it and says once that the voice is unavailable. In synchronous mode with a sample callback it renders
//! into memory and never opens a sound device. This file holds all of the voice code's `unsafe`: seven functions
//! declared by hand from `speak_lib.h` (eSpeak NG 1.51), each call checked, the engine's global state behind one
//! lock.
//!
//! `STILLPOINT_ESPEAK_LIBRARY` names another library file and `STILLPOINT_ESPEAK_DATA` another data folder (tests use
//! them to show what a machine without the engine does).

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int, c_short, c_uint, c_void};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use super::engine::{Lang, PromptVoice, VoiceError, VoiceOptions};
use super::resample::resample;
use crate::audio::SAMPLE_RATE;

/// The library's file name as Debian's `libespeak-ng1` installs it (and the development symlink, as a fallback).
const LIBRARY_NAMES: [&str; 2] = ["libespeak-ng.so.1", "libespeak-ng.so"];

// Values from speak_lib.h. The C enums are passed as `int`, as the platform ABIs do.
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// Without it, eSpeak calls `exit()` when its data is missing.
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
const CHARS_UTF8: c_uint = 1;
const POS_CHARACTER: c_int = 1;
const PARAMETER_RATE: c_int = 1;
const EE_OK: c_int = 0;
/// Buffer length asked of `espeak_Initialize`, in milliseconds: how often the callback gets samples.
const BUFFER_MS: c_int = 200;
/// The callback stops a render past this many samples (about two minutes at 22 050 Hz): a bound, not a limit anyone
/// reaches (a step's text is at most 4000 characters).
const MAX_SAMPLES: usize = 22_050 * 120;

type SynthCallback = unsafe extern "C" fn(*mut c_short, c_int, *mut c_void) -> c_int;
type InitializeFn = unsafe extern "C" fn(c_int, c_int, *const c_char, c_int) -> c_int;
type SetSynthCallbackFn = unsafe extern "C" fn(SynthCallback);
type SetVoiceByNameFn = unsafe extern "C" fn(*const c_char) -> c_int;
type SetParameterFn = unsafe extern "C" fn(c_int, c_int, c_int) -> c_int;
type SynthFn =
    unsafe extern "C" fn(*const c_void, usize, c_uint, c_int, c_uint, c_uint, *mut c_uint, *mut c_void) -> c_int;
type SynchronizeFn = unsafe extern "C" fn() -> c_int;
type InfoFn = unsafe extern "C" fn(*mut *const c_char) -> *const c_char;

/// The loaded library and its functions. Only reachable through [`ENGINE`]'s lock: eSpeak keeps global state.
struct Loaded {
    /// Kept for the life of the process: the function pointers below point into it.
    _library: libloading::Library,
    set_voice_by_name: SetVoiceByNameFn,
    set_parameter: SetParameterFn,
    synth: SynthFn,
    synchronize: SynchronizeFn,
    /// eSpeak's own rate (22 050 Hz).
    sample_rate: u32,
    version: String,
    /// The voice and rate set last, to skip setting them again.
    voice: Option<String>,
    rate: Option<u16>,
}

static ENGINE: OnceLock<Result<Mutex<Loaded>, String>> = OnceLock::new();

thread_local! {
    /// Where the callback puts samples: the render runs on the calling thread in synchronous mode.
    static SAMPLES: RefCell<Vec<i16>> = const { RefCell::new(Vec::new()) };
}

/// Receives rendered samples from eSpeak. Returns 0 to go on, 1 to stop.
unsafe extern "C" fn collect(wav: *mut c_short, count: c_int, _events: *mut c_void) -> c_int {
    let Ok(count) = usize::try_from(count) else { return 0 };
    if wav.is_null() || count == 0 {
        return 0;
    }
    // SAFETY: eSpeak passes `count` samples at `wav`, valid for the duration of this call.
    let samples = unsafe { std::slice::from_raw_parts(wav, count) };
    SAMPLES.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.extend_from_slice(samples);
        c_int::from(buffer.len() > MAX_SAMPLES)
    })
}

/// Copies a function pointer out of the library.
///
/// SAFETY (for the caller): `T` must be the function's true signature.
unsafe fn symbol<T: Copy>(library: &libloading::Library, name: &[u8]) -> Result<T, String> {
    // SAFETY: the caller vouches for the type; the pointer stays valid while the library is loaded (for ever).
    unsafe { library.get::<T>(name) }.map(|symbol| *symbol).map_err(|err| {
        let name = String::from_utf8_lossy(name.strip_suffix(b"\0").unwrap_or(name)).into_owned();
        format!("{name} is missing from the library: {err}")
    })
}

fn load() -> Result<Mutex<Loaded>, String> {
    let names: Vec<PathBuf> = match std::env::var_os("STILLPOINT_ESPEAK_LIBRARY") {
        Some(path) => vec![PathBuf::from(path)],
        None => LIBRARY_NAMES.iter().map(PathBuf::from).collect(),
    };
    let mut last_error = String::new();
    let mut found = None;
    for name in &names {
        // SAFETY: loading runs the library's initialisers; libespeak-ng's only set up its own globals.
        match unsafe { libloading::Library::new(name) } {
            Ok(library) => {
                found = Some(library);
                break;
            }
            Err(err) => last_error = format!("cannot load {}: {err}", name.display()),
        }
    }
    let library = found.ok_or(last_error)?;
    // SAFETY: each signature is copied from speak_lib.h of eSpeak NG 1.51 (unchanged since eSpeak 1.48).
    let (initialize, set_callback, set_voice_by_name, set_parameter, synth, synchronize, info) = unsafe {
        (
            symbol::<InitializeFn>(&library, b"espeak_Initialize\0")?,
            symbol::<SetSynthCallbackFn>(&library, b"espeak_SetSynthCallback\0")?,
            symbol::<SetVoiceByNameFn>(&library, b"espeak_SetVoiceByName\0")?,
            symbol::<SetParameterFn>(&library, b"espeak_SetParameter\0")?,
            symbol::<SynthFn>(&library, b"espeak_Synth\0")?,
            symbol::<SynchronizeFn>(&library, b"espeak_Synchronize\0")?,
            symbol::<InfoFn>(&library, b"espeak_Info\0")?,
        )
    };
    let data = match std::env::var_os("STILLPOINT_ESPEAK_DATA") {
        Some(path) => Some(
            CString::new(path.to_string_lossy().into_owned())
                .map_err(|_| "STILLPOINT_ESPEAK_DATA contains a NUL byte".to_owned())?,
        ),
        None => None,
    };
    let data_pointer = data.as_ref().map_or(std::ptr::null(), |path| path.as_ptr());
    // SAFETY: synchronous mode opens no device; the path is NUL-terminated or null (the library's default);
    // DONT_EXIT makes a missing data folder an error return instead of `exit()`.
    let rate = unsafe { initialize(AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, data_pointer, INITIALIZE_DONT_EXIT) };
    let sample_rate = u32::try_from(rate)
        .ok()
        .filter(|rate| (8_000..=192_000).contains(rate))
        .ok_or_else(|| "its data (espeak-ng-data) is missing or unreadable".to_owned())?;
    // SAFETY: `collect` has the callback's signature and only copies the samples it is given.
    unsafe { set_callback(collect) };
    let mut path: *const c_char = std::ptr::null();
    // SAFETY: espeak_Info returns a static string and points `path` at another (or leaves it null).
    let version = unsafe { info(&mut path) };
    let version = if version.is_null() {
        String::new()
    } else {
        unsafe { CStr::from_ptr(version) }.to_string_lossy().into_owned()
    };
    Ok(Mutex::new(Loaded {
        _library: library,
        set_voice_by_name,
        set_parameter,
        synth,
        synchronize,
        sample_rate,
        version,
        voice: None,
        rate: None,
    }))
}

/// The process's engine, loaded on first use; a failure is remembered (and so said once).
fn engine() -> Result<&'static Mutex<Loaded>, VoiceError> {
    ENGINE.get_or_init(load).as_ref().map_err(|reason| VoiceError::Unavailable(reason.clone()))
}

impl Loaded {
    fn select(&mut self, language: Lang, options: &VoiceOptions) -> Result<(), VoiceError> {
        let variant = options.variant.as_deref().filter(|v| is_variant_name(v));
        let name = match variant {
            Some(variant) => format!("{}+{variant}", language.code()),
            None => language.code().to_owned(),
        };
        if self.voice.as_deref() != Some(name.as_str()) {
            self.voice = None;
            self.rate = None;
            let mut status = self.set_voice(&name);
            if status != EE_OK && variant.is_some() {
                // An unknown variant: the language's own voice rather than none.
                status = self.set_voice(language.code());
            }
            if status != EE_OK {
                return Err(VoiceError::Failed(format!("no eSpeak voice for {language} (error {status})")));
            }
            self.voice = Some(name);
        }
        let rate = options.rate_wpm.clamp(80, 450);
        if self.rate != Some(rate) {
            // SAFETY: plain integers.
            let status = unsafe { (self.set_parameter)(PARAMETER_RATE, c_int::from(rate), 0) };
            if status != EE_OK {
                return Err(VoiceError::Failed(format!("cannot set the speaking rate (error {status})")));
            }
            self.rate = Some(rate);
        }
        Ok(())
    }

    fn set_voice(&self, name: &str) -> c_int {
        let Ok(name) = CString::new(name) else { return -1 };
        // SAFETY: a NUL-terminated string that outlives the call.
        unsafe { (self.set_voice_by_name)(name.as_ptr()) }
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<i16>, VoiceError> {
        let text = CString::new(text.replace('\0', " ")).unwrap_or_default();
        let bytes = text.as_bytes_with_nul().len();
        SAMPLES.with(|buffer| buffer.borrow_mut().clear());
        let mut identifier: c_uint = 0;
        // SAFETY: the text is NUL-terminated UTF-8 of `bytes` bytes, alive for the call; in synchronous mode the
        // samples reach `collect` on this thread before espeak_Synth returns; `identifier` is a valid out-pointer.
        let status = unsafe {
            (self.synth)(
                text.as_ptr().cast(),
                bytes,
                0,
                POS_CHARACTER,
                0,
                CHARS_UTF8,
                &mut identifier,
                std::ptr::null_mut(),
            )
        };
        // SAFETY: no arguments; returns at once in synchronous mode.
        unsafe { (self.synchronize)() };
        let samples = SAMPLES.with(|buffer| std::mem::take(&mut *buffer.borrow_mut()));
        if status != EE_OK {
            return Err(VoiceError::Failed(format!("eSpeak could not speak the text (error {status})")));
        }
        Ok(samples)
    }
}

/// Variant names are file names in eSpeak's `voices/!v` folder: letters, digits, `_` and `-` only, so a setting
/// cannot smuggle another voice or a path into the voice name.
fn is_variant_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The eSpeak NG engine. Cheap to make: the library is loaded by the first render (or [`Espeak::load`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct Espeak;

impl Espeak {
    /// Loads the library now if it is not yet: `Err` (voice unavailable) when it or its data is missing.
    pub fn load() -> Result<Espeak, VoiceError> {
        engine().map(|_| Espeak)
    }

    /// Whether the engine loaded (loading it if nobody has). Never panics.
    pub fn is_available() -> bool {
        engine().is_ok()
    }

    /// The library's version, e.g. "1.51".
    pub fn version() -> Option<String> {
        let engine = engine().ok()?;
        Some(engine.lock().unwrap_or_else(PoisonError::into_inner).version.clone())
    }
}

impl PromptVoice for Espeak {
    fn render(&mut self, text: &str, language: Lang, options: &VoiceOptions) -> Result<Vec<f32>, VoiceError> {
        let engine = engine()?;
        let (samples, rate) = {
            let mut loaded = engine.lock().unwrap_or_else(PoisonError::into_inner);
            loaded.select(language, options)?;
            (loaded.synthesize(text)?, loaded.sample_rate)
        };
        let samples: Vec<f32> = samples.iter().map(|s| f32::from(*s) / 32_768.0).collect();
        Ok(resample(&samples, rate, SAMPLE_RATE))
    }

    fn describe(&self) -> String {
        match Espeak::version() {
            Some(version) if !version.is_empty() => format!("eSpeak NG {version}"),
            _ => "eSpeak NG".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_plain_file_names() {
        for good in ["f3", "m1", "klatt", "Andy", "whisper_f"] {
            assert!(is_variant_name(good), "{good}");
        }
        for bad in ["", "../x", "en+f3", "a b", "f3\0"] {
            assert!(!is_variant_name(bad), "{bad}");
        }
    }
}
