//! Interactive questions (SPEC §3): asked only for what no explicit source
//! answered, with what discovery found preselected. Each answer is checked
//! as it is given, against the answers so far (a branch another environment
//! already deploys, a region the platform does not have, backups rarer than
//! the RPO), so a mistake is refused at the question that made it. `<` (or
//! Esc in a list) goes back one question; a review screen lists every answer
//! and lets any be changed before anything is written. Prompts go to stderr;
//! nothing is written until the review is accepted.

use super::error::{AnswersError, Invalid};
use super::keys;
use super::load::{Layer, Source};
use super::merge::{self, default_approval, default_branch, Merged, MINIMUM_ENVIRONMENTS};
use super::model::InfraToml;
use super::validate;
use crate::context::Context;
use crate::platform::Platform;
use std::collections::{BTreeMap, BTreeSet};

/// What a person did at one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    Answer(T),
    /// Go back to the previous question (`<` in a text field, Esc in a list).
    Back,
}

/// The kinds of question; the terminal implementation is
/// `super::terminal::TerminalPrompter`.
pub trait Prompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<Reply<usize>, AnswersError>;
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Reply<Vec<usize>>, AnswersError>;
    /// `validate` returns an error message to show before asking again.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Reply<String>, AnswersError>;
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<Reply<bool>, AnswersError>;
    /// A line for the person (a hint, a warning, a refused choice).
    fn note(&mut self, text: &str);
}

/// What typing this in a text field means.
pub const BACK: &str = "<";

const HINT: &str = "Answer each question (Enter keeps the value shown). Type < and Enter, or press Esc in a list, to go back one question. Every answer can be reviewed and changed before anything is written.";

/// The review screen's first line.
pub const WRITE: &str = "Write these answers and render the files";

#[derive(Debug, Clone)]
enum Kind {
    Text {
        allow_empty: bool,
    },
    /// (value, label)
    Choice(Vec<(String, String)>),
    Many(Vec<(String, String)>),
    YesNo,
}

#[derive(Debug, Clone)]
struct Question {
    key: String,
    prompt: String,
    kind: Kind,
}

/// Ask every question `known` (the explicit sources) leaves open, then the
/// review; returns the answers given (or changed at the review) as a layer.
pub fn ask(
    p: &mut dyn Prompter,
    known: &Merged,
    discovered: &Layer,
    ctx: &Context,
) -> Result<Layer, AnswersError> {
    let discovered = merge::merge(std::slice::from_ref(discovered));
    let mut walk = Walk {
        known: merge::flatten(&known.toml, known.sources.contains_key("environments"))
            .into_iter()
            .collect(),
        known_sources: &known.sources,
        discovered: merge::flatten(&discovered.toml, true).into_iter().collect(),
        ctx,
        answers: BTreeMap::new(),
        remembered: BTreeMap::new(),
        reopened: BTreeSet::new(),
        history: Vec::new(),
    };
    if walk.next_open().is_none() {
        // Nothing to ask: nothing to review either.
        return Ok(walk.layer());
    }
    p.note(HINT);
    loop {
        while let Some(q) = walk.next_open() {
            match walk.ask_one(p, &q)? {
                Reply::Answer(v) => walk.accept(&q.key, v),
                Reply::Back => walk.back(p),
            }
        }
        match walk.review(p)? {
            Review::Write => break,
            Review::Back => walk.back(p),
            Review::Change(q) => {
                if let Reply::Answer(v) = walk.ask_one(p, &q)? {
                    walk.accept(&q.key, v);
                }
            }
        }
    }
    Ok(walk.layer())
}

enum Review {
    Write,
    Back,
    Change(Question),
}

struct Walk<'a> {
    /// What the explicit sources say, by dotted key.
    known: BTreeMap<String, String>,
    known_sources: &'a BTreeMap<String, String>,
    discovered: BTreeMap<String, String>,
    ctx: &'a Context,
    /// Answers given here (an empty text: no value, e.g. no URL yet).
    answers: BTreeMap<String, String>,
    /// Answers taken back, offered again as the default.
    remembered: BTreeMap<String, String>,
    /// Known keys to ask again (the region after the platform changed).
    reopened: BTreeSet<String>,
    /// Keys in the order they were answered, for going back.
    history: Vec<String>,
}

impl Walk<'_> {
    fn value(&self, key: &str) -> Option<&str> {
        self.answers
            .get(key)
            .or_else(|| self.known.get(key))
            .map(String::as_str)
    }

    fn platform(&self) -> Option<Platform> {
        self.value("platform.target").and_then(Platform::parse)
    }

    fn list(&self, key: &str) -> Vec<String> {
        self.value(key).map(keys::parse_list).unwrap_or_default()
    }

    /// Every question that applies to the answers so far, in asking order.
    fn questions(&self) -> Vec<Question> {
        let q = |key: &str, prompt: &str, kind: Kind| Question {
            key: key.to_string(),
            prompt: prompt.to_string(),
            kind,
        };
        let text = Kind::Text { allow_empty: false };
        let mut out = vec![q("project.name", "Project name", text.clone())];
        let detected = self
            .discovered
            .get("platform.target")
            .and_then(|t| Platform::parse(t));
        let platforms = Platform::ALL
            .iter()
            .map(|pl| {
                let mark = if Some(*pl) == detected {
                    "  (detected)"
                } else {
                    ""
                };
                (
                    pl.id().to_string(),
                    format!("{:<11} {}{mark}", pl.id(), pl.display_name()),
                )
            })
            .collect();
        out.push(q(
            "platform.target",
            "Where does this service run?",
            Kind::Choice(platforms),
        ));
        if let Some(pl) = self.platform().filter(|pl| pl.has_region()) {
            out.push(q(
                "platform.region",
                &format!("{} region", pl.display_name()),
                text.clone(),
            ));
        }
        out.push(q(
            "environments",
            "Environments (staging and production required)",
            text.clone(),
        ));
        for env in self.list("environments") {
            if env == "dev" {
                continue;
            }
            let key = |f: &str| format!("environments.{env}.{f}");
            out.push(q(
                &key("branch"),
                &format!("Branch that deploys {env}"),
                text.clone(),
            ));
            out.push(q(
                &key("url"),
                &format!("URL of {env} (empty if not known yet)"),
                Kind::Text { allow_empty: true },
            ));
            out.push(q(
                &key("approval"),
                &format!("Do deploys to {env} wait for a reviewer's approval?"),
                Kind::YesNo,
            ));
        }
        out.push(q(
            "sla.availability",
            "Availability target, percent",
            text.clone(),
        ));
        out.push(q(
            "sla.latency_p95_ms",
            "p95 latency target, milliseconds",
            text.clone(),
        ));
        out.push(q(
            "sla.error_rate_percent",
            "Error rate that should page someone, percent",
            text.clone(),
        ));
        let found_stores = self
            .discovered
            .get("data.stores")
            .map(|s| keys::parse_list(s))
            .unwrap_or_default();
        if !found_stores.is_empty() || self.answers.contains_key("data.stores") {
            let items = found_stores
                .iter()
                .map(|id| {
                    let label = self
                        .ctx
                        .service(id)
                        .map_or(id.clone(), |s| format!("{id} ({})", s.name));
                    (id.clone(), label)
                })
                .collect();
            out.push(q(
                "data.stores",
                "Data stores to back up (found in the code)",
                Kind::Many(items),
            ));
        }
        if !self.list("data.stores").is_empty() {
            out.push(q(
                "sla.rpo_hours",
                "RPO: most data you may lose, hours",
                text.clone(),
            ));
            out.push(q(
                "sla.rto_hours",
                "RTO: longest restore, hours",
                text.clone(),
            ));
            let frequencies = validate::BACKUP_FREQUENCIES
                .iter()
                .map(|f| (f.to_string(), f.to_string()))
                .collect();
            out.push(q(
                "data.backup_frequency",
                "How often are backups taken?",
                Kind::Choice(frequencies),
            ));
            out.push(q(
                "data.backup_retention_days",
                "How many days are backups kept?",
                text.clone(),
            ));
        }
        out.push(q(
            "alerts.channel",
            "Where do alerts go? (e.g. slack:#ops, email:oncall@example.com)",
            text,
        ));
        out
    }

    fn is_open(&self, key: &str) -> bool {
        !self.answers.contains_key(key)
            && (!self.known.contains_key(key) || self.reopened.contains(key))
    }

    fn next_open(&self) -> Option<Question> {
        self.questions().into_iter().find(|q| self.is_open(&q.key))
    }

    /// The value to offer: what was answered before, else what the
    /// sources say, else what discovery found, else the documented default.
    fn default_for(&self, key: &str) -> Option<String> {
        if let Some(v) = self.remembered.get(key) {
            return Some(v.clone());
        }
        if !self.reopened.contains(key) {
            if let Some(v) = self.value(key) {
                return Some(v.to_string());
            }
        }
        let found = self.discovered.get(key).cloned();
        let env_field = key
            .strip_prefix("environments.")
            .and_then(|rest| rest.split_once('.'));
        if let Some((env, field)) = env_field {
            return match field {
                "branch" => Some(default_branch(env).unwrap_or(env).to_string()),
                "approval" => Some(default_approval(env).to_string()),
                _ => None,
            };
        }
        match key {
            "project.name" => found.or_else(|| Some(self.ctx.project.dir_name.clone())),
            "platform.target" => found,
            "platform.region" => {
                let pl = self.platform()?;
                let same = self
                    .discovered
                    .get("platform.target")
                    .and_then(|t| Platform::parse(t))
                    == Some(pl);
                found
                    .filter(|_| same)
                    .or_else(|| pl.suggested_region().map(str::to_string))
            }
            "environments" => found.or_else(|| Some(MINIMUM_ENVIRONMENTS.join(","))),
            "data.stores" => found,
            "sla.availability" => Some("99.9".into()),
            "sla.latency_p95_ms" => Some("300".into()),
            "sla.error_rate_percent" => Some("1".into()),
            "sla.rpo_hours" => Some("24".into()),
            "sla.rto_hours" => Some("4".into()),
            "data.backup_frequency" => {
                let rpo = self
                    .value("sla.rpo_hours")
                    .and_then(|v| v.parse::<f64>().ok());
                Some(
                    if rpo.is_some_and(|h| h < 24.0) {
                        "hourly"
                    } else {
                        "daily"
                    }
                    .into(),
                )
            }
            "data.backup_retention_days" => Some("30".into()),
            _ => None,
        }
    }

    /// The answers so far as one infra.toml, with `key` set to `value`
    /// (or left as it is) and the keys in `without` left out.
    fn effective(&self, change: Option<(&str, &str)>, without: &[&str]) -> InfraToml {
        let mut values = self.known.clone();
        values.extend(self.answers.clone());
        if let Some((key, value)) = change {
            values.insert(key.to_string(), value.to_string());
        }
        let mut layer = Layer::new(Source::Prompt);
        let mut explicit = false;
        for (key, value) in &values {
            if without.contains(&key.as_str()) || (value.is_empty() && key != "data.stores") {
                continue;
            }
            let _ = keys::set(&mut layer.toml, key, value, &mut explicit);
        }
        layer.env_list_explicit = explicit;
        merge::merge(std::slice::from_ref(&layer)).toml
    }

    /// Keys whose answer stops making sense when `key` changes.
    fn dependents(key: &str) -> &'static [&'static str] {
        match key {
            "platform.target" => &["platform.region"],
            _ => &[],
        }
    }

    /// Whether `value` may be the answer to `key`, given the answers so far;
    /// `Ok` carries the warnings the answer brings.
    fn check(&self, key: &str, value: &str) -> Result<Vec<Invalid>, String> {
        if value == BACK {
            return Ok(Vec::new());
        }
        if key == "environments" {
            check_environment_list(value)?;
        }
        let empty_ok = value.is_empty() && (key.ends_with(".url") || key == "data.stores");
        if !empty_ok {
            let mut one = Layer::new(Source::Prompt);
            let mut e = false;
            keys::set(&mut one.toml, key, value, &mut e)?;
            if let Some(problem) = validate::validate_layer(&one).into_iter().next() {
                return Err(problem.message);
            }
        }
        let without = Self::dependents(key);
        let before = self.effective(None, without);
        let after = self.effective(Some((key, value)), without);
        let none = |_: &str| String::new();
        let old = validate::validate_merged(&before, &none);
        if let Some(problem) = validate::validate_merged(&after, &none)
            .into_iter()
            .find(|p| !old.contains(p))
        {
            return Err(if problem.key == key {
                problem.message
            } else {
                format!("this clashes with {}: {}", problem.key, problem.message)
            });
        }
        let old = validate::warnings(&before, self.ctx, &none);
        Ok(validate::warnings(&after, self.ctx, &none)
            .into_iter()
            .filter(|w| !old.contains(w))
            .collect())
    }

    /// Ask one question until it gets an acceptable answer or a step back.
    fn ask_one(&self, p: &mut dyn Prompter, q: &Question) -> Result<Reply<String>, AnswersError> {
        let default = self.default_for(&q.key);
        let reply = match &q.kind {
            Kind::Text { allow_empty } => {
                let shown = default.as_deref().filter(|d| !d.is_empty());
                match p.input(&q.prompt, shown, *allow_empty, &|v| {
                    self.check(&q.key, v.trim()).map(|_| ())
                })? {
                    Reply::Answer(v) if v.trim() == BACK => Reply::Back,
                    Reply::Answer(v) => Reply::Answer(v.trim().to_string()),
                    Reply::Back => Reply::Back,
                }
            }
            Kind::Choice(items) => {
                let labels: Vec<String> = items.iter().map(|(_, l)| l.clone()).collect();
                let at = default
                    .as_deref()
                    .and_then(|d| items.iter().position(|(v, _)| v == d))
                    .unwrap_or(0);
                loop {
                    match p.select(&q.prompt, &labels, at)? {
                        Reply::Back => break Reply::Back,
                        Reply::Answer(i) => {
                            let value = items[i.min(items.len() - 1)].0.clone();
                            match self.check(&q.key, &value) {
                                Ok(_) => break Reply::Answer(value),
                                Err(m) => p.note(&format!("✘ {m}")),
                            }
                        }
                    }
                }
            }
            Kind::Many(items) => {
                let labels: Vec<String> = items.iter().map(|(_, l)| l.clone()).collect();
                let chosen = default.as_deref().map(keys::parse_list).unwrap_or_default();
                let checked: Vec<bool> = items.iter().map(|(v, _)| chosen.contains(v)).collect();
                loop {
                    match p.multi_select(&q.prompt, &labels, &checked)? {
                        Reply::Back => break Reply::Back,
                        Reply::Answer(picked) => {
                            let value = picked
                                .iter()
                                .filter_map(|i| items.get(*i).map(|(v, _)| v.as_str()))
                                .collect::<Vec<_>>()
                                .join(",");
                            match self.check(&q.key, &value) {
                                Ok(_) => break Reply::Answer(value),
                                Err(m) => p.note(&format!("✘ {m}")),
                            }
                        }
                    }
                }
            }
            Kind::YesNo => {
                let yes = default.as_deref() == Some("true");
                loop {
                    match p.confirm(&q.prompt, yes)? {
                        Reply::Back => break Reply::Back,
                        Reply::Answer(b) => {
                            let value = b.to_string();
                            match self.check(&q.key, &value) {
                                Ok(_) => break Reply::Answer(value),
                                Err(m) => p.note(&format!("✘ {m}")),
                            }
                        }
                    }
                }
            }
        };
        if let Reply::Answer(v) = &reply {
            for w in self.check(&q.key, v).unwrap_or_default() {
                p.note(&format!("warning: {}: {}", w.key, w.message));
            }
        }
        Ok(reply)
    }

    fn accept(&mut self, key: &str, value: String) {
        let changed = self.value(key) != Some(value.as_str());
        if changed {
            for dependent in Self::dependents(key) {
                self.answers.remove(*dependent);
                if self.known.contains_key(*dependent) {
                    self.reopened.insert(dependent.to_string());
                }
            }
        }
        self.reopened.remove(key);
        self.answers.insert(key.to_string(), value);
        self.history.retain(|k| k != key);
        self.history.push(key.to_string());
    }

    /// Take back the last answer, so it is asked again with itself as the default.
    fn back(&mut self, p: &mut dyn Prompter) {
        match self.history.pop() {
            Some(key) => {
                if let Some(v) = self.answers.remove(&key) {
                    self.remembered.insert(key.clone(), v);
                }
                if self.known.contains_key(&key) {
                    // A known answer changed at the review: ask it again.
                    self.reopened.insert(key);
                }
            }
            None => p.note("This is the first question."),
        }
    }

    /// Every answer, detected ones and where the others came from marked;
    /// choosing one changes it.
    fn review(&self, p: &mut dyn Prompter) -> Result<Review, AnswersError> {
        let questions = self.questions();
        let width = questions.iter().map(|q| q.key.len()).max().unwrap_or(0);
        let mut items = vec![WRITE.to_string()];
        for q in &questions {
            let value = self.value(&q.key).unwrap_or("");
            let shown = match (&q.kind, value) {
                (_, "") => "(none)".to_string(),
                (Kind::YesNo, "true") => "yes".to_string(),
                (Kind::YesNo, _) => "no".to_string(),
                (_, v) => v.to_string(),
            };
            let mark = if self.answers.contains_key(&q.key) {
                if self.discovered.get(&q.key).map(String::as_str) == Some(value) {
                    "  (detected)".to_string()
                } else {
                    String::new()
                }
            } else {
                self.known_sources
                    .get(&q.key)
                    .map(|s| format!("  (from {s})"))
                    .unwrap_or_default()
            };
            items.push(format!("{:<width$}  {shown}{mark}", q.key));
        }
        let prompt = "Review: Enter on the first line writes; choose an answer to change it";
        Ok(match p.select(prompt, &items, 0)? {
            Reply::Back => Review::Back,
            Reply::Answer(0) => Review::Write,
            Reply::Answer(i) => match questions.get(i - 1) {
                Some(q) => Review::Change(q.clone()),
                None => Review::Write,
            },
        })
    }

    /// The answers given here that still apply, as a layer.
    fn layer(&self) -> Layer {
        let applies: BTreeSet<String> = self.questions().into_iter().map(|q| q.key).collect();
        let mut layer = Layer::new(Source::Prompt);
        let mut explicit = false;
        for (key, value) in &self.answers {
            if !applies.contains(key) || (value.is_empty() && key != "data.stores") {
                continue;
            }
            // Every answer was checked when it was given, so `set` accepts it.
            if keys::set(&mut layer.toml, key, value, &mut explicit).is_ok() {
                layer.origins.insert(key.clone(), "prompt".into());
            }
        }
        layer.env_list_explicit = explicit;
        layer
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
    let mut seen = BTreeSet::new();
    if let Some(twice) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(format!("`{twice}` is listed twice"));
    }
    Ok(())
}
