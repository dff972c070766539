//! The dotted answer keys shared by `--set`, `INFRA_*` variables, prompts and
//! the "missing answers" list: one table, so every source accepts the same names.

use super::model::*;

/// What type a key's value has, for parsing `--set` and environment values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Integer,
    Bool,
    List,
}

pub struct KeyInfo {
    pub key: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// An example value for error messages.
    pub example: &'static str,
    /// The allowed span of a number (validation and the JSON Schema both read it).
    pub range: Option<Range>,
    /// The allowed values of a text, when it is one of a few.
    pub choices: &'static [&'static str],
}

/// `min` to `max` in `unit`; `min` itself is allowed unless `min_exclusive`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub min_exclusive: bool,
    pub max: f64,
    pub unit: &'static str,
}

impl Range {
    const fn inclusive(min: f64, max: f64, unit: &'static str) -> Option<Range> {
        Some(Range {
            min,
            min_exclusive: false,
            max,
            unit,
        })
    }

    const fn above(min: f64, max: f64, unit: &'static str) -> Option<Range> {
        Some(Range {
            min,
            min_exclusive: true,
            max,
            unit,
        })
    }

    pub fn contains(&self, v: f64) -> bool {
        let low = if self.min_exclusive {
            v > self.min
        } else {
            v >= self.min
        };
        low && v <= self.max
    }

    /// `90 to 99.999 (percent)`, `0 (exclusive) to 50 (percent)`.
    pub fn describe(&self) -> String {
        format!(
            "{}{} to {} ({})",
            self.min,
            if self.min_exclusive {
                " (exclusive)"
            } else {
                ""
            },
            self.max,
            self.unit
        )
    }
}

/// Backup frequencies, most frequent first.
pub const BACKUP_FREQUENCIES: &[&str] = &["hourly", "daily", "weekly"];
/// Audit levels, as `audit.fail_on` takes them.
pub const LEVELS: &[&str] = &["error", "warning", "note"];

/// The entry for a fixed key.
pub fn info(key: &str) -> Option<&'static KeyInfo> {
    KEYS.iter().find(|k| k.key == key)
}

/// Keys with a fixed name. Per-environment keys are `environments.<name>.{branch,url,approval}`.
#[rustfmt::skip]
pub const KEYS: &[KeyInfo] = &[
    KeyInfo { key: "project.name", kind: Kind::Text, help: "project name", example: "ledgerd", range: None, choices: &[] },
    KeyInfo { key: "project.kind", kind: Kind::Text, help: "what the repository ships: service (deployed and run), cli or library (deploys nothing: the audit's deployment rules do not apply)", example: "service", range: None, choices: PROJECT_KINDS },
    KeyInfo { key: "platform.target", kind: Kind::Text, help: "cloud target: vercel, netlify, aws, gcp, azure, fly, kubernetes", example: "aws", range: None, choices: &[] },
    KeyInfo { key: "platform.region", kind: Kind::Text, help: "region (aws, gcp, azure, fly)", example: "eu-west-1", range: None, choices: &[] },
    KeyInfo { key: "environments", kind: Kind::List, help: "environments, at least staging and production", example: "dev,staging,production", range: None, choices: &[] },
    KeyInfo { key: "sla.availability", kind: Kind::Number, help: "availability target in percent (90 to 99.999)", example: "99.9", range: Range::inclusive(90.0, 99.999, "percent"), choices: &[] },
    KeyInfo { key: "sla.latency_p95_ms", kind: Kind::Integer, help: "p95 latency target in milliseconds", example: "300", range: Range::inclusive(1.0, 60000.0, "milliseconds"), choices: &[] },
    KeyInfo { key: "sla.error_rate_percent", kind: Kind::Number, help: "error rate that triggers an alert, in percent", example: "1.0", range: Range::above(0.0, 50.0, "percent"), choices: &[] },
    KeyInfo { key: "sla.rpo_hours", kind: Kind::Number, help: "recovery point objective in hours (data stores exist)", example: "24", range: Range::above(0.0, 8760.0, "hours"), choices: &[] },
    KeyInfo { key: "sla.rto_hours", kind: Kind::Number, help: "recovery time objective in hours (data stores exist)", example: "4", range: Range::above(0.0, 8760.0, "hours"), choices: &[] },
    KeyInfo { key: "data.stores", kind: Kind::List, help: "data stores, by service id", example: "postgresql,redis", range: None, choices: &[] },
    KeyInfo { key: "data.backup_frequency", kind: Kind::Text, help: "backup frequency: hourly, daily or weekly", example: "daily", range: None, choices: BACKUP_FREQUENCIES },
    KeyInfo { key: "data.backup_retention_days", kind: Kind::Integer, help: "days backups are kept", example: "30", range: Range::inclusive(1.0, 3650.0, "days"), choices: &[] },
    KeyInfo { key: "alerts.channel", kind: Kind::Text, help: "where alerts go: slack:#chan, email:addr, pagerduty:service, opsgenie:team, teams:channel, webhook:https-url", example: "slack:#ops", range: None, choices: &[] },
    KeyInfo { key: "templates.dir", kind: Kind::Text, help: "folder of template overrides", example: ".infra/templates", range: None, choices: &[] },
    KeyInfo { key: "audit.fail_on", kind: Kind::Text, help: "lowest finding level that fails the audit: error, warning, note", example: "error", range: None, choices: LEVELS },
    KeyInfo { key: "audit.allow_inline_ignores", kind: Kind::Bool, help: "whether inline `infra: ignore[…]` comments are honoured", example: "false", range: None, choices: &[] },
    KeyInfo { key: "audit.max_instance_vcpus", kind: Kind::Integer, help: "most vCPUs one instance may have (oversized-instance)", example: "16", range: Range::inclusive(1.0, 1024.0, "vCPUs"), choices: &[] },
    KeyInfo { key: "audit.docs_url", kind: Kind::Text, help: "https URL where docs/rules.md is published; SARIF and Markdown link each rule's anchor there", example: "https://github.com/acme/infra/blob/v1.0.0/docs/rules.md", range: None, choices: &[] },
];

pub const ENV_FIELDS: &[(&str, Kind, &str)] = &[
    ("branch", Kind::Text, "main"),
    ("url", Kind::Text, "https://example.com"),
    ("approval", Kind::Bool, "true"),
];

/// The environment variable that supplies a dotted key: `sla.latency_p95_ms` ⇒ `INFRA_SLA_LATENCY_P95_MS`.
pub fn env_name(key: &str) -> String {
    let mut out = String::from("INFRA_");
    for c in key.chars() {
        out.push(match c {
            '.' | '-' => '_',
            c => c.to_ascii_uppercase(),
        });
    }
    out
}

/// Set one dotted key on a layer. Returns a message (without the source) on error.
/// `list_explicit` records that the environment list itself was given.
pub fn set(
    layer: &mut InfraToml,
    key: &str,
    raw: &str,
    list_explicit: &mut bool,
) -> Result<(), String> {
    let raw = raw.trim();
    if let Some(rest) = key.strip_prefix("environments.") {
        let Some((env, field)) = rest.split_once('.') else {
            return Err(format!(
                "`{key}` is not a key; per-environment keys are environments.<name>.branch, .url or .approval"
            ));
        };
        let entry = env_entry(layer, env);
        match field {
            "branch" => entry.branch = Some(raw.to_string()),
            "url" => entry.url = Some(raw.to_string()),
            "approval" => entry.approval = Some(parse_bool(raw)?),
            other => {
                return Err(format!(
                    "`{other}` is not an environment key; use branch, url or approval"
                ))
            }
        }
        return Ok(());
    }
    let Some(info) = KEYS.iter().find(|k| k.key == key) else {
        return Err(unknown_key_message(key));
    };
    let text = || Some(raw.to_string());
    match info.key {
        "project.name" => layer.project.get_or_insert_default().name = text(),
        "project.kind" => layer.project.get_or_insert_default().kind = text(),
        "platform.target" => layer.platform.get_or_insert_default().target = text(),
        "platform.region" => layer.platform.get_or_insert_default().region = text(),
        "environments" => {
            let names = parse_list(raw);
            let existing = layer.environments.take().unwrap_or_default();
            let envs = names
                .into_iter()
                .map(|name| {
                    existing.iter().find(|e| e.name == name).cloned().unwrap_or(
                        EnvironmentAnswers {
                            name,
                            ..Default::default()
                        },
                    )
                })
                .collect();
            layer.environments = Some(envs);
            *list_explicit = true;
        }
        "sla.availability" => {
            layer.sla.get_or_insert_default().availability = Some(parse_number(raw)?)
        }
        "sla.latency_p95_ms" => {
            layer.sla.get_or_insert_default().latency_p95_ms = Some(parse_integer(raw)?)
        }
        "sla.error_rate_percent" => {
            layer.sla.get_or_insert_default().error_rate_percent = Some(parse_number(raw)?)
        }
        "sla.rpo_hours" => layer.sla.get_or_insert_default().rpo_hours = Some(parse_number(raw)?),
        "sla.rto_hours" => layer.sla.get_or_insert_default().rto_hours = Some(parse_number(raw)?),
        "data.stores" => layer.data.get_or_insert_default().stores = Some(parse_list(raw)),
        "data.backup_frequency" => layer.data.get_or_insert_default().backup_frequency = text(),
        "data.backup_retention_days" => {
            layer.data.get_or_insert_default().backup_retention_days = Some(parse_integer(raw)?)
        }
        "alerts.channel" => layer.alerts.get_or_insert_default().channel = text(),
        "templates.dir" => layer.templates.get_or_insert_default().dir = text(),
        "audit.fail_on" => layer.audit.get_or_insert_default().fail_on = text(),
        "audit.allow_inline_ignores" => {
            layer.audit.get_or_insert_default().allow_inline_ignores = Some(parse_bool(raw)?)
        }
        "audit.max_instance_vcpus" => {
            layer.audit.get_or_insert_default().max_instance_vcpus = Some(parse_integer(raw)?)
        }
        "audit.docs_url" => layer.audit.get_or_insert_default().docs_url = text(),
        _ => return Err(unknown_key_message(key)),
    }
    Ok(())
}

fn env_entry<'a>(layer: &'a mut InfraToml, name: &str) -> &'a mut EnvironmentAnswers {
    let envs = layer.environments.get_or_insert_default();
    let index = match envs.iter().position(|e| e.name == name) {
        Some(i) => i,
        None => {
            envs.push(EnvironmentAnswers {
                name: name.to_string(),
                ..Default::default()
            });
            envs.len() - 1
        }
    };
    &mut envs[index]
}

pub fn parse_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_number(raw: &str) -> Result<f64, String> {
    raw.trim_end_matches('%')
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("`{raw}` is not a number"))
}

fn parse_integer(raw: &str) -> Result<u32, String> {
    raw.parse::<u32>()
        .map_err(|_| format!("`{raw}` is not a whole number"))
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "on" => Ok(true),
        "false" | "no" | "n" | "0" | "off" => Ok(false),
        _ => Err(format!("`{raw}` is not true or false")),
    }
}

/// "`sla.availabilty` is not a key (did you mean `sla.availability`?)".
pub fn unknown_key_message(key: &str) -> String {
    let best = KEYS
        .iter()
        .map(|k| (strsim::levenshtein(key, k.key), k.key))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= 3 => format!("`{key}` is not a key (did you mean `{k}`?)"),
        _ => format!(
            "`{key}` is not a key; keys are {} and environments.<name>.branch|url|approval",
            KEYS.iter().map(|k| k.key).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_follow_keys() {
        assert_eq!(env_name("sla.latency_p95_ms"), "INFRA_SLA_LATENCY_P95_MS");
        assert_eq!(env_name("platform.target"), "INFRA_PLATFORM_TARGET");
    }

    #[test]
    fn set_parses_by_type() {
        let mut t = InfraToml::default();
        let mut explicit = false;
        set(&mut t, "sla.availability", "99.95", &mut explicit).unwrap();
        set(
            &mut t,
            "environments",
            "dev, staging,production",
            &mut explicit,
        )
        .unwrap();
        set(
            &mut t,
            "environments.production.approval",
            "yes",
            &mut explicit,
        )
        .unwrap();
        assert_eq!(t.sla.unwrap().availability, Some(99.95));
        let envs = t.environments.unwrap();
        assert_eq!(envs.len(), 3);
        assert_eq!(envs[2].approval, Some(true));
        assert!(explicit);
    }

    #[test]
    fn bad_values_and_keys_are_named() {
        let mut t = InfraToml::default();
        let mut e = false;
        let err = set(&mut t, "sla.availability", "high", &mut e).unwrap_err();
        assert!(err.contains("`high` is not a number"), "{err}");
        let err = set(&mut t, "sla.availabilty", "99", &mut e).unwrap_err();
        assert!(err.contains("did you mean `sla.availability`"), "{err}");
        let err = set(&mut t, "environments.prod.colour", "x", &mut e).unwrap_err();
        assert!(err.contains("branch, url or approval"), "{err}");
    }
}
