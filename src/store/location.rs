//! Where Stillpoint keeps its files. One data folder holds history, the resume checkpoint, user sequences and the
//! device id; `--data-dir DIR` (or `STILLPOINT_DATA_DIR`) puts settings there too, so that one folder is one
//! complete, portable installation. Without it, settings stay in the platform's config folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{create_private_dir, write_atomically};
use super::files::{Bounded, read_bounded};

/// The environment variable that does what `--data-dir` does.
pub const DATA_DIR_ENV: &str = "STILLPOINT_DATA_DIR";

/// Files that belong to one device and must not travel with a synced folder (Syncthing reads `.stignore`).
const SYNC_IGNORE: &str = "// Written by Stillpoint: these files belong to this device and must not be synced.\n\
device-id\ncheckpoint.json\n*.corrupt-*\n.*.tmp\n";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
    settings: PathBuf,
}

impl DataDir {
    /// Everything in `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self { settings: root.join("settings.json"), root }
    }

    /// `explicit` (from `--data-dir`), else `STILLPOINT_DATA_DIR`, else the platform's folders
    /// (`~/.local/share/stillpoint` and `~/.config/stillpoint/settings.json` on Linux).
    pub fn resolve(explicit: Option<&Path>) -> Option<Self> {
        if let Some(dir) = explicit {
            return Some(Self::at(dir));
        }
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
            return Some(Self::at(PathBuf::from(dir)));
        }
        directories::ProjectDirs::from("", "", "stillpoint")
            .map(|dirs| Self { root: dirs.data_dir().to_owned(), settings: dirs.config_dir().join("settings.json") })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn settings_file(&self) -> &Path {
        &self.settings
    }

    /// The user's own sequence files (the library reads them over the bundled ones).
    pub fn sequences_dir(&self) -> PathBuf {
        self.root.join("sequences")
    }

    /// One `<device-id>.jsonl` per device.
    pub fn history_dir(&self) -> PathBuf {
        self.root.join("history")
    }

    pub fn checkpoint_file(&self) -> PathBuf {
        self.root.join("checkpoint.json")
    }

    fn device_id_file(&self) -> PathBuf {
        self.root.join("device-id")
    }

    /// Makes the folder (owner only) with its `.stignore`, so a sync tool leaves the per-device files alone.
    pub fn prepare(&self) -> io::Result<()> {
        create_private_dir(&self.root)?;
        let ignore = self.root.join(".stignore");
        if !ignore.exists() {
            write_atomically(&ignore, SYNC_IGNORE.as_bytes())?;
        }
        Ok(())
    }

    /// This device's id: made once (16 hex digits) and kept in the folder. A missing or damaged file gets a new id;
    /// the history written under the old one is still read (every file in `history/` is).
    pub fn device_id(&self) -> io::Result<String> {
        let path = self.device_id_file();
        if let Ok(Bounded::Read(bytes)) = read_bounded(&path, 64) {
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            if is_device_id(&text) {
                return Ok(text);
            }
        }
        let id = new_device_id();
        write_atomically(&path, format!("{id}\n").as_bytes())?;
        Ok(id)
    }
}

fn is_device_id(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn new_device_id() -> String {
    format!("{:016x}", super::random_u64())
}

/// Lists entries of a folder that may not exist yet.
pub(super) fn list(dir: &Path) -> io::Result<Vec<PathBuf>> {
    match fs::read_dir(dir) {
        Ok(entries) => Ok(entries.filter_map(Result::ok).map(|e| e.path()).collect()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_dir_holds_everything_including_settings() {
        let dir = DataDir::at("/somewhere/sp");
        assert_eq!(dir.settings_file(), Path::new("/somewhere/sp/settings.json"));
        assert_eq!(dir.history_dir(), Path::new("/somewhere/sp/history"));
        assert_eq!(dir.checkpoint_file(), Path::new("/somewhere/sp/checkpoint.json"));
        assert_eq!(dir.sequences_dir(), Path::new("/somewhere/sp/sequences"));
        assert_eq!(DataDir::resolve(Some(Path::new("/x"))), Some(DataDir::at("/x")));
    }

    #[test]
    fn the_device_id_is_made_once_and_kept() {
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(temp.path().join("data"));
        dir.prepare().unwrap();
        let first = dir.device_id().unwrap();
        assert!(is_device_id(&first), "{first}");
        assert_eq!(dir.device_id().unwrap(), first);
        fs::write(temp.path().join("data/device-id"), "garbage").unwrap();
        let replaced = dir.device_id().unwrap();
        assert!(is_device_id(&replaced) && replaced != first);
        let ignore = fs::read_to_string(temp.path().join("data/.stignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "device-id") && ignore.lines().any(|l| l == "checkpoint.json"));
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_is_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(temp.path().join("new/data"));
        dir.prepare().unwrap();
        dir.device_id().unwrap();
        assert_eq!(fs::metadata(dir.root()).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(fs::metadata(dir.root().join("device-id")).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
