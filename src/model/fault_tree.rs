//! Fault-tree data: gates, basic events and house events. Node ids share one namespace across
//! all trees of a model, so a gate of one tree can feed another (a transfer).

use super::Id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultTree {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The gate (or event) whose probability the tree computes.
    pub top: Id,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<BasicEvent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub house_events: Vec<HouseEvent>,
}

/// A fault-tree node of any kind, as an index by id finds it (`Model::fault_tree_nodes`).
#[derive(Debug, Clone, Copy)]
pub enum TreeNode<'m> {
    Gate(&'m Gate),
    Event(&'m BasicEvent),
    House(&'m HouseEvent),
}

impl<'m> TreeNode<'m> {
    pub fn label(&self) -> &'m str {
        match self {
            TreeNode::Gate(g) => &g.label,
            TreeNode::Event(e) => &e.label,
            TreeNode::House(h) => &h.label,
        }
    }

    /// The outline's symbol of the kind: ▾ a gate, ● a basic event, ⌂ a house event.
    pub fn symbol(&self) -> &'static str {
        match self {
            TreeNode::Gate(_) => "▾",
            TreeNode::Event(_) => "●",
            TreeNode::House(_) => "⌂",
        }
    }
}

impl FaultTree {
    /// Whether this tree defines node `id` (a gate, basic or house event), rather than using
    /// it from another tree.
    pub fn defines(&self, id: &Id) -> bool {
        self.node(id).is_some()
    }

    /// Node `id`, if this tree defines it.
    pub fn node(&self, id: &Id) -> Option<TreeNode<'_>> {
        let gate = || self.gates.iter().find(|g| g.id == *id).map(TreeNode::Gate);
        let event = || {
            self.events
                .iter()
                .find(|e| e.id == *id)
                .map(TreeNode::Event)
        };
        let house = || {
            self.house_events
                .iter()
                .find(|h| h.id == *id)
                .map(TreeNode::House)
        };
        gate().or_else(event).or_else(house)
    }
}

/// A node's label where it says more than its id: `None` when empty or the id itself.
pub fn own_label<'a>(label: &'a str, id: &Id) -> Option<&'a str> {
    (!label.is_empty() && label != id.as_str()).then_some(label)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GateKind {
    And,
    Or,
    /// At least k of the inputs.
    Vote(u32),
    Not,
    Xor,
    Nand,
    Nor,
    /// AND of an event and its conditioning event (the second input).
    Inhibit,
    /// Passes its single input through.
    Null,
}

impl GateKind {
    pub fn label(self) -> String {
        match self {
            GateKind::And => "AND".into(),
            GateKind::Or => "OR".into(),
            GateKind::Vote(k) => format!("VOTE {k}"),
            GateKind::Not => "NOT".into(),
            GateKind::Xor => "XOR".into(),
            GateKind::Nand => "NAND".into(),
            GateKind::Nor => "NOR".into(),
            GateKind::Inhibit => "INHIBIT".into(),
            GateKind::Null => "NULL".into(),
        }
    }

    /// The number of inputs the gate needs: (minimum, maximum). AND, OR, NAND and NOR may
    /// have none yet: a gate just drawn, to be developed (an empty OR is false, an empty AND
    /// true), which the editor must be able to save and reopen.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            GateKind::Not | GateKind::Null => (1, Some(1)),
            GateKind::Inhibit => (2, Some(2)),
            GateKind::Xor => (2, None),
            GateKind::Vote(k) => (k.max(1) as usize, None),
            GateKind::And | GateKind::Or | GateKind::Nand | GateKind::Nor => (0, None),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub id: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub kind: GateKind,
    /// Gate, basic-event or house-event ids, from any tree of the model.
    pub inputs: Vec<Id>,
}

/// Where a basic event's probability comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Probability {
    Fixed(f64),
    /// A constant failure rate λ (per hour) over a mission time (hours): p = 1 − e^(−λt).
    Rate {
        lambda: f64,
        mission_time: f64,
    },
    /// The event stands for a threat: its current likelihood through the model's calibration.
    Threat(Id),
}

/// A distribution of a basic event's probability, for uncertainty analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Distribution {
    Lognormal { median: f64, error_factor: f64 },
    Beta { alpha: f64, beta: f64 },
    Uniform { low: f64, high: f64 },
}

impl Distribution {
    /// Reads the text form `Display` writes: `lognormal MEDIAN EF`, `beta ALPHA BETA` or
    /// `uniform LOW HIGH` (the attribute of Open-PSA exports, and the editor's form).
    pub fn parse(s: &str) -> Option<Distribution> {
        let mut w = s.split_whitespace();
        let kind = w.next()?;
        let a: f64 = w.next()?.parse().ok()?;
        let b: f64 = w.next()?.parse().ok()?;
        if w.next().is_some() {
            return None;
        }
        match kind {
            "lognormal" => Some(Distribution::Lognormal {
                median: a,
                error_factor: b,
            }),
            "beta" => Some(Distribution::Beta { alpha: a, beta: b }),
            "uniform" => Some(Distribution::Uniform { low: a, high: b }),
            _ => None,
        }
    }

    /// Whether its parameters describe a probability's distribution: a lognormal's median
    /// in (0, 1] and error factor ≥ 1, a beta's shapes > 0, a uniform's bounds in [0, 1].
    pub fn valid(&self) -> bool {
        match *self {
            Distribution::Lognormal {
                median,
                error_factor,
            } => median > 0.0 && median <= 1.0 && error_factor >= 1.0 && error_factor.is_finite(),
            Distribution::Beta { alpha, beta } => {
                alpha > 0.0 && beta > 0.0 && alpha.is_finite() && beta.is_finite()
            }
            Distribution::Uniform { low, high } => {
                (0.0..=1.0).contains(&low) && (low..=1.0).contains(&high)
            }
        }
    }
}

/// `x` as people write it: `5e-6`, not 0.000005 (small values are read by their exponent),
/// but `3` and `8760`, not 3e0. It reads back to the same number.
pub fn readable(x: f64) -> String {
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl std::fmt::Display for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, a, b) = match *self {
            Distribution::Lognormal {
                median,
                error_factor,
            } => ("lognormal", median, error_factor),
            Distribution::Beta { alpha, beta } => ("beta", alpha, beta),
            Distribution::Uniform { low, high } => ("uniform", low, high),
        };
        write!(f, "{name} {} {}", readable(a), readable(b))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicEvent {
    pub id: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub probability: Probability,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
}

/// An event that is either certainly true or certainly false: a switch for configurations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseEvent {
    pub id: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub state: bool,
}
