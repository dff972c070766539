//! env-example-missing: a committed `.env.example` lists the variables the
//! app needs, without values (checklist §2.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::model::EnvClass;

crate::declare_rule!(
    EnvExampleMissing,
    RuleMeta {
        id: "env-example-missing",
        section: "2.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "A .env.example lists every variable the app needs, without real values",
        applies: "when the code or config reads environment variables, or the repo has .env files",
        rationale: "Checklist §2.2: provide `.env.example` with all needed variables and no real values, so a new environment can be set up without reading the code and without anyone sharing a real .env.",
        detection: "A file named .env.example (or .env.sample, .env.template, .env.dist, example.env) anywhere in the repo, when discovery found reads of app configuration without an in-code default (the variables env-example-incomplete would demand; not those the OS, CI, the build or tests supply, nor optional ones) or .env files.",
        fix: "run `infra init` (or `infra update`) to render .env.example with every variable the code reads, placeholders only",
        fixed_by_init: true,
        fail_example: "src/db.js: const url = process.env.DATABASE_URL;   (and no .env.example)",
        pass_example: ".env.example:\n# Postgres connection string (secret)\nDATABASE_URL=",
    }
);

const NAMES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    "env.example",
];

impl Rule for EnvExampleMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let has_example = ctx.files.iter().any(|f| {
            let name = f
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&f.path)
                .to_ascii_lowercase();
            NAMES.contains(&name.as_str())
        });
        if has_example {
            return Verdict::Checked;
        }
        // Only app configuration without an in-code default belongs in an
        // example file (the policy env-example-incomplete applies).
        let demanded: Vec<_> = ctx
            .env_vars
            .iter()
            .filter(|v| v.class == EnvClass::App && !v.optional)
            .collect();
        if demanded.is_empty() && ctx.env_files.is_empty() {
            return Verdict::NotApplicable(
                "the code reads no app configuration without a default (only variables the OS, CI, the build or tests supply, or optional ones) and there are no .env files".into(),
            );
        }
        let message = if demanded.is_empty() {
            format!(
                "no .env.example, but the repo has {} .env file{}",
                ctx.env_files.len(),
                if ctx.env_files.len() == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "no .env.example, but the code reads {} environment variable{} of app configuration",
                demanded.len(),
                if demanded.len() == 1 { "" } else { "s" }
            )
        };
        let mut b = out.add(message).at_file(".env.example").key("missing");
        for v in demanded.iter().take(3) {
            if let Some(r) = v.reads.first() {
                b = b.related(
                    r.location.clone(),
                    format!("{} read here ({})", v.name, r.via),
                );
            }
        }
        for f in ctx.env_files.iter().take(3) {
            b = b.evidence(format!("{} sets {} variables", f.path, f.entries.len()));
        }
        b.emit();
        Verdict::Checked
    }
}
