//! Where bytes come from: the one parallel walk of the tree, what git tracks,
//! and path and text helpers. Imports only the shared vocabulary.

pub mod git;
pub mod kind;
pub mod text;
pub mod walk;
