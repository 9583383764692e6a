//! Rejects JSON shapes serde would quietly accept but the format does not allow: an object written as an array
//! (`"pressure": [2, "p"]`) or a code written as an object (`"technique": {"rest": null}`). Without this check the
//! order of Rust struct fields would become part of the file format. What was expected is worded by `wording`.

use serde_json::Value;

use super::diagnostic::FieldPath;

/// Step fields whose value must be an object.
const STEP_OBJECTS: [&str; 4] = ["until_release", "pressure", "direction", "cues"];
/// Step fields whose value must be a string code.
const STEP_CODES: [&str; 2] = ["technique", "side"];

/// Where a value has the wrong shape; the parser words it from what the format expects there.
type Misshapen = FieldPath;

/// The first place where `document` has the wrong shape.
pub fn check_shapes(document: &Value) -> Result<(), Misshapen> {
    let root = FieldPath::root();
    expect_object(document, &root)?;
    let Some(object) = document.as_object() else { return Ok(()) };
    if let Some(cues) = object.get("cues") {
        expect_object(cues, &root.key("cues"))?;
    }
    if let Some(audience) = object.get("audience") {
        expect_code(audience, &root.key("audience"))?;
    }
    if let Some(Value::Array(precautions)) = object.get("precautions") {
        for (i, code) in precautions.iter().enumerate() {
            expect_code(code, &root.key("precautions").index(i))?;
        }
    }
    let Some(Value::Array(steps)) = object.get("steps") else { return Ok(()) };
    for (i, step) in steps.iter().enumerate() {
        let path = root.key("steps").index(i);
        expect_object(step, &path)?;
        let Some(step) = step.as_object() else { continue };
        for field in STEP_OBJECTS {
            if let Some(value) = step.get(field) {
                expect_object(value, &path.key(field))?;
            }
        }
        for field in STEP_CODES {
            if let Some(value) = step.get(field) {
                expect_code(value, &path.key(field))?;
            }
        }
        if let Some(kind) = step.get("direction").and_then(|d| d.get("kind")) {
            expect_code(kind, &path.key("direction").key("kind"))?;
        }
    }
    Ok(())
}

/// Objects pass; so does null, which the typed parse has already judged where it matters.
fn expect_object(value: &Value, path: &FieldPath) -> Result<(), Misshapen> {
    match value {
        Value::Object(_) | Value::Null => Ok(()),
        _ => Err(path.clone()),
    }
}

fn expect_code(value: &Value, path: &FieldPath) -> Result<(), Misshapen> {
    match value {
        Value::String(_) | Value::Null => Ok(()),
        _ => Err(path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(json: &str) -> Option<String> {
        check_shapes(&serde_json::from_str(json).unwrap()).err().map(|path| path.to_string())
    }

    #[test]
    fn arrays_for_objects_and_objects_for_codes_are_refused() {
        assert_eq!(problem(r#"[1, "x"]"#).as_deref(), Some(""));
        let step_as_array = r#"{"steps": [{"technique": "rest"}, ["rest", null]]}"#;
        assert_eq!(problem(step_as_array).as_deref(), Some("steps[1]"));
        let pressure = r#"{"steps": [{"technique": "rest", "pressure": [2, "p"]}]}"#;
        assert_eq!(problem(pressure).as_deref(), Some("steps[0].pressure"));
        let technique = r#"{"steps": [{"technique": {"rest": null}}]}"#;
        assert_eq!(problem(technique).as_deref(), Some("steps[0].technique"));
        assert_eq!(problem(r#"{"audience": {"self-care": null}}"#).as_deref(), Some("audience"));
        let kind = r#"{"steps": [{"technique": "rest", "direction": {"kind": ["apart"]}}]}"#;
        assert_eq!(problem(kind).as_deref(), Some("steps[0].direction.kind"));
    }

    #[test]
    fn the_documented_shapes_pass() {
        let fine = r#"{"audience": "therapist", "cues": {"at": ["90s"]}, "precautions": ["pregnancy"],
            "steps": [{"technique": "rest", "side": "left", "until_release": {"min": "1m", "max": "2m"},
                       "pressure": {"level": 1}, "direction": {"kind": "apart"}, "cues": {}}]}"#;
        assert_eq!(problem(fine), None);
    }
}
