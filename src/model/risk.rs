//! Risk scales, the 5×5 matrix and the likelihood → probability calibration.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! scale {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: [$name; 5] = [$($name::$variant),+];

            /// Position on the scale, 0 (lowest) to 4 (highest).
            pub fn index(self) -> usize {
                self as usize
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

scale!(
    /// How likely a threat is to be realised.
    Likelihood {
        Rare => "Rare",
        Unlikely => "Unlikely",
        Possible => "Possible",
        Probable => "Probable",
        Certain => "Certain",
    }
);

scale!(
    /// How bad it is when it happens.
    Impact {
        Negligible => "Negligible",
        Minor => "Minor",
        Moderate => "Moderate",
        Major => "Major",
        Catastrophic => "Catastrophic",
    }
);

/// The level a matrix cell assigns to a (likelihood, impact) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
        RiskLevel::Critical,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Low => "Low",
            RiskLevel::Medium => "Medium",
            RiskLevel::High => "High",
            RiskLevel::Critical => "Critical",
        }
    }

    /// One letter, so the level stays readable without colour.
    pub fn letter(self) -> char {
        match self {
            RiskLevel::Low => 'L',
            RiskLevel::Medium => 'M',
            RiskLevel::High => 'H',
            RiskLevel::Critical => 'C',
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A likelihood and an impact together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub likelihood: Likelihood,
    pub impact: Impact,
}

impl Rating {
    pub fn new(likelihood: Likelihood, impact: Impact) -> Self {
        Rating { likelihood, impact }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × {}", self.likelihood, self.impact)
    }
}

/// The 5×5 matrix, one row per impact; each row lists likelihoods Rare → Certain.
/// Stored row by row with named fields so an override in a model file reads like the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskMatrix {
    pub catastrophic: [RiskLevel; 5],
    pub major: [RiskLevel; 5],
    pub moderate: [RiskLevel; 5],
    pub minor: [RiskLevel; 5],
    pub negligible: [RiskLevel; 5],
}

impl Default for RiskMatrix {
    fn default() -> Self {
        use RiskLevel::{Critical as C, High as H, Low as L, Medium as M};
        RiskMatrix {
            catastrophic: [M, H, H, C, C],
            major: [L, M, H, H, C],
            moderate: [L, M, M, H, H],
            minor: [L, L, M, M, H],
            negligible: [L, L, L, L, M],
        }
    }
}

impl RiskMatrix {
    pub fn row(&self, impact: Impact) -> &[RiskLevel; 5] {
        match impact {
            Impact::Catastrophic => &self.catastrophic,
            Impact::Major => &self.major,
            Impact::Moderate => &self.moderate,
            Impact::Minor => &self.minor,
            Impact::Negligible => &self.negligible,
        }
    }

    pub fn level(&self, rating: Rating) -> RiskLevel {
        self.row(rating.impact)[rating.likelihood.index()]
    }
}

/// Probability a basic event takes when it stands for a threat of a given likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub rare: f64,
    pub unlikely: f64,
    pub possible: f64,
    pub probable: f64,
    pub certain: f64,
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration {
            rare: 0.001,
            unlikely: 0.01,
            possible: 0.1,
            probable: 0.3,
            certain: 0.9,
        }
    }
}

impl Calibration {
    pub fn probability(&self, likelihood: Likelihood) -> f64 {
        match likelihood {
            Likelihood::Rare => self.rare,
            Likelihood::Unlikely => self.unlikely,
            Likelihood::Possible => self.possible,
            Likelihood::Probable => self.probable,
            Likelihood::Certain => self.certain,
        }
    }

    pub fn entries(&self) -> [(Likelihood, f64); 5] {
        Likelihood::ALL.map(|l| (l, self.probability(l)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matrix_matches_the_published_table() {
        let m = RiskMatrix::default();
        let r = |l, i| m.level(Rating::new(l, i));
        assert_eq!(
            r(Likelihood::Probable, Impact::Catastrophic),
            RiskLevel::Critical
        );
        assert_eq!(r(Likelihood::Probable, Impact::Minor), RiskLevel::Medium);
        assert_eq!(r(Likelihood::Rare, Impact::Catastrophic), RiskLevel::Medium);
        assert_eq!(
            r(Likelihood::Certain, Impact::Negligible),
            RiskLevel::Medium
        );
        assert_eq!(r(Likelihood::Possible, Impact::Moderate), RiskLevel::Medium);
        assert_eq!(r(Likelihood::Unlikely, Impact::Major), RiskLevel::Medium);
    }

    #[test]
    fn matrix_is_monotone_in_both_axes() {
        let m = RiskMatrix::default();
        for l in Likelihood::ALL {
            for i in Impact::ALL {
                let here = m.level(Rating::new(l, i));
                if l.index() < 4 {
                    assert!(m.level(Rating::new(Likelihood::ALL[l.index() + 1], i)) >= here);
                }
                if i.index() < 4 {
                    assert!(m.level(Rating::new(l, Impact::ALL[i.index() + 1])) >= here);
                }
            }
        }
    }
}
