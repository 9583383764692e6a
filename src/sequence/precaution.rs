//! Screening precautions: the codes a sequence file may list and the plain question each one asks before a session.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A screening item. A "yes" to its question means: skip this area or get clearance first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Precaution {
    /// Injury in the last few days with swelling, heat or redness. Always asked.
    AcuteInjury,
    /// Fever, infection or feeling unwell.
    FeverOrInfection,
    /// Open wound, rash, burn or fragile skin in the area. Always asked.
    OpenWound,
    /// Surgery in the last 6–8 weeks, stitches or staples in, or not yet cleared. Always asked.
    RecentSurgery,
    /// Known or suspected blood clot, or a swollen, warm, painful calf.
    BloodClot,
    /// Blood thinners, a bleeding disorder, or bruising easily.
    BloodThinners,
    /// Osteoporosis, or a recent or healing fracture. Always asked.
    Osteoporosis,
    /// Cancer now or under treatment.
    Cancer,
    /// Known aneurysm or a serious circulation problem.
    Aneurysm,
    /// Pregnancy.
    Pregnancy,
    /// Connective-tissue disorder, hypermobility syndrome, or an inflammatory arthritis flare. Always asked.
    ConnectiveTissueDisorder,
    /// Diabetes with reduced feeling, or new numbness, tingling or weakness.
    ReducedSensation,
    /// An unexplained lump.
    UnexplainedLump,
    /// Dizziness on standing, or blood-pressure medicine.
    Dizziness,
    /// Metal implant or joint replacement in the area.
    Implant,
    /// A sudden, severe or unusual headache.
    SevereHeadache,
}

impl Precaution {
    /// Every supported item, in the order screening asks them.
    pub const ALL: [Precaution; 16] = [
        Precaution::AcuteInjury,
        Precaution::FeverOrInfection,
        Precaution::OpenWound,
        Precaution::RecentSurgery,
        Precaution::BloodClot,
        Precaution::BloodThinners,
        Precaution::Osteoporosis,
        Precaution::Cancer,
        Precaution::Aneurysm,
        Precaution::Pregnancy,
        Precaution::ConnectiveTissueDisorder,
        Precaution::ReducedSensation,
        Precaution::UnexplainedLump,
        Precaution::Dizziness,
        Precaution::Implant,
        Precaution::SevereHeadache,
    ];

    /// The five asked before every session, whatever the sequence lists.
    pub const CORE: [Precaution; 5] = [
        Precaution::AcuteInjury,
        Precaution::Osteoporosis,
        Precaution::OpenWound,
        Precaution::RecentSurgery,
        Precaution::ConnectiveTissueDisorder,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Precaution::AcuteInjury => "acute-injury",
            Precaution::FeverOrInfection => "fever-or-infection",
            Precaution::OpenWound => "open-wound",
            Precaution::RecentSurgery => "recent-surgery",
            Precaution::BloodClot => "blood-clot",
            Precaution::BloodThinners => "blood-thinners",
            Precaution::Osteoporosis => "osteoporosis",
            Precaution::Cancer => "cancer",
            Precaution::Aneurysm => "aneurysm",
            Precaution::Pregnancy => "pregnancy",
            Precaution::ConnectiveTissueDisorder => "connective-tissue-disorder",
            Precaution::ReducedSensation => "reduced-sensation",
            Precaution::UnexplainedLump => "unexplained-lump",
            Precaution::Dizziness => "dizziness",
            Precaution::Implant => "implant",
            Precaution::SevereHeadache => "severe-headache",
        }
    }

    /// The questions for a sequence: the core five first, then the sequence's own, without repeats, in `ALL` order.
    pub fn screening_for(listed: &[Precaution]) -> Vec<Precaution> {
        Precaution::ALL.into_iter().filter(|p| Precaution::CORE.contains(p) || listed.contains(p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_serde_names() {
        for precaution in Precaution::ALL {
            let json = serde_json::to_string(&precaution).unwrap();
            assert_eq!(json, format!("\"{}\"", precaution.code()));
        }
    }

    #[test]
    fn screening_always_asks_the_core_five_once() {
        let asked = Precaution::screening_for(&[Precaution::Pregnancy, Precaution::OpenWound]);
        for core in Precaution::CORE {
            assert_eq!(asked.iter().filter(|p| **p == core).count(), 1, "{core:?}");
        }
        assert!(asked.contains(&Precaution::Pregnancy));
        assert!(!asked.contains(&Precaution::Cancer));
        assert_eq!(asked.len(), 6);
    }
}
