//! log-context-missing: a service that logs but attaches no request or
//! correlation id to its logs (checklist §4.1). A heuristic.

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{
    code_under, runtime_dependency, service_logs, service_stacks, stack_folder,
};
use crate::context::{Context, Stack};
use crate::model::ServiceKind;
use crate::scan::MatchKind;

crate::declare_rule!(
    LogContextMissing,
    RuleMeta {
        id: "log-context-missing",
        section: "4.1",
        level: Level::Warning,
        confidence: Confidence::Low,
        description: "Service logs carry a request or correlation id",
        applies: "to stacks that serve requests and log (a stack with no logging is logging-missing's)",
        rationale: "Checklist §4.1: logs must include enough context (user id, request id, correlation id). Without a request id the lines of one failing request cannot be told apart from every other request's, and a call cannot be followed across services.",
        detection: "Per service stack that logs: passes when a request-id or tracing library is among its runtime dependencies (express-request-id, cls-rtracer, express-http-context, pino-http, asgi-correlation-id, django-guid, django-request-id, gin-contrib/requestid, tracing-actix-web, tower-http, Spring Cloud Sleuth, Micrometer tracing, OpenTelemetry, dd-trace, New Relic), when the framework tags its logs with one by default (Rails' `log_tags` with `ActionDispatch::RequestId`, NestJS with pino), or when a source file under its folder handles one (`X-Request-Id`, `request_id`, `requestId`, `correlation_id`, `trace_id`, `traceparent`, `middleware.RequestID`, `MDC.put`, `log_tags`, pino's `genReqId`); for the whole repository, an OpenTelemetry, Datadog or New Relic service in use. A heuristic with low confidence: a name in the code does not prove every log line carries it.",
        fix: "add request-id middleware (accept an incoming `X-Request-Id` or create one) and bind it to the logger per request (a pino/winston child logger, structlog contextvars, slog attributes, a tracing span, MDC), or adopt OpenTelemetry so trace ids reach the logs",
        fixed_by_init: false,
        fail_example: "src/server.js: console.error(\"request failed\", err) with no request id anywhere",
        pass_example: "src/server.js: app.use(requestId()); log.child({ requestId: req.id })",
    }
);

/// Request-id and tracing libraries, by package name (a trailing `/`, `:`
/// or `-` matches a prefix).
const LIBRARIES: &[&str] = &[
    "express-request-id",
    "cls-rtracer",
    "express-http-context",
    "pino-http",
    "express-pino-logger",
    "nestjs-pino",
    "nestjs-cls",
    "@opentelemetry/",
    "dd-trace",
    "newrelic",
    "@newrelic/",
    "asgi-correlation-id",
    "django-guid",
    "django-request-id",
    "django-log-request-id",
    "flask-request-id",
    "flask-request-id-header",
    "opentelemetry-",
    "ddtrace",
    "github.com/gin-contrib/requestid",
    "go.opentelemetry.io/",
    "tracing-actix-web",
    "actix-web-requestid",
    "tower-http",
    "opentelemetry",
    "tracing-opentelemetry",
    "org.springframework.cloud:spring-cloud-starter-sleuth",
    "io.micrometer:micrometer-tracing",
    "io.micrometer:micrometer-tracing-bridge-otel",
    "io.micrometer:micrometer-tracing-bridge-brave",
    "io.opentelemetry:",
    "com.datadoghq:",
    "request_store",
    "lograge",
];

/// Frameworks whose default logs carry a request id.
const TAGS_BY_DEFAULT: &[&str] = &["rails"];

fn context_library(stack: &Stack) -> bool {
    runtime_dependency(stack, LIBRARIES).is_some()
}

fn tracing_service(ctx: &Context) -> Option<&str> {
    ctx.services
        .iter()
        .find(|s| s.kind == ServiceKind::Observability && !s.mentioned_only)
        .map(|s| s.name.as_str())
}

impl Rule for LogContextMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let services: Vec<_> = service_stacks(input.ctx, input.scan)
            .into_iter()
            .filter(|(s, _)| service_logs(s, input.scan))
            .collect();
        if services.is_empty() {
            return Verdict::NotApplicable(
                "no stack that serves requests logs (see logging-missing)".into(),
            );
        }
        if tracing_service(input.ctx).is_some() {
            return Verdict::Checked;
        }
        for (stack, framework) in services {
            if stack
                .frameworks
                .iter()
                .any(|f| TAGS_BY_DEFAULT.contains(&f.as_str()))
                || context_library(stack)
            {
                continue;
            }
            if code_under(stack, input.scan, |k| matches!(k, MatchKind::LogContext(_))) {
                continue;
            }
            let folder = stack_folder(stack);
            out.add(format!(
                "the {framework} service in {folder} logs without a request or correlation id"
            ))
            .at_file(&stack.manifest)
            .evidence(format!(
                "found: logging in {folder}; not found: request-id middleware or a tracing library among the dependencies of {}, a request, correlation or trace id (`X-Request-Id`, `request_id`, `trace_id`, `traceparent`, `MDC`) in any source file under {folder}",
                stack.manifest
            ))
            .key(format!("no log context {}", stack.manifest))
            .emit();
        }
        Verdict::Checked
    }
}
