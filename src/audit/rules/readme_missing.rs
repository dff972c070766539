//! readme-missing: a root README that says what the app does (checklist §1.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;

crate::declare_rule!(
    ReadmeMissing,
    RuleMeta {
        id: "readme-missing",
        section: "1.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "The repository has a README that says what the app does",
        applies: "always",
        rationale: "Checklist §1.1: before changing infra, read README.md to learn what the app does and which services it depends on. Without it nobody (and no tool) can tell what production must keep running.",
        detection: "A README.md (or README, README.rst, README.txt) at the root with a heading or at least one paragraph of prose. A root README that is a symlink is followed when its target is inside the repository (`README.md -> docs/README.md`); a link out of the repository is not followed and fails.",
        fix: "write README.md at the root: a `# Name` heading, one paragraph on what the app does, and the services it depends on (`infra init` reads it but does not write it)",
        fixed_by_init: false,
        fail_example: "(no README.md at the repository root)",
        pass_example: "# ledgerd\n\nLedger service for invoices; stores data in PostgreSQL and caches in Redis.",
    }
);

const NAMES: &[&str] = &[
    "readme.md",
    "readme",
    "readme.rst",
    "readme.txt",
    "readme.markdown",
];

impl Rule for ReadmeMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let found = ctx.files.iter().find(|f| {
            !f.path.contains('/') && NAMES.contains(&f.path.to_ascii_lowercase().as_str())
        });
        let Some(file) = found else {
            out.add("no README at the repository root")
                .at_file("README.md")
                .emit();
            return Verdict::Checked;
        };
        if file.outside_link {
            out.add(format!(
                "{} is a symlink to a file outside the repository: not followed, so a clone has no README",
                file.path
            ))
            .at_file(&file.path)
            .fix(format!(
                "commit the README itself (or link {} to a file inside the repository)",
                file.path
            ))
            .key("outside link")
            .emit();
            return Verdict::Checked;
        }
        let Some(text) = ctx.text(&file.path) else {
            // Discovery keeps the text of Markdown READMEs only; a README in
            // another format counts when it is more than a stub.
            if file.size >= 64 && !file.binary {
                return Verdict::Checked;
            }
            return Verdict::Unknown(format!(
                "{} was not read (binary, a stub, or too large)",
                file.path
            ));
        };
        let has_prose = text.lines().any(|l| {
            let t = l.trim();
            !t.is_empty()
                && !t.starts_with('#')
                && !t.starts_with("<!--")
                && !t.starts_with("[!")
                && t.chars().filter(|c| c.is_alphabetic()).count() >= 10
        });
        if !has_prose {
            out.add(format!("{} does not say what the app does", file.path))
                .at(Location::new(file.path.clone(), 1, 1))
                .fix(format!(
                    "add a paragraph to {} on what the app does and which services it depends on",
                    file.path
                ))
                .key("no prose")
                .emit();
        }
        Verdict::Checked
    }
}
