//! Open-PSA MEF XML, the exchange format of SCRAM and XFTA.

mod dom;
mod export;
mod expr;
mod import;

pub use export::export;
pub use import::{DEFAULT_MISSION_TIME, import, locate};
