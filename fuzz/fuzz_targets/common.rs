//! A scratch folder per fuzzing process, emptied before each input: the store reads files, and moves damaged ones
//! aside, so every input starts from a folder holding only that input.

use std::path::PathBuf;

pub fn scratch() -> PathBuf {
    thread_local! {
        static ROOT: PathBuf = {
            let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
            base.join(format!("stillpoint-fuzz-{}", std::process::id()))
        };
    }
    let root = ROOT.with(Clone::clone);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("scratch folder");
    root
}
