//! ci-missing: the repository has an automated build and test pipeline
//! (checklist §3.1).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};

crate::declare_rule!(
    CiMissing,
    RuleMeta {
        id: "ci-missing",
        section: "3.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "An automated CI pipeline runs on every change",
        applies: "always",
        rationale: "Checklist §3.1: define and maintain automated build and test pipelines. Without CI, nothing proves that what is merged builds, passes its tests or is safe to deploy.",
        detection: "A GitHub Actions workflow under .github/workflows/ or a .gitlab-ci.yml that parses and triggers on pushes or pull/merge requests. CI of other systems (CircleCI, Jenkins, Azure Pipelines, Bitbucket, Travis, Buildkite, Drone, Cloud Build, CodeBuild, Woodpecker) is recognised but not read: the rule is then unknown, never a pass.",
        fix: "run `infra init` (or `infra update`) to render .github/workflows/ci.yml with the build, lint and test commands of your stack",
        fixed_by_init: true,
        fail_example: "(no .github/workflows/ and no .gitlab-ci.yml)",
        pass_example: ".github/workflows/ci.yml:\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test",
    }
);

impl Rule for CiMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        if ci::top_level(ctx).any(ci::runs_on_changes) {
            return Verdict::Checked;
        }
        if let Some((path, system)) = ctx.other_ci.first() {
            return Verdict::Unknown(format!(
                "CI is configured for {system} in {path}, which infra does not read yet"
            ));
        }
        let msg = match ci::top_level(ctx).next() {
            Some(p) => format!(
                "no CI pipeline runs on pushes or pull requests ({} runs only on other events)",
                p.path
            ),
            None => "no CI pipeline: no GitHub Actions workflow and no .gitlab-ci.yml".to_string(),
        };
        let mut b = out.add(msg).at_file(".github/workflows").key("missing");
        for p in ci::top_level(ctx) {
            if let Some(t) = p.triggers.first() {
                b = b.related(t.location.clone(), "triggered only by this");
            }
        }
        b.emit();
        Verdict::Checked
    }
}
