//! Rendering (SPEC §4): templates + context + answers ⇒ a plan of per-file
//! outcomes (create, update, merge, skip, …) ⇒ validated, atomic writes.
//! `plan` never writes; `apply` writes a plan all-or-nothing.

pub(crate) mod actions;
pub(crate) mod diff;
#[doc(hidden)]
pub mod fixture;
pub mod lock;
pub mod merge;
pub(crate) mod safe;
pub mod templates;
pub(crate) mod vars;

use crate::answers::Answers;
use crate::context::Context;
use lock::{Lock, LockEntry};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Knobs for one planning run.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Overwrite existing files that infra did not render.
    pub force: bool,
    /// Bring back rendered files the user deleted.
    pub restore: bool,
    /// User-owned files written exactly as given (e.g. `infra.toml` from `init`);
    /// never merged and never recorded in the lock.
    pub extra_files: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("refusing to write {path}: {reason}")]
    UnsafePath { path: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} changed after the plan was made; run the command again")]
    ChangedSincePlan { path: String },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error(transparent)]
    Lock(#[from] lock::LockError),
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Create,
    Update,
    Unchanged,
    Conflict,
    Skip,
    DeletedByUser,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Create => "create",
            Outcome::Update => "update",
            Outcome::Unchanged => "unchanged",
            Outcome::Conflict => "conflict",
            Outcome::Skip => "skip",
            Outcome::DeletedByUser => "deleted-by-user",
        }
    }
}

/// Who owns a file and so how it is reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "block")]
pub enum Ownership {
    /// Rendered by infra, tracked in the lock, merged on update.
    Rendered,
    /// Rendered only while the file does not exist (vercel.json, netlify.toml).
    CreateOnly,
    /// The user's file; infra manages only the marked block with this id.
    Block(String),
    /// Given by the caller (`infra.toml`), written as is, never locked.
    Given,
}

/// One file in the plan.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    pub path: String,
    pub outcome: Outcome,
    pub ownership: Ownership,
    /// Content on disk now (`None`: missing).
    #[serde(skip)]
    pub before: Option<String>,
    /// Content after apply (`None` or equal to `before`: not written).
    #[serde(skip)]
    pub after: Option<String>,
    /// Why, in a few words (shown next to the outcome).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Conflicting hunks written with markers.
    pub conflicts: usize,
}

impl FileChange {
    /// Whether apply writes this file.
    pub fn writes(&self) -> bool {
        matches!(&self.after, Some(a) if Some(a) != self.before.as_ref())
    }

    /// Unified diff from `before` to `after` (empty when nothing is written).
    pub fn diff(&self) -> String {
        match &self.after {
            Some(after) if self.writes() => {
                diff::unified(&self.path, self.before.as_deref(), after)
            }
            _ => String::new(),
        }
    }
}

/// Everything `apply` will do, computed without writing.
#[derive(Debug, Clone)]
pub struct Plan {
    pub changes: Vec<FileChange>,
    /// `.infra/lock.toml` as it is now (`None`: missing).
    pub lock_before: Option<String>,
    /// The lock after apply.
    pub lock_after: Lock,
    /// Base texts to store under `.infra/base/<sha256>`.
    pub bases: BTreeMap<String, String>,
}

impl Plan {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.changes.iter().filter(|c| c.outcome == outcome).count()
    }

    pub fn conflicts(&self) -> impl Iterator<Item = &FileChange> {
        self.changes
            .iter()
            .filter(|c| c.outcome == Outcome::Conflict)
    }

    /// Rendered files that are out of date (what `check` calls drift).
    pub fn drift(&self) -> impl Iterator<Item = &FileChange> {
        self.changes.iter().filter(|c| {
            matches!(c.outcome, Outcome::Create | Outcome::Update)
                && c.ownership != Ownership::Given
        })
    }

    /// Every write apply performs, in order: visible files, stored bases, the lock.
    pub fn writes(&self, root: &Path) -> Vec<safe::Write1> {
        let mut out: Vec<safe::Write1> = self
            .changes
            .iter()
            .filter(|c| c.writes())
            .filter_map(|c| {
                c.after.as_ref().map(|a| safe::Write1 {
                    path: c.path.clone(),
                    content: a.clone(),
                    expected: c.before.clone(),
                })
            })
            .collect();
        for (sha, text) in &self.bases {
            let path = lock::base_path(sha);
            let existing = std::fs::read_to_string(root.join(&path)).ok();
            if existing.as_deref() != Some(text.as_str()) {
                out.push(safe::Write1 {
                    path,
                    content: text.clone(),
                    expected: existing,
                });
            }
        }
        let lock_text = self.lock_after.to_text();
        if self.lock_before.as_deref() != Some(lock_text.as_str()) {
            out.push(safe::Write1 {
                path: lock::LOCK_PATH.into(),
                content: lock_text,
                expected: self.lock_before.clone(),
            });
        }
        out
    }
}

/// What apply did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApplyReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub skipped: Vec<String>,
    pub conflicted: Vec<String>,
    pub deleted_by_user: Vec<String>,
    /// Bookkeeping files written (lock, stored bases).
    pub internal_writes: usize,
}

/// Render every template and decide each file's outcome. Writes nothing.
pub fn plan(
    root: &Path,
    ctx: &Context,
    answers: &Answers,
    opts: &PlanOptions,
) -> Result<Plan, RenderError> {
    let lock_before = read_optional(root, lock::LOCK_PATH)?;
    let lock = match &lock_before {
        Some(text) => Lock::parse(text)?,
        None => Lock::new(),
    };
    let rendered = templates::render_all(root, ctx, answers)?;
    let mut lock_after = lock.clone();
    lock_after.version = lock::LOCK_VERSION;
    let mut bases = BTreeMap::new();
    let mut changes = Vec::new();
    let mut seen = BTreeSet::new();

    for out in &rendered {
        safe::check_target(root, &out.path)?;
        seen.insert(out.path.clone());
        let current = match read_optional(root, &out.path) {
            Err(RenderError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::InvalidData =>
            {
                // Not text: certainly not something infra rendered; never touch it.
                changes.push(FileChange {
                    path: out.path.clone(),
                    outcome: Outcome::Skip,
                    ownership: out.ownership.clone(),
                    before: None,
                    after: None,
                    note: Some("exists and is not UTF-8 text; left alone".into()),
                    conflicts: 0,
                });
                continue;
            }
            other => other?,
        };
        let base = lock.base_text(root, &out.path);
        let decided = match &out.ownership {
            Ownership::Block(id) => decide_block(
                &out.path,
                id,
                &out.text,
                current.as_deref(),
                lock.files.get(&out.path),
                base,
                opts,
            ),
            own => decide_file(
                &out.path,
                own,
                &out.text,
                current.as_deref(),
                lock.files.contains_key(&out.path),
                base,
                opts,
            ),
        };
        match decided.lock {
            LockAction::Keep => {}
            LockAction::Set(text) => {
                let sha = lock::sha256_hex(&text);
                let block = match &out.ownership {
                    Ownership::Block(id) => Some(id.clone()),
                    _ => None,
                };
                lock_after.files.insert(
                    out.path.clone(),
                    LockEntry {
                        sha256: sha.clone(),
                        block,
                    },
                );
                bases.insert(sha, text);
            }
        }
        changes.push(FileChange {
            path: out.path.clone(),
            outcome: decided.outcome,
            ownership: out.ownership.clone(),
            before: current,
            after: decided.after,
            note: decided.note,
            conflicts: decided.conflicts,
        });
    }

    // Files infra rendered before but no longer renders: left alone, forgotten by the lock.
    for path in lock.files.keys() {
        if !seen.contains(path) {
            lock_after.files.remove(path);
            changes.push(FileChange {
                path: path.clone(),
                outcome: Outcome::Skip,
                ownership: Ownership::Rendered,
                before: None,
                after: None,
                note: Some("no longer rendered; left in place and dropped from the lock".into()),
                conflicts: 0,
            });
        }
    }

    for (path, content) in &opts.extra_files {
        safe::check_target(root, path)?;
        if seen.contains(path) || path == lock::LOCK_PATH || path.starts_with(".infra/base/") {
            return Err(RenderError::UnsafePath {
                path: path.clone(),
                reason: "infra renders or keeps this file itself".into(),
            });
        }
        seen.insert(path.clone());
        let current = read_optional(root, path)?;
        let outcome = match &current {
            None => Outcome::Create,
            Some(c) if c == content => Outcome::Unchanged,
            Some(_) => Outcome::Update,
        };
        changes.push(FileChange {
            path: path.clone(),
            outcome,
            ownership: Ownership::Given,
            before: current,
            after: Some(content.clone()),
            note: None,
            conflicts: 0,
        });
    }

    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Plan {
        changes,
        lock_before,
        lock_after,
        bases,
    })
}

/// Write the plan: validated as a whole first, each file atomically, all or nothing.
pub fn apply(root: &Path, plan: &Plan) -> Result<ApplyReport, RenderError> {
    apply_inner(root, plan, None)
}

/// `apply`, failing on purpose after `n` renames: lets tests prove the rollback.
#[doc(hidden)]
pub fn apply_failing_after(root: &Path, plan: &Plan, n: usize) -> Result<ApplyReport, RenderError> {
    apply_inner(root, plan, Some(n))
}

fn apply_inner(
    root: &Path,
    plan: &Plan,
    fail_after: Option<usize>,
) -> Result<ApplyReport, RenderError> {
    let writes = plan.writes(root);
    safe::write_all(root, &writes, fail_after)?;
    collect_garbage(root, &plan.lock_after);
    let mut report = ApplyReport {
        internal_writes: writes
            .iter()
            .filter(|w| w.path.starts_with(".infra/"))
            .count(),
        ..ApplyReport::default()
    };
    for c in &plan.changes {
        let list = match c.outcome {
            Outcome::Create => &mut report.created,
            Outcome::Update => &mut report.updated,
            Outcome::Unchanged => &mut report.unchanged,
            Outcome::Skip => &mut report.skipped,
            Outcome::Conflict => &mut report.conflicted,
            Outcome::DeletedByUser => &mut report.deleted_by_user,
        };
        list.push(c.path.clone());
    }
    Ok(report)
}

/// Remove stored bases no lock entry refers to (best effort: a leftover is harmless).
fn collect_garbage(root: &Path, lock: &Lock) {
    let keep: BTreeSet<&str> = lock.files.values().map(|e| e.sha256.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(root.join(lock::BASE_DIR)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_object = name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit());
        if is_object && !keep.contains(name.as_str()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn read_optional(root: &Path, rel: &str) -> Result<Option<String>, RenderError> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| RenderError::Io {
                path: rel.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => Err(RenderError::UnsafePath {
            path: rel.to_string(),
            reason: "a directory is in the way".into(),
        }),
        Err(source) => Err(RenderError::Io {
            path: rel.to_string(),
            source,
        }),
    }
}

enum LockAction {
    Keep,
    /// Record this text as the new base.
    Set(String),
}

struct Decision {
    outcome: Outcome,
    after: Option<String>,
    note: Option<String>,
    conflicts: usize,
    lock: LockAction,
}

impl Decision {
    fn new(outcome: Outcome, after: Option<String>, note: Option<&str>, lock: LockAction) -> Self {
        Decision {
            outcome,
            after,
            note: note.map(str::to_string),
            conflicts: 0,
            lock,
        }
    }
}

const SKIP_NOT_OURS: &str = "exists, not rendered by infra; --force to overwrite";

/// The update rules of SPEC §4 applied to a text infra owns (a whole file or a
/// block body). `wrap` turns the chosen text into the file's content.
fn reconcile(
    new: &str,
    current: &str,
    base: Option<String>,
    force: bool,
    wrap: &dyn Fn(&str) -> String,
) -> Decision {
    if merge::has_conflict_markers(current) {
        return Decision {
            conflicts: 1,
            ..Decision::new(
                Outcome::Conflict,
                None,
                Some("unresolved conflict markers from a previous update: resolve them first"),
                LockAction::Keep,
            )
        };
    }
    if current == new {
        return Decision::new(
            Outcome::Unchanged,
            None,
            None,
            LockAction::Set(new.to_string()),
        );
    }
    let Some(base) = base else {
        return if force {
            Decision::new(
                Outcome::Update,
                Some(wrap(new)),
                Some("overwritten (--force): the last render's base is missing"),
                LockAction::Set(new.to_string()),
            )
        } else {
            Decision::new(
                Outcome::Skip,
                None,
                Some("the last render's base is missing from .infra/base; --force to overwrite"),
                LockAction::Keep,
            )
        };
    };
    let user_edited = current != base;
    let template_changed = new != base;
    match (user_edited, template_changed) {
        (false, _) => Decision::new(
            Outcome::Update,
            Some(wrap(new)),
            None,
            LockAction::Set(new.to_string()),
        ),
        (true, false) => Decision::new(
            Outcome::Unchanged,
            None,
            Some("your edits are kept"),
            LockAction::Keep,
        ),
        (true, true) => {
            let merged = merge::three_way(&base, current, new);
            if merged.conflicts == 0 {
                Decision::new(
                    Outcome::Update,
                    Some(wrap(&merged.text)),
                    Some("merged with your edits"),
                    LockAction::Set(new.to_string()),
                )
            } else {
                Decision {
                    conflicts: merged.conflicts,
                    ..Decision::new(
                        Outcome::Conflict,
                        Some(wrap(&merged.text)),
                        Some("your edits and the new render touch the same lines"),
                        LockAction::Set(new.to_string()),
                    )
                }
            }
        }
    }
}

fn decide_file(
    _path: &str,
    ownership: &Ownership,
    new: &str,
    current: Option<&str>,
    locked: bool,
    base: Option<String>,
    opts: &PlanOptions,
) -> Decision {
    let same = |s: &str| s.to_string();
    match (locked, current) {
        (false, None) => Decision::new(
            Outcome::Create,
            Some(new.to_string()),
            None,
            LockAction::Set(new.to_string()),
        ),
        (false, Some(cur)) if cur == new => Decision::new(
            Outcome::Unchanged,
            None,
            None,
            LockAction::Set(new.to_string()),
        ),
        (false, Some(_)) if *ownership == Ownership::CreateOnly => Decision::new(
            Outcome::Skip,
            None,
            Some("exists; infra writes this file only when it is missing"),
            LockAction::Keep,
        ),
        (false, Some(_)) if opts.force => Decision::new(
            Outcome::Update,
            Some(new.to_string()),
            Some("overwritten (--force)"),
            LockAction::Set(new.to_string()),
        ),
        (false, Some(_)) => {
            Decision::new(Outcome::Skip, None, Some(SKIP_NOT_OURS), LockAction::Keep)
        }
        (true, None) if opts.restore => Decision::new(
            Outcome::Create,
            Some(new.to_string()),
            Some("restored (--restore)"),
            LockAction::Set(new.to_string()),
        ),
        (true, None) => Decision::new(
            Outcome::DeletedByUser,
            None,
            Some("you deleted it; --restore to bring it back"),
            LockAction::Keep,
        ),
        (true, Some(cur)) => reconcile(new, cur, base, opts.force, &same),
    }
}

fn decide_block(
    _path: &str,
    id: &str,
    new: &str,
    current: Option<&str>,
    entry: Option<&LockEntry>,
    base: Option<String>,
    opts: &PlanOptions,
) -> Decision {
    let (begin, _) = merge::block_markers(id);
    let fresh = |file: &str| merge::with_block(file, id, new);
    match current {
        None if entry.is_some() && !opts.restore => Decision::new(
            Outcome::DeletedByUser,
            None,
            Some("you deleted it; --restore to bring it back"),
            LockAction::Keep,
        ),
        None => Decision::new(
            Outcome::Create,
            Some(fresh("# Project plan\n")),
            None,
            LockAction::Set(new.to_string()),
        ),
        Some(file) => match merge::block_body(file, id) {
            None if file.contains(&begin) => Decision::new(
                Outcome::Skip,
                None,
                Some("the managed block's markers are broken; fix them by hand"),
                LockAction::Keep,
            ),
            None if entry.is_some() && !opts.restore => Decision::new(
                Outcome::DeletedByUser,
                None,
                Some("you removed the managed block; --restore to bring it back"),
                LockAction::Keep,
            ),
            None => Decision::new(
                Outcome::Update,
                Some(fresh(file)),
                Some("adds the managed block; the rest of the file is kept"),
                LockAction::Set(new.to_string()),
            ),
            Some(body) if entry.is_none() => {
                if body == new {
                    Decision::new(
                        Outcome::Unchanged,
                        None,
                        None,
                        LockAction::Set(new.to_string()),
                    )
                } else {
                    Decision::new(
                        Outcome::Update,
                        Some(fresh(file)),
                        None,
                        LockAction::Set(new.to_string()),
                    )
                }
            }
            Some(body) => {
                let wrap = |b: &str| merge::with_block(file, id, b);
                reconcile(new, body, base, opts.force, &wrap)
            }
        },
    }
}
