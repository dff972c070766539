//! Discovery: what the repository already says about itself (SPEC §2),
//! read in one parallel walk and shared by `init`, `audit` and `context`.

pub mod model;
pub mod walk;

pub use model::*;
