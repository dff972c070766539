//! Unified diffs for `infra plan`, in the `diff -u` / git format.

/// A unified diff from `before` (`None`: the file does not exist) to `after`.
pub fn unified(path: &str, before: Option<&str>, after: &str) -> String {
    let mut opts = diffy::DiffOptions::new();
    let original = match before {
        Some(_) => format!("a/{path}"),
        None => "/dev/null".to_string(),
    };
    opts.set_original_filename(original)
        .set_modified_filename(format!("b/{path}"));
    let patch = opts.create_patch(before.unwrap_or(""), after);
    let formatter = diffy::PatchFormatter::new();
    let text = formatter.fmt_patch(&patch).to_string();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_diff_adds_every_line() {
        let d = unified("x.md", None, "a\nb\n");
        assert!(d.starts_with("--- /dev/null\n+++ b/x.md\n"));
        assert!(d.contains("+a\n+b\n"));
    }

    #[test]
    fn changed_line_diff() {
        let d = unified("x.md", Some("a\nb\n"), "a\nc\n");
        assert!(d.contains("--- a/x.md"));
        assert!(d.contains("-b\n+c\n"));
    }
}
