//! Precedence: `--set` > `--answers FILE` > `INFRA_*` > infra.toml > prompt
//! (which confirms what discovery found) > discovery > documented default.
//! Layers are flattened to dotted keys; the first layer holding a key wins.

use super::error::{AnswersError, Invalid, Missing, NoPrompt};
use super::keys;
use super::load::{self, Layer, Source};
pub use super::merge::{
    default_approval, default_branch, merge, merge_where, Merged, MINIMUM_ENVIRONMENTS,
};
use super::model::InfraToml;
use super::prompt::{self, Prompter};
use super::resolved::{Answers, Data, Environment, Sla};
use super::validate;
use crate::context::Context;
use crate::platform::Platform;
use std::path::Path;

/// Everything answers can come from, except the prompt.
pub struct Request<'a> {
    pub root: &'a Path,
    pub ctx: &'a Context,
    pub set: &'a [String],
    pub answers_file: Option<&'a Path>,
    /// The process environment (only `INFRA_*` names are read).
    pub env: Vec<(String, String)>,
    /// What infra.toml should be made to hold afterwards.
    pub save: Save,
    /// Why there is no prompt, when there is none: said if answers are missing.
    pub no_prompt: NoPrompt,
}

/// What the command saves to infra.toml. `INFRA_*` variables are per-run
/// overrides and are never saved (docs/answers.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Save {
    /// `init`: every answer (given, asked, discovered or defaulted) except
    /// what an `INFRA_*` variable decided.
    Everything,
    /// `update`, `plan`, `check`: infra.toml with the `--set` and
    /// `--answers` values applied, so `check` agrees with the last `update`.
    Given,
}

#[derive(Debug)]
pub struct Resolution {
    pub answers: Answers,
    /// What infra.toml should hold.
    pub toml: InfraToml,
    /// infra.toml as it is on disk, if it exists.
    pub existing_text: Option<String>,
    /// Per dotted key, where its value came from (`infra.toml:12:11`,
    /// `--set audit.fail_on`, …).
    pub origins: std::collections::BTreeMap<String, String>,
    /// What infra.toml should hold after this run; `None` when the run
    /// leaves it alone (`update` without `--set` or `--answers`).
    pub saved: Option<InfraToml>,
    /// Answers that are allowed but contradict each other or the checklist
    /// (production deploys without approval, …), to print as warnings.
    pub warnings: Vec<Invalid>,
}

/// Resolve answers; with a prompter, ask for what no explicit source gave.
pub fn resolve(
    req: &Request<'_>,
    prompter: Option<&mut dyn Prompter>,
) -> Result<Resolution, AnswersError> {
    let mut invalid = Vec::new();
    let mut explicit: Vec<Layer> = Vec::new();
    let mut keep = |result: Result<Layer, AnswersError>, explicit: &mut Vec<Layer>| match result {
        Ok(layer) => {
            explicit.push(layer);
            Ok(())
        }
        Err(AnswersError::Invalid(items)) => {
            invalid.extend(items);
            Ok(())
        }
        Err(other) => Err(other),
    };
    keep(load::set_layer(req.set), &mut explicit)?;
    if let Some(path) = req.answers_file {
        keep(load::read_answers_file(path), &mut explicit)?;
    }
    keep(load::env_layer(&req.env), &mut explicit)?;
    let infra_toml = req.root.join(load::INFRA_TOML);
    let existing_text = match std::fs::read_to_string(&infra_toml) {
        Ok(text) => {
            keep(
                load::parse_toml_layer(&text, load::INFRA_TOML, Source::InfraToml),
                &mut explicit,
            )?;
            Some(text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(AnswersError::Io {
                path: infra_toml.display().to_string(),
                message: e.to_string(),
                kind: e.kind(),
            })
        }
    };
    for layer in &explicit {
        invalid.extend(validate::validate_layer(layer));
    }
    if !invalid.is_empty() {
        return Err(AnswersError::Invalid(invalid));
    }
    // Sources come highest precedence first: the first kind given counts.
    let kind = explicit.iter().find_map(|l| {
        let kind = l.toml.project.as_ref()?.kind.as_deref()?;
        Some((kind.to_string(), l.origin("project.kind")))
    });
    if let Some((kind, origin)) = kind.filter(|(k, _)| k == "cli" || k == "library") {
        return Err(AnswersError::Invalid(vec![crate::answers::error::Invalid {
            key: "project.kind".into(),
            origin,
            message: format!(
                "this repository is a {kind}: it deploys nothing, so there are no deployment files to render or check; `infra audit` checks it as a {kind}. Set kind = \"service\" to render them"
            ),
        }]));
    }

    let discovered = discovered_layer(req.ctx);
    let mut layers = explicit;
    if let Some(prompter) = prompter {
        let known = merge(&layers);
        let asked = prompt::ask(prompter, &known, &discovered, req.ctx)?;
        let problems = validate::validate_layer(&asked);
        if !problems.is_empty() {
            return Err(AnswersError::Invalid(problems));
        }
        // Prompts ask only what the explicit sources left open, except what
        // the review screen changed: that is the person's last word, so
        // the prompt layer goes first.
        layers.insert(0, asked);
    }
    layers.push(discovered);
    let without_defaults = merge(&layers);
    layers.push(default_layer(&without_defaults.toml, req.ctx));
    let merged = merge(&layers);

    let missing = missing_answers(&merged.toml);
    if !missing.is_empty() {
        return Err(AnswersError::Missing {
            missing,
            why: req.no_prompt.clone(),
        });
    }
    let origin_of = |key: &str| merged.origins.get(key).cloned().unwrap_or_default();
    let cross = validate::validate_merged(&merged.toml, &origin_of);
    if !cross.is_empty() {
        return Err(AnswersError::Invalid(cross));
    }
    let warnings = validate::warnings(&merged.toml, req.ctx, &origin_of);
    let answers = to_answers(&merged)?;
    let given = !req.set.is_empty() || req.answers_file.is_some();
    let saved = saved_answers(&layers, &merged, req.save, given);
    Ok(Resolution {
        answers,
        toml: merged.toml,
        existing_text,
        origins: merged.origins,
        saved,
        warnings,
    })
}

/// What infra.toml should hold after the run (see [`Save`]).
fn saved_answers(layers: &[Layer], merged: &Merged, save: Save, given: bool) -> Option<InfraToml> {
    let from_env = |key: &str| {
        merged
            .sources
            .get(key)
            .is_some_and(|s| *s == Source::Env.label())
    };
    match save {
        Save::Given if !given => None,
        Save::Given => Some(
            merge_where(layers, &|layer, _| {
                matches!(
                    layer.source,
                    Source::Set | Source::AnswersFile(_) | Source::InfraToml | Source::Prompt
                )
            })
            .toml,
        ),
        // A key an `INFRA_*` variable decided keeps what infra.toml said
        // (or stays unset): neither the variable nor what it overrode is saved.
        Save::Everything => Some(
            merge_where(layers, &|layer, key| match layer.source {
                Source::Env => false,
                Source::Set | Source::AnswersFile(_) | Source::InfraToml => true,
                Source::Prompt | Source::Discovered | Source::Default => !from_env(key),
            })
            .toml,
        ),
    }
}

/// What the repository already says (SPEC §2), as a layer.
pub fn discovered_layer(ctx: &Context) -> Layer {
    let mut layer = Layer::new(Source::Discovered);
    let mut explicit = false;
    let mut put = |layer: &mut Layer, key: &str, value: &str, origin: String| {
        if keys::set(&mut layer.toml, key, value, &mut explicit).is_ok() {
            layer
                .origins
                .insert(key.to_string(), format!("discovered from {origin}"));
        }
    };
    if let Some(name) = &ctx.project.name {
        let origin = ctx
            .project
            .readme
            .clone()
            .unwrap_or_else(|| "README.md".into());
        put(&mut layer, "project.name", name, origin);
    }
    if let Some(platform) = ctx.likely_platform() {
        let origin = ctx
            .platform_hints
            .iter()
            .find(|h| h.platform == Some(platform))
            .map(|h| h.location.to_string())
            .unwrap_or_default();
        put(&mut layer, "platform.target", platform.id(), origin);
        if let Some(region) = ctx.likely_region(platform) {
            let origin = ctx
                .platform_hints
                .iter()
                .find(|h| h.region.as_deref() == Some(region))
                .map(|h| h.location.to_string())
                .unwrap_or_default();
            put(&mut layer, "platform.region", region, origin);
        }
    }
    let found: Vec<&str> = ctx
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| *n != "test" && validate::check_environment_name(n).is_ok())
        .collect();
    if !found.is_empty() {
        let mut names: Vec<&str> = MINIMUM_ENVIRONMENTS.to_vec();
        names.extend(found.iter().filter(|n| !MINIMUM_ENVIRONMENTS.contains(n)));
        let origin = ctx
            .environments
            .iter()
            .filter_map(|e| e.evidence.first())
            .map(|ev| ev.location.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        put(&mut layer, "environments", &names.join(","), origin);
        layer.env_list_explicit = true;
    }
    let stores: Vec<&str> = ctx.data_stores().map(|s| s.id.as_str()).collect();
    if !stores.is_empty() {
        put(
            &mut layer,
            "data.stores",
            &stores.join(","),
            "services in the code".into(),
        );
    }
    layer
}

/// Documented defaults (docs/answers.md), filled in below every other source.
fn default_layer(known: &InfraToml, ctx: &Context) -> Layer {
    let mut layer = Layer::new(Source::Default);
    let mut explicit = false;
    let mut put = |key: &str, value: &str| {
        let _ = keys::set(&mut layer.toml, key, value, &mut explicit);
    };
    put("project.name", &ctx.project.dir_name);
    for env in known.environments.iter().flatten() {
        if let Some(branch) = default_branch(&env.name) {
            put(&format!("environments.{}.branch", env.name), branch);
        }
        let approval = default_approval(&env.name);
        put(
            &format!("environments.{}.approval", env.name),
            &approval.to_string(),
        );
    }
    let has_stores = known
        .data
        .as_ref()
        .and_then(|d| d.stores.as_ref())
        .is_some_and(|s| !s.is_empty());
    if has_stores {
        // Daily, unless the RPO is shorter than a day.
        let rpo = known.sla.as_ref().and_then(|s| s.rpo_hours);
        let frequency = if rpo.is_some_and(|h| h < 24.0) {
            "hourly"
        } else {
            "daily"
        };
        put("data.backup_frequency", frequency);
        put("data.backup_retention_days", "30");
    }
    put("templates.dir", ".infra/templates");
    put("audit.fail_on", "error");
    layer
}

/// Answers every run needs and no default supplies.
pub fn missing_answers(t: &InfraToml) -> Vec<Missing> {
    let mut out = Vec::new();
    let mut need = |key: &str| {
        if let Some(info) = keys::KEYS.iter().find(|k| k.key == key) {
            out.push(Missing {
                key: key.to_string(),
                help: info.help.to_string(),
                example: info.example.to_string(),
            });
        }
    };
    let platform = t.platform.as_ref();
    match platform.and_then(|p| p.target.as_deref()) {
        None => need("platform.target"),
        Some(target) => {
            let has_region = Platform::parse(target).is_some_and(Platform::has_region);
            if has_region && platform.and_then(|p| p.region.as_ref()).is_none() {
                need("platform.region");
            }
        }
    }
    if t.environments.as_ref().is_none_or(Vec::is_empty) {
        need("environments");
    }
    let sla = t.sla.clone().unwrap_or_default();
    if sla.availability.is_none() {
        need("sla.availability");
    }
    if sla.latency_p95_ms.is_none() {
        need("sla.latency_p95_ms");
    }
    if sla.error_rate_percent.is_none() {
        need("sla.error_rate_percent");
    }
    let has_stores = t
        .data
        .as_ref()
        .and_then(|d| d.stores.as_ref())
        .is_some_and(|s| !s.is_empty());
    if has_stores {
        if sla.rpo_hours.is_none() {
            need("sla.rpo_hours");
        }
        if sla.rto_hours.is_none() {
            need("sla.rto_hours");
        }
    }
    if t.alerts.as_ref().and_then(|a| a.channel.as_ref()).is_none() {
        need("alerts.channel");
    }
    out
}

fn to_answers(merged: &Merged) -> Result<Answers, AnswersError> {
    let t = &merged.toml;
    let internal = |key: &str| {
        AnswersError::Invalid(vec![Invalid {
            key: key.into(),
            origin: merged.origins.get(key).cloned().unwrap_or_default(),
            message: "no value after validation".into(),
        }])
    };
    let platform = t
        .platform
        .as_ref()
        .and_then(|p| p.target.as_deref())
        .and_then(Platform::parse)
        .ok_or_else(|| internal("platform.target"))?;
    let sla = t.sla.clone().unwrap_or_default();
    let data = t.data.clone().unwrap_or_default();
    let stores = data.stores.unwrap_or_default();
    Ok(Answers {
        project_name: t
            .project
            .as_ref()
            .and_then(|p| p.name.clone())
            .ok_or_else(|| internal("project.name"))?,
        platform,
        region: if platform.has_region() {
            t.platform.as_ref().and_then(|p| p.region.clone())
        } else {
            None
        },
        environments: t
            .environments
            .iter()
            .flatten()
            .map(|e| Environment {
                name: e.name.clone(),
                branch: e.branch.clone(),
                url: e.url.clone(),
                approval: e.approval.unwrap_or(false),
            })
            .collect(),
        sla: Sla {
            availability: sla
                .availability
                .ok_or_else(|| internal("sla.availability"))?,
            latency_p95_ms: sla
                .latency_p95_ms
                .ok_or_else(|| internal("sla.latency_p95_ms"))?,
            error_rate_percent: sla
                .error_rate_percent
                .ok_or_else(|| internal("sla.error_rate_percent"))?,
            rpo_hours: sla.rpo_hours.filter(|_| !stores.is_empty()),
            rto_hours: sla.rto_hours.filter(|_| !stores.is_empty()),
        },
        data: Data {
            backup_frequency: data.backup_frequency.filter(|_| !stores.is_empty()),
            backup_retention_days: data.backup_retention_days.filter(|_| !stores.is_empty()),
            stores,
        },
        alerts_channel: t
            .alerts
            .as_ref()
            .and_then(|a| a.channel.clone())
            .ok_or_else(|| internal("alerts.channel"))?,
        templates_dir: t
            .templates
            .as_ref()
            .and_then(|x| x.dir.clone())
            .unwrap_or_else(|| ".infra/templates".into()),
        sources: merged.sources.clone(),
    })
}

/// For `update`, `plan` and `check`: no prompts; infra.toml plus overrides.
pub fn resolve_noninteractive(
    root: &Path,
    ctx: &Context,
    set: &[String],
    answers_file: Option<&Path>,
) -> Result<Resolution, AnswersError> {
    let req = Request {
        root,
        ctx,
        set,
        answers_file,
        env: std::env::vars().collect(),
        save: Save::Given,
        no_prompt: NoPrompt::Command("update"),
    };
    resolve(&req, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::prompt::{Prompter, Reply};
    use crate::context::{DiscoveredEnvironment, Evidence, PlatformHint, Service};
    use crate::model::{Location, ServiceKind};
    use std::collections::VecDeque;

    /// Answers prompts from a script and records which questions were asked
    /// and what was said. `<` is a step back anywhere; in a list a reply
    /// picks the first item starting with it; a text reply that fails
    /// validation is refused and the next reply is taken, as at a terminal.
    struct Scripted {
        replies: VecDeque<&'static str>,
        asked: Vec<String>,
        said: Vec<String>,
    }

    impl Scripted {
        fn new(replies: &[&'static str]) -> Self {
            Scripted {
                replies: replies.iter().copied().collect(),
                asked: Vec::new(),
                said: Vec::new(),
            }
        }
        fn next(&mut self, prompt: &str) -> Result<&'static str, AnswersError> {
            self.asked.push(prompt.to_string());
            self.replies.pop_front().ok_or(AnswersError::Interrupted)
        }
    }

    impl Prompter for Scripted {
        fn select(
            &mut self,
            prompt: &str,
            items: &[String],
            default: usize,
        ) -> Result<Reply<usize>, AnswersError> {
            let reply = self.next(prompt)?;
            Ok(match reply {
                "<" => Reply::Back,
                "" => Reply::Answer(default),
                r => Reply::Answer(
                    items
                        .iter()
                        .position(|i| i.starts_with(r))
                        .unwrap_or_else(|| panic!("no item {r:?} in {items:?}")),
                ),
            })
        }
        fn multi_select(
            &mut self,
            prompt: &str,
            _: &[String],
            checked: &[bool],
        ) -> Result<Reply<Vec<usize>>, AnswersError> {
            if self.next(prompt)? == "<" {
                return Ok(Reply::Back);
            }
            Ok(Reply::Answer(
                (0..checked.len()).filter(|i| checked[*i]).collect(),
            ))
        }
        fn input(
            &mut self,
            prompt: &str,
            default: Option<&str>,
            _allow_empty: bool,
            validate: &dyn Fn(&str) -> Result<(), String>,
        ) -> Result<Reply<String>, AnswersError> {
            loop {
                let reply = self.next(prompt)?;
                if reply == "<" {
                    return Ok(Reply::Back);
                }
                let value = if reply.is_empty() {
                    default.unwrap_or("")
                } else {
                    reply
                };
                match validate(value) {
                    Ok(()) => return Ok(Reply::Answer(value.to_string())),
                    Err(m) => self.said.push(format!("{prompt}: {m}")),
                }
            }
        }
        fn confirm(&mut self, prompt: &str, default: bool) -> Result<Reply<bool>, AnswersError> {
            let reply = self.next(prompt)?;
            Ok(match reply {
                "<" => Reply::Back,
                "" => Reply::Answer(default),
                r => Reply::Answer(r == "y"),
            })
        }
        fn note(&mut self, text: &str) {
            self.said.push(text.to_string());
        }
    }

    fn ctx_with_postgres_on_fly() -> Context {
        let ev = Evidence {
            location: Location::new("package.json", 5, 0),
            via: "dependency \"pg\"".into(),
        };
        Context {
            project: crate::context::ProjectInfo {
                name: Some("Shopfront".into()),
                dir_name: "shopfront".into(),
                ..Default::default()
            },
            platform_hints: vec![PlatformHint {
                platform: Some(Platform::Fly),
                host: "fly".into(),
                region: Some("ams".into()),
                location: Location::new("fly.toml", 1, 1),
                via: "fly.toml".into(),
            }],
            environments: vec![DiscoveredEnvironment {
                name: "production".into(),
                evidence: vec![ev.clone()],
            }],
            services: vec![Service {
                id: "postgresql".into(),
                name: "PostgreSQL".into(),
                kind: ServiceKind::Database,
                evidence: vec![ev],
                mentioned_only: false,
                own: true,
                embedded: false,
                roles: vec![crate::context::RoleEvidence {
                    role: crate::context::ServiceRole::Store,
                    evidence: vec![],
                }],
            }],
            ..Default::default()
        }
    }

    fn request<'a>(
        root: &'a Path,
        ctx: &'a Context,
        set: &'a [String],
        env: &[(&str, &str)],
    ) -> Request<'a> {
        Request {
            root,
            ctx,
            set,
            answers_file: None,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            save: Save::Everything,
            no_prompt: NoPrompt::NoInputFlag,
        }
    }

    #[test]
    fn precedence_set_over_env_over_file_over_discovery_over_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("infra.toml"),
            "[platform]\ntarget = \"gcp\"\nregion = \"europe-west1\"\n[sla]\navailability = 99.5\nlatency_p95_ms = 400\nerror_rate_percent = 2\nrpo_hours = 12\nrto_hours = 2\n[alerts]\nchannel = \"slack:#ops\"\n",
        )
        .unwrap();
        let ctx = ctx_with_postgres_on_fly();
        let set = vec!["sla.availability=99.99".to_string()];
        let env = [
            ("INFRA_SLA_LATENCY_P95_MS", "250"),
            ("INFRA_SLA_AVAILABILITY", "99.0"),
        ];
        let r = resolve(&request(dir.path(), &ctx, &set, &env), None).unwrap();
        let a = &r.answers;
        assert_eq!(a.sla.availability, 99.99, "--set beats the environment");
        assert_eq!(
            a.sla.latency_p95_ms, 250,
            "the environment beats infra.toml"
        );
        assert_eq!(
            a.platform,
            Platform::Gcp,
            "infra.toml beats discovery (fly.toml)"
        );
        assert_eq!(
            a.project_name, "Shopfront",
            "discovery beats the folder-name default"
        );
        assert_eq!(a.data.stores, vec!["postgresql"], "discovered data store");
        assert_eq!(
            a.data.backup_frequency.as_deref(),
            Some("hourly"),
            "documented default: daily, hourly when the RPO is under a day"
        );
        let names: Vec<_> = a.environments.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["dev", "staging", "production"]);
        assert_eq!(
            a.environment("production").unwrap().branch.as_deref(),
            Some("main")
        );
        assert!(a.environment("production").unwrap().approval);
        assert_eq!(a.sources["sla.availability"], "--set");
        assert_eq!(a.sources["sla.latency_p95_ms"], "environment");
        assert_eq!(a.sources["platform.target"], "infra.toml");
        assert_eq!(a.sources["project.name"], "discovered");
        assert_eq!(a.sources["data.backup_frequency"], "default");
    }

    #[test]
    fn prompts_ask_only_what_is_open_and_preselect_discoveries() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_with_postgres_on_fly();
        let set = vec!["alerts.channel=email:ops@example.com".to_string()];
        // name, platform (detected fly), region (detected ams), environments,
        // staging branch/url/approval, production branch/url/approval,
        // 3 SLA answers, data stores, rpo, rto, frequency, retention.
        let mut p = Scripted::new(&[
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "release",
            "https://shop.example.com",
            "",
            "99.95",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            // the review: write
            "",
        ]);
        let r = resolve(&request(dir.path(), &ctx, &set, &[]), Some(&mut p)).unwrap();
        let a = r.answers;
        assert_eq!(a.platform, Platform::Fly);
        assert_eq!(a.region.as_deref(), Some("ams"));
        assert_eq!(
            a.environment("production").unwrap().branch.as_deref(),
            Some("release")
        );
        assert_eq!(
            a.environment("production").unwrap().url.as_deref(),
            Some("https://shop.example.com")
        );
        assert_eq!(a.sla.availability, 99.95);
        assert_eq!(a.sla.rpo_hours, Some(24.0));
        assert_eq!(a.alerts_channel, "email:ops@example.com");
        assert_eq!(a.sources["platform.target"], "prompt");
        assert!(
            p.asked.iter().all(|q| !q.starts_with("Where do alerts go")),
            "answered by --set: {:?}",
            p.asked
        );
        assert_eq!(
            p.replies.len(),
            0,
            "every scripted answer was used: {:?}",
            p.asked
        );
    }

    const FILE: &str = "[platform]\ntarget = \"gcp\"\nregion = \"europe-west1\"\n[[environments]]\nname = \"staging\"\n[[environments]]\nname = \"production\"\n[sla]\navailability = 99.5\nlatency_p95_ms = 400\nerror_rate_percent = 2\n[alerts]\nchannel = \"slack:#ops\"\n";

    #[test]
    fn update_saves_set_values_over_infra_toml_but_not_infra_variables() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("infra.toml"), FILE).unwrap();
        let ctx = Context::default();
        let set = vec!["sla.availability=99.95".to_string()];
        let env = [("INFRA_SLA_LATENCY_P95_MS", "250")];
        let mut req = request(dir.path(), &ctx, &set, &env);
        req.save = Save::Given;
        let r = resolve(&req, None).unwrap();
        assert_eq!(
            r.answers.sla.latency_p95_ms, 250,
            "the variable applies to this run"
        );
        let saved = r.saved.unwrap();
        let sla = saved.sla.unwrap();
        assert_eq!(sla.availability, Some(99.95), "--set is saved");
        assert_eq!(sla.latency_p95_ms, Some(400), "INFRA_* is not saved");
        assert_eq!(
            saved.platform.unwrap().region.as_deref(),
            Some("europe-west1")
        );
        assert!(
            saved.project.is_none(),
            "update saves no discovered or default value"
        );
    }

    #[test]
    fn update_without_set_or_answers_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("infra.toml"), FILE).unwrap();
        let ctx = Context::default();
        let mut req = request(dir.path(), &ctx, &[], &[("INFRA_SLA_AVAILABILITY", "99")]);
        req.save = Save::Given;
        assert!(resolve(&req, None).unwrap().saved.is_none());
    }

    #[test]
    fn init_saves_everything_except_what_infra_variables_decided() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_with_postgres_on_fly();
        let set: Vec<String> = [
            "sla.availability=99.9",
            "sla.latency_p95_ms=300",
            "sla.error_rate_percent=1",
            "sla.rpo_hours=24",
            "sla.rto_hours=4",
            "alerts.channel=slack:#ops",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // The variable beats discovery (fly.toml) for this run only.
        let env = [("INFRA_PLATFORM_TARGET", "vercel")];
        let r = resolve(&request(dir.path(), &ctx, &set, &env), None).unwrap();
        assert_eq!(r.answers.platform, Platform::Vercel);
        let saved = r.saved.unwrap();
        assert_eq!(
            saved.platform.as_ref().and_then(|p| p.target.as_deref()),
            None,
            "neither the variable nor the discovery it hid is saved"
        );
        assert_eq!(saved.sla.unwrap().availability, Some(99.9));
        assert_eq!(saved.project.unwrap().name.as_deref(), Some("Shopfront"));
    }

    fn ctx_named(dir_name: &str) -> Context {
        Context {
            project: crate::context::ProjectInfo {
                dir_name: dir_name.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn prompts_refuse_mistakes_as_given_go_back_and_end_with_a_review() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_named("shop");
        let mut p = Scripted::new(&[
            "",               // project name: the folder's
            "aws",            // platform
            "mars-central-9", // refused: not an AWS region
            "eu-west-1",
            "",        // environments
            "",        // staging branch: develop
            "",        // staging URL: none yet
            "",        // staging approval: no
            "develop", // refused: staging deploys from develop
            "main",
            "<", // at production's URL: back to its branch
            "release",
            "https://shop.example",
            "n", // production without approval: a warning
            "99.95",
            "",
            "",
            "slack:#ops",
            "sla.latency_p95_ms", // review: change one answer
            "250",
            "", // review: write
        ]);
        let r = resolve(&request(dir.path(), &ctx, &[], &[]), Some(&mut p)).unwrap();
        assert_eq!(p.replies.len(), 0, "{:?}", p.asked);
        let a = r.answers;
        assert_eq!(a.region.as_deref(), Some("eu-west-1"));
        let production = a.environment("production").unwrap();
        assert_eq!(production.branch.as_deref(), Some("release"));
        assert_eq!(production.url.as_deref(), Some("https://shop.example"));
        assert!(!production.approval);
        assert_eq!(a.sla.latency_p95_ms, 250, "changed at the review");
        assert_eq!(a.sla.availability, 99.95);
        let said = p.said.join("\n");
        assert!(
            said.contains("`mars-central-9` is not a region of AWS"),
            "{said}"
        );
        assert!(
            said.contains("Branch that deploys production: branch `develop` already deploys staging; give production its own branch"),
            "{said}"
        );
        assert!(
            said.contains("warning: environments.production.approval"),
            "{said}"
        );
        let asked = |q: &str| p.asked.iter().filter(|a| a.starts_with(q)).count();
        assert_eq!(asked("Branch that deploys production"), 3, "{:?}", p.asked);
        assert_eq!(asked("Review"), 2, "{:?}", p.asked);
        assert_eq!(r.saved.unwrap().sla.unwrap().latency_p95_ms, Some(250));
    }

    #[test]
    fn changing_the_platform_at_the_review_asks_the_region_again() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_named("shop");
        let set = strings(&[
            "project.name=shop",
            "environments=dev,staging,production",
            "environments.staging.branch=develop",
            "environments.staging.approval=false",
            "environments.production.branch=main",
            "environments.production.approval=true",
            "sla.availability=99.9",
            "sla.latency_p95_ms=300",
            "sla.error_rate_percent=1",
            "alerts.channel=slack:#ops",
        ]);
        let mut p = Scripted::new(&[
            "aws",
            "eu-west-1",
            "",                // staging URL
            "",                // production URL
            "platform.target", // review
            "gcp",
            "eu-west-1", // refused: an AWS region, not a GCP one
            "europe-west1",
            "",
        ]);
        let r = resolve(&request(dir.path(), &ctx, &set, &[]), Some(&mut p)).unwrap();
        assert_eq!(p.replies.len(), 0, "{:?}", p.asked);
        assert_eq!(r.answers.platform, Platform::Gcp);
        assert_eq!(r.answers.region.as_deref(), Some("europe-west1"));
        assert!(
            p.said.join("\n").contains("not a region of Google Cloud"),
            "{:?}",
            p.said
        );
    }

    #[test]
    fn a_choice_that_contradicts_an_earlier_answer_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_with_postgres_on_fly();
        let set = strings(&[
            "platform.target=fly",
            "platform.region=ams",
            "environments=dev,staging,production",
            "environments.staging.branch=develop",
            "environments.staging.url=https://staging.shop.example",
            "environments.staging.approval=false",
            "environments.production.branch=main",
            "environments.production.url=https://shop.example",
            "environments.production.approval=true",
            "sla.availability=99.9",
            "sla.latency_p95_ms=300",
            "sla.error_rate_percent=1",
            "alerts.channel=slack:#ops",
        ]);
        let mut p = Scripted::new(&[
            "<", // back at the first question: nothing to go back to
            "",  // project name
            "",  // data stores: as found
            "24", "4", "weekly", // refused: more than the RPO
            "daily", "", "",
        ]);
        let r = resolve(&request(dir.path(), &ctx, &set, &[]), Some(&mut p)).unwrap();
        assert_eq!(p.replies.len(), 0, "{:?}", p.asked);
        assert_eq!(r.answers.data.backup_frequency.as_deref(), Some("daily"));
        let said = p.said.join("\n");
        assert!(said.contains("This is the first question."), "{said}");
        assert!(
            said.contains("✘ weekly backups can lose up to 168 hours of data, more than the RPO (sla.rpo_hours = 24)"),
            "{said}"
        );
    }

    #[test]
    fn missing_answers_are_all_listed_without_prompts() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::default();
        let err = resolve(&request(dir.path(), &ctx, &[], &[]), None).unwrap_err();
        let AnswersError::Missing { missing, .. } = err else {
            panic!("{err}")
        };
        let keys: Vec<_> = missing.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "platform.target",
                "environments",
                "sla.availability",
                "sla.latency_p95_ms",
                "sla.error_rate_percent",
                "alerts.channel"
            ]
        );
    }

    #[test]
    fn data_stores_make_rpo_and_rto_required() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx_with_postgres_on_fly();
        let set: Vec<String> = [
            "sla.availability=99.9",
            "sla.latency_p95_ms=300",
            "sla.error_rate_percent=1",
            "alerts.channel=slack:#ops",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let err = resolve(&request(dir.path(), &ctx, &set, &[]), None).unwrap_err();
        let AnswersError::Missing { missing, .. } = err else {
            panic!("{err}")
        };
        let keys: Vec<_> = missing.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["sla.rpo_hours", "sla.rto_hours"]);
    }
}
