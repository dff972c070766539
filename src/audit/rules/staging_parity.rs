//! staging-parity: staging runs every service production runs, so what is
//! tested there is what ships (checklist §2.1).

use super::nonprod_live_credentials::environment_of;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;
use std::collections::BTreeMap;

crate::declare_rule!(
    StagingParity,
    RuleMeta {
        id: "staging-parity",
        section: "2.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Staging runs every service production runs",
        applies: "when compose files or Kubernetes manifests exist per environment for both staging and production",
        rationale: "Checklist §2.1: staging mirrors production as closely as possible. A service production runs but staging lacks (a worker, a cache, a cron job) is never exercised before release.",
        detection: "Compose services and Kubernetes workloads (Deployment, StatefulSet, DaemonSet, CronJob, Job) grouped by the environment their file path names (`docker-compose.staging.yml`, `k8s/overlays/production/…`); each production one with no staging counterpart of the same name is reported.",
        fix: "add the service to staging's compose file or manifests (scaled down if cost matters), or document in docs/infra/overview.md why staging does without it",
        fixed_by_init: false,
        fail_example: "docker-compose.production.yml: api, worker, redis\ndocker-compose.staging.yml: api, redis",
        pass_example: "docker-compose.production.yml: api, worker, redis\ndocker-compose.staging.yml: api, worker, redis",
    }
);

const WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job"];

impl Rule for StagingParity {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        // (environment, unit) -> where it is declared.
        let mut units: BTreeMap<(&str, String), &Location> = BTreeMap::new();
        for s in &ctx.compose_services {
            if let Some(env) = environment_of(&s.location.path) {
                units.insert((env, format!("compose service {}", s.name)), &s.location);
            }
        }
        for o in &ctx.kubernetes {
            let (Some(name), true) = (&o.name, WORKLOADS.contains(&o.kind.as_str())) else {
                continue;
            };
            if let Some(env) = environment_of(&o.location.path) {
                units.insert((env, format!("{} {name}", o.kind)), &o.location);
            }
        }
        let has = |env: &str| units.keys().any(|(e, _)| *e == env);
        if !has("production") || !has("staging") {
            return Verdict::NotApplicable(
                "no per-environment compose files or manifests for both staging and production"
                    .into(),
            );
        }
        for ((env, unit), location) in &units {
            if *env != "production" || units.contains_key(&("staging", unit.clone())) {
                continue;
            }
            out.add(format!("production runs {unit} but staging does not"))
                .at((*location).clone())
                .evidence(format!("declared for production in {}", location.path))
                .key(unit.clone())
                .emit();
        }
        Verdict::Checked
    }
}
