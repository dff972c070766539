//! What every rule (and engine diagnostic) declares about itself. Metadata
//! feeds `infra rules`, `infra explain`, docs/rules.md and every report format.

use crate::model::{Confidence, Level};
use serde::Serialize;

/// Everything a rule says about itself. One `static` per rule file.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Kebab-case, unique, stable: it is the docs anchor and the suppression key.
    pub id: &'static str,
    /// Checklist section it enforces, e.g. `7.1`.
    pub section: &'static str,
    pub level: Level,
    pub confidence: Confidence,
    /// One line: what the rule checks.
    pub description: &'static str,
    /// When it applies (data stores present, a cache used, always …).
    pub applies: &'static str,
    /// Why the checklist asks for it.
    pub rationale: &'static str,
    /// How it is detected.
    pub detection: &'static str,
    /// How to fix a failure.
    pub fix: &'static str,
    /// Whether `infra init` / `infra update` renders what makes it pass.
    pub fixed_by_init: bool,
    /// A failing example (a file excerpt), for `infra explain`.
    pub fail_example: &'static str,
    /// A passing example, for `infra explain`.
    pub pass_example: &'static str,
}

impl RuleMeta {
    /// How to read about the rule where no docs URL is set: a command, not a
    /// path inside infra's own source tree.
    pub fn docs(&self) -> String {
        format!("infra explain {}", self.id)
    }
}
