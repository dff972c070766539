//! metrics-missing: a service with no metrics instrumentation in its
//! dependencies or code, and none documented (checklist §4.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{
    code_under, infra_docs, runtime_dependency, service_stacks, stack_folder,
};
use crate::context::{Context, Stack};
use crate::model::ServiceKind;
use crate::scan::MatchKind;

crate::declare_rule!(
    MetricsMissing,
    RuleMeta {
        id: "metrics-missing",
        section: "4.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Every service exposes or collects metrics (requests, error rate, latency)",
        applies: "to stacks that serve requests (a server framework among their dependencies)",
        rationale: "Checklist §4.2: for key features and services, expose or collect metrics (requests, error rates, latency). Without them nobody can tell a slow or failing service from a healthy one until users say so.",
        detection: "Per service stack: passes when a metrics library is among its runtime dependencies (prom-client, express-prom-bundle, prometheus_client, prometheus-fastapi-instrumentator, django-prometheus, Prometheus' Go client, the `prometheus` and `metrics` crates, Micrometer, Spring Boot Actuator, prometheus-net, yabeda, statsd clients, hot-shots, dd-trace, New Relic, OpenTelemetry packages, and the APM agents Skylight, Scout, AppSignal and Elastic APM) or a source file under its folder names one (`prometheus`, `prom-client`, `statsd`, `opentelemetry`, `micrometer`, Go's `expvar`, …) or turns on Sentry's performance tracing (`traces_sample_rate`, `traces_sampler`, `enable_tracing`: request rate, errors and latency per route). For the whole repository: an observability service discovery found in use (Datadog, New Relic, OpenTelemetry), a Prometheus ServiceMonitor or PodMonitor, a metrics image in compose or Kubernetes (Prometheus, Grafana, an OpenTelemetry collector, the Datadog agent, StatsD, Telegraf, VictoriaMetrics), or a non-empty \"Metrics\", \"Monitoring\" or \"Telemetry\" section in docs/infra/*.md (where the platform's own metrics are documented). Reported at the service's manifest, one level lower than a MUST: the evidence is an absence.",
        fix: "instrument the service (prom-client for Node, prometheus_client for Python, the Prometheus Go client, Micrometer/Actuator for Spring) or document the platform's metrics in a `## Metrics` section of docs/infra/observability.md; `infra init` renders one for the platform",
        fixed_by_init: true,
        fail_example: "package.json: express, no metrics library; docs/infra has no Metrics section",
        pass_example: "package.json: express, prom-client",
    }
);

/// Metrics libraries by package name (a trailing `/`, `:` or `-` matches a
/// prefix).
const LIBRARIES: &[&str] = &[
    "prom-client",
    "express-prom-bundle",
    "express-prometheus-middleware",
    "fastify-metrics",
    "@willsoto/nestjs-prometheus",
    "hot-shots",
    "node-statsd",
    "statsd",
    "statsd-client",
    "dd-trace",
    "newrelic",
    "@newrelic/",
    "@opentelemetry/",
    "prometheus-client",
    "prometheus_client",
    "prometheus-fastapi-instrumentator",
    "starlette-exporter",
    "prometheus-flask-exporter",
    "django-prometheus",
    "ddtrace",
    "datadog",
    "opentelemetry-",
    "github.com/prometheus/client_golang",
    "go.opentelemetry.io/",
    "github.com/datadog/",
    "gopkg.in/datadog/",
    "github.com/newrelic/",
    "github.com/armon/go-metrics",
    "github.com/rcrowley/go-metrics",
    "prometheus",
    "metrics",
    "metrics-exporter-prometheus",
    "opentelemetry",
    "actix-web-prom",
    "axum-prometheus",
    "autometrics",
    "io.micrometer:",
    "org.springframework.boot:spring-boot-starter-actuator",
    "io.prometheus:",
    "io.opentelemetry:",
    "com.datadoghq:",
    "prometheus-net",
    "prometheus-net.aspnetcore",
    "app.metrics",
    "yabeda",
    "yabeda-",
    "prometheus-client-mmap",
    "newrelic_rpm",
    "promphp/prometheus_client_php",
    "spatie/laravel-prometheus",
    "skylight",
    "scout_apm",
    "appsignal",
    "elastic-apm",
    "elastic-apm-node",
    "elastic-apm-python",
];

fn metrics_library(stack: &Stack) -> Option<&str> {
    runtime_dependency(stack, LIBRARIES)
}

/// Images that collect or ship metrics.
const METRICS_IMAGES: &[&str] = &[
    "prometheus",
    "grafana",
    "opentelemetry-collector",
    "datadog/agent",
    "statsd",
    "telegraf",
    "victoriametrics",
    "victoria-metrics",
    "node-exporter",
    "cadvisor",
];

/// Evidence for the whole repository, if any: where metrics are collected.
fn repository_evidence(ctx: &Context) -> Option<String> {
    if let Some(s) = ctx
        .services
        .iter()
        .find(|s| s.kind == ServiceKind::Observability && !s.mentioned_only)
    {
        return Some(format!("{} is in use", s.name));
    }
    if let Some(o) = ctx
        .kubernetes
        .iter()
        .find(|o| matches!(o.kind.as_str(), "ServiceMonitor" | "PodMonitor"))
    {
        return Some(format!("a {} in {}", o.kind, o.location.path));
    }
    let images = ctx
        .compose_services
        .iter()
        .filter_map(|c| c.image.as_deref())
        .chain(
            ctx.kubernetes
                .iter()
                .flat_map(|o| o.images.iter().map(String::as_str)),
        );
    for image in images {
        let lower = image.to_ascii_lowercase();
        if METRICS_IMAGES.iter().any(|m| lower.contains(m)) {
            return Some(format!("the image {image}"));
        }
    }
    infra_docs(ctx).into_iter().find_map(|d| {
        d.doc
            .find(&["metrics", "monitoring", "telemetry"])
            .filter(|s| s.has_content())
            .map(|s| format!("the \"{}\" section of {}", s.heading, d.path))
    })
}

impl Rule for MetricsMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let services = service_stacks(input.ctx, input.scan);
        if services.is_empty() {
            return Verdict::NotApplicable(
                "no stack uses a server framework (Express, Flask, Gin, axum, …)".into(),
            );
        }
        if repository_evidence(input.ctx).is_some() {
            return Verdict::Checked;
        }
        for (stack, framework) in services {
            if metrics_library(stack).is_some() {
                continue;
            }
            if code_under(stack, input.scan, |k| matches!(k, MatchKind::MetricsUse(_))) {
                continue;
            }
            let folder = stack_folder(stack);
            out.add(format!(
                "the {framework} service in {folder} exposes no metrics: no metrics library in its dependencies or code, and none documented in docs/infra"
            ))
            .at_file(&stack.manifest)
            .evidence(format!(
                "found: {framework} in {}; not found: a metrics library among its runtime dependencies or in its source files, an observability service, a metrics collector in compose or Kubernetes, a Metrics or Monitoring section in docs/infra/*.md",
                stack.manifest
            ))
            .key(format!("no metrics {}", stack.manifest))
            .emit();
        }
        Verdict::Checked
    }
}
