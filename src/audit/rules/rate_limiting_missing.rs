//! rate-limiting-missing: an HTTP service with no rate limit anywhere it
//! could be set, and SQS-triggered Lambda functions with no concurrency
//! bound (checklist §6.1, a SHOULD: consider queueing and rate limiting).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{
    deployment_config, infra_docs, repository_library, runtime_dependency, service_stacks,
    stack_folder, under,
};
use crate::context::TerraformBlock;
use crate::parse::terraform::Value;
use crate::scan::MatchKind;

crate::declare_rule!(
    RateLimitingMissing,
    RuleMeta {
        id: "rate-limiting-missing",
        section: "6.1",
        level: Level::Warning,
        confidence: Confidence::Low,
        description: "Public HTTP services are rate limited; queue consumers have a concurrency bound",
        applies: "to stacks that serve requests (a server framework among their dependencies) and to Terraform SQS event source mappings of Lambda functions",
        rationale: "Checklist §6.1: for heavy workloads, consider queueing and rate limiting. Without a limit one client (a scraper, a retry loop, a credential-stuffing run) takes the capacity every other user needs and runs up the bill; a Lambda function fed by a queue scales to a thousand concurrent runs and exhausts the database behind it.",
        detection: "Per service stack: passes when a rate-limit library is among its runtime dependencies (express-rate-limit, rate-limiter-flexible, @nestjs/throttler, @fastify/rate-limit, django-ratelimit, slowapi, Flask-Limiter, rack-attack, bucket4j, resilience4j-ratelimiter, AspNetCoreRateLimit, tollbooth, httprate, golang.org/x/time, ulule/limiter, governor, tower_governor, actix-governor), a file under its folder names one (`rateLimit`, `RateLimiter`, `AddRateLimiter`, `throttle` such as DRF's `DEFAULT_THROTTLE_CLASSES` or Laravel's `throttle:` middleware, `rack::attack`, `x/time/rate`), a deployment file anywhere sets one (nginx `limit_req`, ingress-nginx `limit-rps`/`limit-rpm`/`limit-connections`, Traefik `rateLimit`, API Gateway `throttling_*` settings and usage plans in Terraform, WAF rate-based rules, Cloud Armor `rate_based_ban`), or a non-empty \"Rate limiting\", \"Rate limits\" or \"Throttling\" section of docs/infra/*.md says where (a platform or CDN limit infra cannot see; a passing mention is not enough). Lines that are comments do not count. One finding per stack, at its manifest; a stack another stack of the repository depends on is its library and is not checked. Terraform: an `aws_lambda_event_source_mapping` reading an SQS queue with no `scaling_config.maximum_concurrency`, whose function sets no `reserved_concurrent_executions`. Celery, Sidekiq and BullMQ workers are bounded by default (CPU count, 5 threads, 1 job) and are not reported. A heuristic: a warning whose message lists what was looked for.",
        fix: "add a limit where requests enter: middleware (express-rate-limit, @nestjs/throttler, DRF throttling, slowapi or Flask-Limiter, rack-attack, bucket4j, ASP.NET `AddRateLimiter`, httprate), the proxy (`limit_req` in nginx, `nginx.ingress.kubernetes.io/limit-rps`), or the gateway (API Gateway stage throttling, a WAF rate-based rule); if the platform or CDN limits requests, say so in docs/infra (for example a `## Rate limiting` section of docs/infra/security.md); bound SQS-triggered functions with `scaling_config { maximum_concurrency = N }`",
        fixed_by_init: false,
        fail_example: "package.json: express, no rate limiter; docs/infra does not mention rate limiting",
        pass_example: "package.json: express, express-rate-limit; src/app.js: app.use(rateLimit({ windowMs: 60000, limit: 100 }))",
    }
);

/// Rate-limit libraries by package name (a trailing `/` or `:` matches a prefix).
const LIBRARIES: &[&str] = &[
    "express-rate-limit",
    "express-slow-down",
    "rate-limiter-flexible",
    "@nestjs/throttler",
    "@fastify/rate-limit",
    "fastify-rate-limit",
    "koa-ratelimit",
    "hono-rate-limiter",
    "django-ratelimit",
    "slowapi",
    "flask-limiter",
    "fastapi-limiter",
    "rack-attack",
    "com.bucket4j:",
    "com.github.vladimir-bukhtoyarov:",
    "io.github.resilience4j:resilience4j-ratelimiter",
    "aspnetcoreratelimit",
    "github.com/didip/tollbooth",
    "github.com/didip/tollbooth/",
    "github.com/go-chi/httprate",
    "golang.org/x/time",
    "github.com/ulule/limiter",
    "github.com/ulule/limiter/",
    "governor",
    "tower_governor",
    "actix-governor",
];

/// Headings of a docs/infra section that says where requests are limited.
const DOC_HEADINGS: &[&str] = &[
    "rate limit",
    "rate limits",
    "rate limiting",
    "rate-limiting",
    "throttling",
];

impl Rule for RateLimitingMissing {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let stacks = service_stacks(input.ctx, input.scan);
        if stacks.is_empty() {
            return Verdict::NotApplicable(
                "no stack uses a server framework (Express, Flask, Gin, axum, …)".into(),
            );
        }
        // A section, not a passing mention: the rendered overview's capacity
        // advice names rate limits without saying where one is set.
        if infra_docs(input.ctx)
            .iter()
            .any(|d| d.doc.find(DOC_HEADINGS).is_some_and(|s| s.has_content()))
        {
            return Verdict::Checked;
        }
        let deployment = input.scan.matches.iter().find(|m| {
            matches!(m.kind, MatchKind::RateLimit(_)) && deployment_config(&m.location.path)
        });
        if deployment.is_some() {
            return Verdict::Checked;
        }
        for (stack, framework) in stacks {
            if repository_library(input.ctx, stack) {
                continue;
            }
            if runtime_dependency(stack, LIBRARIES).is_some() {
                continue;
            }
            if input.scan.matches.iter().any(|m| {
                matches!(m.kind, MatchKind::RateLimit(_)) && under(&stack.dir, &m.location.path)
            }) {
                continue;
            }
            let folder = stack_folder(stack);
            out.add(format!(
                "the {framework} service in {folder} has no rate limit: none in its dependencies or code, in a proxy, ingress or gateway file, or in a Rate limiting section of docs/infra"
            ))
            .at_file(&stack.manifest)
            .evidence(format!(
                "found: {framework} in {}; not found: a rate-limit library among its runtime dependencies, a rate limit or throttle in its source files, nginx `limit_req`, an ingress `limit-rps`, API Gateway throttling or a WAF rate-based rule, a Rate limiting section in docs/infra/*.md",
                stack.manifest
            ))
            .key(format!("no rate limit {}", stack.manifest))
            .emit();
        }
        Verdict::Checked
    }

    fn terraform_resource(
        &self,
        input: &AuditInput<'_>,
        resource: &TerraformBlock,
        out: &mut Findings<'_>,
    ) -> Verdict {
        if resource.kind != "aws_lambda_event_source_mapping" {
            return Verdict::Skipped;
        }
        let body = &resource.body;
        let source = match body.value("event_source_arn") {
            Some(Value::String(s) | Value::Expr(s)) => s.to_ascii_lowercase(),
            _ => return Verdict::Skipped,
        };
        if !source.contains("sqs") {
            return Verdict::Skipped;
        }
        let bounded = body
            .block("scaling_config")
            .is_some_and(|b| b.body.attribute("maximum_concurrency").is_some());
        if bounded {
            return Verdict::Checked;
        }
        // `aws_lambda_function.worker.arn` names the function's resource.
        let function = match body.value("function_name") {
            Some(Value::Expr(e)) => e
                .strip_prefix("aws_lambda_function.")
                .and_then(|rest| rest.split('.').next())
                .map(str::to_string),
            _ => None,
        };
        let reserved = function.as_deref().is_some_and(|name| {
            input.ctx.terraform.resources.iter().any(|r| {
                r.kind == "aws_lambda_function"
                    && r.name == name
                    && r.body.attribute("reserved_concurrent_executions").is_some()
            })
        });
        if reserved {
            return Verdict::Checked;
        }
        out.add(format!(
            "the SQS event source mapping {} has no concurrency bound: the function scales with the queue's backlog",
            resource.name
        ))
        .at(resource.location.clone())
        .evidence(
            "found: an aws_lambda_event_source_mapping reading an SQS queue; not found: scaling_config.maximum_concurrency, reserved_concurrent_executions on its function",
        )
        .fix("add `scaling_config { maximum_concurrency = N }` (N ≥ 2) sized for what the function's database or API can take")
        .key(format!("sqs mapping {}", resource.name))
        .emit();
        Verdict::Checked
    }
}
