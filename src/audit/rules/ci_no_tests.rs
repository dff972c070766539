//! ci-no-tests: a CI job that runs on changes runs the project's tests
//! (checklist §3.1).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::parse::pipeline::commands::Activity;

crate::declare_rule!(
    CiNoTests,
    RuleMeta {
        id: "ci-no-tests",
        section: "3.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "CI runs the tests on every change",
        applies: "when the repository has a CI pipeline and a stack with a test command",
        rationale: "Checklist §3.1: automated test pipelines. A pipeline that builds but never tests proves only that the code compiles.",
        detection: "Some job of a workflow triggered by pushes or pull/merge requests runs a test command of a known runner (cargo test/nextest, npm/pnpm/yarn test, jest, vitest, mocha, playwright, pytest, tox, go test, dotnet test, mvn verify/package, gradle test/check/build, rspec, rails test, phpunit, artisan test, mix test, ctest …), directly or through an npm script, Makefile, justfile or Taskfile recipe, a script file, a local composite action or a local reusable workflow. The word \"test\" in a job name, step name, comment or echo proves nothing; a step with continue-on-error does not count. An `npm run x` or `make x` that cannot be followed makes the rule unknown.",
        fix: "add a job that runs the stack's test command on push and pull_request (`infra init` renders one)",
        fixed_by_init: true,
        fail_example: "jobs:\n  test:\n    steps:\n      - run: echo \"tests\"",
        pass_example: "jobs:\n  test:\n    steps:\n      - run: npm ci\n      - run: npm test",
    }
);

impl Rule for CiNoTests {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let on_changes = match ci::on_changes(ctx) {
            Ok(p) => p,
            Err(verdict) => return verdict,
        };
        let Some(stack) = ctx.stacks.iter().find(|s| s.commands.test.is_some()) else {
            return Verdict::NotApplicable("no stack with a test command was found".into());
        };
        let tested = on_changes
            .iter()
            .any(|p| p.jobs.iter().any(|j| ci::job_does(ctx, j, Activity::Test)));
        if tested {
            return Verdict::Checked;
        }
        if let Some(verdict) = ci::undecided(ctx) {
            return verdict;
        }
        let test = stack.commands.test.as_deref().unwrap_or_default();
        let mut b = out
            .add(format!(
                "no CI job runs the tests: none of {} runs `{test}` or another test command",
                on_changes
                    .iter()
                    .map(|p| p.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at_file(&on_changes[0].path)
            .fix(format!(
                "add a step `run: {test}` to a job of {} that runs on push and pull_request",
                on_changes[0].path
            ))
            .key("no tests");
        for p in &on_changes[1..] {
            b = b.related(
                crate::model::Location::file(&p.path),
                "runs no tests either",
            );
        }
        b.emit();
        Verdict::Checked
    }
}
