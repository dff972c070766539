//! Three-way merge of the user's file with a new render (diffy), with labelled
//! conflict markers, and the managed `<!-- infra:begin … -->` blocks.

/// Marker labels written into conflicted files; `check` looks for them.
pub const MARK_OURS: &str = "<<<<<<< yours (edited since infra last rendered it)";
pub const MARK_BASE: &str = "||||||| last render by infra";
pub const MARK_THEIRS: &str = ">>>>>>> infra (new render)";

/// What a 3-way merge produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// Number of conflicting hunks (each wrapped in labelled markers).
    pub conflicts: usize,
}

/// Merge `theirs` (the new render) into `ours` (the user's file), both descended
/// from `base` (the last render). Clean when the changes touch different lines.
pub fn three_way(base: &str, ours: &str, theirs: &str) -> Merged {
    match diffy::merge(base, ours, theirs) {
        Ok(text) => Merged { text, conflicts: 0 },
        Err(text) => {
            let mut out = String::with_capacity(text.len() + 256);
            let mut conflicts = 0;
            for line in text.split_inclusive('\n') {
                let (body, nl) = match line.strip_suffix('\n') {
                    Some(b) => (b, "\n"),
                    None => (line, ""),
                };
                let replaced = match body {
                    "<<<<<<< ours" => {
                        conflicts += 1;
                        Some(MARK_OURS)
                    }
                    "||||||| original" => Some(MARK_BASE),
                    ">>>>>>> theirs" => Some(MARK_THEIRS),
                    _ => None,
                };
                out.push_str(replaced.unwrap_or(body));
                out.push_str(nl);
            }
            Merged {
                text: out,
                conflicts: conflicts.max(1),
            }
        }
    }
}

/// Whether a file still holds conflict markers written by `infra`.
pub fn has_conflict_markers(text: &str) -> bool {
    text.lines().any(|l| l == MARK_OURS || l == MARK_THEIRS)
}

/// Begin/end comment lines of a managed Markdown block.
pub fn block_markers(id: &str) -> (String, String) {
    (
        format!("<!-- infra:begin {id} -->"),
        format!("<!-- infra:end {id} -->"),
    )
}

/// Byte range of the managed block's body (between the marker lines), if the
/// file has exactly one well-formed block.
pub fn find_block(text: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let (begin, end) = block_markers(id);
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == begin {
            if start.is_some() {
                return None;
            }
            start = Some(offset + line.len());
        } else if trimmed == end {
            let s = start?;
            return Some(s..offset);
        }
        offset += line.len();
    }
    None
}

/// The block's current body, if present.
pub fn block_body<'a>(text: &'a str, id: &str) -> Option<&'a str> {
    find_block(text, id).map(|r| &text[r])
}

/// `text` with the block's body replaced, or the whole block appended (after a
/// blank line) when the file has none. Everything outside the block is kept.
pub fn with_block(text: &str, id: &str, body: &str) -> String {
    if let Some(range) = find_block(text, id) {
        let mut out = String::with_capacity(text.len() + body.len());
        out.push_str(&text[..range.start]);
        out.push_str(body);
        out.push_str(&text[range.end..]);
        return out;
    }
    let (begin, end) = block_markers(id);
    let mut out = text.to_string();
    if !out.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
    out.push_str(&begin);
    out.push('\n');
    out.push_str(body);
    out.push_str(&end);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_merge_keeps_both_sides() {
        let base = "a\nb\nc\nd\ne\n";
        let ours = "a\nB (mine)\nc\nd\ne\n";
        let theirs = "a\nb\nc\nd\nE (new)\n";
        let m = three_way(base, ours, theirs);
        assert_eq!(m.conflicts, 0);
        assert_eq!(m.text, "a\nB (mine)\nc\nd\nE (new)\n");
    }

    #[test]
    fn conflict_is_labelled() {
        let m = three_way("a\nb\nc\n", "a\nmine\nc\n", "a\nnew\nc\n");
        assert_eq!(m.conflicts, 1);
        assert!(m.text.contains(MARK_OURS));
        assert!(m.text.contains(MARK_BASE));
        assert!(m.text.contains(MARK_THEIRS));
        assert!(has_conflict_markers(&m.text));
        assert!(!m.text.contains("<<<<<<< ours"));
    }

    #[test]
    fn block_is_replaced_in_place() {
        let text = "# Plan\n\nmine\n\n<!-- infra:begin tasks -->\nold\n<!-- infra:end tasks -->\n\nafter\n";
        assert_eq!(block_body(text, "tasks"), Some("old\n"));
        let out = with_block(text, "tasks", "new\n");
        assert_eq!(
            out,
            "# Plan\n\nmine\n\n<!-- infra:begin tasks -->\nnew\n<!-- infra:end tasks -->\n\nafter\n"
        );
    }

    #[test]
    fn block_is_appended_when_missing() {
        let out = with_block("# Plan\n- [ ] x", "tasks", "- [ ] y\n");
        assert_eq!(
            out,
            "# Plan\n- [ ] x\n\n<!-- infra:begin tasks -->\n- [ ] y\n<!-- infra:end tasks -->\n"
        );
        assert_eq!(block_body(&out, "tasks"), Some("- [ ] y\n"));
    }

    #[test]
    fn two_blocks_are_not_guessed() {
        let text = "<!-- infra:begin tasks -->\na\n<!-- infra:begin tasks -->\nb\n<!-- infra:end tasks -->\n";
        assert_eq!(find_block(text, "tasks"), None);
    }
}
