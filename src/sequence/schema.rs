//! The JSON Schema of the sequence format, generated from the Rust types so it can never drift from the parser.

use super::format::SequenceDocument;

/// Where the committed copy lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "sequences/schema/sequence.schema.json";

pub fn schema() -> schemars::Schema {
    schemars::schema_for!(SequenceDocument)
}

/// The schema as committed: pretty-printed with a trailing newline.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}
