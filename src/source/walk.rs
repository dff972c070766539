//! The one parallel walk of a repository. Honours `.gitignore`, `.ignore` and
//! `.infraignore` (ripgrep's `ignore` semantics), never follows symlinks, skips
//! vendored and build folders, and reads each file at most once: the caller's
//! visitor sees the bytes and returns whatever it extracted.
//!
//! Precedence of what is skipped, first match wins:
//! 1. symlinks (files or folders): never followed, never read — except a
//!    file symlink at the root (`README.md -> docs/README.md`) whose target
//!    stays inside the repository: it is read under the link's name. A root
//!    link that leads out of the repository is listed with
//!    [`RepoFile::outside_link`] set and not read;
//! 2. folders in [`SKIPPED_DIRS`], whatever the ignore files say;
//! 3. paths ignored by `.infraignore`, `.ignore`, `.gitignore` or `.git/info/exclude`;
//! 4. files larger than [`WalkOptions::max_file_size`]: listed, not read;
//! 5. binary files (a NUL byte in the first 8 KiB): listed, not visited.

use super::class::{self, Classes};
use crate::model::{Location, Problem};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What a long run is doing, for a progress line: the walk counts the files
/// it has read, callers name the phase. Shared by reference; read by
/// whoever draws it (`output::Spinner`), never printed from here.
#[derive(Debug, Default)]
pub struct Progress {
    files: AtomicU64,
    phase: Mutex<String>,
}

impl Progress {
    /// Name the phase now under way ("reading files", "running rules" …).
    pub fn phase(&self, what: &str) {
        *lock(&self.phase) = what.to_string();
    }

    /// The phase and the files read by the current walk.
    pub fn status(&self) -> (String, u64) {
        (
            lock(&self.phase).clone(),
            self.files.load(Ordering::Relaxed),
        )
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct WalkStats {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_large: u64,
    pub unreadable: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepoFile {
    pub path: String,
    pub size: u64,
    pub binary: bool,
    /// Over the walk's size limit: listed, never read.
    pub too_large: bool,
    /// What the file is for (generated, vendored, test …): decided here,
    /// from the name and the text already read.
    pub classes: Classes,
    /// A root symlink whose target is outside the repository: not read.
    pub outside_link: bool,
}

/// Folders skipped even when no ignore file names them: build output,
/// dependencies and vendored code are not the repo's own infrastructure.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    "vendor",
    "third_party",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    "bower_components",
];

/// How many leading bytes decide whether a file is binary.
const BINARY_SNIFF: usize = 8 * 1024;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are listed but not read.
    pub max_file_size: u64,
    /// Worker threads; 0 lets the walker choose.
    pub threads: usize,
    /// Counts the files read, for a progress line; `None`: nobody watches.
    pub progress: Option<Arc<Progress>>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: 2 * 1024 * 1024,
            threads: 0,
            progress: None,
        }
    }
}

/// One file as the visitor sees it.
pub struct SourceFile<'a> {
    /// Relative to the root, `/`-separated.
    pub path: &'a str,
    /// The final component of `path`.
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// `bytes` as text; invalid UTF-8 is replaced, never an error.
    pub text: &'a str,
    /// The file's classes ([`class::of_file`]).
    pub classes: Classes,
}

#[derive(Debug)]
pub struct Walked<T> {
    /// What the visitor returned, in path order.
    pub items: Vec<(String, T)>,
    /// Every file seen, in path order.
    pub files: Vec<RepoFile>,
    pub stats: WalkStats,
    /// Unreadable files and walk errors (permission denied, loops …).
    pub problems: Vec<Problem>,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
}

struct Shared<T> {
    items: Mutex<Vec<(String, T)>>,
    files: Mutex<Vec<RepoFile>>,
    problems: Mutex<Vec<Problem>>,
    stats: Mutex<WalkStats>,
}

/// Per-thread buffers, flushed into [`Shared`] once when the worker ends, so
/// the locks are taken per thread rather than per file.
struct Local<'s, T> {
    shared: &'s Shared<T>,
    items: Vec<(String, T)>,
    files: Vec<RepoFile>,
    problems: Vec<Problem>,
    stats: WalkStats,
}

impl<T> Drop for Local<'_, T> {
    fn drop(&mut self) {
        lock(&self.shared.items).append(&mut self.items);
        lock(&self.shared.files).append(&mut self.files);
        lock(&self.shared.problems).append(&mut self.problems);
        let mut stats = lock(&self.shared.stats);
        stats.files += self.stats.files;
        stats.bytes += self.stats.bytes;
        stats.skipped_binary += self.stats.skipped_binary;
        stats.skipped_large += self.stats.skipped_large;
        stats.unreadable += self.stats.unreadable;
    }
}

/// A poisoned lock only means another worker panicked; its data is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Walk `root` in parallel and call `visit` once per readable text file.
pub fn walk<T, F>(root: &Path, opts: &WalkOptions, visit: F) -> Result<Walked<T>, WalkError>
where
    T: Send,
    F: Fn(&SourceFile<'_>) -> Option<T> + Sync,
{
    let meta = std::fs::metadata(root).map_err(|_| WalkError::Missing(root.to_path_buf()))?;
    if !meta.is_dir() {
        return Err(WalkError::NotADirectory(root.to_path_buf()));
    }
    let shared = Shared {
        items: Mutex::new(Vec::new()),
        files: Mutex::new(Vec::new()),
        problems: Mutex::new(Vec::new()),
        stats: Mutex::new(WalkStats::default()),
    };
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .ignore(true)
        .parents(false)
        .add_custom_ignore_filename(".infraignore")
        .threads(opts.threads)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && entry.depth() > 0 && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
        });
    let max = opts.max_file_size;
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.files.store(0, Ordering::Relaxed);
    }
    builder.build_parallel().run(|| {
        let mut local = Local {
            shared: &shared,
            items: Vec::new(),
            files: Vec::new(),
            problems: Vec::new(),
            stats: WalkStats::default(),
        };
        let visit = &visit;
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    visit_entry(root, &entry, max, visit, &mut local);
                    if let Some(p) = progress {
                        p.files.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(err) => {
                    local.problems.push(Problem {
                        location: Location::file(error_path(root, &err)),
                        message: err.to_string(),
                    });
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut items = shared.items.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut files = shared.files.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut problems = shared
        .problems
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let stats = shared.stats.into_inner().unwrap_or_else(|e| e.into_inner());
    items.sort_by(|a, b| a.0.cmp(&b.0));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    problems.sort();
    Ok(Walked {
        items,
        files,
        stats,
        problems,
    })
}

fn visit_entry<T, F>(
    root: &Path,
    entry: &ignore::DirEntry,
    max: u64,
    visit: &F,
    local: &mut Local<'_, T>,
) where
    F: Fn(&SourceFile<'_>) -> Option<T>,
{
    let Some(file_type) = entry.file_type() else {
        return;
    };
    let path = relative(root, entry.path());
    let mut read_from = entry.path().to_path_buf();
    if file_type.is_symlink() {
        // Only root files are followed (a README linking to docs/README.md),
        // and only when the target stays inside the repository.
        if entry.depth() != 1 {
            return;
        }
        match root_link_target(root, entry.path()) {
            LinkTarget::Inside(target) => read_from = target,
            LinkTarget::Outside => {
                local.files.push(RepoFile {
                    classes: class::of_path(&path),
                    path,
                    size: 0,
                    binary: false,
                    too_large: false,
                    outside_link: true,
                });
                return;
            }
            LinkTarget::NotAFile => return,
        }
    } else if !file_type.is_file() {
        return;
    }
    let size = std::fs::metadata(&read_from).map(|m| m.len()).unwrap_or(0);
    local.stats.files += 1;
    if size > max {
        local.stats.skipped_large += 1;
        local.files.push(RepoFile {
            classes: class::of_path(&path),
            path,
            size,
            binary: false,
            too_large: true,
            outside_link: false,
        });
        return;
    }
    let bytes = match std::fs::read(&read_from) {
        Ok(b) => b,
        Err(err) => {
            local.stats.unreadable += 1;
            local.problems.push(Problem {
                location: Location::file(path.clone()),
                message: format!("cannot read: {err}"),
            });
            local.files.push(RepoFile {
                classes: class::of_path(&path),
                path,
                size,
                binary: false,
                too_large: false,
                outside_link: false,
            });
            return;
        }
    };
    local.stats.bytes += bytes.len() as u64;
    let binary = bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0);
    let classes = if binary {
        local.stats.skipped_binary += 1;
        class::of_path(&path)
    } else {
        // Valid UTF-8 (nearly every file) is checked by `from_utf8`, whose
        // ASCII fast path is several times quicker than the lossy decoder's
        // byte loop; only invalid files pay for the lossy copy.
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&bytes),
        };
        let classes = class::of_file(&path, &text);
        let name = path.rsplit('/').next().unwrap_or(&path);
        let source = SourceFile {
            path: &path,
            name,
            bytes: &bytes,
            text: &text,
            classes,
        };
        if let Some(item) = visit(&source) {
            local.items.push((path.clone(), item));
        }
        classes
    };
    local.files.push(RepoFile {
        path,
        size: bytes.len() as u64,
        binary,
        too_large: false,
        classes,
        outside_link: false,
    });
}

enum LinkTarget {
    /// A regular file inside the repository (its resolved path).
    Inside(PathBuf),
    /// Resolves outside the repository: never read.
    Outside,
    /// Dangling, or a folder: ignored like any other symlink.
    NotAFile,
}

fn root_link_target(root: &Path, link: &Path) -> LinkTarget {
    let (Ok(root), Ok(target)) = (root.canonicalize(), link.canonicalize()) else {
        return LinkTarget::NotAFile;
    };
    if !target.is_file() {
        LinkTarget::NotAFile
    } else if target.starts_with(&root) {
        LinkTarget::Inside(target)
    } else {
        LinkTarget::Outside
    }
}

/// `/`-separated path relative to `root`; lossy for non-UTF-8 names.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

fn error_path(root: &Path, err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => relative(root, path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(root, err)
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn collect(root: &Path) -> Walked<String> {
        walk(root, &WalkOptions::default(), |f| Some(f.text.to_string())).unwrap()
    }

    #[test]
    fn honours_ignore_files_and_skipped_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("src")).ok();
        fs::create_dir_all(root.join("node_modules/x")).ok();
        fs::create_dir_all(root.join("secret")).ok();
        fs::write(root.join("src/a.js"), "a").ok();
        fs::write(root.join("node_modules/x/b.js"), "b").ok();
        fs::write(root.join("secret/c.txt"), "c").ok();
        fs::write(root.join("d.log"), "d").ok();
        fs::write(root.join(".gitignore"), "*.log\n").ok();
        fs::write(root.join(".infraignore"), "secret/\n").ok();
        fs::write(root.join("bin.dat"), [0u8, 1, 2]).ok();
        let walked = collect(root);
        let paths: Vec<_> = walked.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, [".gitignore", ".infraignore", "bin.dat", "src/a.js"]);
        assert_eq!(walked.stats.skipped_binary, 1);
        assert!(walked.items.iter().all(|(p, _)| p != "bin.dat"));
    }

    #[cfg(unix)]
    #[test]
    fn follows_root_file_links_that_stay_inside() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("notes.md"), "outside").ok();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("docs")).ok();
        fs::write(root.join("docs/README.md"), "# App\n").ok();
        std::os::unix::fs::symlink("docs/README.md", root.join("README.md")).ok();
        std::os::unix::fs::symlink(outside.path().join("notes.md"), root.join("NOTES.md")).ok();
        // Below the root, links are still never followed.
        std::os::unix::fs::symlink("README.md", root.join("docs/INDEX.md")).ok();
        let walked = collect(root);
        let paths: Vec<_> = walked.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["NOTES.md", "README.md", "docs/README.md"]);
        assert!(walked.files[0].outside_link);
        assert!(!walked.items.iter().any(|(p, _)| p == "NOTES.md"));
        let readme = walked.items.iter().find(|(p, _)| p == "README.md");
        assert_eq!(readme.map(|(_, t)| t.as_str()), Some("# App\n"));
    }

    #[cfg(unix)]
    #[test]
    fn never_follows_symlinks() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("passwd"), "x").ok();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).ok();
        std::os::unix::fs::symlink(root, root.join("loop")).ok();
        fs::write(root.join("in.txt"), "x").ok();
        let walked = collect(root);
        let paths: Vec<_> = walked.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["in.txt"]);
    }

    #[test]
    fn large_files_are_listed_not_read() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("big.txt"), vec![b'a'; 100]).ok();
        let opts = WalkOptions {
            max_file_size: 10,
            threads: 1,
            progress: None,
        };
        let walked = walk(dir.path(), &opts, |f| Some(f.bytes.len())).unwrap();
        assert!(walked.items.is_empty());
        assert_eq!(walked.stats.skipped_large, 1);
        assert!(walked.files[0].too_large);
        assert_eq!(walked.files.len(), 1);
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = walk(
            Path::new("/definitely/not/here"),
            &WalkOptions::default(),
            |_| Some(()),
        );
        assert!(matches!(err, Err(WalkError::Missing(_))));
    }
}
