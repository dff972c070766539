//! `infra audit --history` on git repositories built in the test: a secret
//! any commit added is reported once, at that commit, whether or not HEAD
//! still has it; placeholders, binary files and renames are not; folders
//! outside git are a usage error and shallow clones say what they missed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{audit, git, synthetic_token, write};
use serde_json::Value;
use std::path::Path;

/// The JSON report of `infra audit --history ARGS`, checking that no run
/// prints the value of any of `secrets`.
fn report(root: &Path, args: &[&str], secrets: &[&str]) -> Value {
    let mut all = vec!["--history", "--format", "json"];
    all.extend_from_slice(args);
    let (_, stdout, stderr) = audit(root, &all);
    for s in secrets {
        assert!(
            !stdout.contains(s) && !stderr.contains(s),
            "a secret was printed"
        );
    }
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

/// The counted secret-in-history findings of a report.
fn history_findings(v: &Value) -> Vec<Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "secret-in-history")
        .cloned()
        .collect()
}

fn head(root: &Path) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn commit(root: &Path, message: &str) -> String {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
    head(root)
}

/// A repository whose first commit is a README only.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), "README.md", "# Shop\n\nSells tea.\n");
    commit(dir.path(), "readme");
    dir
}

#[test]
fn a_secret_deleted_later_is_reported_with_its_commit_and_path() {
    let dir = repo();
    let root = dir.path();
    let token = synthetic_token(11);
    write(
        root,
        "config/app.yml",
        &format!("name: shop\ngithub_token: {token}\n"),
    );
    let added = commit(root, "add config");
    write(root, "config/app.yml", "name: shop\n");
    commit(root, "remove the token");

    let v = report(root, &[], &[&token]);
    let found = history_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["path"], "config/app.yml");
    assert_eq!(f["line"], 2);
    assert_eq!(f["level"], "error");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains(&added[..12]), "{message}");
    assert!(message.contains("deleted later"), "{message}");
    let evidence = f["evidence"].to_string();
    assert!(evidence.contains(&added), "{evidence}");
    // HEAD no longer has it: the tree's own secret rule passes.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] != "hardcoded-secret"));
    // The text report's verdict says what was read.
    let (_, text, _) = audit(root, &["--history"]);
    assert!(
        text.contains("history: 3 commits with added lines read on HEAD, every branch, tag and remote-tracking branch"),
        "{text}"
    );
}

#[test]
fn a_secret_still_present_copied_and_renamed_is_reported_once() {
    let dir = repo();
    let root = dir.path();
    let token = synthetic_token(12);
    write(
        root,
        "src/client.js",
        &format!("const token = \"{token}\";\n"),
    );
    let first = commit(root, "client");
    // Copied into a second file, then the first renamed: the same value.
    write(root, "src/other.js", &format!("\nconst t = \"{token}\";\n"));
    commit(root, "copy");
    git(root, &["mv", "src/client.js", "src/api.js"]);
    commit(root, "rename");

    let v = report(root, &[], &[&token]);
    let found = history_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["path"], "src/client.js");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains(&first[..12]), "{message}");
    assert!(message.contains("still present at"), "{message}");
    // The related location is where HEAD's tree still has it.
    let related = f["related"].to_string();
    assert!(
        related.contains("src/api.js") || related.contains("src/other.js"),
        "{related}"
    );
}

#[test]
fn placeholders_references_and_binary_files_are_not_reported() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "config/app.yml",
        "github_token: ${GITHUB_TOKEN}\napi_key: your_api_key_here\npassword: ((DB_PASSWORD))\n",
    );
    commit(root, "config");
    // A binary file holding a key's bytes: git prints no patch for it.
    let token = synthetic_token(13);
    let mut bytes = vec![0u8, 1, 2, 0, 255];
    bytes.extend_from_slice(token.as_bytes());
    bytes.extend_from_slice(&[0, 0, 7]);
    std::fs::write(root.join("logo.bin"), bytes).unwrap();
    commit(root, "binary");

    let v = report(root, &[], &[&token]);
    assert!(
        history_findings(&v).is_empty(),
        "{:#?}",
        history_findings(&v)
    );
    assert_eq!(common::rule_status(&v, "secret-in-history").0, "pass");
}

#[test]
fn a_test_fixture_secret_is_one_level_lower_and_an_inline_ignore_holds() {
    let dir = repo();
    let root = dir.path();
    let fixture = synthetic_token(14);
    let ignored = synthetic_token(15);
    write(
        root,
        "tests/fixtures/auth.json",
        &format!("{{\"github_token\": \"{fixture}\"}}\n"),
    );
    write(
        root,
        "deploy/notes.sh",
        &format!(
            // Built here so this file holds no ignore comment of its own.
            "# infra: {}[secret-in-history] revoked on 2026-01-02, kept for the incident report\nexport GITHUB_TOKEN={ignored}\n",
            "ignore"
        ),
    );
    commit(root, "fixtures");
    write(root, "deploy/notes.sh", "echo gone\n");
    commit(root, "drop");

    let v = report(root, &[], &[&fixture, &ignored]);
    let found = history_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["path"], "tests/fixtures/auth.json");
    assert_eq!(found[0]["level"], "warning");
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("reported one level lower"));
    // The ignore counts only where inline ignores do.
    let v = report(root, &["--no-ignores"], &[&fixture, &ignored]);
    let paths: Vec<String> = history_findings(&v)
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(paths.contains(&"deploy/notes.sh".to_string()), "{paths:?}");
}

#[test]
fn with_base_only_the_commits_the_change_adds_are_read() {
    let dir = repo();
    let root = dir.path();
    let old = synthetic_token(16);
    write(root, "old.env.sh", &format!("export GITHUB_TOKEN={old}\n"));
    commit(root, "old secret");
    write(root, "old.env.sh", "export GITHUB_TOKEN=\"$TOKEN\"\n");
    commit(root, "removed on main");
    git(root, &["checkout", "-q", "-b", "feature"]);
    let new = synthetic_token(17);
    write(root, "src/new.js", &format!("const k = \"{new}\";\n"));
    commit(root, "new secret");
    write(root, "src/new.js", "const k = process.env.K;\n");
    commit(root, "fixed it");

    let v = report(root, &["--base", "main"], &[&old, &new]);
    let found = history_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["path"], "src/new.js");

    // The whole history has both.
    let v = report(root, &[], &[&old, &new]);
    assert_eq!(history_findings(&v).len(), 2);
}

#[test]
fn without_history_the_rule_is_not_applicable_and_outside_git_it_is_a_usage_error() {
    let dir = repo();
    let (_, stdout, _) = audit(dir.path(), &["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let (st, reason) = common::rule_status(&v, "secret-in-history");
    assert_eq!(st, "not-applicable");
    assert!(reason.contains("--history"), "{reason}");

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "README.md", "# x\n");
    let (code, _, err) = audit(plain.path(), &["--history"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not inside a git work tree"), "{err}");

    let (code, _, err) = audit(dir.path(), &["--history", "--staged"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_shallow_clone_is_unknown_and_says_how_to_read_the_rest() {
    let dir = repo();
    let root = dir.path();
    let token = synthetic_token(18);
    write(root, "a.sh", &format!("export GITHUB_TOKEN={token}\n"));
    commit(root, "secret");
    write(root, "a.sh", "echo fixed\n");
    commit(root, "fixed");
    write(root, "b.md", "# more\n");
    commit(root, "more");

    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", root.display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let c = clone.path().join("c");
    let v = report(&c, &[], &[&token]);
    assert!(history_findings(&v).is_empty());
    let (st, reason) = common::rule_status(&v, "secret-in-history");
    assert_eq!(st, "unknown", "{reason}");
    assert!(reason.contains("git fetch --unshallow"), "{reason}");

    // The full clone finds it.
    git(&c, &["fetch", "-q", "--unshallow", "origin"]);
    let v = report(&c, &[], &[&token]);
    assert_eq!(history_findings(&v).len(), 1);
}

/// Two different private keys share their `BEGIN` line: each is its own
/// secret, and a deleted one is not "still present" because another is.
#[test]
fn two_private_keys_are_two_secrets() {
    let dir = repo();
    let root = dir.path();
    let key = |seed: u64| {
        let body: String = synthetic_token(seed).chars().skip(4).collect();
        format!(
            "-----BEGIN RSA {}-----\nMIIEow{body}{body}\n-----END RSA PRIVATE KEY-----\n",
            "PRIVATE KEY"
        )
    };
    write(root, "deploy/old.pem", &key(21));
    commit(root, "old key");
    std::fs::remove_file(root.join("deploy/old.pem")).unwrap();
    commit(root, "drop the old key");
    write(root, "lib/signing.pem", &key(22));
    commit(root, "signing key");

    let v = report(root, &[], &[]);
    let found = history_findings(&v);
    assert_eq!(found.len(), 2, "{found:#?}");
    let by_path = |p: &str| {
        found
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("no finding at {p}: {found:#?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(by_path("deploy/old.pem").contains("deleted later"));
    assert!(by_path("lib/signing.pem").contains("still present at lib/signing.pem"));
}
