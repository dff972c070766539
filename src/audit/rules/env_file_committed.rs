//! env-file-committed: a `.env` file with values is in the repository (not
//! ignored by git), so its values are committed (checklist §2.2, §5.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;
use crate::scan::is_test_path;

crate::declare_rule!(
    EnvFileCommitted,
    RuleMeta {
        id: "env-file-committed",
        section: "2.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "No .env file with values is committed",
        applies: "when the repo has .env files other than examples, or the code reads environment variables",
        rationale: "Checklist §2.2 and §5.1: environment-specific values and secrets live in environment variables or a secret store; a committed .env puts them in every clone and in git history.",
        detection: "Files named `.env` or `.env.<name>` (examples, samples, templates and dist files excepted) that give at least one variable a value. In a git work tree, `git ls-files` decides: a tracked file is committed (also when .gitignore matches it because it was committed first); a file neither tracked nor ignored is reported one level lower, since `git add .` would commit it. Without git, a file .gitignore does not match counts as committed. Test and fixture folders are not checked.",
        fix: "add `.env*` (keeping `!.env.example`) to .gitignore, run `git rm --cached` on the file, and rotate any secret it held",
        fixed_by_init: false,
        fail_example: ".env:1: DATABASE_URL=postgres://app:…@db/app   (and .gitignore does not list .env)",
        pass_example: ".gitignore:\n.env*\n!.env.example",
    }
);

fn is_example(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["example", "sample", "template", "dist", "defaults"]
        .iter()
        .any(|w| lower.contains(w))
}

impl Rule for EnvFileCommitted {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let files: Vec<_> = input
            .ctx
            .env_files
            .iter()
            .filter(|f| {
                let name = f.path.rsplit('/').next().unwrap_or(&f.path);
                (name == ".env" || name.starts_with(".env."))
                    && !is_example(name)
                    && !is_test_path(&f.path)
            })
            .collect();
        if files.is_empty() && input.ctx.env_vars.is_empty() {
            return Verdict::NotApplicable(
                "no .env files other than examples, and no environment variables read".into(),
            );
        }
        let tracked = input.ctx.git_tracked.as_ref();
        for f in files {
            let valued: Vec<_> = f.entries.iter().filter(|e| e.has_value).collect();
            let Some(first) = valued.first() else {
                continue;
            };
            let count = format!(
                "{} variable{}",
                valued.len(),
                if valued.len() == 1 { "" } else { "s" }
            );
            let is_tracked = tracked.map(|t| t.contains(&f.path));
            let message = match (f.tracked_although_ignored, is_tracked) {
                (true, _) => format!(
                    "{} is committed although .gitignore matches it (it was committed first); it gives {count} a value",
                    f.path
                ),
                (false, Some(true)) => format!("{} is committed and gives {count} a value", f.path),
                (false, Some(false)) => format!(
                    "{} gives {count} a value and is not ignored by git: `git add .` would commit it",
                    f.path
                ),
                (false, None) => format!(
                    "{} gives {count} a value and is not ignored by git",
                    f.path
                ),
            };
            let mut finding = out
                .add(message)
                .at(Location::new(f.path.clone(), first.line, 1))
                .evidence(format!(
                    "sets {}",
                    valued
                        .iter()
                        .take(5)
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            if is_tracked == Some(false) {
                finding = finding.demoted();
            }
            finding.key(format!("committed {}", f.path)).emit();
        }
        Verdict::Checked
    }
}
