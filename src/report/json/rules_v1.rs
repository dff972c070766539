//! `infra rules --format json` and `infra explain RULE --format json`,
//! version 1 (docs/json.md): every rule (or the one explained) with what it
//! says about itself. The frozen v1 shape, kept apart from
//! [`crate::audit::RuleMeta`].

use crate::audit::rule::RuleMeta;
use serde::Serialize;

pub const VERSION: u32 = 1;

/// One document listing `rules` in the order given (checklist order for
/// `infra rules`, the one rule for `infra explain`).
pub fn render<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>) -> String {
    let doc = RulesV1 {
        version: VERSION,
        tool: ToolV1 {
            name: "infra",
            version: env!("CARGO_PKG_VERSION"),
        },
        rules: rules.into_iter().map(RuleV1::from).collect(),
    };
    super::to_text(&doc)
}

#[derive(Serialize)]
struct RulesV1 {
    version: u32,
    tool: ToolV1,
    rules: Vec<RuleV1>,
}

#[derive(Serialize)]
struct ToolV1 {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct RuleV1 {
    id: &'static str,
    section: &'static str,
    level: &'static str,
    confidence: &'static str,
    description: &'static str,
    applies: &'static str,
    rationale: &'static str,
    detection: &'static str,
    fix: &'static str,
    fixed_by_init: bool,
    fail_example: &'static str,
    pass_example: &'static str,
    /// Anchor in docs/rules.md.
    docs: String,
}

impl From<&RuleMeta> for RuleV1 {
    fn from(m: &RuleMeta) -> Self {
        RuleV1 {
            id: m.id,
            section: m.section,
            level: m.level.id(),
            confidence: m.confidence.id(),
            description: m.description,
            applies: m.applies,
            rationale: m.rationale,
            detection: m.detection,
            fix: m.fix,
            fixed_by_init: m.fixed_by_init,
            fail_example: m.fail_example,
            pass_example: m.pass_example,
            docs: m.docs(),
        }
    }
}
