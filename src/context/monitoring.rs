//! Alerts and dashboards defined as code: Prometheus rule files and
//! `PrometheusRule` objects, Grafana alert provisioning, cloud alarms and
//! dashboards in Terraform, Grafana dashboard JSON and the ConfigMaps or
//! `GrafanaDashboard` objects that carry them. Each becomes a
//! [`MonitorDef`]; which signal an alert covers is the rules' business.

use super::facts::{Fact, Facts};
use super::model::{MonitorDef, MonitorKind};
use super::problem;
use crate::model::Location;
use crate::parse::k8s::Object;
use crate::parse::prometheus::{self, Group, RuleKind};
use crate::parse::terraform::{Body, Value};
use crate::parse::yaml::Yaml;
use crate::source::kind;

fn push_groups(path: &str, line_offset: u32, via: &str, groups: &[Group], facts: &mut Facts) {
    for rule in groups.iter().flat_map(|g| &g.rules) {
        if rule.kind != RuleKind::Alert {
            continue;
        }
        facts.push(Fact::Monitor(MonitorDef {
            kind: MonitorKind::Alert,
            name: rule.name.clone(),
            via: via.to_string(),
            location: Location::new(path, rule.line + line_offset, 1),
            watches: format!("{}\n{}", rule.name, rule.expr).to_lowercase(),
        }));
    }
}

/// A YAML file whose text looks like a rule file ([`kind::looks_like_prometheus_rules`]).
/// A YAML error is reported only when the name says rule file too; a
/// document of another shape is not a rule file and is left alone.
pub fn rule_file(path: &str, text: &str, facts: &mut Facts) {
    let docs = if kind::is_rule_file_name(path) {
        match super::parse_yaml_or_report(path, text, "Prometheus rule file", facts) {
            Some(docs) => docs,
            None => return,
        }
    } else {
        match crate::parse::yaml::parse_documents(text) {
            Ok(docs) => docs,
            Err(_) => return,
        }
    };
    if !docs.iter().any(prometheus::is_rule_document) {
        return;
    }
    // Grafana's provisioning files say `apiVersion: 1`.
    let via = if docs.iter().any(|d| d.get("apiVersion").is_some()) {
        "Grafana alert rule file"
    } else {
        "Prometheus rule file"
    };
    match prometheus::parse_documents(&docs) {
        Ok(groups) => push_groups(path, 0, via, &groups, facts),
        Err(e) => facts.push(Fact::Problem(problem(
            path,
            e.line,
            e.column,
            format!("invalid {via}: {}", e.message),
        ))),
    }
}

/// A Kubernetes object that defines alerts or dashboards: a
/// `PrometheusRule`, a `GrafanaDashboard`, a ConfigMap labelled
/// `grafana_dashboard` or holding dashboard JSON or a rule file.
pub fn k8s_object(path: &str, object: &Object, facts: &mut Facts) {
    let name = object.name.as_deref().unwrap_or("?");
    let dashboard = |facts: &mut Facts, via: String| {
        facts.push(Fact::Monitor(MonitorDef {
            kind: MonitorKind::Dashboard,
            name: name.to_string(),
            via,
            location: object.location.clone(),
            watches: String::new(),
        }))
    };
    match object.kind.as_str() {
        "PrometheusRule" if object.api_version.starts_with("monitoring.coreos.com") => {
            let Some(node) = object.node.path(&["spec", "groups"]) else {
                return;
            };
            match prometheus::groups(node) {
                Ok(groups) => {
                    push_groups(path, 0, &format!("PrometheusRule {name}"), &groups, facts)
                }
                Err(e) => facts.push(Fact::Problem(problem(
                    path,
                    e.line,
                    e.column,
                    format!("invalid PrometheusRule {name}: {}", e.message),
                ))),
            }
        }
        "GrafanaDashboard" => dashboard(facts, format!("GrafanaDashboard {name}")),
        "ConfigMap" => {
            let labelled = object
                .node
                .path(&["metadata", "labels", "grafana_dashboard"])
                .is_some();
            let data = object
                .node
                .get("data")
                .map(Yaml::entries)
                .unwrap_or_default();
            let json = data.iter().any(|(k, v)| {
                k.as_str().is_some_and(|k| k.ends_with(".json"))
                    && v.as_str().is_some_and(|v| v.contains("\"panels\""))
            });
            if labelled || json {
                dashboard(facts, format!("ConfigMap {name} (Grafana dashboard)"));
            }
            for (key, value) in data {
                let Some(text) = value.as_str() else {
                    continue;
                };
                let key = key.as_str().unwrap_or("");
                if !kind::looks_like_prometheus_rules(key, text) {
                    continue;
                }
                // An embedded file: its own text, parsed once here. A block
                // scalar's first line follows the key's line.
                if let Ok(groups) = prometheus::parse(text) {
                    push_groups(
                        path,
                        value.line.saturating_sub(1),
                        &format!("ConfigMap {name} ({key})"),
                        &groups,
                        facts,
                    );
                }
            }
        }
        _ => {}
    }
}

/// A Grafana dashboard exported as JSON: a top-level object (or its
/// `dashboard` member) with `panels` and `schemaVersion`.
pub fn grafana_json(path: &str, text: &str, facts: &mut Facts) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let board = value.get("dashboard").unwrap_or(&value);
    if !(board.get("panels").is_some_and(|p| p.is_array()) && board.get("schemaVersion").is_some())
    {
        return;
    }
    let title = board
        .get("title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("?");
    facts.push(Fact::Monitor(MonitorDef {
        kind: MonitorKind::Dashboard,
        name: title.to_string(),
        via: "Grafana dashboard JSON".to_string(),
        location: Location::file(path),
        watches: String::new(),
    }));
}

/// A Terraform `module` whose source is an uptime monitor (StatusCake,
/// Pingdom): an availability alert whose definition lives elsewhere.
pub fn terraform_module(source: &str, name: &str, location: &Location, facts: &mut Facts) {
    let lower = source.to_ascii_lowercase();
    if !["statuscake", "pingdom", "uptime"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return;
    }
    facts.push(Fact::Monitor(MonitorDef {
        kind: MonitorKind::Alert,
        name: name.to_string(),
        via: format!("module {name} ({source})"),
        location: location.clone(),
        watches: format!("uptime check\n{name}\n{lower}"),
    }));
}

/// Terraform resources that are alerts (their name, metric, expression,
/// query or filter are what they watch) or dashboards.
const TERRAFORM_ALERTS: &[&str] = &[
    "aws_cloudwatch_metric_alarm",
    "aws_cloudwatch_composite_alarm",
    "google_monitoring_alert_policy",
    "google_monitoring_uptime_check_config",
    "azurerm_monitor_metric_alert",
    "azurerm_monitor_scheduled_query_rules_alert",
    "azurerm_monitor_scheduled_query_rules_alert_v2",
    "azurerm_monitor_activity_log_alert",
    "azurerm_application_insights_web_test",
    "azurerm_application_insights_standard_web_test",
    "grafana_rule_group",
    "datadog_monitor",
    "statuscake_uptime_check",
    "statuscake_test",
    "pingdom_check",
];

const TERRAFORM_DASHBOARDS: &[&str] = &[
    "aws_cloudwatch_dashboard",
    "google_monitoring_dashboard",
    "azurerm_portal_dashboard",
    "azurerm_dashboard",
    "grafana_dashboard",
    "datadog_dashboard",
    "datadog_dashboard_json",
    "newrelic_one_dashboard",
];

/// Attributes that say what an alert watches.
const WATCH_KEYS: &[&str] = &[
    "alarm_name",
    "alarm_description",
    "alarm_rule",
    "metric_name",
    "namespace",
    "expression",
    "display_name",
    "name",
    "title",
    "filter",
    "query",
    "expr",
    "model",
    "description",
    "message",
];

fn watched(body: &Body, out: &mut String) {
    for a in &body.attributes {
        if WATCH_KEYS.contains(&a.key.as_str()) {
            value_text(&a.value, out);
        }
    }
    for b in &body.blocks {
        watched(&b.body, out);
    }
}

fn value_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) | Value::Expr(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|i| value_text(i, out)),
        Value::Object(entries) => entries.iter().for_each(|e| value_text(&e.value, out)),
        _ => {}
    }
}

pub fn terraform_resource(
    kind: &str,
    name: &str,
    location: &Location,
    body: &Body,
    facts: &mut Facts,
) {
    let monitor = if TERRAFORM_ALERTS.contains(&kind) {
        MonitorKind::Alert
    } else if TERRAFORM_DASHBOARDS.contains(&kind) {
        MonitorKind::Dashboard
    } else {
        return;
    };
    let mut watches = String::new();
    if monitor == MonitorKind::Alert {
        // An uptime check or web test is an availability alert by its kind.
        if ["uptime_check", "web_test", "statuscake", "pingdom"]
            .iter()
            .any(|w| kind.contains(w))
        {
            watches.push_str("uptime check\n");
        }
        watches.push_str(name);
        watches.push('\n');
        watched(body, &mut watches);
    }
    facts.push(Fact::Monitor(MonitorDef {
        kind: monitor,
        name: name.to_string(),
        via: kind.to_string(),
        location: location.clone(),
        watches: watches.to_lowercase(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(f: Facts) -> (Vec<MonitorDef>, Vec<crate::model::Problem>) {
        let c = f.collect();
        (c.monitors, c.problems)
    }

    #[test]
    fn rule_files_and_their_errors() {
        let text = "groups:\n  - name: a\n    rules:\n      - alert: DiskFull\n        expr: node_filesystem_avail_bytes < 1\n      - record: x\n        expr: up\n";
        let mut f = Facts::default();
        rule_file("monitoring/alerts.yml", text, &mut f);
        let (d, p) = defs(f);
        assert!(p.is_empty());
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].name.as_str(), d[0].location.line), ("DiskFull", 4));
        assert!(d[0].watches.contains("node_filesystem"));
        assert_eq!(d[0].via, "Prometheus rule file");
        let mut f = Facts::default();
        rule_file(
            "prometheus/app.yml",
            "groups:\n  - name: a\n    rules:\n      - expr: up\n",
            &mut f,
        );
        let (d, p) = defs(f);
        assert!(d.is_empty());
        assert_eq!((p.len(), p[0].location.line), (1, 4));
        // Broken YAML: reported under a rule file's name, ignored elsewhere.
        let broken = "groups: [\nrules: expr\n";
        let mut f = Facts::default();
        rule_file("alerts.yml", broken, &mut f);
        assert_eq!(defs(f).1.len(), 1);
        let mut f = Facts::default();
        rule_file("config/other.yml", broken, &mut f);
        assert!(defs(f).1.is_empty());
    }

    #[test]
    fn kubernetes_objects() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: api}\nspec:\n  groups:\n    - name: api\n      rules:\n        - alert: HighCPU\n          expr: rate(container_cpu_usage_seconds_total[5m]) > 0.9\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: board\n  labels: {grafana_dashboard: \"1\"}\ndata:\n  rules.yml: |\n    groups:\n      - name: x\n        rules:\n          - alert: Down\n            expr: up == 0\n";
        let mut f = Facts::default();
        for o in crate::parse::k8s::parse("k8s/mon.yaml", text).unwrap() {
            k8s_object("k8s/mon.yaml", &o, &mut f);
        }
        let (d, p) = defs(f);
        assert!(p.is_empty());
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!((d[0].name.as_str(), d[0].location.line), ("HighCPU", 8));
        assert_eq!(d[0].via, "PrometheusRule api");
        assert_eq!(d[1].kind, MonitorKind::Dashboard);
        assert_eq!((d[2].name.as_str(), d[2].location.line), ("Down", 21));
        let bad = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n  groups: nope\n";
        let mut f = Facts::default();
        for o in crate::parse::k8s::parse("r.yaml", bad).unwrap() {
            k8s_object("r.yaml", &o, &mut f);
        }
        let (d, p) = defs(f);
        assert!(d.is_empty());
        assert_eq!(p[0].location.line, 5);
    }

    #[test]
    fn terraform_and_grafana_json() {
        let body = crate::parse::terraform::parse(
            "resource \"aws_cloudwatch_metric_alarm\" \"cpu\" {\n  alarm_name = \"api-cpu\"\n  metric_name = \"CPUUtilization\"\n  alarm_actions = [aws_sns_topic.errors.arn]\n}\n",
        )
        .unwrap();
        let b = &body.blocks[0];
        let mut f = Facts::default();
        terraform_resource(
            b.label(0),
            b.label(1),
            &Location::new("main.tf", 1, 1),
            &b.body,
            &mut f,
        );
        terraform_resource(
            "aws_s3_bucket",
            "x",
            &Location::new("main.tf", 9, 1),
            &b.body,
            &mut f,
        );
        terraform_module(
            "./vendor/modules/aks//monitoring/statuscake",
            "statuscake",
            &Location::new("m.tf", 3, 1),
            &mut f,
        );
        terraform_module(
            "../modules/network",
            "net",
            &Location::new("m.tf", 9, 1),
            &mut f,
        );
        let (d, _) = defs(f);
        assert_eq!(d.len(), 2);
        assert!(d[0].watches.contains("cpuutilization"));
        assert!(d[1].watches.contains("uptime check") && d[1].location.line == 3);
        assert!(
            !d[0].watches.contains("errors"),
            "actions are not what it watches"
        );
        let mut f = Facts::default();
        grafana_json(
            "dash/api.json",
            "{\"title\": \"API\", \"panels\": [], \"schemaVersion\": 39}",
            &mut f,
        );
        grafana_json("x.json", "{\"panels\": 1, \"schemaVersion\": 1}", &mut f);
        grafana_json("y.json", "{\"panels\": [", &mut f);
        let (d, _) = defs(f);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].name.as_str(), d[0].kind),
            ("API", MonitorKind::Dashboard)
        );
    }
}
