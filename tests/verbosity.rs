//! `-q` prints only what fails and the verdict, the default what changed or
//! needs attention, `-v` adds what passed and the time taken.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::path::Path;

fn infra(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("infra").unwrap();
    cmd.current_dir(dir).env_remove("CI").env("NO_COLOR", "1");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const FULL: &[&str] = &[
    "--set=platform.target=gcp",
    "--set=platform.region=europe-west1",
    "--set=environments=dev,staging,production",
    "--set=sla.availability=99.9",
    "--set=sla.latency_p95_ms=300",
    "--set=sla.error_rate_percent=1",
    "--set=alerts.channel=slack:#ops",
];

/// A repo with findings of both levels: sources that need infra files.
fn unrendered() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Shop\n\nSells things.\n").unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("index.js"),
        "const url = process.env.DATABASE_URL;\n",
    )
    .unwrap();
    dir
}

#[test]
fn audit_quiet_prints_only_failing_findings_and_the_verdict() {
    let dir = unrendered();
    let (code, normal) = infra(dir.path(), &["audit", "."]);
    assert_eq!(code, 13);
    assert!(
        normal.contains("warning["),
        "the fixture has warnings:\n{normal}"
    );
    assert!(normal.contains("Summary by checklist section:"));
    assert!(!normal.contains("Passed ("));

    let (code, quiet) = infra(dir.path(), &["audit", ".", "-q"]);
    assert_eq!(code, 13, "-q keeps the exit code");
    assert!(quiet.contains("error["), "{quiet}");
    assert!(
        !quiet.contains("warning["),
        "below the failing level:\n{quiet}"
    );
    assert!(!quiet.contains("Summary by checklist section:"), "{quiet}");
    assert!(!quiet.contains("Not applicable:"), "{quiet}");
    let last = quiet.lines().last().unwrap();
    assert_eq!(
        last,
        normal.lines().last().unwrap(),
        "the verdict is the same"
    );
    assert!(last.starts_with("readiness: "), "{last}");

    // With --fail-on warning, warnings are failing findings too.
    let (_, quiet) = infra(dir.path(), &["audit", ".", "-q", "--fail-on", "warning"]);
    assert!(quiet.contains("warning["), "{quiet}");
}

#[test]
fn audit_verbose_adds_passing_rules_and_the_time() {
    let dir = unrendered();
    let (code, verbose) = infra(dir.path(), &["audit", ".", "-v"]);
    assert_eq!(code, 13);
    assert!(verbose.contains("Summary by checklist section:"));
    assert!(verbose.contains("Passed ("), "{verbose}");
    assert!(verbose.contains("  readme-missing "), "{verbose}");
    assert!(verbose.contains("Took "), "{verbose}");
    assert!(verbose.lines().last().unwrap().starts_with("readiness: "));
}

#[test]
fn render_commands_follow_the_same_levels() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["init", ".", "--no-input"];
    args.extend(FULL);
    let (code, init) = infra(dir.path(), &args);
    assert_eq!(code, 0);
    assert!(init.contains("create           infra.toml"), "{init}");
    assert!(init.contains("Next steps:"), "{init}");

    // A second init changes nothing: the default names no unchanged file.
    let (_, again) = infra(dir.path(), &["init", ".", "--no-input"]);
    assert!(!again.contains("unchanged        "), "{again}");
    assert!(again.contains("0 created, 0 updated, "), "{again}");
    let (_, verbose) = infra(dir.path(), &["init", ".", "--no-input", "-v"]);
    assert!(
        verbose.contains("unchanged        .github/workflows/ci.yml"),
        "{verbose}"
    );
    assert!(verbose.contains("took "), "{verbose}");

    // plan -q: the changing file and the verdict, no diff; the default has the diff.
    let set = ["plan", ".", "--set", "sla.availability=99.95"];
    let (_, plan) = infra(dir.path(), &set);
    assert!(plan.contains("+availability = 99.95"), "{plan}");
    let (_, quiet) = infra(dir.path(), &[&set[..], &["-q"]].concat());
    assert!(!quiet.is_empty(), "plan -q printed nothing");
    assert!(quiet.contains("update           infra.toml"), "{quiet}");
    assert!(!quiet.contains("+availability"), "{quiet}");
    assert!(quiet.contains("Nothing was written."), "{quiet}");

    let (code, check) = infra(dir.path(), &["check", ".", "-q"]);
    assert_eq!(code, 0);
    assert!(check.ends_with("in sync\n"), "{check}");
    assert!(!check.contains("unchanged        "), "{check}");
}

#[test]
fn context_quiet_is_one_line_of_counts_and_verbose_adds_the_time() {
    let dir = unrendered();
    let (_, normal) = infra(dir.path(), &["context", "."]);
    let (_, quiet) = infra(dir.path(), &["context", ".", "-q"]);
    let (_, verbose) = infra(dir.path(), &["context", ".", "-v"]);
    assert!(normal.contains("Services"), "{normal}");
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(quiet.contains("1 environment variables"), "{quiet}");
    assert!(verbose.starts_with(&normal), "{verbose}");
    assert!(verbose.contains("Took "), "{verbose}");
}
