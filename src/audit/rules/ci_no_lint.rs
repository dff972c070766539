//! ci-no-lint: CI runs the linter or type checker the project adopted
//! (checklist §3.1).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::parse::pipeline::commands::Activity;

crate::declare_rule!(
    CiNoLint,
    RuleMeta {
        id: "ci-no-lint",
        section: "3.1",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "CI runs the project's linter or type checker",
        applies: "when the repository has a CI pipeline and a stack whose manifest adopts a linter or type checker",
        rationale: "Checklist §3.1: linting and type checking steps where applicable. A linter configured in the repo but not run in CI is a suggestion, not a gate.",
        detection: "The stack adopts a linter or type checker (discovery's lint and typecheck commands: eslint, next lint, biome, tsc, ruff, flake8, mypy, pyright, clippy, golangci-lint, go vet, rubocop, phpstan, dotnet format …) and no job of a workflow triggered by pushes or pull/merge requests runs a lint or type-check command, directly or through scripts, recipes, local actions or reusable workflows. Unfollowed runner calls make it unknown.",
        fix: "add a step that runs the stack's lint command (and type checker) to the CI job (`infra init` renders one)",
        fixed_by_init: true,
        fail_example: "package.json: \"lint\": \"eslint .\"   .github/workflows/ci.yml runs only `npm test`",
        pass_example: "- run: npm run lint\n- run: npm test",
    }
);

impl Rule for CiNoLint {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let on_changes = match ci::on_changes(ctx) {
            Ok(p) => p,
            Err(verdict) => return verdict,
        };
        let Some((stack, command)) = ctx.stacks.iter().find_map(|s| {
            s.commands
                .lint
                .as_deref()
                .or(s.commands.typecheck.as_deref())
                .map(|c| (s, c))
        }) else {
            return Verdict::NotApplicable("no stack adopts a linter or type checker".into());
        };
        let linted = on_changes.iter().any(|p| {
            p.jobs.iter().any(|j| {
                ci::job_does(ctx, j, Activity::Lint) || ci::job_does(ctx, j, Activity::TypeCheck)
            })
        });
        if linted {
            return Verdict::Checked;
        }
        if let Some(verdict) = ci::undecided(ctx) {
            return verdict;
        }
        let main = ci::main_pipeline(ctx, &on_changes);
        out.add(format!(
            "no CI job runs the linter or type checker that {} adopts (`{command}`)",
            stack.manifest
        ))
        .at_file(&main.path)
        .fix(format!(
            "add a step `run: {command}` to a job of {}",
            main.path
        ))
        .key("no lint")
        .emit();
        Verdict::Checked
    }
}
