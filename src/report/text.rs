//! Plain-text report in cargo's style: `error[rule-id]: message`, the
//! location, the offending line with a caret, help and docs, then a summary
//! per checklist section and a readiness line.
//!
//! Repeated findings are grouped here only (JSON, SARIF and the other
//! formats list each one): findings of one rule and level whose messages
//! have the same shape (words with digits, dots, paths or underscores are
//! the variable parts) under the same folder (the first two components of
//! the path) form a group; the first [`SHOWN`] are printed in full, then one
//! line says how many more there are and where.

use crate::audit::{Finding, Level, Report, Status};
use console::Style;
use std::fmt::Write as _;

struct Paint {
    on: bool,
}

impl Paint {
    fn apply(&self, style: Style, s: &str) -> String {
        if self.on {
            style.force_styling(true).apply_to(s).to_string()
        } else {
            s.to_string()
        }
    }

    fn level(&self, level: Level, s: &str) -> String {
        let style = match level {
            Level::Error => Style::new().red().bold(),
            Level::Warning => Style::new().yellow().bold(),
            Level::Note => Style::new().cyan().bold(),
        };
        self.apply(style, s)
    }

    fn blue(&self, s: &str) -> String {
        self.apply(Style::new().blue().bold(), s)
    }

    fn bold(&self, s: &str) -> String {
        self.apply(Style::new().bold(), s)
    }

    fn green(&self, s: &str) -> String {
        self.apply(Style::new().green().bold(), s)
    }
}

fn finding(out: &mut String, f: &Finding, p: &Paint) {
    let head = format!("{}[{}]", f.level, f.rule);
    let _ = writeln!(
        out,
        "{}{} {}",
        p.level(f.level, &head),
        p.bold(":"),
        p.bold(&f.message)
    );
    let gutter = f.snippet.as_ref().map_or(1, |s| {
        (s.first_line + s.lines.len() as u32).to_string().len()
    });
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{} {}", p.blue("-->"), f.location);
    if let Some(s) = &f.snippet {
        let _ = writeln!(out, "{pad} {}", p.blue("|"));
        for (i, line) in s.lines.iter().enumerate() {
            let n = s.first_line + i as u32;
            let _ = writeln!(
                out,
                "{} {} {line}",
                p.blue(&format!("{n:>gutter$}")),
                p.blue("|")
            );
        }
        if let Some(last) = s.lines.last() {
            let chars = last.chars().count();
            let (start, width) = if s.column > 0 {
                let start = (s.column as usize - 1).min(chars);
                let w = if s.width > 0 {
                    s.width as usize
                } else {
                    chars.saturating_sub(start).max(1)
                };
                (start, w)
            } else {
                let start = last.chars().take_while(|c| c.is_whitespace()).count();
                (start, chars.saturating_sub(start).max(1))
            };
            let _ = writeln!(
                out,
                "{pad} {} {}{}",
                p.blue("|"),
                " ".repeat(start),
                p.level(f.level, &"^".repeat(width))
            );
        }
    }
    for e in &f.evidence {
        let _ = writeln!(out, "{pad} {} note: {e}", p.blue("="));
    }
    for r in &f.related {
        let _ = writeln!(
            out,
            "{pad} {} note: {}: {}",
            p.blue("="),
            r.location,
            r.message
        );
    }
    let _ = writeln!(out, "{pad} {} {} {}", p.blue("="), p.bold("help:"), f.fix);
    let _ = writeln!(out, "{pad} {} see: infra explain {}", p.blue("="), f.rule);
    out.push('\n');
}

/// Findings of a group printed in full before the "… and N more" line.
const SHOWN: usize = 3;
/// Smaller groups are printed in full: hiding one or two saves nothing.
const GROUP_AT: usize = SHOWN + 2;

/// The folder a finding is grouped under: the first two components of its
/// path's folder (`crates/api/` for `crates/api/src/x.rs`), `""` at the root.
fn group_folder(path: &str) -> String {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).take(2).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

/// The message with its variable parts (host names, paths, variable names,
/// counts) blanked, so findings of one cause compare equal.
fn message_shape(f: &Finding) -> String {
    f.message
        .replace(&f.location.path, "*")
        .split_whitespace()
        .map(|w| {
            if w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            {
                w
            } else {
                "*"
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

type GroupKey = (&'static str, Level, String, String);

fn group_key(f: &Finding) -> GroupKey {
    (
        f.rule,
        f.level,
        message_shape(f),
        group_folder(&f.location.path),
    )
}

/// The findings as text, repeated ones grouped (see the module docs).
fn findings(out: &mut String, report: &Report, p: &Paint) {
    use std::collections::HashMap;
    let active: Vec<&Finding> = report.active().collect();
    let keys: Vec<GroupKey> = active.iter().map(|f| group_key(f)).collect();
    let mut sizes: HashMap<&GroupKey, usize> = HashMap::new();
    for k in &keys {
        *sizes.entry(k).or_default() += 1;
    }
    let mut seen: HashMap<&GroupKey, usize> = HashMap::new();
    for (f, k) in active.iter().zip(&keys) {
        let size = sizes.get(k).copied().unwrap_or(1);
        let n = seen.entry(k).or_default();
        *n += 1;
        if size < GROUP_AT || *n <= SHOWN {
            finding(out, f, p);
        }
        if size >= GROUP_AT && *n == SHOWN {
            let under = if k.3.is_empty() {
                "at the repository root".to_string()
            } else {
                format!("under {}", k.3)
            };
            let _ = writeln!(
                out,
                "{}{} … and {} more like this {under}; --format json lists every one\n",
                p.level(f.level, &format!("{}[{}]", f.level, f.rule)),
                p.bold(":"),
                size - SHOWN,
            );
        }
    }
}

/// The whole report as text.
pub fn render(report: &Report, color: bool) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    findings(&mut out, report, &p);
    let _ = writeln!(out, "{}", p.bold("Summary by checklist section:"));
    for s in report.sections() {
        let rules = s.passed + s.failed + s.not_applicable + s.unknown;
        let mut counts = Vec::new();
        for (n, what) in [
            (s.errors, "error"),
            (s.warnings, "warning"),
            (s.notes, "note"),
        ] {
            if n > 0 {
                counts.push(format!("{n} {what}{}", if n == 1 { "" } else { "s" }));
            }
        }
        if s.suppressed > 0 {
            counts.push(format!("{} suppressed", s.suppressed));
        }
        let status = if rules == 0 {
            String::new()
        } else {
            format!(
                "{} pass, {} fail, {} n/a, {} unknown",
                s.passed, s.failed, s.not_applicable, s.unknown
            )
        };
        let row = format!(
            "  §{:<2} {:<32} {:<34} {}",
            s.section,
            s.title,
            status,
            counts.join(", ")
        );
        let _ = writeln!(out, "{}", row.trim_end());
    }
    let unknown: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Unknown)
        .collect();
    if !unknown.is_empty() {
        let _ = writeln!(out, "{}", p.bold("Unknown (not counted as passing):"));
        for r in unknown {
            let _ = writeln!(out, "  {}: {}", r.rule, r.reason.as_deref().unwrap_or(""));
        }
    }
    let declared: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Pass && r.reason.is_some())
        .collect();
    if !declared.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.bold("Passing on what infra.toml declares (not verifiable offline):")
        );
        for r in declared {
            let _ = writeln!(out, "  {}: {}", r.rule, r.reason.as_deref().unwrap_or(""));
        }
    }
    let unchecked = report.unchecked_musts();
    if !unchecked.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.bold("Not checked (checklist MUSTs no rule verified; not counted as passing):")
        );
        for u in unchecked {
            let _ = writeln!(out, "  §{} {}: {}", u.must.section, u.must.text, u.reason);
        }
    }
    let na: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::NotApplicable)
        .collect();
    if !na.is_empty() {
        let _ = writeln!(out, "{}", p.bold("Not applicable:"));
        // Rules not applicable for one reason share a line (the change rules
        // outside diff mode).
        let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
        for r in na {
            let reason = r.reason.as_deref().unwrap_or("");
            match groups.iter_mut().find(|(_, why)| *why == reason) {
                Some((rules, _)) => rules.push(r.rule),
                None => groups.push((vec![r.rule], reason)),
            }
        }
        for (rules, reason) in groups {
            let _ = writeln!(out, "  {}: {reason}", rules.join(", "));
        }
    }
    let line = report.readiness();
    let _ = writeln!(
        out,
        "{}",
        match report.failing_level() {
            None => p.green(&line),
            Some(l) => p.level(l, &line),
        }
    );
    out
}
