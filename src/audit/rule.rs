//! The rule model: what every rule declares about itself (`RuleMeta`) and the
//! one trait a rule implements. Metadata feeds `infra rules`, `infra explain`,
//! docs/rules.md and every report format.

use super::finding::Findings;
use super::AuditInput;
use serde::Serialize;
use std::fmt;

/// How bad a finding is: `error` for a checklist MUST, `warning` for a SHOULD,
/// `note` for information. Ordered so `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    /// One step less severe (a note stays a note).
    pub fn lower(self) -> Level {
        match self {
            Level::Error => Level::Warning,
            Level::Warning | Level::Note => Level::Note,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "note" => Some(Level::Note),
            "warning" | "warn" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How sure the detection is that a finding is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn id(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

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
    /// Anchor in docs/rules.md.
    pub fn docs(&self) -> String {
        format!("docs/rules.md#{}", self.id)
    }
}

/// What a rule concluded when it produced no finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The rule ran; it passed unless it reported findings.
    Checked,
    /// The rule does not apply to this repository (the reason says why).
    NotApplicable(String),
    /// The rule could not decide (a prerequisite is missing or unparseable).
    /// Never counts as a pass.
    Unknown(String),
}

/// One audit rule: a unit struct in `src/audit/rules/<id>.rs`, listed once in
/// the registry. Rules read the shared discovery (`input.ctx`) and the
/// content scan (`input.scan`); they never walk the tree or read files.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Report findings through `out` (the one builder) and say how it went.
    fn check(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict;
}

/// Declares a rule's unit struct and its metadata in one place.
#[macro_export]
macro_rules! declare_rule {
    ($name:ident, $meta:expr) => {
        pub struct $name;
        pub static META: $crate::audit::rule::RuleMeta = $meta;
    };
}
