//! Service roles from how the code uses a service (issue 9): small repos of
//! the shapes real repositories showed, each checked through discovery and
//! through the rules that depend on roles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::audit::{self, AuditOptions, Status};
use infra::context::{discover, Context, ServiceRole};
use infra::source::walk::WalkOptions;
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/services")
        .join(name)
}

fn context(name: &str) -> Context {
    discover(&dir(name), &WalkOptions::default()).unwrap()
}

fn roles(ctx: &Context, id: &str) -> Vec<ServiceRole> {
    let s = ctx.service(id).unwrap_or_else(|| panic!("{id} not found"));
    s.roles.iter().map(|r| r.role).collect()
}

fn status(name: &str, rule: &str) -> Status {
    let report = audit::audit_tree(&dir(name), &AuditOptions::default()).unwrap();
    report.result(rule).unwrap().status
}

#[test]
fn redis_used_as_a_queue_is_no_cache() {
    let ctx = context("redis-queue");
    assert_eq!(roles(&ctx, "redis"), [ServiceRole::Queue]);
    let queue = &ctx.service("redis").unwrap().roles[0];
    assert!(queue
        .evidence
        .iter()
        .any(|e| e.location.path == "src/worker.js"
            && e.location.line == 5
            && e.via.contains("rpush")));
    assert_eq!(
        status("redis-queue", "cache-invalidation-undocumented"),
        Status::NotApplicable
    );
    // A queue holds work not yet done: it still wants a runbook.
    assert_eq!(status("redis-queue", "runbook-missing"), Status::Fail);
}

#[test]
fn redis_as_the_only_database_is_the_primary_store() {
    let ctx = context("redis-primary-store");
    let redis = ctx.service("redis").unwrap();
    assert!(redis.own);
    assert_eq!(roles(&ctx, "redis"), [ServiceRole::Store]);
    assert_eq!(
        status("redis-primary-store", "cache-invalidation-undocumented"),
        Status::NotApplicable
    );
    assert_eq!(
        status("redis-primary-store", "backups-undocumented"),
        Status::Fail
    );
}

#[test]
fn driver_dependencies_alone_are_client_libraries() {
    let ctx = context("client-libraries");
    for id in ["mysql", "postgresql", "mssql", "mongodb", "redis"] {
        let s = ctx.service(id).unwrap_or_else(|| panic!("{id} lost"));
        assert!(!s.own, "{id} counted as the app's own");
        assert_eq!(roles(&ctx, id), [ServiceRole::Client], "{id}");
    }
    for rule in [
        "backups-undocumented",
        "runbook-missing",
        "cache-invalidation-undocumented",
    ] {
        assert_eq!(
            status("client-libraries", rule),
            Status::NotApplicable,
            "{rule}"
        );
    }
}

#[test]
fn sqlite_is_found_as_an_embedded_store() {
    for repo in ["sqlite-django", "sqlite-go"] {
        let ctx = context(repo);
        let s = ctx
            .service("sqlite")
            .unwrap_or_else(|| panic!("no SQLite in {repo}"));
        assert!(s.own && s.embedded, "{repo}");
        assert!(s.has_role(ServiceRole::Store), "{repo}");
        assert_eq!(status(repo, "backups-undocumented"), Status::Fail, "{repo}");
    }
}

#[test]
fn laravel_driver_options_are_not_the_app_s_services() {
    let ctx = context("laravel-options");
    let sqlite = ctx.service("sqlite").unwrap();
    assert!(sqlite.own && sqlite.embedded);
    for id in ["redis", "memcached", "mysql"] {
        if let Some(s) = ctx.service(id) {
            assert!(!s.own, "{id} is only a driver option");
        }
    }
    assert_eq!(
        status("laravel-options", "cache-invalidation-undocumented"),
        Status::NotApplicable
    );
}

#[test]
fn ef_core_use_sql_server_is_the_app_s_database() {
    let ctx = context("ef-core");
    let s = ctx.service("mssql").unwrap();
    assert!(s.own);
    assert!(s.roles[0]
        .evidence
        .iter()
        .any(|e| e.location.path == "src/Startup.cs" && e.via.contains("UseSqlServer")));
}
