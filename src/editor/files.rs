//! What Save, Delete and "Restore original" do to the user's sequence folder. Files are written atomically and never
//! destroyed: a deleted or renamed file moves to `.deleted/` in the same folder. These touch the disk: the window
//! calls them off its UI thread.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Origin;
use crate::store::write_atomically;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveOutcome {
    pub path: PathBuf,
    /// The file the sequence had before its id changed, now in `.deleted/`.
    pub moved_aside: Option<PathBuf>,
}

/// Writes `text` as `<dir>/<id>.json`, with the schema beside it (`schema/sequence.schema.json`) so that the file's
/// `$schema` reference works in a JSON-aware editor. A user file saved under a new id leaves its old name for
/// `.deleted/`. Refuses to overwrite another sequence's file.
pub fn save_draft(text: &str, id: &str, origin: &Origin, dir: &Path) -> io::Result<SaveOutcome> {
    let path = dir.join(format!("{id}.json"));
    let own = matches!(origin, Origin::UserFile(old) if same_file(old, &path));
    if path.exists() && !own && *origin != Origin::Bundled {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists already; choose another id", path.display()),
        ));
    }
    write_atomically(&path, text.as_bytes())?;
    let schema = dir.join(crate::sequence::SCHEMA_REFERENCE);
    let current = crate::sequence::schema::schema_json();
    if fs::read_to_string(&schema).map_or(true, |on_disk| on_disk != current) {
        write_atomically(&schema, current.as_bytes())?;
    }
    let moved_aside = match origin {
        Origin::UserFile(old) if !same_file(old, &path) && old.exists() => Some(delete_user_file(old, dir)?),
        _ => None,
    };
    Ok(SaveOutcome { path, moved_aside })
}

/// Moves a user's sequence file to `<dir>/.deleted/`, under a name that never overwrites an earlier one.
pub fn delete_user_file(file: &Path, dir: &Path) -> io::Result<PathBuf> {
    let bin = dir.join(".deleted");
    crate::store::create_private_dir(&bin)?;
    let stem = file.file_stem().map_or_else(|| "sequence".into(), |s| s.to_string_lossy().into_owned());
    let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S");
    let mut target = bin.join(format!("{stem}.{stamp}.json"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = bin.join(format!("{stem}.{stamp}-{n}.json"));
    }
    fs::rename(file, &target)?;
    Ok(target)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b)
}
