//! A sequence id from its title: kebab-case, as the format wants, and not taken by another sequence.

use crate::sequence::MAX_ID_CHARS as MAX_ID_LENGTH;

/// "Neck & jaw: release (2)" → "neck-jaw-release-2". Letters outside a–z lose their accents where that is plain
/// (é → e, ß → ss); anything else separates words. Never empty.
pub fn kebab_case(title: &str) -> String {
    let mut id = String::new();
    let mut pending_dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let plain: &str = match c {
            'a'..='z' | '0'..='9' => {
                let mut buffer = [0u8; 4];
                push_word(&mut id, &mut pending_dash, c.encode_utf8(&mut buffer));
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
            'ä' | 'æ' => "ae",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
            'ö' | 'œ' => "oe",
            'ù' | 'ú' | 'û' => "u",
            'ü' => "ue",
            'ß' => "ss",
            _ => {
                pending_dash = !id.is_empty();
                continue;
            }
        };
        push_word(&mut id, &mut pending_dash, plain);
    }
    let mut id: String = id.chars().take(MAX_ID_LENGTH).collect();
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() { "my-sequence".to_owned() } else { id }
}

fn push_word(id: &mut String, pending_dash: &mut bool, text: &str) {
    if *pending_dash {
        id.push('-');
        *pending_dash = false;
    }
    id.push_str(text);
}

/// `base`, or `base-2`, `base-3`… whichever is not in `taken`.
pub fn unique(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let stem: String = base.chars().take(MAX_ID_LENGTH - suffix.len()).collect();
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_kebab_case_ids() {
        assert_eq!(kebab_case("Neck & jaw: release (2)"), "neck-jaw-release-2");
        assert_eq!(kebab_case("  Rücken – Lösung für Füße "), "ruecken-loesung-fuer-fuesse");
        assert_eq!(kebab_case("Liberación miofascial"), "liberacion-miofascial");
        assert_eq!(kebab_case("!!!"), "my-sequence");
        assert_eq!(kebab_case(&"x".repeat(200)).len(), MAX_ID_LENGTH);
    }

    #[test]
    fn ids_are_made_unique() {
        let taken = vec!["neck".to_owned(), "neck-2".to_owned()];
        assert_eq!(unique("neck", &taken), "neck-3");
        assert_eq!(unique("jaw", &taken), "jaw");
    }
}
