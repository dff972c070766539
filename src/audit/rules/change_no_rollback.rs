//! change-no-rollback: a production deploy the change adds has a rollback
//! path, documented or as a workflow (checklist §8).

use crate::audit::ci::{self, Deploy, Production};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Change, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::deploy_no_rollback::ROLLBACK_HEADINGS;
use crate::audit::rules::{change_repository, infra_doc, DocLookup};
use crate::parse::pipeline::commands::Target;

crate::declare_rule!(
    ChangeNoRollback,
    RuleMeta {
        id: "change-no-rollback",
        section: "8",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "A production deploy the change adds has a documented rollback or a rollback workflow for its target",
        applies: "in diff mode (`--base REF`, `--staged`), when the change adds a deploy step to a CI pipeline",
        rationale: "Checklist §8: production must have a clear deploy and rollback path for the change. A new deploy path whose way back is worked out during the outage doubles it.",
        detection: "Each deploy step (discovery's deploy commands per platform: vercel, netlify, flyctl, gcloud run, az, aws ecs/lambda/s3, kubectl/helm, terraform apply …) on a line the change adds, not a preview, staging or dev deploy (by its environment; without one, by its job's or workflow's name or the folder it deploys from: `working-directory: terraform/staging`, `-chdir=infra/dev`) and not a throwaway test cluster, needs either a CI job that rolls back the same target (a job or workflow named rollback, `helm rollback`, `kubectl rollout undo`), or a non-empty rollback section (\"roll back\", \"rollback\", \"revert\", \"undo\") in docs/infra/deployments.md that names the target's platform or tool or the workflow.",
        fix: "document how to roll this deploy back in docs/infra/deployments.md (the command or workflow, and how to check it worked), or add a rollback workflow for the same target",
        fixed_by_init: false,
        fail_example: "+ - run: flyctl deploy --remote-only   (deployments.md has no rollback section naming Fly)",
        pass_example: "## How to roll back\n\n`flyctl releases` lists releases; `flyctl deploy --image <previous image>` puts the last good one back.",
    }
);

/// Words a rollback section uses for a deploy to `target`.
fn target_words(target: Option<Target>) -> &'static [&'static str] {
    match target {
        Some(Target::Vercel) => &["vercel"],
        Some(Target::Netlify) => &["netlify"],
        Some(Target::Aws) => &["aws", "ecs", "lambda", "cloudfront", "elastic beanstalk"],
        Some(Target::Gcp) => &["gcloud", "cloud run", "gcp", "app engine"],
        Some(Target::Azure) => &["azure", "az ", "container apps", "app service"],
        Some(Target::Fly) => &["fly", "flyctl"],
        Some(Target::Kubernetes) => &["kubectl", "kubernetes", "helm", "rollout", "argo"],
        Some(Target::Terraform) => &["terraform"],
        Some(Target::Serverless) => &["serverless", "sls "],
        Some(Target::Heroku) => &["heroku"],
        Some(Target::Other) | None => &[],
    }
}

fn adds(change: &Change, d: &Deploy<'_>) -> bool {
    let at = d.location();
    at.path == change.path
        && (change.adds(at.line) || change.adds(d.job.steps[d.step].location.line))
}

impl Rule for ChangeNoRollback {
    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        change_repository(input)
    }

    fn change(&self, input: &AuditInput<'_>, change: &Change, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let deploys = ci::deploys(ctx);
        let added: Vec<&Deploy<'_>> = deploys
            .iter()
            .filter(|d| {
                !d.rollback && !d.throwaway() && d.production != Production::No && adds(change, d)
            })
            .collect();
        if added.is_empty() {
            // A deploy the change adds to staging or a preview was looked
            // at: the rule passes for it rather than not applying.
            return if deploys.iter().any(|d| adds(change, d)) {
                Verdict::Checked
            } else {
                Verdict::Skipped
            };
        }
        let section = match infra_doc(ctx, "deployments.md") {
            DocLookup::Found(d) => d
                .doc
                .find(ROLLBACK_HEADINGS)
                .filter(|s| s.has_content())
                .map(|s| (d.path.to_string(), s.text_lower())),
            _ => None,
        };
        for d in added {
            let words = target_words(d.command.target);
            let workflow = d
                .pipeline
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&d.pipeline.path);
            let stem = workflow.rsplit_once('.').map_or(workflow, |(s, _)| s);
            let documented = section.as_ref().is_some_and(|(_, text)| {
                words.iter().any(|w| text.contains(w))
                    || text.contains(&workflow.to_lowercase())
                    || (stem.len() > 3 && text.contains(&stem.to_lowercase()))
            });
            let rollback_job = deploys
                .iter()
                .any(|r| r.rollback && r.command.target == d.command.target);
            if documented || rollback_job {
                continue;
            }
            out.add(format!(
                "the change adds a deploy (`{}`) with no rollback path: no rollback job for that target, and {}",
                d.command.command,
                match &section {
                    Some((path, _)) => format!("the rollback section of {path} does not name it"),
                    None => "docs/infra/deployments.md has no rollback section".to_string(),
                }
            ))
            .at(d.location())
            .evidence(format!("deploy in job `{}` of {}", d.job.id, d.pipeline.path))
            .key(format!("deploy {}", d.command.command))
            .emit();
        }
        Verdict::Checked
    }
}
