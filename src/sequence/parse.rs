//! Turns the bytes of a sequence file into a validated [`Sequence`], or into positioned diagnostics; never panics.

use super::Sequence;
use super::content_hash;
use super::diagnostic::{Diagnostic, FieldPath, Position, Segment};
use super::format::SequenceDocument;
use super::locate::locate;
use super::shape::check_shapes;
use super::validate::validate;
use super::wording::{self, Worded};

/// Sequence files larger than this are refused before parsing: no hand-written sequence comes close.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Parses and validates one file. `origin` is how the file is named in messages.
pub fn parse_sequence(origin: &str, bytes: &[u8]) -> Result<Sequence, Vec<Diagnostic>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::file_level(origin, wording::too_large(bytes.len()))]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition, so the position can be computed on it.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            // No error length means the bytes stop in the middle of a character: the file was cut short.
            let message = match err.error_len() {
                Some(_) => wording::invalid_utf8(bytes[err.valid_up_to()]),
                None => wording::CUT_OFF_CHARACTER.to_owned(),
            };
            return Err(vec![Diagnostic {
                origin: origin.to_owned(),
                position: Some(Position::of_offset(prefix, prefix.len())),
                field: FieldPath::root(),
                message,
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
            message: wording::not_an_object(first),
        }]);
    }
    let document = deserialize(origin, text).map_err(|d| vec![d])?;
    // The typed parse accepted the text, so it is JSON; a second, untyped parse checks what serde is lenient about.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
        && let Err(field) = check_shapes(&value)
    {
        return Err(vec![diagnostic(origin, text, wording::misshapen(text, field))]);
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
                    // Every enum in the format is a code in quotes; `{"rest": 1}` is a wrong technique, not a field.
                    serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => None,
                })
                .collect::<Vec<_>>(),
        );
        (field, err.into_inner())
    });
    match result.and_then(|document| match deserializer.end() {
        Ok(()) => Ok(document),
        Err(err) => Err((FieldPath::root(), err)),
    }) {
        Ok(document) => Ok(document),
        Err((field, err)) => Err(diagnostic(origin, text, wording::json_error(&err, text, field))),
    }
}

fn diagnostic(origin: &str, text: &str, worded: Worded) -> Diagnostic {
    Diagnostic {
        origin: origin.to_owned(),
        position: Some(Position::of_offset(text, worded.offset)),
        field: worded.field,
        message: worded.message,
    }
}
