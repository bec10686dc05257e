//! Analyses over the model: fault trees (exact probability, cut sets, importance, uncertainty).

pub mod changes;
pub mod fault_tree;
pub mod gains;
pub mod suggestions;
pub mod to_do;
