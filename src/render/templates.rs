//! The embedded Tera templates, per-repo overrides from `.infra/templates/`
//! (or `[templates] dir`), and the list of files rendered for a context.

use super::vars::{self, Vars};
use super::{Ownership, RenderError};
use crate::answers::Answers;
use crate::context::Context;
use crate::platform::Platform;
use std::path::Path;

/// Every template, by name. Overrides use the same name under the templates dir.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "env.example.tera",
        include_str!("../../templates/env.example.tera"),
    ),
    (
        "lint/yamllint.tera",
        include_str!("../../templates/lint/yamllint.tera"),
    ),
    (
        "lint/markdownlint.jsonc.tera",
        include_str!("../../templates/lint/markdownlint.jsonc.tera"),
    ),
    (
        "docs/infra/overview.md.tera",
        include_str!("../../templates/docs/infra/overview.md.tera"),
    ),
    (
        "docs/infra/config.md.tera",
        include_str!("../../templates/docs/infra/config.md.tera"),
    ),
    (
        "docs/infra/deployments.md.tera",
        include_str!("../../templates/docs/infra/deployments.md.tera"),
    ),
    (
        "docs/infra/observability.md.tera",
        include_str!("../../templates/docs/infra/observability.md.tera"),
    ),
    (
        "docs/infra/security.md.tera",
        include_str!("../../templates/docs/infra/security.md.tera"),
    ),
    (
        "docs/infra/backups.md.tera",
        include_str!("../../templates/docs/infra/backups.md.tera"),
    ),
    (
        "docs/infra/runbooks/app.md.tera",
        include_str!("../../templates/docs/infra/runbooks/app.md.tera"),
    ),
    (
        "docs/infra/runbooks/service.md.tera",
        include_str!("../../templates/docs/infra/runbooks/service.md.tera"),
    ),
    (
        "github/workflows/_jobs.yml.tera",
        include_str!("../../templates/github/workflows/_jobs.yml.tera"),
    ),
    (
        "github/workflows/ci.yml.tera",
        include_str!("../../templates/github/workflows/ci.yml.tera"),
    ),
    (
        "github/workflows/deploy.yml.tera",
        include_str!("../../templates/github/workflows/deploy.yml.tera"),
    ),
    (
        "github/workflows/rollback.yml.tera",
        include_str!("../../templates/github/workflows/rollback.yml.tera"),
    ),
    (
        "github/dependabot.yml.tera",
        include_str!("../../templates/github/dependabot.yml.tera"),
    ),
    (
        "vercel.json.tera",
        include_str!("../../templates/vercel.json.tera"),
    ),
    (
        "netlify.toml.tera",
        include_str!("../../templates/netlify.toml.tera"),
    ),
    (
        "projectplan-tasks.md.tera",
        include_str!("../../templates/projectplan-tasks.md.tera"),
    ),
];

/// A rendered file before reconciliation with the repo.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub path: String,
    pub template: &'static str,
    pub ownership: Ownership,
    pub text: String,
}

/// Load the embedded templates, then the repo's overrides on top.
pub fn load(root: &Path, templates_dir: &str) -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![]);
    let mut sources: Vec<(String, String)> = EMBEDDED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if !templates_dir.is_empty() {
        super::safe::check_rel_path(templates_dir.trim_end_matches('/'))?;
        let dir = root.join(templates_dir.trim_end_matches('/'));
        for (name, text) in sources.iter_mut() {
            let path = dir.join(name.as_str());
            match std::fs::read_to_string(&path) {
                Ok(t) => *text = t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(RenderError::Io {
                        path: format!("{templates_dir}/{name}"),
                        source: e,
                    })
                }
            }
        }
    }
    tera.add_raw_templates(sources)
        .map_err(|e| tera_error("(loading)", &e))?;
    Ok(tera)
}

fn tera_error(name: &str, e: &tera::Error) -> RenderError {
    use std::error::Error;
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    RenderError::Template {
        name: name.to_string(),
        message,
    }
}

/// Render every file for this context and these answers, in a fixed order.
pub fn render_all(
    root: &Path,
    ctx: &Context,
    answers: &Answers,
) -> Result<Vec<Rendered>, RenderError> {
    let tera = load(root, &answers.templates_dir)?;
    let vars = vars::build(ctx, answers);
    render_with(&tera, &vars, answers.platform)
}

pub fn render_with(
    tera: &tera::Tera,
    vars: &Vars,
    platform: Platform,
) -> Result<Vec<Rendered>, RenderError> {
    let mut jobs: Vec<(String, &'static str, Ownership, Option<vars::ServiceVars>)> = vec![
        (
            ".env.example".into(),
            "env.example.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/overview.md".into(),
            "docs/infra/overview.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/config.md".into(),
            "docs/infra/config.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/deployments.md".into(),
            "docs/infra/deployments.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/observability.md".into(),
            "docs/infra/observability.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/security.md".into(),
            "docs/infra/security.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "docs/infra/runbooks/app.md".into(),
            "docs/infra/runbooks/app.md.tera",
            Ownership::Rendered,
            None,
        ),
        (
            ".github/workflows/ci.yml".into(),
            "github/workflows/ci.yml.tera",
            Ownership::Rendered,
            None,
        ),
        (
            ".github/workflows/deploy.yml".into(),
            "github/workflows/deploy.yml.tera",
            Ownership::Rendered,
            None,
        ),
        (
            ".github/workflows/rollback.yml".into(),
            "github/workflows/rollback.yml.tera",
            Ownership::Rendered,
            None,
        ),
        (
            ".github/dependabot.yml".into(),
            "github/dependabot.yml.tera",
            Ownership::Rendered,
            None,
        ),
        (
            "projectplan.md".into(),
            "projectplan-tasks.md.tera",
            Ownership::Block("tasks".into()),
            None,
        ),
    ];
    if !vars.data_stores.is_empty() {
        jobs.push((
            "docs/infra/backups.md".into(),
            "docs/infra/backups.md.tera",
            Ownership::Rendered,
            None,
        ));
    }
    for s in &vars.runbooks {
        if s.id == "app" {
            continue;
        }
        jobs.push((
            format!("docs/infra/runbooks/{}.md", s.id),
            "docs/infra/runbooks/service.md.tera",
            Ownership::Rendered,
            Some(s.clone()),
        ));
    }
    for (path, template) in platform.def().runtime_files {
        jobs.push(((*path).into(), template, Ownership::CreateOnly, None));
    }
    // The linters' settings travel with the files they judge, unless the
    // repository configures those linters itself.
    if vars.lint_configs.yamllint {
        jobs.push((
            ".yamllint".into(),
            "lint/yamllint.tera",
            Ownership::CreateOnly,
            None,
        ));
    }
    if vars.lint_configs.markdownlint {
        jobs.push((
            ".markdownlint.jsonc".into(),
            "lint/markdownlint.jsonc.tera",
            Ownership::CreateOnly,
            None,
        ));
    }
    let mut out = Vec::with_capacity(jobs.len());
    for (path, template, ownership, service) in jobs {
        let mut v = vars.clone();
        v.service = service;
        let tctx = tera::Context::from_serialize(&v).map_err(|e| tera_error(template, &e))?;
        let raw = tera
            .render(template, &tctx)
            .map_err(|e| tera_error(template, &e))?;
        let text = normalize(&path, &raw);
        out.push(Rendered {
            path,
            template,
            ownership,
            text,
        });
    }
    Ok(out)
}

/// Tidy whitespace so template control flow never leaks into the output:
/// no trailing spaces, no runs of blank lines, exactly one final newline.
/// In workflows `$[[ expr ]]` becomes GitHub's `${{ expr }}` (Tera owns `{{ }}`).
pub fn normalize(path: &str, raw: &str) -> String {
    let text = if path.ends_with(".yml") || path.ends_with(".yaml") {
        expand_github_expressions(raw)
    } else {
        raw.to_string()
    };
    let yaml = path.ends_with(".yml") || path.ends_with(".yaml");
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            // No blank line right under a top-level key such as `jobs:`.
            let under_key = yaml
                && out
                    .lines()
                    .last()
                    .is_some_and(|l| !l.starts_with(' ') && l.ends_with(':'));
            if blank_run > 1 || out.is_empty() || under_key {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.is_empty() {
        return out;
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn expand_github_expressions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("$[[") {
        let after = &rest[start + 3..];
        match after.find("]]") {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str("${{");
                out.push_str(&after[..end]);
                out.push_str("}}");
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_blank_lines_and_trailing_space() {
        assert_eq!(
            normalize("a.md", "\n\n# A  \n\n\n\ntext\n\n\n"),
            "# A\n\ntext\n"
        );
    }

    #[test]
    fn github_expressions_are_expanded_in_yaml_only() {
        assert_eq!(
            normalize("a.yml", "x: $[[ github.sha ]]\n"),
            "x: ${{ github.sha }}\n"
        );
        assert_eq!(normalize("a.md", "x: $[[ y ]]\n"), "x: $[[ y ]]\n");
        assert_eq!(
            normalize("a.yml", "jobs:\n\n  a:\n\n  b:\n"),
            "jobs:\n  a:\n\n  b:\n"
        );
    }

    #[test]
    fn every_embedded_template_parses() {
        let tera = load(Path::new("."), "");
        assert!(tera.is_ok(), "{:?}", tera.err());
    }
}
