//! The rule model: what a rule may read ([`AuditInput`]), the one trait a
//! rule implements, and what it concludes ([`Verdict`]). What a rule says
//! about itself is [`RuleMeta`] in `meta.rs`.

use super::finding::Findings;
pub use super::meta::RuleMeta;
use super::scan::ScanResults;
use crate::answers::InfraToml;
use crate::context::Context;
pub use crate::model::{Confidence, Level};

/// Everything a rule may read.
pub struct AuditInput<'a> {
    pub ctx: &'a Context,
    /// `infra.toml`, when the repo has one (already known to parse).
    pub answers: Option<&'a InfraToml>,
    pub scan: &'a ScanResults,
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
