//! Domain vocabulary shared by discovery, answers, rendering, scanning and
//! audit: service kinds, source locations, problems, and the levels and
//! confidences findings carry. Vocabulary only: this module imports nothing
//! from the crate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a service is to the application; drives backups, runbooks and sandbox values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    Database,
    Cache,
    Search,
    ObjectStorage,
    Queue,
    Payments,
    Email,
    Sms,
    Auth,
    ErrorTracking,
    Observability,
}

impl ServiceKind {
    /// Every kind, in the order reports group services.
    pub const ALL: [ServiceKind; 11] = [
        ServiceKind::Database,
        ServiceKind::Cache,
        ServiceKind::Search,
        ServiceKind::ObjectStorage,
        ServiceKind::Queue,
        ServiceKind::Payments,
        ServiceKind::Email,
        ServiceKind::Sms,
        ServiceKind::Auth,
        ServiceKind::ErrorTracking,
        ServiceKind::Observability,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ServiceKind::Database => "database",
            ServiceKind::Cache => "cache",
            ServiceKind::Search => "search",
            ServiceKind::ObjectStorage => "object-storage",
            ServiceKind::Queue => "queue",
            ServiceKind::Payments => "payments",
            ServiceKind::Email => "email",
            ServiceKind::Sms => "sms",
            ServiceKind::Auth => "auth",
            ServiceKind::ErrorTracking => "error-tracking",
            ServiceKind::Observability => "observability",
        }
    }

    /// Holds data whose loss matters: needs backups, RPO and RTO (checklist §5.4).
    pub fn is_data_store(self) -> bool {
        matches!(
            self,
            ServiceKind::Database | ServiceKind::ObjectStorage | ServiceKind::Search
        )
    }

    /// Something whose outage takes the app down, so it deserves a runbook (§7.2).
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            ServiceKind::Database
                | ServiceKind::Cache
                | ServiceKind::Search
                | ServiceKind::ObjectStorage
                | ServiceKind::Queue
        )
    }

    /// The kind with this id (`object-storage`).
    pub fn from_id(id: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Sends money or messages: non-production must use sandbox keys (§2.3).
    pub fn has_side_effects(self) -> bool {
        matches!(
            self,
            ServiceKind::Payments | ServiceKind::Email | ServiceKind::Sms
        )
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A place in the repository: path relative to the root with `/` separators,
/// 1-based line and column (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Location {
    pub fn new(path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line,
            column,
        }
    }

    pub fn file(path: impl Into<String>) -> Self {
        Location::new(path, 0, 0)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.path),
            (l, 0) => write!(f, "{}:{}", self.path, l),
            (l, c) => write!(f, "{}:{}:{}", self.path, l, c),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

/// Canonical environment name for the many spellings repos use
/// (`prod`, `production`, `live` ⇒ `production`). `None` for names that are
/// not an environment (`default`, `base`, `common`).
pub fn canonical_environment(name: &str) -> Option<&'static str> {
    match name.trim().to_ascii_lowercase().as_str() {
        "dev" | "development" | "local" | "develop" => Some("dev"),
        "staging" | "stage" | "stg" | "preprod" | "pre-production" | "preproduction" | "uat" => {
            Some("staging")
        }
        "prod" | "production" | "live" | "prd" => Some("production"),
        "test" | "testing" | "ci" => Some("test"),
        "qa" => Some("qa"),
        "preview" => Some("preview"),
        _ => None,
    }
}

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
    pub const ALL: [Level; 3] = [Level::Error, Level::Warning, Level::Note];

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

    /// Exactly one of the ids (`error`, `warning`, `note`), as infra.toml,
    /// `--fail-on` and the docs spell them.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.id() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How sure a detection is that what it found is real.
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

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
