//! change-env-undeclared: a variable the change starts reading is declared
//! in an example env file or docs/infra/config.md (checklist §8).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, Change, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::audit::rules::{brought_in, change_repository, infra_doc, mentions_word, DocLookup};
use crate::context::model::EnvClass;

crate::declare_rule!(
    ChangeEnvUndeclared,
    RuleMeta {
        id: "change-env-undeclared",
        section: "8",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "A variable the change starts reading is declared in .env.example or docs/infra/config.md",
        applies: "in diff mode (`--base REF`, `--staged`), to the lines the change adds",
        rationale: "Checklist §8: for any feature that touches infra, environment variables and secrets must be defined and documented. A variable that arrives with a change and is declared nowhere is the one the next deploy is missing.",
        detection: "Each app-configuration variable the change starts reading (discovery's env-var reads: process.env.X, os.getenv, std::env::var, ${X} in compose …; one the base tree did not read; with `--staged`, where no base is audited, one whose every read stands on a line the commit adds) must be listed in an example env file (.env.example, .env.sample, .env.template, .env.dist; commented-out entries count) or named as a whole word in docs/infra/config.md, or set by a Kubernetes container's `env:` or a compose service's `environment:` (the manifest defines it for the workload; the entry itself is not a read). Variables the OS, CI (workflows, and scripts under `.github/actions/`, `.gitlab/`, `.circleci/`, `.buildkite/`), build or test harness supply are not expected there; a variable every read gives a fallback is reported one level lower. Reads in tests, fixtures, examples, docs, generated and vendored files are not judged.",
        fix: "add the variable to .env.example (empty for a secret) and to docs/infra/config.md (purpose, required, secret, where each environment gets it)",
        fixed_by_init: false,
        fail_example: "+ const key = process.env.SEARCH_API_KEY;   (no .env.example or config.md names SEARCH_API_KEY)",
        pass_example: ".env.example:\n# Search API key (secret)\nSEARCH_API_KEY=",
    }
);

/// How discovery records a Kubernetes container's `env:` entry.
const K8S_ENV: &str = "k8s env";

impl Rule for ChangeEnvUndeclared {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
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

    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        change_repository(input)
    }

    fn change(&self, input: &AuditInput<'_>, change: &Change, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let config = match infra_doc(ctx, "config.md") {
            DocLookup::Found(d) => Some(d),
            _ => None,
        };
        let examples: Vec<_> = ctx
            .env_files
            .iter()
            .filter(|f| crate::audit::rules::env_example_incomplete::is_example_env(&f.path))
            .collect();
        for v in ctx.env_vars.iter().filter(|v| v.class == EnvClass::App) {
            // A Kubernetes container's `env:` entry sets the variable: it is
            // defined where the workload is, not read.
            let set_by_manifest = |r: &crate::context::EnvRead| r.via == K8S_ENV;
            let Some(read) = v.reads.iter().find(|r| {
                r.location.path == change.path
                    && change.adds(r.location.line)
                    && !r.via.contains("${{")
                    && !set_by_manifest(r)
            }) else {
                continue;
            };
            // Read before the change too: not the change's variable (the
            // repository-wide rules report it undocumented).
            let locations = v.reads.iter().map(|r| &r.location);
            if !brought_in(input, |k| k.env_vars.contains(&v.name), locations) {
                continue;
            }
            let declared = examples
                .iter()
                .any(|f| f.entries.iter().any(|e| e.name == v.name))
                || config
                    .as_ref()
                    .is_some_and(|d| mentions_word(d.text, &v.name))
                || v.reads.iter().any(set_by_manifest)
                // A compose service's `environment:` sets it for the service,
                // as a Kubernetes `env:` does.
                || ctx
                    .compose_services
                    .iter()
                    .any(|c| c.environment.contains(&v.name));
            if declared {
                continue;
            }
            let mut b = out
                .add(format!(
                    "the change reads {} but neither an example env file nor docs/infra/config.md declares it",
                    v.name
                ))
                .at(read.location.clone())
                .width(v.name.len())
                .evidence(format!("read via {}", read.via))
                .evidence(if examples.is_empty() {
                    "no example env file in the repository".to_string()
                } else {
                    format!(
                        "not in {}",
                        examples.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().join(", ")
                    )
                })
                .evidence(match &config {
                    Some(d) => format!("not named in {}", d.path),
                    None => "no docs/infra/config.md".to_string(),
                })
                .fix(format!(
                    "add `{}=` to .env.example{} and document it in docs/infra/config.md",
                    v.name,
                    if v.secret { " (empty: it holds a secret)" } else { "" }
                ))
                .key(v.name.clone());
            if v.optional {
                b = b.demoted();
            }
            b.emit();
        }
        Verdict::Checked
    }
}
