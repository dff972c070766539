//! unbounded-resources: containers, scheduled jobs, production compose
//! services and CI jobs have an upper bound on what one run may use
//! (checklist §6.1, unbounded background tasks).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::model::{K8sObject, TerraformBlock};
use crate::parse::pipeline::System;
use crate::parse::terraform::{Body, Value};

crate::declare_rule!(
    UnboundedResources,
    RuleMeta {
        id: "unbounded-resources",
        section: "6.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Containers, scheduled jobs and CI jobs have resource and time limits",
        applies: "when the repository has Kubernetes workloads, production compose files, GitHub Actions workflows or serverless functions in Terraform",
        rationale: "Checklist §6.1: avoid unbounded background tasks. A container without a memory limit can take its node down with every other pod on it; a CronJob without a deadline or with overlapping runs piles up work and cost; a hung CI job holds a runner (and the bill) for six hours, GitHub's default; a serverless function without a concurrency or instance cap scales with every burst, taking the account's shared concurrency from every other function and opening more database connections than the database accepts.",
        detection: "Kubernetes workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, …): each container and init container must set `resources.limits.memory` and `resources.limits.cpu`, unless a LimitRange of the same namespace in the repository sets container defaults for what is missing. CronJobs: `spec.jobTemplate.spec.activeDeadlineSeconds` set, and `spec.concurrencyPolicy` `Forbid` or `Replace` (Kubernetes' default, `Allow`, lets runs overlap). Compose: services of a production compose file (a name with `prod`, such as `docker-compose.prod.yml`) set `deploy.resources.limits`, `mem_limit` or `cpus`; other compose files are for development and are not checked. GitHub Actions: every job of a workflow sets `timeout-minutes` (jobs that call a reusable workflow cannot and are skipped); one finding per workflow, at its first unbounded job, the others as related locations, one level lower (a hung job costs minutes, not an outage). GitLab jobs are bounded by the project's timeout (one hour by default) and are not checked. Kustomize patch files (listed under a kustomization's `patches`/`patchesStrategicMerge`) are partial objects and are not judged on what they leave out. Helm templates are not rendered: when the repository has any, the rule is unknown unless it found something, and the reason names them. Terraform serverless functions: `aws_lambda_function` without `reserved_concurrent_executions` (or with -1), and not fed by an `aws_lambda_event_source_mapping` with `scaling_config.maximum_concurrency`, draws on the account's shared pool (1,000 by default per region) with no cap of its own; its `timeout` is always bounded (3 s by default, 900 s at most) and is not checked. `google_cloudfunctions_function` (1st gen) without `max_instances` (or 0) has no instance cap. Platforms whose default cap is finite are reported one level lower, naming the default: `google_cloudfunctions2_function` without `service_config.max_instance_count` and `google_cloud_run_v2_service` without `template.scaling.max_instance_count` or `scaling.max_instance_count` (100 instances), `google_cloud_run_service` without the `autoscaling.knative.dev/maxScale` annotation (100), Azure `azurerm_linux_function_app`/`azurerm_windows_function_app`/`azurerm_function_app` without `site_config.app_scale_limit` (the plan's limit, 200 instances on Consumption). A value computed from a variable counts as set. serverless.yml is not read.",
        fix: "set `resources.limits` (memory, and cpu where throttling is acceptable) with matching requests; give CronJobs `activeDeadlineSeconds` and `concurrencyPolicy: Forbid`; set `timeout-minutes` on every CI job; cap serverless functions (`reserved_concurrent_executions`, `max_instance_count`, `app_scale_limit`) at what their downstream services can take",
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

    fn terraform_resource(
        &self,
        input: &AuditInput<'_>,
        resource: &TerraformBlock,
        out: &mut Findings<'_>,
    ) -> Verdict {
        let Some(gap) = function_gap(&resource.kind, &resource.body) else {
            return Verdict::Skipped;
        };
        let Gap::Unbounded {
            setting,
            message,
            fix,
            platform_default,
        } = gap
        else {
            return Verdict::Checked;
        };
        if resource.kind == "aws_lambda_function"
            && capped_by_event_source(&input.ctx.terraform.resources, &resource.name)
        {
            return Verdict::Checked;
        }
        let name = format!("{} {}", resource.kind, resource.name);
        let b = out
            .add(format!(
                "{} `{}` {message}",
                function_label(&resource.kind),
                resource.name
            ))
            .at(resource.location.clone())
            .evidence(format!("no `{setting}`"))
            .fix(fix)
            .key(format!("function {name}"));
        // A platform default caps it: one level lower.
        if platform_default {
            b.demoted().emit();
        } else {
            b.emit();
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

/// What a serverless function's Terraform says about its scaling cap.
#[derive(Debug, PartialEq)]
enum Gap {
    Bounded,
    Unbounded {
        setting: &'static str,
        message: &'static str,
        fix: &'static str,
        /// The platform caps it anyway, at a default that may still be too many.
        platform_default: bool,
    },
}

/// An `aws_lambda_event_source_mapping` of this repository feeds the
/// function named `name` with `scaling_config.maximum_concurrency` set: the
/// queue it reads is drained at a bounded rate (its other triggers, if any,
/// are not seen).
fn capped_by_event_source(resources: &[TerraformBlock], name: &str) -> bool {
    let reference = format!("aws_lambda_function.{name}.");
    resources
        .iter()
        .filter(|r| r.kind == "aws_lambda_event_source_mapping")
        .filter(|r| match r.body.value("function_name") {
            Some(Value::Expr(e)) => e.contains(&reference),
            _ => false,
        })
        .any(|r| {
            r.body
                .block("scaling_config")
                .and_then(|b| b.body.value("maximum_concurrency"))
                .is_some_and(|v| !matches!(v, Value::Null))
        })
}

/// How messages name a function resource (a type name with digits would
/// look like a token to the redaction of reports).
fn function_label(kind: &str) -> &'static str {
    match kind {
        "aws_lambda_function" => "Lambda function",
        "google_cloudfunctions_function" => "Cloud Function (1st gen)",
        "google_cloudfunctions2_function" => "Cloud Function (2nd gen)",
        "google_cloud_run_v2_service" | "google_cloud_run_service" => "Cloud Run service",
        _ => "Azure function app",
    }
}

/// `None`: not a function resource this rule knows.
fn function_gap(kind: &str, body: &Body) -> Option<Gap> {
    // Set to a literal that means "no cap" (`-1`, `0`), or not set at all.
    let uncapped = |v: Option<&Value>, none: f64| match v {
        None | Some(Value::Null) => true,
        Some(v) => v.as_f64() == Some(none),
    };
    let block = |path: &[&str]| -> Option<&Body> {
        path.iter()
            .try_fold(body, |b, p| b.block(p).map(|x| &x.body))
    };
    let gap = match kind {
        "aws_lambda_function" => uncapped(body.value("reserved_concurrent_executions"), -1.0).then_some(Gap::Unbounded {
            setting: "reserved_concurrent_executions",
            message: "sets no `reserved_concurrent_executions`: a burst scales it to the account's whole shared concurrency (1,000 per region by default), throttling every other function and flooding what it calls",
            fix: "set `reserved_concurrent_executions` to what its downstream services (database connections, APIs) can take",
            platform_default: false,
        }),
        "google_cloudfunctions_function" => uncapped(body.value("max_instances"), 0.0).then_some(Gap::Unbounded {
            setting: "max_instances",
            message: "sets no `max_instances`: a 1st gen function has no instance cap of its own and scales with every burst",
            fix: "set `max_instances` to what its downstream services can take",
            platform_default: false,
        }),
        "google_cloudfunctions2_function" => uncapped(
            block(&["service_config"]).and_then(|b| b.value("max_instance_count")),
            0.0,
        )
        .then_some(Gap::Unbounded {
            setting: "service_config.max_instance_count",
            message: "sets no `service_config.max_instance_count`: it scales to the platform's default of 100 instances, more connections than a small database accepts",
            fix: "set `service_config.max_instance_count` to what its downstream services can take",
            platform_default: true,
        }),
        "google_cloud_run_v2_service" => {
            let template = block(&["template", "scaling"]).and_then(|b| b.value("max_instance_count"));
            let service = block(&["scaling"]).and_then(|b| b.value("max_instance_count"));
            (uncapped(template, 0.0) && uncapped(service, 0.0)).then_some(Gap::Unbounded {
                setting: "template.scaling.max_instance_count",
                message: "sets no `max_instance_count`: it scales to Cloud Run's default of 100 instances, more connections than a small database accepts",
                fix: "set `template.scaling.max_instance_count` to what its downstream services can take",
                platform_default: true,
            })
        }
        "google_cloud_run_service" => {
            let annotations = block(&["template", "metadata"]).and_then(|b| b.value("annotations"));
            let set = annotations.is_some_and(|a| match a {
                Value::Object(_) => a.get("autoscaling.knative.dev/maxScale").is_some(),
                // Computed annotations may hold it.
                _ => true,
            });
            (!set).then_some(Gap::Unbounded {
                setting: "autoscaling.knative.dev/maxScale",
                message: "sets no `autoscaling.knative.dev/maxScale` annotation: it scales to Cloud Run's default of 100 instances, more connections than a small database accepts",
                fix: "add the `autoscaling.knative.dev/maxScale` annotation to `template.metadata.annotations`, at what its downstream services can take",
                platform_default: true,
            })
        }
        "azurerm_linux_function_app" | "azurerm_windows_function_app" | "azurerm_function_app" => {
            let limit = block(&["site_config"]).and_then(|b| b.value("app_scale_limit"));
            uncapped(limit, -1.0).then_some(Gap::Unbounded {
                setting: "site_config.app_scale_limit",
                message: "sets no `site_config.app_scale_limit`: it scales to its plan's limit (200 instances on Consumption)",
                fix: "set `site_config.app_scale_limit` to what its downstream services can take",
                platform_default: true,
            })
        }
        _ => return None,
    };
    Some(gap.unwrap_or(Gap::Bounded))
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

    fn body(text: &str) -> Body {
        let b = crate::parse::terraform::parse(text).unwrap();
        b.blocks.into_iter().next().unwrap().body
    }

    fn capped(kind: &str, text: &str) -> Option<bool> {
        function_gap(kind, &body(text)).map(|g| g == Gap::Bounded)
    }

    #[test]
    fn serverless_caps() {
        let lambda = "aws_lambda_function";
        assert_eq!(
            capped(lambda, "resource \"x\" \"f\" {\n  timeout = 900\n}\n"),
            Some(false)
        );
        assert_eq!(
            capped(
                lambda,
                "resource \"x\" \"f\" {\n  reserved_concurrent_executions = -1\n}\n"
            ),
            Some(false)
        );
        assert_eq!(
            capped(
                lambda,
                "resource \"x\" \"f\" {\n  reserved_concurrent_executions = 10\n}\n"
            ),
            Some(true)
        );
        assert_eq!(
            capped(
                lambda,
                "resource \"x\" \"f\" {\n  reserved_concurrent_executions = var.cap\n}\n"
            ),
            Some(true)
        );
        let run = "google_cloud_run_v2_service";
        assert_eq!(capped(run, "resource \"x\" \"r\" {\n  template {\n    scaling {\n      max_instance_count = 4\n    }\n  }\n}\n"), Some(true));
        assert_eq!(
            capped(
                run,
                "resource \"x\" \"r\" {\n  template {\n    containers { image = \"a\" }\n  }\n}\n"
            ),
            Some(false)
        );
        let v1 = "google_cloud_run_service";
        assert_eq!(capped(v1, "resource \"x\" \"r\" {\n  template {\n    metadata {\n      annotations = { \"autoscaling.knative.dev/maxScale\" = \"5\" }\n    }\n  }\n}\n"), Some(true));
        assert_eq!(
            capped(
                "google_cloudfunctions2_function",
                "resource \"x\" \"f\" {\n  service_config {\n    max_instance_count = 3\n  }\n}\n"
            ),
            Some(true)
        );
        assert_eq!(
            capped(
                "google_cloudfunctions_function",
                "resource \"x\" \"f\" {\n  max_instances = 0\n}\n"
            ),
            Some(false)
        );
        assert_eq!(
            capped(
                "azurerm_linux_function_app",
                "resource \"x\" \"f\" {\n  site_config {\n    app_scale_limit = 10\n  }\n}\n"
            ),
            Some(true)
        );
        assert_eq!(capped("aws_s3_bucket", "resource \"x\" \"b\" {}\n"), None);
    }

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
