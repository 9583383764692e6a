//! Hand-made broken files: each gives one clear error with file, line:column, field path and what was expected.

use std::path::Path;

use proptest::prelude::*;
use stillpoint::sequence::library::read_sequence_file;
use stillpoint::sequence::parse_sequence;

/// (file in tests/fixtures/broken, expected `line:column: field` prefix after the path, phrase the message must hold)
const CASES: &[(&str, &str, &str)] = &[
    (
        "bad-duration.json",
        "26:19: steps[2].duration",
        r#""4 minutes" is not a duration (write "4m", "90s", "2m30s" or seconds)"#,
    ),
    ("bad-id.json", "3:9: id", "is not a kebab-case id"),
    (
        "both-duration-and-release.json",
        "21:24: steps[1].until_release",
        "either `duration` or `until_release`, not both",
    ),
    ("cue-outside-step.json", "24:11: steps[1].cues.at[1]", "a cue at 2m is not inside a step of 1m30s"),
    ("duplicate-key.json", "5:9: title", "duplicate field \"title\""),
    ("empty.json", "1:1", "the file is empty"),
    ("invalid-utf8.json", "10:24", "invalid UTF-8 (byte 0xff)"),
    ("max-before-min.json", "22:16: steps[1].until_release.max", "max (2m) is shorter than min (3m)"),
    ("missing-duration.json", "8:5: steps[0]", "the step needs a `duration`"),
    ("not-an-object.json", "1:1", "a sequence file is one JSON object"),
    (
        "pressure-out-of-range.json",
        "28:18: steps[2].pressure.level",
        "level 7 is out of range: use 0 (contact only) to 4 (firm)",
    ),
    ("session-too-long.json", "7:12: steps", "the limit is 8h"),
    ("step-too-long.json", "17:19: steps[1].duration", "duration is 1h30m; it must be between 1s and 60m"),
    ("trailing-comma.json", "12:5: steps[0]", "trailing comma"),
    ("unknown-direction.json", "22:17: steps[1].direction.kind", "\"upwards\" is not a known value"),
    ("unknown-field.json", "20:17: steps[1].durration", "unknown field \"durration\"; did you mean \"duration\"?"),
    ("unknown-precaution.json", "34:5: precautions[1]", "did you mean \"osteoporosis\"?"),
    ("unknown-technique.json", "14:20: steps[1].technique", "did you mean \"sustained-hold\"?"),
    ("wrong-format.json", "2:13: format", "format 2 is not supported: this Stillpoint reads format 1"),
];

#[test]
fn every_broken_fixture_gives_one_positioned_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    for (file, position, phrase) in CASES {
        let path = dir.join(file);
        let problems = read_sequence_file(&path).expect_err(file);
        assert_eq!(problems.len(), 1, "{file}: {problems:?}");
        let line = problems[0].to_string();
        let expected_prefix = format!("{}:{position}: ", path.display());
        assert!(line.starts_with(&expected_prefix), "{file}: got {line:?}, want prefix {expected_prefix:?}");
        assert!(line.contains(phrase), "{file}: {line:?} lacks {phrase:?}");
    }
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(on_disk, CASES.len(), "every fixture has an expectation here");
}

#[test]
fn oversized_files_and_strings_are_refused_with_a_reason() {
    let big = format!("{{\"format\": 1, \"id\": \"x\", \"summary\": \"{}\"}}", "a".repeat(1024 * 1024));
    let problems = parse_sequence("big.json", big.as_bytes()).unwrap_err();
    assert!(problems[0].to_string().starts_with("big.json: the file is"), "{}", problems[0]);
    assert!(problems[0].to_string().contains("limited to 1 MiB"));

    let long = format!(
        "{{\"format\": 1, \"id\": \"x\", \"title\": \"{}\", \"summary\": \"s\", \"audience\": \"self-care\", \"steps\": []}}",
        "a".repeat(4001)
    );
    let problems = parse_sequence("long.json", long.as_bytes()).unwrap_err();
    assert_eq!(problems[0].field.to_string(), "title");
    assert!(problems[0].message.contains("4001 characters long; the limit is 4000"), "{}", problems[0]);
}

#[test]
fn several_rule_breaks_in_one_file_are_all_reported() {
    let text = r#"{"format": 1, "id": "two-problems", "title": "", "summary": "s", "audience": "self-care",
      "steps": [{"technique": "rest", "duration": "2h"}]}"#;
    let problems = parse_sequence("two.json", text.as_bytes()).unwrap_err();
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(fields, vec!["title", "steps[0].duration"]);
}

fn first_problem(text: &str) -> String {
    parse_sequence("t.json", text.as_bytes()).unwrap_err()[0].to_string()
}

const MINIMAL_STEPS: &str = r#"[{"technique": "rest", "duration": "30s"}]"#;

fn minimal(extra: &str, steps: &str) -> String {
    format!(
        r#"{{"format": 1, "id": "m", "title": "T", "summary": "S", "audience": "self-care"{extra}, "steps": {steps}}}"#
    )
}

#[test]
fn lenient_json_shapes_serde_would_take_are_refused() {
    let array_step = minimal("", r#"[["rest", null, null, null, null, "30s"]]"#);
    assert!(first_problem(&array_step).contains("steps[0]: expected an object"), "{}", first_problem(&array_step));
    let array_hold = minimal("", r#"[{"technique": "rest", "until_release": ["90s", "5m"]}]"#);
    assert!(first_problem(&array_hold).contains("steps[0].until_release: expected an object"));
    let map_code = minimal("", r#"[{"technique": {"rest": null}, "duration": "30s"}]"#);
    assert!(first_problem(&map_code).contains("steps[0].technique: expected a code"), "{}", first_problem(&map_code));
}

#[test]
fn a_missing_field_is_named_in_the_path_at_its_object() {
    let text = r#"{"format": 1, "id": "m", "summary": "S", "audience": "self-care", "steps": []}"#;
    assert_eq!(first_problem(text), "t.json:1:1: title: required field \"title\" is missing");
}

#[test]
fn numbers_written_with_a_decimal_point_are_fine_when_whole() {
    let text = minimal("", r#"[{"technique": "rest", "duration": 90.0}]"#).replace("\"format\": 1", "\"format\": 1.0");
    assert!(parse_sequence("t.json", text.as_bytes()).is_ok());
    let half = minimal("", r#"[{"technique": "rest", "duration": 1.5}]"#);
    assert!(first_problem(&half).contains("1.5 is not a whole number of seconds"));
}

#[test]
fn sequence_wide_cues_are_bounded_and_offsets_start_after_zero() {
    let huge = minimal(r#", "cues": {"warning": "99999h"}"#, MINIMAL_STEPS);
    assert!(
        first_problem(&huge).contains("cues.warning: warning is 99999h; it must be at most 60m"),
        "{}",
        first_problem(&huge)
    );
    let zero = minimal(r#", "cues": {"at": ["0s"]}"#, MINIMAL_STEPS);
    assert!(first_problem(&zero).contains("cues.at[0]: a cue at 0s would ring with the step's start"));
}

#[test]
fn echoed_values_are_cut_short() {
    let long_id = minimal("", MINIMAL_STEPS).replace("\"id\": \"m\"", &format!("\"id\": \"{}\"", "X".repeat(5000)));
    let problem = first_problem(&long_id);
    assert!(problem.len() < 300, "{} characters", problem.len());
    assert!(problem.contains("XXX…"));
}

const VALID: &str = r#"{
  "format": 1, "id": "fuzz-base", "title": "T", "summary": "S", "audience": "therapist",
  "precautions": ["pregnancy"], "cues": {"halfway": true, "warning": "10s", "at": ["90s"]},
  "steps": [
    {"technique": "cross-hand-stretch", "side": "left-then-right", "until_release": {"min": "90s", "max": "5m"},
     "pressure": {"level": 2, "prompt": "p"}, "direction": {"kind": "apart"}, "cues": {"rhythm": 60}, "repeat": 2},
    {"technique": "rest", "duration": 30}
  ]
}"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_sequence("fuzz.json", &bytes);
    }

    #[test]
    fn mutated_valid_files_never_panic_and_errors_are_positioned(
        position in 0usize..VALID.len(),
        cut in 0usize..8,
        insert in "[\\[\\]{}\",:0-9a-z\\-]{0,6}",
    ) {
        let mut text = VALID.as_bytes().to_vec();
        let end = (position + cut).min(text.len());
        text.splice(position..end, insert.bytes());
        if let Err(problems) = parse_sequence("fuzz.json", &text) {
            prop_assert!(!problems.is_empty());
            for problem in problems {
                prop_assert!(problem.position.is_some() || problem.message.contains("1 MiB"), "{problem}");
            }
        }
    }
}

#[test]
fn the_fuzz_base_itself_is_valid() {
    assert!(parse_sequence("fuzz.json", VALID.as_bytes()).is_ok());
}
