//! Prometheus rule files (`groups: [{name, interval, rules: [{alert|record,
//! expr, for, labels, annotations}]}]`), the same groups under a
//! `PrometheusRule` object's `spec`, and Grafana's alert provisioning files
//! (`groups: [{name, folder, rules: [{title, condition, data: [{model:
//! {expr}}]}]}]`). Built on the YAML tree [`super::yaml`] already parsed:
//! [`groups`] reads a `groups` node, so a manifest is never parsed twice.
//! A document that is not this shape is an error with its line and column.

use super::yaml::{self, Yaml, YamlError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// `alert:` (or a Grafana rule's `title:`).
    Alert,
    /// `record:`: a recording rule, not an alert.
    Record,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: RuleKind,
    /// The alert's or the recorded series' name.
    pub name: String,
    /// The PromQL expression (a Grafana rule's queries, joined by newlines).
    pub expr: String,
    /// `for:` as written.
    pub for_: Option<String>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    /// Where the rule's entry starts (1-based).
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub interval: Option<String>,
    pub line: u32,
    pub rules: Vec<Rule>,
}

/// Does this document look like a rule file: a top-level `groups:` sequence
/// whose first item is a mapping with `rules:`?
pub fn is_rule_document(doc: &Yaml) -> bool {
    doc.get("groups")
        .and_then(Yaml::as_seq)
        .and_then(|g| g.first())
        .is_some_and(|g| g.get("rules").is_some())
}

fn err(node: &Yaml, message: impl Into<String>) -> YamlError {
    YamlError {
        line: node.line,
        column: node.column,
        message: message.into(),
    }
}

fn scalar_pairs(node: Option<&Yaml>) -> Vec<(String, String)> {
    node.map(Yaml::entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect()
}

/// The rule groups of a `groups:` node (a rule file's top level, or a
/// PrometheusRule's `spec.groups`).
pub fn groups(node: &Yaml) -> Result<Vec<Group>, YamlError> {
    let items = node
        .as_seq()
        .ok_or_else(|| err(node, "`groups` is not a list"))?;
    let mut out = Vec::new();
    for g in items {
        if g.as_map().is_none() {
            return Err(err(g, "a rule group is not a mapping"));
        }
        let name = g
            .str_at("name")
            .ok_or_else(|| err(g, "a rule group has no `name`"))?
            .to_string();
        let rules_node = g
            .get("rules")
            .ok_or_else(|| err(g, format!("rule group {name} has no `rules`")))?;
        let rules = match &rules_node.value {
            // `rules:` left empty is an empty list.
            yaml::Value::Scalar(s) if s.is_empty() || s == "null" || s == "~" => &[][..],
            _ => rules_node
                .as_seq()
                .ok_or_else(|| err(rules_node, format!("`rules` of group {name} is not a list")))?,
        };
        let mut parsed = Vec::new();
        for r in rules {
            parsed.push(rule(r)?);
        }
        out.push(Group {
            name,
            interval: g.str_at("interval").map(str::to_string),
            line: g.line,
            rules: parsed,
        });
    }
    Ok(out)
}

fn rule(r: &Yaml) -> Result<Rule, YamlError> {
    if r.as_map().is_none() {
        return Err(err(r, "a rule is not a mapping"));
    }
    let (kind, name) = if let Some(a) = r.str_at("alert") {
        (RuleKind::Alert, a)
    } else if let Some(rec) = r.str_at("record") {
        (RuleKind::Record, rec)
    } else if let Some(t) = r.str_at("title") {
        (RuleKind::Alert, t)
    } else {
        return Err(err(r, "a rule has neither `alert` nor `record`"));
    };
    let expr = match r.str_at("expr") {
        Some(e) => e.to_string(),
        None => {
            // Grafana: every query's model expression.
            let queries: Vec<&str> = r
                .get("data")
                .and_then(Yaml::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|d| d.path(&["model", "expr"]).and_then(Yaml::as_str))
                .collect();
            if queries.is_empty() && r.get("data").is_none() {
                return Err(err(r, format!("rule {name} has no `expr`")));
            }
            queries.join("\n")
        }
    };
    Ok(Rule {
        kind,
        name: name.to_string(),
        expr,
        for_: r.str_at("for").map(str::to_string),
        labels: scalar_pairs(r.get("labels")),
        annotations: scalar_pairs(r.get("annotations")),
        line: r.line,
    })
}

/// Every rule group of a rule file's documents (documents without `groups`
/// are left out).
pub fn parse_documents(docs: &[Yaml]) -> Result<Vec<Group>, YamlError> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(g) = doc.get("groups") {
            out.extend(groups(g)?);
        }
    }
    Ok(out)
}

/// Parse a rule file's text (the fuzz entry; discovery parses the YAML once
/// and calls [`parse_documents`]).
pub fn parse(text: &str) -> Result<Vec<Group>, YamlError> {
    parse_documents(&yaml::parse_documents(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_file_with_positions() {
        let text = "groups:\n  - name: api\n    interval: 30s\n    rules:\n      - alert: HighErrorRate\n        expr: sum(rate(http_requests_total{status=~\"5..\"}[5m])) > 1\n        for: 5m\n        labels: {severity: page}\n        annotations:\n          summary: errors\n      - record: job:up:sum\n        expr: sum(up)\n";
        let groups = parse(text).unwrap();
        assert_eq!(groups.len(), 1);
        let g = &groups[0];
        assert_eq!((g.name.as_str(), g.line), ("api", 2));
        assert_eq!(g.interval.as_deref(), Some("30s"));
        assert_eq!(g.rules.len(), 2);
        let a = &g.rules[0];
        assert_eq!(
            (a.kind.clone(), a.name.as_str(), a.line),
            (RuleKind::Alert, "HighErrorRate", 5)
        );
        assert!(a.expr.contains("5.."));
        assert_eq!(a.for_.as_deref(), Some("5m"));
        assert_eq!(a.labels, [("severity".to_string(), "page".to_string())]);
        assert_eq!(a.annotations[0].0, "summary");
        assert_eq!(
            (g.rules[1].kind.clone(), g.rules[1].line),
            (RuleKind::Record, 11)
        );
        assert!(is_rule_document(&yaml::parse_documents(text).unwrap()[0]));
    }

    #[test]
    fn grafana_provisioning_rules() {
        let text = "apiVersion: 1\ngroups:\n  - orgId: 1\n    name: infra\n    folder: ops\n    rules:\n      - uid: a\n        title: Disk almost full\n        condition: B\n        data:\n          - refId: A\n            model: {expr: node_filesystem_avail_bytes < 1e9}\n";
        let g = parse(text).unwrap();
        let r = &g[0].rules[0];
        assert_eq!(
            (r.kind.clone(), r.name.as_str(), r.line),
            (RuleKind::Alert, "Disk almost full", 7)
        );
        assert!(r.expr.contains("node_filesystem_avail_bytes"));
    }

    #[test]
    fn malformed_shapes_are_located_errors() {
        let e = parse("groups: {a: 1}\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("groups:\n  - name: a\n    rules:\n      - labels: {}\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("neither"));
        let e = parse("groups:\n  - rules: []\n").unwrap_err();
        assert!(e.message.contains("no `name`"));
        let e = parse("groups:\n  - name: a\n    rules:\n      - alert: X\n").unwrap_err();
        assert!(e.message.contains("no `expr`"), "{e:?}");
        assert!(parse("groups: [\n").is_err());
        assert!(parse("groups:\n  - name: a\n    rules:\n").unwrap()[0]
            .rules
            .is_empty());
        assert!(parse("other: 1\n").unwrap().is_empty());
    }
}
