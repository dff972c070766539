//! Commands run from a subfolder work on the repository: the nearest folder
//! above with an infra.toml, else the git top level; an explicit PATH wins.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn infra(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infra").unwrap();
    cmd.current_dir(dir).env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") || key.starts_with("GIT_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

const FULL: &[&str] = &[
    "--set=platform.target=fly",
    "--set=platform.region=ams",
    "--set=environments=dev,staging,production",
    "--set=sla.availability=99.9",
    "--set=sla.latency_p95_ms=300",
    "--set=sla.error_rate_percent=1",
    "--set=alerts.channel=slack:#ops",
];

fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("git")
        .arg("-C")
        .arg(dir.path())
        .args(["init", "-q"])
        .status()
        .unwrap()
        .success();
    assert!(ok, "git init");
    dir
}

#[test]
fn init_in_a_subfolder_renders_at_the_git_top_level() {
    let repo = git_repo();
    let sub = repo.path().join("src/handlers");
    std::fs::create_dir_all(&sub).unwrap();
    infra(&sub)
        .args(["init", "--no-input"])
        .args(FULL)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "using ../.. (the top of the git work tree",
        ));
    assert!(repo.path().join("infra.toml").is_file());
    assert!(repo.path().join(".github/workflows").is_dir());
    assert!(!sub.join(".github").exists(), "a second .github tree");
    assert!(!sub.join("infra.toml").exists());
}

#[test]
fn audit_check_and_update_from_a_subfolder_find_infra_toml() {
    let repo = git_repo();
    infra(repo.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .assert()
        .success();
    let sub = repo.path().join("docs/infra");
    infra(&sub)
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in sync"))
        .stderr(predicate::str::contains(
            "using ../.. (the nearest folder above with an infra.toml)",
        ));
    infra(&sub)
        .args(["update", "--set", "sla.availability=99.95"])
        .assert()
        .success();
    let text = std::fs::read_to_string(repo.path().join("infra.toml")).unwrap();
    assert!(text.contains("availability = 99.95"), "{text}");
    assert!(!sub.join("infra.toml").exists());
    let out = infra(&sub)
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| !f["message"]
            .as_str()
            .unwrap_or("")
            .contains("no infra.toml")),
        "{findings:?}"
    );
    // The same audit as from the top.
    let top = infra(repo.path())
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    let top: serde_json::Value = serde_json::from_slice(&top.stdout).unwrap();
    assert_eq!(top["findings"], json["findings"]);
}

#[test]
fn a_monorepo_works_per_folder() {
    let repo = git_repo();
    for service in ["services/api", "services/web"] {
        let dir = repo.path().join(service);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        infra(repo.path())
            .args(["init", service, "--no-input"])
            .args(FULL)
            .assert()
            .success();
    }
    let api_src = repo.path().join("services/api/src");
    infra(&api_src)
        .args(["update", "--set", "sla.latency_p95_ms=120"])
        .assert()
        .success();
    let api = std::fs::read_to_string(repo.path().join("services/api/infra.toml")).unwrap();
    let web = std::fs::read_to_string(repo.path().join("services/web/infra.toml")).unwrap();
    assert!(api.contains("latency_p95_ms = 120"), "{api}");
    assert!(web.contains("latency_p95_ms = 300"), "{web}");
    infra(&repo.path().join("services/web/src"))
        .arg("check")
        .assert()
        .code(0);
    assert!(!repo.path().join("infra.toml").exists());
}

#[test]
fn an_explicit_path_wins_over_discovery() {
    let repo = git_repo();
    infra(repo.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .assert()
        .success();
    std::fs::create_dir_all(repo.path().join("tools")).unwrap();
    // `tools` holds no infra.toml, and PATH is not searched upwards.
    infra(repo.path())
        .args(["check", "tools"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing answers"));
}
