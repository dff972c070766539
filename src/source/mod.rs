//! Where bytes come from: the one parallel walk of the tree, what git tracks,
//! and path and text helpers. Imports only the shared vocabulary.

pub mod class;
pub(crate) mod git;
pub(crate) mod kind;
pub(crate) mod literals;
pub(crate) mod text;
pub mod walk;
