//! `infra audit --format json`, version 1 (SPEC §5). The types here are the
//! frozen v1 contract, kept apart from the engine's own types: fields may be
//! added, never renamed or removed, without bumping `version` (docs/json.md).

use crate::audit::{Report, SuppressionKind};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct V1 {
    version: u32,
    tool: Tool,
    /// Counted findings (suppressed ones are under `suppressed`).
    findings: Vec<FindingV1>,
    results: Vec<ResultV1>,
    summary: SummaryV1,
    sections: Vec<SectionV1>,
    suppressed: Vec<SuppressedV1>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct FindingV1 {
    rule: String,
    level: &'static str,
    section: String,
    message: String,
    path: String,
    line: u32,
    column: u32,
    fingerprint: String,
    fix: String,
    confidence: &'static str,
    evidence: Vec<String>,
    snippet: Option<String>,
    related: Vec<RelatedV1>,
    docs: String,
}

#[derive(Serialize)]
struct RelatedV1 {
    path: String,
    line: u32,
    column: u32,
    message: String,
}

#[derive(Serialize)]
struct ResultV1 {
    rule: String,
    status: &'static str,
    section: String,
    level: &'static str,
    reason: Option<String>,
    findings: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct SummaryV1 {
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
    passed: usize,
    failed: usize,
    not_applicable: usize,
    unknown: usize,
    fail_on: &'static str,
    /// The level that sets the exit code, or null when the audit passes.
    failing_level: Option<&'static str>,
    readiness: String,
}

#[derive(Serialize)]
struct SectionV1 {
    section: String,
    title: String,
    passed: usize,
    failed: usize,
    not_applicable: usize,
    unknown: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct SuppressedV1 {
    rule: String,
    level: &'static str,
    message: String,
    path: String,
    line: u32,
    fingerprint: String,
    kind: &'static str,
    reason: String,
}

pub fn render(report: &Report) -> String {
    let s = report.summary();
    let v1 = V1 {
        version: VERSION,
        tool: Tool {
            name: "infra",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report
            .active()
            .map(|f| FindingV1 {
                rule: f.rule.to_string(),
                level: f.level.id(),
                section: f.section.to_string(),
                message: f.message.clone(),
                path: f.location.path.clone(),
                line: f.location.line,
                column: f.location.column,
                fingerprint: f.fingerprint.clone(),
                fix: f.fix.clone(),
                confidence: f.confidence.id(),
                evidence: f.evidence.clone(),
                snippet: f.snippet.as_ref().map(|s| s.lines.join("\n")),
                related: f
                    .related
                    .iter()
                    .map(|r| RelatedV1 {
                        path: r.location.path.clone(),
                        line: r.location.line,
                        column: r.location.column,
                        message: r.message.clone(),
                    })
                    .collect(),
                docs: f.docs.clone(),
            })
            .collect(),
        results: report
            .results
            .iter()
            .map(|r| ResultV1 {
                rule: r.rule.to_string(),
                status: r.status.id(),
                section: r.section.to_string(),
                level: r.level.id(),
                reason: r.reason.clone(),
                findings: r.findings,
                suppressed: r.suppressed,
            })
            .collect(),
        summary: SummaryV1 {
            errors: s.errors,
            warnings: s.warnings,
            notes: s.notes,
            suppressed: s.suppressed,
            passed: s.passed,
            failed: s.failed,
            not_applicable: s.not_applicable,
            unknown: s.unknown,
            fail_on: report.fail_on.id(),
            failing_level: report.failing_level().map(|l| l.id()),
            readiness: report.readiness(),
        },
        sections: report
            .sections()
            .into_iter()
            .map(|s| SectionV1 {
                section: s.section,
                title: s.title.to_string(),
                passed: s.passed,
                failed: s.failed,
                not_applicable: s.not_applicable,
                unknown: s.unknown,
                errors: s.errors,
                warnings: s.warnings,
                notes: s.notes,
                suppressed: s.suppressed,
            })
            .collect(),
        suppressed: report
            .suppressed()
            .filter_map(|f| {
                let sup = f.suppression.as_ref()?;
                Some(SuppressedV1 {
                    rule: f.rule.to_string(),
                    level: f.level.id(),
                    message: f.message.clone(),
                    path: f.location.path.clone(),
                    line: f.location.line,
                    fingerprint: f.fingerprint.clone(),
                    kind: match sup.kind {
                        SuppressionKind::Inline => "inline",
                        SuppressionKind::Config => "config",
                        SuppressionKind::Baseline => "baseline",
                    },
                    reason: sup.reason.clone(),
                })
            })
            .collect(),
    };
    super::to_text(&v1)
}
