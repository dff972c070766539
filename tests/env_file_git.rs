//! env-file-committed in a git work tree: tracked means committed, even when
//! .gitignore matches the file; untracked and unignored is one level lower.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::path::Path;
use std::process::Stdio;

fn git(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn tracked_ignored_env_is_an_error_and_untracked_one_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(
        git(root, &["init", "-q"]),
        "this test needs git on the PATH"
    );
    std::fs::write(root.join("README.md"), "# App\n").unwrap();
    std::fs::write(root.join(".env"), "DATABASE_PASSWORD=hunter2-but-longer\n").unwrap();
    // Committed first, ignored afterwards: the classic leak.
    assert!(git(root, &["add", ".env"]));
    std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
    std::fs::write(root.join(".env.local"), "API_TOKEN=local-only-value\n").unwrap();

    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--format", "json"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("hunter2") && !stdout.contains("local-only-value"));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = |path: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "env-file-committed" && f["path"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("no finding for {path}: {stdout}"))
    };
    let committed = finding(".env");
    assert_eq!(committed["level"], "error");
    assert!(committed["message"]
        .as_str()
        .unwrap()
        .contains("although .gitignore matches it"));
    let local = finding(".env.local");
    assert_eq!(local["level"], "warning");
    assert!(local["message"]
        .as_str()
        .unwrap()
        .contains("`git add .` would commit it"));
}
