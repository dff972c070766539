//! `infra plan|check|init|update --format json`, version 1 (docs/json.md):
//! each file's outcome, counts and the verdict. The frozen v1 shape, kept
//! apart from [`crate::render::Plan`]. Keys are in the order v1 has always
//! printed them (alphabetical); readers must not depend on key order.

use crate::render::{FileChange, Outcome, Ownership, Plan};
use serde::Serialize;

pub const VERSION: u32 = 1;

/// The document for `plan`; `diffs` adds each written file's unified diff
/// (`plan` only).
pub fn render(plan: &Plan, diffs: bool) -> String {
    let n = |o| plan.count(o);
    let doc = PlanV1 {
        files: plan.changes.iter().map(|c| file(c, diffs)).collect(),
        status: status(plan),
        summary: SummaryV1 {
            conflict: n(Outcome::Conflict),
            create: n(Outcome::Create),
            deleted_by_user: n(Outcome::DeletedByUser),
            skip: n(Outcome::Skip),
            unchanged: n(Outcome::Unchanged),
            update: n(Outcome::Update),
        },
        version: VERSION,
    };
    super::to_text(&doc)
}

/// `conflicts` beats `drift` beats `in-sync`, as `infra check`'s exit code.
fn status(plan: &Plan) -> &'static str {
    if plan.conflicts().next().is_some() {
        "conflicts"
    } else if plan.drift().next().is_some() {
        "drift"
    } else {
        "in-sync"
    }
}

fn file(c: &FileChange, diffs: bool) -> FileV1<'_> {
    let (kind, block) = match &c.ownership {
        Ownership::Rendered => ("rendered", None),
        Ownership::CreateOnly => ("create-only", None),
        Ownership::Block(id) => ("block", Some(id.as_str())),
        Ownership::Given => ("given", None),
    };
    FileV1 {
        conflicts: c.conflicts,
        diff: (diffs && c.writes()).then(|| c.diff()),
        note: c.note.as_deref(),
        outcome: c.outcome.id(),
        ownership: OwnershipV1 { block, kind },
        path: &c.path,
    }
}

#[derive(Serialize)]
struct PlanV1<'a> {
    files: Vec<FileV1<'a>>,
    /// `in-sync`, `drift` or `conflicts`.
    status: &'static str,
    summary: SummaryV1,
    version: u32,
}

#[derive(Serialize)]
struct FileV1<'a> {
    conflicts: usize,
    /// Unified diff of what would be written (`plan` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// `create`, `update`, `unchanged`, `conflict`, `skip`, `deleted-by-user`.
    outcome: &'static str,
    ownership: OwnershipV1<'a>,
    path: &'a str,
}

#[derive(Serialize)]
struct OwnershipV1<'a> {
    /// The managed block's id, for `kind: "block"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<&'a str>,
    /// `rendered`, `create-only`, `block`, `given`.
    kind: &'static str,
}

#[derive(Serialize)]
struct SummaryV1 {
    conflict: usize,
    create: usize,
    deleted_by_user: usize,
    skip: usize,
    unchanged: usize,
    update: usize,
}
