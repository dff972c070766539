//! `.infra/lock.toml`: per rendered file, the SHA-256 of what infra last
//! rendered; the rendered text itself is kept under `.infra/base/<sha256>` so
//! the next `update` can run a 3-way merge against it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

pub const LOCK_PATH: &str = ".infra/lock.toml";
pub const BASE_DIR: &str = ".infra/base";
pub const LOCK_VERSION: u32 = 1;

const HEADER: &str = "# Written by `infra`: what it last rendered, so `infra update` never loses your edits.\n# Do not edit by hand; see docs/rendering.md. The rendered text is kept in .infra/base/<sha256>.\n\n";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Format version (crate::file_version); a lock without it is version 1.
    #[serde(default = "unversioned")]
    pub version: u32,
    #[serde(default)]
    pub files: BTreeMap<String, LockEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    /// SHA-256 (hex) of the last render: the whole file, or the managed block's body.
    pub sha256: String,
    /// Set when infra manages only the block with this id inside a user's file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid infra lock file: {message}")]
    Parse { path: String, message: String },
    /// Written by a newer infra (or a version that never existed).
    #[error("{path}: {message}")]
    Version { path: String, message: String },
}

fn unversioned() -> u32 {
    crate::file_version::UNVERSIONED
}

/// Lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Repo-relative path of the stored base text for a hash.
pub fn base_path(sha256: &str) -> String {
    format!("{BASE_DIR}/{sha256}")
}

impl Lock {
    pub fn new() -> Self {
        Lock {
            version: LOCK_VERSION,
            files: BTreeMap::new(),
        }
    }

    /// Read the lock under `root`; a missing file is an empty lock.
    pub fn load(root: &Path) -> Result<Lock, LockError> {
        let path = root.join(LOCK_PATH);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Lock::new()),
            Err(source) => {
                return Err(LockError::Read {
                    path: LOCK_PATH.into(),
                    source,
                })
            }
        };
        Lock::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Lock, LockError> {
        let parse_error = |e: toml::de::Error| LockError::Parse {
            path: LOCK_PATH.into(),
            message: e.to_string(),
        };
        // The version first: a newer lock may hold fields this build does not know.
        let raw: toml::Table = toml::from_str(text).map_err(parse_error)?;
        if let Some(toml::Value::Integer(found)) = raw.get("version") {
            if let Some(message) = crate::file_version::unsupported("version", *found, LOCK_VERSION)
            {
                return Err(LockError::Version {
                    path: LOCK_PATH.into(),
                    message,
                });
            }
        }
        let lock: Lock = toml::from_str(text).map_err(parse_error)?;
        for (path, entry) in &lock.files {
            let valid = entry.sha256.len() == 64
                && entry
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !valid {
                return Err(LockError::Parse {
                    path: LOCK_PATH.into(),
                    message: format!("entry {path:?} has an invalid sha256"),
                });
            }
        }
        Ok(lock)
    }

    /// Deterministic text: sorted keys, no timestamps.
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// The stored base text for `path`, when both the entry and its object exist.
    pub fn base_text(&self, root: &Path, path: &str) -> Option<String> {
        let entry = self.files.get(path)?;
        let text = std::fs::read_to_string(root.join(base_path(&entry.sha256))).ok()?;
        (sha256_hex(&text) == entry.sha256).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_stable() {
        let mut lock = Lock::new();
        lock.files.insert(
            "b.md".into(),
            LockEntry {
                sha256: sha256_hex("b"),
                block: None,
            },
        );
        lock.files.insert(
            "a.md".into(),
            LockEntry {
                sha256: sha256_hex("a"),
                block: Some("tasks".into()),
            },
        );
        let text = lock.to_text();
        assert!(text.find("a.md").unwrap_or(usize::MAX) < text.find("b.md").unwrap_or(0));
        let back = Lock::parse(&text).unwrap_or_default();
        assert_eq!(back, lock);
        assert_eq!(back.to_text(), text);
    }

    #[test]
    fn rejects_bad_hash_and_version() {
        assert!(Lock::parse("version = 1\n[files.\"a\"]\nsha256 = \"zz\"\n").is_err());
        let newer = Lock::parse("version = 9\n[files.\"a\"]\nsha256 = \"x\"\nmode = 1\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            newer.starts_with(".infra/lock.toml: version = 9 is newer"),
            "{newer}"
        );
        assert!(Lock::parse("version = 0\n").is_err());
        assert!(Lock::parse("version = 1\nextra = 1\n").is_err());
    }

    #[test]
    fn a_lock_without_version_is_version_1() {
        let lock = Lock::parse("[files.\"a.md\"]\nsha256 = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"\n");
        assert_eq!(lock.map(|l| l.version).ok(), Some(1));
    }

    #[test]
    fn sha256_of_empty_string() {
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
