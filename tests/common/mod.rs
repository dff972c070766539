//! Helpers the integration tests share: copying fixture trees, reading a
//! tree back, and the answers that make `infra init --no-input` complete.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::fs;
use std::path::Path;

/// Copy the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A temporary copy of the folder `from`.
pub fn copy_of(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(from, dir.path());
    dir
}

/// Every file under `root` with its bytes, sorted by path.
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                all.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    all.sort();
    all
}

/// `--set` pairs answering everything `infra init --no-input` asks on aws.
pub const SET: &[&str] = &[
    "--set",
    "platform.target=aws",
    "--set",
    "platform.region=eu-west-1",
    "--set",
    "environments=dev,staging,production",
    "--set",
    "sla.availability=99.9",
    "--set",
    "sla.latency_p95_ms=300",
    "--set",
    "sla.error_rate_percent=1",
    "--set",
    "sla.rpo_hours=24",
    "--set",
    "sla.rto_hours=4",
    "--set",
    "alerts.channel=slack:#ops",
];

/// Run git in `dir` with a fixed identity, no signing, `main` as the first
/// branch, and none of the caller's repository variables; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@example.invalid", "-c", "user.name=t"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        // Fixed dates: the same fixture gives the same commit hashes.
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Write `text` at `root/path`, creating folders.
pub fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A GitHub token shape built at run time, so no key sits in this file.
pub fn synthetic_token(seed: u64) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let body: String = (0..36)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[((x >> 33) % alphabet.len() as u64) as usize] as char
        })
        .collect();
    format!("{}_{body}", "ghp")
}

/// `infra audit ROOT ARGS` without colour or the caller's repository
/// variables: exit code, stdout, stderr.
pub fn audit(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("infra")
        .unwrap()
        .arg("audit")
        .arg(root)
        .args(args)
        .env_remove("GIT_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The status and reason of `rule` in a JSON report.
pub fn rule_status<'v>(v: &'v serde_json::Value, rule: &str) -> (&'v str, &'v str) {
    let r = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("no result for {rule}"));
    (
        r["status"].as_str().unwrap(),
        r["reason"].as_str().unwrap_or(""),
    )
}
