//! Generated artefacts of the command line: completions, man page, usage errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn infra() -> Command {
    Command::cargo_bin("infra").unwrap()
}

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let out = infra().args(["completions", shell]).assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for cmd in [
            "init", "update", "plan", "check", "audit", "rules", "explain", "context",
        ] {
            assert!(text.contains(cmd), "{shell} completions lack {cmd}");
        }
    }
}

#[test]
fn man_page_is_roff_with_the_commands() {
    infra().arg("man").assert().success().stdout(
        predicate::str::starts_with(".ie")
            .or(predicate::str::starts_with(".TH"))
            .and(predicate::str::contains("infra\\-init")),
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    infra().arg("--bogus").assert().code(2);
    infra()
        .args(["init", "--color", "sometimes"])
        .assert()
        .code(2);
    infra().args(["-q", "-v", "rules"]).assert().code(2);
}
