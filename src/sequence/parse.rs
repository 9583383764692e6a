//! Turns the bytes of a sequence file into a validated [`Sequence`], or into positioned diagnostics; never panics.

use serde_json::error::Category;

use super::Sequence;
use super::content_hash;
use super::diagnostic::{Diagnostic, FieldPath, Position, Segment, shorten};
use super::format::SequenceDocument;
use super::locate::locate;
use super::shape::check_shapes;
use super::suggest::did_you_mean;
use super::validate::validate;

/// Sequence files larger than this are refused before parsing: no hand-written sequence comes close.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Parses and validates one file. `origin` is how the file is named in messages.
pub fn parse_sequence(origin: &str, bytes: &[u8]) -> Result<Sequence, Vec<Diagnostic>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::file_level(
            origin,
            format!("the file is {} bytes; sequence files are limited to 1 MiB", bytes.len()),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition, so the position can be computed on it.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            return Err(vec![Diagnostic {
                origin: origin.to_owned(),
                position: Some(Position::of_offset(prefix, prefix.len())),
                field: FieldPath::root(),
                message: format!("invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8", bytes[err.valid_up_to()]),
            }]);
        }
    };
    // A byte-order mark is what some editors add to UTF-8; it is not an error worth bothering anyone with.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    if let Some(first) = text.trim_start().chars().next()
        && first != '{'
    {
        let offset = text.len() - text.trim_start().len();
        return Err(vec![Diagnostic {
            origin: origin.to_owned(),
            position: Some(Position::of_offset(text, offset)),
            field: FieldPath::root(),
            message: format!(
                "a sequence file is one JSON object ({{ \"format\": 1, ... }}), but this one starts with '{first}'"
            ),
        }]);
    }
    let document = deserialize(origin, text).map_err(|d| vec![d])?;
    // The typed parse accepted the text, so it is JSON; a second, untyped parse checks what serde is lenient about.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
        && let Err((field, message)) = check_shapes(&value)
    {
        return Err(vec![Diagnostic {
            origin: origin.to_owned(),
            position: Some(Position::of_offset(text, locate(text, field.segments()))),
            field,
            message: message.to_owned(),
        }]);
    }
    let problems = validate(&document);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|problem| Diagnostic {
                origin: origin.to_owned(),
                position: Some(Position::of_offset(text, locate(text, problem.field.segments()))),
                field: problem.field,
                message: problem.message,
            })
            .collect());
    }
    let id_position = Position::of_offset(text, locate(text, FieldPath::root().key("id").segments()));
    Ok(Sequence::new(origin.to_owned(), document, id_position, content_hash(bytes)))
}

fn deserialize(origin: &str, text: &str) -> Result<SequenceDocument, Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let field = FieldPath::from(
            err.path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { variant } => Some(Segment::Key(variant.clone())),
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect::<Vec<_>>(),
        );
        (field, err.into_inner())
    });
    let (field, err) = match result.and_then(|document| match deserializer.end() {
        Ok(()) => Ok(document),
        Err(err) => Err((FieldPath::root(), err)),
    }) {
        Ok(document) => return Ok(document),
        Err(failure) => failure,
    };

    let message = explain(&err, text);
    // serde names a repeated or missing key only in its message; put it in the path like every other field. A
    // missing field is best shown at the start of the object that lacks it.
    let repeated = message.strip_prefix("duplicate field \"").and_then(|rest| rest.split('"').next());
    let missing = message.strip_prefix("required field \"").and_then(|rest| rest.split('"').next());
    if let Some(key) = missing {
        let position = Position::of_offset(text, locate(text, field.segments()));
        return Err(Diagnostic { origin: origin.to_owned(), position: Some(position), field: field.key(key), message });
    }
    let field = match repeated {
        Some(key) => field.key(key),
        None => field,
    };
    let reported = Position::of_offset(text, serde_offset(text, err.line(), err.column()));
    // Type and range errors are best shown at the start of the offending value; serde reports where it stopped
    // reading. Key-level errors (unknown or repeated fields) are already at the key.
    let position = if err.classify() == Category::Data && !field.is_root() && !is_key_error(&message) {
        Position::of_offset(text, locate(text, field.segments()))
    } else {
        reported
    };
    Err(Diagnostic { origin: origin.to_owned(), position: Some(position), field, message })
}

fn is_key_error(message: &str) -> bool {
    message.starts_with("unknown field") || message.starts_with("duplicate field")
}

/// serde_json counts columns in bytes from 1 (0 before the first byte of a line); turn that into a byte offset.
fn serde_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    line_start + column.saturating_sub(1)
}

/// serde_json's message without its " at line N column M" suffix, reworded where a person needs more help.
fn explain(err: &serde_json::Error, text: &str) -> String {
    let full = err.to_string();
    let base = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    if err.classify() == Category::Eof && text.trim().is_empty() {
        return "the file is empty; a sequence file is one JSON object".to_owned();
    }
    if let Some(better) = explain_unknown(base, "unknown field `", "field") {
        return better;
    }
    if let Some(better) = explain_unknown(base, "unknown variant `", "value") {
        return better;
    }
    if let Some(name) = base.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next()) {
        return format!("duplicate field \"{}\": each field may appear once", shorten(name));
    }
    if let Some(name) = base.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        return format!("required field \"{name}\" is missing");
    }
    base.replace("struct SequenceDocument", "a sequence object ({ \"format\": 1, ... })")
        .replace("struct StepSpec", "a step object ({ \"technique\": ..., \"duration\": ... })")
        .replace("struct CueSpec", "a cues object")
        .replace("struct UntilRelease", "an object like {\"min\": \"90s\", \"max\": \"5m\"}")
        .replace("struct PressureSpec", "an object like {\"level\": 2, \"prompt\": \"...\"}")
        .replace("struct DirectionSpec", "an object like {\"kind\": \"apart\", \"prompt\": \"...\"}")
        .replace("enum ", "")
        .replace('`', "\"")
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a sentence with a suggestion.
fn explain_unknown(message: &str, prefix: &str, noun: &str) -> Option<String> {
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
