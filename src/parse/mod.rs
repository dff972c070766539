//! Parsers of the documents a repository holds. Each returns a typed document
//! with source positions, or an error with its line and column; none of them
//! decides what a document means (that is `context`'s job).

pub mod compose;
pub mod dockerfile;
#[doc(hidden)]
pub mod fuzz;
pub mod k8s;
pub mod markdown;
pub mod terraform;
pub mod yaml;
