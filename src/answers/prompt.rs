//! Interactive questions (SPEC §3): asked only for what no explicit source
//! answered, with what discovery found preselected. Prompts go to stderr;
//! nothing is written until every question is answered.

use super::error::AnswersError;
use super::keys;
use super::load::{Layer, Source};
use super::merge::{self, default_approval, default_branch, Merged, MINIMUM_ENVIRONMENTS};
use super::validate;
use crate::context::Context;
use crate::platform::Platform;

/// The four kinds of question; the terminal implementation is [`TerminalPrompter`].
pub trait Prompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, AnswersError>;
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, AnswersError>;
    /// `validate` returns an error message to show before asking again.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, AnswersError>;
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, AnswersError>;
}

/// Ask every question `known` (the explicit sources) leaves open.
pub fn ask(
    p: &mut dyn Prompter,
    known: &Merged,
    discovered: &Layer,
    ctx: &Context,
) -> Result<Layer, AnswersError> {
    let mut layer = Layer::new(Source::Prompt);
    let has = |key: &str| known.sources.contains_key(key);
    let discovered = merge::merge(std::slice::from_ref(discovered));
    let found = |key: &str| discovered.sources.contains_key(key);
    let disc = &discovered.toml;
    let set = |layer: &mut Layer, key: &str, value: &str| {
        let mut explicit = layer.env_list_explicit;
        // Every answer was validated by the prompt, so `set` accepts it.
        if keys::set(&mut layer.toml, key, value, &mut explicit).is_ok() {
            layer.env_list_explicit = explicit;
            layer.origins.insert(key.to_string(), "prompt".into());
        }
    };

    if !has("project.name") {
        let default = disc
            .project
            .as_ref()
            .and_then(|x| x.name.clone())
            .unwrap_or_else(|| ctx.project.dir_name.clone());
        let name = p.input("Project name", Some(&default), false, &|v| {
            if v.trim().is_empty() {
                Err("enter a name".into())
            } else {
                Ok(())
            }
        })?;
        set(&mut layer, "project.name", name.trim());
    }

    let platform = match known
        .toml
        .platform
        .as_ref()
        .and_then(|x| x.target.as_deref())
    {
        Some(target) => Platform::parse(target),
        None => {
            let detected = disc
                .platform
                .as_ref()
                .and_then(|x| x.target.as_deref())
                .and_then(Platform::parse);
            let items: Vec<String> = Platform::ALL
                .iter()
                .map(|pl| {
                    let mark = if Some(*pl) == detected {
                        "  (detected)"
                    } else {
                        ""
                    };
                    format!("{:<11} {}{mark}", pl.id(), pl.display_name())
                })
                .collect();
            let default = detected
                .and_then(|d| Platform::ALL.iter().position(|x| *x == d))
                .unwrap_or(0);
            let i = p.select("Where does this service run?", &items, default)?;
            let chosen = Platform::ALL[i.min(Platform::ALL.len() - 1)];
            set(&mut layer, "platform.target", chosen.id());
            Some(chosen)
        }
    };

    if let Some(pl) = platform.filter(|pl| pl.has_region()) {
        if !has("platform.region") {
            let default = disc
                .platform
                .as_ref()
                .and_then(|x| x.region.clone())
                .or_else(|| pl.suggested_region().map(str::to_string));
            let region = p.input(
                &format!("{} region", pl.display_name()),
                default.as_deref(),
                false,
                &|v| {
                    let mut t = Layer::new(Source::Prompt);
                    let mut e = false;
                    keys::set(&mut t.toml, "platform.region", v, &mut e)?;
                    first_error(&t)
                },
            )?;
            set(&mut layer, "platform.region", region.trim());
        }
    }

    let env_names: Vec<String> = match &known.toml.environments {
        Some(envs) if has("environments") => envs.iter().map(|e| e.name.clone()).collect(),
        _ => {
            let default = disc
                .environments
                .as_ref()
                .map(|e| {
                    e.iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_else(|| MINIMUM_ENVIRONMENTS.join(","));
            let answer = p.input(
                "Environments (staging and production required)",
                Some(&default),
                false,
                &check_environment_list,
            )?;
            let names = keys::parse_list(&answer);
            set(&mut layer, "environments", &names.join(","));
            names
        }
    };
    for env in env_names.iter().filter(|n| n.as_str() != "dev") {
        let key = |f: &str| format!("environments.{env}.{f}");
        if !has(&key("branch")) {
            let default = default_branch(env).unwrap_or(env.as_str()).to_string();
            let branch = p.input(
                &format!("Branch that deploys {env}"),
                Some(&default),
                false,
                &|v| validate::check_branch(v.trim()).map_err(String::from),
            )?;
            set(&mut layer, &key("branch"), branch.trim());
        }
        if !has(&key("url")) {
            let env_name = env.clone();
            let url = p.input(
                &format!("URL of {env} (empty if not known yet)"),
                None,
                true,
                &move |v| {
                    if v.trim().is_empty() {
                        Ok(())
                    } else {
                        validate::check_url(&env_name, v.trim()).map_err(String::from)
                    }
                },
            )?;
            if !url.trim().is_empty() {
                set(&mut layer, &key("url"), url.trim());
            }
        }
        if !has(&key("approval")) {
            let yes = p.confirm(
                &format!("Do deploys to {env} wait for a reviewer's approval?"),
                default_approval(env),
            )?;
            set(&mut layer, &key("approval"), &yes.to_string());
        }
    }

    let number = |key: &'static str| {
        move |v: &str| -> Result<(), String> {
            let mut t = Layer::new(Source::Prompt);
            let mut e = false;
            keys::set(&mut t.toml, key, v, &mut e)?;
            first_error(&t)
        }
    };
    let sla_questions: [(&str, &str, &str); 3] = [
        ("sla.availability", "Availability target, percent", "99.9"),
        (
            "sla.latency_p95_ms",
            "p95 latency target, milliseconds",
            "300",
        ),
        (
            "sla.error_rate_percent",
            "Error rate that should page someone, percent",
            "1",
        ),
    ];
    for (key, question, default) in sla_questions {
        if !has(key) {
            let v = p.input(question, Some(default), false, &number(key))?;
            set(&mut layer, key, v.trim());
        }
    }

    let stores: Vec<String> = if has("data.stores") {
        known
            .toml
            .data
            .as_ref()
            .and_then(|d| d.stores.clone())
            .unwrap_or_default()
    } else if found("data.stores") {
        let detected: Vec<String> = disc
            .data
            .as_ref()
            .and_then(|d| d.stores.clone())
            .unwrap_or_default();
        let items: Vec<String> = detected
            .iter()
            .map(|id| {
                ctx.service(id)
                    .map_or(id.clone(), |s| format!("{id} ({})", s.name))
            })
            .collect();
        let picked = p.multi_select(
            "Data stores to back up (found in the code)",
            &items,
            &vec![true; items.len()],
        )?;
        let chosen: Vec<String> = picked
            .into_iter()
            .filter_map(|i| detected.get(i).cloned())
            .collect();
        set(&mut layer, "data.stores", &chosen.join(","));
        chosen
    } else {
        Vec::new()
    };
    if !stores.is_empty() {
        let data_questions: [(&str, &str, &str); 2] = [
            ("sla.rpo_hours", "RPO: most data you may lose, hours", "24"),
            ("sla.rto_hours", "RTO: longest restore, hours", "4"),
        ];
        for (key, question, default) in data_questions {
            if !has(key) {
                let v = p.input(question, Some(default), false, &number(key))?;
                set(&mut layer, key, v.trim());
            }
        }
        if !has("data.backup_frequency") {
            let items: Vec<String> = validate::BACKUP_FREQUENCIES
                .iter()
                .map(|s| s.to_string())
                .collect();
            let i = p.select("How often are backups taken?", &items, 1)?;
            set(
                &mut layer,
                "data.backup_frequency",
                validate::BACKUP_FREQUENCIES[i.min(2)],
            );
        }
        if !has("data.backup_retention_days") {
            let v = p.input(
                "How many days are backups kept?",
                Some("30"),
                false,
                &number("data.backup_retention_days"),
            )?;
            set(&mut layer, "data.backup_retention_days", v.trim());
        }
    }

    if !has("alerts.channel") {
        let v = p.input(
            "Where do alerts go? (e.g. slack:#ops, email:oncall@example.com)",
            None,
            false,
            &|v| validate::check_alert_channel(v.trim()).map_err(String::from),
        )?;
        set(&mut layer, "alerts.channel", v.trim());
    }
    Ok(layer)
}

fn first_error(layer: &Layer) -> Result<(), String> {
    match validate::validate_layer(layer).into_iter().next() {
        Some(e) => Err(e.message),
        None => Ok(()),
    }
}

fn check_environment_list(v: &str) -> Result<(), String> {
    let names = keys::parse_list(v);
    for name in &names {
        validate::check_environment_name(name)?;
    }
    for required in ["staging", "production"] {
        if !names.iter().any(|n| n == required) {
            return Err(format!(
                "include `{required}` (the checklist requires dev, staging and production)"
            ));
        }
    }
    Ok(())
}

/// Prompts on the terminal (stderr) with dialoguer.
pub struct TerminalPrompter {
    theme: dialoguer::theme::ColorfulTheme,
}

impl TerminalPrompter {
    pub fn new() -> Self {
        TerminalPrompter {
            theme: dialoguer::theme::ColorfulTheme::default(),
        }
    }
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self::new()
    }
}

fn prompt_error(e: dialoguer::Error) -> AnswersError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            AnswersError::Interrupted
        }
        other => AnswersError::Prompt(other.to_string()),
    }
}

impl Prompter for TerminalPrompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, AnswersError> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(prompt_error)?
            .ok_or(AnswersError::Interrupted)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, AnswersError> {
        dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(format!("{prompt} [space: toggle]"))
            .items(items)
            .defaults(checked)
            .interact_opt()
            .map_err(prompt_error)?
            .ok_or(AnswersError::Interrupted)
    }

    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, AnswersError> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(allow_empty)
            .validate_with(|v: &String| validate(v));
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        input.interact_text().map_err(prompt_error)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, AnswersError> {
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_opt()
            .map_err(prompt_error)?
            .ok_or(AnswersError::Interrupted)
    }
}
