//! Problems found in a sequence file, each tied to a file, a line:column and a field path so it can be fixed by hand.

use std::fmt;

/// One step of a field path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where in the document a problem is, written the way a person reads it: `steps[2].duration`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self(segments)
    }

    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<Segment>> for FieldPath {
    fn from(segments: Vec<Segment>) -> Self {
        Self(segments)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                // An empty key would vanish from the path; show it as what it is.
                Segment::Key(key) if key.is_empty() => f.write_str(if i == 0 { "\"\"" } else { ".\"\"" })?,
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Echoed input is cut short: a message should point at a mistake, not reprint a pasted essay.
pub fn shorten(text: &str) -> String {
    shorten_to(text, 60)
}

/// `text` cut to `limit` characters, with "…" where it was cut.
pub fn shorten_to(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(limit).collect::<String>())
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of a byte offset in `text`. Offsets inside a character or past the end are clamped.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.bytes().filter(|b| *b == b'\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A problem in one file. Printed as `file:line:column: field.path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How the file is named to the user: its path, or `bundled:name.json`.
    pub origin: String,
    pub position: Option<Position>,
    pub field: FieldPath,
    pub message: String,
}

impl Diagnostic {
    pub fn file_level(origin: impl Into<String>, message: impl Into<String>) -> Self {
        Self { origin: origin.into(), position: None, field: FieldPath::root(), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.field.is_root() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_code() {
        let path = FieldPath::root().key("steps").index(2).key("duration");
        assert_eq!(path.to_string(), "steps[2].duration");
        assert_eq!(FieldPath::root().key("cues").key("at").index(0).to_string(), "cues.at[0]");
    }

    #[test]
    fn positions_count_characters_on_the_line() {
        let text = "{\n  \"titel\": \"Ä\", \"x\": 1\n}";
        let offset = text.find("\"x\"").unwrap();
        assert_eq!(Position::of_offset(text, offset), Position { line: 2, column: 17 });
        assert_eq!(Position::of_offset(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::of_offset(text, 10_000).line, 3);
    }

    #[test]
    fn diagnostics_print_file_position_field_and_message() {
        let diagnostic = Diagnostic {
            origin: "neck.json".into(),
            position: Some(Position { line: 12, column: 19 }),
            field: FieldPath::root().key("steps").index(2).key("duration"),
            message: "\"4 minutes\" is not a duration".into(),
        };
        assert_eq!(diagnostic.to_string(), "neck.json:12:19: steps[2].duration: \"4 minutes\" is not a duration");
        assert_eq!(Diagnostic::file_level("a.json", "too large").to_string(), "a.json: too large");
    }
}
