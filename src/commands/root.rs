//! Which folder a command works on. An explicit PATH wins; otherwise, from
//! the current folder, the nearest folder at or above it that holds an
//! `infra.toml` (not looking past the git work tree's top), else the git
//! top level, else the current folder. So `infra audit` in `src/` audits
//! the repository, `infra init` in a subfolder renders at the top, and a
//! monorepo with an `infra.toml` per service works per service.

use super::UserError;
use std::path::{Path, PathBuf};

/// How the root was found, for the note printed when it is not the current folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The PATH argument, or the current folder itself.
    Here,
    /// A folder above that holds infra.toml.
    InfraToml,
    /// The top of the git work tree.
    GitTop,
}

/// The folder to work on, and how it was found.
pub fn find(path: Option<&Path>) -> anyhow::Result<(PathBuf, Found)> {
    if let Some(path) = path {
        return explicit(path).map(|p| (p, Found::Here));
    }
    let cwd = std::env::current_dir()
        .map_err(|e| UserError::Io(format!("cannot read the current folder: {e}")))?;
    Ok(discover(&cwd))
}

/// An explicit PATH: it must exist and be a folder.
fn explicit(path: &Path) -> anyhow::Result<PathBuf> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(path.to_path_buf()),
        Ok(_) => Err(UserError::Usage(format!("{} is not a directory", path.display())).into()),
        Err(_) => Err(UserError::Usage(format!(
            "{} does not exist; pass the repository's folder",
            path.display()
        ))
        .into()),
    }
}

/// The root seen from `cwd`, as a path relative to it (`.`, `..`, `../..`)
/// when it is at or above it.
pub fn discover(cwd: &Path) -> (PathBuf, Found) {
    let start = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let top = crate::source::git::toplevel(&start);
    let mut found = None;
    for dir in start.ancestors() {
        if dir.join(crate::answers::load::INFRA_TOML).is_file() {
            found = Some((dir.to_path_buf(), Found::InfraToml));
            break;
        }
        if top.as_deref() == Some(dir) {
            break;
        }
    }
    let (dir, how) = found
        .or_else(|| top.map(|t| (t, Found::GitTop)))
        .unwrap_or_else(|| (start.clone(), Found::Here));
    let how = if dir == start { Found::Here } else { how };
    (relative_to(&start, &dir), how)
}

/// `dir` as seen from `start`: `.` or `../..` when it is an ancestor.
fn relative_to(start: &Path, dir: &Path) -> PathBuf {
    match start.strip_prefix(dir) {
        Ok(rest) => {
            let up = rest.components().count();
            if up == 0 {
                PathBuf::from(".")
            } else {
                (0..up).map(|_| "..").collect::<PathBuf>()
            }
        }
        Err(_) => dir.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    fn git_init(dir: &Path) -> bool {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["init", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    #[test]
    fn the_nearest_infra_toml_wins_then_the_git_top() {
        let repo = tempfile::tempdir().unwrap();
        assert!(git_init(repo.path()), "git is needed for this test");
        let api = repo.path().join("services/api");
        std::fs::create_dir_all(api.join("src/handlers")).unwrap();
        std::fs::create_dir_all(repo.path().join("services/web/src")).unwrap();
        std::fs::write(api.join("infra.toml"), "").unwrap();
        assert_eq!(
            discover(&api.join("src/handlers")),
            (PathBuf::from("../.."), Found::InfraToml)
        );
        assert_eq!(discover(&api), (PathBuf::from("."), Found::Here));
        // No infra.toml on the way up: the git top level.
        assert_eq!(
            discover(&repo.path().join("services/web/src")),
            (PathBuf::from("../../.."), Found::GitTop)
        );
        // infra.toml above the work tree's top is not this repository's.
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("infra.toml"), "").unwrap();
        let inner = outer.path().join("inner");
        std::fs::create_dir_all(inner.join("src")).unwrap();
        assert!(git_init(&inner));
        assert_eq!(
            discover(&inner.join("src")),
            (PathBuf::from(".."), Found::GitTop)
        );
    }

    #[test]
    fn outside_git_without_infra_toml_it_is_the_folder_itself() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(discover(&sub), (PathBuf::from("."), Found::Here));
    }
}
