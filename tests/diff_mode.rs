//! Diff mode on real git repositories built in the test: `infra audit
//! --base REF` reports only what the change introduces, with the change
//! rules; `--staged` reads the index; bad refs, shallow clones and folders
//! outside git are clear errors (exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{audit, git, synthetic_token, write};
use serde_json::Value;
use std::path::Path;

/// The bundled example (rendered, passing its audit) committed on `main`.
fn example_repo() -> tempfile::TempDir {
    let dir = common::copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shopfront"));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

/// `(rule, path)` of every counted finding of a JSON report.
fn findings(root: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (_, stdout, stderr) = audit(root, &all);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status(root: &Path, args: &[&str], rule: &str) -> String {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (_, stdout, _) = audit(root, &all);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .map(|r| r["status"].as_str().unwrap().to_string())
        .unwrap()
}

fn has(found: &[(String, String)], rule: &str, path: &str) -> bool {
    found.iter().any(|(r, p)| r == rule && p == path)
}

#[test]
fn an_unchanged_tree_has_nothing_new_and_the_change_rules_pass() {
    let repo = example_repo();
    let found = findings(repo.path(), &["--base", "main"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(
        status(repo.path(), &["--base", "main"], "change-env-undeclared"),
        "not-applicable"
    );
    // Outside diff mode the change rules say how to run them.
    let (_, text, _) = audit(repo.path(), &[]);
    assert!(
        text.contains("checked only on a change: `infra audit --base REF`"),
        "{text}"
    );
}

#[test]
fn a_new_env_var_read_is_flagged_until_it_is_declared() {
    let repo = example_repo();
    let root = repo.path();
    write(
        root,
        "src/search.ts",
        "export const key = process.env.SEARCH_API_KEY;\n",
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        has(&found, "change-env-undeclared", "src/search.ts"),
        "{found:?}"
    );
    // Declared in .env.example and config.md: no longer the change's fault.
    let example = std::fs::read_to_string(root.join(".env.example")).unwrap();
    write(
        root,
        ".env.example",
        &format!("{example}\n# Search API key\nSEARCH_API_KEY=\n"),
    );
    let config = std::fs::read_to_string(root.join("docs/infra/config.md")).unwrap();
    write(
        root,
        "docs/infra/config.md",
        &format!("{config}\nSEARCH_API_KEY: the search service's key.\n"),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        !has(&found, "change-env-undeclared", "src/search.ts"),
        "{found:?}"
    );
}

#[test]
fn a_new_sdk_dependency_missing_from_the_overview_is_flagged() {
    let repo = example_repo();
    let root = repo.path();
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap();
    let mut v: Value = serde_json::from_str(&manifest).unwrap();
    v["dependencies"]["mongodb"] = Value::String("^6.0.0".into());
    write(
        root,
        "package.json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        has(&found, "change-dependency-undocumented", "package.json"),
        "{found:?}"
    );
    git(root, &["commit", "-q", "-am", "add mongodb"]);
    // Committed on a branch: the change is what the branch adds to main.
    let found = findings(root, &["--base", "HEAD~1"]);
    assert!(
        has(&found, "change-dependency-undocumented", "package.json"),
        "{found:?}"
    );
    let found = findings(root, &["--base", "HEAD"]);
    assert!(
        !has(&found, "change-dependency-undocumented", "package.json"),
        "{found:?}"
    );
}

#[test]
fn a_new_service_folder_no_ci_job_builds_is_flagged() {
    let repo = example_repo();
    let root = repo.path();
    write(
        root,
        "services/billing/package.json",
        "{\n  \"name\": \"billing\",\n  \"version\": \"1.0.0\",\n  \"scripts\": { \"test\": \"node --test\" }\n}\n",
    );
    write(root, "services/billing/index.js", "module.exports = {};\n");
    let found = findings(root, &["--base", "main"]);
    assert!(
        has(
            &found,
            "change-ci-not-updated",
            "services/billing/package.json"
        ),
        "{found:?}"
    );
    // A workspace member the root's `npm test` reaches is covered.
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap();
    let mut v: Value = serde_json::from_str(&manifest).unwrap();
    v["workspaces"] = serde_json::json!(["services/*"]);
    write(
        root,
        "package.json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        !has(
            &found,
            "change-ci-not-updated",
            "services/billing/package.json"
        ),
        "{found:?}"
    );
}

#[test]
fn a_new_deploy_workflow_without_a_rollback_is_flagged() {
    let repo = example_repo();
    let root = repo.path();
    write(
        root,
        ".github/workflows/ship.yml",
        "name: ship\non:\n  push:\n    branches: [main]\npermissions: {}\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    environment: production\n    steps:\n      - run: flyctl deploy --remote-only\n",
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        has(&found, "change-no-rollback", ".github/workflows/ship.yml"),
        "{found:?}"
    );
    // A rollback section that names the platform documents the way back.
    let doc = std::fs::read_to_string(root.join("docs/infra/deployments.md")).unwrap();
    let doc = doc.replacen(
        "## How to roll back",
        "## How to roll back\n\nFor the Fly app: `flyctl releases`, then `flyctl deploy --image` with the previous release's image.\n",
        1,
    );
    write(root, "docs/infra/deployments.md", &doc);
    let found = findings(root, &["--base", "main"]);
    assert!(
        !has(&found, "change-no-rollback", ".github/workflows/ship.yml"),
        "{found:?}"
    );
}

#[test]
fn findings_at_the_base_are_not_reported_and_a_rename_is_not_new() {
    let repo = example_repo();
    let root = repo.path();
    let token = synthetic_token(7);
    write(
        root,
        "src/leak.ts",
        &format!("export const t = \"{token}\";\n"),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "a leak, before the change"]);
    // The full audit sees it; the change does not touch it.
    assert!(has(&findings(root, &[]), "hardcoded-secret", "src/leak.ts"));
    write(root, "README.md", "# shopfront\n\nAnother line.\n");
    let found = findings(root, &["--base", "main"]);
    assert!(
        !found.iter().any(|(r, _)| r == "hardcoded-secret"),
        "{found:?}"
    );
    let (_, text, _) = audit(root, &["--base", "main"]);
    assert!(text.contains("1 finding already there not shown"), "{text}");

    // Moved (and shifted down a line): git's rename detection maps it back.
    git(root, &["checkout", "-q", "README.md"]);
    std::fs::create_dir_all(root.join("src/moved")).unwrap();
    git(root, &["mv", "src/leak.ts", "src/moved/leak.ts"]);
    write(
        root,
        "src/moved/leak.ts",
        &format!("// moved\nexport const t = \"{token}\";\n"),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        !found.iter().any(|(r, _)| r == "hardcoded-secret"),
        "{found:?}"
    );

    // A second copy in a new file is new.
    write(
        root,
        "src/copy.ts",
        &format!("export const u = \"{token}\";\n"),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(has(&found, "hardcoded-secret", "src/copy.ts"), "{found:?}");
    assert!(
        !has(&found, "hardcoded-secret", "src/moved/leak.ts"),
        "{found:?}"
    );
}

/// A finding whose key names its own file (a workflow without timeouts)
/// is still the base's after the file is renamed.
#[test]
fn a_renamed_workflow_keeps_its_findings() {
    let repo = example_repo();
    let root = repo.path();
    write(
        root,
        ".github/workflows/nightly.yml",
        "name: nightly\non:\n  schedule:\n    - cron: '0 3 * * *'\npermissions: {}\njobs:\n  sweep:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo sweep\n",
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "nightly without a timeout"]);
    assert!(has(
        &findings(root, &[]),
        "unbounded-resources",
        ".github/workflows/nightly.yml"
    ));
    git(
        root,
        &[
            "mv",
            ".github/workflows/nightly.yml",
            ".github/workflows/sweep.yml",
        ],
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        !found.iter().any(|(r, _)| r == "unbounded-resources"),
        "{found:?}"
    );
}

#[test]
fn bad_refs_shallow_clones_and_folders_outside_git_are_usage_errors() {
    let repo = example_repo();
    let (code, _, err) = audit(repo.path(), &["--base", "no-such-branch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no commit \"no-such-branch\""), "{err}");
    assert!(err.contains("git fetch origin no-such-branch"), "{err}");

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "README.md", "# x\n");
    let (code, _, err) = audit(plain.path(), &["--base", "main"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not inside a git work tree"), "{err}");
    let (code, _, err) = audit(plain.path(), &["--staged"]);
    assert_eq!(code, 2, "{err}");

    // A shallow clone of a feature branch lacks main.
    git(repo.path(), &["checkout", "-q", "-b", "feature"]);
    write(repo.path(), "src/feature.ts", "export const f = 1;\n");
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "feature"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "c",
        ],
    );
    let c = clone.path().join("c");
    let (code, _, err) = audit(&c, &["--base", "main"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("shallow clone"), "{err}");
    assert!(err.contains("git fetch --depth="), "{err}");
    // With the base fetched but not the common ancestor, it says to deepen.
    git(&c, &["fetch", "-q", "--depth", "1", "origin", "main:main"]);
    let (code, _, err) = audit(&c, &["--base", "main"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no common commit"), "{err}");
    git(&c, &["fetch", "-q", "--unshallow", "origin"]);
    let found = findings(&c, &["--base", "main"]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn staged_reads_the_index_and_only_the_lines_the_commit_adds() {
    let repo = example_repo();
    let root = repo.path();
    let (code, _, err) = audit(root, &["--staged"]);
    assert_eq!(code, 3, "nothing staged: {err}");
    assert!(err.contains("no change is staged"), "{err}");
    // A pre-commit hook run on a clean tree may ask for exit 0 instead,
    // with no report (so no readiness claimed).
    let (code, out, err) = audit(root, &["--staged", "--allow-nothing-staged"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("--allow-nothing-staged: exit 0"), "{err}");
    let (code, _, err) = audit(root, &["--allow-nothing-staged"]);
    assert_eq!(code, 2, "the flag needs --staged: {err}");

    let old = synthetic_token(1);
    write(
        root,
        "src/old.ts",
        &format!("export const a = \"{old}\";\n"),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "an old leak"]);
    // Staged: a new leak, and an edit to the file with the old one.
    let new = synthetic_token(2);
    write(
        root,
        "src/new.ts",
        &format!("export const b = \"{new}\";\n"),
    );
    write(
        root,
        "src/old.ts",
        &format!("export const a = \"{old}\";\nexport const c = 2;\n"),
    );
    git(root, &["add", "src/new.ts", "src/old.ts"]);
    // Only in the work tree, not staged: not part of the commit.
    let unstaged = synthetic_token(3);
    write(
        root,
        "src/unstaged.ts",
        &format!("export const d = \"{unstaged}\";\n"),
    );
    // And the staged copy wins over a later edit in the work tree.
    write(root, "src/new.ts", "export const b = 1;\n");

    let found = findings(root, &["--staged"]);
    assert!(has(&found, "hardcoded-secret", "src/new.ts"), "{found:?}");
    assert!(!has(&found, "hardcoded-secret", "src/old.ts"), "{found:?}");
    assert!(
        !has(&found, "hardcoded-secret", "src/unstaged.ts"),
        "{found:?}"
    );
    // Rules that need the whole repository did not run: unknown, never pass.
    assert_eq!(status(root, &["--staged"], "runbook-missing"), "unknown");
    assert_eq!(status(root, &["--staged"], "hardcoded-secret"), "fail");

    // The change rules read the staged docs and manifests.
    write(
        root,
        "src/search.ts",
        "export const k = process.env.SEARCH_API_KEY;\n",
    );
    git(root, &["add", "src/search.ts"]);
    let found = findings(root, &["--staged"]);
    assert!(
        has(&found, "change-env-undeclared", "src/search.ts"),
        "{found:?}"
    );
}

#[test]
fn staged_works_in_a_repository_without_commits_and_in_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    let token = synthetic_token(9);
    write(
        root,
        "app/src/a.ts",
        &format!("export const a = \"{token}\";\n"),
    );
    write(
        root,
        "other/b.ts",
        &format!("export const b = \"{token}\";\n"),
    );
    git(root, &["add", "-A"]);
    let found = findings(&root.join("app"), &["--staged"]);
    assert!(has(&found, "hardcoded-secret", "src/a.ts"), "{found:?}");
    assert!(!found.iter().any(|(_, p)| p.contains("b.ts")), "{found:?}");
}

/// Seen on real histories (docs/accuracy.md): a workflow replaced by another
/// under a new name carries the repository-wide CI finding it was shown on,
/// and a change that defines one more environment leaves the rest of the
/// gap, which was there before.
#[test]
fn a_replaced_workflow_and_a_partly_fixed_gap_bring_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "README.md", "# Shop\n\nSells tea.\n");
    write(
        root,
        "package.json",
        r#"{"name":"shop","version":"1.0.0","scripts":{"test":"node --test","lint":"eslint ."}}"#,
    );
    write(root, "src/index.js", "console.log(1);\n");
    write(
        root,
        ".github/workflows/ci.yml",
        "name: ci\non: [push]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: npm ci\n      - run: npm test\n",
    );
    let env = |name: &str| format!("[[environments]]\nname = \"{name}\"\n\n");
    write(
        root,
        "infra.toml",
        &format!("[platform]\ntarget = \"fly\"\n\n{}", env("dev")),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    let at_base = findings(root, &[]);
    assert!(
        has(&at_base, "ci-no-lint", ".github/workflows/ci.yml"),
        "{at_base:?}"
    );
    assert!(
        has(&at_base, "environments-incomplete", "infra.toml"),
        "{at_base:?}"
    );

    // Too different for git to call it a rename.
    std::fs::remove_file(root.join(".github/workflows/ci.yml")).unwrap();
    write(
        root,
        ".github/workflows/validate.yml",
        "name: checks\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  unit:\n    name: unit tests\n    runs-on: ubuntu-24.04\n    timeout-minutes: 15\n    steps:\n      - run: npm ci --no-audit\n      - run: npm test -- --reporter=spec\n",
    );
    write(
        root,
        "infra.toml",
        &format!(
            "[platform]\ntarget = \"fly\"\n\n{}{}",
            env("dev"),
            env("staging")
        ),
    );
    let found = findings(root, &["--base", "main"]);
    assert!(!found.iter().any(|(r, _)| r == "ci-no-lint"), "{found:?}");
    assert!(
        !found.iter().any(|(r, _)| r == "environments-incomplete"),
        "{found:?}"
    );
    // The same gap widened is new: the change removes an environment.
    write(
        root,
        "infra.toml",
        "[platform]\ntarget = \"fly\"\n\n[[environments]]\nname = \"qa\"\n",
    );
    let found = findings(root, &["--base", "main"]);
    assert!(
        has(&found, "environments-incomplete", "infra.toml"),
        "{found:?}"
    );
}
