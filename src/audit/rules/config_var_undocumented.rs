//! config-var-undocumented: every variable the code reads appears in
//! docs/infra/config.md (checklist §2.2, §8).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{infra_doc, mentions_word, DocLookup};
use crate::context::model::EnvClass;
use crate::model::Location;

crate::declare_rule!(
    ConfigVarUndocumented,
    RuleMeta {
        id: "config-var-undocumented",
        section: "2.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Every environment variable the code reads is documented in docs/infra/config.md",
        applies: "when the code reads environment variables and docs/infra/config.md exists",
        rationale: "Checklist §2.2 and §8: environment variables must be defined and documented. A variable the code reads but the docs do not name is the one a new environment will be missing.",
        detection: "Each app-configuration variable discovery found being read (process.env.X, os.getenv, std::env::var, ${X} in compose and workflows, …) must appear as a whole word in docs/infra/config.md; variables the OS, shell, toolchain, CI, build or test harness supply (see the classes in `infra context`) are not expected there.",
        fix: "add the variable to docs/infra/config.md (purpose, required, secret, where each environment gets it); `infra update` re-renders the variables table",
        fixed_by_init: true,
        fail_example: "src/pay.js: process.env.STRIPE_SECRET_KEY   (config.md does not mention STRIPE_SECRET_KEY)",
        pass_example: "docs/infra/config.md:\n| STRIPE_SECRET_KEY | Stripe API key (test key outside production) | yes | yes |",
    }
);

impl Rule for ConfigVarUndocumented {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        if ctx.env_vars.is_empty() {
            return Verdict::NotApplicable("the code reads no environment variables".into());
        }
        let d = match infra_doc(ctx, "config.md") {
            DocLookup::Found(d) => d,
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => {
                return Verdict::Unknown(
                    "docs/infra/config.md does not exist (see config-doc-missing)".into(),
                )
            }
        };
        for v in &ctx.env_vars {
            // The OS, CI, the build and the test harness supply the other classes.
            if v.class != EnvClass::App || mentions_word(d.text, &v.name) {
                continue;
            }
            let at = v
                .reads
                .first()
                .map_or_else(|| Location::file(d.path), |r| r.location.clone());
            let mut b = out
                .add(format!("{} is read by the code but not documented in {}", v.name, d.path))
                .at(at)
                .width(v.name.len())
                .fix(format!(
                    "document {} in {} (purpose, required, secret or not, where each environment gets it)",
                    v.name, d.path
                ))
                .key(v.name.clone())
                .related(Location::file(d.path), "the configuration doc");
            for r in v.reads.iter().skip(1).take(3) {
                b = b.related(r.location.clone(), format!("also read here ({})", r.via));
            }
            b.emit();
        }
        Verdict::Checked
    }
}
