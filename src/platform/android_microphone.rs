//! The microphone on a phone: Android opens it only once the person has allowed it (`RECORD_AUDIO` is a runtime
//! permission). "Record prompt" checks first; if it is not allowed yet, Android's own question is shown and the
//! editor says to press Record again once it is answered. The answer comes back to the activity's
//! `onRequestPermissionsResult`, which a NativeActivity cannot receive without Java code of its own, so it is read
//! again at the next press instead. Checked (not linked) by `scripts/check-android.sh`.

use std::sync::Mutex;

use jni::objects::{JObject, JValue};
use jni::{Env, JavaVM, jni_sig, jni_str};
use rodio::Source;

use super::android_tts::ActivityHandles;
use crate::voice::RecordError;

/// The permission, as Android names it.
const RECORD_AUDIO: &str = "android.permission.RECORD_AUDIO";
/// `PackageManager.PERMISSION_GRANTED`.
const GRANTED: i32 = 0;
/// Any number: the app does not read the answer's callback.
const REQUEST_CODE: i32 = 7;

/// The activity of the running `android_main`: set anew each time Android makes the activity again.
static ACTIVITY: Mutex<Option<ActivityHandles>> = Mutex::new(None);

pub fn set_activity(handles: ActivityHandles) {
    *ACTIVITY.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(handles);
}

/// The app's [`crate::voice::OpenMicrophone`] on a phone: the default microphone once it is allowed.
pub fn open_microphone() -> Result<Box<dyn Source>, RecordError> {
    let handles = ACTIVITY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .ok_or_else(|| RecordError::CannotOpen("no activity".to_owned()))?;
    match allowed_or_ask(handles) {
        Ok(true) => crate::voice::default_microphone(),
        Ok(false) => Err(RecordError::NotAllowed),
        Err(err) => Err(RecordError::CannotOpen(format!("the microphone permission could not be checked: {err}"))),
    }
}

/// Whether the app may record; when it may not, shows Android's question (on Android's main thread, without
/// waiting for the answer).
fn allowed_or_ask(handles: ActivityHandles) -> jni::errors::Result<bool> {
    if handles.vm == 0 || handles.activity == 0 {
        return Ok(false);
    }
    // SAFETY: android-activity gives the process's JavaVM and a global reference to the activity, valid for as long
    // as the activity lives; a take is opened from the editor, which ends with it.
    let vm = unsafe { JavaVM::from_raw(handles.vm as *mut jni::sys::JavaVM) };
    let activity = handles.activity as jni::sys::jobject;
    vm.attach_current_thread(|env: &mut Env<'_>| -> jni::errors::Result<bool> {
        // SAFETY: a global reference, valid on any thread (see above).
        let activity = unsafe { JObject::from_raw(env, activity) };
        let permission = env.new_string(RECORD_AUDIO)?;
        let state = env
            .call_method(
                &activity,
                jni_str!("checkSelfPermission"),
                jni_sig!("(Ljava/lang/String;)I"),
                &[JValue::Object(&permission)],
            )?
            .i()?;
        if state == GRANTED {
            return Ok(true);
        }
        let wanted = env.new_object_array(1, jni_str!("java/lang/String"), &permission)?;
        env.call_method(
            &activity,
            jni_str!("requestPermissions"),
            jni_sig!("([Ljava/lang/String;I)V"),
            &[JValue::Object(&wanted), JValue::Int(REQUEST_CODE)],
        )?;
        Ok(false)
    })
}
