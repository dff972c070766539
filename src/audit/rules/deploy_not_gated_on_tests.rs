//! deploy-not-gated-on-tests: no path reaches a production deploy without a
//! test having passed (checklist §3.1).

use crate::audit::ci::{self, Gate, Production};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};

crate::declare_rule!(
    DeployNotGatedOnTests,
    RuleMeta {
        id: "deploy-not-gated-on-tests",
        section: "3.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "Production deploys run only after the tests passed",
        applies: "when a pipeline deploys to production",
        rationale: "Checklist §3.1: for production deploys, require tests to pass before deploying. A deploy job that does not wait for the tests ships whatever was pushed, broken or not.",
        detection: "Each production deploy step (vercel --prod, netlify deploy --prod, aws ecs/lambda/s3 sync/cloudformation/sam/cdk, gcloud run/app/functions deploy, az containerapp/webapp/functionapp, flyctl deploy, kubectl apply/set image/rollout, helm upgrade/install, skaffold run, serverless deploy, terraform apply, and the deploy actions of these platforms, also through scripts and recipes) must come after a test that must pass: an earlier step of the same job, a job in its `needs:` chain, the jobs of earlier GitLab stages when `needs` is unset, every caller of a local reusable workflow, or a `workflow_run` trigger on a tested workflow together with an `if:` on `github.event.workflow_run.conclusion == 'success'`. `if: always()`, `!cancelled()` or `failure()` on the deploy job, `needs: []` in GitLab and continue-on-error tests break the gate. Production is the job's literal environment (production, prod, live …); without one, a deploy that is not marked preview or staging. Rollbacks (`helm rollback`, `kubectl rollout undo`, a job or workflow named rollback or revert) put back a version that already shipped and are not checked. An environment chosen by an expression, a workflow from another repository or an unfollowed script makes the result unknown.",
        fix: "make the deploy job wait for the test job (`needs: [test]`), or run the tests earlier in the same job; after `workflow_run`, add `if: github.event.workflow_run.conclusion == 'success'`",
        fixed_by_init: false,
        fail_example: "jobs:\n  test: {steps: [{run: npm test}]}\n  deploy:\n    environment: production\n    steps: [{run: vercel deploy --prod}]",
        pass_example: "  deploy:\n    needs: [test]\n    environment: production\n    steps: [{run: vercel deploy --prod}]",
    }
);

impl Rule for DeployNotGatedOnTests {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let deploys = ci::deploys(ctx);
        if deploys.is_empty() {
            return Verdict::NotApplicable("no pipeline deploys".into());
        }
        let mut unknown: Option<String> = None;
        let mut production = 0;
        let mut reported = std::collections::BTreeSet::new();
        for d in deploys.iter().filter(|d| !d.rollback) {
            match &d.production {
                Production::No => continue,
                Production::Unknown(why) => {
                    unknown.get_or_insert_with(|| why.clone());
                    continue;
                }
                Production::Yes => production += 1,
            }
            match ci::gate(ctx, d) {
                Gate::Gated(_) => {}
                Gate::Unknown(why) => {
                    unknown.get_or_insert(why);
                }
                Gate::NotGated(why) => {
                    // One finding per job: its first ungated deploy step.
                    if !reported.insert((d.pipeline.path.as_str(), d.job.id.as_str())) {
                        continue;
                    }
                    let mut b = out
                        .add(format!(
                            "`{}` in job `{}` deploys to production without a passing test first: {why}",
                            d.command.command, d.job.id
                        ))
                        .at(d.location())
                        .related(d.job.location.clone(), "the deploy job")
                        .key(format!("{} {}", d.job.id, d.command.command));
                    if let Some(t) = d.pipeline.jobs.iter().find(|j| {
                        j.id != d.job.id
                            && ci::job_does(
                                ctx,
                                j,
                                crate::parse::pipeline::commands::Activity::Test,
                            )
                    }) {
                        b = b.related(
                            t.location.clone(),
                            "tests run here, but the deploy does not wait for them",
                        );
                    }
                    b.emit();
                }
            }
        }
        if let Some(why) = unknown {
            if out.is_empty() {
                return Verdict::Unknown(why);
            }
        }
        if production == 0 {
            return Verdict::NotApplicable("no pipeline deploys to production".into());
        }
        Verdict::Checked
    }
}
