//! What each CI step runs, decided once after the walk: every step's shell
//! lines and action are classified (`parse::pipeline::commands`), following
//! npm scripts, Make/just/Task recipes and script files through the texts
//! the walk kept; `uses: ./local-action` steps take the activities of that
//! composite action's steps.

use super::model::Context;
use crate::parse::pipeline::commands::{self, Analysis, Classified, Resolve, Runner};
use crate::parse::pipeline::{PipelineKind, Uses};
use std::collections::BTreeMap;

/// Looks runner names up in the texts the walk kept.
pub struct Resolver<'a> {
    texts: &'a BTreeMap<String, String>,
}

fn join(dir: &str, file: &str) -> String {
    let dir = dir.trim_matches('/');
    if dir.is_empty() || dir == "." {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

impl<'a> Resolver<'a> {
    pub fn new(ctx: &'a Context) -> Self {
        Resolver { texts: &ctx.texts }
    }

    fn text(&self, path: &str) -> Option<&'a str> {
        self.texts.get(path).map(String::as_str)
    }

    fn first(&self, dir: &str, names: &[&str]) -> Option<&'a str> {
        names.iter().find_map(|n| self.text(&join(dir, n)))
    }
}

impl Resolve for Resolver<'_> {
    fn resolve(&self, runner: Runner, name: &str, dir: &str) -> Option<String> {
        match runner {
            Runner::Npm => {
                let json: serde_json::Value =
                    serde_json::from_str(self.text(&join(dir, "package.json"))?).ok()?;
                let scripts = json.get("scripts")?;
                // npm runs `pre<name>` and `post<name>` around a script.
                let body = scripts.get(name)?.as_str()?.to_string();
                let pre = scripts.get(format!("pre{name}")).and_then(|v| v.as_str());
                let post = scripts.get(format!("post{name}")).and_then(|v| v.as_str());
                Some(
                    [pre, Some(body.as_str()), post]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }
            Runner::Make => {
                let text = self.first(dir, &["GNUmakefile", "makefile", "Makefile"])?;
                let recipes = commands::make_recipes(text);
                let wanted = if name == "(default)" {
                    recipes.first().map(|(n, _)| n.clone())?
                } else {
                    name.to_string()
                };
                recipes
                    .into_iter()
                    .find(|(n, _)| *n == wanted)
                    .map(|(_, body)| body)
            }
            Runner::Just => {
                let text = self.first(dir, &["justfile", "Justfile", ".justfile"])?;
                commands::just_recipes(text)
                    .into_iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, body)| body)
            }
            Runner::Task => {
                let text = self.first(
                    dir,
                    &[
                        "Taskfile.yml",
                        "Taskfile.yaml",
                        "taskfile.yml",
                        "taskfile.yaml",
                    ],
                )?;
                let docs = crate::parse::yaml::parse_documents(text).ok()?;
                let task = docs.first()?.path(&["tasks", name])?;
                let cmds = task.get("cmds")?.as_seq()?;
                let mut body = String::new();
                for c in cmds {
                    if let Some(line) = c.as_str().or_else(|| c.str_at("cmd")) {
                        body.push_str(line);
                        body.push('\n');
                    } else if let Some(other) = c.str_at("task") {
                        body.push_str(&format!("task {other}\n"));
                    }
                }
                Some(body)
            }
            Runner::Rake => None,
            Runner::File => self
                .text(&join(dir, name))
                .or_else(|| self.text(name))
                .map(str::to_string),
        }
    }
}

/// A composite action's steps run with `$GITHUB_ACTION_PATH` set to the
/// action's own folder: known here, so `bash "$GITHUB_ACTION_PATH/run.sh"`
/// can be followed into the repository.
fn with_action_path<'t>(
    p: &crate::parse::pipeline::Pipeline,
    text: &'t str,
) -> std::borrow::Cow<'t, str> {
    if p.kind != PipelineKind::CompositeAction
        || !text.contains("ACTION_PATH") && !text.contains("action_path")
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let folder = p.path.rsplit_once('/').map_or(".", |(d, _)| d);
    let mut out = text.to_string();
    for var in [
        "${GITHUB_ACTION_PATH}",
        "$GITHUB_ACTION_PATH",
        "${{ github.action_path }}",
        "${{github.action_path}}",
    ] {
        out = out.replace(var, folder);
    }
    std::borrow::Cow::Owned(out)
}

/// Classify every step of every pipeline in place.
pub fn analyze(ctx: &mut Context) {
    let mut results: Vec<Vec<Vec<Analysis>>> = Vec::new();
    {
        let resolver = Resolver::new(ctx);
        for p in &ctx.pipelines {
            let mut jobs = Vec::new();
            for job in &p.jobs {
                let mut steps = Vec::new();
                for step in &job.steps {
                    let dir = step.working_directory.as_deref().unwrap_or("");
                    let mut a = step
                        .run
                        .as_ref()
                        .map(|r| {
                            let text = with_action_path(p, &r.text);
                            commands::classify_script(&text, r.line, dir, &resolver)
                        })
                        .unwrap_or_default();
                    if let Some(uses) = &step.uses {
                        if let Some((activity, target, production, command)) =
                            commands::classify_action(uses.text(), &step.with)
                        {
                            a.found.push(Classified {
                                activity,
                                command,
                                target,
                                production,
                                line: step.location.line,
                                via: Vec::new(),
                            });
                        }
                    }
                    steps.push(a);
                }
                jobs.push(steps);
            }
            results.push(jobs);
        }
    }
    for (p, jobs) in ctx.pipelines.iter_mut().zip(results) {
        for (job, steps) in p.jobs.iter_mut().zip(jobs) {
            for (step, a) in job.steps.iter_mut().zip(steps) {
                step.runs = a;
            }
        }
    }
    // Local composite actions: a step that uses one runs its steps.
    let actions: BTreeMap<String, Analysis> = ctx
        .pipelines
        .iter()
        .filter(|p| p.kind == PipelineKind::CompositeAction)
        .map(|p| {
            let dir = p
                .path
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            let mut all = Analysis::default();
            for step in p.jobs.iter().flat_map(|j| &j.steps) {
                all.found.extend(step.runs.found.iter().cloned());
                all.unknown.extend(step.runs.unknown.iter().cloned());
            }
            (dir, all)
        })
        .collect();
    for p in &mut ctx.pipelines {
        for step in p.jobs.iter_mut().flat_map(|j| j.steps.iter_mut()) {
            if let Some(Uses::Local(dir)) = &step.uses {
                if let Some(a) = actions.get(dir.trim_end_matches('/')) {
                    let line = step.location.line;
                    step.runs.found.extend(a.found.iter().cloned().map(|mut c| {
                        c.via.insert(0, format!("uses ./{dir}"));
                        c.line = line;
                        c
                    }));
                    step.runs
                        .unknown
                        .extend(a.unknown.iter().cloned().map(|mut u| {
                            u.line = line;
                            u
                        }));
                }
            }
        }
    }
}
