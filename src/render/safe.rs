//! Safe writes: every path is checked before the first byte is written
//! (relative, no `..`, no symlink leading out of the repo), each file goes to a
//! temp file first, then all are renamed; any failure rolls back what was renamed.

use super::RenderError;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// One file to write, with the content the plan expected to find there.
#[derive(Debug, Clone)]
pub struct Write1 {
    pub path: String,
    pub content: String,
    /// `None` when the file must not exist yet.
    pub expected: Option<String>,
}

/// Reject paths that could leave the repository or confuse it.
pub fn check_rel_path(path: &str) -> Result<(), RenderError> {
    let bad = |why: &str| RenderError::UnsafePath {
        path: path.to_string(),
        reason: why.to_string(),
    };
    if path.is_empty() {
        return Err(bad("empty path"));
    }
    if path.contains('\0') || path.contains('\\') {
        return Err(bad("NUL or backslash in path"));
    }
    let p = Path::new(path);
    if p.is_absolute() || path.starts_with('/') {
        return Err(bad("absolute path"));
    }
    for c in p.components() {
        match c {
            Component::Normal(_) => {}
            Component::ParentDir => return Err(bad("`..` in path")),
            Component::CurDir => return Err(bad("`.` component in path")),
            Component::RootDir | Component::Prefix(_) => return Err(bad("absolute path")),
        }
    }
    if path.ends_with('/') {
        return Err(bad("path names a directory"));
    }
    // `Path::components` hides `.` and empty segments; the plain text must not have them.
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(bad("empty, `.` or `..` segment in path"));
    }
    if p.components().any(|c| c.as_os_str() == ".git") {
        return Err(bad("inside .git"));
    }
    Ok(())
}

/// Check that writing `rel` under `root` stays inside the repo: no existing
/// ancestor is a symlink resolving outside, the file itself is not a symlink,
/// and no ancestor is a regular file.
pub fn check_target(root: &Path, rel: &str) -> Result<(), RenderError> {
    check_rel_path(rel)?;
    let bad = |why: String| RenderError::UnsafePath {
        path: rel.to_string(),
        reason: why,
    };
    let canon_root = root
        .canonicalize()
        .map_err(|e| bad(format!("cannot resolve the repository root: {e}")))?;
    let mut cur = PathBuf::from(root);
    let parts: Vec<_> = Path::new(rel).components().collect();
    for (i, part) in parts.iter().enumerate() {
        cur.push(part.as_os_str());
        let last = i + 1 == parts.len();
        let meta = match fs::symlink_metadata(&cur) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(bad(format!("cannot inspect {}: {e}", cur.display()))),
        };
        if meta.file_type().is_symlink() {
            if last {
                return Err(bad(
                    "the file is a symlink; infra does not replace symlinks".into(),
                ));
            }
            let resolved = cur
                .canonicalize()
                .map_err(|e| bad(format!("cannot resolve symlink {}: {e}", cur.display())))?;
            if !resolved.starts_with(&canon_root) {
                return Err(bad(format!(
                    "{} is a symlink leading out of the repository",
                    cur.display()
                )));
            }
            if !resolved.is_dir() {
                return Err(bad(format!("{} is not a directory", cur.display())));
            }
        } else if last {
            if meta.is_dir() {
                return Err(bad("a directory is in the way".into()));
            }
        } else if !meta.is_dir() {
            return Err(bad(format!("{} is a file, not a directory", cur.display())));
        }
    }
    Ok(())
}

/// Write every file or none. `fail_after` injects a failure after that many
/// renames (tests of the rollback only).
pub(crate) fn write_all(
    root: &Path,
    writes: &[Write1],
    fail_after: Option<usize>,
) -> Result<(), RenderError> {
    // 1. Validate everything, including that nothing changed since the plan.
    for w in writes {
        check_target(root, &w.path)?;
        let target = root.join(&w.path);
        let current = match fs::read(&target) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_err(&w.path, e)),
        };
        if current.as_deref() != w.expected.as_deref().map(str::as_bytes) {
            return Err(RenderError::ChangedSincePlan {
                path: w.path.clone(),
            });
        }
    }

    // 2. Temp files next to their targets (same filesystem, so rename is atomic).
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let staged = stage(root, writes, &mut created_dirs, &mut temps);
    if let Err(e) = staged {
        cleanup(&temps, &created_dirs);
        return Err(e);
    }

    // 3. Rename into place; on failure put back what was there.
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (i, ((tmp, target), w)) in temps.iter().zip(writes).enumerate() {
        let result = if fail_after == Some(i) {
            Err(std::io::Error::other("injected failure"))
        } else {
            fs::rename(tmp, target)
        };
        if let Err(e) = result {
            rollback(&done);
            cleanup(&temps[i..], &created_dirs);
            return Err(io_err(&w.path, e));
        }
        done.push((target.clone(), w.expected.clone().map(String::into_bytes)));
    }
    Ok(())
}

fn stage(
    root: &Path,
    writes: &[Write1],
    created_dirs: &mut Vec<PathBuf>,
    temps: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), RenderError> {
    for (i, w) in writes.iter().enumerate() {
        let target = root.join(&w.path);
        let dir = target.parent().unwrap_or(root).to_path_buf();
        create_dirs(root, &dir, created_dirs).map_err(|e| io_err(&w.path, e))?;
        // Re-check after creating directories: nothing may have appeared in between.
        check_target(root, &w.path)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.infra-tmp-{}-{i}", std::process::id()));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_err(&w.path, e))?;
        temps.push((tmp.clone(), target.clone()));
        file.write_all(w.content.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io_err(&w.path, e))?;
        if let Ok(meta) = fs::metadata(&target) {
            // Keep the mode of the file being replaced.
            let _ = fs::set_permissions(&tmp, meta.permissions());
        }
    }
    Ok(())
}

fn create_dirs(root: &Path, dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut cur = dir.to_path_buf();
    while cur != root && fs::symlink_metadata(&cur).is_err() {
        missing.push(cur.clone());
        if !cur.pop() {
            break;
        }
    }
    for d in missing.into_iter().rev() {
        fs::create_dir(&d)?;
        created.push(d);
    }
    Ok(())
}

fn rollback(done: &[(PathBuf, Option<Vec<u8>>)]) {
    for (target, original) in done.iter().rev() {
        match original {
            Some(bytes) => {
                let tmp = target.with_extension("infra-rollback");
                if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, target).is_err() {
                    let _ = fs::remove_file(&tmp);
                }
            }
            None => {
                let _ = fs::remove_file(target);
            }
        }
    }
}

fn cleanup(temps: &[(PathBuf, PathBuf)], created_dirs: &[PathBuf]) {
    for (tmp, _) in temps {
        let _ = fs::remove_file(tmp);
    }
    for d in created_dirs.iter().rev() {
        let _ = fs::remove_dir(d);
    }
}

fn io_err(path: &str, source: std::io::Error) -> RenderError {
    RenderError::Io {
        path: path.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        for p in [
            "/etc/passwd",
            "../x",
            "a/../../x",
            "",
            "a/./b",
            ".git/config",
            "a\\b",
        ] {
            assert!(check_rel_path(p).is_err(), "{p} should be rejected");
        }
        for p in [
            "a",
            ".env.example",
            "docs/infra/overview.md",
            ".github/workflows/ci.yml",
        ] {
            assert!(check_rel_path(p).is_ok(), "{p} should be accepted");
        }
    }
}
