//! Markdown report for a pull-request comment or a job step summary:
//! readiness first, findings in a table, then the per-section summary.

use crate::audit::{Level, Report, Status};
use std::fmt::Write as _;

/// Make text safe inside a table cell: no pipes, no raw HTML, one line.
pub fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\r', "")
        .replace('\n', "<br>")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let verdict = match report.failing_level() {
        None => "passed",
        Some(_) => "failed",
    };
    let _ = writeln!(out, "## infra audit {verdict}\n");
    let _ = writeln!(out, "{}\n", cell(&report.readiness()));
    let active: Vec<_> = report.active().collect();
    if !active.is_empty() {
        out.push_str("| Level | Rule | Location | Finding | Fix |\n|---|---|---|---|---|\n");
        for f in active {
            let level = match f.level {
                Level::Error => "**error**",
                Level::Warning => "warning",
                Level::Note => "note",
            };
            let rule = match &report.docs_url {
                Some(url) => format!("[`{}`]({url}#{})", f.rule, f.rule),
                None => format!("`{}`", f.rule),
            };
            let _ = writeln!(
                out,
                "| {level} | {rule} §{} | `{}` | {} | {} |",
                f.section,
                cell(&f.location.to_string()).replace('`', "'"),
                cell(&f.message),
                cell(&f.fix)
            );
        }
        out.push('\n');
    }
    out.push_str("### By checklist section\n\n");
    out.push_str(
        "| § | Section | Pass | Fail | N/A | Unknown | Errors | Warnings | Notes | Suppressed |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for s in report.sections() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.section,
            s.title,
            s.passed,
            s.failed,
            s.not_applicable,
            s.unknown,
            s.errors,
            s.warnings,
            s.notes,
            s.suppressed
        );
    }
    let others: Vec<_> = report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Unknown | Status::NotApplicable))
        .collect();
    if !others.is_empty() {
        out.push_str("\n<details><summary>Rules not applicable or undecided</summary>\n\n");
        for r in others {
            let _ = writeln!(
                out,
                "- `{}`: {} ({})",
                r.rule,
                r.status.id(),
                cell(r.reason.as_deref().unwrap_or(""))
            );
        }
        out.push_str("\n</details>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(cell("a|b\n<script>"), "a\\|b<br>&lt;script&gt;");
    }
}
