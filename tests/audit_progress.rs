//! The progress line of a long audit: drawn on a terminal's stderr, erased
//! before the report, and never written to a pipe or under `--quiet`.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rexpect::session::spawn_command;
use std::process::Command;

/// A tree big enough that the audit lasts several redraws.
fn big_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Shop\n\nSells tea.\n").unwrap();
    for d in 0..30 {
        let sub = dir.path().join(format!("src/m{d}"));
        std::fs::create_dir_all(&sub).unwrap();
        for f in 0..100 {
            std::fs::write(
                sub.join(format!("f{f}.js")),
                format!("export const v{f} = process.env.PORT_{d} || {f};\n").repeat(20),
            )
            .unwrap();
        }
    }
    dir
}

fn audit(dir: &std::path::Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.arg("audit")
        .args(extra)
        .arg(dir)
        .env("TERM", "xterm-256color")
        .env("INFRA_PROGRESS_AFTER_MS", "0");
    cmd
}

/// Everything the pty showed until the process ended.
fn pty_output(cmd: Command) -> String {
    let mut p = spawn_command(cmd, Some(120_000)).unwrap();
    p.exp_eof().unwrap()
}

#[test]
fn a_terminal_sees_the_progress_line_then_the_report() {
    let dir = big_tree();
    let shown = pty_output(audit(dir.path(), &["--color", "never"]));
    let progress = shown
        .find(" files read")
        .expect("no progress line was drawn");
    assert!(shown.contains("infra audit: reading files"), "{shown}");
    let report = shown
        .find("readiness")
        .or_else(|| shown.find("error["))
        .expect("no report");
    assert!(progress < report, "the progress line came after the report");
    // The line is erased before the report: no frame after the report's start.
    assert!(!shown[report..].contains(" files read"), "{shown}");
}

#[test]
fn a_pipe_or_quiet_gets_no_progress_line() {
    let dir = big_tree();
    let out = audit(dir.path(), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("files read"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("files read"));

    let shown = pty_output(audit(dir.path(), &["--quiet"]));
    assert!(!shown.contains("files read"), "{shown}");
}
