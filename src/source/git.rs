//! What git tracks, so "committed" means committed: asked once per run with
//! `git ls-files` (local, no network). Outside a git work tree, or without
//! git on the PATH, there is no answer and callers fall back to ignore rules.

use std::collections::{BTreeMap, BTreeSet};
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

/// Why a git question for diff mode (`--base`, `--staged`) has no answer.
/// Each message names the fix.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{0} is not inside a git work tree: --base, --staged and --history read git commits; run it in a clone, or run `infra audit` without them")]
    NotARepository(String),
    #[error("git could not be run ({0}): install git; infra calls it offline")]
    NoGit(String),
    #[error("no commit {reference:?} in this repository{hint}")]
    UnknownRef { reference: String, hint: String },
    #[error("{0}")]
    ShallowHistory(String),
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
}

/// Never a network transport: a partial clone's missing objects are not
/// fetched on demand (with `GIT_NO_LAZY_FETCH`), so a diff that needs one
/// fails instead of going online.
const OFFLINE: [&str; 2] = ["-c", "protocol.allow=never"];

/// git in `dir`, offline, with paths unquoted and none of the caller's
/// repository variables, reading nothing from stdin.
fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(OFFLINE)
        .args(args)
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null());
    cmd
}

/// Run git in `dir` with extra environment; stdout, or the error with git's
/// own message.
fn run(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Result<Vec<u8>, GitError> {
    let mut cmd = git_command(dir, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().map_err(|e| GitError::NoGit(e.to_string()))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    Err(GitError::Failed {
        args: args.join(" "),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\n', '\r'])
        .to_string()
}

/// Where `dir` sits in its repository.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The work tree's top folder.
    pub top: PathBuf,
    /// `dir` relative to `top`, `/`-separated with a trailing `/`; empty at the top.
    pub prefix: String,
}

/// The repository `dir` is in, or [`GitError::NotARepository`].
pub fn repo(dir: &Path) -> Result<Repo, GitError> {
    let out =
        run(dir, &["rev-parse", "--show-toplevel", "--show-prefix"], &[]).map_err(|e| match e {
            GitError::Failed { .. } => GitError::NotARepository(dir.display().to_string()),
            other => other,
        })?;
    let out = text(out);
    let mut lines = out.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines.next().unwrap_or_default().to_string();
    Ok(Repo { top, prefix })
}

/// Whether the clone is shallow (history cut at some depth).
pub fn is_shallow(dir: &Path) -> bool {
    run(dir, &["rev-parse", "--is-shallow-repository"], &[]).is_ok_and(|o| text(o) == "true")
}

/// The commit a ref names, as a full hash.
pub fn resolve_commit(dir: &Path, reference: &str) -> Result<String, GitError> {
    let spec = format!("{reference}^{{commit}}");
    match run(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
        &[],
    ) {
        Ok(out) => Ok(text(out)),
        Err(GitError::Failed { .. }) => {
            let hint = if is_shallow(dir) {
                format!(
                    "; this is a shallow clone that lacks it: fetch it first (`git fetch --depth=50 origin {reference}`, or `git fetch --unshallow`; on GitHub Actions, `fetch-depth: 0` on actions/checkout)"
                )
            } else {
                format!(
                    "; name an existing branch, tag or commit, or fetch it first (`git fetch origin {reference}`)"
                )
            };
            Err(GitError::UnknownRef {
                reference: reference.to_string(),
                hint,
            })
        }
        Err(e) => Err(e),
    }
}

/// Where the change under review starts: the merge base of `base` and
/// `HEAD`, as a pull request's diff counts it, so commits that landed on
/// the base branch meanwhile are not taken for the change's. Without a
/// `HEAD` (no commit yet) or a common ancestor (unrelated histories), the
/// base itself; in a shallow clone that cut the ancestor off, an error
/// naming the fix.
pub fn change_start(dir: &Path, base: &str, reference: &str) -> Result<String, GitError> {
    if run(dir, &["rev-parse", "--verify", "--quiet", "HEAD"], &[]).is_err() {
        return Ok(base.to_string());
    }
    match run(dir, &["merge-base", base, "HEAD"], &[]) {
        Ok(out) => Ok(text(out)),
        Err(GitError::Failed { .. }) if is_shallow(dir) => Err(GitError::ShallowHistory(format!(
            "{reference} and HEAD have no common commit in this shallow clone, so the change cannot be told apart: deepen it (`git fetch --depth=200 origin {reference}` or `git fetch --unshallow`; on GitHub Actions, `fetch-depth: 0` on actions/checkout)"
        ))),
        Err(GitError::Failed { .. }) => Ok(base.to_string()),
        Err(e) => Err(e),
    }
}

/// What happened to one path, as `git diff --name-status -M` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathChange {
    Added(String),
    Modified(String),
    Deleted(String),
    Renamed { from: String, to: String },
}

/// Parse `git diff --name-status -z` output.
pub fn parse_name_status(out: &[u8]) -> Vec<PathChange> {
    let mut fields = out
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut changes = Vec::new();
    while let Some(status) = fields.next() {
        let Some(first) = fields.next() else { break };
        match status.chars().next() {
            Some('A') => changes.push(PathChange::Added(first)),
            Some('D') => changes.push(PathChange::Deleted(first)),
            // A copy leaves the source in place: the destination is new.
            Some('C') => {
                if let Some(to) = fields.next() {
                    changes.push(PathChange::Added(to));
                }
            }
            Some('R') => {
                if let Some(to) = fields.next() {
                    changes.push(PathChange::Renamed { from: first, to });
                }
            }
            Some(_) => changes.push(PathChange::Modified(first)),
            None => break,
        }
    }
    changes
}

/// Undo git's C-style quoting of an unusual path (`"a\tb"`).
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b't') => bytes.push(b'\t'),
            Some(b'n') => bytes.push(b'\n'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(u8::try_from(v).unwrap_or(b'?'));
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The added lines per path of `git diff -U0` output, as inclusive ranges.
pub fn parse_added_lines(out: &[u8]) -> BTreeMap<String, Vec<(u32, u32)>> {
    let mut added: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in out.split(|b| *b == b'\n') {
        if let Some(path) = line.strip_prefix(b"+++ ") {
            let path = unquote(&String::from_utf8_lossy(path));
            current = path.strip_prefix("b/").map(str::to_string);
        } else if line.starts_with(b"diff --git ") {
            current = None;
        } else if let (Some(path), Some(rest)) = (&current, line.strip_prefix(b"@@ ")) {
            // `@@ -a,b +c,d @@`: d lines added from c (d defaults to 1).
            let rest = String::from_utf8_lossy(rest);
            let Some(new) = rest.split(' ').find_map(|f| f.strip_prefix('+')) else {
                continue;
            };
            let (start, count) = match new.split_once(',') {
                Some((s, c)) => (s.parse::<u32>().ok(), c.parse::<u32>().ok()),
                None => (new.parse::<u32>().ok(), Some(1)),
            };
            if let (Some(start), Some(count)) = (start, count) {
                if count > 0 {
                    added
                        .entry(path.clone())
                        .or_default()
                        .push((start, start.saturating_add(count - 1)));
                }
            }
        }
    }
    added
}

/// One changed path with the lines the change added (all of an added file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedPath {
    pub change: PathChange,
    pub added: Vec<(u32, u32)>,
}

/// Every line of a file.
pub const WHOLE_FILE: (u32, u32) = (1, u32::MAX);

/// What `diff_args` (`<commit>` for the work tree against a commit,
/// `--cached <commit>` for the index) changes below `dir`, paths relative
/// to `dir`; with `untracked`, files git does not track yet (and does not
/// ignore) count as added.
pub fn changed_paths(
    dir: &Path,
    diff_args: &[&str],
    untracked: bool,
) -> Result<Vec<ChangedPath>, GitError> {
    let common = ["diff", "--relative", "--no-ext-diff", "--no-color", "-M"];
    let with = |extra: &[&str]| -> Vec<String> {
        common
            .iter()
            .chain(extra)
            .chain(diff_args)
            .map(|s| (*s).to_string())
            .chain(std::iter::once("--".to_string()))
            .collect()
    };
    let args = with(&["--name-status", "-z"]);
    let status = run(
        dir,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
    )?;
    let args = with(&["-U0", "--no-textconv"]);
    let patch = run(
        dir,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
    )?;
    let mut added = parse_added_lines(&patch);
    let mut changes: Vec<ChangedPath> = parse_name_status(&status)
        .into_iter()
        .map(|change| {
            let lines = match &change {
                PathChange::Added(_) => vec![WHOLE_FILE],
                PathChange::Deleted(_) => Vec::new(),
                PathChange::Modified(p) | PathChange::Renamed { to: p, .. } => {
                    added.remove(p).unwrap_or_default()
                }
            };
            ChangedPath {
                change,
                added: lines,
            }
        })
        .collect();
    if untracked {
        let out = run(
            dir,
            &["ls-files", "-z", "--others", "--exclude-standard"],
            &[],
        )?;
        for p in out.split(|b| *b == 0).filter(|p| !p.is_empty()) {
            changes.push(ChangedPath {
                change: PathChange::Added(String::from_utf8_lossy(p).into_owned()),
                added: vec![WHOLE_FILE],
            });
        }
    }
    Ok(changes)
}

/// The tree git's empty commit would have: the base of a first commit.
pub const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// Write the tree of `commit` below `repo.prefix` into `dest` (which must
/// exist and be empty) through a throwaway index, touching neither the work
/// tree nor the real index. Returns the paths written, relative to `dest`;
/// empty when the folder did not exist at that commit.
pub fn export_tree(repo: &Repo, commit: &str, dest: &Path) -> Result<BTreeSet<String>, GitError> {
    let spec = if repo.prefix.is_empty() {
        format!("{commit}^{{tree}}")
    } else {
        format!("{commit}:{}", repo.prefix.trim_end_matches('/'))
    };
    let top = repo.top.as_path();
    if run(top, &["cat-file", "-e", &spec], &[]).is_err() {
        return Ok(BTreeSet::new());
    }
    let index = dest.with_extension("index");
    let env = [("GIT_INDEX_FILE", index.as_path())];
    run(top, &["read-tree", &spec], &env)?;
    let mut target = dest.as_os_str().to_string_lossy().into_owned();
    target.push('/');
    let prefix_arg = format!("--prefix={target}");
    let written = run(top, &["checkout-index", "-a", "-f", &prefix_arg], &env)
        .and_then(|_| run(top, &["ls-files", "-z", "--cached"], &env));
    let _ = std::fs::remove_file(&index);
    Ok(written?
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// Write the staged (index) content of `paths` (relative to `dir`) into
/// `dest`, at their paths relative to the work tree's top; paths git does
/// not have in the index are left out. `dest/<prefix>` is then `dir`'s
/// staged copy.
pub fn export_index(dir: &Path, paths: &[String], dest: &Path) -> Result<(), GitError> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut target = dest.as_os_str().to_string_lossy().into_owned();
    target.push('/');
    let prefix_arg = format!("--prefix={target}");
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(OFFLINE)
        .args(["checkout-index", "-f", "-q", "-z", "--stdin", &prefix_arg])
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| GitError::NoGit(e.to_string()))?;
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        // A closed pipe shows up as git's own failure below.
        let _ = stdin.write_all(&input);
    }
    let output = child
        .wait_with_output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    if output.status.success() {
        return Ok(());
    }
    Err(GitError::Failed {
        args: "checkout-index --stdin".into(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}

/// Paths in the index below `dir`, relative to it.
pub fn index_paths(dir: &Path) -> Result<Vec<String>, GitError> {
    let out = run(dir, &["ls-files", "-z", "--cached"], &[])?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// Whether the repository has a commit checked out.
pub fn has_head(dir: &Path) -> bool {
    run(dir, &["rev-parse", "--verify", "--quiet", "HEAD"], &[]).is_ok()
}

/// The commit line the history scan asks `git log` for: a NUL (which
/// starts no line of a patch), the full hash and the author date.
pub const LOG_FORMAT: &str = "--format=%x00%H %ad";

/// One line of `git log -p -U0` (with [`LOG_FORMAT`]) or `git diff-tree
/// -p -U0` output, as [`LogParser`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogLine<'a> {
    /// A commit starts: its full hash and author date (`YYYY-MM-DD`).
    Commit { sha: &'a str, date: &'a str },
    /// A file's section starts (`diff --git`); its path follows.
    Diff,
    /// The file's path after the change; `None` when it was deleted.
    Path(Option<String>),
    /// A line the change added, with its 1-based number in the new file.
    Added { line: u32, text: &'a [u8] },
    /// Anything else: headers, removed lines, `\ No newline`, blank lines.
    Other,
}

/// Reads `git log -p -U0` line by line, keeping only where it is: the
/// log is streamed, never held. Lines come without their `\n`.
#[derive(Debug, Default)]
pub struct LogParser {
    /// Inside a hunk: `+` lines are content, numbered from `next`.
    in_hunk: bool,
    next: u32,
}

impl LogParser {
    pub fn new() -> Self {
        LogParser::default()
    }

    pub fn line<'a>(&mut self, line: &'a [u8]) -> LogLine<'a> {
        if let Some(rest) = line.strip_prefix(b"\0") {
            self.in_hunk = false;
            let rest = std::str::from_utf8(rest).unwrap_or_default();
            let (sha, date) = rest.split_once(' ').unwrap_or((rest, ""));
            return LogLine::Commit { sha, date };
        }
        if self.in_hunk {
            match line.first() {
                Some(b'+') => {
                    let at = self.next;
                    self.next = self.next.saturating_add(1);
                    return LogLine::Added {
                        line: at,
                        text: &line[1..],
                    };
                }
                Some(b'-' | b'\\') => return LogLine::Other,
                _ => self.in_hunk = false,
            }
        }
        if line.starts_with(b"diff --git ") {
            return LogLine::Diff;
        }
        if let Some(path) = line.strip_prefix(b"+++ ") {
            let path = unquote(&String::from_utf8_lossy(path));
            return LogLine::Path(path.strip_prefix("b/").map(str::to_string));
        }
        if let Some(rest) = line.strip_prefix(b"@@ ") {
            // `@@ -a,b +c,d @@`: the added lines are numbered from c.
            let rest = String::from_utf8_lossy(rest);
            if let Some(start) = rest
                .split(' ')
                .find_map(|f| f.strip_prefix('+'))
                .and_then(|n| n.split(',').next())
                .and_then(|n| n.parse::<u32>().ok())
            {
                self.in_hunk = true;
                self.next = start.max(1);
            }
        }
        LogLine::Other
    }
}

/// The flags both history streams share: patches with only the added lines,
/// no colour, no external diff or textconv (the committed bytes, not a
/// rendering of them), no rename detection (a renamed file's lines come
/// again, and the caller already knows them), paths relative to `dir`, and
/// binary files left as git's one `Binary files … differ` line.
const PATCH_FLAGS: [&str; 7] = [
    "-p",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--relative",
];

/// Run git in `dir` and hand each line of its output (without the `\n`) to
/// `each` as it arrives, holding one line at a time. Git's failure, even
/// after some output, is an error with its own message.
fn stream(dir: &Path, args: &[&str], each: &mut dyn FnMut(&[u8])) -> Result<(), GitError> {
    use std::io::{BufRead as _, Read as _};
    let mut cmd = git_command(dir, args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| GitError::NoGit(e.to_string()))?;
    // Drained beside stdout, so a chatty git never blocks on a full pipe.
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = err.read_to_end(&mut text);
            text
        })
    });
    if let Some(out) = child.stdout.take() {
        let mut reader = std::io::BufReader::with_capacity(1 << 16, out);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if line.last() == Some(&b'\n') {
                        line.pop();
                    }
                    each(&line);
                }
            }
        }
    }
    let status = child.wait().map_err(|e| GitError::NoGit(e.to_string()))?;
    let stderr = stderr
        .and_then(|h| h.join().ok())
        .map(|t| String::from_utf8_lossy(&t).trim().to_string())
        .unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    Err(GitError::Failed {
        args: args.join(" "),
        stderr,
    })
}

/// Stream the lines every commit of `revs` added below `dir`, oldest first
/// (parents before children), as `git log -p -U0` prints them with
/// [`LOG_FORMAT`]. Deleted files are left out (`--diff-filter=d`: they add
/// nothing); merge commits show no patch (git's default), so a line written
/// only in a merge's conflict resolution is not seen.
pub fn stream_log(dir: &Path, revs: &[&str], each: &mut dyn FnMut(&[u8])) -> Result<(), GitError> {
    let mut args = vec![
        "log",
        LOG_FORMAT,
        "--date=short",
        "--date-order",
        "--reverse",
        "--diff-filter=d",
    ];
    args.extend(PATCH_FLAGS);
    // `revs` are infra's own (fixed flags, or a hash rev-parse resolved),
    // never a user's text, so they cannot smuggle in an option.
    args.extend(revs);
    args.extend(["--", "."]);
    stream(dir, &args, each)
}

/// Stream every line of `HEAD`'s tree below `dir` as added lines (a patch
/// from the empty tree), so it reads exactly as [`stream_log`]'s output.
pub fn stream_head_tree(dir: &Path, each: &mut dyn FnMut(&[u8])) -> Result<(), GitError> {
    let mut args = vec!["diff-tree", "-r"];
    args.extend(PATCH_FLAGS);
    args.extend([EMPTY_TREE, "HEAD", "--", "."]);
    stream(dir, &args, each)
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
    fn name_status_reads_renames_copies_and_odd_paths() {
        let out = b"M\0a.txt\0R087\0old/x.rs\0new/x.rs\0A\0sp ace\0D\0gone\0C100\0s\0t\0";
        assert_eq!(
            parse_name_status(out),
            [
                PathChange::Modified("a.txt".into()),
                PathChange::Renamed {
                    from: "old/x.rs".into(),
                    to: "new/x.rs".into()
                },
                PathChange::Added("sp ace".into()),
                PathChange::Deleted("gone".into()),
                PathChange::Added("t".into()),
            ]
        );
        // Truncated output ends the list, never panics.
        assert_eq!(parse_name_status(b"R100\0only-one"), []);
    }

    #[test]
    fn added_lines_come_from_the_hunk_headers() {
        let patch = b"diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,0 +2,3 @@ x\n+a\n+b\n+c\n@@ -9 +12 @@\n-o\n+n\n@@ -20,2 +22,0 @@\n-gone\n-gone\ndiff --git a/b b/b\n--- a/b\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\ndiff --git \"a/t\\tab\" \"b/t\\tab\"\n+++ \"b/t\\tab\"\n@@ -0,0 +1 @@\n+y\n";
        let added = parse_added_lines(patch);
        assert_eq!(added.get("a.txt").unwrap(), &[(2, 4), (12, 12)]);
        assert!(!added.contains_key("b"));
        assert_eq!(added.get("t\tab").unwrap(), &[(1, 1)]);
    }

    #[test]
    fn the_log_parser_numbers_added_lines_per_hunk() {
        let log = b"\0abc123 2026-01-02\n\ndiff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n++++ still content\n+b\n\\ No newline at end of file\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -3 +3,0 @@\n-gone\n@@ -9 +8 @@\n-o\n+n\nBinary files /dev/null and b/z differ\n\0def456 2026-01-03\n";
        let mut p = LogParser::new();
        let got: Vec<LogLine<'_>> = log
            .split(|b| *b == b'\n')
            .map(|l| p.line(l))
            .filter(|l| *l != LogLine::Other)
            .collect();
        assert_eq!(
            got,
            [
                LogLine::Commit {
                    sha: "abc123",
                    date: "2026-01-02"
                },
                LogLine::Diff,
                LogLine::Path(Some("x".into())),
                LogLine::Added {
                    line: 1,
                    text: b"+++ still content"
                },
                LogLine::Added {
                    line: 2,
                    text: b"b"
                },
                LogLine::Diff,
                LogLine::Path(Some("y".into())),
                LogLine::Added {
                    line: 8,
                    text: b"n"
                },
                LogLine::Commit {
                    sha: "def456",
                    date: "2026-01-03"
                },
            ]
        );
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote("\"caf\\303\\251\""), "café");
        assert_eq!(unquote("plain"), "plain");
    }

    #[test]
    fn outside_a_repository_there_is_no_answer() {
        let dir = tempfile::tempdir().unwrap();
        assert!(tracked_files(dir.path()).is_none());
    }
}
