//! The bundled example (examples/shopfront) is committed rendered: `infra
//! init` must leave it unchanged, and it must pass its own audit.
//! After changing templates, re-render it with
//! `cargo run -- update examples/shopfront` and commit the result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn infra() -> Command {
    let mut cmd = Command::cargo_bin("infra").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

#[test]
fn committed_example_is_in_sync_with_the_templates() {
    infra()
        .args(["check", "examples/shopfront"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in sync"));
}

#[test]
fn committed_example_passes_its_audit() {
    infra()
        .args(["audit", "examples/shopfront", "--fail-on", "note"])
        .assert()
        .code(0);
}
