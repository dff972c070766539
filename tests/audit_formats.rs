//! Report formats: SARIF validated against the official OASIS SARIF 2.1.0
//! schema (tests/schemas/sarif-2.1.0.json), no secret value in any format,
//! and the escaping of JUnit, GitHub annotations and Markdown.
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

const FORMATS: &[&str] = &["text", "json", "sarif", "junit", "github", "markdown"];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(root: &Path, format: &str) -> String {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--color", "always", "--format", format])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 11 | 12 | 13)),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SECRETS: &[&str] = &[
    "ghp_Zx8Kq2Lm4Np6Rs8Tu0Vw2Xy4Za6Bc8De0Fg2",
    "AKIAZ7QW3ERTY5UIOP2A",
    "sk_live_51Hx9QzLmNoPqRsTuVwXyZ0123",
    "hunter2-correct-horse-99",
    "S3cr3tPassw0rd",
];

/// The complete repo with secret-looking values planted on lines findings
/// point at (alert rows without runbooks), plus one suppressed finding.
fn repo_with_secrets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/audit/complete"),
        dir.path(),
    );
    let obs = dir.path().join("docs/infra/observability.md");
    let text = fs::read_to_string(&obs).unwrap();
    let text = text
        .replace(
            "| CPU | > 85% for 10 min | [api](runbooks/api.md) |",
            &format!(
                "| CPU | > 85% for 10 min, token {} key {} | none |",
                SECRETS[0], SECRETS[1]
            ),
        )
        .replace(
            "| Memory | > 90% for 10 min | [api](runbooks/api.md) |",
            &format!(
                "| Memory | > 90% for 10 min STRIPE={} DB_PASSWORD={} | none |",
                SECRETS[2], SECRETS[3]
            ),
        )
        .replace(
            "| Disk | > 80% full | [api](runbooks/api.md) |",
            &format!(
                "| Disk | > 80% of postgres://app:{}@db.internal:5432/ledger | none |",
                SECRETS[4]
            ),
        );
    fs::write(&obs, text).unwrap();
    let dep = dir.path().join("docs/infra/deployments.md");
    let text = fs::read_to_string(&dep).unwrap().replace(
        "## How to roll back\n\nRun the `rollback` workflow with the previous release tag.\n",
        &directive(
            "<!-- INFRA_IGNORE[deploy-no-rollback] the platform keeps the previous release -->\n",
        ),
    );
    fs::write(&dep, text).unwrap();
    dir
}

#[test]
fn no_format_prints_a_secret_value() {
    let dir = repo_with_secrets();
    // The planted lines are reported (so redaction, not absence, keeps them out).
    let v: Value = serde_json::from_str(&run(dir.path(), "json")).unwrap();
    let snippets: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "alert-not-actionable")
        .filter_map(|f| f["snippet"].as_str())
        .collect();
    assert_eq!(snippets.len(), 3, "{v:#}");
    assert!(
        snippets.iter().all(|s| s.contains("chars)")),
        "{snippets:?}"
    );
    for format in FORMATS {
        let out = run(dir.path(), format);
        for secret in SECRETS {
            assert!(!out.contains(secret), "{format} printed {secret}:\n{out}");
        }
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(manifest_dir().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_matches_the_official_schema() {
    let validator = sarif_validator();
    let readme_only = tempfile::tempdir().unwrap();
    fs::write(
        readme_only.path().join("README.md"),
        "# Shop\n\nA small shop that sells tea online.\n",
    )
    .unwrap();
    let secrets = repo_with_secrets();
    let roots = [
        readme_only.path().to_path_buf(),
        secrets.path().to_path_buf(),
        manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail"),
        manifest_dir().join("tests/fixtures/audit/complete"),
    ];
    let mut saw = (false, false, false);
    for root in &roots {
        let doc: Value = serde_json::from_str(&run(root, "sarif")).unwrap();
        assert_valid(&validator, &doc);
        for r in doc["runs"][0]["results"].as_array().unwrap() {
            saw.0 |= r.get("suppressions").is_some();
            saw.1 |= r.get("relatedLocations").is_some();
            saw.2 |= r["locations"][0]["physicalLocation"]
                .get("region")
                .is_some();
        }
    }
    assert_eq!(
        saw,
        (true, true, true),
        "suppressions, related locations and regions are all exercised"
    );

    // The validator does reject a broken log, so the checks above mean something.
    let mut broken: Value = serde_json::from_str(&run(&roots[0], "sarif")).unwrap();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(validator.iter_errors(&broken).next().is_some());
}

#[test]
fn junit_has_a_case_per_rule_and_escapes_text() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "junit");
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let cases = out.matches("<testcase ").count();
    assert!(cases >= 18, "{out}");
    assert!(out.contains("name=\"alert-not-actionable\""));
    assert!(out.contains("<failure type=\"error\""));
    // Quotes in messages are escaped inside XML attributes.
    assert!(
        out.contains("alert &quot;CPU&quot; links no runbook"),
        "{out}"
    );
    assert!(!out.contains("alert \"CPU\""), "{out}");
    assert_eq!(
        out.matches("<testsuite ").count(),
        out.matches("</testsuite>").count()
    );
    assert!(out.contains("<property name=\"suppressed\" value=\"1\"/>"));
}

#[test]
fn github_annotations_are_escaped_one_per_line() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "github");
    // The planted secrets are hardcoded-secret findings too; these are the alerts'.
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::") && l.contains("title=alert-not-actionable"))
        .collect();
    assert_eq!(annotations.len(), 3, "{out}");
    for a in &annotations {
        assert!(
            a.starts_with("::error file=docs/infra/observability.md,line="),
            "{a}"
        );
        assert!(a.contains(",title=alert-not-actionable (§4.3)::"), "{a}");
        assert!(a.contains("%0Ahelp: "), "{a}");
    }
    assert!(out.contains("1 suppressed"));
}

#[test]
fn markdown_is_a_table_with_escaped_cells() {
    let dir = repo_with_secrets();
    let out = run(dir.path(), "markdown");
    assert!(out.starts_with("## infra audit failed"), "{out}");
    assert!(out.contains("| Level | Rule | Location | Finding | Fix |"));
    assert!(out.contains("| § | Section |"));
    assert!(out.contains("1 suppressed"));
    for line in out.lines().filter(|l| l.starts_with("| **error**")) {
        assert_eq!(
            line.matches(" | ").count() + 2,
            6,
            "a cell leaked a pipe: {line}"
        );
    }
}

#[test]
fn text_colour_follows_the_flag() {
    let dir = repo_with_secrets();
    let coloured = run(dir.path(), "text");
    assert!(coloured.contains("\u{1b}["));
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
}

fn audit_cmd(root: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--color", "never"])
        .args(args)
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn output_writes_every_format_to_the_file_and_nothing_to_stdout() {
    let root = manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail");
    let out_dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let file = out_dir.path().join(format!("report.{format}"));
        // A stale report is replaced whole, not appended to.
        fs::write(&file, "STALE-REPORT-0x5eed").unwrap();
        let out = audit_cmd(
            &root,
            &["--format", format, "--output", file.to_str().unwrap()],
        );
        let stdout = run(&root, format).replace("\u{1b}", "");
        assert!(
            matches!(out.status.code(), Some(11..=13)),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{format}: the report went to stdout");
        let written = fs::read_to_string(&file).unwrap();
        assert!(!written.contains("STALE-REPORT-0x5eed"), "{format}");
        // The same report as on stdout (colour codes aside), up to timings.
        let first = |s: &str| s.lines().next().unwrap_or("").to_string();
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("\"duration") && !l.contains("time="))
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
        };
        if *format == "text" {
            assert_eq!(first(&written), first(&run_plain(&root)), "{format}");
        } else {
            assert_eq!(strip(&written).len(), strip(&stdout).len(), "{format}");
        }
    }
    // Only the reports are left: no temporary file survives a write.
    let mut names: Vec<String> = fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), FORMATS.len(), "{names:?}");
}

fn run_plain(root: &Path) -> String {
    String::from_utf8(audit_cmd(root, &[]).stdout).unwrap()
}

#[test]
fn output_to_a_missing_folder_or_a_folder_is_a_usage_error() {
    let root = manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder/report.sarif");
    let out = audit_cmd(
        &root,
        &["--format", "sarif", "-o", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write the report to"), "{err}");
    assert!(err.contains("give a file in an existing folder"), "{err}");
    assert!(!missing.exists());

    let out = audit_cmd(&root, &["-o", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn output_in_a_read_only_folder_is_an_io_error_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let root = manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    fs::write(&file, "previous report").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let out = audit_cmd(&root, &["--format", "json", "-o", file.to_str().unwrap()]);
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores folder permissions; then the write succeeds and there is
    // nothing to check.
    if out.status.code() == Some(4) {
        assert_eq!(fs::read_to_string(&file).unwrap(), "previous report");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report"));
    } else {
        assert!(fs::read_to_string(&file)
            .unwrap()
            .contains("\"version\": 1"));
    }
}

#[test]
fn help_links_point_at_docs_url_only_when_it_is_set() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/rules/cache-invalidation-undocumented/fail"),
        dir.path(),
    );
    let sarif = |root: &Path| -> Value {
        serde_json::from_slice(&audit_cmd(root, &["--format", "sarif"]).stdout).unwrap()
    };
    let markdown =
        |root: &Path| String::from_utf8(audit_cmd(root, &["--format", "markdown"]).stdout).unwrap();

    // Unset: no link into infra's own source tree anywhere.
    let doc = sarif(dir.path());
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|r| r.get("helpUri").is_none()));
    assert!(!doc.to_string().contains("docs/rules.md#"));
    assert!(rules[0]["help"]["text"]
        .as_str()
        .unwrap()
        .contains("See `infra explain "));
    let md = markdown(dir.path());
    assert!(md.contains("| `cache-invalidation-undocumented` §"), "{md}");
    assert!(!md.contains("](docs/rules.md"), "{md}");
    assert!(run_plain(dir.path()).contains("= see: infra explain cache-invalidation-undocumented"));

    let url = "https://example.com/acme/infra/v1/rules.md";
    let toml = dir.path().join("infra.toml");
    let mut text = fs::read_to_string(&toml).unwrap_or_default();
    text.push_str(&format!("\n[audit]\ndocs_url = \"{url}\"\n"));
    fs::write(&toml, text).unwrap();
    let doc = sarif(dir.path());
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert_eq!(r["helpUri"].as_str().unwrap(), format!("{url}#{id}"));
    }
    let md = markdown(dir.path());
    assert!(
        md.contains(&format!(
            "[`cache-invalidation-undocumented`]({url}#cache-invalidation-undocumented)"
        )),
        "{md}"
    );
    let json: Value =
        serde_json::from_slice(&audit_cmd(dir.path(), &["--format", "json"]).stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!(
        f["docs"].as_str().unwrap(),
        format!("{url}#{}", f["rule"].as_str().unwrap())
    );
    // The terminal still names the command.
    assert!(run_plain(dir.path()).contains("= see: infra explain cache-invalidation-undocumented"));

    // A fragment or plain http is refused with the key's location.
    fs::write(
        &toml,
        "[audit]\ndocs_url = \"http://example.com/rules.md\"\n",
    )
    .unwrap();
    let out = audit_cmd(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("infra.toml:2:1: [audit] docs_url"));
}
