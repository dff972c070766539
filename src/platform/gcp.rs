//! Google Cloud: Cloud Run, Cloud Build, Workload Identity Federation.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{is_sql, GhSetting, Hosting, PlatformDef, PlatformFacts};
use crate::model::ServiceKind;

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "gcp",
    name: "Google Cloud",
    aliases: &["google", "gcloud"],
    suggested_region: Some("us-central1"),
    // The regions `platform.region` accepts. When the provider opens one,
    // add it here: this list is the only place infra knows regions from.
    #[rustfmt::skip]
    regions: &[
        "africa-south1",
        "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
        "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
        "australia-southeast1", "australia-southeast2",
        "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
        "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6",
        "europe-west8", "europe-west9", "europe-west10", "europe-west12",
        "me-central1", "me-central2", "me-west1",
        "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1",
        "southamerica-east1", "southamerica-west1",
        "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
        "us-west1", "us-west2", "us-west3", "us-west4",
    ],
    staging_is_preview: false,
    runtime_files: &[],
    facts,
    hosting,
};

fn facts(region: Option<String>, _slug: &str) -> PlatformFacts {
    let region_s = region.clone().unwrap_or_default();
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "Cloud Run (one service per environment); images built from the repository with Cloud Build",
        secrets_store: "Secret Manager, mounted into Cloud Run as environment variables (`--set-secrets`)",
        secrets_cmd: "printf %s <value> | gcloud secrets create <NAME> --data-file=-",
        auth: "Workload Identity Federation from GitHub OIDC to a deploy service account, no key files",
        deploy_cmds: vec![format!("gcloud run deploy <service> --source . --region {region_s} --quiet")],
        rollback_list_cmd: format!("gcloud run revisions list --service <service> --region {region_s}"),
        rollback_cmds: vec![format!("gcloud run services update-traffic <service> --region {region_s} --to-revisions <previous-revision>=100")],
        logs: "Cloud Logging, resource type `cloud_run_revision`",
        logs_cmd: "gcloud logging read 'resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"<service>\"' --limit 100".into(),
        metrics: "Cloud Monitoring: `run.googleapis.com/request_count` (by response code class), `request_latencies`, `container/cpu/utilizations`, `container/memory/utilizations`",
        dashboards: "the Cloud Run service's Metrics tab, and a Cloud Monitoring dashboard per environment",
        alerting: "Cloud Monitoring alerting policies with a notification channel for the alert channel",
        zero_downtime: "Cloud Run starts the new revision, waits for its startup probe, then moves traffic; old revisions stay available so traffic can be sent back instantly",
        https: "Cloud Run serves HTTPS only with managed certificates",
        headers: "set by the application (e.g. helmet for Express) or a load balancer response header policy",
        access: "internal services use `--ingress internal`; Cloud SQL is reached through the Cloud SQL connector, not a public IP; IAM roles per person, no basic roles",
        gh_vars: vec![
            v("GCP_WORKLOAD_IDENTITY_PROVIDER", "full resource name of the workload identity provider"),
            v("GCP_SERVICE_ACCOUNT", "deploy service account e-mail"),
            v("GCP_PROJECT_ID", "project id"),
            v("GCP_REGION", "Cloud Run region"),
            v("CLOUD_RUN_SERVICE", "Cloud Run service name"),
        ],
        gh_secrets: vec![],
        container: true,
        oidc: true,
    }
}

fn hosting(id: &str, kind: ServiceKind) -> Option<Hosting> {
    Some(match kind {
        ServiceKind::Database if is_sql(id) => Hosting::new(
            "Cloud SQL (high availability in production)",
            "Cloud SQL automated backups with point-in-time recovery",
            "`gcloud sql backups list --instance <instance>` then `gcloud sql backups restore <backup-id> --restore-instance <instance>-restore`",
        ),
        ServiceKind::Cache => Hosting::cache("Memorystore for Redis"),
        _ => return None,
    })
}
