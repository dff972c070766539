//! Answers: `infra.toml` and the other sources that supply it, their
//! precedence, validation and the interactive prompts (SPEC §3).

pub mod model;
pub mod resolved;

pub use model::InfraToml;
pub use resolved::{Answers, Data, Environment, Sla};
