//! The terminal user interface: a thin shell of views and key bindings over the model.

pub mod action;
pub mod app;
pub mod canvas;
pub mod files;
pub mod form;
pub mod help;
pub mod jobs;
pub mod keymap;
pub mod overview;
pub mod review;
pub mod routing;
pub mod run;
pub mod theme;
pub mod views;
