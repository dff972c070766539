//! ci-no-build: CI builds what the project ships (checklist §3.1).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::stack::Language;
use crate::parse::pipeline::commands::Activity;

crate::declare_rule!(
    CiNoBuild,
    RuleMeta {
        id: "ci-no-build",
        section: "3.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "CI builds the project on every change",
        applies: "when the repository has a CI pipeline and a stack with a build step (a compiled language, a build script, or a Dockerfile)",
        rationale: "Checklist §3.1: automated build pipelines. A change that breaks the build should fail in CI, not during the deploy.",
        detection: "Some job of a workflow triggered by pushes or pull/merge requests builds: a build command (cargo build, npm run build, next/vite build, go build, dotnet build/publish, mvn package, gradle build, docker build, python -m build …) or an image push; for compiled languages (Rust, Go, JVM) running the tests counts, since they compile first. Unfollowed runner calls make it unknown.",
        fix: "add a step that runs the stack's build command to the CI job (`infra init` renders one)",
        fixed_by_init: true,
        fail_example: "package.json: \"build\": \"next build\"   CI runs only `npm test`",
        pass_example: "- run: npm run build\n- run: npm test",
    }
);

fn compiled(l: Language) -> bool {
    matches!(l, Language::Rust | Language::Go | Language::Java)
}

impl Rule for CiNoBuild {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let on_changes = match ci::on_changes(ctx) {
            Ok(p) => p,
            Err(verdict) => return verdict,
        };
        let build = ctx
            .stacks
            .iter()
            .find_map(|s| s.commands.build.clone().map(|b| (s.manifest.clone(), b)))
            .or_else(|| {
                ctx.containers
                    .first()
                    .map(|d| (d.path.clone(), format!("docker build -f {} .", d.path)))
            });
        let Some((source, command)) = build else {
            return Verdict::NotApplicable("no stack with a build step and no Dockerfile".into());
        };
        let any_compiled = ctx.stacks.iter().any(|s| compiled(s.language));
        let built = on_changes.iter().any(|p| {
            p.jobs.iter().any(|j| {
                ci::job_does(ctx, j, Activity::Build)
                    || ci::job_does(ctx, j, Activity::Publish)
                    || (any_compiled && ci::job_does(ctx, j, Activity::Test))
            })
        });
        if built {
            return Verdict::Checked;
        }
        if let Some(verdict) = ci::undecided(ctx) {
            return verdict;
        }
        let main = ci::main_pipeline(ctx, &on_changes);
        out.add(format!(
            "no CI job builds the project ({source} builds with `{command}`)"
        ))
        .at_file(&main.path)
        .fix(format!(
            "add a step `run: {command}` to a job of {}",
            main.path
        ))
        .key("no build")
        .emit();
        Verdict::Checked
    }
}
