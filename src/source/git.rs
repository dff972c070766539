//! What git tracks, so "committed" means committed: asked once per run with
//! `git ls-files` (local, no network). Outside a git work tree, or without
//! git on the PATH, there is no answer and callers fall back to ignore rules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What `git -C dir ARGS` prints, or `None` when git fails or is missing.
fn git_output(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // A user's GIT_DIR or GIT_WORK_TREE would point git at another repo.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

/// The work tree's top folder (`git rev-parse --show-toplevel`); `None`
/// outside a work tree or without git.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let stdout = git_output(dir, &["rev-parse", "--show-toplevel"])?;
    let text = String::from_utf8(stdout).ok()?;
    let top = PathBuf::from(text.trim_end_matches(['\n', '\r']));
    Some(top.canonicalize().unwrap_or(top))
}

/// Paths git tracks below `root`, relative to it with `/` separators; `None`
/// when `root` is not inside a git work tree or git cannot be run.
pub fn tracked_files(root: &Path) -> Option<BTreeSet<String>> {
    let stdout = git_output(root, &["ls-files", "-z", "--cached"])?;
    Some(
        stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> bool {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    #[test]
    fn lists_tracked_files_only() {
        let dir = tempfile::tempdir().unwrap();
        if !git(dir.path(), &["init", "-q"]) {
            return; // no git on this machine: nothing to test
        }
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/tracked.txt"), "x").unwrap();
        std::fs::write(dir.path().join("untracked.txt"), "x").unwrap();
        assert!(git(dir.path(), &["add", "a/tracked.txt"]));
        let tracked = tracked_files(dir.path()).unwrap();
        assert_eq!(tracked.into_iter().collect::<Vec<_>>(), ["a/tracked.txt"]);
    }

    #[test]
    fn outside_a_repository_there_is_no_answer() {
        let dir = tempfile::tempdir().unwrap();
        assert!(tracked_files(dir.path()).is_none());
    }
}
