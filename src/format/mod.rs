//! File formats: the RON model files and the exports.

pub mod csv;
pub mod dot;
pub mod json;
pub mod markdown;
pub mod ron;
pub mod text;
