//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per counted finding, then a plain summary for the log.

use crate::audit::{Level, Report};
use std::fmt::Write as _;

/// Escape a command's message (GitHub's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (GitHub's `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.active() {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut props = Vec::new();
        if f.location.path != "." {
            props.push(format!("file={}", escape_property(&f.location.path)));
            if f.location.line > 0 {
                props.push(format!("line={}", f.location.line));
                if f.location.column > 0 {
                    props.push(format!("col={}", f.location.column));
                }
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} (§{})", f.rule, f.section))
        ));
        let message = format!("{}\nhelp: {}\nsee: {}", f.message, f.fix, f.docs);
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    for s in report.sections() {
        let _ = writeln!(
            out,
            "§{} {}: {} pass, {} fail, {} n/a, {} unknown; {} errors, {} warnings, {} notes, {} suppressed",
            s.section, s.title, s.passed, s.failed, s.not_applicable, s.unknown, s.errors, s.warnings, s.notes, s.suppressed
        );
    }
    let _ = writeln!(out, "{}", report.readiness());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
