//! alerts-missing: production alerts are defined for error rate,
//! unavailability, CPU, memory and disk (checklist §4.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_doc, infra_docs, DocLookup, DocRef};
use crate::context::Context;
use crate::model::Location;
use crate::parse::markdown::sections::Section;

crate::declare_rule!(
    AlertsMissing,
    RuleMeta {
        id: "alerts-missing",
        section: "4.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Production alerts cover high error rate, unavailability, CPU, memory and disk",
        applies: "always (every service has a production)",
        rationale: "Checklist §4.3: for production define basic alert thresholds for high error rate, service unavailability and resource exhaustion (CPU, memory, disk). Without them, users report outages before the team notices.",
        detection: "An \"Alerts\" section (heading matching \"alerts\", \"alerting\", \"alert rules\", \"paging\") in docs/infra/observability.md, or else in any docs/infra/*.md, that mentions each signal: error rate (\"error rate\", \"errors\", \"5xx\"), unavailability (\"unavailab\", \"availability\", \"uptime\", \"down\", \"health\", \"outage\"), CPU (\"cpu\"), memory (\"memory\", \"ram\", \"oom\", \"heap\"), disk (\"disk\", \"storage\", \"volume\", \"filesystem\").",
        fix: "run `infra init` to render docs/infra/observability.md with alert thresholds derived from the SLAs, each with its runbook",
        fixed_by_init: true,
        fail_example: "## Alerts\n\n- High error rate (> 1% for 5 min)",
        pass_example: "## Alerts\n\n| Alert | Threshold | Runbook |\n|---|---|---|\n| High error rate | > 1% of requests for 5 min | [api](runbooks/api.md) |\n| Service unavailable | health check fails 3× | [api](runbooks/api.md) |\n| CPU | > 85% for 10 min | [api](runbooks/api.md) |\n| Memory | > 90% for 10 min | [api](runbooks/api.md) |\n| Disk | > 80% full | [postgresql](runbooks/postgresql.md) |",
    }
);

pub const ALERT_HEADINGS: &[&str] = &["alerts", "alerting", "alert rules", "alert", "paging"];

/// Signals the checklist requires, with the keywords that cover each.
pub const SIGNALS: &[(&str, &[&str])] = &[
    ("high error rate", &["error rate", "errors", "error", "5xx"]),
    (
        "service unavailability",
        &[
            "unavailab",
            "availability",
            "uptime",
            "down",
            "health",
            "outage",
            "unreachable",
        ],
    ),
    ("CPU", &["cpu"]),
    ("memory", &["memory", "ram ", "oom", "heap"]),
    ("disk", &["disk", "storage", "volume", "filesystem"]),
];

/// Where alerts are documented.
pub enum AlertsDoc<'c> {
    /// The doc and the index of its alerts section in `doc.sections`.
    Section(DocRef<'c>, usize),
    /// observability.md exists but has no alerts section.
    NoSection(DocRef<'c>),
    Unreadable(&'c str),
    NoDoc,
}

impl AlertsDoc<'_> {
    pub fn section(&self) -> Option<(&DocRef<'_>, &Section)> {
        match self {
            AlertsDoc::Section(d, i) => d.doc.sections.get(*i).map(|s| (d, s)),
            _ => None,
        }
    }
}

fn alerts_index(d: &DocRef<'_>) -> Option<usize> {
    let s = d.doc.find(ALERT_HEADINGS)?;
    d.doc.sections.iter().position(|x| std::ptr::eq(x, s))
}

pub fn find_alerts(ctx: &Context) -> AlertsDoc<'_> {
    let primary = infra_doc(ctx, "observability.md");
    if let DocLookup::Found(d) = primary {
        return match alerts_index(&d) {
            Some(i) => AlertsDoc::Section(d, i),
            None => AlertsDoc::NoSection(d),
        };
    }
    for d in infra_docs(ctx) {
        if let Some(i) = alerts_index(&d) {
            return AlertsDoc::Section(d, i);
        }
    }
    match primary {
        DocLookup::Unreadable(p) => AlertsDoc::Unreadable(p),
        _ => AlertsDoc::NoDoc,
    }
}

impl Rule for AlertsMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        match find_alerts(input.ctx) {
            AlertsDoc::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            AlertsDoc::NoDoc => {
                out.add("no alerts are defined: there is no docs/infra/observability.md and no Alerts section in docs/infra")
                    .at_file("docs/infra/observability.md")
                    .key("no doc")
                    .emit();
            }
            AlertsDoc::NoSection(d) => {
                out.add(format!("{} has no Alerts section", d.path))
                    .at_file(d.path)
                    .fix(format!(
                        "add a `## Alerts` section to {} with thresholds for error rate, unavailability, CPU, memory and disk, each linking its runbook",
                        d.path
                    ))
                    .key("no section")
                    .emit();
            }
            AlertsDoc::Section(d, i) => {
                let Some(s) = d.doc.sections.get(i) else {
                    return Verdict::Checked;
                };
                let text = s.text_lower();
                for (signal, keywords) in SIGNALS {
                    if !any_keyword(&text, keywords) {
                        out.add(format!("no alert for {signal} in the \"{}\" section of {}", s.heading, d.path))
                            .at(Location::new(d.path, s.line, 1))
                            .width(s.heading.len() + s.level as usize + 1)
                            .fix(format!(
                                "add an alert for {signal} (threshold, duration, runbook link) under \"{}\"",
                                s.heading
                            ))
                            .key(format!("signal {signal}"))
                            .emit();
                    }
                }
            }
        }
        Verdict::Checked
    }
}
