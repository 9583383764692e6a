//! Hand-made broken files: each gives one clear error with file, line:column, field path and what was expected.

use std::path::Path;

use proptest::prelude::*;
use stillpoint::sequence::library::{bundled_files, read_sequence_file};
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
    ("comment.json", "14:7: steps[1]", "comments are not allowed in a sequence file; put remarks in a \"notes\" text"),
    ("cue-outside-step.json", "24:11: steps[1].cues.at[1]", "a cue at 2m is not inside a step of 1m30s"),
    (
        "cut-off.json",
        "26:11: steps[2]",
        "the file ends in the middle of text in quotes that starts at line 26, column 7 — is it cut off?",
    ),
    ("duplicate-key.json", "5:9: title", "duplicate field \"title\""),
    ("empty.json", "1:1", "the file is empty"),
    (
        "extra-brace.json",
        "21:5: steps",
        "this `}` does not match the list `[` that starts at line 7, column 12 (lists close with `]`): is there a `}` \
         too many before it, or should this be `]`?",
    ),
    ("invalid-utf8.json", "10:24", "invalid UTF-8 (byte 0xff)"),
    (
        "level-in-quotes.json",
        "28:18: steps[2].pressure.level",
        "expected a whole number from 0 to 4, but found the text \"3\"; write 3 without quotes",
    ),
    ("max-before-min.json", "22:16: steps[1].until_release.max", "max (2m) is shorter than min (3m)"),
    ("missing-comma.json", "15:22: steps[1]", "a comma `,` is missing between this field and \"side\""),
    ("missing-duration.json", "8:5: steps[0]", "the step needs a `duration`"),
    (
        "missing-quote.json",
        "10:24: steps[0].title",
        "this text has no closing quote `\"` before the end of the line (for a line break inside text, write \\n)",
    ),
    ("not-an-object.json", "1:1", "a sequence file is one JSON object"),
    (
        "pressure-out-of-range.json",
        "28:18: steps[2].pressure.level",
        "level 7 is out of range: use 0 (contact only) to 4 (firm)",
    ),
    ("session-too-long.json", "7:12: steps", "the limit is 8h"),
    ("step-too-long.json", "17:19: steps[1].duration", "duration is 1h30m; it must be between 1s and 60m"),
    (
        "steps-not-a-list.json",
        "7:12: steps",
        "expected a list of steps `[ {...}, {...} ]`, but found an object `{ ... }`; put it in square brackets `[ ... ]`",
    ),
    ("trailing-comma.json", "11:24: steps[0]", "remove this comma: no field follows it before the closing `}`"),
    ("unknown-direction.json", "22:17: steps[1].direction.kind", "\"upwards\" is not a known value"),
    ("unknown-field.json", "20:17: steps[1].durration", "unknown field \"durration\"; did you mean \"duration\"?"),
    ("unknown-precaution.json", "34:5: precautions[1]", "did you mean \"osteoporosis\"?"),
    ("unknown-technique.json", "14:20: steps[1].technique", "did you mean \"sustained-hold\"?"),
    ("unquoted-duration.json", "17:19: steps[1].duration", "text must be in double quotes: write \"90s\""),
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
        assert_plain(&line);
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
    assert_eq!(
        first_problem(&array_step),
        "t.json:1:91: steps[0]: expected a step `{ \"technique\": ..., \"duration\": ... }`, but found a list `[ ... ]`"
    );
    let array_hold = minimal("", r#"[{"technique": "rest", "until_release": ["90s", "5m"]}]"#);
    assert_eq!(
        first_problem(&array_hold),
        "t.json:1:130: steps[0].until_release: expected an object like `{ \"min\": \"90s\", \"max\": \"5m\" }`, but \
         found a list `[ ... ]`"
    );
    let map_code = minimal("", r#"[{"technique": {"rest": null}, "duration": "30s"}]"#);
    assert_eq!(
        first_problem(&map_code),
        "t.json:1:105: steps[0].technique: expected a technique in quotes: \"sustained-hold\", \"cross-hand-stretch\", \
         \"skin-rolling\", \"direct\", \"indirect\", \"rebounding\", \"rest\", \"transition\" or \"assessment\", but found \
         an object `{ ... }`"
    );
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

/// serde and serde_json wordings that must always be translated.
const SERDE_PHRASES: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "expected a sequence",
    "EOF while",
    "expected ident",
    "expected value",
    "expected `",
    "key must be a string",
    "trailing characters",
    "trailing comma",
    "control character",
    "hex escape",
    "invalid escape",
    "invalid number",
    "number out of range",
    "recursion limit",
];

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
        insert in "[\\[\\]{}\",:0-9a-z\\-\\\\'/öé\t\n]{0,6}",
    ) {
        let mut text = VALID.as_bytes().to_vec();
        let end = (position + cut).min(text.len());
        text.splice(position..end, insert.bytes());
        if let Err(problems) = parse_sequence("fuzz.json", &text) {
            prop_assert!(!problems.is_empty());
            for problem in problems {
                prop_assert!(problem.position.is_some() || problem.message.contains("1 MiB"), "{problem}");
                // Phrases with spaces cannot come from the inserted characters, only from serde.
                for phrase in SERDE_PHRASES {
                    prop_assert!(!problem.message.contains(phrase), "{problem}");
                }
            }
        }
    }
}

#[test]
fn the_fuzz_base_itself_is_valid() {
    assert!(parse_sequence("fuzz.json", VALID.as_bytes()).is_ok());
}

// -----------------------------------------------------------------------------------------------------------------
// One test per kind of serde / serde_json error: a realistic file broken in one place, and the whole line the user
// reads. serde_json's own wording ("invalid type: map, expected a sequence", "EOF while parsing a value") must
// never get through: to a therapist a sequence is the whole file, and `map` or `u32` mean nothing.

/// Words from serde's data model or Rust's types that must not reach a person.
const JARGON: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "expected a sequence",
    " map",
    "struct",
    "u32",
    "u64",
    "usize",
    "i64",
    "a string",
    "EOF",
    "expected ident",
    "expected value",
    "key must be a string",
    "trailing characters",
    "control character",
    "hex escape",
    "line 0",
];

fn assert_plain(line: &str) {
    for word in JARGON {
        assert!(!line.contains(word), "{line:?} says {word:?}");
    }
}

/// A hand-written file; each test below breaks it in one place.
const NECK: &str = r#"{
  "format": 1,
  "id": "neck-release",
  "title": "Neck release",
  "summary": "Gentle holds for the neck and shoulders.",
  "audience": "therapist",
  "precautions": ["pregnancy"],
  "cues": {"halfway": true, "warning": "10s"},
  "steps": [
    {
      "technique": "sustained-hold",
      "area": "upper trapezius",
      "side": "left-then-right",
      "duration": "90s",
      "pressure": {"level": 2, "prompt": "sink to the first barrier"}
    },
    {
      "technique": "rest",
      "duration": "30s"
    }
  ]
}
"#;

/// `NECK` with `from` replaced by `to` (once).
fn neck(from: &str, to: &str) -> String {
    assert!(NECK.contains(from), "{from:?} is not in the example");
    NECK.replacen(from, to, 1)
}

/// The one problem in `text`, as `neck.json:line:column: field: message`.
fn only_problem(text: &str) -> String {
    let problems = parse_sequence("neck.json", text.as_bytes()).expect_err("the file is broken");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let line = problems[0].to_string();
    assert_plain(&line);
    line
}

#[test]
fn the_example_itself_is_valid() {
    assert!(parse_sequence("neck.json", NECK.as_bytes()).is_ok());
}

// Syntax: punctuation (serde_json::error::Category::Syntax).

#[test]
fn syntax_trailing_comma_in_an_object() {
    assert_eq!(
        only_problem(&neck("\"30s\"\n", "\"30s\",\n")),
        "neck.json:19:24: steps[1]: remove this comma: no field follows it before the closing `}`"
    );
}

#[test]
fn syntax_trailing_comma_in_a_list() {
    assert_eq!(
        only_problem(&neck("    }\n  ]", "    },\n  ]")),
        "neck.json:20:6: steps: remove this comma: no item follows it before the closing `]`"
    );
}

#[test]
fn syntax_missing_colon() {
    assert_eq!(
        only_problem(&neck("\"area\": \"upper", "\"area\" \"upper")),
        "neck.json:12:14: steps[0]: the field name \"area\" must be followed by a colon `:`"
    );
}

#[test]
fn syntax_missing_comma_between_fields() {
    assert_eq!(
        only_problem(&neck("\"upper trapezius\",", "\"upper trapezius\"")),
        "neck.json:12:32: steps[0]: a comma `,` is missing between this field and \"side\""
    );
}

#[test]
fn syntax_missing_comma_between_list_items() {
    assert_eq!(
        only_problem(&neck("    },\n    {", "    }\n    {")),
        "neck.json:16:6: steps: a comma `,` is missing between this item and the next one"
    );
}

#[test]
fn syntax_mismatched_bracket() {
    assert_eq!(
        only_problem(&neck("  ]\n}", "  }\n}")),
        "neck.json:21:3: steps: this `}` does not match the list `[` that starts at line 9, column 12 (lists close \
         with `]`): is there a `}` too many before it, or should this be `]`?"
    );
}

#[test]
fn syntax_expected_value_text_without_quotes() {
    assert_eq!(
        only_problem(&neck("\"left-then-right\"", "left-then-right")),
        "neck.json:13:15: steps[0].side: text must be in double quotes: write \"left-then-right\""
    );
    // A number glued to its unit: serde_json reads 90 and stops at the s.
    assert_eq!(
        only_problem(&neck("\"90s\"", "90s")),
        "neck.json:14:19: steps[0].duration: text must be in double quotes: write \"90s\""
    );
}

#[test]
fn syntax_expected_value_single_quotes_comments_and_nothing() {
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", "'upper trapezius'")),
        "neck.json:12:15: steps[0].area: use double quotes `\"` around text, not single quotes"
    );
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", "")),
        "neck.json:12:15: steps[0].area: the value is missing: expected text in quotes"
    );
    assert_eq!(
        only_problem(&neck(
            "    {\n      \"technique\": \"rest\"",
            "    {\n      // settle\n      \"technique\": \"rest\""
        )),
        "neck.json:18:7: steps[1]: comments are not allowed in a sequence file; put remarks in a \"notes\" text"
    );
}

#[test]
fn syntax_expected_ident_true_false_and_null() {
    assert_eq!(
        only_problem(&neck("\"halfway\": true", "\"halfway\": True")),
        "neck.json:8:23: cues.halfway: write true in small letters"
    );
    assert_eq!(
        only_problem(&neck("\"halfway\": true", "\"halfway\": tru")),
        "neck.json:8:23: cues.halfway: expected true or false, but found tru"
    );
    assert_eq!(
        only_problem(&neck("\"halfway\": true", "\"halfway\": yes")),
        "neck.json:8:23: cues.halfway: expected true or false, but found yes"
    );
}

#[test]
fn syntax_key_must_be_a_string() {
    assert_eq!(
        only_problem(&neck("\"area\":", "area:")),
        "neck.json:12:7: steps[0]: field names must be in double quotes: write \"area\""
    );
    assert_eq!(
        only_problem(&neck("\"area\":", "'area':")),
        "neck.json:12:7: steps[0]: use double quotes `\"` around field names, not single quotes"
    );
}

#[test]
fn syntax_control_character_in_text() {
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", "\"upper trapezius")),
        "neck.json:12:32: steps[0].area: this text has no closing quote `\"` before the end of the line (for a line \
         break inside text, write \\n)"
    );
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", "\"upper\ttrapezius\"")),
        "neck.json:12:21: steps[0].area: a tab inside text in quotes is not allowed: write \\t or use spaces"
    );
}

#[test]
fn syntax_invalid_escape() {
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", r#""C7\T1 junction""#)),
        r#"neck.json:12:18: steps[0].area: `\T` is not allowed in text: a backslash starts a code like \n (new line) or \" (quote); write \\ for a backslash itself"#
    );
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", r#""caf\u00g9""#)),
        r#"neck.json:12:19: steps[0].area: `\u` must be followed by four hex digits (0-9, a-f), e.g. \u00e9; or type the character itself"#
    );
}

#[test]
fn syntax_half_a_character_code() {
    let message = r#"`\ud83d` is only half of a character code (emoji and some symbols need two \u codes); type the character itself instead"#;
    // serde_json: "unexpected end of hex escape" …
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", r#""smile \ud83d please""#)),
        format!("neck.json:12:22: steps[0].area: {message}")
    );
    // … and "lone leading surrogate in hex escape".
    assert_eq!(
        only_problem(&neck("\"upper trapezius\"", r#""smile \ud83d\u0041""#)),
        format!("neck.json:12:22: steps[0].area: {message}")
    );
}

#[test]
fn syntax_invalid_number() {
    let rule = "is not a number as a sequence file writes it: write whole numbers like 2 or 90 and decimals like 1.5";
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": 02")),
        format!("neck.json:15:29: steps[0].pressure.level: 02 {rule}")
    );
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": 2.")),
        format!("neck.json:15:29: steps[0].pressure.level: 2. {rule}")
    );
    // serde_json calls these "expected value"; they are numbers all the same.
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": +2")),
        format!("neck.json:15:29: steps[0].pressure.level: +2 {rule}")
    );
}

#[test]
fn syntax_number_out_of_range() {
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": 1e400")),
        "neck.json:15:29: steps[0].pressure.level: 1e400 is far too large a number"
    );
}

#[test]
fn syntax_trailing_characters_after_the_sequence() {
    assert_eq!(
        only_problem(&format!("{NECK}}}\n")),
        "neck.json:23:1: the sequence ends with the `}` at line 22, column 1, but more text follows here: remove it, \
         or look for a `}` that closes the sequence too early"
    );
}

#[test]
fn syntax_trailing_characters_in_an_object_written_as_a_list() {
    // serde reads an object from a list item by item and stops at the first item too many.
    assert_eq!(
        only_problem(&neck(r#"{"level": 2, "prompt": "sink to the first barrier"}"#, r#"[2, "sink", 3]"#)),
        "neck.json:15:19: steps[0].pressure: expected an object like `{ \"level\": 2, \"prompt\": \"...\" }`, but \
         found a list `[ ... ]`"
    );
}

// Eof: the file stops early (serde_json::error::Category::Eof).

#[test]
fn eof_in_text() {
    let cut = &NECK[..NECK.find("trapezius").unwrap()];
    assert_eq!(
        only_problem(cut),
        "neck.json:12:21: steps[0].area: the file ends in the middle of text in quotes that starts at line 12, \
         column 15 — is it cut off?"
    );
}

#[test]
fn eof_in_an_object() {
    let cut = &NECK[..NECK.find("\"prompt\"").unwrap()];
    assert_eq!(
        only_problem(cut),
        "neck.json:15:31: steps[0].pressure: the file ends in the middle of an object `{ ... }` that starts at line \
         15, column 19 — is it cut off?"
    );
    // Where a value should follow, the object holding it is what was left open.
    let cut = &NECK[..NECK.find(" \"90s\"").unwrap()];
    assert_eq!(
        only_problem(cut),
        "neck.json:14:17: steps[0].duration: the file ends in the middle of an object `{ ... }` that starts at line \
         10, column 5 — is it cut off?"
    );
}

#[test]
fn eof_in_a_list() {
    let cut = &NECK[..NECK.find("    {\n      \"technique\": \"rest\"").unwrap()];
    assert_eq!(
        only_problem(cut),
        "neck.json:16:7: steps: the file ends in the middle of a list `[ ... ]` that starts at line 9, column 12 — \
         is it cut off?"
    );
}

#[test]
fn eof_in_a_value() {
    let cut = &NECK[..NECK.find("true").unwrap() + 2];
    assert_eq!(
        only_problem(cut),
        "neck.json:8:24: cues.halfway: the file ends in the middle of a value — is it cut off?"
    );
}

#[test]
fn eof_in_a_character() {
    let text = neck("Neck release", "Nacken lösen");
    let cut = &text.as_bytes()[..text.find("ö").unwrap() + 1];
    assert_eq!(only_problem_bytes(cut), "neck.json:4:21: the file ends in the middle of a character — is it cut off?");
}

fn only_problem_bytes(bytes: &[u8]) -> String {
    let problems = parse_sequence("neck.json", bytes).expect_err("the file is broken");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems[0].to_string()
}

// Data: values of the wrong kind (serde_json::error::Category::Data).

#[test]
fn data_invalid_type_says_what_the_field_expects() {
    assert_eq!(
        only_problem(&neck("\"steps\": [", "\"steps\": {\"technique\": \"rest\"}, \"more\": [")),
        "neck.json:9:12: steps: expected a list of steps `[ {...}, {...} ]`, but found an object `{ ... }`; put it in \
         square brackets: [{\"technique\": \"rest\"}]"
    );
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": \"2\"")),
        "neck.json:15:29: steps[0].pressure.level: expected a whole number from 0 to 4, but found the text \"2\"; \
         write 2 without quotes"
    );
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": 2.5")),
        "neck.json:15:29: steps[0].pressure.level: expected a whole number from 0 to 4, but found the number 2.5"
    );
    assert_eq!(
        only_problem(&neck("\"halfway\": true", "\"halfway\": \"yes\"")),
        "neck.json:8:23: cues.halfway: expected true or false, but found the text \"yes\""
    );
    assert_eq!(
        only_problem(&neck("\"Neck release\"", "42")),
        "neck.json:4:12: title: expected text in quotes, but found the number 42; put it in quotes: \"42\""
    );
    assert_eq!(
        only_problem(&neck("\"90s\"", "true")),
        "neck.json:14:19: steps[0].duration: expected a duration (write \"4m\", \"90s\", \"2m30s\" or seconds), but \
         found true"
    );
    assert_eq!(
        only_problem(&neck("[\"pregnancy\"]", "\"pregnancy\"")),
        "neck.json:7:18: precautions: expected a list of precautions in quotes, e.g. `[\"pregnancy\", \"implant\"]`, \
         but found the text \"pregnancy\"; put it in square brackets: [\"pregnancy\"]"
    );
    assert_eq!(
        only_problem(&neck("\"warning\": \"10s\"}", "\"rhythm\": \"fast\"}")),
        "neck.json:8:39: cues.rhythm: expected a whole number of beats per minute from 20 to 200, but found the text \
         \"fast\""
    );
}

#[test]
fn data_invalid_type_for_a_code() {
    // serde_json reports a code of the wrong kind as "expected value"; it is a type error all the same.
    assert_eq!(
        only_problem(&neck("\"technique\": \"rest\"", "\"technique\": 7")),
        "neck.json:18:20: steps[1].technique: expected a technique in quotes: \"sustained-hold\", \
         \"cross-hand-stretch\", \"skin-rolling\", \"direct\", \"indirect\", \"rebounding\", \"rest\", \"transition\" \
         or \"assessment\", but found the number 7"
    );
    assert_eq!(
        only_problem(&neck("\"audience\": \"therapist\"", "\"audience\": {}")),
        "neck.json:6:15: audience: expected \"therapist\" or \"self-care\", but found an object `{ ... }`"
    );
}

#[test]
fn data_invalid_value() {
    assert_eq!(
        only_problem(&neck("\"level\": 2", "\"level\": -1")),
        "neck.json:15:29: steps[0].pressure.level: expected a whole number from 0 to 4, but found the number -1"
    );
    assert_eq!(
        only_problem(&neck("\"format\": 1", "\"format\": \"1\"")),
        "neck.json:2:13: format: expected the number 1, but found the text \"1\"; write 1 without quotes"
    );
}

#[test]
fn data_invalid_length() {
    assert_eq!(
        only_problem(&neck(r#"{"level": 2, "prompt": "sink to the first barrier"}"#, "[]")),
        "neck.json:15:19: steps[0].pressure: expected an object like `{ \"level\": 2, \"prompt\": \"...\" }`, but \
         found a list `[ ... ]`"
    );
}

#[test]
fn data_unknown_variant_keeps_its_suggestion() {
    assert_eq!(
        only_problem(&neck("\"left-then-right\"", "\"left then right\"")),
        "neck.json:13:15: steps[0].side: \"left then right\" is not a known value; did you mean \"left-then-right\"? \
         (expected one of \"left\", \"right\", \"both\", \"midline\", \"left-then-right\", \"right-then-left\")"
    );
}

#[test]
fn data_unknown_field_keeps_its_suggestion() {
    assert_eq!(
        only_problem(&neck("\"area\":", "\"areas\":")),
        "neck.json:12:13: steps[0].areas: unknown field \"areas\"; did you mean \"area\"? (known fields: \
         \"technique\", \"title\", \"area\", \"side\", \"switch\", \"duration\", \"until_release\", \"pressure\", \
         \"direction\", \"notes\", \"say\", \"voice\", \"cues\", \"repeat\")"
    );
}

#[test]
fn data_missing_field() {
    assert_eq!(
        only_problem(&neck("      \"technique\": \"rest\",\n", "")),
        "neck.json:17:5: steps[1].technique: required field \"technique\" is missing"
    );
}

#[test]
fn data_duplicate_field() {
    assert_eq!(
        only_problem(&neck("\"duration\": \"30s\"", "\"duration\": \"30s\", \"duration\": \"45s\"")),
        "neck.json:19:35: steps[1].duration: duplicate field \"duration\": each field may appear once"
    );
}

#[test]
fn data_custom_messages_from_the_format_pass_through() {
    assert_eq!(
        only_problem(&neck("\"format\": 1", "\"format\": 2")),
        "neck.json:2:13: format: format 2 is not supported: this Stillpoint reads format 1"
    );
    assert_eq!(
        only_problem(&neck("\"90s\"", "\"1.5 minutes\"")),
        "neck.json:14:19: steps[0].duration: \"1.5 minutes\" is not a duration (write \"4m\", \"90s\", \"2m30s\" or \
         seconds)"
    );
    assert_eq!(
        only_problem(&neck("\"90s\"", "-90")),
        "neck.json:14:19: steps[0].duration: -90 is negative; write \"4m\", \"90s\", \"2m30s\" or seconds"
    );
}

#[test]
fn shapes_serde_accepts_are_worded_like_type_errors() {
    assert_eq!(
        only_problem(&neck(r#"{"level": 2, "prompt": "sink to the first barrier"}"#, "[2]")),
        "neck.json:15:19: steps[0].pressure: expected an object like `{ \"level\": 2, \"prompt\": \"...\" }`, but \
         found a list `[ ... ]`"
    );
}

/// Every prefix of every bundled sequence is a file cut off somewhere: each must say so, in plain words.
#[test]
fn every_cut_off_bundled_sequence_says_it_is_cut_off() {
    for (name, text) in bundled_files() {
        let complete = text.trim_end().len();
        for end in 1..complete {
            let problems = parse_sequence(name, &text.as_bytes()[..end]).expect_err("a cut-off file is broken");
            assert_eq!(problems.len(), 1, "{name} cut at byte {end}: {problems:#?}");
            let line = problems[0].to_string();
            assert!(line.contains("is it cut off?"), "{name} cut at byte {end}: {line}");
            assert_plain(&line);
        }
    }
}
