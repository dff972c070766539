//! `[audit]` in infra.toml, validated once for every command. The raw
//! table ([`AuditAnswers`], part of infra.toml's shape in `answers`) is
//! validated here into typed [`Settings`]; `infra audit` runs with them and
//! `init`, `update`, `plan` and `check` reject the same mistakes with the
//! same messages. Every error points at `infra.toml:LINE:COL`.
//!
//! Levels are spelled exactly as documented (`error`, `warning`, `note`;
//! `off` for a rule); a near miss such as `warn` gets a "did you mean".

use super::baseline::Baseline;
use super::registry;
use super::suppress::{ConfigIgnore, IgnoreError};
use crate::answers::model::AuditAnswers;
use crate::answers::InfraToml;
use crate::model::{Level, Location};
use std::collections::BTreeMap;

/// A rule's configured level, from `[audit.rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    Level(Level),
    Off,
}

impl RuleSetting {
    /// `error`, `warning`, `note` or `off`, exactly.
    pub fn parse(s: &str) -> Option<RuleSetting> {
        if s == "off" {
            Some(RuleSetting::Off)
        } else {
            Level::parse(s).map(RuleSetting::Level)
        }
    }
}

/// How to run: thresholds, ignores, baseline. Built from `infra.toml`
/// ([`Settings::from_answers`]) and flags.
#[derive(Debug, Clone)]
pub struct Settings {
    pub fail_on: Level,
    pub allow_inline_ignores: bool,
    pub config_ignores: Vec<ConfigIgnore>,
    pub overrides: BTreeMap<String, RuleSetting>,
    /// `--no-ignores`: report everything, suppress nothing.
    pub no_ignores: bool,
    /// `--staged`: only the rules in [`super::registry::STAGED`] run.
    pub staged: bool,
    /// `--baseline FILE`: the parsed file and how to name it in reports.
    pub baseline: Option<(Baseline, String)>,
    /// `max_instance_vcpus`: the ceiling oversized-instance holds every
    /// instance to (`None`: only environments are compared).
    pub max_instance_vcpus: Option<u32>,
    /// `docs_url`: where docs/rules.md is published, validated.
    pub docs_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fail_on: Level::Error,
            allow_inline_ignores: true,
            config_ignores: Vec::new(),
            overrides: BTreeMap::new(),
            no_ignores: false,
            staged: false,
            baseline: None,
            max_instance_vcpus: None,
            docs_url: None,
        }
    }
}

/// A mistake in `[audit]`. `at` is where: `infra.toml:LINE:COL`, or the
/// source that supplied the value instead (`--set audit.fail_on`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{at}: [audit] fail_on = {value:?} is not one of error, warning, note{hint}")]
    FailOn {
        at: Location,
        value: String,
        hint: Hint,
    },
    #[error("{at}: [audit.rules] names unknown rule {rule:?}{hint}")]
    UnknownRule {
        at: Location,
        rule: String,
        hint: Hint,
    },
    #[error(
        "{at}: [audit.rules] {rule} = {value:?} is not one of error, warning, note, off{hint}"
    )]
    RuleLevel {
        at: Location,
        rule: String,
        value: String,
        hint: Hint,
    },
    #[error(
        "{at}: [audit] max_instance_vcpus = {value} is outside {MIN_VCPUS} to {MAX_VCPUS} (vCPUs)"
    )]
    MaxInstanceVcpus { at: Location, value: u32 },
    #[error("{at}: [audit] docs_url = {value:?} is not an https URL without a fragment (e.g. \"https://github.com/acme/infra/blob/v1.0.0/docs/rules.md\"): reports link each rule at `<docs_url>#<rule-id>`")]
    DocsUrl { at: Location, value: String },
    #[error("{at}: [[audit.ignore]] names unknown rule {rule:?}{hint}")]
    IgnoreUnknownRule {
        at: Location,
        rule: String,
        hint: Hint,
    },
    #[error("{at}: [[audit.ignore]] for {rule} needs a non-empty reason")]
    IgnoreWithoutReason { at: Location, rule: String },
    #[error("{at}: [[audit.ignore]] {source}")]
    IgnorePaths {
        at: Location,
        #[source]
        source: IgnoreError,
    },
}

impl SettingsError {
    /// Where in infra.toml.
    pub fn location(&self) -> &Location {
        match self {
            SettingsError::FailOn { at, .. }
            | SettingsError::UnknownRule { at, .. }
            | SettingsError::RuleLevel { at, .. }
            | SettingsError::MaxInstanceVcpus { at, .. }
            | SettingsError::DocsUrl { at, .. }
            | SettingsError::IgnoreUnknownRule { at, .. }
            | SettingsError::IgnoreWithoutReason { at, .. }
            | SettingsError::IgnorePaths { at, .. } => at,
        }
    }
}

/// ` (did you mean "x"?)`, or nothing when no known value is close.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hint(Option<&'static str>);

impl Hint {
    fn rule(id: &str) -> Hint {
        Hint(registry::suggest(id))
    }

    fn value(value: &str, known: &[&'static str]) -> Hint {
        let lower = value.trim().to_ascii_lowercase();
        Hint(
            known
                .iter()
                .map(|k| (strsim::jaro_winkler(&lower, k), *k))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| k),
        )
    }
}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(s) => write!(f, " (did you mean {s:?}?)"),
            None => Ok(()),
        }
    }
}

const LEVELS: &[&str] = &["error", "warning", "note"];
/// The range `max_instance_vcpus` accepts.
const MIN_VCPUS: u32 = 1;
const MAX_VCPUS: u32 = 1024;
const RULE_SETTINGS: &[&str] = &["error", "warning", "note", "off"];

impl Settings {
    /// Validate `[audit]` (`None`: not written, the defaults). `text` is
    /// infra.toml as written, to locate errors; the first error is returned.
    pub fn from_answers(
        audit: Option<&AuditAnswers>,
        text: &str,
    ) -> Result<Settings, SettingsError> {
        Settings::validate(audit, text, &|_| None)
    }

    /// [`Settings::from_answers`] for merged answers, whose values may come
    /// from elsewhere than infra.toml: `elsewhere(dotted key)` names that
    /// source (`--set audit.fail_on`), and errors point there instead.
    pub fn validate(
        audit: Option<&AuditAnswers>,
        text: &str,
        elsewhere: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        let mut s = Settings::default();
        let Some(a) = audit else {
            return Ok(s);
        };
        if let Some(f) = &a.fail_on {
            s.fail_on = Level::parse(f).ok_or_else(|| SettingsError::FailOn {
                at: elsewhere("audit.fail_on")
                    .map_or_else(|| locate(text, "fail_on"), Location::file),
                value: f.clone(),
                hint: Hint::value(f, LEVELS),
            })?;
        }
        if let Some(allow) = a.allow_inline_ignores {
            s.allow_inline_ignores = allow;
        }
        if let Some(v) = a.max_instance_vcpus {
            if !(MIN_VCPUS..=MAX_VCPUS).contains(&v) {
                return Err(SettingsError::MaxInstanceVcpus {
                    at: elsewhere("audit.max_instance_vcpus")
                        .map_or_else(|| locate(text, "max_instance_vcpus"), Location::file),
                    value: v,
                });
            }
            s.max_instance_vcpus = Some(v);
        }
        if let Some(url) = &a.docs_url {
            let rest = url.strip_prefix("https://").unwrap_or("");
            let host = rest.split('/').next().unwrap_or("");
            if host.is_empty()
                || url.contains('#')
                || url.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(SettingsError::DocsUrl {
                    at: elsewhere("audit.docs_url")
                        .map_or_else(|| locate(text, "docs_url"), Location::file),
                    value: url.clone(),
                });
            }
            s.docs_url = Some(url.clone());
        }
        for (id, value) in &a.rules {
            if registry::find(id).is_none() {
                return Err(SettingsError::UnknownRule {
                    at: locate(text, id),
                    rule: id.clone(),
                    hint: Hint::rule(id),
                });
            }
            let setting = RuleSetting::parse(value).ok_or_else(|| SettingsError::RuleLevel {
                at: locate(text, id),
                rule: id.clone(),
                value: value.clone(),
                hint: Hint::value(value, RULE_SETTINGS),
            })?;
            s.overrides.insert(id.clone(), setting);
        }
        let mut search_from = 0;
        for ig in &a.ignore {
            let found = find_from(text, &format!("\"{}\"", ig.rule), search_from)
                .or_else(|| find_from(text, &ig.rule, search_from));
            if let Some(off) = found {
                search_from = off + 1;
            }
            let (line, col) = found.map_or((0, 0), |off| line_col(text, off));
            let at = Location::new("infra.toml", line, col);
            if ig.rule != "*" && registry::find(&ig.rule).is_none() {
                return Err(SettingsError::IgnoreUnknownRule {
                    at,
                    rule: ig.rule.clone(),
                    hint: Hint::rule(&ig.rule),
                });
            }
            if ig.reason.trim().is_empty() {
                return Err(SettingsError::IgnoreWithoutReason {
                    at,
                    rule: ig.rule.clone(),
                });
            }
            let ci = ConfigIgnore::new(&ig.rule, &ig.paths, &ig.reason, at.clone())
                .map_err(|source| SettingsError::IgnorePaths { at, source })?;
            s.config_ignores.push(ci);
        }
        Ok(s)
    }

    /// [`Settings::from_answers`] for a whole infra.toml.
    pub fn from_infra_toml(toml: &InfraToml, text: &str) -> Result<Settings, SettingsError> {
        Settings::from_answers(toml.audit.as_ref(), text)
    }
}

fn find_from(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| i + from)
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// `infra.toml:LINE:COL` of the first occurrence of `needle`, or `infra.toml`.
fn locate(text: &str, needle: &str) -> Location {
    match text.find(needle) {
        Some(off) => {
            let (l, c) = line_col(text, off);
            Location::new("infra.toml", l, c)
        }
        None => Location::file("infra.toml"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<Settings, SettingsError> {
        let toml: InfraToml = toml::from_str(text).unwrap();
        Settings::from_infra_toml(&toml, text)
    }

    #[test]
    fn documented_values_are_accepted() {
        let s = settings(
            "[audit]\nfail_on = \"warning\"\nallow_inline_ignores = false\n\n[audit.rules]\nreadme-missing = \"off\"\nplaintext-http = \"error\"\n",
        )
        .unwrap();
        assert_eq!(s.fail_on, Level::Warning);
        assert!(!s.allow_inline_ignores);
        assert_eq!(s.overrides["readme-missing"], RuleSetting::Off);
        assert_eq!(
            s.overrides["plaintext-http"],
            RuleSetting::Level(Level::Error)
        );
    }

    #[test]
    fn warn_is_not_a_level_but_gets_a_suggestion() {
        let e = settings("[project]\nname = \"x\"\n\n[audit]\nfail_on = \"warn\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "infra.toml:5:1: [audit] fail_on = \"warn\" is not one of error, warning, note (did you mean \"warning\"?)"
        );
        assert_eq!(e.location(), &Location::new("infra.toml", 5, 1));
        let e = settings("[audit.rules]\nreadme-missing = \"Error\"\n").unwrap_err();
        assert!(
            matches!(&e, SettingsError::RuleLevel { value, .. } if value == "Error"),
            "{e}"
        );
        assert!(e.to_string().ends_with("(did you mean \"error\"?)"), "{e}");
    }

    #[test]
    fn docs_url_is_https_without_a_fragment() {
        let s = settings("[audit]\ndocs_url = \"https://example.com/infra/rules.md\"\n").unwrap();
        assert_eq!(
            s.docs_url.as_deref(),
            Some("https://example.com/infra/rules.md")
        );
        for bad in [
            "http://example.com/r.md",
            "https://",
            "https://x/r.md#a",
            "docs/rules.md",
        ] {
            let e = settings(&format!("[audit]\ndocs_url = {bad:?}\n")).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("infra.toml:2:1: [audit] docs_url"),
                "{e}"
            );
        }
    }

    #[test]
    fn the_vcpu_ceiling_is_a_positive_count() {
        let s = settings("[audit]\nmax_instance_vcpus = 16\n").unwrap();
        assert_eq!(s.max_instance_vcpus, Some(16));
        assert_eq!(settings("").unwrap().max_instance_vcpus, None);
        let e = settings("[audit]\nfail_on = \"error\"\nmax_instance_vcpus = 0\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "infra.toml:3:1: [audit] max_instance_vcpus = 0 is outside 1 to 1024 (vCPUs)"
        );
    }

    #[test]
    fn a_value_from_elsewhere_points_there() {
        let text = "[audit]\nfail_on = \"error\"\n";
        let raw = AuditAnswers {
            fail_on: Some("warn".into()),
            ..AuditAnswers::default()
        };
        let e = Settings::validate(Some(&raw), text, &|k| {
            (k == "audit.fail_on").then(|| "--set audit.fail_on".to_string())
        })
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--set audit.fail_on: [audit] fail_on = \"warn\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_rules_and_bad_ignores_are_typed_and_located() {
        let e = settings("[audit.rules]\nreadme-mising = \"off\"\n").unwrap_err();
        assert_eq!(
            e,
            SettingsError::UnknownRule {
                at: Location::new("infra.toml", 2, 1),
                rule: "readme-mising".into(),
                hint: Hint(Some("readme-missing")),
            }
        );
        let e =
            settings("[[audit.ignore]]\nrule = \"readme-missing\"\nreason = \" \"\n").unwrap_err();
        assert!(
            matches!(e, SettingsError::IgnoreWithoutReason { ref at, .. } if at.line == 2),
            "{e}"
        );
        let e = settings(
            "[[audit.ignore]]\nrule = \"readme-missing\"\npaths = [\"a/[\"]\nreason = \"r\"\n",
        )
        .unwrap_err();
        assert!(matches!(e, SettingsError::IgnorePaths { .. }), "{e}");
    }
}
