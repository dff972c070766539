//! Every rule has a failing and a passing fixture repo under
//! tests/fixtures/rules/<id>/{fail,pass}; the failing one must fail that
//! rule, the passing one must pass it (not merely be not-applicable), and
//! the text report for the rule is snapshotted. A fixture with `base/` and
//! `head/` is a change (audited with `--base`), one with `commits/1/`,
//! `commits/2/` … a history (audited with `--history`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{copy_dir, git};
use infra::audit::date::Date;
use infra::audit::{self, registry, AuditOptions, Report, Status};
use std::path::{Path, PathBuf};

fn fixture(rule: &str, kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule)
        .join(kind)
}

/// The same pipeline `infra audit` runs, without printing, on a pinned
/// date so that dated rules (eol-runtime) do not change with the clock.
fn audit_dir(root: &Path) -> Report {
    let options = AuditOptions {
        today: Some(Date::new(2026, 12, 3)),
        ..AuditOptions::default()
    };
    audit::audit_tree(root, &options).unwrap()
}

/// Empty the work tree of `repo`, keeping `.git`.
fn clear_work_tree(repo: &Path) {
    for entry in std::fs::read_dir(repo).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".git" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            std::fs::remove_dir_all(entry.path()).unwrap();
        } else {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
}

/// A history fixture (`commits/1/`, `commits/2/` … trees): each committed
/// in turn as the whole work tree, then audited with `--history`.
fn audit_history_fixture(dir: &Path) -> Report {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    let mut commits: Vec<PathBuf> = std::fs::read_dir(dir.join("commits"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    commits.sort();
    for (i, tree) in commits.iter().enumerate() {
        clear_work_tree(repo.path());
        copy_dir(tree, repo.path());
        git(repo.path(), &["add", "-A"]);
        git(
            repo.path(),
            &["commit", "-q", "-m", &format!("commit {}", i + 1)],
        );
    }
    let options = AuditOptions {
        today: Some(Date::new(2026, 12, 3)),
        history: Some(audit::history::HistoryRange::All),
        ..AuditOptions::default()
    };
    audit::audit_tree(repo.path(), &options).unwrap()
}

/// A change fixture (`base/` and `head/` trees): `base` committed, `head`
/// in the work tree, audited with `--base HEAD`.
fn audit_change_fixture(dir: &Path) -> Report {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(&dir.join("base"), repo.path());
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    clear_work_tree(repo.path());
    copy_dir(&dir.join("head"), repo.path());
    let options = AuditOptions {
        today: Some(Date::new(2026, 12, 3)),
        ..AuditOptions::default()
    };
    audit::diff::audit_change(
        repo.path(),
        &options,
        &audit::diff::DiffSource::Base("HEAD".into()),
    )
    .unwrap()
}

fn check(rule: &str, kind: &str, want: Status) {
    let dir = fixture(rule, kind);
    assert!(dir.is_dir(), "missing fixture {}", dir.display());
    let report = if dir.join("head").is_dir() {
        audit_change_fixture(&dir)
    } else if dir.join("commits").is_dir() {
        audit_history_fixture(&dir)
    } else {
        audit_dir(&dir)
    };
    let result = report.result(rule).unwrap();
    let mine = report.only(rule);
    let text = infra::report::text::render(&mine, false);
    assert_eq!(result.status, want, "{rule} on its {kind} fixture:\n{text}");
    if want == Status::Fail {
        assert!(result.findings > 0, "{rule}: failing without findings");
    }
    insta::assert_snapshot!(format!("{rule}-{kind}"), text);
}

#[test]
fn every_rule_has_fixtures_that_fail_and_pass() {
    for rule in registry::RULES {
        let id = rule.meta().id;
        check(id, "fail", Status::Fail);
        check(id, "pass", Status::Pass);
    }
}

#[test]
fn fixture_folders_match_the_registry() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    on_disk.sort();
    let mut ids: Vec<String> = registry::RULES
        .iter()
        .map(|r| r.meta().id.to_string())
        .collect();
    ids.sort();
    assert_eq!(on_disk, ids);
}

/// Helm templates are not rendered: the rules that read Kubernetes objects
/// are unknown, naming them, never passing; a kustomize patch file is not
/// judged as a whole object.
#[test]
fn helm_templates_make_the_kubernetes_rules_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: api\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: \"{{ .Values.image }}\"\n",
    )
    .unwrap();
    let report = audit_dir(dir.path());
    for rule in [
        "unbounded-resources",
        "admin-interface-exposed",
        "backups-undocumented",
    ] {
        let result = report.result(rule).unwrap();
        assert_eq!(result.status, Status::Unknown, "{rule}");
        let reason = result.reason.as_deref().unwrap_or("");
        assert!(
            reason.contains("chart/templates/deployment.yaml"),
            "{rule}: {reason}"
        );
    }
}

/// Further fixtures of a rule's other evidence paths: `fail-<what>` must
/// fail the rule, `pass-<what>` must pass it; each is snapshotted too.
#[test]
fn variant_fixtures_fail_and_pass() {
    for rule in registry::RULES {
        let id = rule.meta().id;
        let Ok(entries) = std::fs::read_dir(fixture(id, "")) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            if name.starts_with("fail-") {
                check(id, &name, Status::Fail);
            } else if name.starts_with("pass-") {
                check(id, &name, Status::Pass);
            }
        }
    }
}
