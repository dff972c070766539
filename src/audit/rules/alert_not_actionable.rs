//! alert-not-actionable: every documented alert has a threshold and links a
//! runbook that exists (checklist §4.3: alerts must be actionable).

use super::alerts_missing::{find_alerts, AlertsDoc};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;
use regex::Regex;
use std::sync::LazyLock;

crate::declare_rule!(
    AlertNotActionable,
    RuleMeta {
        id: "alert-not-actionable",
        section: "4.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Every alert has a threshold and links a runbook that exists",
        applies: "when an Alerts section exists (otherwise alerts-missing reports it)",
        rationale: "Checklist §4.3: alerts must be actionable and avoid constant noise. An alert without a threshold cannot be tuned; one without a runbook pages someone who does not know what to do.",
        detection: "Each alert in the Alerts section (a table row, a list item, or a sub-heading with its text) must contain a number (the threshold) and either the word \"runbook\" or a link; relative links to .md files must point at files that exist.",
        fix: "give the alert a threshold and a duration, and link its runbook (docs/infra/runbooks/<service>.md); `infra init` renders alerts with runbook links",
        fixed_by_init: true,
        fail_example: "## Alerts\n\n- CPU is high",
        pass_example: "## Alerts\n\n- CPU above 85% for 10 minutes: see [runbook](runbooks/api.md#cpu)",
    }
);

static LINK: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\]\(([^)\s]+)\)").ok());

struct Item {
    line: u32,
    title: String,
    text: String,
}

fn is_table_separator(t: &str) -> bool {
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn list_item(t: &str) -> Option<&str> {
    for p in ["- ", "* ", "+ "] {
        if let Some(r) = t.strip_prefix(p) {
            return Some(r);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(". ") {
        return Some(&t[digits + 2..]);
    }
    None
}

impl Rule for AlertNotActionable {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let found = find_alerts(input.ctx);
        let Some((d, section)) = found.section() else {
            return match found {
                AlertsDoc::Unreadable(p) => Verdict::Unknown(format!("{p} was not read")),
                _ => Verdict::Unknown("no Alerts section (see alerts-missing)".into()),
            };
        };
        // Items: sub-headings (with their bodies), else table rows, else list items.
        let mut items: Vec<Item> = Vec::new();
        let subs: Vec<_> = d
            .doc
            .sections
            .iter()
            .filter(|s| {
                s.level > section.level
                    && s.line > section.line
                    && section.body.iter().any(|(n, _)| *n > s.line)
            })
            .collect();
        if !subs.is_empty() {
            for s in subs {
                items.push(Item {
                    line: s.line,
                    title: s.heading.clone(),
                    text: s.text_lower(),
                });
            }
        } else {
            let mut header_seen = false;
            for (n, raw) in &section.body {
                let t = raw.trim();
                if t.starts_with('|') {
                    if is_table_separator(t) {
                        header_seen = true;
                        continue;
                    }
                    if !header_seen {
                        continue;
                    }
                    let title = t
                        .trim_matches('|')
                        .split('|')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    items.push(Item {
                        line: *n,
                        title,
                        text: t.to_lowercase(),
                    });
                } else if raw.starts_with(|c: char| !c.is_whitespace()) {
                    if let Some(rest) = list_item(t) {
                        items.push(Item {
                            line: *n,
                            title: rest.to_string(),
                            text: rest.to_lowercase(),
                        });
                    }
                } else if let Some(last) = items.last_mut() {
                    // Continuation lines of a list item.
                    if !t.is_empty() && !raw.trim_start().starts_with('|') {
                        last.text.push(' ');
                        last.text.push_str(&t.to_lowercase());
                    }
                }
            }
        }
        let dir = d.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        for item in &items {
            let short: String = item.title.chars().take(60).collect();
            let has_threshold = item.text.chars().any(|c| c.is_ascii_digit());
            let has_runbook = item.text.contains("runbook")
                || item.text.contains("playbook")
                || item.text.contains("](");
            if !has_threshold {
                out.add(format!("alert \"{short}\" has no threshold"))
                    .at(Location::new(d.path, item.line, 1))
                    .fix("state the threshold and for how long it must hold (e.g. `> 1% of requests for 5 minutes`)")
                    .key(format!("threshold {short}"))
                    .emit();
            }
            if !has_runbook {
                out.add(format!("alert \"{short}\" links no runbook, so whoever is paged has nowhere to start"))
                    .at(Location::new(d.path, item.line, 1))
                    .fix("link the runbook that says how to diagnose and fix it, e.g. `[runbook](runbooks/api.md)`")
                    .key(format!("runbook {short}"))
                    .emit();
            }
            if let Some(re) = LINK.as_ref() {
                for c in re.captures_iter(&item.text) {
                    let target = c[1].split('#').next().unwrap_or("");
                    if target.is_empty()
                        || target.contains("://")
                        || !target.ends_with(".md")
                        || target.starts_with('/')
                    {
                        continue;
                    }
                    let resolved = resolve(dir, target);
                    let exists = input
                        .ctx
                        .files
                        .iter()
                        .any(|f| f.path.eq_ignore_ascii_case(&resolved));
                    if !exists {
                        out.add(format!("alert \"{short}\" links {target}, which does not exist"))
                            .at(Location::new(d.path, item.line, 1))
                            .fix(format!("create {resolved} (`infra init` renders a runbook per critical service) or fix the link"))
                            .key(format!("dangling {target}"))
                            .emit();
                    }
                }
            }
        }
        Verdict::Checked
    }
}

/// Join a relative link onto the doc's folder, resolving `.` and `..`.
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("docs/infra", "runbooks/api.md"),
            "docs/infra/runbooks/api.md"
        );
        assert_eq!(resolve("docs/infra", "../ops/x.md"), "docs/ops/x.md");
    }
}
