//! alerts-missing: production alerts are defined for error rate,
//! unavailability, CPU, memory and disk (checklist §4.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_doc, infra_docs, DocLookup, DocRef};
use crate::context::{Context, MonitorDef, MonitorKind};
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
        detection: "Alerts defined as code (outside tests, fixtures, examples and vendored code), and the docs. Code: Prometheus rule files (a YAML file with a top-level `groups:` whose items hold `rules:`), `PrometheusRule` objects, Grafana alert provisioning files, rule files embedded in ConfigMaps, and Terraform `aws_cloudwatch_metric_alarm`, `aws_cloudwatch_composite_alarm`, `google_monitoring_alert_policy`, `google_monitoring_uptime_check_config`, `azurerm_monitor_metric_alert`, `azurerm_monitor_scheduled_query_rules_alert(_v2)`, `azurerm_monitor_activity_log_alert`, Application Insights web tests, `grafana_rule_group`, `datadog_monitor`, StatusCake and Pingdom checks (resources, or a `module` whose source names one: an uptime alert); each alert covers the signals its name, expression, metric, query or filter names: error rate (\"5xx\", `5..`, \"errors_total\", \"error\"), unavailability (`up == 0`, \"probe_success\", \"healthyhostcount\", \"uptime\", \"down\", \"unavailab\", \"health\", \"absent(\"), CPU (\"cpu\"), memory (\"memory\", \"oom\", \"heap\"), disk (\"disk\", \"filesystem\", \"volume\", \"storage\", \"inode\"). Docs: an \"Alerts\" section (heading matching \"alerts\", \"alerting\", \"alert rules\", \"paging\") in docs/infra/observability.md, or else in any docs/infra/*.md, or else in a docs/**/monitoring.md, observability.md, alerting.md or alerts.md, that mentions each signal: error rate (\"error rate\", \"errors\", \"5xx\"), unavailability (\"unavailab\", \"availability\", \"uptime\", \"down\", \"health\", \"outage\"), CPU (\"cpu\"), memory (\"memory\", \"ram\", \"oom\", \"heap\"), disk (\"disk\", \"storage\", \"volume\", \"filesystem\"). When the alerts section links alert definitions kept in another repository (a URL into a repository that names \"alert\" or \"rules\") and a signal is not covered, the verdict is unknown. A signal neither covers is an error, at the first alert definition when there is one (else at the doc). When alerts are defined as code, the docs are not required, and a signal the docs list but no definition implements is reported one level lower (documented, not defined).",
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

/// What in an alert's name or expression shows the signal it covers, in
/// the order of [`SIGNALS`].
pub const CODE_SIGNALS: &[&[&str]] = &[
    &["5xx", "5..", "errors_total", "error"],
    &[
        "up == 0",
        "up==0",
        "probe_success",
        "healthyhostcount",
        "uptime",
        "down",
        "unavailab",
        "health",
        "absent(",
        "availability",
    ],
    &["cpu"],
    &["memory", "oom", "heap"],
    &["disk", "filesystem", "volume", "storage", "inode"],
];

/// Does this alert (its lower-cased name and expression) watch signal `i`?
pub fn covers(alert: &MonitorDef, i: usize) -> bool {
    let w = &alert.watches;
    // `up{job="api"} == 0` as well as `up == 0`.
    let up_zero = i == 1
        && (w.starts_with("up{")
            || w.contains(" up{")
            || w.contains("(up{")
            || w.contains("\nup{"))
        && w.contains("== 0");
    up_zero || CODE_SIGNALS.get(i).is_some_and(|k| any_keyword(w, k))
}

/// "HighCPU, DiskFull in k8s/rules.yaml; api-5xx in infra/alarms.tf".
fn describe(alerts: &[&MonitorDef]) -> String {
    let mut by_file: Vec<(&str, Vec<&str>)> = Vec::new();
    for a in alerts {
        match by_file.iter_mut().find(|(p, _)| *p == a.location.path) {
            Some((_, names)) => names.push(&a.name),
            None => by_file.push((&a.location.path, vec![&a.name])),
        }
    }
    let files: Vec<String> = by_file
        .iter()
        .take(3)
        .map(|(path, names)| {
            let shown: Vec<&str> = names.iter().take(4).copied().collect();
            let more = names.len() - shown.len();
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{}{more} in {path}", shown.join(", "))
        })
        .collect();
    let rest = by_file.len().saturating_sub(3);
    let rest = if rest > 0 {
        format!("; and {rest} more files")
    } else {
        String::new()
    };
    format!("{}{rest}", files.join("; "))
}

/// The repository's own alerts or dashboards defined as code: those in
/// tests, fixtures, examples and vendored code are someone else's or not
/// deployed (generated ones are: dashboards and rules are often rendered
/// from jsonnet and committed).
pub fn own_monitoring(ctx: &Context, kind: MonitorKind) -> Vec<&MonitorDef> {
    use crate::source::class::FileClass::{Example, Fixture, Test, Vendored};
    ctx.monitoring
        .iter()
        .filter(|m| m.kind == kind)
        .filter(|m| {
            let c = ctx.classes_of(&m.location.path);
            ![Test, Fixture, Example, Vendored].iter().any(|x| c.has(*x))
        })
        .collect()
}

/// Names a project's own monitoring doc goes by outside docs/infra.
const MONITORING_DOCS: &[&str] = &[
    "monitoring.md",
    "observability.md",
    "alerting.md",
    "alerts.md",
];

/// Monitoring docs elsewhere under `docs/` (`docs/monitoring.md`): read when
/// docs/infra says nothing, by the two rules that look for alerts and
/// dashboards in prose.
pub fn monitoring_docs(ctx: &Context) -> Vec<DocRef<'_>> {
    ctx.texts
        .iter()
        .filter(|(p, _)| {
            let lower = p.to_ascii_lowercase();
            lower.starts_with("docs/")
                && MONITORING_DOCS.contains(&crate::source::text::file_name(&lower))
                && !super::DOC_DIRS
                    .iter()
                    .any(|d| lower.starts_with(&format!("{d}/")))
        })
        .map(|(path, text)| DocRef {
            path,
            text,
            doc: crate::parse::markdown::sections::Doc::parse(text),
        })
        .collect()
}

/// [`find_alerts`], then an Alerts section of a monitoring doc elsewhere
/// under `docs/` when docs/infra has none.
fn find_alerts_wide(ctx: &Context) -> AlertsDoc<'_> {
    let found = find_alerts(ctx);
    if matches!(found, AlertsDoc::Section(..)) {
        return found;
    }
    for d in monitoring_docs(ctx) {
        if let Some(i) = alerts_index(&d) {
            return AlertsDoc::Section(d, i);
        }
    }
    found
}

/// A link in the alerts section to alert definitions kept in another
/// repository (`https://…/monitoring/prometheus/alert.rules`): their signals
/// cannot be read from here.
pub fn links_definitions_elsewhere(s: &Section) -> Option<String> {
    s.body.iter().find_map(|(_, line)| {
        line.split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .chain(line.split_whitespace().filter(|w| w.starts_with("http")))
            .find(|url| {
                let u = url.to_ascii_lowercase();
                u.starts_with("http")
                    && (u.contains("alert") || u.contains("rules"))
                    && (u.contains("/blob/") || u.contains("/tree/") || u.contains("/-/"))
            })
            .map(str::to_string)
    })
}

impl Rule for AlertsMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let alerts = own_monitoring(input.ctx, MonitorKind::Alert);
        if alerts.is_empty() {
            return from_docs(input.ctx, out);
        }
        let found = find_alerts_wide(input.ctx);
        let doc = found.section();
        let doc_note = match (&found, doc) {
            (_, Some((d, s))) => format!(
                "the \"{}\" section of {} does not list one either",
                s.heading, d.path
            ),
            (AlertsDoc::NoSection(d), _) => format!("{} has no Alerts section", d.path),
            _ => "no alerts doc lists one either".to_string(),
        };
        let covered: Vec<&str> = SIGNALS
            .iter()
            .enumerate()
            .filter(|(i, _)| alerts.iter().any(|a| covers(a, *i)))
            .map(|(_, (s, _))| *s)
            .collect();
        let covered = if covered.is_empty() {
            "none of the five signals".to_string()
        } else {
            covered.join(", ")
        };
        let first = &alerts[0].location;
        let evidence = describe(&alerts);
        let missing = (0..SIGNALS.len()).any(|i| {
            !alerts.iter().any(|a| covers(a, i))
                && !doc.is_some_and(|(_, s)| any_keyword(&s.text_lower(), SIGNALS[i].1))
        });
        if let Some(url) = doc
            .and_then(|(_, s)| links_definitions_elsewhere(s))
            .filter(|_| missing)
        {
            return Verdict::Unknown(format!(
                "the alerts doc points to alert definitions kept elsewhere ({url}); the {} defined here ({evidence}) cover {covered}",
                alerts.len()
            ));
        }
        for (i, (signal, keywords)) in SIGNALS.iter().enumerate() {
            let in_code = alerts.iter().any(|a| covers(a, i));
            let in_doc = doc.is_some_and(|(_, s)| any_keyword(&s.text_lower(), keywords));
            match (in_code, in_doc) {
                (true, _) => {}
                (false, false) => out
                    .add(format!(
                        "no alert for {signal}: {} alert(s) defined as code ({evidence}) cover {covered}; none watches {signal}, and {doc_note}",
                        alerts.len()
                    ))
                    .at(first.clone())
                    .fix(format!(
                        "define an alert for {signal} next to the others in {} (threshold, duration, runbook link)",
                        first.path
                    ))
                    .key(format!("signal {signal}"))
                    .emit(),
                (false, true) => {
                    let Some((d, s)) = doc else { continue };
                    out.add(format!(
                        "the \"{}\" section of {} lists an alert for {signal}, but none of the {} alert(s) defined as code ({evidence}) watches {signal}: documented, not defined",
                        s.heading,
                        d.path,
                        alerts.len()
                    ))
                    .at(Location::new(d.path, s.line, 1))
                    .width(s.heading.len() + s.level as usize + 1)
                    .fix(format!(
                        "define the {signal} alert as code next to the others in {}, or say in {} where it is configured",
                        first.path, d.path
                    ))
                    .key(format!("documented only {signal}"))
                    .demoted()
                    .emit();
                }
            }
        }
        Verdict::Checked
    }
}

/// No alert is defined as code: the docs are the only evidence.
fn from_docs(ctx: &Context, out: &mut Findings<'_>) -> Verdict {
    match find_alerts_wide(ctx) {
        AlertsDoc::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
        AlertsDoc::NoDoc => {
            out.add("no alerts are defined: none as code (no Prometheus rules, PrometheusRule, Grafana alert rules or cloud alarms in Terraform), and there is no docs/infra/observability.md and no Alerts section in docs/infra")
                .at_file("docs/infra/observability.md")
                .key("no doc")
                .emit();
        }
        AlertsDoc::NoSection(d) => {
            out.add(format!("{} has no Alerts section, and no alert is defined as code", d.path))
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
            let missing = SIGNALS.iter().any(|(_, k)| !any_keyword(&text, k));
            if let Some(url) = links_definitions_elsewhere(s).filter(|_| missing) {
                return Verdict::Unknown(format!(
                    "{} points to alert definitions kept elsewhere ({url}): their signals cannot be read here",
                    d.path
                ));
            }
            for (signal, keywords) in SIGNALS {
                if !any_keyword(&text, keywords) {
                    out.add(format!("no alert for {signal} in the \"{}\" section of {}, and no alert is defined as code", s.heading, d.path))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(watches: &str) -> MonitorDef {
        MonitorDef {
            kind: MonitorKind::Alert,
            name: "a".into(),
            via: "test".into(),
            location: Location::new("r.yml", 1, 1),
            watches: watches.to_lowercase(),
        }
    }

    #[test]
    fn signals_from_names_and_expressions() {
        let signals = |w: &str| -> Vec<usize> {
            (0..SIGNALS.len())
                .filter(|i| covers(&alert(w), *i))
                .collect()
        };
        assert_eq!(
            signals("ApiErrors\nsum(rate(http_requests_total{status=~\"5..\"}[5m]))"),
            [0]
        );
        assert_eq!(signals("ApiDown\nup{job=\"api\"} == 0"), [1]);
        assert_eq!(signals("x\nup == 0"), [1]);
        assert_eq!(signals("lb\nHealthyHostCount"), [1]);
        assert_eq!(signals("api-cpu\nCPUUtilization"), [2]);
        assert_eq!(signals("m\nFreeableMemory"), [3]);
        assert_eq!(signals("db\nFreeStorageSpace"), [4]);
        assert!(signals("queue\nsqs_messages_visible > 100").is_empty());
    }

    #[test]
    fn links_to_rules_in_another_repository() {
        let section = |line: &str| Section {
            level: 2,
            heading: "Alerts".into(),
            line: 1,
            body: vec![(2, line.to_string())],
        };
        let s = section(
            "Configure them [here](https://github.com/acme/api/blob/main/monitoring/alert.rules).",
        );
        assert!(links_definitions_elsewhere(&s).is_some_and(|u| u.ends_with("alert.rules")));
        assert!(links_definitions_elsewhere(&section(
            "See [Alertmanager](https://alertmanager.example.com/#/alerts)"
        ))
        .is_none());
        assert!(
            links_definitions_elsewhere(&section("| CPU | > 85% | [api](runbooks/api.md) |"))
                .is_none()
        );
    }
}
