//! `infra audit` end to end: exit codes, the README-only acceptance case,
//! thresholds, level overrides, inline and config ignores, baselines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::copy_dir;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// Ignore comments in test texts are spelled `INFRA_IGNORE[` and expanded
/// here, so this file holds no real ignore when the repository audits itself.
fn directive(text: &str) -> String {
    text.replace("INFRA_IGNORE[", concat!("infra", ": ignore["))
}

fn complete() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/complete")
}

/// A copy of the complete fixture repo to modify.
fn copy_complete() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&complete(), dir.path());
    dir
}

fn infra(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .arg("audit")
        .arg(root)
        .args(args)
        .env_remove("NO_COLOR")
        // The day the fixtures' base images were checked (eol-runtime).
        .env("SOURCE_DATE_EPOCH", "1796256000")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(root: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = infra(root, &all);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}")),
    )
}

fn edit(root: &Path, path: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(path);
    let text = fs::read_to_string(&p).unwrap_or_default();
    fs::write(p, directive(&f(text))).unwrap();
}

fn rules_failing(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    ids.dedup();
    ids
}

#[test]
fn empty_directory_is_nothing_to_audit() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = infra(dir.path(), &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("nothing to audit"), "{err}");
}

#[test]
fn complete_repo_passes_every_rule() {
    let (code, v) = json(&complete(), &[]);
    assert_eq!(code, 0, "{v:#}");
    for r in v["results"].as_array().unwrap() {
        // The change rules judge a change, secret-in-history the commits:
        // outside diff mode or without --history they say so.
        let rule = r["rule"].as_str().unwrap();
        let change_rule = rule.starts_with("change-") || rule == "secret-in-history";
        let want = if change_rule {
            "not-applicable"
        } else {
            "pass"
        };
        assert_eq!(r["status"], want, "{r}");
    }
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn readme_only_repo_reports_each_missing_piece_with_its_init_command() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("README.md"),
        "# Shop\n\nA small shop that sells tea online.\n",
    )
    .unwrap();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 13);
    assert_eq!(
        rules_failing(&v),
        [
            "projectplan-missing",
            "infra-answers-missing",
            "environments-incomplete",
            "config-doc-missing",
            "ci-missing",
            "deploy-doc-missing",
            "dashboards-missing",
            "alerts-missing",
            "overview-doc-missing",
        ]
    );
    for f in v["findings"].as_array().unwrap() {
        let fix = f["fix"].as_str().unwrap();
        assert!(fix.contains("infra init"), "fix names no init command: {f}");
        assert!(f["fingerprint"].as_str().unwrap().len() == 32);
    }
    let (_, text, _) = infra(dir.path(), &["--color", "never"]);
    insta::assert_snapshot!("readme-only-text", text);
}

#[test]
fn malformed_infra_toml_is_exit_2_with_position() {
    let dir = copy_complete();
    fs::write(dir.path().join("infra.toml"), "[platform]\ntarget = \n").unwrap();
    let (code, _, err) = infra(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("infra.toml:2:"), "{err}");
}

#[test]
fn unknown_rule_in_overrides_is_exit_2_with_suggestion() {
    let dir = copy_complete();
    edit(dir.path(), "infra.toml", |t| {
        format!("{t}\n[audit.rules]\nprojectplan-mising = \"off\"\n")
    });
    let (code, _, err) = infra(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean \"projectplan-missing\""),
        "{err}"
    );
    assert!(err.contains("infra.toml:"), "{err}");
}

#[test]
fn fail_on_threshold_and_level_overrides_pick_the_exit_code() {
    let dir = copy_complete();
    fs::remove_file(dir.path().join("projectplan.md")).unwrap();
    // Only a warning: below the default threshold.
    assert_eq!(infra(dir.path(), &[]).0, 0);
    assert_eq!(infra(dir.path(), &["--fail-on", "warning"]).0, 12);
    assert_eq!(infra(dir.path(), &["--fail-on", "note"]).0, 12);

    let base = fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[audit]\nfail_on = \"warning\"\n"),
    )
    .unwrap();
    assert_eq!(infra(dir.path(), &[]).0, 12);
    // The flag wins over infra.toml.
    assert_eq!(infra(dir.path(), &["--fail-on", "error"]).0, 0);

    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[audit.rules]\nprojectplan-missing = \"error\"\n"),
    )
    .unwrap();
    assert_eq!(infra(dir.path(), &[]).0, 13);

    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[audit.rules]\nprojectplan-missing = \"off\"\n"),
    )
    .unwrap();
    let (code, v) = json(dir.path(), &["--fail-on", "note"]);
    assert_eq!(code, 0);
    let r = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "projectplan-missing")
        .unwrap();
    assert_eq!(r["status"], "not-applicable");
}

fn drop_rollback(root: &Path, replacement: &str) {
    edit(root, "docs/infra/deployments.md", |t| {
        t.replace(
            "## How to roll back\n\nRun the `rollback` workflow with the previous release tag.\n",
            replacement,
        )
    });
}

#[test]
fn inline_ignores_need_a_reason_and_can_be_forbidden() {
    let dir = copy_complete();
    drop_rollback(
        dir.path(),
        "<!-- INFRA_IGNORE[deploy-no-rollback] we redeploy the previous image by hand -->\n",
    );
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["suppressed"][0]["kind"], "inline");
    assert_eq!(
        v["suppressed"][0]["reason"],
        "we redeploy the previous image by hand"
    );
    let text = infra(dir.path(), &["--color", "never"]).1;
    assert!(text.contains("1 suppressed"), "{text}");

    // --no-ignores shows it again.
    assert_eq!(infra(dir.path(), &["--no-ignores"]).0, 13);

    // An organisation may forbid inline ignores.
    let base = fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[audit]\nallow_inline_ignores = false\n"),
    )
    .unwrap();
    assert_eq!(infra(dir.path(), &[]).0, 13);
    fs::write(dir.path().join("infra.toml"), &base).unwrap();

    // Without a reason it suppresses nothing and is reported.
    edit(dir.path(), "docs/infra/deployments.md", |t| {
        t.replace(" we redeploy the previous image by hand", "")
    });
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 13);
    assert_eq!(
        rules_failing(&v),
        ["deploy-no-rollback", "ignore-missing-reason"]
    );
}

#[test]
fn unused_and_unknown_inline_ignores_are_reported() {
    let dir = copy_complete();
    edit(dir.path(), "docs/infra/deployments.md", |t| {
        format!("{t}\n<!-- INFRA_IGNORE[deploy-no-rollback] stale -->\n<!-- INFRA_IGNORE[deploy-no-rolback] typo -->\n")
    });
    let (code, v) = json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 12);
    assert_eq!(rules_failing(&v), ["ignore-unused", "ignore-unknown-rule"]);
    let msg = v["findings"][1]["message"].as_str().unwrap();
    assert!(msg.contains("did you mean \"deploy-no-rollback\""), "{msg}");
}

#[test]
fn config_ignores_match_rule_and_path_globs() {
    let dir = copy_complete();
    drop_rollback(dir.path(), "");
    let base = fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[[audit.ignore]]\nrule = \"deploy-no-rollback\"\npaths = [\"docs/infra/*.md\"]\nreason = \"platform keeps the previous release\"\n"),
    )
    .unwrap();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["suppressed"][0]["kind"], "config");

    fs::write(
        dir.path().join("infra.toml"),
        format!("{base}\n[[audit.ignore]]\nrule = \"deploy-no-rollback\"\npaths = [\"other/**\"]\nreason = \"elsewhere\"\n"),
    )
    .unwrap();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 13);
    assert_eq!(rules_failing(&v), ["deploy-no-rollback", "ignore-unused"]);
    let unused = &v["findings"][1];
    assert_eq!(unused["path"], "infra.toml");
    assert!(unused["line"].as_u64().unwrap() > 0);
}

#[test]
fn baselines_suppress_by_fingerprint_survive_moved_lines_and_report_stale_entries() {
    let dir = copy_complete();
    edit(dir.path(), "docs/infra/observability.md", |t| {
        t.replace("| [api](runbooks/api.md) |\n| Memory", "| none |\n| Memory")
    });
    let baseline = dir.path().join("baseline.json");
    let (code, _, err) = infra(
        dir.path(),
        &["--write-baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let (code, v) = json(dir.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["suppressed"], 1);
    let before = v["suppressed"][0]["line"].as_u64().unwrap();

    // Lines move: the fingerprint does not.
    edit(dir.path(), "docs/infra/observability.md", |t| {
        t.replace(
            "# Observability\n",
            "# Observability\n\nIntro.\n\nMore intro.\n",
        )
    });
    let (code, v) = json(dir.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["suppressed"][0]["line"].as_u64().unwrap(), before + 4);

    // Fixed: the entry is stale and reported as a note.
    edit(dir.path(), "docs/infra/observability.md", |t| {
        t.replace("| none |\n| Memory", "| [api](runbooks/api.md) |\n| Memory")
    });
    let (code, v) = json(
        dir.path(),
        &[
            "--baseline",
            baseline.to_str().unwrap(),
            "--fail-on",
            "note",
        ],
    );
    assert_eq!(code, 11);
    assert_eq!(rules_failing(&v), ["baseline-stale"]);
}

#[test]
fn explain_and_rules_reject_unknown_formats_and_ids() {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["rules", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inline_ignores_work_in_source_files_of_any_language() {
    let dir = copy_complete();
    edit(dir.path(), "server.js", |t| {
        format!("{t}// INFRA_IGNORE[config-var-undocumented] debug switch, never set in deployed environments\nconst debug = process.env.DEBUG_SQL;\n")
    });
    // Listed in .env.example, so only config-var-undocumented is about it.
    edit(dir.path(), ".env.example", |t| format!("{t}DEBUG_SQL=\n"));
    let (code, v) = json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["suppressed"][0]["rule"], "config-var-undocumented");
    assert_eq!(v["suppressed"][0]["path"], "server.js");
    let (code, v) = json(dir.path(), &["--fail-on", "warning", "--no-ignores"]);
    assert_eq!(code, 12);
    assert_eq!(rules_failing(&v), ["config-var-undocumented"]);
}

#[test]
fn json_v1_shape_is_frozen() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("README.md"),
        "# Shop\n\nA small shop that sells tea online.\n",
    )
    .unwrap();
    let (_, mut v) = json(dir.path(), &[]);
    v["tool"]["version"] = Value::from("[version]");
    insta::assert_json_snapshot!("readme-only-json-v1", v);
}

#[test]
fn bad_baselines_are_exit_2() {
    let dir = copy_complete();
    let b = dir.path().join("b.json");
    fs::write(&b, "{\"version\": 1, \"findings\": [").unwrap();
    let (code, _, err) = infra(dir.path(), &["--baseline", b.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("b.json: line 1"), "{err}");
    let (code, _, _) = infra(dir.path(), &["--baseline", "/definitely/not/here.json"]);
    assert_eq!(code, 2);
}

#[test]
fn odd_files_do_not_crash_the_audit() {
    let dir = copy_complete();
    fs::write(
        dir.path().join("docs/infra/binary.md"),
        [0u8, 159, 146, 150, 0, 1],
    )
    .unwrap();
    fs::write(
        dir.path().join("docs/infra/weird.md"),
        "\u{feff}#\n##\n###### \n<!--\n```\n# x\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("docker-compose.override.yml"),
        "services: [\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"docs/infra/bad-\xff.md");
        fs::write(dir.path().join(name), directive("# x\n<!-- INFRA_IGNORE[")).unwrap();
    }
    for format in ["text", "json", "sarif", "junit", "github", "markdown"] {
        let (code, _, err) = infra(dir.path(), &["--format", format, "--fail-on", "note"]);
        assert!(matches!(code, 0 | 11 | 12 | 13), "{format}: {code} {err}");
    }
}

#[test]
fn source_date_epoch_sets_the_audit_date() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/eol-runtime/fail");
    let status = |epoch: &str| {
        let out = Command::cargo_bin("infra")
            .unwrap()
            .args(["audit", "--format", "json"])
            .arg(&fixture)
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        let status = v["results"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["rule"] == "eol-runtime"))
            .map(|r| r["status"].as_str().unwrap_or("").to_string());
        (code, status)
    };
    // 2026-12-03: Node.js 16 and Python 3.8 are past their end of life.
    assert_eq!(status("1796256000").1.as_deref(), Some("fail"));
    // 2020-09-13: neither was yet.
    assert_eq!(status("1600000000").1.as_deref(), Some("pass"));
    assert_eq!(status("yesterday").0, 2);
}
