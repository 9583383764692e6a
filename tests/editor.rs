//! The editor's model without a window: edits, undo and redo, ids, live checking in the loader's words, saving,
//! overriding and restoring a bundled sequence, deleting to `.deleted/`; and the writer's round trip for arbitrary
//! valid sequences.

use std::fs;
use std::sync::Arc;

use proptest::prelude::*;
use stillpoint::editor::{Edit, Editor, Origin, StepEdit, Template, delete_user_file, kebab_case, save_draft};
use stillpoint::sequence::library::{Library, read_sequence_file};
use stillpoint::sequence::{
    Audience, DirectionKind, DirectionSpec, DurationSpec, PressureSpec, Side, StepSpec, Technique, Text, UntilRelease,
    parse_sequence, write_sequence,
};

fn new_editor(title: &str, taken: &[&str]) -> Editor {
    Editor::new(Template::Blank, title, "en", taken.iter().map(|s| s.to_string()).collect(), Vec::new())
}

fn titles(editor: &Editor) -> Vec<String> {
    editor.draft().steps.iter().map(|s| s.title.as_ref().map(ToString::to_string).unwrap_or_default()).collect()
}

#[test]
fn steps_are_added_duplicated_moved_and_deleted_and_every_edit_undoes() {
    let mut editor = new_editor("Morning routine", &[]);
    editor.apply(Edit::Step(0, StepEdit::Title("A".into())));
    editor.apply(Edit::AddStep);
    editor.apply(Edit::Step(1, StepEdit::Title("B".into())));
    editor.apply(Edit::DuplicateStep(1));
    editor.apply(Edit::Step(2, StepEdit::Title("C".into())));
    assert_eq!(titles(&editor), ["A", "B", "C"]);
    editor.apply(Edit::MoveStep { index: 2, up: true });
    assert_eq!(titles(&editor), ["A", "C", "B"]);
    assert_eq!(editor.selected(), Some(1), "the moved step stays chosen");
    editor.apply(Edit::DeleteStep(0));
    assert_eq!(titles(&editor), ["C", "B"]);
    editor.undo();
    assert_eq!(titles(&editor), ["A", "C", "B"]);
    editor.undo();
    assert_eq!(titles(&editor), ["A", "B", "C"]);
    editor.redo();
    assert_eq!(titles(&editor), ["A", "C", "B"]);
    editor.apply(Edit::Step(0, StepEdit::Title("Z".into())));
    assert!(!editor.can_redo(), "a new edit ends the redo history");
    while editor.can_undo() {
        editor.undo();
    }
    assert_eq!(titles(&editor), [""], "back to the template's one step");
}

#[test]
fn the_id_follows_the_title_until_typed_and_stays_unique() {
    let mut editor = new_editor("Neck", &["neck", "neck-2"]);
    assert_eq!(editor.draft().id, "neck-3");
    editor.apply(Edit::Title("Jaw & neck (evening)".into()));
    assert_eq!(editor.draft().id, "jaw-neck-evening");
    editor.apply(Edit::Id("my-jaw".into()));
    editor.apply(Edit::Title("Something else".into()));
    assert_eq!(editor.draft().id, "my-jaw", "a typed id is kept");
    editor.apply(Edit::Id("neck".into()));
    assert!(editor.problem_at("id").unwrap().contains("duplicate id \"neck\""), "{:?}", editor.problems());
    assert!(!editor.can_save());
    assert_eq!(kebab_case("Ball holds: hip & glute"), "ball-holds-hip-glute");
}

#[test]
fn every_rule_of_the_loader_shows_beside_its_field_and_blocks_save() {
    let mut editor = new_editor("Rules", &[]);
    assert!(editor.can_save(), "{:?}", editor.problems());
    let cases: Vec<(Edit, &str, &str)> = vec![
        (Edit::Title("   ".into()), "title", "title is empty"),
        (Edit::Id("Not Kebab".into()), "id", "kebab-case"),
        (Edit::Step(0, StepEdit::DurationText("two minutes".into())), "steps[0].duration", "is not a duration"),
        (Edit::Step(0, StepEdit::Seconds(2 * 3600)), "steps[0].duration", ""),
        (Edit::Step(0, StepEdit::Repeat(50)), "steps[0].repeat", ""),
        (Edit::OffsetChimes("90s, soon".into()), "cues.at", "\"soon\" is not a duration"),
    ];
    for (edit, field, words) in cases {
        editor.apply(edit.clone());
        let problem = editor.problem_at(field).unwrap_or_else(|| panic!("{edit:?}: nothing at {field}"));
        assert!(problem.contains(words), "{edit:?}: {problem}");
        assert!(!editor.can_save(), "{edit:?}");
        editor.undo();
        if field == "steps[0].duration" || field == "cues.at" {
            // A text that never became a value is put right by typing a good one.
            editor.apply(match field {
                "cues.at" => Edit::OffsetChimes("90s".into()),
                _ => Edit::Step(0, StepEdit::DurationText("2m30s".into())),
            });
        }
        assert!(editor.can_save(), "{edit:?} undone: {:?}", editor.problems());
    }
    // An open-ended hold whose longest is shorter than its minimum.
    editor.apply(Edit::Step(0, StepEdit::OpenEnded(true)));
    editor.apply(Edit::Step(0, StepEdit::MinSeconds(300)));
    editor.apply(Edit::Step(0, StepEdit::MaxSeconds(120)));
    assert!(editor.problem_at("steps[0].until_release").is_some(), "{:?}", editor.problems());
    editor.apply(Edit::Step(0, StepEdit::MaxSeconds(600)));
    assert!(editor.can_save());
    // More than 8 hours: ten holds of up to an hour each.
    editor.apply(Edit::Step(0, StepEdit::MaxSeconds(3600)));
    for _ in 0..9 {
        editor.apply(Edit::DuplicateStep(0));
    }
    assert!(editor.problem_at("steps").unwrap().contains("the limit is 8h"), "{:?}", editor.problems());
    let (_, longest) = editor.totals();
    assert!(longest > Editor::session_limit());
}

#[test]
fn a_new_sequence_is_saved_where_the_library_finds_it_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let mut editor = Editor::new(Template::LeftThenRight, "Left then right test", "en", Vec::new(), Vec::new());
    editor.apply(Edit::AddStep);
    editor.apply(Edit::Step(1, StepEdit::OpenEnded(true)));
    assert!(editor.can_save(), "{:?}", editor.problems());
    let saved = save_draft(&editor.text(), &editor.draft().id, editor.origin(), dir.path()).unwrap();
    editor.mark_saved(saved.path.clone());
    assert!(!editor.is_dirty());
    assert_eq!(saved.path, dir.path().join("left-then-right-test.json"));
    let text = fs::read_to_string(&saved.path).unwrap();
    assert!(text.starts_with("{\n  \"$schema\": \"schema/sequence.schema.json\",\n  \"format\": 1,"), "{text}");
    assert!(dir.path().join("schema/sequence.schema.json").exists(), "the schema sits beside it");
    let library = Library::load(&[dir.path().to_owned()], &[]);
    let found = library.find("left-then-right-test").expect("the library finds it");
    assert_eq!(found.sequence.document(), editor.draft());
    assert_eq!(found.sequence.played_step_count(), 4, "left, switch, right, and the open-ended hold");
}

#[test]
fn a_bundled_sequence_is_overridden_by_an_edited_copy_and_restored_by_removing_it() {
    let dir = tempfile::tempdir().unwrap();
    let bundled = Library::bundled();
    let original = bundled.find("desk-posture").unwrap().sequence.clone();
    let ids: Vec<String> = bundled.entries().iter().map(|e| e.sequence.id().to_owned()).collect();
    let mut editor = Editor::edit(&original, None, "en", ids.clone(), ids.clone());
    assert_eq!(editor.origin(), &Origin::Bundled);
    editor.apply(Edit::Summary("My own version.".into()));
    assert!(editor.can_save(), "the same id may override a bundled sequence: {:?}", editor.problems());
    let saved = save_draft(&editor.text(), &editor.draft().id, editor.origin(), dir.path()).unwrap();
    let library = Library::load(&[dir.path().to_owned()], &[]);
    let entry = library.find("desk-posture").unwrap();
    assert_eq!(entry.sequence.document().summary.as_str(), "My own version.");
    assert!(entry.overrides_bundled, "the library knows it is an edited copy");
    let aside = delete_user_file(&saved.path, dir.path()).unwrap();
    assert!(aside.starts_with(dir.path().join(".deleted")) && aside.exists(), "never destroyed");
    let restored = Library::load(&[dir.path().to_owned()], &[]);
    assert_eq!(restored.find("desk-posture").unwrap().sequence.document(), original.document());

    // Edited in German, the copy is written in German; English and Spanish stay as translations.
    let mut german = Editor::edit(&original, None, "de", ids.clone(), ids);
    assert_eq!(german.draft().language.as_deref(), Some("de"));
    assert_eq!(german.draft().title.as_str(), original.title_in("de"));
    assert!(!german.is_dirty(), "nothing has been changed yet");
    assert_eq!(german.translations(), (2, 0), "English and Spanish, every text translated");
    german.apply(Edit::Step(0, StepEdit::Title("Auf die Rolle legen".into())));
    assert_eq!(german.translations(), (2, 1), "the changed title is shown as typed in English and Spanish");
}

#[test]
fn renaming_a_user_file_moves_the_old_name_aside_and_never_overwrites_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut editor = new_editor("First", &[]);
    let first = save_draft(&editor.text(), &editor.draft().id, editor.origin(), dir.path()).unwrap();
    editor.mark_saved(first.path.clone());
    editor.apply(Edit::Id("renamed".into()));
    let renamed = save_draft(&editor.text(), &editor.draft().id, editor.origin(), dir.path()).unwrap();
    assert!(!first.path.exists());
    assert!(renamed.moved_aside.unwrap().exists());
    let other = new_editor("Renamed", &[]);
    let clash = save_draft(&other.text(), "renamed", other.origin(), dir.path());
    assert!(clash.is_err(), "a new sequence never overwrites a file that exists");
}

#[test]
fn the_draft_can_be_tried_without_saving() {
    let mut editor = new_editor("Try me", &[]);
    editor.apply(Edit::Step(0, StepEdit::Side(Some(Side::LeftThenRight))));
    let sequence = editor.as_sequence().unwrap();
    assert_eq!(sequence.played_step_count(), 3);
    assert!(sequence.origin().contains("not saved"));
}

#[test]
fn a_copy_made_in_german_is_written_in_german_and_keeps_english_and_spanish_as_translations() {
    let dir = tempfile::tempdir().unwrap();
    let original = Library::bundled().find("desk-posture").unwrap().sequence.clone();
    let editor = Editor::duplicate(&original, "Kopie", "de", Vec::new(), Vec::new());
    let draft = editor.draft();
    assert_eq!(draft.language.as_deref(), Some("de"));
    assert_eq!(draft.title.as_str(), format!("{} (Kopie)", original.title_in("de")));
    let german_first = original.plan_in(&Default::default(), "de").steps[0].title.clone().unwrap();
    assert_eq!(titles(&editor)[0], german_first, "the person copying reads their own language");
    assert!(editor.can_save(), "{:?}", editor.problems());

    let saved = save_draft(&editor.text(), &draft.id, editor.origin(), dir.path()).unwrap();
    let copy = read_sequence_file(&saved.path).unwrap();
    for reader in ["en", "es"] {
        let copied = copy.plan_in(&Default::default(), reader);
        let bundled = original.plan_in(&Default::default(), reader);
        let step_titles =
            |plan: &stillpoint::sequence::Plan| plan.steps.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
        assert_eq!(step_titles(&copied), step_titles(&bundled), "the copy still reads in {reader}");
        let mut written = copied.steps.iter().filter(|s| !s.is_side_switch());
        assert!(written.all(|s| s.text_language.as_deref() == Some(reader)), "{reader}");
    }
    // A sequence not wholly translated into the reader's language is copied as it is written.
    let partial = parse_sequence(
        "p.json",
        br#"{"format": 1, "id": "p", "title": "Feet", "summary": "S", "audience": "self-care", "language": "en",
             "steps": [{"technique": "rest", "duration": "60s"}], "translations": {"de": {"Feet": "F\u00fc\u00dfe"}}}"#,
    )
    .unwrap();
    let copy = Editor::duplicate(&partial, "Kopie", "de", Vec::new(), Vec::new());
    assert_eq!((copy.draft().title.as_str(), copy.draft().language.as_deref()), ("Feet (Kopie)", Some("en")));
}

#[test]
fn a_new_sequence_starts_in_the_users_language() {
    let editor = Editor::new(Template::SelfCareBallRoutine, "", "es", Vec::new(), Vec::new());
    assert_eq!(editor.draft().language.as_deref(), Some("es"));
    assert_eq!(titles(&editor), ["Acomódate y respira", "Pelota bajo el omóplato", "Reposo"]);
    let english = Editor::new(Template::SelfCareBallRoutine, "", "en", Vec::new(), Vec::new());
    assert_eq!(english.draft().language.as_deref(), Some("en"));
    assert_eq!(titles(&english), ["Settle and breathe", "Ball under the shoulder blade", "Rest"]);
}

fn text() -> impl Strategy<Value = Option<Text>> {
    proptest::option::of("[A-Za-z äöüéñ,.:;'()-]{1,40}".prop_map(Text::new))
}

fn step() -> impl Strategy<Value = StepSpec> {
    let technique = proptest::sample::select(Technique::ALL.to_vec());
    let side = proptest::option::of(proptest::sample::select(vec![
        Side::Left,
        Side::Right,
        Side::Both,
        Side::Midline,
        Side::LeftThenRight,
        Side::RightThenLeft,
    ]));
    let kind = proptest::sample::select(vec![
        DirectionKind::Stationary,
        DirectionKind::Apart,
        DirectionKind::Caudal,
        DirectionKind::Clockwise,
        DirectionKind::Rhythm,
    ]);
    (technique, text(), text(), side, 1u64..1800, proptest::option::of(60u64..900), proptest::option::of(0u32..=4))
        .prop_flat_map(move |(technique, title, area, side, seconds, open, level)| {
            (
                Just((technique, title, area, side, seconds, open, level)),
                proptest::option::of(kind.clone()),
                text(),
                1u32..4,
            )
        })
        .prop_map(|((technique, title, area, side, seconds, open, level), kind, prompt, repeat)| StepSpec {
            technique,
            title,
            area,
            side,
            switch: None,
            duration: open.is_none().then(|| DurationSpec::from_secs(seconds)),
            until_release: open.map(|min| UntilRelease {
                min: DurationSpec::from_secs(min),
                max: DurationSpec::from_secs(min + seconds.min(600)),
            }),
            pressure: level.map(|level| PressureSpec { level, prompt: prompt.clone() }),
            direction: kind.map(|kind| DirectionSpec { kind, prompt }),
            notes: None,
            say: None,
            voice: None,
            cues: None,
            repeat: (repeat > 1).then_some(repeat),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_sequence_reads_back_as_written_and_writes_the_same_bytes_twice(
        steps in proptest::collection::vec(step(), 1..6),
        summary in "[A-Za-z .,]{1,60}",
        therapist in any::<bool>(),
    ) {
        let mut editor = Editor::new(Template::Blank, "Generated", "en", Vec::new(), Vec::new());
        editor.apply(Edit::Summary(summary));
        editor.apply(Edit::Audience(if therapist { Audience::Therapist } else { Audience::SelfCare }));
        let mut document = editor.draft().clone();
        document.steps = steps;
        let written = write_sequence(&document);
        let Ok(read) = parse_sequence("generated", written.as_bytes()) else {
            // Only valid sequences are the subject here (a generated one may exceed 8 hours).
            return Ok(());
        };
        prop_assert_eq!(read.document(), &document);
        prop_assert_eq!(write_sequence(read.document()), written);
    }
}

#[test]
fn every_bundled_sequence_round_trips_through_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    for entry in Library::bundled().entries() {
        let path = dir.path().join(format!("{}.json", entry.sequence.id()));
        fs::write(&path, write_sequence(entry.sequence.document())).unwrap();
        let read = read_sequence_file(&path).unwrap();
        assert_eq!(read.document(), entry.sequence.document());
        assert_eq!(Arc::new(read).plan(&Default::default()), entry.sequence.plan(&Default::default()));
    }
}

#[test]
fn typing_is_one_undoable_change_per_field_and_shows_as_typed() {
    let mut editor = new_editor("Typing", &[]);
    for typed in ["B", "Ba", "Bal", "Ball ", "Ball u"] {
        editor.apply(Edit::Step(0, StepEdit::Title(typed.into())));
    }
    assert_eq!(titles(&editor), ["Ball u"], "spaces typed are kept while typing");
    editor.apply(Edit::Equipment("roller, ".into()));
    assert_eq!(editor.typed("equipment"), Some("roller, "), "the comma stays on screen");
    assert_eq!(editor.draft().equipment.len(), 1);
    editor.undo();
    assert!(editor.draft().equipment.is_empty());
    editor.undo();
    assert_eq!(titles(&editor), [""], "the whole title typing undoes in one step");
}
