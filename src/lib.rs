//! threatloom: threat modeling and fault-tree analysis. The domain (`model`, `analysis`) is pure;
//! `format` reads and writes files; `system` asks the machine what it offers; `tui` and the
//! binary are thin front ends.

pub mod analysis;
pub mod format;
pub mod model;
pub mod system;
pub mod tui;
