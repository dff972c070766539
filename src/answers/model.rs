//! The shape of `infra.toml` (SPEC §3), as the user writes it: every field is
//! optional so the same type serves `infra.toml`, `--answers FILE`, the
//! `INFRA_*` environment, `--set`, discovery and prompts as layers.
//! Unknown keys are rejected by name and line.

use serde::{Deserialize, Serialize};

/// The `schema_version` `infra init` writes, and the newest this build reads.
/// A file without the key is version 1 (see crate::file_version).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfraToml {
    /// The format of this file (not the app's version). Only infra.toml and
    /// `--answers` files carry it; no `--set` key or `INFRA_*` variable sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<PlatformAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<EnvironmentAnswers>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<AlertAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<TemplateAnswers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditAnswers>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// service | cli | library (validated later): what the repository ships.
    /// A cli or a library deploys nothing, so the audit's deployment rules
    /// do not apply to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// What a repository ships (`[project] kind`).
pub const PROJECT_KINDS: &[&str] = &["service", "cli", "library"];

impl InfraToml {
    /// `Some(kind)` when infra.toml says the repository ships a command-line
    /// tool or a library: nothing of it runs as a deployed service.
    pub fn deploys_nothing(&self) -> Option<&str> {
        self.project
            .as_ref()
            .and_then(|p| p.kind.as_deref())
            .filter(|k| matches!(*k, "cli" | "library"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformAnswers {
    /// vercel | netlify | aws | gcp | azure | fly | kubernetes (validated later,
    /// so the error can name the source and the allowed values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentAnswers {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Deploys wait for a reviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaAnswers {
    /// Percent, 90 to 99.999.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_p95_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate_percent: Option<f64>,
    /// Asked only when data stores exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rto_hours: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataAnswers {
    /// Confirmed data stores, by service id (`postgresql`, `redis`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stores: Option<Vec<String>>,
    /// hourly | daily | weekly
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_frequency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_retention_days: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertAnswers {
    /// `slack:#ops`, `email:oncall@example.com`, `pagerduty:SERVICE`, `opsgenie:TEAM`, `teams:CHANNEL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAnswers {
    /// Folder of template overrides, relative to the repo (default `.infra/templates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditAnswers {
    /// error | warning | note
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    /// Organisations may forbid inline `infra: ignore[…]` comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_inline_ignores: Option<bool>,
    /// oversized-instance: the most vCPUs one instance may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instance_vcpus: Option<u32>,
    /// Where docs/rules.md is published (an https URL): SARIF `helpUri`
    /// and Markdown links point there, at each rule's anchor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<AuditIgnore>,
    /// Per-rule level overrides: `rule-id = "warning" | "error" | "note" | "off"`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rules: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditIgnore {
    pub rule: String,
    /// Path globs; empty means everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    pub reason: String,
}
