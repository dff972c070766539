//! config-doc-missing: docs/infra/config.md explains the key variables
//! (checklist §2.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{infra_doc, DocLookup};

crate::declare_rule!(
    ConfigDocMissing,
    RuleMeta {
        id: "config-doc-missing",
        section: "2.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "docs/infra/config.md explains the configuration variables",
        applies: "always",
        rationale: "Checklist §2.2: document key variables in docs/infra/config.md: what each is for, whether it is required or secret, and where each environment gets it. Without it, configuring a new environment means reading code.",
        detection: "docs/infra/config.md (or docs/devops/config.md) exists and has content beyond its title: a section, table or list describing variables.",
        fix: "run `infra init` (or `infra update`) to render docs/infra/config.md with every variable, then fill in purposes",
        fixed_by_init: true,
        fail_example: "docs/infra/config.md:\n# Configuration\n",
        pass_example: "# Configuration\n\n| Variable | Purpose | Required | Secret |\n|---|---|---|---|\n| DATABASE_URL | Postgres connection | yes | yes |",
    }
);

impl Rule for ConfigDocMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        match infra_doc(input.ctx, "config.md") {
            DocLookup::Missing => {
                out.add("no docs/infra/config.md: configuration variables are not documented")
                    .at_file("docs/infra/config.md")
                    .emit();
            }
            DocLookup::Unreadable(p) => {
                return Verdict::Unknown(format!("{p} was not read (binary or too large)"))
            }
            DocLookup::Found(d) => {
                let body_has_content = match d.doc.sections.first() {
                    // Content before the first heading, or any section with content.
                    Some(first) => {
                        d.doc
                            .sections
                            .iter()
                            .skip(usize::from(first.level == 1))
                            .any(|s| s.has_content())
                            || (first.level == 1 && first.has_content())
                            || d.text
                                .lines()
                                .take(first.line as usize - 1)
                                .any(|l| !l.trim().is_empty())
                    }
                    None => !d.text.trim().is_empty(),
                };
                if !body_has_content {
                    out.add(format!("{} is empty: it must explain the configuration variables", d.path))
                        .at_file(d.path)
                        .fix(format!(
                            "describe each variable in {} (purpose, required, secret, where each environment gets it); `infra update` can re-render it",
                            d.path
                        ))
                        .key("empty")
                        .emit();
                }
            }
        }
        Verdict::Checked
    }
}
