//! `[audit]` in infra.toml is validated once, by the audit, for every
//! command: `infra audit` and `infra plan` accept and reject the same
//! tables with the same message (issue 8).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::copy_dir;
use std::fs;
use std::path::Path;

/// The bundled example (complete answers, already rendered) with its
/// `[audit] fail_on` set to `fail_on` and `tables` appended to infra.toml.
fn repo_with(fail_on: &str, tables: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shopfront"),
        dir.path(),
    );
    let path = dir.path().join("infra.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nfail_on = \"error\""));
    let text = text.replace(
        "\nfail_on = \"error\"",
        &format!("\nfail_on = \"{fail_on}\""),
    );
    fs::write(&path, format!("{text}\n{tables}")).unwrap();
    dir
}

/// Exit code and the first stderr line of `infra COMMAND ROOT`.
fn run(command: &str, root: &Path) -> (i32, String) {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args([command, "--no-input"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    (
        out.status.code().unwrap_or(-1),
        err.lines().next().unwrap_or("").to_string(),
    )
}

#[test]
fn fail_on_warn_is_rejected_alike_by_audit_and_plan() {
    let dir = repo_with("warn", "");
    let audit = run("audit", dir.path());
    let plan = run("plan", dir.path());
    assert_eq!(audit, plan);
    assert_eq!(audit.0, 2, "{audit:?}");
    assert!(
        audit.1.contains("[audit] fail_on = \"warn\" is not one of error, warning, note (did you mean \"warning\"?)"),
        "{audit:?}"
    );
    assert!(audit.1.starts_with("error: infra.toml:"), "{audit:?}");
}

#[test]
fn other_audit_mistakes_are_rejected_alike() {
    for table in [
        "[audit.rules]\nreadme-mising = \"off\"\n",
        "[audit.rules]\nreadme-missing = \"Warning\"\n",
        "[[audit.ignore]]\nrule = \"readme-missing\"\nreason = \"\"\n",
        "[[audit.ignore]]\nrule = \"readme-missing\"\npaths = [\"a/[\"]\nreason = \"generated\"\n",
    ] {
        let dir = repo_with("error", table);
        let audit = run("audit", dir.path());
        assert_eq!(audit, run("plan", dir.path()), "{table}");
        assert_eq!(audit.0, 2, "{table}: {audit:?}");
    }
}

#[test]
fn fail_on_warning_is_accepted_by_both() {
    let dir = repo_with("warning", "");
    let (code, err) = run("audit", dir.path());
    assert_ne!(code, 2, "{err}");
    let (code, err) = run("plan", dir.path());
    assert_eq!(code, 0, "{err}");
}
