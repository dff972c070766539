//! A reader that closes stdout early (`infra audit | head -c 10`) is not an
//! internal error: every command still exits with its own code
//! (src/output.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn infra(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Run `cmd`, read `take` bytes of its stdout, close the pipe, wait.
fn read_then_close(mut cmd: Command, take: usize) -> (Output, Vec<u8>) {
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = vec![0; take];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    (child.wait_with_output().unwrap(), head)
}

/// A repository whose audit has errors and whose SARIF report is far
/// larger than any pipe buffer (Linux allows at most 1 MiB), so infra is
/// still writing when the reader goes away.
fn repo_with_many_errors() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("README.md"),
        "# App\n\nAn app that does things.\n",
    )
    .unwrap();
    fs::write(root.join(".env.example"), "VAR_0=\n").unwrap();
    let code: String = (0..2500)
        .map(|i| format!("const v{i} = process.env.VAR_{i};\n"))
        .collect();
    fs::write(root.join("server.js"), code).unwrap();
    dir
}

#[test]
fn audit_piped_into_head_exits_with_the_audit_code_not_1() {
    let dir = repo_with_many_errors();
    // The report really is bigger than a pipe can hold.
    let full = infra(dir.path(), &["audit", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(13));
    assert!(full.stdout.len() > 2 << 20, "{} bytes", full.stdout.len());

    let (out, head) = read_then_close(infra(dir.path(), &["audit", "--format", "sarif"]), 10);
    assert_eq!(head, &full.stdout[..10]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(13), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

/// Close the pipe before infra writes anything.
fn closed_at_once(mut cmd: Command) -> Output {
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn every_command_keeps_its_exit_code_when_stdout_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("README.md"), "# App\n\nAn app.\n").unwrap();
    fs::write(
        root.join("infra.toml"),
        "[platform]\ntarget = \"fly\"\nregion = \"ams\"\n\n[[environments]]\nname = \"dev\"\n\n[[environments]]\nname = \"staging\"\nbranch = \"develop\"\n\n[[environments]]\nname = \"production\"\nbranch = \"main\"\n\n[sla]\navailability = 99.9\nlatency_p95_ms = 300\nerror_rate_percent = 1\n\n[alerts]\nchannel = \"slack:#ops\"\n",
    )
    .unwrap();
    let cases: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["rules", "--format", "json"], 0),
        (&["explain", "hardcoded-secret"], 0),
        (&["context", "."], 0),
        (&["context", ".", "--format", "json"], 0),
        (&["plan", "."], 0),
        (&["check", "."], 20),
        (&["check", ".", "--format", "json"], 20),
        (&["audit", "."], 13),
        (&["man"], 0),
        (&["completions", "bash"], 0),
    ];
    for (args, code) in cases {
        let out = closed_at_once(infra(root, args));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "infra {args:?}: {stderr}");
        assert!(!stderr.contains("error"), "infra {args:?}: {stderr}");
    }
}
