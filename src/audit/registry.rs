//! The one list of audit rules. `infra rules`, `infra explain`, docs/rules.md
//! (checked by a test) and every report read it from here.

use super::diagnostics;
use super::meta::RuleMeta;
use super::rule::Rule;
use super::rules;

/// Every rule, in checklist order. Adding a rule means adding it here.
pub static RULES: &[&dyn Rule] = &[
    &rules::readme_missing::ReadmeMissing,
    &rules::projectplan_missing::ProjectplanMissing,
    &rules::infra_answers_missing::InfraAnswersMissing,
    &rules::environments_incomplete::EnvironmentsIncomplete,
    &rules::staging_parity::StagingParity,
    &rules::environment_config_mixed::EnvironmentConfigMixed,
    &rules::env_file_committed::EnvFileCommitted,
    &rules::env_example_missing::EnvExampleMissing,
    &rules::env_example_incomplete::EnvExampleIncomplete,
    &rules::env_example_has_value::EnvExampleHasValue,
    &rules::config_doc_missing::ConfigDocMissing,
    &rules::nonprod_live_credentials::NonprodLiveCredentials,
    &rules::config_var_undocumented::ConfigVarUndocumented,
    &rules::ci_missing::CiMissing,
    &rules::ci_no_build::CiNoBuild,
    &rules::ci_no_tests::CiNoTests,
    &rules::ci_no_lint::CiNoLint,
    &rules::deploy_not_gated_on_tests::DeployNotGatedOnTests,
    &rules::deploy_ad_hoc_script::DeployAdHocScript,
    &rules::deploy_doc_missing::DeployDocMissing,
    &rules::deploy_no_rollback::DeployNoRollback,
    &rules::branch_mapping_undocumented::BranchMappingUndocumented,
    &rules::deploy_unreviewed_branch::DeployUnreviewedBranch,
    &rules::zero_downtime_strategy::ZeroDowntimeStrategy,
    &rules::logging_missing::LoggingMissing,
    &rules::log_sensitive_data::LogSensitiveData,
    &rules::log_context_missing::LogContextMissing,
    &rules::metrics_missing::MetricsMissing,
    &rules::dashboards_missing::DashboardsMissing,
    &rules::alerts_missing::AlertsMissing,
    &rules::alert_not_actionable::AlertNotActionable,
    &rules::hardcoded_secret::HardcodedSecret,
    &rules::secret_in_history::SecretInHistory,
    &rules::workflow_secret_exposure::WorkflowSecretExposure,
    &rules::admin_interface_exposed::AdminInterfaceExposed,
    &rules::plaintext_http::PlaintextHttp,
    &rules::security_headers_missing::SecurityHeadersMissing,
    &rules::dependency_updates_missing::DependencyUpdatesMissing,
    &rules::vulnerability_scan_missing::VulnerabilityScanMissing,
    &rules::dependency_unvetted_source::DependencyUnvettedSource,
    &rules::eol_runtime::EolRuntime,
    &rules::backups_undocumented::BackupsUndocumented,
    &rules::unbounded_resources::UnboundedResources,
    &rules::oversized_instance::OversizedInstance,
    &rules::rate_limiting_missing::RateLimitingMissing,
    &rules::cache_invalidation_undocumented::CacheInvalidationUndocumented,
    &rules::overview_doc_missing::OverviewDocMissing,
    &rules::runbook_missing::RunbookMissing,
    &rules::change_env_undeclared::ChangeEnvUndeclared,
    &rules::change_dependency_undocumented::ChangeDependencyUndocumented,
    &rules::change_ci_not_updated::ChangeCiNotUpdated,
    &rules::change_logging_missing::ChangeLoggingMissing,
    &rules::change_no_rollback::ChangeNoRollback,
];

/// The rules that read only the change under review (checklist §8): they
/// run in diff mode (`--base`, `--staged`) and are not applicable otherwise.
pub const CHANGE_RULES: &[&str] = &[
    "change-env-undeclared",
    "change-dependency-undocumented",
    "change-ci-not-updated",
    "change-logging-missing",
    "change-no-rollback",
];

pub fn is_change_rule(id: &str) -> bool {
    CHANGE_RULES.contains(&id)
}

/// What `--staged` runs: the change rules, and the rules that judge a file
/// on its own content (a secret in it, a value in an example env file, a
/// workflow's script), so the staged files alone decide them. Rules that
/// weigh the whole repository (is there a runbook, does CI test it) would
/// judge a partial copy wrongly and end unknown instead.
pub const STAGED: &[&str] = &[
    "hardcoded-secret",
    "env-file-committed",
    "env-example-has-value",
    "log-sensitive-data",
    "workflow-secret-exposure",
    "eol-runtime",
    "dependency-unvetted-source",
    "change-env-undeclared",
    "change-dependency-undocumented",
    "change-ci-not-updated",
    "change-logging-missing",
    "change-no-rollback",
];

/// Rules that judge a deployed service: its environments, its deploy and
/// rollback docs, its runtime (logs, metrics, alerts, dashboards, runbooks,
/// backups, headers, rate limits). Not applicable when infra.toml says the
/// repository is a `cli` or a `library` (`[project] kind`), which deploys
/// nothing. The rules over CI deploy steps stay: a deploy they find is a
/// deploy, whatever the kind says.
pub const NEEDS_A_DEPLOYMENT: &[&str] = &[
    "environments-incomplete",
    "environment-config-mixed",
    "staging-parity",
    "nonprod-live-credentials",
    "branch-mapping-undocumented",
    "deploy-doc-missing",
    "zero-downtime-strategy",
    "overview-doc-missing",
    "logging-missing",
    "log-context-missing",
    "metrics-missing",
    "alerts-missing",
    "alert-not-actionable",
    "dashboards-missing",
    "runbook-missing",
    "backups-undocumented",
    "cache-invalidation-undocumented",
    "security-headers-missing",
    "rate-limiting-missing",
    "oversized-instance",
];

/// Rules then engine diagnostics: everything with an id a user can see.
pub fn all_meta() -> impl Iterator<Item = &'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .chain(diagnostics::ALL.iter().copied())
}

/// What the rule `id` does per file class, in words (empty: checks every
/// class alike, or not a line rule).
pub fn class_policy(id: &str) -> String {
    RULES
        .iter()
        .find(|r| r.meta().id == id)
        .map(|r| super::rule::describe_policy(r.class_policy()))
        .unwrap_or_default()
}

pub fn find(id: &str) -> Option<&'static RuleMeta> {
    all_meta().find(|m| m.id == id)
}

/// The closest known id, for "did you mean" (None when nothing is close).
pub fn suggest(id: &str) -> Option<&'static str> {
    all_meta()
        .map(|m| (strsim::jaro_winkler(id, m.id), m.id))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

/// Title of a checklist section, for summaries.
pub fn section_title(section: &str) -> &'static str {
    match section.split('.').next().unwrap_or("") {
        "0" => "Audit inputs",
        "1" => "Project context",
        "2" => "Environments and configuration",
        "3" => "CI/CD and deployment",
        "4" => "Observability",
        "5" => "Security and hardening",
        "6" => "Cost and performance",
        "7" => "Documentation",
        "8" => "Changes that touch infra",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = all_meta().map(|m| m.id).collect();
        for id in &ids {
            assert!(
                !id.is_empty()
                    && id.split('-').all(|p| !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{id} is not kebab-case"
            );
        }
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(n, ids.len(), "duplicate rule ids");
    }

    #[test]
    fn metadata_is_complete() {
        for m in all_meta() {
            for (what, v) in [
                ("section", m.section),
                ("description", m.description),
                ("applies", m.applies),
                ("rationale", m.rationale),
                ("detection", m.detection),
                ("fix", m.fix),
                ("fail_example", m.fail_example),
                ("pass_example", m.pass_example),
            ] {
                assert!(!v.trim().is_empty(), "{}: empty {what}", m.id);
            }
            if m.fixed_by_init {
                assert!(
                    m.fix.contains("infra init") || m.fix.contains("infra update"),
                    "{}",
                    m.id
                );
            }
        }
    }

    /// `readme-missing` lives in `src/audit/rules/readme_missing.rs`: every
    /// registered rule is declared in the file named after its id, and every
    /// file in the folder is a registered rule.
    #[test]
    fn rule_files_are_named_after_their_ids() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/audit/rules");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "mod.rs")
            .collect();
        files.sort();
        let mut wanted: Vec<String> = RULES
            .iter()
            .map(|r| format!("{}.rs", r.meta().id.replace('-', "_")))
            .collect();
        wanted.sort();
        assert_eq!(files, wanted, "files in src/audit/rules vs registered ids");
        for rule in RULES {
            let module = rule.module().rsplit("::").next().unwrap_or("");
            assert_eq!(
                module,
                rule.meta().id.replace('-', "_"),
                "{} is declared in {}",
                rule.meta().id,
                rule.module()
            );
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("readme-mising"), Some("readme-missing"));
        assert_eq!(suggest("zzzz"), None);
    }
}
