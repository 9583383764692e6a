//! Finds where a field path's value starts in JSON source text, so problems found after parsing can still be positioned.

use super::diagnostic::Segment;

/// Byte offset of the value at `path`, or of the deepest enclosing value that exists (a missing field points at its
/// object). The text is expected to be JSON that already parsed; on anything else it returns the best offset so far.
pub fn locate(text: &str, path: &[Segment]) -> usize {
    let mut scanner = Scanner { bytes: text.as_bytes(), pos: 0 };
    scanner.skip_whitespace();
    let mut found = scanner.pos;
    for segment in path {
        let inner = match segment {
            Segment::Key(key) => scanner.enter_member(key),
            Segment::Index(index) => scanner.enter_element(*index),
        };
        match inner {
            Some(offset) => found = offset,
            None => break,
        }
    }
    found
}

/// What is still open at byte `end` of `text`: the brackets (`{` or `[`, with their offsets, outermost first) and the
/// start of a string the text stops inside, if any. Used to say what a cut-off file or a stray bracket left open.
pub fn open_at(text: &str, end: usize) -> (Vec<(u8, usize)>, Option<usize>) {
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let mut open = Vec::new();
    let mut string_start = None;
    let mut escaped = false;
    for (offset, byte) in bytes.iter().enumerate() {
        if string_start.is_some() {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => string_start = None,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => string_start = Some(offset),
            b'{' | b'[' => open.push((*byte, offset)),
            b'}' | b']' => {
                open.pop();
            }
            _ => {}
        }
    }
    (open, string_start)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Moves into the object at the cursor and stops at the start of `key`'s value.
    fn enter_member(&mut self, key: &str) -> Option<usize> {
        if !self.eat(b'{') {
            return None;
        }
        loop {
            self.skip_whitespace();
            let key_start = self.pos;
            self.skip_string()?;
            let raw_key = std::str::from_utf8(&self.bytes[key_start..self.pos]).ok()?;
            let this_key: String = serde_json::from_str(raw_key).ok()?;
            if !self.eat(b':') {
                return None;
            }
            self.skip_whitespace();
            if this_key == key {
                return Some(self.pos);
            }
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// Moves into the array at the cursor and stops at the start of element `index`.
    fn enter_element(&mut self, index: usize) -> Option<usize> {
        if !self.eat(b'[') {
            return None;
        }
        for _ in 0..index {
            self.skip_whitespace();
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
        self.skip_whitespace();
        (self.peek() != Some(b']')).then_some(self.pos)
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        while let Some(byte) = self.peek() {
            self.pos += 1;
            match byte {
                b'\\' => self.pos += 1,
                b'"' => return Some(()),
                _ => {}
            }
        }
        None
    }

    /// Skips one value of any kind. Iterative, so nesting depth cannot exhaust the stack.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                _ => {
                    while matches!(self.peek(), Some(b) if !b",:]}\" \t\r\n".contains(&b)) {
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::diagnostic::FieldPath;

    const DOC: &str = r#"{
  "id": "x",
  "cues": {"at": ["90s", "120s"]},
  "steps": [
    {"technique": "rest", "notes": "a \"quoted\" } brace", "duration": 60},
    {"technique": "rest", "duration": "4 minutes"}
  ]
}"#;

    fn text_at(path: &FieldPath) -> &'static str {
        &DOC[locate(DOC, path.segments())..]
    }

    #[test]
    fn finds_nested_values_past_tricky_strings() {
        let root = FieldPath::root();
        assert!(text_at(&root.key("steps").index(1).key("duration")).starts_with("\"4 minutes\""));
        assert!(text_at(&root.key("cues").key("at").index(1)).starts_with("\"120s\""));
        assert!(text_at(&root.key("steps").index(0).key("duration")).starts_with("60}"));
    }

    #[test]
    fn missing_members_point_at_the_enclosing_value() {
        let root = FieldPath::root();
        assert!(
            text_at(&root.key("steps").index(1).key("pressure")).starts_with("{\"technique\": \"rest\", \"duration\"")
        );
        assert!(text_at(&root.key("steps").index(7)).starts_with("[\n"));
        assert_eq!(locate("not json", FieldPath::root().key("a").segments()), 0);
    }

    #[test]
    fn open_brackets_and_strings_are_tracked_past_escapes() {
        let text = r#"{"a": ["x\"]", {"b": "c"#;
        let (open, string) = open_at(text, text.len());
        assert_eq!(open, vec![(b'{', 0), (b'[', 6), (b'{', 15)]);
        assert_eq!(string, Some(text.rfind('"').unwrap()));
        assert_eq!(open_at(text, 5), (vec![(b'{', 0)], None));
    }
}
