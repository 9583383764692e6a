//! Reading the store's files defensively: a size limit before anything is read into memory, and a damaged file moved
//! aside (never deleted) so the next write cannot destroy what could still be rescued by hand.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::Local;

/// What reading a bounded file found.
#[derive(Debug)]
pub enum Bounded {
    Missing,
    Read(Vec<u8>),
    /// Larger than the limit: refused unread.
    TooLarge(u64),
}

/// Reads `path` whole if it is at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Bounded> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Bounded::Missing),
        Err(err) => return Err(err),
    };
    let length = file.metadata()?.len();
    if length > limit {
        return Ok(Bounded::TooLarge(length));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    // `take` also guards against a file that grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::TooLarge(bytes.len() as u64));
    }
    Ok(Bounded::Read(bytes))
}

/// Renames `path` to `NAME.corrupt-<local time>` beside it and returns the new path.
pub fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| io::Error::other("the path has no file name"))?.to_string_lossy();
    let stamp = Local::now().format("%Y%m%dT%H%M%S");
    let mut aside = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
    }
    fs::rename(path, &aside)?;
    Ok(aside)
}

/// Moves a damaged file aside and says so in one sentence for the notice.
pub fn set_aside_notice(path: &Path, what: &str, why: &str) -> String {
    match move_aside(path) {
        Ok(aside) => format!("{}: {what} unreadable ({why}); kept as {}", path.display(), aside.display()),
        Err(err) => format!("{}: {what} unreadable ({why}); could not move it aside: {err}", path.display()),
    }
}

/// Human size for messages: "104.9 MB".
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, vec![b'x'; 2048]).unwrap();
        assert!(matches!(read_bounded(&path, 1024).unwrap(), Bounded::TooLarge(2048)));
        assert!(matches!(read_bounded(&path, 4096).unwrap(), Bounded::Read(bytes) if bytes.len() == 2048));
        assert!(matches!(read_bounded(&dir.path().join("none"), 10).unwrap(), Bounded::Missing));
    }

    #[test]
    fn moving_aside_keeps_the_bytes_and_never_overwrites_an_earlier_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoint.json");
        fs::write(&path, "first").unwrap();
        let first = move_aside(&path).unwrap();
        fs::write(&path, "second").unwrap();
        let second = move_aside(&path).unwrap();
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(first).unwrap(), "first");
        assert_eq!(fs::read_to_string(&second).unwrap(), "second");
        assert!(second.file_name().unwrap().to_string_lossy().starts_with("checkpoint.json.corrupt-"));
        assert!(!path.exists());
    }
}
