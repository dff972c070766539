//! Validation of answers, run on every layer (so an error names the source
//! that supplied the bad value) and on the merged result (cross-field rules).

use super::error::Invalid;
use super::keys;
use super::load::Layer;
use super::model::{InfraToml, PROJECT_KINDS};
use crate::context::Context;
use crate::platform::Platform;

pub use super::keys::BACKUP_FREQUENCIES;
pub const ALERT_KINDS: &[&str] = &[
    "slack",
    "email",
    "pagerduty",
    "opsgenie",
    "teams",
    "webhook",
];

/// Check every value a layer supplies, on its own.
pub fn validate_layer(layer: &Layer) -> Vec<Invalid> {
    let mut out = Vec::new();
    let t = &layer.toml;
    let mut bad = |key: &str, message: String| {
        out.push(Invalid {
            key: key.to_string(),
            origin: layer.origin(key),
            message,
        })
    };
    if let Some(name) = t.project.as_ref().and_then(|p| p.name.as_deref()) {
        if let Err(m) = check_project_name(name) {
            bad("project.name", m.to_string());
        }
    }
    if let Some(kind) = t.project.as_ref().and_then(|p| p.kind.as_deref()) {
        if !PROJECT_KINDS.contains(&kind) {
            bad(
                "project.kind",
                format!(
                    "{kind:?} is not a project kind: give {}",
                    PROJECT_KINDS.join(", ")
                ),
            );
        }
    }
    if let Some(p) = &t.platform {
        if let Some(target) = &p.target {
            if let Err(m) = check_platform(target) {
                bad("platform.target", m.to_string());
            }
        }
        if let Some(region) = &p.region {
            if let Err(m) = check_region(region) {
                bad("platform.region", m.to_string());
            }
        }
    }
    if let Some(envs) = &t.environments {
        let mut seen = std::collections::BTreeSet::new();
        for env in envs {
            let key = format!("environments.{}", env.name);
            if let Err(m) = check_environment_name(&env.name) {
                bad(&key, m.to_string());
            }
            if !seen.insert(env.name.as_str()) {
                bad(&key, format!("environment `{}` is listed twice", env.name));
            }
            if let Some(branch) = &env.branch {
                if let Err(m) = check_branch(branch) {
                    bad(&format!("{key}.branch"), m.to_string());
                }
            }
            if let Some(url) = &env.url {
                if let Err(m) = check_url(&env.name, url) {
                    bad(&format!("{key}.url"), m.to_string());
                }
            }
        }
    }
    let mut in_range = |key: &str, v: Option<f64>| {
        let range = keys::info(key).and_then(|i| i.range);
        if let (Some(v), Some(range)) = (v, range) {
            if !range.contains(v) {
                bad(key, format!("{v} is outside {}", range.describe()));
            }
        }
    };
    let sla = t.sla.clone().unwrap_or_default();
    in_range("sla.availability", sla.availability);
    in_range("sla.latency_p95_ms", sla.latency_p95_ms.map(f64::from));
    in_range("sla.error_rate_percent", sla.error_rate_percent);
    in_range("sla.rpo_hours", sla.rpo_hours);
    in_range("sla.rto_hours", sla.rto_hours);
    let data = t.data.clone().unwrap_or_default();
    in_range(
        "data.backup_retention_days",
        data.backup_retention_days.map(f64::from),
    );
    for store in data.stores.iter().flatten() {
        if let Err(m) = check_identifier(store) {
            bad("data.stores", m.to_string());
        }
    }
    if let Some(f) = &data.backup_frequency {
        if !BACKUP_FREQUENCIES.contains(&f.as_str()) {
            bad(
                "data.backup_frequency",
                format!("`{f}` is not one of {}", BACKUP_FREQUENCIES.join(", ")),
            );
        }
    }
    if let Some(channel) = t.alerts.as_ref().and_then(|a| a.channel.as_deref()) {
        if let Err(m) = check_alert_channel(channel) {
            bad("alerts.channel", m.to_string());
        }
    }
    if let Some(dir) = t.templates.as_ref().and_then(|t| t.dir.as_deref()) {
        if let Err(m) = check_relative_dir(dir) {
            bad("templates.dir", m.to_string());
        }
    }
    // `[audit]` is the audit's to validate (its settings module), for
    // every command: only its raw shape belongs to the answers.
    out
}

/// Rules that need the merged answers.
pub fn validate_merged(t: &InfraToml, origin_of: &dyn Fn(&str) -> String) -> Vec<Invalid> {
    let mut out = Vec::new();
    if let Some(envs) = &t.environments {
        for required in ["staging", "production"] {
            if !envs.iter().any(|e| e.name == required) {
                out.push(Invalid {
                    key: "environments".into(),
                    origin: origin_of("environments"),
                    message: format!(
                        "`{required}` is missing: the checklist requires dev, staging and production (got {})",
                        envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        // The later environment (in the list's order, the order prompts ask
        // in) is the one that repeats a branch, so it is the one named.
        let mut first: std::collections::BTreeMap<&str, &str> = Default::default();
        for env in envs {
            let Some(branch) = env.branch.as_deref() else {
                continue;
            };
            match first.get(branch) {
                Some(earlier) => {
                    let key = format!("environments.{}.branch", env.name);
                    out.push(Invalid {
                        origin: origin_of(&key),
                        key,
                        message: format!(
                            "branch `{branch}` already deploys {earlier}; give {} its own branch",
                            env.name
                        ),
                    });
                }
                None => {
                    first.insert(branch, env.name.as_str());
                }
            }
        }
    }
    if let Some(problem) = region_problem(t) {
        out.push(Invalid {
            key: "platform.region".into(),
            origin: origin_of("platform.region"),
            message: problem,
        });
    }
    let stores = t.data.as_ref().and_then(|d| d.stores.as_ref());
    let has_stores = stores.is_some_and(|s| !s.is_empty());
    let frequency = t.data.as_ref().and_then(|d| d.backup_frequency.as_deref());
    let rpo = t.sla.as_ref().and_then(|s| s.rpo_hours);
    if let (true, Some(frequency), Some(rpo)) = (has_stores, frequency, rpo) {
        if let Some(interval) = backup_interval_hours(frequency).filter(|i| *i > rpo) {
            let faster = BACKUP_FREQUENCIES
                .iter()
                .filter(|f| backup_interval_hours(f).is_some_and(|i| i <= rpo))
                .copied()
                .collect::<Vec<_>>();
            let advice = match faster.as_slice() {
                [] => "raise sla.rpo_hours".to_string(),
                some => format!("back up {} or raise sla.rpo_hours", some.join(" or ")),
            };
            out.push(Invalid {
                key: "data.backup_frequency".into(),
                origin: origin_of("data.backup_frequency"),
                message: format!(
                    "{frequency} backups can lose up to {interval} hours of data, more than the RPO (sla.rpo_hours = {rpo}{}); {advice}",
                    at(&origin_of("sla.rpo_hours"))
                ),
            });
        }
    }
    out
}

/// ` from infra.toml:3:4`, or nothing when the origin is unknown.
fn at(origin: &str) -> String {
    if origin.is_empty() {
        String::new()
    } else {
        format!(", from {origin}")
    }
}

/// Hours between two backups.
pub fn backup_interval_hours(frequency: &str) -> Option<f64> {
    match frequency {
        "hourly" => Some(1.0),
        "daily" => Some(24.0),
        "weekly" => Some(168.0),
        _ => None,
    }
}

/// Why `platform.region` is not a region of `platform.target`, if it is not.
pub fn region_problem(t: &InfraToml) -> Option<String> {
    let p = t.platform.as_ref()?;
    let platform = Platform::parse(p.target.as_deref()?)?;
    let region = p.region.as_deref()?;
    check_region_of(platform, region).err()
}

/// A region must be one the platform has (the list in src/platform/<id>.rs).
pub fn check_region_of(platform: Platform, region: &str) -> Result<(), String> {
    let known = platform.regions();
    if known.is_empty() || known.contains(&region) {
        return Ok(());
    }
    let nearest = known
        .iter()
        .map(|r| (strsim::levenshtein(region, r), *r))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= 3)
        .map(|(_, r)| format!(" (did you mean `{r}`?)"))
        .unwrap_or_default();
    Err(format!(
        "`{region}` is not a region of {}{nearest}; its regions: {} (a newer region goes in src/platform/{}.rs)",
        platform.display_name(),
        known.join(", "),
        platform.id()
    ))
}

/// Answers that are allowed but contradict each other or the checklist: said
/// as warnings, with the reason and what to change.
pub fn warnings(t: &InfraToml, ctx: &Context, origin_of: &dyn Fn(&str) -> String) -> Vec<Invalid> {
    let mut out = Vec::new();
    let mut warn = |key: String, message: String| {
        out.push(Invalid {
            origin: origin_of(&key),
            key,
            message,
        })
    };
    let envs = t.environments.as_deref().unwrap_or_default();
    if let Some(production) = envs.iter().find(|e| e.name == "production") {
        if production.approval == Some(false) {
            warn(
                "environments.production.approval".into(),
                "deploys to production do not wait for a reviewer: every push to its branch goes live unreviewed (checklist §3); set it to true unless another gate exists".into(),
            );
        }
    }
    let mut urls: std::collections::BTreeMap<&str, &str> = Default::default();
    for env in envs {
        let Some(url) = env.url.as_deref() else {
            continue;
        };
        match urls.get(url) {
            Some(earlier) => warn(
                format!("environments.{}.url", env.name),
                format!(
                    "`{url}` is also {earlier}'s URL: a smoke test or a rollback aimed at one reaches the other; give each environment its own"
                ),
            ),
            None => {
                urls.insert(url, env.name.as_str());
            }
        }
    }
    let stores = t
        .data
        .as_ref()
        .and_then(|d| d.stores.clone())
        .unwrap_or_default();
    let rto = t.sla.as_ref().and_then(|s| s.rto_hours);
    let platform = t
        .platform
        .as_ref()
        .and_then(|p| p.target.as_deref())
        .and_then(Platform::parse);
    if let (Some(rto), Some(platform), Some(store)) = (rto, platform, stores.first()) {
        if rto < 1.0 {
            let kind = ctx
                .service(store)
                .map_or(crate::model::ServiceKind::Database, |s| s.kind);
            let restore = platform.hosting(store, kind).restore;
            warn(
                "sla.rto_hours".into(),
                format!(
                    "an RTO of {rto} hours is shorter than a restore from backup takes (the runbook's restore of {store} on {}: {restore}); keep a standby replica to fail over to, or raise sla.rto_hours",
                    platform.display_name()
                ),
            );
        }
    }
    out
}

/// Why one answer's value is not acceptable; the message names the value
/// and what would be. Prompts show it and ask again; layers turn it into an
/// [`Invalid`] naming the key and its source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("`{value}` is not a platform; choose one of {}", Platform::ids())]
    Platform { value: String },
    #[error("the project name is empty")]
    EmptyProjectName,
    #[error("the project name must be one line of at most 100 characters")]
    ProjectNameShape,
    #[error(
        "`{value}` is not a region name (lowercase letters, digits and dashes, e.g. eu-west-1)"
    )]
    Region { value: String },
    #[error("`{value}` is not an environment name (lowercase letters, digits and dashes, starting with a letter)")]
    EnvironmentName { value: String },
    #[error("`{value}` is not a service id (e.g. postgresql, redis)")]
    ServiceId { value: String },
    #[error("`{value}` is not a valid git branch name")]
    Branch { value: String },
    #[error("`{url}` is not a URL (expected https://host/…)")]
    NotUrl { url: String },
    #[error("`{url}` has no host")]
    NoHost { url: String },
    #[error("`{url}` uses http; {env} must use https (checklist §5.2)")]
    PlainHttp { url: String, env: String },
    #[error("`{url}` uses `{scheme}`; use https")]
    Scheme { url: String, scheme: String },
    #[error("`{channel}` is not KIND:TARGET; use one of {} (e.g. slack:#ops)", ALERT_KINDS.join(", "))]
    AlertShape { channel: String },
    #[error("`{kind}` is not an alert channel kind; use one of {}", ALERT_KINDS.join(", "))]
    AlertKind { kind: String },
    #[error("`{channel}` names no target after `{kind}:`")]
    AlertTarget { channel: String, kind: String },
    #[error("`{target}` is not an e-mail address")]
    Email { target: String },
    #[error("`{target}`: webhooks must be https URLs")]
    Webhook { target: String },
    #[error("`{dir}` must be a folder inside the repository (no absolute path, no `..`)")]
    RelativeDir { dir: String },
}

/// Prompt validators speak in messages.
impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        e.to_string()
    }
}

pub fn check_platform(target: &str) -> Result<Platform, ValueError> {
    Platform::parse(target).ok_or_else(|| ValueError::Platform {
        value: target.to_string(),
    })
}

fn check_project_name(name: &str) -> Result<(), ValueError> {
    if name.trim().is_empty() {
        return Err(ValueError::EmptyProjectName);
    }
    if name.chars().any(char::is_control) || name.chars().count() > 100 {
        return Err(ValueError::ProjectNameShape);
    }
    Ok(())
}

fn check_region(region: &str) -> Result<(), ValueError> {
    let ok = !region.is_empty()
        && region.len() <= 40
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ValueError::Region {
            value: region.to_string(),
        })
    }
}

pub fn check_environment_name(name: &str) -> Result<(), ValueError> {
    let ok = name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ValueError::EnvironmentName {
            value: name.to_string(),
        })
    }
}

fn check_identifier(id: &str) -> Result<(), ValueError> {
    check_environment_name(id).map_err(|_| ValueError::ServiceId {
        value: id.to_string(),
    })
}

/// The rules of `git check-ref-format --branch`.
pub fn check_branch(branch: &str) -> Result<(), ValueError> {
    let invalid = branch.is_empty()
        || branch.starts_with('-')
        || branch.starts_with('/')
        || branch.ends_with('/')
        || branch.ends_with('.')
        || branch.ends_with(".lock")
        || branch.contains("..")
        || branch.contains("//")
        || branch.contains("@{")
        || branch == "@"
        || branch.split('/').any(|part| part.starts_with('.'))
        || branch
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c));
    if invalid {
        Err(ValueError::Branch {
            value: branch.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Outside dev, URLs must be https (checklist §5.2).
pub fn check_url(env: &str, url: &str) -> Result<(), ValueError> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| ValueError::NotUrl {
        url: url.to_string(),
    })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return Err(ValueError::NoHost {
            url: url.to_string(),
        });
    }
    match scheme {
        "https" => Ok(()),
        "http" if env == "dev" => Ok(()),
        "http" => Err(ValueError::PlainHttp {
            url: url.to_string(),
            env: env.to_string(),
        }),
        other => Err(ValueError::Scheme {
            url: url.to_string(),
            scheme: other.to_string(),
        }),
    }
}

pub fn check_alert_channel(channel: &str) -> Result<(), ValueError> {
    let (kind, target) = channel
        .split_once(':')
        .ok_or_else(|| ValueError::AlertShape {
            channel: channel.to_string(),
        })?;
    if !ALERT_KINDS.contains(&kind) {
        return Err(ValueError::AlertKind {
            kind: kind.to_string(),
        });
    }
    let target = target.trim();
    if target.is_empty() {
        return Err(ValueError::AlertTarget {
            channel: channel.to_string(),
            kind: kind.to_string(),
        });
    }
    match kind {
        "email" if !target.contains('@') => Err(ValueError::Email {
            target: target.to_string(),
        }),
        "webhook" if !target.starts_with("https://") => Err(ValueError::Webhook {
            target: target.to_string(),
        }),
        _ => Ok(()),
    }
}

fn check_relative_dir(dir: &str) -> Result<(), ValueError> {
    let path = std::path::Path::new(dir);
    if path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        Err(ValueError::RelativeDir {
            dir: dir.to_string(),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_follow_git_rules() {
        for ok in ["main", "develop", "release/2026", "feat-x"] {
            assert!(check_branch(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "-x", "a..b", "a b", "x.lock", "a/", "@", "a~1", ".hidden", "a//b",
        ] {
            assert!(check_branch(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_https_outside_dev() {
        assert!(check_url("production", "https://example.com").is_ok());
        assert!(check_url("dev", "http://localhost:3000").is_ok());
        assert!(matches!(
            check_url("staging", "http://staging.example.com"),
            Err(ValueError::PlainHttp { .. })
        ));
        assert!(check_url("production", "example.com").is_err());
        assert!(check_url("production", "https:///path").is_err());
    }

    #[test]
    fn alert_channels_are_kind_and_target() {
        assert!(check_alert_channel("slack:#ops").is_ok());
        assert!(check_alert_channel("email:oncall@example.com").is_ok());
        assert_eq!(
            check_alert_channel("email:oncall").unwrap_err().to_string(),
            "`oncall` is not an e-mail address"
        );
        assert!(check_alert_channel("carrier-pigeon:x").is_err());
        assert!(check_alert_channel("slack").is_err());
    }

    #[test]
    fn merged_needs_staging_and_production_and_distinct_branches() {
        let t: InfraToml = toml::from_str(
            "[[environments]]\nname = \"dev\"\n[[environments]]\nname = \"production\"\nbranch = \"main\"\n[[environments]]\nname = \"qa\"\nbranch = \"main\"\n",
        )
        .unwrap();
        let errors = validate_merged(&t, &|_| "infra.toml".to_string());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("`staging` is missing"));
        assert!(errors[1].message.contains("already deploys production"));
    }

    #[test]
    fn a_repeated_branch_is_blamed_on_the_later_environment() {
        let t: InfraToml = toml::from_str(
            "[[environments]]\nname = \"staging\"\nbranch = \"develop\"\n[[environments]]\nname = \"production\"\nbranch = \"develop\"\n",
        )
        .unwrap();
        let errors = validate_merged(&t, &|_| String::new());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "environments.production.branch");
        assert!(
            errors[0]
                .message
                .contains("`develop` already deploys staging; give production its own"),
            "{errors:?}"
        );
    }

    #[test]
    fn regions_must_be_the_platforms_own() {
        let t = |target: &str, region: &str| -> InfraToml {
            toml::from_str(&format!(
                "[platform]\ntarget = \"{target}\"\nregion = \"{region}\"\n"
            ))
            .unwrap()
        };
        let errors = validate_merged(&t("aws", "mars-central-9"), &|_| "infra.toml:3:10".into());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "platform.region");
        assert!(
            errors[0]
                .message
                .contains("`mars-central-9` is not a region of AWS"),
            "{errors:?}"
        );
        assert!(
            errors[0].message.contains("src/platform/aws.rs"),
            "{errors:?}"
        );
        let errors = validate_merged(&t("aws", "eu-wst-1"), &|_| String::new());
        assert!(
            errors[0].message.contains("did you mean `eu-west-1`"),
            "{errors:?}"
        );
        // A GCP region is not an AWS one.
        assert_eq!(
            validate_merged(&t("aws", "europe-west1"), &|_| String::new()).len(),
            1
        );
        for (target, region) in [
            ("aws", "eu-west-1"),
            ("gcp", "europe-west1"),
            ("azure", "westeurope"),
            ("fly", "ams"),
        ] {
            assert!(
                validate_merged(&t(target, region), &|_| String::new()).is_empty(),
                "{target} {region}"
            );
        }
    }

    #[test]
    fn backups_must_be_at_least_as_frequent_as_the_rpo() {
        let t = |frequency: &str, rpo: f64| -> InfraToml {
            toml::from_str(&format!(
                "[sla]\nrpo_hours = {rpo}\n[data]\nstores = [\"postgresql\"]\nbackup_frequency = \"{frequency}\"\n"
            ))
            .unwrap()
        };
        let origin = |k: &str| {
            if k == "sla.rpo_hours" {
                "infra.toml:2:13".to_string()
            } else {
                String::new()
            }
        };
        let errors = validate_merged(&t("weekly", 24.0), &origin);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "data.backup_frequency");
        assert!(
            errors[0].message.contains("weekly backups can lose up to 168 hours of data, more than the RPO (sla.rpo_hours = 24, from infra.toml:2:13); back up hourly or daily"),
            "{errors:?}"
        );
        assert!(validate_merged(&t("daily", 24.0), &origin).is_empty());
        assert!(validate_merged(&t("weekly", 168.0), &origin).is_empty());
        assert_eq!(validate_merged(&t("daily", 4.0), &origin).len(), 1);
    }

    #[test]
    fn contradictions_that_are_allowed_are_warned_about() {
        let t: InfraToml = toml::from_str(
            "[platform]\ntarget = \"aws\"\n[[environments]]\nname = \"staging\"\nurl = \"https://x.example\"\n[[environments]]\nname = \"production\"\nurl = \"https://x.example\"\napproval = false\n[sla]\nrto_hours = 0.5\n[data]\nstores = [\"postgresql\"]\n",
        )
        .unwrap();
        let w = warnings(&t, &Context::default(), &|_| String::new());
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "environments.production.approval",
                "environments.production.url",
                "sla.rto_hours"
            ],
            "{w:?}"
        );
        assert!(
            w[2].message.contains("Amazon RDS") || w[2].message.contains("restore-db-instance"),
            "{w:?}"
        );
        let fine: InfraToml = toml::from_str(
            "[[environments]]\nname = \"production\"\napproval = true\n[sla]\nrto_hours = 4\n",
        )
        .unwrap();
        assert!(warnings(&fine, &Context::default(), &|_| String::new()).is_empty());
    }
}
