//! Answers: `infra.toml` and the other sources that supply it, their
//! precedence, validation and the interactive prompts (SPEC §3).

pub(crate) mod error;
pub mod keys;
pub(crate) mod load;
pub(crate) mod merge;
pub(crate) mod model;
pub(crate) mod prompt;
pub mod resolve;
pub(crate) mod resolved;
pub mod schema;
pub(crate) mod terminal;
pub(crate) mod validate;
pub(crate) mod write;

pub use error::{AnswersError, Invalid, Missing, NoPrompt};
pub use load::read_infra_toml;
pub use model::InfraToml;
pub use resolve::{resolve, resolve_noninteractive, Request, Resolution, Save};
pub use resolved::{Answers, Data, Environment, Sla};
