//! Each command accepts only the `--format`s it can write; any other exits 2
//! naming the ones it has (never silently text). The table is
//! `commands::accepted_formats`, documented in docs/json.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const ALL: [&str; 6] = ["text", "json", "sarif", "junit", "github", "markdown"];

fn infra(args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .current_dir(dir.path())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn plan_refuses_sarif_and_names_its_formats() {
    let (code, err) = infra(&["plan", "--format", "sarif"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`infra plan` writes text or json, not sarif"),
        "{err}"
    );
}

#[test]
fn every_command_refuses_the_formats_it_cannot_write() {
    let text_json: &[&str] = &["text", "json"];
    let cases: &[(&[&str], &str, &[&str])] = &[
        (&["audit"], "audit", &ALL),
        (&["init", "--no-input"], "init", text_json),
        (&["update"], "update", text_json),
        (&["plan"], "plan", text_json),
        (&["check"], "check", text_json),
        (&["rules"], "rules", text_json),
        (&["explain", "readme-missing"], "explain", text_json),
        (&["context"], "context", text_json),
        (&["completions", "bash"], "completions", &["text"]),
        (&["man"], "man", &["text"]),
    ];
    for (args, name, accepted) in cases {
        for format in ALL {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let (code, err) = infra(&all);
            let refused = err.contains(&format!("`infra {name}` writes"));
            if accepted.contains(&format) {
                assert!(!refused, "infra {all:?} refused {format}: {err}");
            } else {
                assert_eq!(code, 2, "infra {all:?}: {err}");
                assert!(refused, "infra {all:?}: {err}");
                let want = format!("use --format {}", accepted.join("|"));
                assert!(err.contains(&want), "infra {all:?}: {err}");
            }
        }
    }
}
