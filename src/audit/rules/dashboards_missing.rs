//! dashboards-missing: metrics are connected to a dashboard that the docs
//! point to (checklist §4.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{infra_doc, infra_docs, DocLookup};
use crate::context::MonitorKind;

crate::declare_rule!(
    DashboardsMissing,
    RuleMeta {
        id: "dashboards-missing",
        section: "4.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "The infra docs say which dashboards show the service's metrics",
        applies: "always",
        rationale: "Checklist §4.2: expose or collect metrics (requests, error rates, latency) and connect them to dashboards where possible. A dashboard nobody can find is not there during an incident.",
        detection: "A dashboard defined as code (outside tests, fixtures, examples and vendored code): a Grafana dashboard JSON (an object, or its `dashboard` member, with a `panels` list and `schemaVersion`), a ConfigMap labelled `grafana_dashboard` or holding dashboard JSON, a `GrafanaDashboard` object, or a Terraform `aws_cloudwatch_dashboard`, `google_monitoring_dashboard`, `azurerm_portal_dashboard`, `azurerm_dashboard`, `grafana_dashboard`, `datadog_dashboard(_json)` or `newrelic_one_dashboard`. Otherwise a non-empty section whose heading mentions \"dashboard\" in docs/infra/*.md (observability.md first) or in a docs/**/monitoring.md, observability.md, alerting.md or alerts.md, or a line in those docs that mentions a dashboard together with a link or URL.",
        fix: "add a `## Dashboards` section to docs/infra/observability.md naming each dashboard and where it is (requests, error rate, latency); `infra init` renders one for the platform",
        fixed_by_init: true,
        fail_example: "## Metrics\nWe export Prometheus metrics.",
        pass_example: "## Dashboards\n\n- Service overview (requests, errors, p95 latency): https://grafana.example.com/d/api",
    }
);

impl Rule for DashboardsMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        // A dashboard kept in the repository is where to look.
        if !super::alerts_missing::own_monitoring(input.ctx, MonitorKind::Dashboard).is_empty() {
            return Verdict::Checked;
        }
        let mut docs = infra_docs(input.ctx);
        docs.extend(super::alerts_missing::monitoring_docs(input.ctx));
        let found = docs.iter().any(|d| {
            d.doc
                .find(&["dashboard", "dashboards"])
                .is_some_and(|s| s.has_content())
                || d.text.lines().any(|l| {
                    let l = l.to_lowercase();
                    l.contains("dashboard") && (l.contains("](") || l.contains("://"))
                })
        });
        if found {
            return Verdict::Checked;
        }
        let at = match infra_doc(input.ctx, "observability.md") {
            DocLookup::Found(d) => d.path.to_string(),
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => "docs/infra/observability.md".to_string(),
        };
        out.add("no dashboard is documented or defined as code (no Grafana dashboard JSON, dashboard ConfigMap, GrafanaDashboard or Terraform dashboard): nobody can tell where to look at requests, error rate and latency")
            .at_file(&at)
            .key("no dashboards")
            .emit();
        Verdict::Checked
    }
}
