//! `infra`: make a repository production-ready and keep it that way.
//! The binary in `main.rs` is a thin shell over these modules.

pub mod answers;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod context;
pub mod exit;
pub(crate) mod file_version;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod model;
pub(crate) mod output;
pub mod parse;
pub mod platform;
pub mod render;
pub mod report;
pub mod scan;
pub mod source;
