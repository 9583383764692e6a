//! Everything Stillpoint says aloud, in English, German and Spanish: one table per language. Spoken wording lives
//! here in Rust, not in the `.slint` files with `@tr`, because it is audio rendered off the UI thread, never screen
//! text; the screen's translations (lang/*.po) name the same things and these tables follow their wording where the
//! two overlap (technique and direction names, "Switch sides"). German addresses the user as "Sie" and Spanish as
//! "tú", as the window does. The sequence author's own text is spoken as written.

use super::engine::Lang;
use crate::sequence::{BodySide, DirectionKind, PressureLevel, Technique};

/// The spoken words of one language.
#[derive(Debug)]
pub struct Phrases {
    /// Left, right, both sides, midline: the opening of a step's prompt.
    sides: [&'static str; 4],
    /// What the side-switch pause says, to the left side and to the right side.
    switch_to: [&'static str; 2],
    /// A step's name when its author gave no title, in `Technique::ALL` order.
    techniques: [&'static str; 9],
    /// Pressure levels 0 to 4, as said before the author's pressure prompt.
    pressures: [&'static str; 5],
    /// Direction kinds, in `DirectionKind::ALL` order, for a step whose direction has no prompt of its own.
    directions: [&'static str; 16],
    /// An open-ended hold reached its minimum.
    pub minimum: &'static str,
    /// The countdown in the warning window: one second, `{n}` seconds, one minute, `{n}` minutes.
    countdown: [&'static str; 4],
    /// Between two numbers: "3–4 out of 10" is said "3 to 4 out of 10".
    pub range: &'static str,
    /// Said by the settings screen's "Test voice".
    pub test: &'static str,
}

const EN: Phrases = Phrases {
    sides: ["Left side.", "Right side.", "Both sides.", "On the midline."],
    switch_to: ["Ease out slowly, then settle on the left side.", "Ease out slowly, then settle on the right side."],
    techniques: [
        "Sustained hold.",
        "Cross-hand stretch.",
        "Skin rolling.",
        "Direct technique.",
        "Indirect technique.",
        "Rebounding.",
        "Rest.",
        "Transition.",
        "Assessment.",
    ],
    pressures: ["Contact only", "Skin only", "Gentle pressure", "Moderate pressure", "Firm pressure"],
    directions: [
        "Stay still.",
        "Toward the head.",
        "Toward the feet.",
        "Toward the midline.",
        "Away from the midline.",
        "Toward the body.",
        "Away from the body.",
        "Hands apart.",
        "Hands together.",
        "Clockwise.",
        "Counter-clockwise.",
        "Along the fibres.",
        "Across the fibres.",
        "Follow the ease.",
        "Into the barrier.",
        "With the rhythm.",
    ],
    minimum: "You can ease off when it softens.",
    countdown: ["One second.", "{n} seconds.", "One minute.", "{n} minutes."],
    range: "to",
    test: "This is how your prompts will sound. Left side. Gentle pressure: sink in and wait.",
};

const DE: Phrases = Phrases {
    sides: ["Linke Seite.", "Rechte Seite.", "Beide Seiten.", "Auf der Mittellinie."],
    switch_to: [
        "Langsam lösen, dann auf der linken Seite ankommen.",
        "Langsam lösen, dann auf der rechten Seite ankommen.",
    ],
    techniques: [
        "Anhaltender Halt.",
        "Gekreuzte Hände.",
        "Hautrollen.",
        "Direkte Technik.",
        "Indirekte Technik.",
        "Rebounding.",
        "Ruhe.",
        "Übergang.",
        "Befund.",
    ],
    pressures: ["Nur Kontakt", "Nur die Haut", "Sanfter Druck", "Mittlerer Druck", "Fester Druck"],
    directions: [
        "Ruhig halten.",
        "Zum Kopf.",
        "Zu den Füßen.",
        "Zur Mitte.",
        "Von der Mitte weg.",
        "Zum Körper hin.",
        "Vom Körper weg.",
        "Hände auseinander.",
        "Hände zueinander.",
        "Im Uhrzeigersinn.",
        "Gegen den Uhrzeigersinn.",
        "Entlang der Faser.",
        "Quer zur Faser.",
        "Der Leichtigkeit folgen.",
        "In die Barriere.",
        "Im Rhythmus.",
    ],
    minimum: "Du kannst nachlassen, sobald es weicher wird.",
    countdown: ["Noch eine Sekunde.", "Noch {n} Sekunden.", "Noch eine Minute.", "Noch {n} Minuten."],
    range: "bis",
    test: "So klingen deine Ansagen. Linke Seite. Sanfter Druck: einsinken und warten.",
};

const ES: Phrases = Phrases {
    sides: ["Lado izquierdo.", "Lado derecho.", "Ambos lados.", "En la línea media."],
    switch_to: ["Suelta despacio y colócate en el lado izquierdo.", "Suelta despacio y colócate en el lado derecho."],
    techniques: [
        "Presión mantenida.",
        "Estiramiento con manos cruzadas.",
        "Rodamiento de piel.",
        "Técnica directa.",
        "Técnica indirecta.",
        "Rebote.",
        "Reposo.",
        "Transición.",
        "Valoración.",
    ],
    pressures: ["Solo contacto", "Solo la piel", "Presión suave", "Presión moderada", "Presión firme"],
    directions: [
        "Sin moverte.",
        "Hacia la cabeza.",
        "Hacia los pies.",
        "Hacia la línea media.",
        "Hacia fuera de la línea media.",
        "Hacia el cuerpo.",
        "Alejándose del cuerpo.",
        "Manos separándose.",
        "Manos juntándose.",
        "En el sentido de las agujas del reloj.",
        "En sentido contrario a las agujas del reloj.",
        "A lo largo de las fibras.",
        "A través de las fibras.",
        "Seguir la facilidad.",
        "Hacia la barrera.",
        "Con el ritmo.",
    ],
    minimum: "Puedes aflojar cuando se suavice.",
    countdown: ["Queda un segundo.", "Quedan {n} segundos.", "Queda un minuto.", "Quedan {n} minutos."],
    range: "a",
    test: "Así sonarán tus indicaciones. Lado izquierdo. Presión suave: hunde y espera.",
};

/// The table of `language`.
pub const fn phrases(language: Lang) -> &'static Phrases {
    match language {
        Lang::En => &EN,
        Lang::De => &DE,
        Lang::Es => &ES,
    }
}

impl Phrases {
    pub const fn side(&self, side: BodySide) -> &'static str {
        match side {
            BodySide::Left => self.sides[0],
            BodySide::Right => self.sides[1],
            BodySide::Both => self.sides[2],
            BodySide::Midline => self.sides[3],
        }
    }

    /// The side-switch pause's words: move to `to`. (Both and midline do not switch; they get the right side's.)
    pub const fn switch_to(&self, to: BodySide) -> &'static str {
        match to {
            BodySide::Left => self.switch_to[0],
            _ => self.switch_to[1],
        }
    }

    pub fn technique(&self, technique: Technique) -> &'static str {
        let index = Technique::ALL.iter().position(|t| *t == technique).unwrap_or(0);
        self.techniques[index]
    }

    /// The pressure level's name, without a full stop (a prompt may follow after a colon).
    pub const fn pressure(&self, level: PressureLevel) -> &'static str {
        self.pressures[level.value() as usize]
    }

    pub fn direction(&self, kind: DirectionKind) -> &'static str {
        let index = DirectionKind::ALL.iter().position(|d| *d == kind).unwrap_or(0);
        self.directions[index]
    }

    /// "10 seconds.", "One minute.", "90 seconds.": how long is left, in whole seconds.
    pub fn countdown(&self, seconds: u64) -> String {
        let (form, n) = match seconds {
            1 => (0, 1),
            60 => (2, 1),
            s if s >= 120 && s % 60 == 0 => (3, s / 60),
            s => (1, s),
        };
        self.countdown[form].replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_phrase() {
        for language in Lang::ALL {
            let table = phrases(language);
            for text in table.sides.iter().chain(&table.switch_to).chain(&table.techniques).chain(&table.directions) {
                assert!(text.ends_with('.'), "{language}: {text:?} is a whole sentence");
            }
            for text in table.pressures.iter().chain([&table.minimum, &table.range, &table.test]) {
                assert!(!text.trim().is_empty(), "{language}");
            }
            assert!(table.countdown[1].contains("{n}") && table.countdown[3].contains("{n}"), "{language}");
        }
    }

    #[test]
    fn countdowns_say_minutes_when_they_are_whole() {
        let en = phrases(Lang::En);
        assert_eq!(en.countdown(10), "10 seconds.");
        assert_eq!(en.countdown(1), "One second.");
        assert_eq!(en.countdown(60), "One minute.");
        assert_eq!(en.countdown(90), "90 seconds.");
        assert_eq!(en.countdown(180), "3 minutes.");
        assert_eq!(phrases(Lang::De).countdown(30), "Noch 30 Sekunden.");
        assert_eq!(phrases(Lang::Es).countdown(5), "Quedan 5 segundos.");
    }
}
