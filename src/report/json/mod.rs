//! The frozen, versioned JSON documents `infra` prints, one module per
//! document and version. Each defines its own serialisable types, kept apart
//! from the internal ones, so reshaping the engine cannot change a document
//! by accident. Within a version fields may be added, never renamed,
//! retyped or removed; that needs the next version (docs/json.md). Each shape
//! is pinned by an insta snapshot (tests/json_documents.rs, tests/context.rs,
//! tests/audit_cli.rs).

pub(crate) mod audit_v1;
pub(crate) mod context_v1;
pub(crate) mod plan_v1;
pub(crate) mod rules_v1;

pub use audit_v1::render;

use serde::Serialize;

/// Pretty JSON with a final newline. The documents are plain structs of
/// strings, numbers, options and vectors, which always serialise.
fn to_text<T: Serialize>(doc: &T) -> String {
    let mut out = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
