//! Fly.io: Fly Machines configured by fly.toml, a deploy token per app.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{is_postgres, GhSetting, Hosting, PlatformDef, PlatformFacts};
use crate::model::ServiceKind;

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "fly",
    name: "Fly.io",
    aliases: &["fly.io", "flyio"],
    suggested_region: Some("iad"),
    // The regions `platform.region` accepts. When the provider opens one,
    // add it here: this list is the only place infra knows regions from.
    #[rustfmt::skip]
    regions: &[
        "ams", "arn", "atl", "bog", "bom", "bos", "cdg", "den", "dfw", "ewr", "eze",
        "fra", "gdl", "gig", "gru", "hkg", "iad", "jnb", "lax", "lhr", "mad", "mia",
        "nrt", "ord", "otp", "phx", "qro", "scl", "sea", "sin", "sjc", "syd", "waw",
        "yul", "yyz",
    ],
    staging_is_preview: false,
    runtime_files: &[],
    facts,
    hosting,
};

fn facts(region: Option<String>, slug: &str) -> PlatformFacts {
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "Fly Machines, one Fly app per environment, configured by `fly.toml`",
        secrets_store: "Fly secrets (`fly secrets set`), encrypted and injected as environment variables",
        secrets_cmd: "fly secrets set --app <app> NAME=<value>",
        auth: "a deploy token scoped to one app per environment (`fly tokens create deploy`), stored as an environment secret; Fly has no OIDC federation for deploys",
        deploy_cmds: vec!["flyctl deploy --app <app> --remote-only --strategy rolling".into()],
        rollback_list_cmd: "fly releases --app <app> --image".into(),
        rollback_cmds: vec!["flyctl deploy --app <app> --image <previous-image> --strategy rolling".into()],
        logs: "`fly logs`, and the app's Monitoring page in the Fly dashboard; ship them onward with the fly-log-shipper",
        logs_cmd: format!("fly logs --app {slug}"),
        metrics: "Fly's managed Prometheus (`fly_instance_*`, `fly_app_http_responses_count`, `fly_app_http_response_time_seconds`), visible in the hosted Grafana",
        dashboards: "the Fly Metrics Grafana dashboards for the app",
        alerting: "Grafana alert rules on Fly's Prometheus metrics, sent to the alert channel",
        zero_downtime: "rolling deploys with health checks from `fly.toml` (`[[http_service.checks]]`): a Machine is replaced only after its successor passes; run at least two Machines in production",
        https: "Fly terminates TLS with managed certificates; set `force_https = true` in `fly.toml`",
        headers: "set by the application (e.g. helmet for Express)",
        access: "internal services listen on the private 6PN network only (`.internal` / `.flycast` addresses); org access through Fly's single sign-on",
        gh_vars: vec![v("FLY_APP", "Fly app name of the environment")],
        gh_secrets: vec![v("FLY_API_TOKEN", "deploy token for this environment's app only")],
        container: true,
        oidc: false,
    }
}

fn hosting(id: &str, kind: ServiceKind) -> Option<Hosting> {
    Some(match kind {
        ServiceKind::Database if is_postgres(id) => Hosting::new(
            "Fly Postgres cluster (or a managed Postgres provider)",
            "daily volume snapshots (`fly volumes snapshots list <volume-id>`) plus a nightly `pg_dump` to object storage",
            "create a volume from a snapshot (`fly volumes create pg_data --snapshot-id <id>`) or `pg_restore` the latest dump into a new cluster",
        ),
        _ => return None,
    })
}
