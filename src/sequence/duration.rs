//! The duration notation used in sequence files: `"90s"`, `"4m"`, `"2m30s"`, `"1h"` or a whole number of seconds.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What every duration error message ends with, so a person writing a file by hand knows what to type.
pub const DURATION_HINT: &str = r#"write "4m", "90s", "2m30s" or seconds"#;

/// A length of time as written in a sequence file. Whole seconds only: a hand-held hold has no use for less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DurationSpec(Duration);

impl DurationSpec {
    pub const fn from_secs(secs: u64) -> Self {
        Self(Duration::from_secs(secs))
    }

    pub const fn duration(self) -> Duration {
        self.0
    }

    pub const fn as_secs(self) -> u64 {
        self.0.as_secs()
    }
}

impl From<DurationSpec> for Duration {
    fn from(spec: DurationSpec) -> Self {
        spec.0
    }
}

/// Why a duration text was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationSyntaxError;

/// Parses `"90s"`, `"4m"`, `"2m30s"`, `"1h15m"` (units in descending order, each at most once) or plain digits.
pub fn parse_duration(text: &str) -> Result<DurationSpec, DurationSyntaxError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationSyntaxError);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().map(DurationSpec::from_secs).map_err(|_| DurationSyntaxError);
    }
    let mut total: u64 = 0;
    let mut rest = text;
    // Units must appear largest first and at most once: "30s2m" is more likely a typo than intent.
    let mut allowed_units: &[(char, u64)] = &[('h', 3600), ('m', 60), ('s', 1)];
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(DurationSyntaxError);
        }
        let value: u64 = rest[..digits].parse().map_err(|_| DurationSyntaxError)?;
        let unit = rest[digits..].chars().next().ok_or(DurationSyntaxError)?;
        let position = allowed_units.iter().position(|(u, _)| *u == unit).ok_or(DurationSyntaxError)?;
        let factor = allowed_units[position].1;
        total = value.checked_mul(factor).and_then(|v| total.checked_add(v)).ok_or(DurationSyntaxError)?;
        allowed_units = &allowed_units[position + 1..];
        rest = &rest[digits + unit.len_utf8()..];
    }
    Ok(DurationSpec::from_secs(total))
}

/// Formats as the file notation, e.g. `2m30s`, so what we print can be pasted back into a file.
impl fmt::Display for DurationSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
        if secs == 0 {
            return f.write_str("0s");
        }
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

impl Serialize for DurationSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;

        impl Visitor<'_> for DurationVisitor {
            type Value = DurationSpec;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a duration ({DURATION_HINT})")
            }

            fn visit_u64<E: de::Error>(self, secs: u64) -> Result<DurationSpec, E> {
                Ok(DurationSpec::from_secs(secs))
            }

            fn visit_i64<E: de::Error>(self, secs: i64) -> Result<DurationSpec, E> {
                u64::try_from(secs)
                    .map(DurationSpec::from_secs)
                    .map_err(|_| E::custom(format_args!("{secs} is negative; {DURATION_HINT}")))
            }

            fn visit_f64<E: de::Error>(self, secs: f64) -> Result<DurationSpec, E> {
                // 90.0 is a whole number of seconds written with a decimal point; 1.5 is not.
                if secs.fract() == 0.0 && (0.0..=1e15).contains(&secs) {
                    Ok(DurationSpec::from_secs(secs as u64))
                } else {
                    Err(E::custom(format_args!("{secs} is not a whole number of seconds; {DURATION_HINT}")))
                }
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DurationSpec, E> {
                parse_duration(text).map_err(|_| {
                    let shown: String = text.chars().take(60).collect();
                    E::custom(format_args!("{shown:?} is not a duration ({DURATION_HINT})"))
                })
            }
        }

        deserializer.deserialize_any(DurationVisitor)
    }
}

impl JsonSchema for DurationSpec {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A length of time: \"90s\", \"4m\", \"2m30s\", \"1h\", or a whole number of seconds.",
            "oneOf": [
                {
                    "type": "string",
                    "pattern": "^\\s*([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s|[0-9]+)\\s*$"
                },
                { "type": "integer", "minimum": 0 }
            ],
            "examples": ["90s", "4m", "2m30s", 45]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<u64> {
        parse_duration(text).ok().map(DurationSpec::as_secs)
    }

    #[test]
    fn accepts_the_documented_notations() {
        assert_eq!(secs("90s"), Some(90));
        assert_eq!(secs("4m"), Some(240));
        assert_eq!(secs("2m30s"), Some(150));
        assert_eq!(secs("1h"), Some(3600));
        assert_eq!(secs("1h5s"), Some(3605));
        assert_eq!(secs("45"), Some(45));
        assert_eq!(secs(" 10s "), Some(10));
    }

    #[test]
    fn rejects_prose_and_disordered_units() {
        for bad in ["", "4 minutes", "m", "30s2m", "2m2m", "1.5m", "-5s", "5x", "s30", "2m 30s"] {
            assert_eq!(secs(bad), None, "{bad:?} should be rejected");
        }
        assert_eq!(secs("99999999999999999999h"), None, "overflow must be an error, not a panic");
    }

    #[test]
    fn display_round_trips_through_the_parser() {
        for value in [0, 1, 59, 60, 61, 150, 3600, 3661, 28_800] {
            let spec = DurationSpec::from_secs(value);
            assert_eq!(parse_duration(&spec.to_string()), Ok(spec), "{value}s printed as {spec}");
        }
        assert_eq!(DurationSpec::from_secs(150).to_string(), "2m30s");
    }

    #[test]
    fn deserializes_numbers_and_strings_with_a_helpful_error() {
        let from_str: DurationSpec = serde_json::from_str("\"2m30s\"").unwrap();
        assert_eq!(from_str.as_secs(), 150);
        let from_int: DurationSpec = serde_json::from_str("90").unwrap();
        assert_eq!(from_int.as_secs(), 90);
        let err = serde_json::from_str::<DurationSpec>("\"4 minutes\"").unwrap_err().to_string();
        assert!(err.contains(r#""4 minutes" is not a duration (write "4m""#), "{err}");
        let err = serde_json::from_str::<DurationSpec>("1.5").unwrap_err().to_string();
        assert!(err.contains("whole number of seconds"), "{err}");
        assert_eq!(serde_json::from_str::<DurationSpec>("90.0").unwrap().as_secs(), 90);
    }
}
