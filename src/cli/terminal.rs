//! Single-key input in a terminal: keys arrive without Enter and without echo, and the terminal is restored on drop.

use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;

/// A key the play driver understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Space,
    Enter,
    Char(char),
    Left,
    Right,
}

/// Puts stdin in non-canonical, no-echo mode while alive. Signals (Ctrl-C) keep working.
pub struct KeyMode {
    #[cfg(unix)]
    saved: Option<rustix::termios::Termios>,
}

impl KeyMode {
    /// Enters key mode if stdin is a terminal; otherwise does nothing (scripts and CI run without keys).
    pub fn enter() -> Option<KeyMode> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        #[cfg(unix)]
        {
            use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
            let stdin = std::io::stdin();
            let saved = tcgetattr(&stdin).ok()?;
            let mut keys = saved.clone();
            keys.local_modes.remove(LocalModes::ICANON | LocalModes::ECHO);
            tcsetattr(&stdin, OptionalActions::Now, &keys).ok()?;
            Some(KeyMode { saved: Some(saved) })
        }
        #[cfg(not(unix))]
        {
            Some(KeyMode {})
        }
    }

    /// Reads keys on a background thread and sends them until the receiver is gone or stdin closes.
    pub fn spawn_reader(&self, keys: Sender<Key>) {
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buffer = [0u8; 16];
            loop {
                let Ok(n) = stdin.read(&mut buffer) else { return };
                if n == 0 {
                    return;
                }
                for key in decode_keys(&buffer[..n]) {
                    if keys.send(key).is_err() {
                        return;
                    }
                }
            }
        });
    }
}

impl Drop for KeyMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = self.saved.take() {
            let _ = rustix::termios::tcsetattr(std::io::stdin(), rustix::termios::OptionalActions::Now, &saved);
        }
    }
}

/// Decodes a burst of bytes: plain characters and the arrow-key escape sequences that clickers send.
pub fn decode_keys(bytes: &[u8]) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b if bytes.get(i + 1) == Some(&b'[') => {
                match bytes.get(i + 2) {
                    Some(b'C') => keys.push(Key::Right),
                    Some(b'D') => keys.push(Key::Left),
                    // Page Up / Page Down arrive as ESC [ 5 ~ and ESC [ 6 ~.
                    Some(b'5') if bytes.get(i + 3) == Some(&b'~') => {
                        keys.push(Key::Left);
                        i += 1;
                    }
                    Some(b'6') if bytes.get(i + 3) == Some(&b'~') => {
                        keys.push(Key::Right);
                        i += 1;
                    }
                    _ => {}
                }
                i += 3;
            }
            b' ' => {
                keys.push(Key::Space);
                i += 1;
            }
            b'\n' | b'\r' => {
                keys.push(Key::Enter);
                i += 1;
            }
            byte if byte.is_ascii_graphic() => {
                keys.push(Key::Char(char::from(byte).to_ascii_lowercase()));
                i += 1;
            }
            _ => i += 1,
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_letters_arrows_and_page_keys() {
        assert_eq!(
            decode_keys(b" nB+\x1b[C\x1b[D\x1b[5~\x1b[6~\r"),
            vec![
                Key::Space,
                Key::Char('n'),
                Key::Char('b'),
                Key::Char('+'),
                Key::Right,
                Key::Left,
                Key::Left,
                Key::Right,
                Key::Enter
            ]
        );
    }
}
