//! environment-config-mixed: a config file for one environment names another
//! environment's hosts or variables (checklist §2.1: never mix config).

use super::nonprod_live_credentials::environment_of;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::{canonical_environment, Location};
use crate::scan::{host_is_local, is_test_path};
use regex::Regex;
use std::sync::LazyLock;

crate::declare_rule!(
    EnvironmentConfigMixed,
    RuleMeta {
        id: "environment-config-mixed",
        section: "2.1",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Config for one environment never names another environment's hosts or variables",
        applies: "to files whose path names an environment (`config/staging.yml`, `.env.production`, `docker-compose.dev.yml`, kustomize `overlays/staging/…`, Helm `values-prod.yaml`, Terraform `envs/prod/…` or `prod.tfvars`)",
        rationale: "Checklist §2.1: config must not be mixed between environments. Staging config that points at a production database or uses production credentials turns a staging test into a production incident.",
        detection: "In environment-named files (tests and fixtures excepted): host names in URLs and connection strings, and UPPER_SNAKE variable names, whose `.`/`-`/`_`-separated parts name a different one of dev, staging and production (`db.prod.shop.io` or `PROD_DB_PASSWORD` in config/staging.yml). Local and reserved hosts are ignored. Deploy jobs in CI workflows are not checked yet.",
        fix: "point this environment's config at its own hosts and variables; keep other environments' values in their own files or secret stores",
        fixed_by_init: false,
        fail_example: "config/staging.yml:3: url: postgres://app:…@db.prod.shop.io/shop",
        pass_example: "config/staging.yml:3: url: postgres://app:…@db.staging.shop.io/shop",
    }
);

static HOST: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[a-z][a-z0-9+.-]*://(?:[^\s/@]*@)?|@)([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)")
        .ok()
});
static VAR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").ok());

/// The dev/staging/production environment a name's parts point at, if any.
fn names_environment(name: &str, separators: &[char]) -> Option<&'static str> {
    name.split(separators)
        .filter_map(canonical_environment)
        .find(|e| matches!(*e, "dev" | "staging" | "production"))
}

impl Rule for EnvironmentConfigMixed {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let (Some(host_re), Some(var_re)) = (HOST.as_ref(), VAR.as_ref()) else {
            return Verdict::Unknown("internal pattern failed to compile".into());
        };
        let mut applicable = false;
        for (path, text) in &input.ctx.texts {
            if is_test_path(path) {
                continue;
            }
            let Some(own) =
                environment_of(path).filter(|e| matches!(*e, "dev" | "staging" | "production"))
            else {
                continue;
            };
            applicable = true;
            for (i, line) in text.lines().enumerate() {
                let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let mut hits: Vec<(usize, String, &'static str)> = Vec::new();
                for c in host_re.captures_iter(line) {
                    let Some(h) = c.get(1) else { continue };
                    let host = h.as_str().to_ascii_lowercase();
                    if host_is_local(&host) {
                        continue;
                    }
                    if let Some(other) = names_environment(&host, &['.', '-']) {
                        hits.push((h.start(), format!("host {host}"), other));
                    }
                }
                for v in var_re.find_iter(line) {
                    if let Some(other) = names_environment(v.as_str(), &['_']) {
                        hits.push((v.start(), format!("variable {}", v.as_str()), other));
                    }
                }
                for (at, what, other) in hits {
                    if other == own {
                        continue;
                    }
                    let column = line.get(..at).map_or(0, |p| p.chars().count()) + 1;
                    out.add(format!("{own} config {path} names {other}'s {what}"))
                        .at(Location::new(
                            path.clone(),
                            line_no,
                            u32::try_from(column).unwrap_or(0),
                        ))
                        .width(what.split_once(' ').map_or(0, |(_, n)| n.len()))
                        .evidence(format!("{path} belongs to {own} by its name"))
                        .key(format!("{other} {what}"))
                        .emit();
                }
            }
        }
        if !applicable {
            return Verdict::NotApplicable(
                "no config file, kustomize overlay, Helm values file or Terraform env folder is named for dev, staging or production".into(),
            );
        }
        Verdict::Checked
    }
}
