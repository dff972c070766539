//! unbounded-resources: containers, scheduled jobs, production compose
//! services and CI jobs have an upper bound on what one run may use
//! (checklist §6.1, unbounded background tasks).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::model::K8sObject;
use crate::parse::pipeline::System;

crate::declare_rule!(
    UnboundedResources,
    RuleMeta {
        id: "unbounded-resources",
        section: "6.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Containers, scheduled jobs and CI jobs have resource and time limits",
        applies: "when the repository has Kubernetes workloads, production compose files or GitHub Actions workflows",
        rationale: "Checklist §6.1: avoid unbounded background tasks. A container without a memory limit can take its node down with every other pod on it; a CronJob without a deadline or with overlapping runs piles up work and cost; a hung CI job holds a runner (and the bill) for six hours, GitHub's default.",
        detection: "Kubernetes workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, …): each container and init container must set `resources.limits.memory` and `resources.limits.cpu`, unless a LimitRange of the same namespace in the repository sets container defaults for what is missing. CronJobs: `spec.jobTemplate.spec.activeDeadlineSeconds` set, and `spec.concurrencyPolicy` `Forbid` or `Replace` (Kubernetes' default, `Allow`, lets runs overlap). Compose: services of a production compose file (a name with `prod`, such as `docker-compose.prod.yml`) set `deploy.resources.limits`, `mem_limit` or `cpus`; other compose files are for development and are not checked. GitHub Actions: every job of a workflow sets `timeout-minutes` (jobs that call a reusable workflow cannot and are skipped); one finding per workflow, at its first unbounded job, the others as related locations, one level lower (a hung job costs minutes, not an outage). GitLab jobs are bounded by the project's timeout (one hour by default) and are not checked. Kustomize patch files (listed under a kustomization's `patches`/`patchesStrategicMerge`) are partial objects and are not judged on what they leave out. Helm templates are not rendered: when the repository has any, the rule is unknown unless it found something, and the reason names them.",
        fix: "set `resources.limits` (memory, and cpu where throttling is acceptable) with matching requests; give CronJobs `activeDeadlineSeconds` and `concurrencyPolicy: Forbid`; set `timeout-minutes` on every CI job",
        fixed_by_init: false,
        fail_example: "containers:\n  - name: web\n    image: ghcr.io/acme/web:1.4.2",
        pass_example: "containers:\n  - name: web\n    image: ghcr.io/acme/web:1.4.2\n    resources:\n      requests: {cpu: 100m, memory: 256Mi}\n      limits: {cpu: 500m, memory: 256Mi}",
    }
);

impl Rule for UnboundedResources {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn helm_templates(
        &self,
        _input: &AuditInput<'_>,
        templates: &[String],
        _out: &mut Findings<'_>,
    ) -> Verdict {
        super::helm_not_rendered(templates)
    }

    fn kubernetes_object(
        &self,
        input: &AuditInput<'_>,
        object: &K8sObject,
        out: &mut Findings<'_>,
    ) -> Verdict {
        // A kustomize patch is a partial object: what it leaves out, its base sets.
        if object.patch {
            return Verdict::Skipped;
        }
        let kind = &object.kind;
        let name = object.name.as_deref().unwrap_or("(unnamed)");
        if object.has_resource_limits.is_none() {
            return Verdict::Skipped;
        }
        // A LimitRange of the same namespace fills in what a container omits.
        let (default_cpu, default_memory) = input
            .ctx
            .kubernetes
            .iter()
            .filter(|o| o.namespace == object.namespace)
            .filter_map(|o| o.default_limits)
            .fold((false, false), |(c, m), (oc, om)| (c || oc, m || om));
        for c in &object.container_limits {
            // A kustomize patch of the same object may set what the base omits.
            let patched = |memory: bool| {
                input.ctx.kubernetes.iter().any(|o| {
                    o.location.path != object.location.path
                        && o.kind == object.kind
                        && o.name == object.name
                        && o.container_limits
                            .iter()
                            .any(|p| p.name == c.name && if memory { p.memory } else { p.cpu })
                })
            };
            let mut missing = Vec::new();
            if !c.memory && !default_memory && !patched(true) {
                missing.push("memory");
            }
            if !c.cpu && !default_cpu && !patched(false) {
                missing.push("cpu");
            }
            if missing.is_empty() {
                continue;
            }
            let container = c.name.as_deref().unwrap_or("(unnamed)");
            let which = if c.init {
                "init container"
            } else {
                "container"
            };
            out.add(format!(
                "{which} `{container}` of {kind} `{name}` sets no {} limit: {}",
                missing.join(" or "),
                if missing.contains(&"memory") {
                    "one leaking pod can exhaust its node's memory and take other pods with it"
                } else {
                    "one busy pod can take its node's spare CPU from the others"
                }
            ))
            .at(c.location.clone())
            .related(object.location.clone(), format!("the {kind}"))
            .evidence(format!("resources.limits without {}", missing.join(", ")))
            .fix(format!(
                "set `resources.limits.{}` on `{container}` (with requests to match), or a LimitRange default for its namespace",
                missing.join("` and `resources.limits.")
            ))
            .key(format!("{kind} {name} {container} {}", missing.join("+")))
            .emit();
        }
        if let Some(cron) = &object.cron {
            if !cron.active_deadline {
                out.add(format!(
                    "CronJob `{name}` sets no `activeDeadlineSeconds`: a run that hangs keeps its pod, and its cost, until someone notices"
                ))
                .at(object.location.clone())
                .fix("set `spec.jobTemplate.spec.activeDeadlineSeconds` to a little more than the longest normal run")
                .key(format!("CronJob {name} deadline"))
                .emit();
            }
            let policy = cron.concurrency_policy.as_deref();
            if !matches!(policy, Some("Forbid" | "Replace")) {
                out.add(format!(
                    "CronJob `{name}` lets runs overlap (`concurrencyPolicy: {}`): a slow run and the next one pile up",
                    policy.unwrap_or("Allow, the default")
                ))
                .at(object.location.clone())
                .fix("set `spec.concurrencyPolicy: Forbid` (skip a run while one is active) or `Replace`")
                .key(format!("CronJob {name} concurrency"))
                .emit();
            }
        }
        Verdict::Checked
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let mut looked = false;
        for svc in &ctx.compose_services {
            if !is_production_compose(&svc.location.path) {
                continue;
            }
            looked = true;
            if !svc.limits {
                out.add(format!(
                    "compose service `{}` in the production file {} sets no memory or CPU limit",
                    svc.name, svc.location.path
                ))
                .at(svc.location.clone())
                .fix("set `deploy.resources.limits` (`memory`, `cpus`) on the service")
                .key(format!("compose {}", svc.name))
                .emit();
            }
        }
        for p in ci::top_level(ctx).filter(|p| p.system == System::GithubActions) {
            looked = true;
            let unbounded: Vec<_> = p
                .jobs
                .iter()
                .filter(|j| !j.timeout && j.calls.is_none())
                .collect();
            let Some((first, rest)) = unbounded.split_first() else {
                continue;
            };
            let mut b = out
                .add(format!(
                    "{} {} in {} set{} no `timeout-minutes`: a hung run holds its runner for GitHub's default of 6 hours",
                    if unbounded.len() == 1 { "job" } else { "jobs" },
                    unbounded
                        .iter()
                        .map(|j| format!("`{}`", j.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                    p.path,
                    if unbounded.len() == 1 { "s" } else { "" },
                ))
                .at(first.location.clone())
                .fix("add `timeout-minutes:` to each job, a little above its longest normal run")
                .key(format!("timeout {}", p.path))
                // Minutes billed, not an outage: one level below the
                // containers and scheduled jobs.
                .demoted();
            for j in rest {
                b = b.related(j.location.clone(), format!("job `{}`", j.id));
            }
            b.emit();
        }
        if looked {
            Verdict::Checked
        } else {
            Verdict::Skipped
        }
    }
}

/// `docker-compose.prod.yml`, `compose.production.yaml`: the file a
/// production host runs; other compose files serve development and tests.
pub(crate) fn is_production_compose(path: &str) -> bool {
    let name = crate::source::text::file_name(path).to_ascii_lowercase();
    name.split(['.', '-', '_'])
        .any(|part| part == "prod" || part == "production")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_compose_files_by_name() {
        assert!(is_production_compose("docker-compose.prod.yml"));
        assert!(is_production_compose("deploy/compose.production.yaml"));
        assert!(is_production_compose("docker-compose-prod.yml"));
        assert!(!is_production_compose("docker-compose.yml"));
        assert!(!is_production_compose("docker-compose.dev.yml"));
        assert!(!is_production_compose("products/docker-compose.yml"));
    }
}
