//! Diff mode: what a change introduces. `infra audit --base REF` audits the
//! work tree and the tree of the change's start (the merge base of REF and
//! HEAD, written out through a throwaway index, never touching the work
//! tree or the real index) and keeps only the findings the base did not
//! have; `--staged` audits the staged copy of the changed files (with the
//! docs, workflows and manifests the change rules read) and keeps only
//! findings on lines the commit adds. Both run the change rules (§8) over
//! the changed paths and added lines git reports.
//!
//! A finding is "at the base" when the base has one of the same rule, at
//! the same path (followed back through git's rename detection) and with
//! the same content identity ([`Finding::identity`]: the offending line or
//! key, never a line number), counted as a multiset so a second copy of a
//! secret is still new.

use super::{audit_tree, AuditError, AuditOptions, Change, ChangeStatus, Finding, Report, Status};
use crate::source::git::{self, ChangedPath, PathChange};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a change is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffSource {
    /// `--base REF`: the work tree (commits, staged and unstaged edits,
    /// untracked files) against the merge base of REF and HEAD.
    Base(String),
    /// `--staged`: the index against HEAD (the next commit).
    Staged,
}

/// What a diff-mode report was compared with, for its readiness line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffInfo {
    /// `--base main (merge base 1a2b3c4d)` or `--staged`.
    pub against: String,
    /// Changed paths.
    pub changed: usize,
    /// Findings left out because the base had them already.
    pub at_base: usize,
}

impl DiffInfo {
    pub fn describe(&self) -> String {
        let n = |count: usize, what: &str| {
            format!("{count} {what}{}", if count == 1 { "" } else { "s" })
        };
        format!(
            "change against {}: {} changed, {} already there not shown",
            self.against,
            n(self.changed, "path"),
            n(self.at_base, "finding")
        )
    }
}

fn to_changes(changed: Vec<ChangedPath>) -> Vec<Change> {
    changed
        .into_iter()
        .map(|c| {
            let (path, status) = match c.change {
                PathChange::Added(p) => (p, ChangeStatus::Added),
                PathChange::Modified(p) => (p, ChangeStatus::Modified),
                PathChange::Deleted(p) => (p, ChangeStatus::Deleted),
                PathChange::Renamed { from, to } => (to, ChangeStatus::Renamed { from }),
            };
            Change {
                path,
                status,
                added: c.added,
            }
        })
        .collect()
}

/// Audit the change at `root` as `source` says. `options.changes`,
/// `tracked` and `staged` are set here.
pub fn audit_change(
    root: &Path,
    options: &AuditOptions,
    source: &DiffSource,
) -> Result<Report, AuditError> {
    if !root.is_dir() {
        return Err(AuditError::NotADirectory(root.to_path_buf()));
    }
    let repo = git::repo(root)?;
    match source {
        DiffSource::Base(reference) => audit_against_base(root, &repo, options, reference),
        DiffSource::Staged => audit_staged(root, &repo, options),
    }
}

fn temp_dir() -> Result<tempfile::TempDir, AuditError> {
    tempfile::Builder::new()
        .prefix("infra-diff-")
        .tempdir()
        .map_err(AuditError::TempTree)
}

fn audit_against_base(
    root: &Path,
    repo: &git::Repo,
    options: &AuditOptions,
    reference: &str,
) -> Result<Report, AuditError> {
    let commit = git::resolve_commit(root, reference)?;
    let start = git::change_start(root, &commit, reference)?;
    let changes = to_changes(git::changed_paths(root, &[&start], true)?);
    let tmp = temp_dir()?;
    let base_root = tmp.path().join("base");
    std::fs::create_dir(&base_root).map_err(AuditError::TempTree)?;
    if let Some(p) = &options.walk.progress {
        p.phase("writing out the base tree");
    }
    let tracked = git::export_tree(repo, &start, &base_root)?;
    let base = if tracked.is_empty() {
        None
    } else {
        audit_base_tree(&base_root, options, tracked)?
    };
    let (base_findings, before) = base.map_or_else(Default::default, |r| (r.findings, r.known));
    let head_options = AuditOptions {
        changes: Some(changes.clone()),
        before: Some(before),
        phase: Some("reading the change's tree"),
        // With --history, only the commits the change adds.
        history: options
            .history
            .as_ref()
            .map(|_| super::history::HistoryRange::Since {
                start: start.clone(),
                reference: reference.to_string(),
            }),
        ..options.clone()
    };
    let mut head = audit_tree(root, &head_options)?;
    let renamed_from: BTreeMap<&str, &str> = changes
        .iter()
        .filter_map(|c| match &c.status {
            ChangeStatus::Renamed { from } => Some((c.path.as_str(), from.as_str())),
            _ => None,
        })
        .collect();
    let at_base = drop_base_findings(&mut head.findings, &base_findings, &renamed_from);
    recount(&mut head);
    let short: String = start.chars().take(12).collect();
    head.diff = Some(DiffInfo {
        against: match (commit == start, commit.starts_with(reference)) {
            (true, true) => format!("--base {short}"),
            (true, false) => format!("--base {reference} ({short})"),
            (false, _) => format!("--base {reference} (merge base {short})"),
        },
        changed: changes.len(),
        at_base,
    });
    Ok(head)
}

/// The base tree's findings, judged by its own infra.toml. A base whose
/// infra.toml no longer parses is audited without it (the change may be the
/// fix); one with no files has none.
fn audit_base_tree(
    base_root: &Path,
    options: &AuditOptions,
    tracked: BTreeSet<String>,
) -> Result<Option<Report>, AuditError> {
    let base_options = AuditOptions {
        changes: None,
        tracked: Some(tracked),
        staged: false,
        before: None,
        phase: Some("reading the base tree"),
        history: None,
        ..options.clone()
    };
    match audit_tree(base_root, &base_options) {
        Ok(r) => Ok(Some(r)),
        Err(AuditError::NothingToAudit(_)) => Ok(None),
        Err(AuditError::Answers(_) | AuditError::Settings(_)) => {
            std::fs::remove_file(base_root.join("infra.toml")).map_err(AuditError::TempTree)?;
            match audit_tree(base_root, &base_options) {
                Ok(r) => Ok(Some(r)),
                Err(AuditError::NothingToAudit(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Remove from `head` each finding the base had (one base finding covers
/// one head finding); returns how many went. Three ways a finding is the
/// base's, tried in this order:
///
/// 1. the same rule, file (through a rename) and content identity;
/// 2. for a finding on no line, the same rule and identity in any file: such
///    findings sit on an anchor (a service's manifest, the workflow a
///    repository-wide CI finding is shown on) that a change may replace or
///    rename without touching what the finding says;
/// 3. for a finding that lists a set ([`Finding::parts`]), a base finding of
///    the same rule and file that listed all of it: a change that fixes part
///    of a gap brings nothing new.
fn drop_base_findings(
    head: &mut Vec<Finding>,
    base: &[Finding],
    renamed_from: &BTreeMap<&str, &str>,
) -> usize {
    let mut used = vec![false; base.len()];
    let mut exact: BTreeMap<(&str, &str, &str), Vec<usize>> = BTreeMap::new();
    let mut lineless: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, f) in base.iter().enumerate() {
        exact
            .entry((f.rule, f.location.path.as_str(), f.identity.as_str()))
            .or_default()
            .push(i);
        if f.location.line == 0 {
            lineless
                .entry((f.rule, f.identity.as_str()))
                .or_default()
                .push(i);
        }
    }
    let base_path = |f: &Finding| -> String {
        let path = f.location.path.as_str();
        renamed_from.get(path).copied().unwrap_or(path).to_string()
    };
    /// Use up the first base finding of `candidates` not used yet.
    fn take(candidates: Option<&Vec<usize>>, used: &mut [bool]) -> bool {
        match candidates.and_then(|c| c.iter().copied().find(|i| !used[*i])) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    }
    let mut new = vec![true; head.len()];
    for (j, f) in head.iter().enumerate() {
        let path = base_path(f);
        new[j] = !take(
            exact.get(&(f.rule, path.as_str(), f.identity.as_str())),
            &mut used,
        );
    }
    for (j, f) in head.iter().enumerate() {
        if new[j] && f.location.line == 0 {
            new[j] = !take(lineless.get(&(f.rule, f.identity.as_str())), &mut used);
        }
    }
    for (j, f) in head.iter().enumerate() {
        if new[j] && !f.parts.is_empty() {
            let path = base_path(f);
            new[j] = !base.iter().any(|b| {
                b.rule == f.rule
                    && b.location.path == path
                    && f.parts.iter().all(|p| b.parts.contains(p))
            });
        }
    }
    let before = head.len();
    let mut keep = new.into_iter();
    head.retain(|_| keep.next().unwrap_or(true));
    before - head.len()
}

/// Rule results after findings were left out: counts again, and a rule
/// whose every finding was at the base passes for this change.
fn recount(report: &mut Report) {
    for r in &mut report.results {
        let mine = report.findings.iter().filter(|f| f.rule == r.rule);
        let (active, suppressed) = mine.fold((0, 0), |(a, s), f| {
            if f.suppression.is_some() {
                (a, s + 1)
            } else {
                (a + 1, s)
            }
        });
        if r.status == Status::Fail && active == 0 {
            r.status = Status::Pass;
        }
        r.findings = active;
        r.suppressed = suppressed;
    }
}

/// Files the change rules read beside the changed ones: top-level files
/// (README, manifests, infra.toml, ignore files), the infra docs, CI
/// definitions and example env files.
fn supports_change_rules(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !path.contains('/')
        || [
            "docs/infra/",
            "docs/devops/",
            ".github/workflows/",
            ".github/actions/",
        ]
        .iter()
        .any(|d| path.len() > d.len() && path[..d.len()].eq_ignore_ascii_case(d))
        || crate::audit::rules::env_example_incomplete::is_example_env(name)
}

fn audit_staged(
    root: &Path,
    repo: &git::Repo,
    options: &AuditOptions,
) -> Result<Report, AuditError> {
    let against = if git::has_head(root) {
        "HEAD"
    } else {
        git::EMPTY_TREE
    };
    let changes = to_changes(git::changed_paths(root, &["--cached", against], false)?);
    if changes.iter().all(|c| c.status == ChangeStatus::Deleted) {
        return Err(AuditError::NothingStaged(root.to_path_buf()));
    }
    let index = git::index_paths(root)?;
    let changed: BTreeSet<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    // A changed path's folders hold the manifests that say which package it
    // belongs to (change-ci-not-updated).
    let folders: BTreeSet<&str> = changed
        .iter()
        .flat_map(|p| {
            p.match_indices('/')
                .map(move |(i, _)| &p[..i])
                .chain(std::iter::once(""))
        })
        .collect();
    let wanted: Vec<String> = index
        .iter()
        .filter(|p| {
            let folder = p.rsplit_once('/').map_or("", |(d, _)| d);
            changed.contains(p.as_str())
                || supports_change_rules(p)
                || (folders.contains(folder)
                    && crate::context::stack::manifest_of(p.rsplit('/').next().unwrap_or(p))
                        .is_some())
        })
        .cloned()
        .collect();
    let tmp = temp_dir()?;
    git::export_index(root, &wanted, tmp.path())?;
    let staged_root = tmp.path().join(repo.prefix.trim_end_matches('/'));
    std::fs::create_dir_all(&staged_root).map_err(AuditError::TempTree)?;
    let staged_options = AuditOptions {
        changes: Some(changes.clone()),
        tracked: Some(index.iter().cloned().collect()),
        staged: true,
        ..options.clone()
    };
    let mut report = audit_tree(&staged_root, &staged_options)?;
    // Only what the commit adds: a finding on a line it does not touch (or
    // in a file copied only for the change rules) was there before.
    let before = report.findings.len();
    report.findings.retain(|f| {
        super::registry::is_change_rule(f.rule)
            || Change::find(&changes, &f.location.path, f.location.line).is_some()
    });
    let at_base = before - report.findings.len();
    recount(&mut report);
    report.diff = Some(DiffInfo {
        against: "--staged".into(),
        changed: changes.len(),
        at_base,
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::finding::Findings;
    use crate::audit::rule::{Confidence, Level, RuleMeta};
    use crate::model::Location;

    static META: RuleMeta = RuleMeta {
        id: "test-rule",
        section: "0",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "d",
        applies: "always",
        rationale: "r",
        detection: "d",
        fix: "f",
        fixed_by_init: false,
        fail_example: "",
        pass_example: "",
    };

    fn findings(path: &str, text: &str, lines: &[u32]) -> Vec<Finding> {
        let texts = BTreeMap::from([(path.to_string(), text.to_string())]);
        let mut out = Findings::new(&META, &texts);
        for l in lines {
            out.add("m").at(Location::new(path, *l, 1)).emit();
        }
        out.into_vec()
    }

    #[test]
    fn a_finding_at_the_base_goes_even_when_its_line_moved() {
        let base = findings("a.txt", "x\nbad\n", &[2]);
        let mut head = findings("a.txt", "new\nx\nbad\nworse\n", &[3, 4]);
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 1);
        assert_eq!(head.len(), 1);
        assert_eq!(head[0].location.line, 4);
    }

    #[test]
    fn a_renamed_file_keeps_its_findings_old_and_a_second_copy_is_new() {
        let base = findings("old.txt", "bad\n", &[1]);
        let mut head = findings("new.txt", "bad\nbad\n", &[1, 2]);
        let renames = BTreeMap::from([("new.txt", "old.txt")]);
        assert_eq!(drop_base_findings(&mut head, &base, &renames), 1);
        assert_eq!(head.len(), 1);
        // Without the rename it is another file: both are new.
        let mut head = findings("new.txt", "bad\nbad\n", &[1, 2]);
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 0);
    }

    /// Whole-file findings with `message`, each at its path.
    fn anchored(at: &[(&str, &str)], parts: &[&[&str]]) -> Vec<Finding> {
        let texts = BTreeMap::new();
        let mut out = Findings::new(&META, &texts);
        for (i, (path, message)) in at.iter().enumerate() {
            let mut b = out.add(*message).at(Location::file(*path));
            if let Some(p) = parts.get(i) {
                b = b.key(p.join(",")).parts(p.iter().copied());
            }
            b.emit();
        }
        out.into_vec()
    }

    #[test]
    fn a_whole_file_finding_whose_anchor_moved_is_the_base_s() {
        // A service's manifest replaced (Pipfile by pyproject.toml): the
        // service-level finding moves with it, saying the same.
        let base = anchored(&[("backend/Pipfile", "backend: no request id")], &[]);
        let mut head = anchored(
            &[
                ("backend/pyproject.toml", "backend: no request id"),
                ("worker/pyproject.toml", "worker: no request id"),
            ],
            &[],
        );
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 1);
        assert_eq!(head.len(), 1);
        assert_eq!(head[0].location.path, "worker/pyproject.toml");
        // A finding on a line is still matched only in its own file.
        let base = findings("a.yml", "bad\n", &[1]);
        let mut head = findings("b.yml", "bad\n", &[1]);
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 0);
    }

    #[test]
    fn fixing_part_of_a_listed_gap_is_not_new_and_widening_it_is() {
        let base = anchored(
            &[("infra.toml", "dev, production missing")],
            &[&["dev", "production"]],
        );
        let mut head = anchored(&[("infra.toml", "dev missing")], &[&["dev"]]);
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 1);
        assert!(head.is_empty());
        let mut head = anchored(
            &[("infra.toml", "dev, staging, production missing")],
            &[&["dev", "staging", "production"]],
        );
        assert_eq!(drop_base_findings(&mut head, &base, &BTreeMap::new()), 0);
        assert_eq!(head.len(), 1);
    }
}
