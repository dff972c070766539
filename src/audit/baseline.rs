//! Baseline files: the fingerprints of findings accepted at one point in
//! time (`--write-baseline`), so later runs report only new ones
//! (`--baseline`). Entries that no longer match anything are stale and are
//! reported, so the file shrinks as problems get fixed.

use super::finding::{Finding, Suppression, SuppressionKind};
use crate::model::Location;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (crate::file_version); a baseline without it is version 1.
    #[serde(default = "unversioned")]
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// For the reader of the file; not used for matching.
    #[serde(default)]
    pub message: String,
}

fn unversioned() -> u32 {
    crate::file_version::UNVERSIONED
}

/// Why a baseline file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// A version this build does not read (the message says what to do).
    #[error("{0}")]
    Version(String),
}

impl Baseline {
    /// The baseline of every finding not already suppressed by an ignore.
    pub fn from_findings<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .into_iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| BaselineEntry {
                rule: f.rule.to_string(),
                path: f.location.path.clone(),
                fingerprint: f.fingerprint.clone(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.rule, &a.path, &a.fingerprint).cmp(&(&b.rule, &b.path, &b.fingerprint))
        });
        Baseline {
            version: BASELINE_VERSION,
            findings: entries,
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let at = |e: serde_json::Error| BaselineError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        // The version first: a newer baseline may hold fields this build does not know.
        let raw: serde_json::Value = serde_json::from_str(text).map_err(at)?;
        if let Some(found) = raw.get("version").and_then(serde_json::Value::as_i64) {
            if let Some(m) = crate::file_version::unsupported("version", found, BASELINE_VERSION) {
                return Err(BaselineError::Version(m));
            }
        }
        serde_json::from_str(text).map_err(at)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Suppress findings whose fingerprint the baseline holds, each entry
    /// at most once. Returns the entries left over (stale).
    pub fn apply(&self, findings: &mut [Finding], source: &str) -> Vec<BaselineEntry> {
        let mut remaining: BTreeMap<&str, Vec<&BaselineEntry>> = BTreeMap::new();
        for e in &self.findings {
            remaining.entry(e.fingerprint.as_str()).or_default().push(e);
        }
        for f in findings.iter_mut().filter(|f| f.suppression.is_none()) {
            if let Some(list) = remaining.get_mut(f.fingerprint.as_str()) {
                if list.pop().is_some() {
                    f.suppression = Some(Suppression {
                        kind: SuppressionKind::Baseline,
                        reason: format!("recorded in baseline {source}"),
                        location: Location::file(source),
                    });
                }
            }
        }
        remaining.into_values().flatten().cloned().collect()
    }
}
