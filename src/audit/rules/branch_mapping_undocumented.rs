//! branch-mapping-undocumented: the deployment doc says which branch deploys
//! to which environment (checklist §3.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::deployments_doc;
use crate::model::canonical_environment;
use crate::parse::markdown::sections::normalise;

crate::declare_rule!(
    BranchMappingUndocumented,
    RuleMeta {
        id: "branch-mapping-undocumented",
        section: "3.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "docs/infra/deployments.md says which branch deploys to which environment",
        applies: "when docs/infra/deployments.md exists (otherwise deploy-doc-missing reports it)",
        rationale: "Checklist §3.3: document which branch deploys where (e.g. `main` → production, `develop` → staging). Merging to the wrong branch should never be how someone learns it deploys.",
        detection: "For each environment in infra.toml with a `branch`, a line of docs/infra/deployments.md (a table row, a list item, a sentence) names both the branch and the environment (`prod`/`live` count as production, `stage`/`preprod` as staging). Without branches in infra.toml, at least one line must pair a branch (main, master, develop, release, trunk) with an environment.",
        fix: "add a `## Branches and environments` table to docs/infra/deployments.md (`main` → production, `develop` → staging); `infra init` renders it from infra.toml",
        fixed_by_init: true,
        fail_example: "## How to deploy\nMerge your pull request.",
        pass_example: "## Branches and environments\n\n| Branch | Environment |\n|---|---|\n| `develop` | staging |\n| `main` | production |",
    }
);

fn has_word(line_norm: &str, word: &str) -> bool {
    let w = normalise(word);
    !w.is_empty() && format!(" {line_norm} ").contains(&format!(" {w} "))
}

fn env_words(env: &str) -> Vec<&'static str> {
    match canonical_environment(env) {
        Some("production") => vec!["production", "prod", "live", "prd"],
        Some("staging") => vec![
            "staging",
            "stage",
            "stg",
            "preprod",
            "pre production",
            "uat",
        ],
        Some("dev") => vec!["dev", "development", "develop"],
        _ => Vec::new(),
    }
}

impl Rule for BranchMappingUndocumented {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let d = match deployments_doc(input.ctx) {
            Ok(d) => d,
            Err(verdict) => return verdict,
        };
        let lines: Vec<String> = d.text.lines().map(normalise).collect();
        let pairs: Vec<(String, String)> = input
            .answers
            .and_then(|a| a.environments.as_ref())
            .map(|envs| {
                envs.iter()
                    .filter_map(|e| e.branch.as_ref().map(|b| (e.name.clone(), b.clone())))
                    .collect()
            })
            .unwrap_or_default();
        if pairs.is_empty() {
            let branches = ["main", "master", "develop", "release", "trunk"];
            let found = lines.iter().any(|l| {
                branches.iter().any(|b| has_word(l, b))
                    && ["production", "prod", "live", "staging", "stage", "preprod"]
                        .iter()
                        .any(|e| has_word(l, e))
            });
            if !found {
                out.add(format!(
                    "{} does not say which branch deploys to which environment",
                    d.path
                ))
                .at_file(d.path)
                .key("no mapping")
                .emit();
            }
            return Verdict::Checked;
        }
        for (env, branch) in pairs {
            let mut words = env_words(&env);
            let own = env.to_lowercase();
            words.push(&own);
            let found = lines
                .iter()
                .any(|l| has_word(l, &branch) && words.iter().any(|w| has_word(l, w)));
            if !found {
                out.add(format!(
                    "{} does not say that branch `{branch}` deploys to {env} (infra.toml maps them)",
                    d.path
                ))
                .at_file(d.path)
                .fix(format!(
                    "add a row `| `{branch}` | {env} |` to a \"Branches and environments\" table in {}",
                    d.path
                ))
                .key(format!("{branch}->{env}"))
                .emit();
            }
        }
        Verdict::Checked
    }
}
