//! The rule model: what a rule may read ([`AuditInput`]), the trait a rule
//! implements — one method per scope, each with a default, so a rule
//! overrides only the scope it needs — and what it concludes ([`Verdict`]).
//! What a rule says about itself is [`RuleMeta`] in `meta.rs`;
//! [`declare_rule!`](crate::declare_rule) attaches it. [`run_rule`] is how
//! the engine calls the scopes.

use super::finding::{Finding, Findings};
pub use super::meta::RuleMeta;
use super::scan::ScanResults;
use crate::answers::InfraToml;
use crate::context::{Context, Dockerfile, K8sObject, TerraformBlock, WorkflowFile};
pub use crate::model::{Confidence, Level};
pub use crate::source::class::{Classes, FileClass};

/// What a line rule does with a finding in a file of some class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassAction {
    /// Report one level lower.
    Demote,
    /// Do not report.
    Skip,
}

impl ClassAction {
    pub fn id(self) -> &'static str {
        match self {
            ClassAction::Demote => "demote",
            ClassAction::Skip => "skip",
        }
    }
}

/// A rule's per-class policy: classes not listed are checked as usual.
pub type ClassPolicy = &'static [(FileClass, ClassAction)];

/// The strongest action `policy` takes on a file of `classes` (skip beats
/// demote); `None` when the file is checked as usual.
pub fn class_action(policy: ClassPolicy, classes: Classes) -> Option<ClassAction> {
    policy
        .iter()
        .filter(|(c, _)| classes.has(*c))
        .map(|(_, a)| *a)
        .max()
}

/// `skips generated, vendored; demotes test` — for `infra explain` and
/// docs/rules.md. Empty for a rule that checks every class alike.
pub fn describe_policy(policy: ClassPolicy) -> String {
    let mut parts = Vec::new();
    for (action, verb) in [
        (ClassAction::Skip, "skips"),
        (ClassAction::Demote, "reports one level lower in"),
    ] {
        let classes: Vec<&str> = policy
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(c, _)| c.id())
            .collect();
        if !classes.is_empty() {
            parts.push(format!("{verb} {} files", classes.join(", ")));
        }
    }
    parts.join("; ")
}

/// Everything a rule may read.
pub struct AuditInput<'a> {
    pub ctx: &'a Context,
    /// `infra.toml`, when the repo has one (already known to parse).
    pub answers: Option<&'a InfraToml>,
    pub scan: &'a ScanResults,
    /// What the change under review touches: `Some` only in diff mode
    /// (`infra audit --base REF` or `--staged`, checklist §8); the engine
    /// calls [`Rule::change`] only then.
    pub changes: Option<&'a [Change]>,
    /// Today's date (UTC) as the audit options set it, for rules that read
    /// dated tables.
    pub today: super::date::Date,
    /// `[audit] max_instance_vcpus`, validated ([`super::settings::Settings`]).
    pub max_instance_vcpus: Option<u32>,
    /// `--base`: what the base tree already had, so the change rules judge
    /// only what the change brings in. `None` outside `--base`.
    pub before: Option<&'a Known>,
    /// `--history`: the secrets the commits added. `None` without it.
    pub history: Option<&'a super::history::HistoryScan>,
}

/// What a tree uses, as the change rules compare it: app-configuration
/// variables read and services used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub env_vars: std::collections::BTreeSet<String>,
    pub services: std::collections::BTreeSet<String>,
    /// `(service id, path)` for every file with evidence of the service.
    pub service_files: std::collections::BTreeSet<(String, String)>,
    /// `(language id, folder)` of every package.
    pub stacks: std::collections::BTreeSet<(String, String)>,
}

impl Known {
    pub fn of(ctx: &Context) -> Known {
        Known {
            env_vars: ctx.env_vars.iter().map(|v| v.name.clone()).collect(),
            services: ctx.used_services().map(|s| s.id.clone()).collect(),
            service_files: ctx
                .used_services()
                .flat_map(|s| {
                    s.evidence
                        .iter()
                        .map(|e| (s.id.clone(), e.location.path.clone()))
                })
                .collect(),
            stacks: ctx
                .stacks
                .iter()
                .map(|s| (s.language.id().to_string(), s.dir.clone()))
                .collect(),
        }
    }
}

/// One changed file in diff mode, the input of [`Rule::change`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub status: ChangeStatus,
    /// The lines the change added or rewrote, as inclusive 1-based ranges
    /// (an added file: all of it; a deleted one: none).
    pub added: Vec<(u32, u32)>,
}

impl Change {
    /// Whether the change added or rewrote `line` (0, the whole file: only
    /// when the file itself is new).
    pub fn adds(&self, line: u32) -> bool {
        if line == 0 {
            return self.status == ChangeStatus::Added;
        }
        self.added.iter().any(|(a, b)| (*a..=*b).contains(&line))
    }

    /// The changes that touch `path` and add `line` there.
    pub fn find<'c>(changes: &'c [Change], path: &str, line: u32) -> Option<&'c Change> {
        changes.iter().find(|c| c.path == path && c.adds(line))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeStatus {
    Added,
    Modified,
    Deleted,
    Renamed { from: String },
}

/// What a rule concluded in one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The rule looked; it passed unless it reported findings.
    Checked,
    /// Like `Checked`, but the pass rests on what infra.toml declares, not
    /// on anything infra can see (an environment's protection rules): the
    /// reason says what was declared, and the report shows it.
    Declared(String),
    /// The rule does not apply here (the reason says why).
    NotApplicable(String),
    /// The rule could not decide (a prerequisite is missing or unparseable).
    /// Never counts as a pass.
    Unknown(String),
    /// The rule has nothing to say in this scope or about this document: the
    /// default of every scope method, neutral when the engine combines them.
    Skipped,
}

/// What a rule says about itself. [`declare_rule!`](crate::declare_rule)
/// implements it; rules implement [`Rule`].
pub trait RuleCore {
    fn meta(&self) -> &'static RuleMeta;
    /// The module that declares the rule (`infra::audit::rules::readme_missing`).
    fn module(&self) -> &'static str;
}

/// One audit rule: a unit struct in `src/audit/rules/<id>.rs` (the id with
/// `-` as `_`), listed once in the registry. Rules read the shared discovery
/// (`input.ctx`) and the content scan (`input.scan`); they never walk the
/// tree or read files, and report only through `out` (the one builder).
///
/// Each method is one scope and defaults to [`Verdict::Skipped`]; a rule
/// overrides the scopes it needs. For every rule the engine calls
/// [`Rule::repository`] once, each document scope once per document of that
/// kind that discovery found (none found: not called), and [`Rule::change`]
/// once per changed file, in diff mode only. Findings from a call that did
/// not return [`Verdict::Checked`] are dropped (a rule that says it did not
/// apply must not fail); the verdicts combine as [`run_rule`] says.
///
/// Pipeline jobs and steps get their own scopes once workflows are parsed
/// into them; today a workflow is only its file ([`WorkflowFile`]).
pub trait Rule: RuleCore + Sync {
    /// What the rule does per file class ([`FileClass`]); the engine applies
    /// it to every finding by the file of its location. Default: every
    /// class is checked alike.
    fn class_policy(&self) -> ClassPolicy {
        &[]
    }

    /// The whole repository at once: discovery, answers and the content scan.
    fn repository(&self, _input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        Verdict::Skipped
    }

    /// One CI/CD pipeline file (GitHub Actions workflow, `.gitlab-ci.yml`).
    fn pipeline(
        &self,
        _input: &AuditInput<'_>,
        _pipeline: &WorkflowFile,
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }

    /// One Kubernetes object (a document of a manifest).
    fn kubernetes_object(
        &self,
        _input: &AuditInput<'_>,
        _object: &K8sObject,
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }

    /// The Helm templates of the repository's charts (`ctx.helm_templates`),
    /// once, when there are any: they are not rendered, so a rule that reads
    /// Kubernetes objects did not see the ones they define and says so with
    /// [`Verdict::Unknown`] (see `rules::helm_not_rendered`).
    fn helm_templates(
        &self,
        _input: &AuditInput<'_>,
        _templates: &[String],
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }

    /// One Dockerfile.
    fn dockerfile(
        &self,
        _input: &AuditInput<'_>,
        _dockerfile: &Dockerfile,
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }

    /// One Terraform `resource` block.
    fn terraform_resource(
        &self,
        _input: &AuditInput<'_>,
        _resource: &TerraformBlock,
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }

    /// One changed file; called only in diff mode (`input.changes`).
    fn change(
        &self,
        _input: &AuditInput<'_>,
        _change: &Change,
        _out: &mut Findings<'_>,
    ) -> Verdict {
        Verdict::Skipped
    }
}

/// How a rule's scope verdicts add up.
#[derive(Default)]
struct Combined {
    checked: bool,
    declared: Option<String>,
    unknown: Option<String>,
    not_applicable: Option<String>,
}

impl Combined {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Checked => self.checked = true,
            Verdict::Declared(why) => {
                self.checked = true;
                self.declared.get_or_insert(why);
            }
            Verdict::Unknown(why) => {
                self.unknown.get_or_insert(why);
            }
            Verdict::NotApplicable(why) => {
                self.not_applicable.get_or_insert(why);
            }
            Verdict::Skipped => {}
        }
    }

    fn verdict(self, meta: &RuleMeta, has_findings: bool) -> Verdict {
        match self {
            _ if has_findings => Verdict::Checked,
            Combined {
                unknown: Some(why), ..
            } => Verdict::Unknown(why),
            Combined {
                checked: true,
                declared: Some(why),
                ..
            } => Verdict::Declared(why),
            Combined { checked: true, .. } => Verdict::Checked,
            Combined {
                not_applicable: Some(why),
                ..
            } => Verdict::NotApplicable(why),
            _ => Verdict::NotApplicable(format!(
                "nothing it checks is in this repository (it applies {})",
                meta.applies
            )),
        }
    }
}

/// Call every scope of `rule` the input has data for (see [`Rule`]) and
/// combine: findings make it [`Verdict::Checked`] (it fails); otherwise the
/// first `Unknown`, else `Checked` if any scope looked, else the first
/// `NotApplicable`, else not applicable because nothing in its scope exists.
/// Never returns [`Verdict::Skipped`]. Levels are still the rule's defaults.
pub fn run_rule(rule: &dyn Rule, input: &AuditInput<'_>) -> (Vec<Finding>, Verdict) {
    let meta = rule.meta();
    let texts = &input.ctx.texts;
    let mut found: Vec<Finding> = Vec::new();
    let mut combined = Combined::default();
    let mut call = |scope: &dyn Fn(&mut Findings<'_>) -> Verdict| {
        let mut out = Findings::new(meta, texts);
        let verdict = scope(&mut out);
        if matches!(verdict, Verdict::Checked | Verdict::Declared(_)) {
            found.extend(out.into_vec());
        }
        combined.add(verdict);
    };
    let ctx = input.ctx;
    call(&|out| rule.repository(input, out));
    for p in &ctx.workflows {
        call(&|out| rule.pipeline(input, p, out));
    }
    for o in &ctx.kubernetes {
        call(&|out| rule.kubernetes_object(input, o, out));
    }
    if !ctx.helm_templates.is_empty() {
        call(&|out| rule.helm_templates(input, &ctx.helm_templates, out));
    }
    for d in &ctx.containers {
        call(&|out| rule.dockerfile(input, d, out));
    }
    for r in &ctx.terraform.resources {
        call(&|out| rule.terraform_resource(input, r, out));
    }
    for c in input.changes.unwrap_or_default() {
        call(&|out| rule.change(input, c, out));
    }
    apply_class_policy(rule.class_policy(), ctx, &mut found);
    dedup_locations(&mut found);
    let verdict = combined.verdict(meta, !found.is_empty());
    (found, verdict)
}

/// Skip or demote findings by the class of their file, as the rule's
/// policy says.
fn apply_class_policy(policy: ClassPolicy, ctx: &Context, found: &mut Vec<Finding>) {
    if policy.is_empty() {
        return;
    }
    found.retain_mut(|f| {
        match class_action(policy, ctx.classes_of(&f.location.path)) {
            Some(ClassAction::Skip) => return false,
            Some(ClassAction::Demote) => f.demoted = true,
            None => {}
        }
        true
    });
}

/// One finding per rule and location: a second finding at the same place
/// with the same message (the same URL twice on one line) adds nothing.
fn dedup_locations(found: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert((f.location.path.clone(), f.location.line, f.message.clone())));
}

/// Declares a rule's unit struct and its metadata in one place, and
/// implements [`RuleCore`] for it; the rule then implements only the
/// [`Rule`] scopes it needs.
#[macro_export]
macro_rules! declare_rule {
    ($name:ident, $meta:expr) => {
        pub struct $name;
        pub static META: $crate::audit::rule::RuleMeta = $meta;
        impl $crate::audit::rule::RuleCore for $name {
            fn meta(&self) -> &'static $crate::audit::rule::RuleMeta {
                &META
            }
            fn module(&self) -> &'static str {
                module_path!()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Overrides only the Dockerfile scope: one finding per Dockerfile
    /// without a HEALTHCHECK, and it counts its calls.
    struct NeedsHealthcheck {
        calls: AtomicUsize,
    }

    static META: RuleMeta = RuleMeta {
        id: "test-needs-healthcheck",
        section: "0",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "d",
        applies: "to every Dockerfile",
        rationale: "r",
        detection: "d",
        fix: "add a HEALTHCHECK",
        fixed_by_init: false,
        fail_example: "",
        pass_example: "",
    };

    impl RuleCore for NeedsHealthcheck {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }
        fn module(&self) -> &'static str {
            module_path!()
        }
    }

    impl Rule for NeedsHealthcheck {
        fn dockerfile(
            &self,
            _input: &AuditInput<'_>,
            dockerfile: &Dockerfile,
            out: &mut Findings<'_>,
        ) -> Verdict {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if !dockerfile.has_healthcheck {
                out.add(format!("{} has no HEALTHCHECK", dockerfile.path))
                    .at_file(&dockerfile.path)
                    .emit();
            }
            Verdict::Checked
        }
    }

    fn dockerfile(path: &str, has_healthcheck: bool) -> Dockerfile {
        Dockerfile {
            path: path.into(),
            base_images: Vec::new(),
            exposed_ports: Vec::new(),
            has_healthcheck,
            runs_as_non_root: true,
        }
    }

    fn run(ctx: &Context) -> (usize, Vec<Finding>, Verdict) {
        let rule = NeedsHealthcheck {
            calls: AtomicUsize::new(0),
        };
        let scan = ScanResults::default();
        let input = AuditInput {
            ctx,
            answers: None,
            scan: &scan,
            changes: None,
            today: crate::audit::date::Date::new(2026, 12, 3),
            max_instance_vcpus: None,
            before: None,
            history: None,
        };
        let (found, verdict) = run_rule(&rule, &input);
        (rule.calls.load(Ordering::Relaxed), found, verdict)
    }

    #[test]
    fn a_document_scope_is_called_once_per_document() {
        let ctx = Context {
            containers: vec![
                dockerfile("Dockerfile", true),
                dockerfile("worker/Dockerfile", false),
                dockerfile("web/Dockerfile", true),
            ],
            // Other document kinds do not reach the Dockerfile scope.
            kubernetes: vec![K8sObject {
                kind: "Deployment".into(),
                name: Some("api".into()),
                namespace: None,
                location: Location::new("k8s/api.yaml", 1, 1),
                images: Vec::new(),
                has_resource_limits: Some(true),
                container_limits: Vec::new(),
                cron: None,
                default_limits: None,
                exposed: None,
                stores: Vec::new(),
                ingress: None,
                patch: false,
            }],
            ..Context::default()
        };
        let (calls, found, verdict) = run(&ctx);
        assert_eq!(calls, 3);
        assert_eq!(verdict, Verdict::Checked);
        let paths: Vec<&str> = found.iter().map(|f| f.location.path.as_str()).collect();
        assert_eq!(paths, ["worker/Dockerfile"]);
    }

    #[test]
    fn passing_documents_pass_and_no_documents_is_not_applicable() {
        let ctx = Context {
            containers: vec![dockerfile("Dockerfile", true)],
            ..Context::default()
        };
        let (calls, found, verdict) = run(&ctx);
        assert_eq!((calls, found.len(), verdict), (1, 0, Verdict::Checked));

        let (calls, found, verdict) = run(&Context::default());
        assert_eq!((calls, found.len()), (0, 0));
        assert_eq!(
            verdict,
            Verdict::NotApplicable(
                "nothing it checks is in this repository (it applies to every Dockerfile)".into()
            )
        );
    }

    #[test]
    fn verdicts_combine_unknown_over_pass_and_findings_over_unknown() {
        let meta = &META;
        let combine = |verdicts: Vec<Verdict>, has_findings: bool| {
            let mut c = Combined::default();
            for v in verdicts {
                c.add(v);
            }
            c.verdict(meta, has_findings)
        };
        let unknown = Verdict::Unknown("x.yaml does not parse".into());
        assert_eq!(
            combine(vec![Verdict::Checked, unknown.clone()], false),
            unknown
        );
        assert_eq!(
            combine(vec![Verdict::Checked, unknown.clone()], true),
            Verdict::Checked
        );
        assert_eq!(
            combine(
                vec![Verdict::Skipped, Verdict::NotApplicable("no".into())],
                false
            ),
            Verdict::NotApplicable("no".into())
        );
    }
}
