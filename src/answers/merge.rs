//! Merging answer layers (highest precedence first) into one `infra.toml`
//! with, per dotted key, the source that supplied it; and the per-environment
//! defaults both the prompts and the resolver offer.

use super::keys;
use super::load::Layer;
use super::model::InfraToml;
use std::collections::BTreeMap;

/// The checklist's minimum environments, in order.
pub const MINIMUM_ENVIRONMENTS: [&str; 3] = ["dev", "staging", "production"];

/// The merged answers with, per dotted key, the label of the source that supplied it.
pub struct Merged {
    pub toml: InfraToml,
    pub sources: BTreeMap<String, String>,
    pub origins: BTreeMap<String, String>,
}

/// Merge layers given highest precedence first.
pub fn merge(layers: &[Layer]) -> Merged {
    merge_where(layers, &|_, _| true)
}

/// Merge layers given highest precedence first, taking from each layer only
/// the dotted keys `take(layer, key)` allows (what infra.toml saves leaves
/// out the `INFRA_*` overrides and what they hide).
pub fn merge_where(layers: &[Layer], take: &dyn Fn(&Layer, &str) -> bool) -> Merged {
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut sources = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for layer in layers {
        for (key, value) in flatten(&layer.toml, layer.env_list_explicit) {
            if !take(layer, &key) {
                continue;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = values.entry(key.clone()) {
                slot.insert(value);
                sources.insert(key.clone(), layer.source.label());
                origins.insert(key.clone(), layer.origin(&key));
            }
        }
    }
    let mut toml = InfraToml::default();
    let mut explicit = false;
    let env_names: Vec<String> = values
        .get("environments")
        .map(|v| keys::parse_list(v))
        .unwrap_or_default();
    // Values were produced by `flatten` from validated layers, so `set` accepts them.
    for (key, value) in &values {
        let keep = match key.strip_prefix("environments.") {
            Some(rest) => env_names
                .iter()
                .any(|n| rest.split_once('.').is_some_and(|(env, _)| env == n)),
            None => key != "environments",
        };
        if keep {
            let _ = keys::set(&mut toml, key, value, &mut explicit);
        }
    }
    if !env_names.is_empty() {
        // Apply the list last so it fixes the order and drops unlisted names.
        let _ = keys::set(
            &mut toml,
            "environments",
            &env_names.join(","),
            &mut explicit,
        );
    }
    // Ignore lists and per-rule levels come whole from the highest layer that has them.
    if let Some(audit) = layers
        .iter()
        .filter_map(|l| l.toml.audit.as_ref())
        .find(|a| !a.ignore.is_empty())
    {
        toml.audit.get_or_insert_default().ignore = audit.ignore.clone();
    }
    if let Some(audit) = layers
        .iter()
        .filter_map(|l| l.toml.audit.as_ref())
        .find(|a| !a.rules.is_empty())
    {
        toml.audit.get_or_insert_default().rules = audit.rules.clone();
    }
    Merged {
        toml,
        sources,
        origins,
    }
}

/// Every scalar answer as (dotted key, text), the form `--set` takes.
pub fn flatten(t: &InfraToml, env_list_explicit: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            out.push((key.to_string(), v));
        }
    };
    let num = |v: Option<f64>| v.map(|v| v.to_string());
    let int = |v: Option<u32>| v.map(|v| v.to_string());
    if let Some(p) = &t.project {
        put("project.name", p.name.clone());
        put("project.kind", p.kind.clone());
    }
    if let Some(p) = &t.platform {
        put("platform.target", p.target.clone());
        put("platform.region", p.region.clone());
    }
    if let Some(envs) = &t.environments {
        if env_list_explicit {
            put(
                "environments",
                Some(
                    envs.iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            );
        }
        for e in envs {
            let k = |f: &str| format!("environments.{}.{f}", e.name);
            put(&k("branch"), e.branch.clone());
            put(&k("url"), e.url.clone());
            put(&k("approval"), e.approval.map(|b| b.to_string()));
        }
    }
    if let Some(s) = &t.sla {
        put("sla.availability", num(s.availability));
        put("sla.latency_p95_ms", int(s.latency_p95_ms));
        put("sla.error_rate_percent", num(s.error_rate_percent));
        put("sla.rpo_hours", num(s.rpo_hours));
        put("sla.rto_hours", num(s.rto_hours));
    }
    if let Some(d) = &t.data {
        put("data.stores", d.stores.as_ref().map(|s| s.join(",")));
        put("data.backup_frequency", d.backup_frequency.clone());
        put("data.backup_retention_days", int(d.backup_retention_days));
    }
    if let Some(a) = &t.alerts {
        put("alerts.channel", a.channel.clone());
    }
    if let Some(tp) = &t.templates {
        put("templates.dir", tp.dir.clone());
    }
    if let Some(a) = &t.audit {
        put("audit.fail_on", a.fail_on.clone());
        put(
            "audit.allow_inline_ignores",
            a.allow_inline_ignores.map(|b| b.to_string()),
        );
        put("audit.max_instance_vcpus", int(a.max_instance_vcpus));
        put("audit.docs_url", a.docs_url.clone());
    }
    out
}

/// `develop` deploys staging and `main` production (checklist §3.3's example).
pub fn default_branch(env: &str) -> Option<&'static str> {
    match env {
        "staging" => Some("develop"),
        "production" => Some("main"),
        _ => None,
    }
}

pub fn default_approval(env: &str) -> bool {
    env == "production"
}
