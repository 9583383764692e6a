//! The committed JSON Schema matches the Rust types, and an independent validator agrees with our loader.

use std::path::Path;

use serde_json::Value;
use stillpoint::sequence::library::bundled_files;
use stillpoint::sequence::parse_sequence;
use stillpoint::sequence::schema::{SCHEMA_PATH, schema_json};

fn committed_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
    let text = std::fs::read_to_string(&path).expect("the schema is committed");
    assert!(text == schema_json(), "{SCHEMA_PATH} is out of date: run `cargo run -- schema > {SCHEMA_PATH}`");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_bundled_sequence_passes_both_validators() {
    let validator = jsonschema::validator_for(&committed_schema()).expect("the schema compiles");
    assert!(bundled_files().len() >= 12, "the library ships at least a dozen sequences");
    for (name, text) in bundled_files() {
        let instance: Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{name} fails the JSON Schema: {errors:#?}");
        if let Err(problems) = parse_sequence(name, text.as_bytes()) {
            panic!("{name} fails our loader: {problems:#?}");
        }
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = jsonschema::validator_for(&committed_schema()).unwrap();
    let base = serde_json::json!({
        "format": 1, "id": "schema-check", "title": "T", "summary": "S", "audience": "self-care",
        "steps": [{"technique": "rest", "duration": "30s", "pressure": {"level": 0}}]
    });
    assert!(validator.is_valid(&base));
    let mut broken = Vec::new();
    for (label, pointer, value) in [
        ("duration in words", "/steps/0/duration", serde_json::json!("4 minutes")),
        ("pressure above 4", "/steps/0/pressure/level", serde_json::json!(7)),
        ("unknown technique", "/steps/0/technique", serde_json::json!("sustained_hold")),
        ("format 2", "/format", serde_json::json!(2)),
        ("not kebab-case", "/id", serde_json::json!("Not_Kebab")),
    ] {
        let mut instance = base.clone();
        *instance.pointer_mut(pointer).unwrap() = value;
        if validator.is_valid(&instance) {
            broken.push(label);
        }
        let text = serde_json::to_string(&instance).unwrap();
        assert!(parse_sequence("x.json", text.as_bytes()).is_err(), "loader accepted {label}");
    }
    let mut typo = base.clone();
    typo["steps"][0]["durration"] = serde_json::json!("30s");
    if validator.is_valid(&typo) {
        broken.push("unknown field");
    }
    assert!(broken.is_empty(), "the schema accepted: {broken:?}");
}

#[test]
fn every_field_has_hover_text() {
    let schema = committed_schema();
    let defs = schema["$defs"].as_object().unwrap();
    let mut objects = vec![("SequenceDocument".to_owned(), &schema)];
    objects.extend(defs.iter().map(|(name, def)| (name.clone(), def)));
    for (name, object) in objects {
        let Some(properties) = object.get("properties").and_then(Value::as_object) else { continue };
        for (field, property) in properties {
            if field == "$schema" || property.get("description").is_some() {
                continue;
            }
            panic!("{name}.{field} has no description in the schema");
        }
    }
}
