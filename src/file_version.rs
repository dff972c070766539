//! Format versions of the files `infra` writes and reads back (docs/json.md
//! lists them): `infra.toml` (`schema_version`), `.infra/lock.toml` and
//! audit baselines (`version`). A file without its key is the format from
//! before the key existed, which is version 1, and always loads. A version
//! newer than this build knows is refused before the rest of the file is
//! read (a newer file may hold fields this build would call unknown), with a
//! message naming the file, the key and what to do; callers make it exit 2.

/// The version a file without its key has.
pub const UNVERSIONED: u32 = 1;

/// Why `key = found` cannot be read by a build that knows versions up to
/// `supported`, or `None` when it can.
pub fn unsupported(key: &str, found: i64, supported: u32) -> Option<String> {
    if found < 1 {
        return Some(format!(
            "{key} = {found} is not a format version (they start at 1); set {key} = {supported} or remove the line"
        ));
    }
    (found > i64::from(supported)).then(|| {
        format!(
            "{key} = {found} is newer than this infra ({}) understands (up to {supported}); \
             the file was written by a newer infra: upgrade infra (`cargo install --locked` from a newer release) and run the command again",
            env!("CARGO_PKG_VERSION")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_older_versions_load() {
        assert_eq!(unsupported("version", 1, 1), None);
        assert_eq!(unsupported("version", 1, 2), None);
    }

    #[test]
    fn newer_and_nonsense_versions_say_what_to_do() {
        let newer = unsupported("schema_version", 2, 1).unwrap_or_default();
        assert!(newer.starts_with("schema_version = 2 is newer"), "{newer}");
        assert!(newer.contains("upgrade infra"), "{newer}");
        let zero = unsupported("version", 0, 1).unwrap_or_default();
        assert!(zero.contains("start at 1"), "{zero}");
    }
}
