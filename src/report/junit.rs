//! JUnit XML: one test suite per checklist section, one test case per rule
//! result, a `<failure>` per counted finding at or above `--fail-on`;
//! not-applicable rules are skipped, unknown ones are errors (never passes).

use crate::audit::{registry, Report, Status};
use std::fmt::Write as _;

/// Escape text for XML 1.0 content and attribute values; characters XML
/// cannot carry at all are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

struct Case {
    name: String,
    body: String,
    failures: usize,
    errors: usize,
    skipped: usize,
}

pub fn render(report: &Report) -> String {
    // section → cases
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    let mut push = |section: &str, case: Case| {
        let top = section.split('.').next().unwrap_or("").to_string();
        match suites.iter_mut().find(|(s, _)| *s == top) {
            Some((_, cases)) => cases.push(case),
            None => suites.push((top, vec![case])),
        }
    };
    let mut ids: Vec<&str> = report.results.iter().map(|r| r.rule).collect();
    // Engine diagnostics that fired get a case too.
    for f in report.active() {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    for id in ids {
        let result = report.result(id);
        let section = result
            .map(|r| r.section)
            .or_else(|| registry::find(id).map(|m| m.section))
            .unwrap_or("0");
        let mut case = Case {
            name: id.to_string(),
            body: String::new(),
            failures: 0,
            errors: 0,
            skipped: 0,
        };
        let mut below = Vec::new();
        for f in report.active().filter(|f| f.rule == id) {
            let text = format!(
                "{}: {}\n{}\nhelp: {}\nsee: {}",
                f.level, f.message, f.location, f.fix, f.docs
            );
            if f.level >= report.fail_on {
                case.failures += 1;
                let _ = write!(
                    case.body,
                    "\n      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    f.level,
                    escape(&format!("{} ({})", f.message, f.location)),
                    escape(&text)
                );
            } else {
                below.push(text);
            }
        }
        match result.map(|r| (r.status, r.reason.clone())) {
            Some((Status::NotApplicable, reason)) => {
                case.skipped += 1;
                let _ = write!(
                    case.body,
                    "\n      <skipped message=\"{}\"/>",
                    escape(&format!("not applicable: {}", reason.unwrap_or_default()))
                );
            }
            Some((Status::Unknown, reason)) => {
                case.errors += 1;
                let _ = write!(
                    case.body,
                    "\n      <error type=\"unknown\" message=\"{}\"/>",
                    escape(&format!("could not decide: {}", reason.unwrap_or_default()))
                );
            }
            _ => {}
        }
        if !below.is_empty() {
            let _ = write!(
                case.body,
                "\n      <system-out>{}</system-out>",
                escape(&below.join("\n\n"))
            );
        }
        push(section, case);
    }
    let total =
        |f: fn(&Case) -> usize| -> usize { suites.iter().flat_map(|(_, c)| c).map(f).sum() };
    let tests = total(|_| 1);
    let failures = total(|c| c.failures.min(1));
    let errors = total(|c| c.errors);
    let skipped = total(|c| c.skipped);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<!-- {} -->", report.readiness().replace("--", "- -"));
    let _ = writeln!(
        out,
        "<testsuites name=\"infra audit\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    );
    let sections = report.sections();
    for (section, cases) in &suites {
        let suppressed = sections
            .iter()
            .find(|s| s.section == *section)
            .map_or(0, |s| s.suppressed);
        let title = format!("§{section} {}", registry::section_title(section));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            escape(&title),
            cases.len(),
            cases.iter().filter(|c| c.failures > 0).count(),
            cases.iter().map(|c| c.errors).sum::<usize>(),
            cases.iter().map(|c| c.skipped).sum::<usize>(),
        );
        let _ = writeln!(
            out,
            "    <properties><property name=\"suppressed\" value=\"{suppressed}\"/></properties>"
        );
        for c in cases {
            if c.body.is_empty() {
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"infra.audit.section-{section}\" name=\"{}\"/>",
                    escape(&c.name)
                );
            } else {
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"infra.audit.section-{section}\" name=\"{}\">{}\n    </testcase>",
                    escape(&c.name),
                    c.body
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;"
        );
    }
}
