//! Embeds the bundled sequence library so the binary works from any directory, and compiles the Slint UI with its
//! fonts and bundled translations.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    embed_sequences(&manifest_dir, &out_dir);
    compile_ui(&manifest_dir);
}

fn embed_sequences(manifest_dir: &Path, out_dir: &Path) {
    let dir = manifest_dir.join("sequences");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|listing| listing.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json") && p.is_file());
    files.sort();
    let mut code = String::from("pub static BUNDLED_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).expect("sequence file names are UTF-8");
        writeln!(code, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    code.push_str("];\n");
    fs::write(out_dir.join("bundled_sequences.rs"), code).expect("OUT_DIR is writable");
}

fn compile_ui(manifest_dir: &Path) {
    // Element lookups in UI tests need debug info; release builds stay lean without it.
    let debug = env::var("PROFILE").is_ok_and(|profile| profile == "debug");
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations(manifest_dir.join("lang"))
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(debug);
    println!("cargo:rerun-if-changed={}", manifest_dir.join("lang").display());
    slint_build::compile_with_config(manifest_dir.join("ui/app.slint"), config).expect("the UI compiles");
}
