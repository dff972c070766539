//! Answers: `infra.toml` and the other sources that supply it, their
//! precedence, validation and the interactive prompts (SPEC §3).

pub mod error;
pub mod keys;
pub mod load;
pub mod merge;
pub mod model;
pub mod prompt;
pub mod resolve;
pub mod resolved;
pub mod schema;
pub mod terminal;
pub mod validate;
pub mod write;

pub use error::{AnswersError, Invalid, Missing, NoPrompt};
pub use load::read_infra_toml;
pub use model::InfraToml;
pub use resolve::{resolve, resolve_noninteractive, Request, Resolution, Save};
pub use resolved::{Answers, Data, Environment, Sla};
