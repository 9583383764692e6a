//! Text forms of times shared by the terminal and the window, so both read the same.

use std::time::Duration;

/// A countdown as `m:ss` (or `h:mm:ss`), rounded up so `0:00` shows only when time is up.
pub fn countdown(remaining: Duration) -> String {
    let millis = remaining.as_millis();
    clock_face(u64::try_from(millis.div_ceil(1000)).unwrap_or(u64::MAX))
}

/// A count-up as `m:ss`, rounded down so a second shows only once it has passed.
pub fn count_up(elapsed: Duration) -> String {
    clock_face(elapsed.as_secs())
}

fn clock_face(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// A length in words for summaries and cards: "45 s", "4 min", "1 h 20 min".
pub fn length_words(length: Duration) -> String {
    let secs = length.as_secs();
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 if secs.is_multiple_of(60) => format!("{} min", secs / 60),
        60..3600 => format!("{} min {} s", secs / 60, secs % 60),
        _ if secs % 3600 < 60 => format!("{} h", secs / 3600),
        _ => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
    }
}

/// How long until the `countdown` text of `remaining` changes.
pub fn until_countdown_changes(remaining: Duration) -> Duration {
    let into_second = remaining.as_nanos() % 1_000_000_000;
    if into_second == 0 { Duration::from_secs(1) } else { Duration::from_nanos(into_second as u64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_rounds_up_and_count_up_rounds_down() {
        assert_eq!(countdown(Duration::from_millis(299_001)), "5:00");
        assert_eq!(countdown(Duration::from_secs(300)), "5:00");
        assert_eq!(countdown(Duration::from_millis(999)), "0:01");
        assert_eq!(countdown(Duration::ZERO), "0:00");
        assert_eq!(countdown(Duration::from_secs(3 * 3600 + 5)), "3:00:05");
        assert_eq!(count_up(Duration::from_millis(61_999)), "1:01");
    }

    #[test]
    fn lengths_read_naturally() {
        assert_eq!(length_words(Duration::from_secs(45)), "45 s");
        assert_eq!(length_words(Duration::from_secs(240)), "4 min");
        assert_eq!(length_words(Duration::from_secs(150)), "2 min 30 s");
        assert_eq!(length_words(Duration::from_secs(4800)), "1 h 20 min");
        assert_eq!(length_words(Duration::from_secs(7200)), "2 h");
    }

    #[test]
    fn the_next_change_is_at_the_next_whole_second_below() {
        assert_eq!(until_countdown_changes(Duration::from_millis(4_250)), Duration::from_millis(250));
        assert_eq!(until_countdown_changes(Duration::from_secs(4)), Duration::from_secs(1));
    }
}
