//! logging-missing: a service whose code sets up no logger (checklist
//! §4.1). A heuristic: it reads the stack's dependencies and what the one
//! walk saw in its source files (`MatchKind::LogUse`).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{service_logs as logs, service_stacks, under};

crate::declare_rule!(
    LoggingMissing,
    RuleMeta {
        id: "logging-missing",
        section: "4.1",
        level: Level::Warning,
        confidence: Confidence::Low,
        description: "Every service sets up logging",
        applies: "to stacks that serve requests (a server framework among their dependencies: Express, Fastify, Koa, Hono, Flask, FastAPI, Gin, Echo, chi, Fiber, Sinatra, axum, actix-web, Rocket, warp)",
        rationale: "Checklist §4.1: all services must log errors, important state changes and external integration failures. A service with no logger leaves nothing to read during an incident.",
        detection: "Per stack with a server framework (a Rust crate only with a binary, `src/main.rs` or `src/bin/`; a Python project only when one of its files imports the framework): passes when the framework logs by default (Django, Rails, Spring Boot, Laravel, Symfony, NestJS), when a logging library is among its runtime dependencies (winston, pino, bunyan, morgan, log4js, loguru, structlog, zap, logrus, zerolog, lograge, semantic_logger, tracing, log, env_logger, slog, monolog, Serilog, logback, log4j), or when a source file under its folder (tests, fixtures, examples, generated and vendored files aside) creates or configures a logger (`createLogger`, `pino()`, `logging.getLogger`, `slog.New`, `gin.Default()`, `LoggerFactory.getLogger`, `tracing_subscriber::`, …) or calls one (`console.error`, `logger.info`, `log.Printf`, `info!`, …; Python's `print` only in a file that imports the web framework, where it goes to the service's log), and when the project is a workspace member inside a project of the same language that logs. A heuristic: the finding says what it found and what it did not, and the rule stays a warning.",
        fix: "add a logger (pino or winston for Node, the logging module or structlog for Python, slog or zap for Go, tracing for Rust) and log errors, state changes and failed calls to other services",
        fixed_by_init: false,
        fail_example: "package.json: express, no logging library, no log call in any source file",
        pass_example: "package.json: express, pino; src/server.js: const log = pino();",
    }
);

impl Rule for LoggingMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let services = service_stacks(input.ctx, input.scan);
        if services.is_empty() {
            return Verdict::NotApplicable(
                "no stack uses a server framework (Express, Flask, Gin, axum, …)".into(),
            );
        }
        for (stack, framework) in services {
            if logs(stack, input.scan) {
                continue;
            }
            // A workspace member (a Cargo workspace, an npm workspace) runs
            // in the process of an enclosing project that logs.
            let enclosing = input.ctx.stacks.iter().any(|o| {
                o.language == stack.language
                    && o.dir != stack.dir
                    && under(&o.dir, &stack.dir)
                    && logs(o, input.scan)
            });
            if enclosing {
                continue;
            }
            let folder = if stack.dir.is_empty() {
                "the repository".to_string()
            } else {
                format!("{}/", stack.dir)
            };
            let runtime = stack.dependencies.iter().filter(|d| !d.dev).count();
            out.add(format!(
                "the {framework} service in {folder} sets up no logging: no logging library among its dependencies and no logger or log call in its code"
            ))
            .at_file(&stack.manifest)
            .evidence(format!(
                "found: {framework} in {}; not found: a logging library among its {runtime} runtime dependencies, a logger set-up or log call in any source file under {folder} (tests, examples, generated and vendored files not counted)",
                stack.manifest
            ))
            .key(format!("no logging {}", stack.manifest))
            .emit();
        }
        Verdict::Checked
    }
}
