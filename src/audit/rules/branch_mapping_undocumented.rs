//! branch-mapping-undocumented: the deployment doc says which branch deploys
//! to which environment (checklist §3.3), and says what the pipelines do.

use crate::audit::ci::{self, DeployRef};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::deployments_doc;
use crate::model::{canonical_environment, Location};
use crate::parse::markdown::sections::normalise;
use crate::parse::pipeline::glob;

crate::declare_rule!(
    BranchMappingUndocumented,
    RuleMeta {
        id: "branch-mapping-undocumented",
        section: "3.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "docs/infra/deployments.md says which branch deploys to which environment, as the pipelines do",
        applies: "when docs/infra/deployments.md exists (otherwise deploy-doc-missing reports it)",
        rationale: "Checklist §3.3: document which branch deploys where (e.g. `main` → production, `develop` → staging). Merging to the wrong branch should never be how someone learns it deploys, and a map that says `main` while the pipeline deploys production from tags is worse than none.",
        detection: "For each environment in infra.toml with a `branch`, a line of docs/infra/deployments.md (a table row, a list item, a sentence) names both the branch and the environment (`prod`/`live` count as production, `stage`/`preprod` as staging). Without branches in infra.toml, at least one line must pair a branch (main, master, develop, release, trunk) with an environment. Then the pipelines' own map: for each deploy step (as deploy-not-gated-on-tests finds them, rollbacks aside), its environment (literal; no environment on a production deploy is production) and the refs that reach it through push, tag, release and workflow_run triggers, narrowed by the `if:` of the job, of the step and of the jobs it needs (`github.ref == 'refs/heads/x'`, `github.event_name`, `startsWith(github.ref, 'refs/tags/')`), or GitLab `rules:`/`only:` (`$CI_COMMIT_BRANCH == \"x\"`, `$CI_DEFAULT_BRANCH`, `$CI_COMMIT_TAG`). Where the doc (a line naming one environment and its branches in backticks, or main/master/develop/trunk, or tags/releases) or infra.toml maps that environment, every ref the pipeline deploys it from must be among them (a glob covers what it matches); a disagreement is a finding at the deploy job, with the doc line as related location. The other way round, when every deploy's environment could be read, production or staging mapped to a branch by the doc or infra.toml but deployed by no pipeline is a finding at the doc's line. An environment picked at run time (`${{ inputs.env }}`) makes the rule unknown, with the reason, rather than a finding.",
        fix: "add a `## Branches and environments` table to docs/infra/deployments.md (`main` → production, `develop` → staging) that says what the deploy workflows do; `infra init` renders both from infra.toml",
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

/// What the doc or infra.toml says deploys an environment.
struct Claim {
    branches: Vec<String>,
    tags: bool,
    releases: bool,
    at: Location,
    what: String,
}

impl Claim {
    fn covers(&self, r: &DeployRef) -> bool {
        match r {
            DeployRef::Branch(b) if b == "$CI_DEFAULT_BRANCH" => self
                .branches
                .iter()
                .any(|c| matches!(c.as_str(), "main" | "master" | "trunk")),
            DeployRef::Branch(b) => self
                .branches
                .iter()
                .any(|c| c == b || glob(c, b) || (b != "**" && glob(b, c) && !c.contains('*'))),
            DeployRef::Tag(_) => self.tags,
            DeployRef::Release => self.releases || self.tags,
        }
    }
}

/// The environments a doc line names (canonical names, or the project's
/// own names from the pipelines).
fn envs_named(line_norm: &str, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for env in names {
        let mut words: Vec<String> = env_words(env).iter().map(|w| w.to_string()).collect();
        words.push(env.clone());
        if words.iter().any(|w| has_word(line_norm, w)) && !out.contains(env) {
            out.push(env.clone());
        }
    }
    out
}

/// Backticked names of a line, and the usual branch names written bare.
fn branches_in(line: &str, env: &str) -> Vec<String> {
    let mut out: Vec<String> = line
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|b| b.trim().trim_start_matches("refs/heads/").to_string())
        .filter(|b| !b.is_empty() && !b.contains(' '))
        .filter(|b| canonical_environment(b).is_none_or(|c| c != env) && b != env)
        .collect();
    let norm = normalise(line);
    for b in ["main", "master", "develop", "trunk"] {
        if has_word(&norm, b) && !out.iter().any(|o| o == b) {
            // `develop` names the dev environment too: only as a branch
            // when the line is not about dev.
            if !(b == "develop" && env == "dev") {
                out.push(b.to_string());
            }
        }
    }
    out
}

/// The claims of the doc and of infra.toml, per environment.
fn claims(input: &AuditInput<'_>, path: &str, text: &str, env: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let norm = normalise(line);
        let named = envs_named(&norm, &[env.to_string()]);
        if named.is_empty() {
            continue;
        }
        // A line naming several environments ("`main` to production,
        // `develop` to staging") does not say which branch is whose,
        // unless it is a table row with one environment cell.
        // Backticked words are branch names (`develop`), not environments.
        let unquoted: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let all = envs_named(
            &normalise(&unquoted),
            &["production", "staging", "dev", "test", "qa", "preview"]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        );
        if all.len() > 1 {
            continue;
        }
        let branches = branches_in(line, env);
        let tags = ["tag", "tags", "tagged"].iter().any(|w| has_word(&norm, w));
        let releases = ["release", "releases"].iter().any(|w| has_word(&norm, w))
            && !branches.iter().any(|b| b.starts_with("release"));
        if branches.is_empty() && !tags && !releases {
            continue;
        }
        out.push(Claim {
            what: describe_claim(&branches, tags, releases),
            branches,
            tags,
            releases,
            at: Location::new(path.to_string(), i as u32 + 1, 1),
        });
    }
    if let Some(envs) = input.answers.and_then(|a| a.environments.as_ref()) {
        for e in envs {
            let canonical = canonical_environment(&e.name)
                .map(str::to_string)
                .unwrap_or_else(|| e.name.to_ascii_lowercase());
            if let (Some(b), true) = (&e.branch, canonical == env) {
                out.push(Claim {
                    what: format!("`{b}`"),
                    branches: vec![b.clone()],
                    tags: false,
                    releases: false,
                    at: Location::file("infra.toml"),
                });
            }
        }
    }
    out
}

fn describe_claim(branches: &[String], tags: bool, releases: bool) -> String {
    let mut parts: Vec<String> = branches.iter().map(|b| format!("`{b}`")).collect();
    if tags {
        parts.push("tags".into());
    }
    if releases {
        parts.push("releases".into());
    }
    parts.join(", ")
}

/// The pipelines' branch → environment map against the doc's: a finding
/// per deploy job whose refs the doc does not name for its environment.
fn compare_with_pipelines(
    input: &AuditInput<'_>,
    path: &str,
    text: &str,
    out: &mut Findings<'_>,
) -> Option<String> {
    let ctx = input.ctx;
    let mut unknown: Option<String> = None;
    let mut seen = std::collections::BTreeSet::new();
    // Canonical names of the environments some pipeline deploys.
    let mut deployed: std::collections::BTreeSet<String> = Default::default();
    let mut any_deploy = false;
    for d in ci::deploys(ctx).iter().filter(|d| !d.rollback) {
        if !seen.insert((d.pipeline.path.as_str(), d.job.id.as_str())) {
            continue;
        }
        any_deploy = true;
        let env = match ci::environment_of(d) {
            Ok(Some(env)) => {
                deployed.insert(canonical(&env));
                env
            }
            Ok(None) => continue,
            Err(why) => {
                unknown.get_or_insert(why);
                continue;
            }
        };
        let refs = match ci::deploy_refs(ctx, d) {
            Ok(r) => r,
            Err(why) => {
                unknown.get_or_insert(why);
                continue;
            }
        };
        let claims = claims(input, path, text, &env);
        if refs.is_empty() || claims.is_empty() {
            continue;
        }
        let missing: Vec<&DeployRef> = refs
            .iter()
            .filter(|r| !claims.iter().any(|c| c.covers(r)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let claim = &claims[0];
        let said = if claim.at.path == "infra.toml" {
            format!("infra.toml maps {} → {env}", claim.what)
        } else {
            format!("{path} says {} → {env}", claim.what)
        };
        out.add(format!(
            "job `{}` of {} deploys {env} from {}, but {said}",
            d.job.id,
            d.pipeline.path,
            missing
                .iter()
                .map(|r| r.describe())
                .collect::<Vec<_>>()
                .join(" and ")
        ))
        .at(d.job.location.clone())
        .related(claim.at.clone(), "the documented mapping")
        .fix(format!(
            "make the two agree: document what the pipeline does in {path} (and infra.toml), or change the deploy job's triggers and `if:` to what the doc says"
        ))
        .key(format!(
            "pipeline {} {} {env}",
            d.pipeline.path, d.job.id
        ))
        .emit();
    }
    // The other way round: an environment the doc maps to a branch that no
    // pipeline deploys. Only when every deploy's environment was read (an
    // expression may be that environment) and something does deploy (else
    // deploys are by hand, and the doc may describe them).
    if any_deploy && unknown.is_none() {
        for env in ["production", "staging"] {
            if deployed.contains(env) {
                continue;
            }
            let Some(claim) = claims(input, path, text, env).into_iter().next() else {
                continue;
            };
            let said = if claim.at.path == "infra.toml" {
                format!("infra.toml maps {} → {env}", claim.what)
            } else {
                format!("{path} says {} → {env}", claim.what)
            };
            out.add(format!(
                "{said}, but no pipeline deploys {env} (the pipelines deploy {})",
                if deployed.is_empty() {
                    "no named environment".to_string()
                } else {
                    deployed.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            ))
            .at(claim.at.clone())
            .fix(format!(
                "add the {env} deploy job the doc describes (with `environment: {env}`), or say in {path} how {env} is really deployed"
            ))
            .key(format!("doc {env} not deployed"))
            .emit();
        }
    }
    unknown
}

/// `prod` → `production`; a project's own name stays as written.
fn canonical(env: &str) -> String {
    canonical_environment(env)
        .map(str::to_string)
        .unwrap_or_else(|| env.to_ascii_lowercase())
}

impl Rule for BranchMappingUndocumented {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let d = match deployments_doc(input.ctx) {
            Ok(d) => d,
            Err(verdict) => return verdict,
        };
        let unknown = compare_with_pipelines(input, d.path, d.text, out);
        let verdict = documented(input, &d, out);
        match unknown {
            Some(why) if out.is_empty() => Verdict::Unknown(why),
            _ => verdict,
        }
    }
}

/// Today's part: the doc names a branch for each environment infra.toml
/// maps (or some branch → environment pair at all).
fn documented(
    input: &AuditInput<'_>,
    d: &crate::audit::rules::DocRef<'_>,
    out: &mut Findings<'_>,
) -> Verdict {
    {
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
