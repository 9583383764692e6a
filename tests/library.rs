//! The library: bundled sequences, user folders that override them, and bad files that are listed, not fatal.

use std::fs;
use std::path::Path;

use stillpoint::sequence::library::{Library, Source, bundled_files};

const USER_SEQUENCE: &str = r#"{
  "format": 1, "id": "ID", "title": "TITLE", "summary": "A user's own sequence.", "audience": "self-care",
  "steps": [{"technique": "sustained-hold", "duration": "2m", "side": "left-then-right"}]
}"#;

fn write_sequence(dir: &Path, file: &str, id: &str, title: &str) {
    fs::write(dir.join(file), USER_SEQUENCE.replace("\"ID\"", &format!("\"{id}\"")).replace("TITLE", title)).unwrap();
}

#[test]
fn the_bundled_library_loads_every_embedded_file() {
    let library = Library::bundled();
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    assert_eq!(library.len(), bundled_files().len());
    assert!(library.len() >= 12);
    assert!(library.entries().iter().all(|e| e.source == Source::Bundled));
}

#[test]
fn user_files_add_to_and_override_the_bundled_library() {
    let dir = tempfile::tempdir().unwrap();
    let bundled_id = Library::bundled().entries()[0].sequence.id().to_owned();
    write_sequence(dir.path(), "mine.json", "my-own-routine", "My own routine");
    write_sequence(dir.path(), "override.json", &bundled_id, "My version");

    let library = Library::load(&[], &[dir.path().to_owned()]);
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    assert_eq!(library.len(), bundled_files().len() + 1);
    let mine = library.find("my-own-routine").unwrap();
    assert_eq!(mine.source, Source::User(dir.path().join("mine.json")));
    let overridden = library.find(&bundled_id).unwrap();
    assert_eq!(overridden.sequence.title(), "My version");
    assert!(matches!(overridden.source, Source::User(_)));
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    write_sequence(dir.path(), "a-good.json", "good-one", "Good");
    fs::write(dir.path().join("b-bad.json"), "{ \"format\": 1, ").unwrap();
    write_sequence(dir.path(), "c-good.json", "good-two", "Also good");
    fs::write(dir.path().join("notes.txt"), "not a sequence").unwrap();

    let library = Library::load(&[], &[dir.path().to_owned()]);
    assert!(library.find("good-one").is_some() && library.find("good-two").is_some());
    assert_eq!(library.problems().len(), 1);
    assert!(library.problems()[0].to_string().contains("b-bad.json:1:"), "{}", library.problems()[0]);
}

#[test]
fn a_repeated_id_within_one_folder_is_an_error_on_the_second_file() {
    let dir = tempfile::tempdir().unwrap();
    write_sequence(dir.path(), "first.json", "same-id", "First");
    write_sequence(dir.path(), "second.json", "same-id", "Second");
    let library = Library::load(&[], &[dir.path().to_owned()]);
    assert_eq!(library.find("same-id").unwrap().sequence.title(), "First");
    let problem = library.problems()[0].to_string();
    assert!(problem.contains("second.json:2:"), "{problem}");
    assert!(problem.contains("id: duplicate id \"same-id\""), "{problem}");
}

#[test]
fn a_later_folder_overrides_an_earlier_one_and_only_a_named_missing_folder_is_a_problem() {
    let data_dir = tempfile::tempdir().unwrap();
    let extra_dir = tempfile::tempdir().unwrap();
    write_sequence(data_dir.path(), "routine.json", "routine", "From the data folder");
    write_sequence(extra_dir.path(), "routine.json", "routine", "From --sequences");
    let library = Library::load(&[data_dir.path().to_owned()], &[extra_dir.path().to_owned()]);
    assert!(library.problems().is_empty());
    assert_eq!(library.find("routine").unwrap().sequence.title(), "From --sequences");

    let missing = data_dir.path().join("not-created-yet");
    assert!(Library::load(std::slice::from_ref(&missing), &[]).problems().is_empty(), "no data folder yet is normal");
    let asked_for = Library::load(&[], &[missing]);
    assert!(asked_for.problems()[0].to_string().contains("cannot list folder"), "{:?}", asked_for.problems());
}

#[test]
fn the_library_as_a_whole_covers_the_techniques_and_structures_the_product_promises() {
    use stillpoint::sequence::{Audience, Side, Technique};
    let library = Library::bundled();
    let documents: Vec<_> = library.entries().into_iter().map(|e| e.sequence.document().clone()).collect();
    let steps: Vec<_> = documents.iter().flat_map(|d| d.steps.iter()).collect();
    for technique in [
        Technique::SustainedHold,
        Technique::CrossHandStretch,
        Technique::SkinRolling,
        Technique::Direct,
        Technique::Indirect,
        Technique::Rebounding,
    ] {
        assert!(steps.iter().any(|s| s.technique == technique), "no bundled step uses {technique:?}");
    }
    assert!(steps.iter().filter(|s| s.until_release.is_some()).count() >= 2, "open-ended holds");
    assert!(steps.iter().any(|s| s.side == Some(Side::LeftThenRight)), "left-then-right steps");
    assert!(documents.iter().all(|d| !d.precautions.is_empty()), "every sequence lists precautions");
    for audience in [Audience::Therapist, Audience::SelfCare] {
        assert!(documents.iter().filter(|d| d.audience == audience).count() >= 5, "{audience:?}");
    }
}
