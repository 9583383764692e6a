//! Spoken prompts on a phone: Android's own TextToSpeech, reached through JNI, renders each phrase to a WAV file in
//! the app's private folder, which is decoded and mixed like a recorded prompt. It sits behind the same
//! [`PromptVoice`] seam as eSpeak NG on desktop and kiosk, so scheduling, shortening and the "voice unavailable"
//! notice are the shared code's. Checked (not linked) by `scripts/check-android.sh`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jni::objects::{Global, JObject, JValue};
use jni::{Env, JavaVM, jni_sig, jni_str};

use crate::voice::{Lang, PromptVoice, VoiceError, VoiceOptions, decode_wav, wav_is_complete};

/// How long the engine may take to bind after start, and to write one phrase.
const BIND_PATIENCE: Duration = Duration::from_secs(8);
const RENDER_PATIENCE: Duration = Duration::from_secs(10);
/// `TextToSpeech.SUCCESS`.
const SUCCESS: i32 = 0;
/// eSpeak's normal rate, which the settings' words per minute are relative to; Android's 1.0 is "normal" too.
const NORMAL_WPM: f32 = 175.0;

/// The activity's Java VM and its `Activity` object, as android-activity hands them over; plain addresses so they
/// can travel to the voice thread.
#[derive(Clone, Copy)]
pub struct ActivityHandles {
    pub vm: usize,
    pub activity: usize,
}

pub struct AndroidTts {
    vm: JavaVM,
    tts: Global<JObject<'static>>,
    /// Where phrases are written before they are read back; private to the app.
    folder: PathBuf,
    language: Option<Lang>,
    rate: Option<u16>,
    engine: String,
    next_file: u64,
}

impl AndroidTts {
    /// Makes a TextToSpeech for the activity and waits until its engine has bound (it binds on Android's main
    /// thread, which is free: this runs on the voice worker's). No engine on the phone is `Unavailable`.
    pub fn start(handles: ActivityHandles, folder: &Path) -> Result<Self, VoiceError> {
        if handles.vm == 0 || handles.activity == 0 {
            return Err(VoiceError::Unavailable("no Java VM".to_owned()));
        }
        std::fs::create_dir_all(folder).map_err(|e| VoiceError::Unavailable(format!("{}: {e}", folder.display())))?;
        // SAFETY: android-activity gives the process's JavaVM and a global reference to the activity, both valid for
        // as long as the activity lives; the app's window (and with it this voice) ends before it.
        let vm = unsafe { JavaVM::from_raw(handles.vm as *mut jni::sys::JavaVM) };
        let activity = handles.activity as jni::sys::jobject;
        let tts = vm
            .attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<Global<JObject<'static>>> {
                // SAFETY: a global reference, valid on any thread (see above).
                let context = unsafe { JObject::from_raw(env, activity) };
                // No OnInitListener: implementing one needs a Java class, so the engine's binding is polled below.
                let tts = env.new_object(
                    jni_str!("android/speech/tts/TextToSpeech"),
                    jni_sig!("(Landroid/content/Context;Landroid/speech/tts/TextToSpeech$OnInitListener;)V"),
                    &[JValue::Object(&context), JValue::Object(&JObject::null())],
                )?;
                env.new_global_ref(tts)
            })
            .map_err(|e| VoiceError::Unavailable(format!("TextToSpeech could not be made: {e}")))?;
        let mut voice = AndroidTts {
            vm,
            tts,
            folder: folder.to_owned(),
            language: None,
            rate: None,
            engine: String::new(),
            next_file: 0,
        };
        voice.wait_until_bound()?;
        Ok(voice)
    }

    /// `getAvailableLanguages()` is null until the engine service is connected; an engine that never connects (none
    /// installed, or disabled) leaves the voice unavailable.
    fn wait_until_bound(&mut self) -> Result<(), VoiceError> {
        let give_up = Instant::now() + BIND_PATIENCE;
        loop {
            let tts = self.tts.as_obj();
            let bound = self.vm.attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<Option<String>> {
                let languages =
                    env.call_method(tts, jni_str!("getAvailableLanguages"), jni_sig!("()Ljava/util/Set;"), &[])?.l()?;
                if languages.is_null() {
                    return Ok(None);
                }
                let engine =
                    env.call_method(tts, jni_str!("getDefaultEngine"), jni_sig!("()Ljava/lang/String;"), &[])?.l()?;
                Ok(Some(java_string(env, engine)?))
            });
            match bound {
                Ok(Some(engine)) => {
                    self.engine = engine;
                    return Ok(());
                }
                Ok(None) if Instant::now() < give_up => std::thread::sleep(Duration::from_millis(50)),
                Ok(None) => return Err(VoiceError::Unavailable("no text-to-speech engine answered".to_owned())),
                Err(e) => return Err(VoiceError::Unavailable(format!("text-to-speech: {e}"))),
            }
        }
    }

    /// Sets the language and rate when they differ from the last phrase's.
    fn configure(&mut self, language: Lang, options: &VoiceOptions) -> Result<(), VoiceError> {
        let tts = self.tts.as_obj();
        if self.language != Some(language) {
            let result = self
                .vm
                .attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<i32> {
                    let tag = env.new_string(language.code())?;
                    let locale = env
                        .call_static_method(
                            jni_str!("java/util/Locale"),
                            jni_str!("forLanguageTag"),
                            jni_sig!("(Ljava/lang/String;)Ljava/util/Locale;"),
                            &[JValue::Object(&tag)],
                        )?
                        .l()?;
                    env.call_method(
                        tts,
                        jni_str!("setLanguage"),
                        jni_sig!("(Ljava/util/Locale;)I"),
                        &[JValue::Object(&locale)],
                    )?
                    .i()
                })
                .map_err(|e| VoiceError::Failed(format!("setLanguage: {e}")))?;
            // LANG_MISSING_DATA (-1) and LANG_NOT_SUPPORTED (-2): the phone has no voice for it.
            if result < 0 {
                return Err(VoiceError::Failed(format!("the phone has no {language} voice installed")));
            }
            self.language = Some(language);
        }
        if self.rate != Some(options.rate_wpm) {
            let rate = f32::from(options.rate_wpm.max(80)) / NORMAL_WPM;
            self.vm
                .attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<i32> {
                    env.call_method(tts, jni_str!("setSpeechRate"), jni_sig!("(F)I"), &[JValue::Float(rate)])?.i()
                })
                .map_err(|e| VoiceError::Failed(format!("setSpeechRate: {e}")))?;
            self.rate = Some(options.rate_wpm);
        }
        Ok(())
    }

    /// Asks the engine to write `text` to `path`; it writes on its own thread.
    fn synthesize(&self, text: &str, path: &Path) -> Result<(), VoiceError> {
        let tts = self.tts.as_obj();
        let path_text = path.to_string_lossy().into_owned();
        let result = self
            .vm
            .attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<i32> {
                let text = env.new_string(text)?;
                let file_name = env.new_string(&path_text)?;
                let file = env.new_object(
                    jni_str!("java/io/File"),
                    jni_sig!("(Ljava/lang/String;)V"),
                    &[JValue::Object(&file_name)],
                )?;
                let utterance = env.new_string(&path_text)?;
                env.call_method(
                    tts,
                    jni_str!("synthesizeToFile"),
                    jni_sig!("(Ljava/lang/CharSequence;Landroid/os/Bundle;Ljava/io/File;Ljava/lang/String;)I"),
                    &[
                        JValue::Object(&text),
                        JValue::Object(&JObject::null()),
                        JValue::Object(&file),
                        JValue::Object(&utterance),
                    ],
                )?
                .i()
            })
            .map_err(|e| VoiceError::Failed(format!("synthesizeToFile: {e}")))?;
        if result == SUCCESS { Ok(()) } else { Err(VoiceError::Failed(format!("synthesizeToFile answered {result}"))) }
    }
}

impl PromptVoice for AndroidTts {
    fn render(&mut self, text: &str, language: Lang, options: &VoiceOptions) -> Result<Vec<f32>, VoiceError> {
        self.configure(language, options)?;
        self.next_file += 1;
        let path = self.folder.join(format!("phrase-{}.wav", self.next_file % 8));
        let _ = std::fs::remove_file(&path);
        self.synthesize(text, &path)?;
        let finished = wait_for_wav(&path, RENDER_PATIENCE);
        let samples = match finished {
            true => decode_wav(&path),
            false => Err(VoiceError::Failed("the engine did not finish the phrase".to_owned())),
        };
        let _ = std::fs::remove_file(&path);
        samples
    }

    fn describe(&self) -> String {
        format!("Android TextToSpeech ({})", self.engine)
    }
}

impl Drop for AndroidTts {
    fn drop(&mut self) {
        let tts = self.tts.as_obj();
        let _ = self.vm.attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<()> {
            env.call_method(tts, jni_str!("shutdown"), jni_sig!("()V"), &[])?;
            Ok(())
        });
    }
}

fn java_string(env: &mut Env<'_>, object: JObject<'_>) -> jni::errors::Result<String> {
    if object.is_null() {
        return Ok(String::new());
    }
    let text = env.cast_local::<jni::objects::JString>(object)?;
    text.try_to_string(env)
}

/// Waits until the engine has finished writing `path` (see [`wav_is_complete`]).
fn wait_for_wav(path: &Path, patience: Duration) -> bool {
    let give_up = Instant::now() + patience;
    while Instant::now() < give_up {
        if std::fs::read(path).is_ok_and(|bytes| wav_is_complete(&bytes)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
