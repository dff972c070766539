//! Discovery: what the repository already says about itself (SPEC §2),
//! read in one parallel walk and shared by `init`, `audit` and `context`.

pub mod model;
pub mod walk;

pub use model::*;

/// TEMPORARY until the discovery branch lands: walks the tree and fills only
/// the file list, stats and folder name. Replaced wholesale at merge.
pub fn discover(
    root: &std::path::Path,
    opts: &walk::WalkOptions,
) -> Result<Context, walk::WalkError> {
    let walked = walk::walk(root, opts, |_| Some(()))?;
    let dir_name = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into());
    Ok(Context {
        version: CONTEXT_JSON_VERSION,
        root: root.display().to_string(),
        project: ProjectInfo {
            dir_name,
            ..Default::default()
        },
        files: walked.files,
        stats: walked.stats,
        problems: walked.problems,
        ..Default::default()
    })
}
