//! This repository passes its own audit: `infra audit .` at the root reports
//! no error and no warning, and says why each deployment rule does not
//! apply (infra.toml: `[project] kind = "cli"`). Also what the kind does on
//! other trees: `cli` and `library` turn the deployment rules off with that
//! reason, `service` keeps them, anything else is a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::rule_status as status;
use infra::audit::registry;
use serde_json::Value;
use std::path::Path;

fn audit_json(root: &Path) -> (i32, Value, String) {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--format", "json"])
        .arg(root)
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, stderr)
}

#[test]
fn this_repository_passes_its_own_audit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, v, stderr) = audit_json(root);
    let listed: Vec<String> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| format!("{} {}:{} {}", f["rule"], f["path"], f["line"], f["message"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(code, 0, "{stderr}\n{}", listed.join("\n"));
    assert_eq!(v["summary"]["errors"], 0, "{}", listed.join("\n"));
    assert_eq!(v["summary"]["warnings"], 0, "{}", listed.join("\n"));
    // Nothing is left unknown, so "0 errors" is a verdict, not a gap.
    assert_eq!(v["summary"]["unknown"], 0, "{v:#}");
    for rule in registry::NEEDS_A_DEPLOYMENT {
        let (st, reason) = status(&v, rule);
        assert_eq!(st, "not-applicable", "{rule}");
        assert!(reason.contains("is a cli"), "{rule}: {reason}");
    }
    // The synthetic keys of the scanner's tests are suppressed with their
    // reason, not unseen.
    let suppressed = v["suppressed"].as_array().unwrap();
    assert!(
        suppressed
            .iter()
            .any(|s| s["rule"] == "hardcoded-secret" && s["kind"] == "inline"),
        "{suppressed:#?}"
    );
    assert!(suppressed
        .iter()
        .all(|s| !s["reason"].as_str().unwrap_or("").is_empty()));
}

/// A tree with a server and no deployment docs, under each kind.
fn server_tree(kind: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |p: &str, t: &str| {
        let f = dir.path().join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    w(
        "README.md",
        "# ledger\n\nReconciles bank exports over HTTP.\n",
    );
    w(
        "package.json",
        r#"{"name":"ledger","version":"1.0.0","dependencies":{"express":"^4.19.0"}}"#,
    );
    w(
        "server.js",
        "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT || 3000);\n",
    );
    if let Some(kind) = kind {
        w(
            "infra.toml",
            &format!("schema_version = 1\n\n[project]\nname = \"ledger\"\nkind = \"{kind}\"\n"),
        );
    }
    dir
}

#[test]
fn cli_and_library_turn_the_deployment_rules_off_and_service_keeps_them() {
    for kind in ["cli", "library"] {
        let dir = server_tree(Some(kind));
        let (_, v, stderr) = audit_json(dir.path());
        for rule in [
            "environments-incomplete",
            "alerts-missing",
            "runbook-missing",
        ] {
            let (st, reason) = status(&v, rule);
            assert_eq!(st, "not-applicable", "{kind} {rule}: {stderr}");
            assert!(reason.contains(&format!("is a {kind}")), "{reason}");
        }
        assert_eq!(status(&v, "infra-answers-missing").0, "pass");
        // Rules about the code and CI still run.
        assert_eq!(status(&v, "ci-missing").0, "fail");
    }
    let dir = server_tree(Some("service"));
    let (_, v, _) = audit_json(dir.path());
    assert_eq!(status(&v, "environments-incomplete").0, "fail");
    assert_eq!(status(&v, "alerts-missing").0, "fail");
    assert_eq!(status(&v, "infra-answers-missing").0, "fail");
}

#[test]
fn an_unknown_kind_is_a_usage_error_naming_the_kinds() {
    let dir = server_tree(Some("website"));
    let (code, _, stderr) = audit_json(dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("project.kind"), "{stderr}");
    assert!(stderr.contains("infra.toml:5"), "{stderr}");
    assert!(stderr.contains("give service, cli, library"), "{stderr}");
}

#[test]
fn init_and_check_refuse_a_repository_that_deploys_nothing_and_write_nothing() {
    let dir = server_tree(Some("library"));
    let before = std::fs::read_dir(dir.path()).unwrap().count();
    for cmd in [&["init", "--no-input"][..], &["check"][..]] {
        let out = Command::cargo_bin("infra")
            .unwrap()
            .args(cmd)
            .arg(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
        assert!(stderr.contains("infra.toml:5"), "{stderr}");
        assert!(
            stderr.contains("this repository is a library: it deploys nothing"),
            "{stderr}"
        );
        assert!(stderr.contains("kind = \"service\""), "{stderr}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before);
}
