//! `infra init` at a real terminal: a pty answers every prompt, including
//! rejected answers that are asked again, a step back and a change on the
//! review screen; Ctrl-C leaves nothing behind.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rexpect::session::{spawn_command, PtySession};
use std::process::Command;

const DOWN: &str = "\x1b[B";

fn spawn_init(dir: &std::path::Path) -> PtySession {
    spawn_init_with(dir, &[])
}

fn spawn_init_with(dir: &std::path::Path, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.arg("init")
        .arg(dir)
        .args(args)
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
    // The review screen: Enter on its first line writes.
    answer(&mut p, "Review:", "");
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
fn a_mistake_is_refused_at_its_question_back_fixes_it_and_the_review_changes_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# Shopfront\n\nSells things.\n",
    )
    .unwrap();
    let mut p = spawn_init(dir.path());
    answer(&mut p, "Project name", "");
    answer(
        &mut p,
        "Where does this service run?",
        &format!("{DOWN}{DOWN}"),
    );
    // Checked against AWS's own regions as it is typed.
    answer(&mut p, "AWS region", "mars-central-9");
    p.exp_string("is not a region of AWS").unwrap();
    answer(&mut p, "AWS region", "eu-west-1");
    answer(&mut p, "Environments", "");
    answer(&mut p, "Branch that deploys staging", "");
    answer(&mut p, "URL of staging", "https://staging.shop.example");
    answer(&mut p, "deploys to staging wait", "");
    // The duplicate branch is refused at production, the answer that repeats it.
    answer(&mut p, "Branch that deploys production", "develop");
    p.exp_string("`develop` already deploys staging; give production its own branch")
        .unwrap();
    answer(&mut p, "Branch that deploys production", "main");
    // One step back, to change the branch just given.
    answer(&mut p, "URL of production", "<");
    answer(&mut p, "Branch that deploys production", "release");
    answer(&mut p, "URL of production", "https://shop.example");
    answer(&mut p, "deploys to production wait", "");
    answer(&mut p, "Availability target", "99.95");
    answer(&mut p, "p95 latency target", "250");
    answer(&mut p, "Error rate", "");
    answer(&mut p, "Where do alerts go?", "slack:#shop-ops");
    // The review lists every answer; the detected project name is marked.
    p.exp_string("Review:").unwrap();
    p.exp_string("project.name").unwrap();
    p.exp_string("Shopfront  (detected)").unwrap();
    // Write, then 11 answers down: sla.availability.
    p.send(&DOWN.repeat(11)).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    answer(&mut p, "Availability target", "99.9");
    answer(&mut p, "Review:", "");
    p.exp_string("create           infra.toml").unwrap();
    p.exp_eof().unwrap();

    let text = std::fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    let t: infra::answers::InfraToml = toml::from_str(&text).unwrap();
    let platform = t.platform.unwrap();
    assert_eq!(platform.region.as_deref(), Some("eu-west-1"));
    let envs = t.environments.unwrap();
    assert_eq!(envs[1].branch.as_deref(), Some("develop"));
    assert_eq!(envs[2].branch.as_deref(), Some("release"), "{text}");
    assert_eq!(envs[2].url.as_deref(), Some("https://shop.example"));
    let sla = t.sla.unwrap();
    assert_eq!(
        sla.availability,
        Some(99.9),
        "changed on the review screen: {text}"
    );
    assert_eq!(sla.latency_p95_ms, Some(250));
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

#[test]
fn ctrl_c_on_the_review_screen_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn_init_with(
        dir.path(),
        &[
            "--set=project.name=demo",
            "--set=platform.target=vercel",
            "--set=environments=dev,staging,production",
            "--set=environments.staging.url=https://staging.demo.example",
            "--set=environments.production.url=https://demo.example",
            "--set=sla.availability=99.9",
            "--set=sla.latency_p95_ms=300",
            "--set=sla.error_rate_percent=1",
        ],
    );
    answer(&mut p, "Branch that deploys staging", "");
    answer(&mut p, "deploys to staging wait", "");
    answer(&mut p, "Branch that deploys production", "");
    answer(&mut p, "deploys to production wait", "");
    answer(&mut p, "Where do alerts go?", "slack:#ops");
    p.exp_string("Review:").unwrap();
    p.exp_string("(from --set)").unwrap();
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
