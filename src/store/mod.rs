//! What Stillpoint keeps on the device: settings now, history and a resume checkpoint later. Files are JSON, written
//! atomically and readable by the owner only; nothing leaves the device.

mod atomic;
mod record;
mod settings;

pub use atomic::write_atomically;
pub use record::{ScreeningAnswer, SessionRecord};
pub use settings::{Settings, SettingsStore, ThemeChoice};
