//! What a person reads when a sequence file cannot be read, in one place: serde and serde_json errors reworded in
//! the format's own terms ("a list of steps", "a whole number from 0 to 4", "text in quotes"), each pointing at the
//! character to fix. The words come from the field path, so no message names a Rust type or serde's data model
//! (`sequence`, `map`, `u32`, `struct`): to a massage therapist a sequence is the whole file.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::error::Category;

use super::diagnostic::{FieldPath, Position, Segment, shorten};
use super::duration::DURATION_HINT;
use super::format::{Audience, DirectionKind, Side, Technique};
use super::locate::{locate, open_at};
use super::precaution::Precaution;
use super::suggest::did_you_mean;
use super::validate::{MAX_PRESSURE_LEVEL, MAX_REPEAT, RHYTHM_RANGE};

/// The message for a file with nothing but whitespace in it.
pub const EMPTY_FILE: &str = "the file is empty; a sequence file is one JSON object";

/// The message for a file whose last character was cut in half (its UTF-8 stops mid-character).
pub const CUT_OFF_CHARACTER: &str = "the file ends in the middle of a character — is it cut off?";

pub fn too_large(bytes: usize) -> String {
    format!("the file is {bytes} bytes; sequence files are limited to 1 MiB")
}

pub fn invalid_utf8(byte: u8) -> String {
    format!("invalid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8")
}

pub fn not_an_object(first: char) -> String {
    format!("a sequence file is one JSON object ({{ \"format\": 1, ... }}), but this one starts with '{first}'")
}

/// A problem put into words: the field it concerns, the byte offset to point at, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    pub field: FieldPath,
    pub offset: usize,
    pub message: String,
}

/// Puts serde_json's error for `text` into words. `field` is where serde_path_to_error says the parser was.
pub fn json_error(err: &serde_json::Error, text: &str, field: FieldPath) -> Worded {
    let at = serde_offset(text, err.line(), err.column());
    let full = err.to_string();
    let problem = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]);
    match err.classify() {
        Category::Eof if text.trim().is_empty() => Worded { field, offset: at, message: EMPTY_FILE.to_owned() },
        Category::Eof => cut_off(problem, text, field, at),
        Category::Syntax => syntax(problem, text, field, at),
        Category::Data => data(problem, text, field, at),
        // A file is read into memory before it is parsed, so the parser never reads from a device.
        Category::Io => Worded { field, offset: at, message: format!("cannot read: {problem}") },
    }
}

/// A value of the wrong kind at `field`, such as an array where the format wants an object: serde accepts some of
/// these shapes, so the parser checks for them separately and reports them here in the same words.
pub fn misshapen(text: &str, field: FieldPath) -> Worded {
    let offset = locate(text, field.segments());
    let message = mismatch(text, &field, offset);
    Worded { field, offset, message }
}

/// serde_json counts lines from 1 and columns in bytes from 1, pointing at the byte it stopped on; column 0 means it
/// stopped on the line break that ends the line before. Turns that into a byte offset.
/// serde_json can stop inside a character (`"\u12ö"` reads four bytes), so the offset is moved back to its start.
fn serde_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let mut offset = if column == 0 { line_start.saturating_sub(1) } else { (line_start + column - 1).min(text.len()) };
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

// ---------------------------------------------------------------------------------------------------------------
// What each field expects, in the format's words.

/// The broad kind of value a field takes, which decides hints like "write it without quotes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Code,
    Duration,
    Number,
    Boolean,
    List,
    Object,
}

impl Kind {
    fn is_single_value(self) -> bool {
        !matches!(self, Kind::List | Kind::Object)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    kind: Kind,
    words: String,
}

fn expect(kind: Kind, words: impl Into<String>) -> Expected {
    Expected { kind, words: words.into() }
}

fn text() -> Expected {
    expect(Kind::Text, "text in quotes")
}

fn duration() -> Expected {
    expect(Kind::Duration, format!("a duration ({DURATION_HINT})"))
}

/// `noun in quotes: "a", "b" or "c"`, with the codes serde itself accepts for `T`.
fn codes<T: DeserializeOwned>(noun: &str) -> Expected {
    expect(Kind::Code, format!("{noun} in quotes: {}", one_of(codes_of::<T>())))
}

fn one_of(codes: &[&str]) -> String {
    let quoted: Vec<String> = codes.iter().map(|code| format!("\"{code}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// `path`, or its nearest ancestor the format has: serde reads an object written as a list (`"cues": [...]`) item by
/// item, so it can report a path like `cues[0]` that only exists in the mistake.
fn nearest_known(path: FieldPath) -> FieldPath {
    let mut segments = path.segments().to_vec();
    while !segments.is_empty() && expected_at(&FieldPath::from(segments.clone())).is_none() {
        segments.pop();
    }
    FieldPath::from(segments)
}

/// What the value at `path` must be, or `None` for a path the format does not have.
fn expected_at(path: &FieldPath) -> Option<Expected> {
    let keys: Vec<&str> = path
        .segments()
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.as_str(),
            Segment::Index(_) => "[]",
        })
        .collect();
    Some(match keys.as_slice() {
        [] => expect(Kind::Object, "one object `{ \"format\": 1, ... }`"),
        ["format"] => expect(Kind::Number, "the number 1"),
        ["id"] => expect(Kind::Text, "an id in quotes, e.g. \"neck-and-headache\""),
        ["$schema" | "title" | "summary" | "position" | "author"] => text(),
        ["audience"] => expect(Kind::Code, one_of(codes_of::<Audience>())),
        ["language"] => expect(Kind::Text, "a language code in quotes, e.g. \"en\" or \"de\""),
        ["translations"] => expect(
            Kind::Object,
            "an object of languages, e.g. `{ \"de\": { \"Ball under the heel\": \"Ball unter der Ferse\" } }`",
        ),
        ["translations", _] => expect(
            Kind::Object,
            "an object from each text as written to its translation, e.g. `{ \"Rest\": \"Pause\" }`",
        ),
        ["translations", _, _] => expect(Kind::Text, "the translation in quotes"),
        ["equipment"] => expect(Kind::List, "a list of texts in quotes, e.g. `[\"foam roller\", \"towel\"]`"),
        ["tags"] => expect(Kind::List, "a list of texts in quotes, e.g. `[\"neck\", \"desk work\"]`"),
        ["equipment" | "tags", "[]"] => text(),
        ["precautions"] => expect(Kind::List, "a list of precautions in quotes, e.g. `[\"pregnancy\", \"implant\"]`"),
        ["precautions", "[]"] => codes::<Precaution>("a precaution"),
        ["cues", cue @ ..] | ["steps", "[]", "cues", cue @ ..] => return cue_expected(cue),
        ["steps"] => expect(Kind::List, "a list of steps `[ {...}, {...} ]`"),
        ["steps", "[]"] => expect(Kind::Object, "a step `{ \"technique\": ..., \"duration\": ... }`"),
        ["steps", "[]", "technique"] => codes::<Technique>("a technique"),
        ["steps", "[]", "title" | "area" | "notes" | "say"] => text(),
        ["steps", "[]", "voice"] => expect(
            Kind::Text,
            "the name of a WAV recording in the same folder as this file, in quotes, e.g. \"neck.step-2.wav\"",
        ),
        ["steps", "[]", "side"] => codes::<Side>("a side"),
        ["steps", "[]", "switch" | "duration"] => duration(),
        ["steps", "[]", "until_release"] => {
            expect(Kind::Object, "an object like `{ \"min\": \"90s\", \"max\": \"5m\" }`")
        }
        ["steps", "[]", "until_release", "min" | "max"] => duration(),
        ["steps", "[]", "pressure"] => expect(Kind::Object, "an object like `{ \"level\": 2, \"prompt\": \"...\" }`"),
        ["steps", "[]", "pressure", "level"] => {
            expect(Kind::Number, format!("a whole number from 0 to {MAX_PRESSURE_LEVEL}"))
        }
        ["steps", "[]", "pressure" | "direction", "prompt"] => text(),
        ["steps", "[]", "direction"] => {
            expect(Kind::Object, "an object like `{ \"kind\": \"apart\", \"prompt\": \"...\" }`")
        }
        ["steps", "[]", "direction", "kind"] => codes::<DirectionKind>("a direction"),
        ["steps", "[]", "repeat"] => expect(Kind::Number, format!("a whole number from 1 to {MAX_REPEAT}")),
        _ => return None,
    })
}

/// The fields of a `cues` object, the sequence's own or a step's.
fn cue_expected(keys: &[&str]) -> Option<Expected> {
    Some(match keys {
        [] => expect(Kind::Object, "an object like `{ \"halfway\": true, \"warning\": \"10s\" }`"),
        ["halfway"] => expect(Kind::Boolean, "true or false"),
        ["warning" | "check_in_every"] | ["at", "[]"] => duration(),
        ["at"] => expect(Kind::List, "a list of durations, e.g. `[\"90s\", \"120s\"]`"),
        ["rhythm"] => expect(
            Kind::Number,
            format!("a whole number of beats per minute from {} to {}", RHYTHM_RANGE.start(), RHYTHM_RANGE.end()),
        ),
        _ => return None,
    })
}

/// The codes a unit-only enum accepts, as its serde derive lists them (so they cannot drift from the format).
fn codes_of<T: DeserializeOwned>() -> &'static [&'static str] {
    #[derive(Debug)]
    struct Variants(&'static [&'static str]);

    impl fmt::Display for Variants {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("not an enum")
        }
    }

    impl std::error::Error for Variants {}

    impl de::Error for Variants {
        fn custom<M: fmt::Display>(_: M) -> Self {
            Variants(&[])
        }
    }

    /// A deserializer that answers nothing, but notes which variants an enum asks it for.
    struct Probe;

    impl<'de> de::Deserializer<'de> for Probe {
        type Error = Variants;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Variants> {
            Err(Variants(&[]))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Variants> {
            Err(Variants(variants))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
        }
    }

    T::deserialize(Probe).err().map_or(&[], |Variants(variants)| variants)
}

// ---------------------------------------------------------------------------------------------------------------
// What was found instead.

#[derive(Debug, Clone, PartialEq)]
enum Found<'a> {
    Object,
    List,
    Text(String),
    Number(&'a str),
    Word(&'a str),
    Unknown,
}

/// The value that starts at `offset`, with its source text when it is a complete value.
fn found_at(text: &str, offset: usize) -> (Found<'_>, &str) {
    let rest = text.get(offset..).unwrap_or_default();
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    let parsed = values.next().and_then(Result::ok);
    let raw = &rest[..if parsed.is_some() { values.byte_offset() } else { 0 }];
    let found = match (parsed, rest.bytes().next()) {
        (Some(serde_json::Value::String(s)), _) => Found::Text(s),
        (Some(serde_json::Value::Number(_)), _) => Found::Number(raw),
        (Some(serde_json::Value::Bool(_) | serde_json::Value::Null), _) => Found::Word(raw),
        (Some(serde_json::Value::Object(_)), _) | (_, Some(b'{')) => Found::Object,
        (Some(serde_json::Value::Array(_)), _) | (_, Some(b'[')) => Found::List,
        // A token serde_json read as far as it could, such as `0schema` or `null1`.
        _ => match word_around(text, offset) {
            (start, word) if start == offset && !word.is_empty() => Found::Word(word),
            _ => Found::Unknown,
        },
    };
    (found, raw)
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Object => f.write_str("an object `{ ... }`"),
            Found::List => f.write_str("a list `[ ... ]`"),
            Found::Text(s) => write!(f, "the text {:?}", shorten(s)),
            Found::Number(n) => write!(f, "the number {}", shorten(n)),
            Found::Word(w) => f.write_str(&shorten(w)),
            Found::Unknown => f.write_str("something else"),
        }
    }
}

/// "expected X, but found Y", with a hint for the commonest slips (a number in quotes, text without them).
fn mismatch(text: &str, field: &FieldPath, offset: usize) -> String {
    let (found, raw) = found_at(text, offset);
    let Some(expected) = expected_at(field) else {
        return format!("{found} does not belong here");
    };
    let hint = match (expected.kind, &found) {
        (Kind::Number, Found::Text(s)) if s.trim().parse::<f64>().is_ok() => {
            format!("; write {} without quotes", s.trim())
        }
        (Kind::Boolean, Found::Text(s)) if matches!(s.trim(), "true" | "false") => {
            format!("; write {} without quotes", s.trim())
        }
        (Kind::Text, Found::Number(_) | Found::Word(_)) if raw != "null" => format!("; put it in quotes: \"{raw}\""),
        (Kind::List, Found::Text(_) | Found::Number(_) | Found::Object) => {
            if raw.len() <= 40 && !raw.contains('\n') && !raw.is_empty() {
                format!("; put it in square brackets: [{raw}]")
            } else {
                "; put it in square brackets `[ ... ]`".to_owned()
            }
        }
        _ => String::new(),
    };
    format!("expected {}, but found {found}{hint}", expected.words)
}

// ---------------------------------------------------------------------------------------------------------------
// Type and value errors (serde's Category::Data).

fn data(problem: &str, text: &str, field: FieldPath, at: usize) -> Worded {
    if let Some(message) = unknown(problem, "unknown field `", "field") {
        // serde_path_to_error already names the unknown key in the path, and serde_json stopped right after it.
        return Worded { field, offset: at, message };
    }
    if let Some(name) = problem.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next()) {
        let message = format!("duplicate field \"{}\": each field may appear once", shorten(name));
        return Worded { field: field.key(name), offset: at, message };
    }
    if let Some(name) = problem.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        // Shown at the start of the object that lacks it: serde only notices at its end.
        let message = format!("required field \"{name}\" is missing");
        return Worded { offset: locate(text, field.segments()), field: field.key(name), message };
    }
    let is_mismatch = ["invalid type: ", "invalid value: ", "invalid length "].iter().any(|p| problem.starts_with(p));
    let field = if is_mismatch { nearest_known(field) } else { field };
    // The rest are best shown at the start of the value concerned.
    let offset = if field.is_root() { at } else { locate(text, field.segments()) };
    let message = if let Some(message) = unknown(problem, "unknown variant `", "value") {
        message
    } else if is_mismatch {
        mismatch(text, &field, offset)
    } else {
        // The format's own checks (format version, durations, text length) already speak plainly.
        problem.to_owned()
    };
    Worded { field, offset, message }
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a sentence with a suggestion.
fn unknown(message: &str, prefix: &str, noun: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    let (name, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let suggestion =
        did_you_mean(name, known.iter().copied()).map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default();
    let list = known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
    let name = shorten(name);
    Some(if noun == "field" {
        format!("unknown field \"{name}\"{suggestion} (known fields: {list})")
    } else {
        format!("\"{name}\" is not a known value{suggestion} (expected one of {list})")
    })
}

// ---------------------------------------------------------------------------------------------------------------
// A file that stops early (serde_json's Category::Eof).

fn cut_off(problem: &str, text: &str, field: FieldPath, at: usize) -> Worded {
    let (open, string_start) = open_at(text, text.len());
    // serde_json says "value" both for `"halfway": tr` and for `"halfway": ` with nothing after it; only the first
    // is cut inside a value, the second inside whatever holds it.
    let inside_value = problem.ends_with("a value") && !word_around(text, text.len()).1.is_empty();
    let what = match (string_start, open.last()) {
        (Some(start), _) => format!("text in quotes that starts at {}", line_and_column(text, start)),
        _ if inside_value => "a value".to_owned(),
        (None, Some((b'[', start))) => format!("a list `[ ... ]` that starts at {}", line_and_column(text, *start)),
        (None, Some((_, start))) => format!("an object `{{ ... }}` that starts at {}", line_and_column(text, *start)),
        (None, None) => "a value".to_owned(),
    };
    Worded { field, offset: at, message: format!("the file ends in the middle of {what} — is it cut off?") }
}

fn line_and_column(text: &str, offset: usize) -> String {
    let Position { line, column } = Position::of_offset(text, offset);
    format!("line {line}, column {column}")
}

// ---------------------------------------------------------------------------------------------------------------
// Broken punctuation (serde_json's Category::Syntax).

/// serde_json's syntax errors, by the text it gives them. `syntax_errors_are_recognised` below produces each one
/// that a sequence file can cause, so a serde_json release that rewords one shows up as a failing test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    TrailingComma,
    ExpectedColon,
    ObjectCommaOrEnd,
    ListCommaOrEnd,
    ExpectedValue,
    KeyMustBeAString,
    ControlCharacter,
    InvalidEscape,
    HalfOfAPair,
    InvalidCodePoint,
    InvalidNumber,
    NumberOutOfRange,
    TrailingCharacters,
    RecursionLimit,
}

fn classify_syntax(problem: &str) -> Option<Syntax> {
    Some(match problem {
        "trailing comma" => Syntax::TrailingComma,
        "expected `:`" => Syntax::ExpectedColon,
        "expected `,` or `}`" => Syntax::ObjectCommaOrEnd,
        "expected `,` or `]`" => Syntax::ListCommaOrEnd,
        "expected value" | "expected ident" => Syntax::ExpectedValue,
        // The last two concern maps with number keys, which the format does not have.
        "key must be a string" | "expected `\"`" | "invalid value: expected key to be a number in quotes" => {
            Syntax::KeyMustBeAString
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => Syntax::ControlCharacter,
        "invalid escape" => Syntax::InvalidEscape,
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" => Syntax::HalfOfAPair,
        "invalid unicode code point" => Syntax::InvalidCodePoint,
        "invalid number" => Syntax::InvalidNumber,
        "number out of range" => Syntax::NumberOutOfRange,
        "trailing characters" => Syntax::TrailingCharacters,
        "recursion limit exceeded" => Syntax::RecursionLimit,
        _ => return None,
    })
}

fn syntax(problem: &str, text: &str, field: FieldPath, at: usize) -> Worded {
    let here = char_at(text, at);
    let worded = |offset: usize, message: String| Worded { field: field.clone(), offset, message };
    let Some(kind) = classify_syntax(problem) else {
        return worded(at, "the punctuation is broken here: check the quotes, commas and brackets".to_owned());
    };
    if matches!(kind, Syntax::ObjectCommaOrEnd | Syntax::ListCommaOrEnd | Syntax::KeyMustBeAString)
        && let Some(message) = stray_closer(text, at)
    {
        return worded(at, message);
    }
    match kind {
        Syntax::TrailingComma => {
            let comma = end_of_previous(text, at).saturating_sub(1);
            let (noun, closer) = if here == Some('}') { ("field", '}') } else { ("item", ']') };
            worded(comma, format!("remove this comma: no {noun} follows it before the closing `{closer}`"))
        }
        Syntax::ExpectedColon => {
            let message = match key_before(text, at) {
                Some(key) => format!("the field name \"{}\" must be followed by a colon `:`", shorten(&key)),
                None => "a colon `:` must follow the field name".to_owned(),
            };
            worded(at, message)
        }
        Syntax::ObjectCommaOrEnd | Syntax::ListCommaOrEnd => {
            let (noun, closer) = if kind == Syntax::ObjectCommaOrEnd { ("field", '}') } else { ("item", ']') };
            let (start, word) = word_around(text, at);
            if start < at && here.is_some_and(is_word_char) {
                // `"duration": 30s`: a number glued to letters is text someone forgot to quote. serde_json read the
                // number as the field's value and moved on, so the path lacks the field: add it back.
                let field = match key_of_value(text, start) {
                    Some(key) if kind == Syntax::ObjectCommaOrEnd => field.key(&key),
                    _ => field.clone(),
                };
                let message = format!("text must be in double quotes: write \"{}\"", shorten(word));
                return Worded { field, offset: start, message };
            }
            if let Some(message) = comment(here) {
                return worded(at, message);
            }
            if here == Some('"') || here.is_some_and(|c| "{[0123456789-tfn".contains(c)) {
                let next = key_at(text, at)
                    .map_or_else(|| " and the next one".to_owned(), |k| format!(" and \"{}\"", shorten(&k)));
                let message = format!("a comma `,` is missing between this {noun}{next}");
                return worded(end_of_previous(text, at), message);
            }
            let message =
                format!("expected a comma `,` before the next {noun}, or `{closer}` to close the {}", container(noun));
            worded(at, message)
        }
        Syntax::ExpectedValue => value_expected(text, field, at),
        Syntax::KeyMustBeAString => {
            let (start, word) = word_around(text, at);
            let message = match here {
                Some('\'') => "use double quotes `\"` around field names, not single quotes".to_owned(),
                Some(',') => "there is a comma too many here (or a field is missing before it)".to_owned(),
                _ if !word.is_empty() => {
                    return worded(start, format!("field names must be in double quotes: write \"{}\"", shorten(word)));
                }
                c => comment(c).unwrap_or_else(|| "expected a field name in double quotes here".to_owned()),
            };
            worded(at, message)
        }
        Syntax::ControlCharacter => {
            let message = match here {
                Some('\n' | '\r') => {
                    "this text has no closing quote `\"` before the end of the line (for a line break inside text, \
                     write \\n)"
                        .to_owned()
                }
                Some('\t') => "a tab inside text in quotes is not allowed: write \\t or use spaces".to_owned(),
                Some(c) => {
                    format!("an invisible character (U+{:04X}) is inside this text; delete it", c as u32)
                }
                None => "an invisible character is inside this text; delete it".to_owned(),
            };
            worded(at, message)
        }
        Syntax::InvalidEscape => {
            let backslash = text[..at.min(text.len())].rfind('\\').unwrap_or(at);
            let message = if text[backslash..].starts_with("\\u") {
                "`\\u` must be followed by four hex digits (0-9, a-f), e.g. \\u00e9; or type the character itself"
                    .to_owned()
            } else {
                let escape: String = text[backslash..].chars().take(2).collect();
                format!(
                    "`{escape}` is not allowed in text: a backslash starts a code like \\n (new line) or \\\" (quote); \
                     write \\\\ for a backslash itself"
                )
            };
            worded(backslash, message)
        }
        Syntax::HalfOfAPair => {
            // The leading half is a \uD800-\uDBFF code; what follows it was not the trailing half.
            let before = &text[..at.min(text.len())];
            let backslash = before
                .rmatch_indices("\\u")
                .map(|(i, _)| i)
                .find(|i| {
                    before
                        .get(i + 2..i + 4)
                        .is_some_and(|hex| matches!(hex, "d8" | "d9" | "da" | "db" | "D8" | "D9" | "DA" | "DB"))
                })
                .unwrap_or(at);
            let shown: String = text[backslash..].chars().take(6).collect();
            let message = format!(
                "`{shown}` is only half of a character code (emoji and some symbols need two \\u codes); type the \
                 character itself instead"
            );
            worded(backslash, message)
        }
        Syntax::InvalidCodePoint => {
            worded(at, "this text has an invalid character code; type the character itself".to_owned())
        }
        Syntax::InvalidNumber => {
            let (start, word) = word_around(text, at);
            worded(start, invalid_number(word))
        }
        Syntax::NumberOutOfRange => {
            let (start, word) = word_around(text, at);
            worded(start, format!("{} is far too large a number", shorten(word)))
        }
        Syntax::TrailingCharacters if !field.is_root() => {
            // serde reads an object written as a list item by item and stops at the first item too many.
            let offset = locate(text, field.segments());
            worded(offset, mismatch(text, &field, offset))
        }
        Syntax::TrailingCharacters => {
            let end = end_of_previous(text, at).saturating_sub(1);
            let message = format!(
                "the sequence ends with the `}}` at {}, but more text follows here: remove it, or look for a `}}` \
                 that closes the sequence too early",
                line_and_column(text, end)
            );
            worded(at, message)
        }
        Syntax::RecursionLimit => worded(
            at,
            "lists and objects are nested more than 128 deep here; a sequence file needs only a few".to_owned(),
        ),
    }
}

fn container(noun: &str) -> &'static str {
    if noun == "field" { "object" } else { "list" }
}

/// serde_json stops at the first thing that cannot start a value: explains a bare word, a quote of the wrong kind, a
/// missing value, or a value of the wrong kind where a code was expected.
fn value_expected(text: &str, field: FieldPath, at: usize) -> Worded {
    let field = nearest_known(field);
    let expected = expected_at(&field);
    let starts = locate(text, field.segments());
    // serde_json reads a code (`"technique": "rest"`) only from text, so any other complete value stops it here.
    // `found_at` gives source text only for a value that parses on its own.
    let complete = char_at(text, at).is_some_and(|c| !c.is_whitespace()) && !found_at(text, at).1.is_empty();
    let is_value = complete
        || (!field.is_root()
            && starts <= at
            && matches!(text.as_bytes().get(starts), Some(b'{' | b'['))
            && expected.as_ref().is_some_and(|e| e.kind.is_single_value()));
    if is_value {
        let offset = if complete { at } else { starts };
        let message = mismatch(text, &field, offset);
        return Worded { field, offset, message };
    }
    let what = expected.as_ref().map_or("a value", |e| e.words.as_str());
    let here = char_at(text, at);
    let (start, word) = word_around(text, at);
    if let Some(message) = comment(here) {
        return Worded { field, offset: at, message };
    }
    let (offset, message) = match here {
        Some('\'') => (at, "use double quotes `\"` around text, not single quotes".to_owned()),
        Some(':') => (at, "there is a colon `:` too many here".to_owned()),
        _ if matches!(word.to_ascii_lowercase().as_str(), "true" | "false" | "null") => {
            (start, format!("write {} in small letters", word.to_ascii_lowercase()))
        }
        _ if word.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) => (start, invalid_number(word)),
        _ if !word.is_empty()
            && expected.as_ref().is_none_or(|e| matches!(e.kind, Kind::Text | Kind::Code | Kind::Duration)) =>
        {
            (start, format!("text must be in double quotes: write \"{}\"", shorten(word)))
        }
        _ if !word.is_empty() => (start, format!("expected {what}, but found {}", shorten(word))),
        None | Some(',' | '}' | ']') => (at, format!("the value is missing: expected {what}")),
        _ => (at, format!("expected {what} here")),
    };
    Worded { field, offset, message }
}

fn invalid_number(word: &str) -> String {
    format!(
        "{} is not a number as a sequence file writes it: write whole numbers like 2 or 90 and decimals like 1.5",
        shorten(word)
    )
}

fn comment(here: Option<char>) -> Option<String> {
    matches!(here, Some('/' | '#'))
        .then(|| "comments are not allowed in a sequence file; put remarks in a \"notes\" text".to_owned())
}

/// A `}` or `]` at `at` that does not match the innermost open bracket.
fn stray_closer(text: &str, at: usize) -> Option<String> {
    let closer = char_at(text, at).filter(|c| matches!(c, '}' | ']'))?;
    let (open, _) = open_at(text, at);
    let (opener, start) = *open.last()?;
    let (name, kinds, wanted) =
        if opener == b'{' { ("object `{`", "objects", '}') } else { ("list `[`", "lists", ']') };
    (closer != wanted).then(|| {
        format!(
            "this `{closer}` does not match the {name} that starts at {} ({kinds} close with `{wanted}`): is there a \
             `{closer}` too many before it, or should this be `{wanted}`?",
            line_and_column(text, start)
        )
    })
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The offset just after the last non-blank character before `at`.
fn end_of_previous(text: &str, at: usize) -> usize {
    text.get(..at).map_or(at, |before| before.trim_end().len())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.')
}

/// The run of word characters that contains `at` or ends just before it, with its start offset.
fn word_around(text: &str, at: usize) -> (usize, &str) {
    let at = at.min(text.len());
    let Some(before) = text.get(..at) else { return (at, "") };
    let start = before.char_indices().rev().take_while(|(_, c)| is_word_char(*c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|(_, c)| !is_word_char(*c)).map_or(text.len(), |(i, _)| at + i);
    (start, &text[start..end])
}

/// The quoted string that ends just before `at` (skipping blanks), as written.
fn key_before(text: &str, at: usize) -> Option<String> {
    let end = end_of_previous(text, at);
    let before = text.get(..end)?.strip_suffix('"')?;
    let start = before.rfind('"')?;
    Some(before[start + 1..].to_owned())
}

/// The field name whose value starts at `at`: the string before the colon before it.
fn key_of_value(text: &str, at: usize) -> Option<String> {
    let colon = end_of_previous(text, at).checked_sub(1)?;
    (text.as_bytes().get(colon) == Some(&b':')).then(|| key_before(text, colon)).flatten()
}

/// The field name that starts at `at`, if a string followed by a colon does.
fn key_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?.strip_prefix('"')?;
    let (key, after) = rest.split_once('"')?;
    after.trim_start().starts_with(':').then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::schema::schema;

    /// Every path in the JSON Schema, with one index standing for each array.
    fn schema_paths(node: &serde_json::Value, defs: &serde_json::Value, path: FieldPath, out: &mut Vec<FieldPath>) {
        if let Some(reference) = node.get("$ref").and_then(|r| r.as_str()) {
            let name = reference.trim_start_matches("#/$defs/");
            schema_paths(&defs[name], defs, path.clone(), out);
        }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            for alternative in node.get(combinator).and_then(|a| a.as_array()).into_iter().flatten() {
                schema_paths(alternative, defs, path.clone(), out);
            }
        }
        if let Some(items) = node.get("items") {
            schema_paths(items, defs, path.index(0), out);
        }
        for (key, property) in node.get("properties").and_then(|p| p.as_object()).into_iter().flatten() {
            out.push(path.key(key));
            schema_paths(property, defs, path.key(key), out);
        }
        if node.get("items").is_some() {
            out.push(path.index(0));
        }
    }

    #[test]
    fn every_field_of_the_format_has_words_for_what_it_expects() {
        let schema = serde_json::to_value(schema()).unwrap();
        let mut paths = vec![FieldPath::root()];
        schema_paths(&schema, &schema["$defs"], FieldPath::root(), &mut paths);
        assert!(paths.len() > 30, "{paths:?}");
        for path in paths {
            let expected = expected_at(&path).unwrap_or_else(|| panic!("no words for {path}"));
            for jargon in ["sequence", "map", "u32", "usize", "struct", "string"] {
                assert!(!expected.words.contains(jargon), "{path}: {}", expected.words);
            }
        }
        assert_eq!(expected_at(&FieldPath::root().key("steps").index(0).key("colour")), None);
    }

    #[test]
    fn codes_come_from_the_enums_themselves() {
        assert_eq!(codes_of::<Audience>(), ["therapist", "self-care"]);
        assert_eq!(codes_of::<Technique>().len(), Technique::ALL.len());
        assert_eq!(codes_of::<Precaution>().len(), Precaution::ALL.len());
        assert!(codes_of::<Side>().contains(&"left-then-right"));
        assert!(codes_of::<DirectionKind>().contains(&"counter-clockwise"));
        assert_eq!(codes_of::<String>(), [] as [&str; 0]);
        assert_eq!(one_of(&["a", "b", "c"]), "\"a\", \"b\" or \"c\"");
    }

    fn error_of(text: &str) -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>(text).unwrap_err()
    }

    #[test]
    fn syntax_errors_are_recognised() {
        // Every syntax error serde_json can raise while reading a sequence from text; the number-key ones cannot
        // happen (the format has no maps with number keys) and are left out.
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        for (text, kind) in [
            ("[1,]", Syntax::TrailingComma),
            ("{\"a\" 1}", Syntax::ExpectedColon),
            ("{\"a\": 1 \"b\": 2}", Syntax::ObjectCommaOrEnd),
            ("[1 2]", Syntax::ListCommaOrEnd),
            ("[x]", Syntax::ExpectedValue),
            ("[tx]", Syntax::ExpectedValue),
            ("{a: 1}", Syntax::KeyMustBeAString),
            ("[\"a\tb\"]", Syntax::ControlCharacter),
            ("[\"a\\qb\"]", Syntax::InvalidEscape),
            ("[\"\\ud800\\u0041\"]", Syntax::HalfOfAPair),
            ("[\"\\ud800x\"]", Syntax::HalfOfAPair),
            ("[01]", Syntax::InvalidNumber),
            ("[1e999]", Syntax::NumberOutOfRange),
            ("[1] 2", Syntax::TrailingCharacters),
            (deep.as_str(), Syntax::RecursionLimit),
        ] {
            let err = error_of(text);
            assert_eq!(err.classify(), Category::Syntax, "{text}");
            let full = err.to_string();
            let problem = &full[..full.rfind(" at line ").unwrap()];
            assert_eq!(classify_syntax(problem), Some(kind), "{text}: {problem}");
        }
    }

    #[test]
    fn the_deepest_nesting_and_a_bad_code_point_still_read_plainly() {
        // Neither can be reached through the typed parse (it refuses deep values at once, and reads valid UTF-8),
        // so they are checked on serde_json's own errors.
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let worded = json_error(&error_of(&deep), &deep, FieldPath::root());
        assert_eq!(worded.offset, 127);
        assert_eq!(
            worded.message,
            "lists and objects are nested more than 128 deep here; a sequence file needs only a few"
        );
        assert_eq!(
            syntax("invalid unicode code point", "[\"x\"]", FieldPath::root(), 1).message,
            "this text has an invalid character code; type the character itself"
        );
        assert!(syntax("a new serde_json message", "[]", FieldPath::root(), 0).message.contains("punctuation"));
    }

    #[test]
    fn offsets_from_serde_point_at_the_character_it_stopped_on() {
        let text = "{\n  \"a\": \"x\n\"}";
        assert_eq!(serde_offset(text, 1, 1), 0);
        assert_eq!(serde_offset(text, 2, 3), 4);
        // Column 0: the line break at the end of line 2.
        assert_eq!(serde_offset(text, 3, 0), text.find("x\n").unwrap() + 1);
        // serde_json stops on the second byte of ö after reading four bytes of a \u code.
        let text = "[\"\\u12ö4\"]";
        let err = error_of(text);
        assert_eq!(serde_offset(text, err.line(), err.column()), text.find('ö').unwrap());
        assert!(json_error(&err, text, FieldPath::root()).message.starts_with("`\\u` must be followed"));
    }

    #[test]
    fn words_around_a_position() {
        assert_eq!(word_around("[30s]", 3), (1, "30s"));
        assert_eq!(word_around("[tru}", 4), (1, "tru"));
        assert_eq!(word_around("[ , ]", 2), (2, ""));
        assert_eq!(key_before("{\"title\"  \"x\"", 10), Some("title".to_owned()));
        assert_eq!(key_at("\"b\": 1", 0), Some("b".to_owned()));
        assert_eq!(key_of_value("{\"duration\": 90s}", 13), Some("duration".to_owned()));
        assert_eq!(key_of_value("[90s]", 1), None);
        assert_eq!(key_at("\"b\"]", 0), None);
    }
}
