//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Suppressed
//! findings are included with a `suppressions` entry, as the format intends.
//! A test validates the output against the official OASIS schema.

use crate::audit::registry;
use crate::audit::{Finding, Level, Report, SuppressionKind};
use crate::model::Location;
use serde_json::{json, Value};

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// Percent-encode a repository path for a relative URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(loc: &Location, snippet: Option<&str>, message: Option<&str>) -> Value {
    let mut physical = json!({
        "artifactLocation": { "uri": uri(&loc.path), "uriBaseId": "%SRCROOT%" }
    });
    if loc.line > 0 {
        let mut region = json!({ "startLine": loc.line });
        if loc.column > 0 {
            region["startColumn"] = json!(loc.column);
        }
        if let Some(s) = snippet {
            region["snippet"] = json!({ "text": s });
        }
        physical["region"] = region;
    }
    let mut v = json!({ "physicalLocation": physical });
    if let Some(m) = message {
        v["message"] = json!({ "text": m });
    }
    v
}

fn result(f: &Finding, index: Option<usize>) -> Value {
    let snippet = f.snippet.as_ref().map(|s| s.lines.join("\n"));
    let mut text = f.message.clone();
    text.push_str("\nhelp: ");
    text.push_str(&f.fix);
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.level),
        "message": { "text": text },
        "locations": [location(&f.location, snippet.as_deref(), None)],
        "partialFingerprints": { "infraFingerprint/v1": f.fingerprint },
        "properties": {
            "section": f.section,
            "confidence": f.confidence.id(),
            "docs": f.docs,
            "evidence": f.evidence,
        }
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        r["relatedLocations"] = Value::Array(
            f.related
                .iter()
                .enumerate()
                .map(|(i, rel)| {
                    let mut l = location(&rel.location, None, Some(&rel.message));
                    l["id"] = json!(i);
                    l
                })
                .collect(),
        );
    }
    if let Some(s) = &f.suppression {
        r["suppressions"] = json!([{
            "kind": if s.kind == SuppressionKind::Inline { "inSource" } else { "external" },
            "status": "accepted",
            "justification": format!("{} ({})", s.reason, s.kind.id()),
        }]);
    }
    r
}

pub fn render(report: &Report) -> String {
    let metas: Vec<_> = registry::all_meta().collect();
    let rules: Vec<Value> = metas
        .iter()
        .map(|m| {
            // Only a published page is linked: a path inside infra's own
            // source tree means nothing in the user's repository.
            let see = match &report.docs_url {
                Some(url) => format!("{url}#{}", m.id),
                None => format!("`infra explain {}`", m.id),
            };
            let mut rule = json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": { "text": m.description },
                "fullDescription": { "text": m.rationale },
                "help": {
                    "text": format!("{}\n\nDetection: {}\n\nFix: {}\n\nSee {see}", m.rationale, m.detection, m.fix),
                },
                "defaultConfiguration": { "level": level(m.level) },
                "properties": {
                    "section": m.section,
                    "confidence": m.confidence.id(),
                    "fixedByInit": m.fixed_by_init,
                    "tags": ["devops", format!("checklist-{}", m.section)],
                }
            });
            if let Some(url) = &report.docs_url {
                rule["helpUri"] = json!(format!("{url}#{}", m.id));
            }
            rule
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, metas.iter().position(|m| m.id == f.rule)))
        .collect();
    let s = report.summary();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "infra",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "properties": {
                    "failOn": report.fail_on.id(),
                    "readiness": report.readiness(),
                    "errors": s.errors,
                    "warnings": s.warnings,
                    "notes": s.notes,
                    "suppressed": s.suppressed,
                }
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "ruleResults": report.results.iter().map(|r| json!({
                    "rule": r.rule,
                    "status": r.status.id(),
                    "reason": r.reason,
                })).collect::<Vec<_>>(),
            }
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("docs/infra/a b.md"), "docs/infra/a%20b.md");
        assert_eq!(uri("src/ü.rs"), "src/%C3%BC.rs");
    }
}
