//! The fault-tree engine: a petgraph DAG, normalised, split into modules, compiled to BDDs.

pub mod bdd;
pub mod circuit;
pub mod graph;
pub mod modules;
pub mod solve;

pub use graph::{FaultTreeGraph, GraphError};
