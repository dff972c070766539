//! runbook-missing: each critical service has a runbook with common issues,
//! how to diagnose, and how to fix or escalate (checklist §7.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{names_service, quote_list};
use crate::parse::markdown::sections::{normalise, Doc};

crate::declare_rule!(
    RunbookMissing,
    RuleMeta {
        id: "runbook-missing",
        section: "7.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Each critical service has a runbook: common issues, how to diagnose, how to fix or escalate",
        applies: "when discovery finds the app's own critical services: a service with a store role (database, embedded database such as SQLite, search, object storage, a Redis that is the primary store), a queue role (a broker, or Redis holding jobs) or a cache role; not a pub/sub-only service, an own service with no use found (role unknown), nor a driver dependency with no connection settings of the app's own (a client library)",
        rationale: "Checklist §7.2: for critical services create runbooks with common issues, how to diagnose, and how to fix or escalate. At 3 a.m. the runbook is the only colleague awake.",
        detection: "A Markdown file under docs/infra/runbooks/, docs/devops/runbooks/, docs/runbooks/ or runbooks/ whose file name or title names the service (its id, name, or their first six letters). It must cover common issues (a heading like \"common issues\", \"symptoms\", \"problems\", \"failure\", or at least one non-empty section per issue), diagnosis and fixing: a non-empty heading, or a label line starting a paragraph (\"Diagnose:\", \"**How to diagnose**\"), that begins with \"diagnos\", \"investigat\", \"troubleshoot\", \"debug\" or \"check\", and one that begins with \"fix\", \"resolution\", \"resolve\", \"remediation\", \"mitigat\", \"escalat\" or \"recover\".",
        fix: "run `infra init` (or `infra update`) to render docs/infra/runbooks/<service>.md for each critical service, then fill in what your team knows",
        fixed_by_init: true,
        fail_example: "docker-compose.yml: image: postgres:16   (and no docs/infra/runbooks/postgresql.md)",
        pass_example: "# Redis runbook\n\n## Common issues\n- Memory full: evictions spike.\n\n## How to diagnose\n`redis-cli info memory`\n\n## How to fix or escalate\nRaise maxmemory; page the platform team if …",
    }
);

const RUNBOOK_DIRS: &[&str] = &[
    "docs/infra/runbooks/",
    "docs/devops/runbooks/",
    "docs/runbooks/",
    "runbooks/",
];
pub const ISSUES: &[&str] = &[
    "common issues",
    "issues",
    "symptoms",
    "problems",
    "failure",
    "known issues",
];
pub const DIAGNOSE: &[&str] = &["diagnos", "investigat", "troubleshoot", "debug", "check"];
pub const FIX: &[&str] = &[
    "fix",
    "resolution",
    "resolve",
    "remediation",
    "mitigat",
    "escalat",
    "recover",
];

/// Heading match on word-start substrings (`diagnos` matches "Diagnosis").
fn has_heading(doc: &Doc, stems: &[&str]) -> bool {
    doc.parts().iter().any(|s| {
        let h = format!(" {}", normalise(&s.heading));
        s.has_content()
            && stems
                .iter()
                .any(|k| h.contains(&format!(" {}", normalise(k))))
    })
}

/// A label line (`Diagnose:`, `**Fix or escalate**`, `How to diagnose:`)
/// that starts with one of the stems, as runbooks organised per issue use.
fn has_label(text: &str, stems: &[&str]) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        let label = t.ends_with(':') || t.starts_with("**") || t.starts_with("__");
        let n = normalise(t);
        let n = n.strip_prefix("how to ").unwrap_or(&n);
        label && stems.iter().any(|k| n.starts_with(&normalise(k)))
    })
}

impl Rule for RunbookMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        // The app's own stores, queues and caches. A client library for
        // someone else's system, or a service with no use found, is not ours to run.
        let critical: Vec<_> = ctx
            .services
            .iter()
            .filter(|s| s.is_own_critical())
            .collect();
        if critical.is_empty() {
            return Verdict::NotApplicable(
                "no store, queue or cache of the app's own found".into(),
            );
        }
        let runbooks: Vec<(&str, &str, Doc)> = ctx
            .texts
            .iter()
            .filter(|(p, _)| {
                let l = p.to_ascii_lowercase();
                l.ends_with(".md") && RUNBOOK_DIRS.iter().any(|d| l.starts_with(d))
            })
            .map(|(p, t)| (p.as_str(), t.as_str(), Doc::parse(t)))
            .collect();
        for s in critical {
            let hit = runbooks.iter().find(|(p, _, doc)| {
                let stem = p.rsplit('/').next().unwrap_or(p).trim_end_matches(".md");
                names_service(stem, &s.id, &s.name)
                    || doc
                        .title()
                        .is_some_and(|t| names_service(&t.heading, &s.id, &s.name))
            });
            let Some((path, text, doc)) = hit else {
                let mut b = out
                    .add(format!(
                        "no runbook for {} ({}), a critical service",
                        s.name,
                        s.role_ids().join(", ")
                    ))
                    .at_file(&format!("docs/infra/runbooks/{}.md", s.id))
                    .key(format!("service {}", s.id));
                if let Some(e) = crate::audit::rules::service_evidence(s) {
                    b = b.related(
                        e.location.clone(),
                        format!("{} found here ({})", s.name, e.via),
                    );
                }
                b.emit();
                continue;
            };
            let per_issue_sections = doc.parts().iter().any(|s| s.has_content());
            for (what, stems, heading) in [
                ("common issues", ISSUES, "Common issues"),
                ("how to diagnose", DIAGNOSE, "How to diagnose"),
                ("how to fix or escalate", FIX, "How to fix or escalate"),
            ] {
                let covered = has_heading(doc, stems)
                    || has_label(text, stems)
                    || (heading == "Common issues" && per_issue_sections);
                if !covered {
                    out.add(format!("the {} runbook {path} does not say {what}", s.name))
                        .at_file(path)
                        .evidence(format!(
                            "no non-empty heading or label line like {}",
                            quote_list(stems)
                        ))
                        .fix(format!("add a `## {heading}` section to {path}"))
                        .key(format!("{} {heading}", s.id))
                        .emit();
                }
            }
        }
        Verdict::Checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbooks_organised_per_issue_with_labels_pass() {
        let text = "# Runbook: Redis\n\n## Unreachable\n\nFires after 2 minutes.\n\nDiagnose:\n\n1. Is it up?\n\n**Fix or escalate**\n\n1. Restart.\n";
        let doc = Doc::parse(text);
        assert!(has_label(text, DIAGNOSE));
        assert!(has_label(text, FIX));
        assert!(!has_heading(&doc, ISSUES));
        assert!(doc.parts().iter().any(|s| s.has_content()));
        // Prose that merely uses the words is not a label.
        assert!(!has_label("We check things often.\n", DIAGNOSE));
    }
}
