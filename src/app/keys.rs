//! The keyboard map. Foot pedals and presentation clickers send these keys, so they work hands-free.

use slint::platform::Key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// Space: pause, resume, continue, or the screen's main action.
    Primary,
    /// Enter: the same as Space, except that it confirms a question Space would dismiss (stopping a session).
    Confirm,
    /// Right arrow or Page Down.
    Next,
    /// Left arrow or Page Up.
    Back,
    /// `+` or `E`.
    Extend,
    /// `R`.
    Released,
    /// Escape, or Android's Back button or gesture: stop (after confirming), or leave the screen. Where it means
    /// nothing (the library, no question open), the key is not taken, so Android's Back leaves the app.
    Escape,
    /// F11.
    Fullscreen,
    /// `M`: chimes off or on.
    Mute,
    /// `H`: the history (from the library).
    History,
}

/// The action for a key's text as Slint reports it, if the key means something.
pub fn key_action(text: &str) -> Option<KeyAction> {
    let mut chars = text.chars();
    let key = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let is = |special: Key| key == char::from(special);
    Some(match key {
        ' ' => KeyAction::Primary,
        '\n' | '\r' => KeyAction::Confirm,
        '+' | '=' | 'e' | 'E' => KeyAction::Extend,
        'r' | 'R' => KeyAction::Released,
        'm' | 'M' => KeyAction::Mute,
        'h' | 'H' => KeyAction::History,
        _ if is(Key::Return) => KeyAction::Confirm,
        _ if is(Key::RightArrow) || is(Key::PageDown) => KeyAction::Next,
        _ if is(Key::LeftArrow) || is(Key::PageUp) => KeyAction::Back,
        // Slint's Android backend sends Key::Back for KEYCODE_BACK and for the predictive back gesture.
        _ if is(Key::Escape) || is(Key::Back) => KeyAction::Escape,
        _ if is(Key::F11) => KeyAction::Fullscreen,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(key: Key) -> String {
        char::from(key).to_string()
    }

    #[test]
    fn pedal_and_clicker_keys_map_to_actions() {
        assert_eq!(key_action(" "), Some(KeyAction::Primary));
        assert_eq!(key_action(&text_of(Key::Return)), Some(KeyAction::Confirm));
        assert_eq!(key_action("m"), Some(KeyAction::Mute));
        assert_eq!(key_action("H"), Some(KeyAction::History));
        assert_eq!(key_action(&text_of(Key::RightArrow)), Some(KeyAction::Next));
        assert_eq!(key_action(&text_of(Key::PageDown)), Some(KeyAction::Next));
        assert_eq!(key_action(&text_of(Key::LeftArrow)), Some(KeyAction::Back));
        assert_eq!(key_action(&text_of(Key::PageUp)), Some(KeyAction::Back));
        assert_eq!(key_action("+"), Some(KeyAction::Extend));
        assert_eq!(key_action("E"), Some(KeyAction::Extend));
        assert_eq!(key_action("r"), Some(KeyAction::Released));
        assert_eq!(key_action(&text_of(Key::Escape)), Some(KeyAction::Escape));
        assert_eq!(key_action(&text_of(Key::F11)), Some(KeyAction::Fullscreen));
        assert_eq!(key_action("x"), None);
        assert_eq!(key_action("ab"), None);
        assert_eq!(key_action(""), None);
    }

    #[test]
    fn android_back_goes_back_like_escape() {
        assert_eq!(text_of(Key::Back), "\u{F748}");
        assert_eq!(key_action(&text_of(Key::Back)), Some(KeyAction::Escape));
    }
}
