//! Parsers of the documents a repository holds. Each returns a typed document
//! with source positions, or an error with its line and column; none of them
//! decides what a document means (that is `context`'s job).

pub(crate) mod compose;
pub(crate) mod dockerfile;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod k8s;
pub(crate) mod markdown;
pub(crate) mod pipeline;
pub(crate) mod prometheus;
pub(crate) mod terraform;
pub(crate) mod yaml;
