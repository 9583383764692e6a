//! Writing a sequence back to JSON in one canonical form: what the editor saves and `stillpoint fmt` produces.
//! Two-space indentation, `$schema` first, fields in the format's documented order, defaults left out, a final
//! newline. Reading the result gives back the same sequence, and writing it again gives the same bytes.

use serde_json::{Map, Value};

use super::format::SequenceDocument;

/// Where the schema sits beside the user's sequence files (the editor writes it there), for JSON-aware editors.
pub const SCHEMA_REFERENCE: &str = "schema/sequence.schema.json";

/// The canonical text of `document`.
pub fn write_sequence(document: &SequenceDocument) -> String {
    let mut value = serde_json::to_value(document).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        drop_empty(fields, "precautions");
        drop_empty(fields, "cues");
        if let Some(Value::Array(steps)) = fields.get_mut("steps") {
            for step in steps {
                if let Value::Object(step) = step {
                    drop_empty(step, "cues");
                }
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// `[]` and `{}` say nothing a missing field does not.
fn drop_empty(fields: &mut Map<String, Value>, key: &str) {
    let empty = match fields.get(key) {
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(inner)) => inner.is_empty(),
        _ => false,
    };
    if empty {
        fields.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::library::bundled_files;
    use crate::sequence::parse_sequence;

    #[test]
    fn every_bundled_sequence_survives_the_round_trip_and_settles_in_one_write() {
        for (name, text) in bundled_files() {
            let sequence = parse_sequence(name, text.as_bytes()).unwrap();
            let written = write_sequence(sequence.document());
            let again = parse_sequence(name, written.as_bytes()).unwrap_or_else(|p| panic!("{name}: {p:?}"));
            assert_eq!(again.document(), sequence.document(), "{name}: the meaning is unchanged");
            assert_eq!(
                again.plan(&Default::default()),
                sequence.plan(&Default::default()),
                "{name}: the played plan is unchanged"
            );
            assert_eq!(write_sequence(again.document()), written, "{name}: writing twice changes nothing");
            assert!(written.starts_with("{\n  \"$schema\"") || !text.contains("$schema"), "{name}");
            assert!(!written.contains("\"precautions\": []") && !written.contains("\"cues\": {}"), "{name}");
        }
    }
}
