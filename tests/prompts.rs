//! `infra init` at a real terminal: a pty answers every prompt, including a
//! rejected answer that is asked again, and Ctrl-C leaves nothing behind.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rexpect::session::{spawn_command, PtySession};
use std::process::Command;

const DOWN: &str = "\x1b[B";

fn spawn_init(dir: &std::path::Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.arg("init")
        .arg(dir)
        .env_remove("CI")
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    spawn_command(cmd, Some(20_000)).unwrap()
}

/// Type `text` and press Enter, after the prompt containing `prompt` appears.
fn answer(p: &mut PtySession, prompt: &str, text: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    p.send(text).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
}

#[test]
fn every_prompt_answered_in_a_pty_writes_infra_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# Shopfront\n\nSells things.\n",
    )
    .unwrap();
    let mut p = spawn_init(dir.path());
    answer(&mut p, "Project name", "");
    // vercel, netlify, aws: two steps down.
    answer(
        &mut p,
        "Where does this service run?",
        &format!("{DOWN}{DOWN}"),
    );
    answer(&mut p, "AWS region", "eu-west-1");
    answer(&mut p, "Environments", "");
    answer(&mut p, "Branch that deploys staging", "");
    answer(&mut p, "URL of staging", "https://staging.shop.example");
    answer(&mut p, "deploys to staging wait", "");
    answer(&mut p, "Branch that deploys production", "");
    // http is rejected outside dev, then asked again.
    answer(&mut p, "URL of production", "http://shop.example");
    p.exp_string("must use https").unwrap();
    // dialoguer asks again with an empty field.
    answer(&mut p, "URL of production", "https://shop.example");
    answer(&mut p, "deploys to production wait", "");
    answer(&mut p, "Availability target", "99.95");
    answer(&mut p, "p95 latency target", "250");
    answer(&mut p, "Error rate", "");
    answer(&mut p, "Where do alerts go?", "slack:#shop-ops");
    p.exp_string("create           infra.toml").unwrap();
    p.exp_eof().unwrap();

    let text = std::fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    let t: infra::answers::InfraToml = toml::from_str(&text).unwrap();
    let platform = t.platform.unwrap();
    assert_eq!(platform.target.as_deref(), Some("aws"));
    assert_eq!(platform.region.as_deref(), Some("eu-west-1"));
    assert_eq!(t.project.unwrap().name.as_deref(), Some("Shopfront"));
    let envs = t.environments.unwrap();
    let names: Vec<_> = envs.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "staging", "production"]);
    assert_eq!(envs[1].branch.as_deref(), Some("develop"));
    assert_eq!(envs[1].url.as_deref(), Some("https://staging.shop.example"));
    assert_eq!(envs[1].approval, Some(false));
    assert_eq!(envs[2].url.as_deref(), Some("https://shop.example"));
    assert_eq!(envs[2].approval, Some(true));
    let sla = t.sla.unwrap();
    assert_eq!(sla.availability, Some(99.95));
    assert_eq!(sla.latency_p95_ms, Some(250));
    assert_eq!(sla.error_rate_percent, Some(1.0));
    assert_eq!(
        t.alerts.unwrap().channel.as_deref(),
        Some("slack:#shop-ops")
    );
}

#[test]
fn ctrl_c_at_a_prompt_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn_init(dir.path());
    answer(&mut p, "Project name", "demo");
    p.exp_string("Where does this service run?").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("nothing was written").unwrap();
    p.exp_eof().unwrap();
    let status = p.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 130)),
        "{status:?}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files were written: {left:?}");
}
