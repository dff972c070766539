//! `infra audit --history`: the secrets every commit added, for the rule
//! `secret-in-history`. A secret deleted later is still in every clone, so
//! it is reported at the first commit that added it, with whether HEAD still
//! has it.
//!
//! `git log -p -U0` is streamed (one line held at a time; each file's added
//! lines of one commit gathered, up to the walk's size limit) on a reader
//! thread while this one scans what it gathered with the same scanner, the
//! same patterns, placeholder and entropy checks and the same redaction as
//! `hardcoded-secret`. A file's added lines are scanned as one text, hunk
//! after hunk (a blank line between), so a match that needs its neighbours
//! (`- name: DB_PASSWORD` then `value:`) is found when both were added
//! together. HEAD's tree is read the same way (a patch from the empty tree),
//! so "still there" means the same scanner found the same value there.
//!
//! Each distinct value is reported once: matches are told apart by
//! [`crate::scan::SecretMatch::value_id`], a keyed hash that lives only in
//! this process, so a secret copied, moved or renamed is not reported again
//! and two keys with the same redacted form are not merged.

use super::suppress;
use crate::model::Location;
use crate::scan::Scanner;
use crate::source::class::{self, Classes};
use crate::source::git::{self, GitError, LogLine, LogParser};
use std::collections::HashMap;
use std::path::Path;

/// Which commits `--history` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryRange {
    /// Every commit reachable from HEAD, a local branch, a tag or a
    /// remote-tracking branch (not the stash or notes: they were never
    /// pushed as commits of the project).
    All,
    /// With `--base REF`: the commits after the change's start (the merge
    /// base, a full hash) up to HEAD, what a pull request adds.
    Since { start: String, reference: String },
}

/// What the history scan found, for the rule and the report.
#[derive(Debug, Clone, Default)]
pub struct HistoryScan {
    pub range: Option<HistoryRange>,
    /// Commits read: those that add or change a file below the folder
    /// (git leaves out merges, which show no patch, and commits that only
    /// delete).
    pub commits: usize,
    /// The repository has a commit checked out.
    pub has_head: bool,
    /// A shallow clone: commits before its boundary were not read.
    pub shallow: bool,
    /// File versions over the size limit, not scanned.
    pub oversized: usize,
    /// One per distinct secret, in the order their first commits came.
    pub secrets: Vec<HistorySecret>,
}

/// One secret, where it was first committed.
#[derive(Debug, Clone)]
pub struct HistorySecret {
    /// Kind id (`github-pat`).
    pub kind: &'static str,
    /// The scanner's redacted form (`ghp_…(40 chars)`).
    pub shown: String,
    /// The first commit that added it: full hash and author date.
    pub commit: String,
    pub date: String,
    /// Path, line and column in that commit.
    pub location: Location,
    /// Characters of the match.
    pub len: u32,
    /// The classes of the file then (docs, example, test …).
    pub classes: Classes,
    /// A default credential or an encrypted key (weaker evidence).
    pub weak_evidence: Option<&'static str>,
    /// Where HEAD's tree still has it.
    pub in_head: Option<Location>,
    /// An inline ignore of `secret-in-history` (or `hardcoded-secret`)
    /// with a reason on its line or the line above, in the commit
    /// that added it or at HEAD: the reason and where the comment is.
    pub ignored: Option<(String, Location)>,
}

impl HistoryScan {
    /// One line for the report: what was read and what was not.
    pub fn describe(&self) -> String {
        let n = self.commits;
        let mut out = format!(
            "history: {n} commit{} with added lines read {}",
            if n == 1 { "" } else { "s" },
            match &self.range {
                Some(HistoryRange::Since { reference, .. }) =>
                    format!("since the merge base with {reference}"),
                _ => "on HEAD, every branch, tag and remote-tracking branch".into(),
            }
        );
        if self.shallow {
            out.push_str(
                ", in a shallow clone: commits before its boundary were not scanned (`git fetch --unshallow`)",
            );
        }
        if self.oversized > 0 {
            out.push_str(&format!(
                ", {} file version{} over the size limit not scanned",
                self.oversized,
                if self.oversized == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// One file's added lines in one commit, as one text: `lines[i]` is the
/// number in the file of the text's line `i + 1` (0: a hunk separator).
struct Chunk {
    commit: usize,
    path: String,
    text: String,
    lines: Vec<u32>,
}

/// Whether a file of these classes holds no secret of the project's own
/// (generated, vendored …): the caller's policy, `hardcoded-secret`'s.
pub type SkipClasses = fn(Classes) -> bool;

/// Gathers each file's added lines per commit from the parsed stream.
struct Chunker<'a> {
    parser: LogParser,
    ignore: &'a dyn Fn(&str) -> bool,
    skip: SkipClasses,
    max: usize,
    commits: Vec<(String, String)>,
    path: Option<String>,
    text: String,
    lines: Vec<u32>,
    over: bool,
    oversized: usize,
}

impl<'a> Chunker<'a> {
    fn new(ignore: &'a dyn Fn(&str) -> bool, skip: SkipClasses, max: usize) -> Self {
        Chunker {
            parser: LogParser::new(),
            ignore,
            skip,
            max,
            commits: Vec::new(),
            path: None,
            text: String::new(),
            lines: Vec::new(),
            over: false,
            oversized: 0,
        }
    }

    fn feed(&mut self, raw: &[u8], emit: &mut dyn FnMut(Chunk)) {
        match self.parser.line(raw) {
            LogLine::Commit { sha, date } => {
                self.flush(emit);
                self.commits.push((sha.to_string(), date.to_string()));
            }
            LogLine::Diff => self.flush(emit),
            LogLine::Path(p) => {
                self.path = p.filter(|p| !(self.skip)(class::of_path(p)) && !(self.ignore)(p));
            }
            LogLine::Added { line, text } => {
                if self.path.is_none() || self.over {
                    return;
                }
                if self.text.len() + text.len() > self.max {
                    self.over = true;
                    self.text.clear();
                    self.lines.clear();
                    return;
                }
                // A gap in the numbering is the next hunk: keep them apart.
                if self.lines.last().is_some_and(|l| *l + 1 != line) {
                    self.text.push('\n');
                    self.lines.push(0);
                }
                self.text.push_str(&String::from_utf8_lossy(text));
                self.text.push('\n');
                self.lines.push(line);
            }
            LogLine::Other => {}
        }
    }

    fn flush(&mut self, emit: &mut dyn FnMut(Chunk)) {
        if let Some(path) = self.path.take() {
            if self.over {
                self.oversized += 1;
            } else if !self.lines.is_empty() {
                emit(Chunk {
                    commit: self.commits.len().saturating_sub(1),
                    path,
                    text: std::mem::take(&mut self.text),
                    lines: std::mem::take(&mut self.lines),
                });
            }
        }
        self.text.clear();
        self.lines.clear();
        self.over = false;
    }
}

/// One secret match in a chunk, with its real line.
struct Hit {
    value_id: u64,
    kind: &'static str,
    shown: String,
    location: Location,
    len: u32,
    classes: Classes,
    weak_evidence: Option<&'static str>,
    ignored: Option<(String, Location)>,
}

const IGNORED_BY: [&str; 2] = ["secret-in-history", "hardcoded-secret"];

fn scan_chunk(scanner: &Scanner, chunk: &Chunk, skip: SkipClasses) -> Vec<Hit> {
    let real = |i: u32| {
        chunk
            .lines
            .get((i as usize).wrapping_sub(1))
            .copied()
            .unwrap_or(0)
    };
    // A file's first lines decide whether it is generated or minified.
    let classes = if chunk.lines.first() == Some(&1) {
        class::of_file(&chunk.path, &chunk.text)
    } else {
        class::of_path(&chunk.path)
    };
    if skip(classes) {
        return Vec::new();
    }
    let found = scanner.scan_classified(&chunk.path, &chunk.text, classes);
    let mut hits = Vec::new();
    let ignores: Vec<(u32, String, Location)> = if found.secrets.iter().any(|m| m.is_secret()) {
        suppress::parse_inline(&chunk.path, &chunk.text)
            .into_iter()
            .filter(|ig| ig.rules.iter().any(|r| IGNORED_BY.contains(&r.as_str())))
            .filter_map(|ig| {
                let line = real(ig.location.line);
                let reason = ig.reason?;
                (line > 0).then(|| {
                    let at = Location::new(&chunk.path, line, ig.location.column);
                    (line, reason, at)
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    for m in found.secrets.into_iter().filter(|m| m.is_secret()) {
        let line = real(m.line);
        if line == 0 {
            continue;
        }
        // A private key matches on its `-----BEGIN … KEY-----` line, the
        // same for every key: its first body line tells two keys apart.
        let value_id = if m.kind == "private-key" {
            let body = chunk.text.lines().nth(m.line as usize).unwrap_or("");
            m.value_id ^ crate::scan::value_id(body.trim()).rotate_left(17)
        } else {
            m.value_id
        };
        let ignored = ignores
            .iter()
            .find(|(l, _, _)| *l == line || *l + 1 == line)
            .map(|(_, reason, at)| (reason.clone(), at.clone()));
        hits.push(Hit {
            value_id,
            kind: m.kind,
            shown: m.redacted,
            location: Location::new(&chunk.path, line, m.column),
            len: m.end_column.saturating_sub(m.column).max(1),
            classes,
            weak_evidence: m.weak_evidence,
            ignored,
        });
    }
    hits
}

/// `.infraignore` at the audited folder: what the user asked infra never
/// to read stays unread in history too.
fn infraignore(root: &Path) -> Option<ignore::gitignore::Gitignore> {
    let file = root.join(".infraignore");
    if !file.is_file() {
        return None;
    }
    let mut b = ignore::gitignore::GitignoreBuilder::new(root);
    // A line it cannot read is skipped, as the walk does.
    let _ = b.add(file);
    b.build().ok()
}

/// Scan the history of the repository at `root` (paths relative to it) for
/// committed secrets. Files over `max_file_size` bytes of added lines in one
/// commit are counted, not scanned.
pub fn scan(
    root: &Path,
    range: &HistoryRange,
    max_file_size: u64,
    skip: SkipClasses,
) -> Result<HistoryScan, GitError> {
    git::repo(root)?;
    let mut out = HistoryScan {
        range: Some(range.clone()),
        has_head: git::has_head(root),
        ..HistoryScan::default()
    };
    if !out.has_head {
        return Ok(out);
    }
    out.shallow = *range == HistoryRange::All && git::is_shallow(root);
    let matcher = infraignore(root);
    let ignore = |p: &str| {
        matcher
            .as_ref()
            .is_some_and(|m| m.matched_path_or_any_parents(p, false).is_ignore())
    };
    let max = usize::try_from(max_file_size).unwrap_or(usize::MAX);
    let scanner = Scanner::new();

    // HEAD's tree first: where each value still is.
    let mut head: HashMap<u64, (Location, Option<(String, Location)>)> = HashMap::new();
    {
        let mut chunker = Chunker::new(&ignore, skip, max);
        let mut each = |chunk: Chunk| {
            for h in scan_chunk(&scanner, &chunk, skip) {
                head.entry(h.value_id).or_insert((h.location, h.ignored));
            }
        };
        git::stream_head_tree(root, &mut |line| chunker.feed(line, &mut each))?;
        chunker.flush(&mut each);
    }

    let since;
    let revs: Vec<&str> = match range {
        HistoryRange::All => vec!["HEAD", "--branches", "--tags", "--remotes"],
        HistoryRange::Since { start, .. } => {
            since = format!("{start}..HEAD");
            vec![since.as_str()]
        }
    };
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut found: Vec<(usize, Hit)> = Vec::new();
    let (streamed, commits, oversized) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(16);
        let reader = s.spawn(move || {
            let mut chunker = Chunker::new(&ignore, skip, max);
            let mut send = |c: Chunk| {
                // The receiver only goes when this scope ends.
                let _ = tx.send(c);
            };
            let streamed = git::stream_log(root, &revs, &mut |line| chunker.feed(line, &mut send));
            chunker.flush(&mut send);
            (streamed, chunker.commits, chunker.oversized)
        });
        for chunk in rx {
            for h in scan_chunk(&scanner, &chunk, skip) {
                if let std::collections::hash_map::Entry::Vacant(e) = first.entry(h.value_id) {
                    e.insert(found.len());
                    found.push((chunk.commit, h));
                }
            }
        }
        // A reader that died read nothing for sure: an error, never "no commits".
        reader.join().unwrap_or_else(|_| {
            let failed = GitError::Failed {
                args: "log -p (reading its output)".into(),
                stderr: "the thread reading git's output stopped".into(),
            };
            (Err(failed), Vec::new(), 0)
        })
    });
    streamed?;
    out.commits = commits.len();
    out.oversized = oversized;
    out.secrets = found
        .into_iter()
        .map(|(commit, h)| {
            let (sha, date) = commits.get(commit).cloned().unwrap_or_default();
            let at_head = head.get(&h.value_id);
            HistorySecret {
                kind: h.kind,
                shown: h.shown,
                commit: sha,
                date,
                location: h.location,
                len: h.len,
                classes: h.classes,
                weak_evidence: h.weak_evidence,
                in_head: at_head.map(|(l, _)| l.clone()),
                ignored: h.ignored.or_else(|| at_head.and_then(|(_, i)| i.clone())),
            }
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(log: &[u8]) -> (Vec<Chunk>, Chunker<'static>) {
        static NEVER: fn(&str) -> bool = |_| false;
        let vendored: SkipClasses = |c| c.has(crate::source::class::FileClass::Vendored);
        let mut c = Chunker::new(&NEVER, vendored, 64);
        let mut out = Vec::new();
        for line in log.split(|b| *b == b'\n') {
            c.feed(line, &mut |ch| out.push(ch));
        }
        c.flush(&mut |ch| out.push(ch));
        (out, c)
    }

    #[test]
    fn hunks_are_kept_apart_and_mapped_to_their_lines() {
        let log = b"\0a 2026-01-01\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,0 +2,2 @@\n+one\n+two\n@@ -9 +10 @@\n-o\n+ten\n\0b 2026-01-02\ndiff --git a/vendor/y b/vendor/y\n+++ b/vendor/y\n@@ -0,0 +1 @@\n+skipped\n";
        let (out, c) = chunks(log);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text, "one\ntwo\n\nten\n");
        assert_eq!(out[0].lines, [2, 3, 0, 10]);
        assert_eq!(out[0].commit, 0);
        assert_eq!(c.commits.len(), 2);
    }

    #[test]
    fn a_file_over_the_limit_is_counted_not_gathered() {
        let big = "x".repeat(70);
        let log = format!("\0a 2026-01-01\ndiff --git a/x b/x\n+++ b/x\n@@ -0,0 +1 @@\n+{big}\n");
        let (out, c) = chunks(log.as_bytes());
        assert!(out.is_empty());
        assert_eq!(c.oversized, 1);
    }
}
