//! threatloom: threat modeling and fault-tree analysis. The domain (`model`, `analysis`) is pure;
//! `format` reads and writes files; `tui` and the binary are thin front ends.

pub mod analysis;
pub mod format;
pub mod model;
pub mod tui;
