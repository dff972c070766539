//! Domain vocabulary shared by discovery, answers, rendering, scanning and
//! audit: platforms, languages, service kinds, source locations, and the
//! levels and confidences findings carry. Vocabulary only: this module
//! imports nothing from the crate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A deployment target `infra` renders for (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Vercel,
    Netlify,
    Aws,
    Gcp,
    Azure,
    Fly,
    Kubernetes,
}

impl Platform {
    pub const ALL: [Platform; 7] = [
        Platform::Vercel,
        Platform::Netlify,
        Platform::Aws,
        Platform::Gcp,
        Platform::Azure,
        Platform::Fly,
        Platform::Kubernetes,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Platform::Vercel => "vercel",
            Platform::Netlify => "netlify",
            Platform::Aws => "aws",
            Platform::Gcp => "gcp",
            Platform::Azure => "azure",
            Platform::Fly => "fly",
            Platform::Kubernetes => "kubernetes",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Vercel => "Vercel",
            Platform::Netlify => "Netlify",
            Platform::Aws => "AWS",
            Platform::Gcp => "Google Cloud",
            Platform::Azure => "Azure",
            Platform::Fly => "Fly.io",
            Platform::Kubernetes => "Kubernetes",
        }
    }

    /// Whether the platform has a region the user must choose.
    pub fn has_region(self) -> bool {
        matches!(
            self,
            Platform::Aws | Platform::Gcp | Platform::Azure | Platform::Fly
        )
    }

    /// A sensible region to preselect in the prompt (never applied silently).
    pub fn suggested_region(self) -> Option<&'static str> {
        match self {
            Platform::Aws => Some("us-east-1"),
            Platform::Gcp => Some("us-central1"),
            Platform::Azure => Some("eastus"),
            Platform::Fly => Some("iad"),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        let s = s.trim().to_ascii_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.id() == s)
            .or(match s.as_str() {
                "k8s" => Some(Platform::Kubernetes),
                "fly.io" | "flyio" => Some(Platform::Fly),
                "google" | "gcloud" => Some(Platform::Gcp),
                _ => None,
            })
    }

    pub fn ids() -> String {
        Platform::ALL.map(Platform::id).join(", ")
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A language ecosystem recognised from its manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Node,
    Python,
    Rust,
    Go,
    Ruby,
    Php,
    Java,
}

impl Language {
    pub fn id(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Rust => "rust",
            Language::Go => "go",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::Java => "java",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

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
