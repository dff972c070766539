//! `infra init` answer handling through the real binary: missing answers,
//! malformed or unknown keys in infra.toml, precedence and idempotence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn infra(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infra").unwrap();
    cmd.current_dir(dir).env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    cmd
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

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn no_input_without_answers_exits_2_lists_every_key_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# App\n").unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("platform.target")
                .and(predicate::str::contains("environments"))
                .and(predicate::str::contains("sla.availability"))
                .and(predicate::str::contains("sla.latency_p95_ms"))
                .and(predicate::str::contains("sla.error_rate_percent"))
                .and(predicate::str::contains("--set platform.target="))
                .and(predicate::str::contains("Nothing was written")),
        );
    assert_eq!(files_in(dir.path()), ["README.md"]);
}

#[test]
fn ci_variable_alone_disables_prompts() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .env("CI", "true")
        .args(["init", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing answers"));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn malformed_infra_toml_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("infra.toml"),
        "[platform]\ntarget = \"aws\n",
    )
    .unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("infra.toml:2:"));
}

#[test]
fn unknown_key_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("infra.toml"),
        "[sla]\navailability = 99.9\nuptime = 3\n",
    )
    .unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("infra.toml:3:1").and(predicate::str::contains("uptime")));
}

#[test]
fn invalid_values_name_their_source() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("infra.toml"),
        "[sla]\navailability = 100.5\n",
    )
    .unwrap();
    infra(dir.path())
        .env("INFRA_PLATFORM_TARGET", "heroku")
        .args([
            "init",
            ".",
            "--no-input",
            "--set",
            "environments.production.url=http://x.example",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("infra.toml:2:16: sla.availability")
                .and(predicate::str::contains(
                    "INFRA_PLATFORM_TARGET: platform.target",
                ))
                .and(predicate::str::contains(
                    "--set environments.production.url",
                )),
        );
}

#[test]
fn answers_from_set_write_infra_toml_and_a_second_run_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .assert()
        .success();
    let first = std::fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    let t: infra::answers::InfraToml = toml::from_str(&first).unwrap();
    assert_eq!(t.platform.unwrap().region.as_deref(), Some("europe-west1"));
    let snapshot = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(root).unwrap().display().to_string();
                    all.push((rel, std::fs::read(&path).unwrap()));
                }
            }
        }
        all.sort();
        all
    };
    let before = snapshot(dir.path());
    assert!(before.iter().any(|(p, _)| p == "docs/infra/deployments.md"));
    // Second run: every answer now comes from infra.toml; nothing changes.
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 created, 0 updated"));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn set_beats_answers_file_which_beats_infra_toml() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .assert()
        .success();
    let answers = dir.path().join("answers.toml");
    std::fs::write(
        &answers,
        "[sla]\navailability = 99.5\nlatency_p95_ms = 200\n",
    )
    .unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input", "--answers"])
        .arg(&answers)
        .args(["--set", "sla.availability=99.95"])
        .assert()
        .success();
    let t: infra::answers::InfraToml =
        toml::from_str(&std::fs::read_to_string(dir.path().join("infra.toml")).unwrap()).unwrap();
    let sla = t.sla.unwrap();
    assert_eq!(sla.availability, Some(99.95));
    assert_eq!(sla.latency_p95_ms, Some(200));
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", "does-not-exist", "--no-input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist does not exist"));
}

#[test]
fn help_lists_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path()).arg("--help").assert().success().stdout(
        predicate::str::contains("Exit codes:").and(predicate::str::contains(
            "21  check/update: unresolved merge conflicts",
        )),
    );
}

fn init_full(dir: &Path) {
    infra(dir)
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .assert()
        .success();
}

fn read_toml(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("infra.toml")).unwrap()
}

#[test]
fn update_saves_set_to_infra_toml_keeping_comments_and_check_agrees() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    let text = read_toml(dir.path()).replace(
        "latency_p95_ms = 300",
        "latency_p95_ms = 300  # agreed with the product team",
    );
    std::fs::write(dir.path().join("infra.toml"), &text).unwrap();
    infra(dir.path())
        .args(["update", ".", "--set", "sla.availability=99.95"])
        .assert()
        .success()
        .stdout(predicate::str::contains("infra.toml"));
    let after = read_toml(dir.path());
    assert!(after.contains("availability = 99.95"), "{after}");
    assert!(
        after.contains("latency_p95_ms = 300  # agreed with the product team"),
        "{after}"
    );
    assert_eq!(
        after.lines().count(),
        text.lines().count(),
        "only the value changed:\n{after}"
    );
    infra(dir.path())
        .args(["check", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in sync"));
}

#[test]
fn update_saves_an_answers_file() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    let answers = dir.path().join("more.toml");
    std::fs::write(&answers, "[sla]\nlatency_p95_ms = 180\n").unwrap();
    infra(dir.path())
        .args(["update", ".", "--answers"])
        .arg(&answers)
        .assert()
        .success();
    assert!(read_toml(dir.path()).contains("latency_p95_ms = 180"));
    infra(dir.path()).args(["check", "."]).assert().code(0);
}

#[test]
fn plan_shows_the_infra_toml_change_as_a_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    let before = read_toml(dir.path());
    infra(dir.path())
        .args(["plan", ".", "--set", "sla.availability=99.95"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("update           infra.toml")
                .and(predicate::str::contains("-availability = 99.9"))
                .and(predicate::str::contains("+availability = 99.95"))
                .and(predicate::str::contains("Nothing was written")),
        );
    assert_eq!(read_toml(dir.path()), before);
}

#[test]
fn infra_variables_are_per_run_overrides_and_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .env("INFRA_ALERTS_CHANNEL", "email:ops@example.com")
        .args(["init", ".", "--no-input"])
        .args(&FULL[..6])
        .assert()
        .success();
    let text = read_toml(dir.path());
    assert!(!text.contains("ops@example.com"), "{text}");
    assert!(!text.contains("[alerts]"), "{text}");
    // update with a variable and a --set: only the --set is saved.
    infra(dir.path())
        .env("INFRA_ALERTS_CHANNEL", "email:ops@example.com")
        .env("INFRA_SLA_LATENCY_P95_MS", "120")
        .args(["update", ".", "--set", "sla.availability=99.95"])
        .assert()
        .success();
    let text = read_toml(dir.path());
    assert!(text.contains("availability = 99.95"), "{text}");
    assert!(text.contains("latency_p95_ms = 300"), "{text}");
    assert!(!text.contains("ops@example.com"), "{text}");
}

#[test]
fn update_without_set_leaves_infra_toml_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    let text = format!("# our own note\n{}", read_toml(dir.path()));
    std::fs::write(dir.path().join("infra.toml"), &text).unwrap();
    infra(dir.path()).args(["update", "."]).assert().success();
    assert_eq!(read_toml(dir.path()), text);
}

#[test]
fn update_says_it_never_prompts_rather_than_blaming_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["update", "."])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("`infra update` never prompts")
                .and(predicate::str::contains("no terminal").not()),
        );
}

#[test]
fn init_says_which_switch_turned_prompts_off() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prompts are off because --no-input was given",
        ));
    infra(dir.path())
        .env("CI", "1")
        .args(["init", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prompts are off because the CI environment variable is set",
        ));
    // assert_cmd gives the child a closed, non-terminal stdin.
    infra(dir.path())
        .args(["init", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prompts are off because standard input is not a terminal",
        ));
}

#[test]
fn a_wrongly_typed_value_names_its_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("infra.toml"),
        "[platform]\ntarget = \"aws\"\n\n[sla]\navailability = \"high\"\n",
    )
    .unwrap();
    for command in ["init", "update", "plan", "check", "audit"] {
        infra(dir.path())
            .args([command, ".", "--no-input"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("infra.toml:5:16: sla.availability: ")
                    .and(predicate::str::contains("expected a number"))
                    .and(predicate::str::contains("f64").not()),
            );
    }
}

#[test]
fn an_unreadable_infra_toml_exits_4_naming_its_path() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should be: unreadable for root too.
    std::fs::create_dir(dir.path().join("infra.toml")).unwrap();
    infra(dir.path())
        .args(["update", "."])
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("cannot read")
                .and(predicate::str::contains("infra.toml"))
                .and(predicate::str::contains("internal error").not()),
        );
}

#[test]
fn a_file_that_cannot_be_written_exits_4_naming_its_path() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    // No folder to write into: an I/O error even for root.
    let target = dir.path().join("missing-folder/baseline.json");
    infra(dir.path())
        .args(["audit", "."])
        .arg("--write-baseline")
        .arg(&target)
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("missing-folder/baseline.json")
                .and(predicate::str::contains("internal error").not()),
        );
}

#[test]
fn an_unreadable_baseline_exits_4_naming_its_path() {
    let dir = tempfile::tempdir().unwrap();
    init_full(dir.path());
    std::fs::create_dir(dir.path().join("baseline.json")).unwrap();
    infra(dir.path())
        .args(["audit", ".", "--baseline", "baseline.json"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("baseline.json"));
    std::fs::remove_dir(dir.path().join("baseline.json")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::rename(dir.path().join("infra.toml"), dir.path().join("sub/x")).unwrap();
    std::fs::create_dir(dir.path().join("infra.toml")).unwrap();
    infra(dir.path())
        .args(["audit", "."])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("infra.toml"));
}

#[test]
fn a_region_the_platform_does_not_have_is_refused_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .args([
            "--set",
            "platform.target=aws",
            "--set",
            "platform.region=mars-central-9",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(
                "--set platform.region: platform.region: `mars-central-9` is not a region of AWS",
            )
            .and(predicate::str::contains("src/platform/aws.rs")),
        );
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .args(["--set", "platform.region=europe-wset1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `europe-west1`?"));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn weekly_backups_against_a_one_day_rpo_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .args([
            "--set=data.stores=postgresql",
            "--set=sla.rpo_hours=24",
            "--set=sla.rto_hours=4",
            "--set=data.backup_frequency=weekly",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--set data.backup_frequency: data.backup_frequency: weekly backups can lose up to 168 hours of data, more than the RPO (sla.rpo_hours = 24, from --set sla.rpo_hours)",
        ));
}

#[test]
fn allowed_contradictions_are_warnings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .args([
            "--set=environments.production.approval=false",
            "--set=data.stores=postgresql",
            "--set=sla.rpo_hours=1",
            "--set=sla.rto_hours=0.25",
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning: --set environments.production.approval: environments.production.approval: deploys to production do not wait for a reviewer")
                .and(predicate::str::contains("warning: --set sla.rto_hours: sla.rto_hours: an RTO of 0.25 hours")),
        );
    // The saved answers hold the default that fits the RPO.
    assert!(std::fs::read_to_string(dir.path().join("infra.toml"))
        .unwrap()
        .contains("backup_frequency = \"hourly\""));
    // -q keeps warnings out.
    infra(dir.path())
        .args(["check", ".", "-q"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_production_url_on_http_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    infra(dir.path())
        .args(["init", ".", "--no-input"])
        .args(FULL)
        .args(["--set", "environments.production.url=http://shop.example"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`http://shop.example` uses http; production must use https",
        ));
}
