//! change-dependency-undocumented: an external service the change brings
//! in is named in docs/infra/overview.md (checklist §8).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Change, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{brought_in, change_repository, infra_doc, names_service, DocLookup};

crate::declare_rule!(
    ChangeDependencyUndocumented,
    RuleMeta {
        id: "change-dependency-undocumented",
        section: "8",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "An external service the change brings in is named in docs/infra/overview.md",
        applies: "in diff mode (`--base REF`, `--staged`), to the lines the change adds",
        rationale: "Checklist §8: any new external dependency must be documented. A database, queue or provider SDK that arrives in a pull request without a line in the overview is the dependency nobody watches, backs up or pays for on purpose.",
        detection: "Discovery's evidence for each service the app uses (a dependency in a manifest such as `stripe` or `@aws-sdk/client-s3`, a compose service or Kubernetes image, a Terraform resource, a client's env var, a connection URL) for a service the base tree did not use (with `--staged`: all of its evidence on lines the commit adds; a service used before the change is overview-doc-missing's); the service must be named (id, name or its first six letters) in docs/infra/overview.md. Services the README only mentions do not count.",
        fix: "add the service to the services and dependencies section of docs/infra/overview.md (what it is for, who owns it, which environments use it)",
        fixed_by_init: false,
        fail_example: "package.json:\n+    \"stripe\": \"^14.0.0\"   (overview.md does not mention Stripe)",
        pass_example: "docs/infra/overview.md:\n## Services and dependencies\n- Stripe (payments)",
    }
);

impl Rule for ChangeDependencyUndocumented {
    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        change_repository(input)
    }

    fn change(&self, input: &AuditInput<'_>, change: &Change, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let overview = match infra_doc(ctx, "overview.md") {
            DocLookup::Found(d) => Some(d),
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => None,
        };
        for s in ctx.used_services() {
            let Some(e) = s
                .evidence
                .iter()
                .find(|e| e.location.path == change.path && change.adds(e.location.line))
            else {
                continue;
            };
            // Used before the change too: overview-doc-missing's, not the change's.
            let locations = s.evidence.iter().map(|e| &e.location);
            if !brought_in(input, |k| k.services.contains(&s.id), locations) {
                continue;
            }
            if overview
                .as_ref()
                .is_some_and(|d| names_service(d.text, &s.id, &s.name))
            {
                continue;
            }
            let doc = overview
                .as_ref()
                .map_or("docs/infra/overview.md", |d| d.path);
            out.add(format!(
                "the change brings in {} ({}), which {doc} does not name",
                s.name, s.kind
            ))
            .at(e.location.clone())
            .evidence(format!("found via {}", e.via))
            .evidence(if overview.is_some() {
                format!("{doc} names neither {:?} nor {:?}", s.id, s.name)
            } else {
                format!("{doc} does not exist")
            })
            .fix(format!(
                "name {} in the services and dependencies section of {doc} (what it is for, which environments use it)",
                s.name
            ))
            .key(format!("service {}", s.id))
            .emit();
        }
        Verdict::Checked
    }
}
