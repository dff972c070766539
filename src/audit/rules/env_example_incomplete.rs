//! env-example-incomplete: every variable the code reads is listed in
//! `.env.example`, reported at the place it is read (checklist §2.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    class_action, AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::context::model::EnvClass;
use crate::scan::is_test_path;

fn is_ci_file(path: &str) -> bool {
    path.starts_with(".github/") || path == ".gitlab-ci.yml" || path.starts_with(".circleci/")
}

/// `a/b/` for `a/b/.env.example`, empty at the root.
fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

crate::declare_rule!(
    EnvExampleIncomplete,
    RuleMeta {
        id: "env-example-incomplete",
        section: "2.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "Every environment variable the code reads is listed in .env.example",
        applies: "when the repo has a .env.example (see env-example-missing) and the code reads environment variables",
        rationale: "Checklist §2.2: `.env.example` lists all needed variables, so a new environment can be configured without reading the code; a variable missing there is found only when something breaks.",
        detection: "Names read by code and config (discovery's env-var reads, with file and line) that no example env file (.env.example, .env.sample, .env.template, .env.dist) lists; a commented-out entry (`# NAME=default`, `#NAME=`, `# export NAME=`) counts as listed. An example file covers reads in its own folder and below. Only app configuration is demanded: variables discovery classes as set by the OS, shell, proxy or toolchain (PATH, HOME, HTTP_PROXY, CARGO_*), by CI (CI, GITHUB_*, GITLAB_CI, CI_*), as a runtime mode the tooling or platform sets (NODE_ENV, RAILS_ENV, RACK_ENV, VERCEL_*), as build-only (build.rs, bundler configs, Dockerfile ARG, BuildKit's TARGETARCH …), as test-only or as one-off task parameters (`.rake` files) are not. Optional variables are not demanded either: those every read gives an in-code fallback (`env('DB_PORT', '3306')`, `ENV.fetch(\"X\") { 5 }`, `os.getenv(\"X\", \"d\")`, `process.env.X || \"d\"`, `${X:-d}`, a presence check or a comparison with a literal, and Laravel's `env('X')` in config/*.php, null by default); a secret-named variable is demanded unless its fallback is non-empty. `infra context` shows each variable's class and whether it is optional.",
        fix: "run `infra update` (or `infra init`) to render .env.example with every variable the code reads, or add the variable with an empty value or a placeholder and a comment saying what it is",
        fixed_by_init: true,
        fail_example: "src/pay.js:3: Stripe(process.env.STRIPE_SECRET_KEY)   (.env.example has no STRIPE_SECRET_KEY)",
        pass_example: ".env.example:\n# Stripe secret key (secret; live only in production)\nSTRIPE_SECRET_KEY=",
    }
);

/// Whether a file name is an example env file.
pub fn is_example_env(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    (name.starts_with(".env") || name.ends_with(".env"))
        && ["example", "sample", "template", "dist"]
            .iter()
            .any(|w| name.contains(w))
}

impl Rule for EnvExampleIncomplete {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Reads there are not the app's configuration; a variable counts only
        // by a read outside them (filtered below, before the first read is picked).
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Example, Skip),
            (Docs, Skip),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let examples: Vec<_> = ctx
            .env_files
            .iter()
            .filter(|f| is_example_env(&f.path) && !is_test_path(&f.path))
            .collect();
        if examples.is_empty() {
            return Verdict::NotApplicable("no .env.example (see env-example-missing)".into());
        }
        if ctx.env_vars.is_empty() {
            return Verdict::NotApplicable("the code reads no environment variables".into());
        }
        for v in &ctx.env_vars {
            let name = v.name.as_str();
            // The app runs without an optional variable, and the OS, CI, the
            // build or the test harness supply the other classes.
            if v.class != EnvClass::App || v.optional {
                continue;
            }
            // An example file covers reads in its own folder and below; reads
            // no example covers are env-example-missing's, reads in tests none.
            let Some((read, covering)) = v.reads.iter().find_map(|r| {
                let path = &r.location.path;
                // CI variables (`${{ vars.X }}` in a workflow) come from the CI
                // system, not from a .env file.
                let skipped = class_action(self.class_policy(), ctx.classes_of(path))
                    == Some(ClassAction::Skip);
                if skipped || is_test_path(path) || is_ci_file(path) || r.via.contains("${{") {
                    return None;
                }
                let covering: Vec<_> = examples
                    .iter()
                    .filter(|f| path.starts_with(dir_of(&f.path)))
                    .collect();
                (!covering.is_empty()).then_some((r, covering))
            }) else {
                continue;
            };
            if covering
                .iter()
                .any(|f| f.entries.iter().any(|e| e.name == name))
            {
                continue;
            }
            let example = covering[0].path.as_str();
            out.add(format!("{name} is read here but missing from {example}"))
                .at(read.location.clone())
                .width(name.len())
                .evidence(format!("read via {}", read.via))
                .fix(format!(
                    "add `{name}=` to {example}{}",
                    if v.secret {
                        " (empty: it holds a secret)"
                    } else {
                        " with a placeholder or default"
                    }
                ))
                .key(name.to_string())
                .emit();
        }
        Verdict::Checked
    }
}
