//! Every string the window can show has a German and a Spanish translation with the same placeholders.

use std::path::Path;

use stillpoint::app::all_source_strings;
use stillpoint::i18n::{LANGUAGES, parse_po};

/// The `@tr("...")` texts of every view, found the way the extractor would.
fn slint_strings() -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("@tr(\"").skip(1) {
                    let mut literal = String::new();
                    let mut chars = piece.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => literal.extend(chars.next()),
                            '"' => break,
                            c => literal.push(c),
                        }
                    }
                    found.push(literal);
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_shown_string_is_translated_with_matching_placeholders() {
    let slint = slint_strings();
    assert!(slint.len() > 50, "found {} @tr strings", slint.len());
    let mut wanted: Vec<String> = slint;
    wanted.extend(all_source_strings().into_iter().map(str::to_owned));
    for language in LANGUAGES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("lang/{language}/LC_MESSAGES/stillpoint.po"));
        let catalog = parse_po(&std::fs::read_to_string(&path).unwrap());
        let mut missing = Vec::new();
        for text in &wanted {
            match catalog.get(text) {
                Some(translated) if !translated.is_empty() => {
                    assert_eq!(
                        translated.matches("{}").count(),
                        text.matches("{}").count(),
                        "{language}: {text:?} → {translated:?} changes the placeholders"
                    );
                }
                _ => missing.push(text.as_str()),
            }
        }
        assert!(missing.is_empty(), "{language} lacks translations for {missing:#?}");
    }
}
