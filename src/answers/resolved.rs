//! Answers after precedence and validation: what rendering and audit consume.
//! Every value here has passed validation; `sources` says where each came from.

use crate::platform::Platform;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    pub project_name: String,
    pub platform: Platform,
    /// Set for platforms with regions (aws, gcp, azure, fly).
    pub region: Option<String>,
    /// In the user's order; always includes `staging` and `production`.
    pub environments: Vec<Environment>,
    pub sla: Sla,
    pub data: Data,
    /// `kind:target`, e.g. `slack:#ops`.
    pub alerts_channel: String,
    /// Template overrides folder, relative to the repo.
    pub templates_dir: String,
    /// Where each dotted key's value came from (`--set`, `infra.toml`, `discovered`, `default`, …).
    pub sources: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Environment {
    pub name: String,
    /// The branch whose pushes deploy here; `None` for environments nobody deploys by push (dev).
    pub branch: Option<String>,
    pub url: Option<String>,
    /// Deploys wait for a reviewer (a protected environment).
    pub approval: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sla {
    pub availability: f64,
    pub latency_p95_ms: u32,
    pub error_rate_percent: f64,
    /// Present when data stores exist.
    pub rpo_hours: Option<f64>,
    pub rto_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Data {
    /// Confirmed data stores by service id; empty when the app keeps no data.
    pub stores: Vec<String>,
    /// hourly | daily | weekly (set when `stores` is not empty).
    pub backup_frequency: Option<String>,
    pub backup_retention_days: Option<u32>,
}

impl Answers {
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// Monthly error budget in minutes implied by the availability target.
    pub fn error_budget_minutes_per_month(&self) -> f64 {
        (100.0 - self.sla.availability) / 100.0 * 30.0 * 24.0 * 60.0
    }
}
