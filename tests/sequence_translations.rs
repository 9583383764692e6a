//! A sequence's own texts in other languages: the bundled library read and spoken in German and Spanish, a step shown
//! in one language only, and translation mistakes named where they are.

use stillpoint::sequence::library::Library;
use stillpoint::sequence::{Audience, CueDefaults, Sequence, StepRole, coverage, parse_sequence};
use stillpoint::voice::{Lang, Languages, VoiceParts, step_script};

const READERS: [&str; 2] = ["de", "es"];

fn bundled() -> Vec<std::sync::Arc<Sequence>> {
    Library::bundled().entries().into_iter().map(|entry| entry.sequence.clone()).collect()
}

fn every_part() -> VoiceParts {
    VoiceParts { notes: true, countdown: true, ..VoiceParts::default() }
}

#[test]
fn every_bundled_sequence_is_written_in_english_and_fully_translated_into_the_apps_languages() {
    for sequence in bundled() {
        assert_eq!(sequence.language(), Some("en"), "{} does not say it is written in English", sequence.id());
        let languages = coverage(sequence.document());
        for reader in READERS {
            let Some(language) = languages.iter().find(|c| c.language == reader) else {
                panic!("{} has no {reader} translation", sequence.id());
            };
            let missing: Vec<String> = language.missing.iter().map(|m| format!("{} {:?}", m.field, m.text)).collect();
            assert!(missing.is_empty(), "{} in {reader} lacks: {missing:#?}", sequence.id());
            assert!(
                language.unused.is_empty(),
                "{} in {reader} has stale entries: {:#?}",
                sequence.id(),
                language.unused
            );
        }
    }
}

#[test]
fn in_german_and_spanish_every_bundled_step_shows_in_that_language() {
    for sequence in bundled() {
        let english = sequence.plan(&CueDefaults::default());
        for reader in READERS {
            assert_ne!(sequence.title_in(reader), sequence.title(), "{} title in {reader}", sequence.id());
            let plan = sequence.plan_in(&CueDefaults::default(), reader);
            assert_eq!(plan.len(), english.len(), "a translation never changes what is played");
            for (translated, written) in plan.steps.iter().zip(&english.steps) {
                assert_eq!(translated.timing, written.timing);
                if translated.role == StepRole::Written {
                    assert_eq!(translated.text_language.as_deref(), Some(reader), "{} in {reader}", sequence.id());
                    if written.title.is_some() {
                        assert_ne!(translated.title, written.title, "{} step title in {reader}", sequence.id());
                    }
                }
            }
        }
    }
}

/// The issue's measure: eyes closed, a self-care sequence followed from start to end in the app's language. Every
/// phrase of every step's spoken prompt, with every part switched on, is in that language's voice.
#[test]
fn every_word_spoken_in_a_self_care_session_is_in_the_readers_language() {
    let self_care: Vec<_> = bundled().into_iter().filter(|s| s.audience() == Audience::SelfCare).collect();
    assert!(self_care.len() >= 5, "the library promises at least five self-care sequences");
    for sequence in self_care {
        for lang in [Lang::De, Lang::Es] {
            let plan = sequence.plan_in(&CueDefaults::default(), lang.code());
            let mut spoken = 0;
            for index in 0..plan.len() {
                let Some(script) = step_script(&plan, index, Languages::same(lang), &every_part()) else { continue };
                for phrase in &script.phrases {
                    assert_eq!(phrase.language, lang, "{} step {} says {:?}", sequence.id(), index + 1, phrase.text);
                }
                spoken += 1;
            }
            assert_eq!(spoken, plan.len(), "{}: every step says something in {lang}", sequence.id());
        }
    }
}

fn sequence(extra: &str, steps: &str) -> Result<Sequence, String> {
    let text = format!(
        r#"{{"format": 1, "id": "t", "title": "Feet", "summary": "Ball under the foot.", "audience": "self-care",
            "steps": [{steps}]{extra}}}"#
    );
    parse_sequence("t.json", text.as_bytes())
        .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

const TWO_STEPS: &str = r#"
    {"technique": "sustained-hold", "title": "Ball under the heel", "duration": "60s",
     "pressure": {"level": 2, "prompt": "Lean in gently."}},
    {"technique": "rest", "title": "Rest", "duration": "30s", "notes": "Stand on both feet."}"#;

#[test]
fn a_step_is_shown_translated_only_when_all_of_its_texts_are() {
    let translations = r#", "language": "en", "translations": {"de": {
        "Feet": "Füße", "Ball under the heel": "Ball unter der Ferse", "Lean in gently.": "Sanft hineinlehnen.",
        "Rest": "Pause"}}"#;
    let sequence = sequence(translations, TWO_STEPS).unwrap();
    assert_eq!(sequence.title_in("de"), "Füße");
    assert_eq!(sequence.words_in("de").text("Ball under the foot."), "Ball under the foot.", "no summary translation");
    let plan = sequence.plan_in(&CueDefaults::default(), "de");
    let first = &plan.steps[0];
    assert_eq!(first.title.as_deref(), Some("Ball unter der Ferse"));
    assert_eq!(first.pressure.as_ref().unwrap().prompt.as_deref(), Some("Sanft hineinlehnen."));
    assert_eq!(first.text_language.as_deref(), Some("de"));
    // "Rest" has a translation but the step's notes do not: the whole step stays as written.
    let second = &plan.steps[1];
    assert_eq!(second.title.as_deref(), Some("Rest"));
    assert_eq!(second.notes.as_deref(), Some("Stand on both feet."));
    assert_eq!(second.text_language.as_deref(), Some("en"));

    // The voice follows each step: German for the first, English words for the second, the app's own in German.
    let first_script = step_script(&plan, 0, Languages::same(Lang::De), &every_part()).unwrap();
    assert!(first_script.phrases.iter().all(|p| p.language == Lang::De), "{first_script:?}");
    let second_script = step_script(&plan, 1, Languages::same(Lang::De), &every_part()).unwrap();
    let said: Vec<(Lang, &str)> = second_script.phrases.iter().map(|p| (p.language, p.text.as_str())).collect();
    assert!(said.contains(&(Lang::En, "Rest.")), "{said:?}");
    assert!(said.contains(&(Lang::En, "Stand on both feet.")), "{said:?}");

    // Read in its own language, or in one it has no translation for, the file is shown as written.
    for reader in ["en", "es"] {
        let plan = sequence.plan_in(&CueDefaults::default(), reader);
        assert_eq!(plan.steps[0].title.as_deref(), Some("Ball under the heel"));
        assert_eq!(plan.steps[0].text_language.as_deref(), Some("en"));
    }
}

#[test]
fn a_file_that_does_not_name_its_language_is_spoken_in_the_apps() {
    let sequence = sequence("", TWO_STEPS).unwrap();
    let plan = sequence.plan_in(&CueDefaults::default(), "de");
    assert_eq!(plan.steps[0].text_language, None);
    let script = step_script(&plan, 0, Languages::same(Lang::De), &every_part()).unwrap();
    assert!(script.phrases.iter().all(|p| p.language == Lang::De), "{script:?}");
}

#[test]
fn edited_text_leaves_its_old_translation_unused_never_shown() {
    let translations = r#", "language": "en", "translations": {"de": {"Ball under the heel (old)": "Ball alt"}}"#;
    let sequence = sequence(translations, TWO_STEPS).unwrap();
    let plan = sequence.plan_in(&CueDefaults::default(), "de");
    assert_eq!(plan.steps[0].title.as_deref(), Some("Ball under the heel"));
    let report = coverage(sequence.document());
    assert_eq!(report[0].unused, vec!["Ball under the heel (old)"]);
    // Feet, the summary, the two titles, the prompt and the notes: six texts, none translated.
    assert_eq!((report[0].distinct_texts, report[0].missing.len()), (6, 6));
    assert_eq!(report[0].missing[2].field.to_string(), "steps[0].title");
}

#[test]
fn translation_mistakes_are_named_where_they_are() {
    let problem = |extra: &str| sequence(extra, TWO_STEPS).unwrap_err();
    let name = problem(r#", "language": "German""#);
    assert!(name.contains(r#"t.json:5:109: language: "German" is not a language code"#), "{name}");
    let own = problem(r#", "language": "de", "translations": {"de": {"Rest": "Pause"}}"#);
    assert!(own.contains("translations.de: the texts are written in \"de\" already"), "{own}");
    let empty = problem(r#", "translations": {"es": {"Rest": " "}}"#);
    assert!(empty.contains(r#"translations.es.Rest: the translation of "Rest" is empty"#), "{empty}");
    let code = problem(r#", "translations": {"Deutsch": {"Rest": "Pause"}}"#);
    assert!(code.contains(r#"translations.Deutsch: "Deutsch" is not a language code"#), "{code}");
    let list = problem(r#", "translations": {"de": ["Pause"]}"#);
    assert!(list.contains("translations.de") && list.contains("each text as written to its translation"), "{list}");
    let number = problem(r#", "translations": {"de": {"Rest": 4}}"#);
    assert!(number.contains("translations.de.Rest") && number.contains("the translation in quotes"), "{number}");
}
