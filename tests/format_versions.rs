//! Format versions of the files infra writes (src/file_version.rs):
//! `schema_version` in infra.toml, `version` in `.infra/lock.toml` and in
//! baselines. tests/fixtures/formats/previous holds files exactly as infra
//! wrote them before infra.toml had a `schema_version` (`infra init
//! --no-input`, then `infra audit --write-baseline`, by the build before
//! the key existed; the rendered files were removed to keep it small). They
//! must keep loading; a version newer than this build is exit 2 naming the
//! file, the key and what to do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{copy_of, tree};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn previous() -> PathBuf {
    repo().join("tests/fixtures/formats/previous")
}

fn infra(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn previous_version_files_parse() {
    let root = previous();
    let toml = fs::read_to_string(root.join("infra.toml")).unwrap();
    assert!(!toml.contains("schema_version"));
    let (answers, _) = infra::answers::read_infra_toml(&root).unwrap().unwrap();
    assert_eq!(answers.schema_version, None);
    assert_eq!(answers.platform.unwrap().target.as_deref(), Some("fly"));

    let lock = infra::render::lock::Lock::load(&root).unwrap();
    assert_eq!(lock.version, 1);
    assert_eq!(lock.files.len(), 14);

    let text = fs::read_to_string(root.join("audit-baseline.json")).unwrap();
    let baseline = infra::audit::baseline::Baseline::parse(&text).unwrap();
    assert_eq!(baseline.version, 1);
    assert_eq!(baseline.findings.len(), 9);
}

#[test]
fn previous_version_files_load_in_every_command() {
    let dir = copy_of(&previous());
    let root = dir.path();
    for args in [
        &["plan", "."][..],
        &["check", "."],
        &["update", "."],
        &["audit", ".", "--baseline", "audit-baseline.json"],
    ] {
        let out = infra(root, args);
        let err = stderr(&out);
        assert!(
            !matches!(out.status.code(), Some(1 | 2)),
            "infra {args:?}: {err}"
        );
        assert!(!err.contains("error"), "infra {args:?}: {err}");
    }
}

#[test]
fn init_adds_only_the_schema_version_line_to_a_previous_infra_toml() {
    let dir = copy_of(&previous());
    let root = dir.path();
    let before = fs::read_to_string(root.join("infra.toml")).unwrap();
    let out = infra(root, &["init", ".", "--no-input"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = fs::read_to_string(root.join("infra.toml")).unwrap();
    let header_end = before.find("\n\n").unwrap() + 1;
    let want = format!(
        "{}schema_version = 1  # format of this file, not your app's version\n{}",
        &before[..header_end],
        &before[header_end..]
    );
    assert_eq!(after, want);
    // A second run leaves it as it is.
    let out = infra(root, &["init", ".", "--no-input"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(root.join("infra.toml")).unwrap(), after);
}

#[test]
fn new_infra_toml_files_carry_the_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("README.md"), "# App\n\nAn app.\n").unwrap();
    let out = infra(
        root,
        &[
            "init",
            ".",
            "--no-input",
            "--set",
            "platform.target=vercel",
            "--set",
            "environments=dev,staging,production",
            "--set",
            "sla.availability=99.9",
            "--set",
            "sla.latency_p95_ms=300",
            "--set",
            "sla.error_rate_percent=1",
            "--set",
            "alerts.channel=slack:#ops",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = fs::read_to_string(root.join("infra.toml")).unwrap();
    assert!(
        text.contains(
            "\nschema_version = 1  # format of this file, not your app's version\n\n[project]\n"
        ),
        "{text}"
    );
    let lock = fs::read_to_string(root.join(".infra/lock.toml")).unwrap();
    assert!(lock.contains("\nversion = 1\n"), "{lock}");
}

#[test]
fn init_leaves_the_committed_example_unchanged() {
    let dir = copy_of(&repo().join("examples/shopfront"));
    let before = tree(dir.path());
    let out = infra(dir.path(), &["init", ".", "--no-input"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(tree(dir.path()), before);
    let toml = fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    assert!(toml.contains("\nschema_version = 1  #"), "{toml}");
}

/// `infra ARGS` on a copy of the previous fixture after `edit` exits 2 and
/// says `want` and what to do.
fn refused(edit: impl Fn(&Path), args: &[&str], want: &str) {
    let dir = copy_of(&previous());
    edit(dir.path());
    let out = infra(dir.path(), args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "infra {args:?}: {err}");
    assert!(err.contains(want), "infra {args:?}: {err}");
    assert!(err.contains("upgrade infra"), "infra {args:?}: {err}");
}

#[test]
fn a_newer_infra_toml_is_exit_2_at_its_line_and_column() {
    // A newer file may also have keys this build does not know; the
    // version is what the message is about.
    let newer = |root: &Path| {
        let text = fs::read_to_string(root.join("infra.toml")).unwrap();
        fs::write(
            root.join("infra.toml"),
            format!("schema_version = 2\n{text}\n[future]\nkey = 1\n"),
        )
        .unwrap();
    };
    let want = "infra.toml:1:18: schema_version = 2 is newer than this infra";
    refused(newer, &["plan", "."], want);
    refused(newer, &["init", ".", "--no-input"], want);
    refused(newer, &["audit", "."], want);
}

#[test]
fn a_newer_lock_is_exit_2() {
    let newer = |root: &Path| {
        let path = root.join(".infra/lock.toml");
        let text = fs::read_to_string(&path).unwrap();
        let text = text.replace("version = 1\n", "version = 2\nrenderer = \"next\"\n");
        fs::write(path, text).unwrap();
    };
    let want = ".infra/lock.toml: version = 2 is newer than this infra";
    refused(newer, &["plan", "."], want);
    refused(newer, &["check", "."], want);
}

#[test]
fn a_newer_baseline_is_exit_2() {
    let newer = |root: &Path| {
        let path = root.join("audit-baseline.json");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(path, text.replace("\"version\": 1", "\"version\": 2")).unwrap();
    };
    refused(
        newer,
        &["audit", ".", "--baseline", "audit-baseline.json"],
        "audit-baseline.json: version = 2 is newer than this infra",
    );
}
